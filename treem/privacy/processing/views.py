"""A province's register of processing activities for its administrators, auditors and
office, an administrator's edit of it, and the impact-assessment dossier the province files."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext

from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability, require_capability
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.edits.conflicts import EditConflict
from treem.privacy.processing import dossier, dossier_docx, selectors, services
from treem.privacy.processing.forms import ActivityForm, DossierForm
from treem.ui.downloads import attachment
from treem.ui.forms import add_service_errors


@require_capability(Capability.VIEW_PROCESSING_REGISTER)
def register_view(request: AuthedRequest) -> HttpResponse:
    provinces = list(selectors.provinces_for(user=request.user))
    code = request.GET.get("province")
    # A nation-wide reader chooses: no province is "the first" of 34.
    chosen = bool(provinces) and (bool(code) or len(provinces) == 1)
    province = (selectors.get_province_for_user(user=request.user, code=code)
                if chosen else None)
    return render(request, "privacy/processing/register.html", {
        "provinces": provinces, "province": province,
        "activities": selectors.activities(province=province) if province else [],
        "can_manage": province is not None and request.user.in_scope(
            province.path, capability=Capability.MANAGE_PROCESSING_REGISTER)})


@require_capability(Capability.MANAGE_PROCESSING_REGISTER)
def activity_edit_view(request: AuthedRequest, activity_id: str) -> HttpResponse:
    activity = selectors.get_activity_for_user(user=request.user, activity_id=activity_id,
                                               for_write=True)
    form = ActivityForm(request.POST) if request.method == "POST" else ActivityForm.for_activity(
        activity)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        base_version, reason = data.pop("base_version"), data.pop("reason")
        try:
            services.activity_update(actor=request.user, activity=activity,
                                     base_version=base_version, reason=reason, **data)
        except EditConflict as conflict:
            form.add_error(None, conflict.message)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, gettext("Đã lưu sổ đăng ký hoạt động xử lý dữ liệu."))
            return redirect(f"{reverse('privacy:register')}?province={activity.unit.code}")
    return render(request, "privacy/processing/edit.html", {
        "activity": activity, "form": form,
        "roles": selectors.roles_of(activity.capabilities)})


@require_capability(Capability.VIEW_PROCESSING_REGISTER)
def dossier_view(request: AuthedRequest) -> HttpResponse:
    provinces = list(selectors.provinces_for(user=request.user))
    form = DossierForm(request.POST or None, provinces=provinces,
                       initial={"province": request.GET.get("province", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        province = selectors.get_province_for_user(user=request.user, code=data["province"])
        made = dossier.assemble(province=province, controller=data["controller"],
                                address=data["address"], officer=data["officer"],
                                officer_contact=data["officer_contact"])
        kind = data["format"] or "pdf"
        event_record(actor=request.user, action=Action.EXPORT, unit=province,
                     fields=["impact_assessment", kind], reason=province.code)
        name = f"ho-so-danh-gia-tac-dong-{province.code}-{made.made_on:%Y%m%d}"
        if kind == "docx":
            return attachment(dossier_docx.render(made), filename=f"{name}.docx",
                              content_type=dossier_docx.DOCX)
        # Imported on the first PDF: WeasyPrint loads Pango, which no other page needs.
        from treem.ui.pdf import render_pdf

        return render_pdf(request, "privacy/processing/dossier.html", {"d": made},
                          filename=f"{name}.pdf")
    return render(request, "privacy/processing/dossier_form.html", {
        "form": form, "provinces": provinces})

"""The register of processing activities for administrators, auditors and the province's
office, an administrator's edit of it, and the impact-assessment dossier a province files."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability, has_capability, require_capability
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.edits.conflicts import EditConflict
from treem.privacy.processing import dossier, selectors, services
from treem.privacy.processing.forms import ActivityForm, DossierForm
from treem.ui.forms import add_service_errors


@require_capability(Capability.VIEW_PROCESSING_REGISTER)
def register_view(request: AuthedRequest) -> HttpResponse:
    return render(request, "privacy/processing/register.html", {
        "activities": selectors.activities(),
        "can_manage": has_capability(request.user, Capability.MANAGE_PROCESSING_REGISTER),
        "can_print": selectors.dossier_provinces(user=request.user).exists()})


@require_capability(Capability.MANAGE_PROCESSING_REGISTER)
def activity_edit_view(request: AuthedRequest, record_kind: str) -> HttpResponse:
    activity = selectors.get_activity(record_kind=record_kind)
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
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, gettext("Đã lưu sổ đăng ký hoạt động xử lý dữ liệu."))
            return redirect("privacy:register")
    return render(request, "privacy/processing/edit.html", {
        "activity": activity, "form": form,
        "roles": selectors.roles_of(activity.capabilities)})


@require_capability(Capability.VIEW_PROCESSING_REGISTER)
def dossier_view(request: AuthedRequest) -> HttpResponse:
    provinces = list(selectors.dossier_provinces(user=request.user))
    form = DossierForm(request.POST or None, provinces=provinces)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        province = selectors.get_dossier_province(user=request.user, code=data["province"])
        made = dossier.assemble(province=province, controller=data["controller"],
                                address=data["address"], officer=data["officer"],
                                officer_contact=data["officer_contact"])
        event_record(actor=request.user, action=Action.EXPORT, unit=province,
                     fields=["impact_assessment"], reason=province.code)
        # Imported on the first PDF: WeasyPrint loads Pango, which no other page needs.
        from treem.ui.pdf import render_pdf

        return render_pdf(request, "privacy/processing/dossier.html", {"d": made},
                          filename=f"ho-so-danh-gia-tac-dong-{province.code}-"
                                   f"{made.made_on:%Y%m%d}.pdf")
    return render(request, "privacy/processing/dossier_form.html", {
        "form": form, "provinces": provinces})

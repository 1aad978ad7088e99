"""The consents on the child's page: recorded and withdrawn by who changes the child's record,
listed to who reads it; the signed form served to them, its read audited."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability, require_capability
from treem.audit.services import read_record
from treem.edits.conflicts import EditConflict
from treem.registry.consent import forms, selectors, services
from treem.registry.selectors import get_child_for_user
from treem.ui import uploads
from treem.ui.forms import error_text, form_errors_text


def _back(child_id: object) -> HttpResponse:
    return redirect(f"{reverse('registry:child_detail', args=[child_id])}#consents")


@require_capability(Capability.MANAGE_CHILDREN)
@require_POST
def consent_record_view(request: AuthedRequest, child_id: str) -> HttpResponse:
    view = get_child_for_user(user=request.user, child_id=child_id, for_write=True)
    form = forms.ConsentRecordForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return _back(view.child.public_id)
    data = dict(form.cleaned_data)
    upload = data.pop("form_file")
    try:
        services.consent_record(actor=request.user, child=view.child, form_data=upload.read(),
                                form_name=upload.name or "", **data)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Đã ghi sự đồng ý."))
    return _back(view.child.public_id)


@require_capability(Capability.MANAGE_CHILDREN)
@require_POST
def consent_withdraw_view(request: AuthedRequest, consent_id: str) -> HttpResponse:
    consent, view = selectors.get_consent_for_user(user=request.user, consent_id=consent_id,
                                                   for_write=True)
    form = forms.ConsentWithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return _back(view.child.public_id)
    try:
        services.consent_withdraw(actor=request.user, consent=consent,
                                  base_version=form.cleaned_data["base_version"],
                                  withdrawn_on=form.cleaned_data["withdrawn_on"],
                                  note=form.cleaned_data["withdrawal_note"])
    except EditConflict as conflict:
        messages.error(request, conflict.message)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Đã ghi việc rút lại sự đồng ý: tên, ảnh của trẻ dựa trên "
                                    "sự đồng ý này không còn hiển thị."))
    return _back(view.child.public_id)


@require_capability(Capability.VIEW_CHILDREN)
def consent_form_view(request: AuthedRequest, consent_id: str) -> FileResponse:
    consent, view = selectors.get_consent_for_user(user=request.user, consent_id=consent_id)
    read_record(actor=request.user, obj=consent, unit=view.child.commune,
                reason="signed consent form")
    return uploads.file_response(consent.form)

"""The province's DHIS2 table: what it maps and what not, its template, its import, and the
values exported with it. Thin: the rules are in selectors, importing and exporting."""

import json
import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability, require_capability
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.dhis2 import exporting, forms, importing, selectors
from treem.indicators import periods
from treem.indicators.dashboard import default_period
from treem.ui.downloads import JSON, attachment

# The periods the export offers: those of the indicators' picker and the last months (a
# DHIS2 data set may be monthly).
EXPORTED = (*periods.PICKED, ("month", 12))


@require_capability(Capability.MANAGE_CATALOGUE)
def home_view(request: AuthedRequest) -> HttpResponse:
    """The user's (first) province's table."""
    province = selectors.get_province_for_user(user=request.user)
    return redirect("dhis2:mapping", province_id=province.public_id)


@require_capability(Capability.MANAGE_CATALOGUE)
@require_http_methods(["GET", "POST"])
def mapping_view(request: AuthedRequest, province_id: uuid.UUID) -> HttpResponse:
    province = selectors.get_province_for_user(user=request.user, province_id=province_id)
    upload = forms.UploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and upload.is_valid():
        mapping, errors = importing.import_workbook(
            actor=request.user, province=province, content=upload.cleaned_data["file"].read())
        if mapping is not None:
            messages.success(request, _("Đã nhập bảng ánh xạ DHIS2 của %(province)s.")
                             % {"province": province.name})
            return redirect("dhis2:mapping", province_id=province.public_id)
    period = default_period()
    export = forms.ExportForm(initial={"period": period.code})
    export.fields["period"].offer(  # type: ignore[attr-defined]
        periods.picker_groups(today=timezone.localdate(), kinds=EXPORTED),
        (period.code, period.label))
    return render(request, "dhis2/mapping.html", {
        "province": province, "provinces": selectors.provinces_for(user=request.user),
        "coverage": selectors.coverage(province), "upload": upload, "errors": errors,
        "export": export})


@require_capability(Capability.MANAGE_CATALOGUE)
def template_view(request: AuthedRequest, province_id: uuid.UUID) -> HttpResponse:
    province = selectors.get_province_for_user(user=request.user, province_id=province_id)
    return attachment(importing.template(province), filename=f"dhis2-{province.code}.xlsx")


@require_capability(Capability.MANAGE_CATALOGUE)
def export_view(request: AuthedRequest, province_id: uuid.UUID) -> HttpResponse:
    """The province's values of a period with its UIDs, as the JSON file DHIS2 imports."""
    province = selectors.get_province_for_user(user=request.user, province_id=province_id)
    form = forms.ExportForm(request.GET)
    back = redirect("dhis2:mapping", province_id=province.public_id)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn kỳ."))
        return back
    try:
        period = periods.parse(form.cleaned_data["period"])
    except periods.PeriodError as error:
        messages.error(request, str(error))
        return back
    try:
        document = exporting.province_document(province, period,
                                               partial=form.cleaned_data["partial"])
    except (exporting.NoMapping, exporting.Unmapped) as error:
        messages.error(request, str(error))
        return back
    event_record(actor=request.user, action=Action.EXPORT, unit=province,
                 fields=["indicator_values", "dhis2", "mapped", period.code])
    response = attachment(json.dumps(document.body, ensure_ascii=False, indent=1),
                          filename=f"dhis2-{province.code}-{period.code}.json", content_type=JSON)
    response["X-Treem-Unmapped-Count"] = str(len(document.unmapped))
    return response

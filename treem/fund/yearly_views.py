"""The yearly fund report (`treem.fund.yearly`) for the fund's readers (its manager, the
province's office, its auditors): the page, and the files to send — Excel and PDF, each
download audited; attached by the manager to the province's yearly report and taken off it
(`treem.fund.yearly_attach`), and as it was frozen then."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability, require_capability
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.fund import public, selectors, yearly, yearly_attach, yearly_xlsx
from treem.fund.models import Fund
from treem.ui.downloads import attachment
from treem.ui.forms import error_text


def _report(request: AuthedRequest, fund_id: str, year: int) -> tuple[Fund, list[int],
                                                                       yearly.YearlyReport]:
    fund = selectors.get_fund_for_user(user=request.user, fund_id=fund_id)
    years = public.public_years(fund)
    if year not in years:
        raise Http404
    return fund, years, yearly.assemble(fund=fund, year=year)


def _filename(fund: Fund, year: int, extension: str) -> str:
    return f"bao-cao-quy-{year}-{str(fund.public_id)[:8]}.{extension}"


@require_capability(Capability.VIEW_FUND)
def yearly_view(request: AuthedRequest, fund_id: str, year: int) -> HttpResponse:
    fund, years, report = _report(request, fund_id, year)
    can_manage = request.user.in_scope(fund.unit_path, capability=Capability.MANAGE_FUND)
    return render(request, "fund/yearly/report.html", {
        "fund": fund, "years": years, "r": report.content(), "can_manage": can_manage,
        "candidates": yearly_attach.candidate_reports(fund=fund, year=year)
        if can_manage else [],
        "attached": yearly_attach.fund_attachments(fund=fund, year=year)})


@require_capability(Capability.VIEW_FUND)
def yearly_xlsx_view(request: AuthedRequest, fund_id: str, year: int) -> HttpResponse:
    fund, _years, report = _report(request, fund_id, year)
    content = yearly_xlsx.workbook(report.content())
    event_record(actor=request.user, action=Action.EXPORT, obj=fund, unit=fund.unit,
                 fields=["yearly", "xlsx"], reason=str(year))
    return attachment(content, filename=_filename(fund, year, "xlsx"))


@require_capability(Capability.VIEW_FUND)
def yearly_pdf_view(request: AuthedRequest, fund_id: str, year: int) -> HttpResponse:
    # Imported on the first PDF: WeasyPrint loads Pango, which no other page needs.
    from treem.ui.pdf import render_pdf

    fund, _years, report = _report(request, fund_id, year)
    event_record(actor=request.user, action=Action.EXPORT, obj=fund, unit=fund.unit,
                 fields=["yearly", "pdf"], reason=str(year))
    return render_pdf(request, "fund/yearly/print.html", {"r": report.content()},
                      filename=_filename(fund, year, "pdf"))


@require_capability(Capability.MANAGE_FUND)
@require_POST
def yearly_attach_view(request: AuthedRequest, fund_id: str, year: int) -> HttpResponse:
    fund = selectors.get_fund_for_user(user=request.user, fund_id=fund_id, for_write=True)
    if year not in public.public_years(fund):
        raise Http404
    report = yearly_attach.get_report_for_user(user=request.user,
                                               report_id=request.POST.get("report", ""))
    try:
        yearly_attach.yearly_attach(actor=request.user, fund=fund, year=year, report=report)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Đã đính kèm báo cáo năm %(year)s của quỹ vào %(report)s "
                                    "của %(unit)s.") % {"year": year,
                                                       "report": report.schedule.name,
                                                       "unit": report.unit.name})
    return redirect("fund:yearly", fund_id=fund.public_id, year=year)


@require_capability(Capability.VIEW_FUND)
def yearly_frozen_view(request: AuthedRequest, attachment_id: str) -> HttpResponse:
    """The yearly report as attached: what the periodic report carries."""
    item = yearly_attach.get_attachment_for_user(user=request.user,
                                                 attachment_id=attachment_id)
    return render(request, "fund/yearly/frozen.html", {
        "item": item, "fund": item.fund, "r": item.content,
        "can_detach": request.user.in_scope(item.fund.unit_path,
                                            capability=Capability.MANAGE_FUND)
        and yearly_attach.is_editable(item.report),
        "reads_report": any(request.user.in_scope(item.report.unit_path, capability=c)
                            for c in (Capability.WRITE_REPORTS, Capability.REVIEW_REPORTS))})


@require_capability(Capability.MANAGE_FUND)
@require_POST
def yearly_detach_view(request: AuthedRequest, attachment_id: str) -> HttpResponse:
    item = yearly_attach.get_attachment_for_user(user=request.user,
                                                 attachment_id=attachment_id)
    try:
        yearly_attach.yearly_detach(actor=request.user, item=item)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
        return redirect("fund:yearly_frozen", attachment_id=item.public_id)
    messages.success(request, _("Đã gỡ báo cáo năm của quỹ khỏi báo cáo định kỳ."))
    return redirect("fund:yearly", fund_id=item.fund.public_id, year=item.year)

"""The yearly fund report (`treem.fund.yearly`) for the fund's readers (its manager, the
province's office, its auditors): the page, and the files to send — Excel and PDF, each
download audited."""

from django.http import Http404, HttpResponse
from django.shortcuts import render

from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability, require_capability
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.fund import public, selectors, yearly, yearly_xlsx
from treem.fund.models import Fund
from treem.ui.downloads import attachment


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
    return render(request, "fund/yearly/report.html",
                  {"fund": fund, "years": years, "r": report.content()})


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

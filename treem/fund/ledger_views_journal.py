"""The journal's pages: every movement of the fund, newest first; one journal with its
postings and, for the manager, its reversal; the bank statement's import; the accountant's
workbook and the reconciliation of a month or a year."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability, require_capability
from treem.fund import importing, services
from treem.fund import ledger_forms as forms
from treem.fund import ledger_selectors as reads
from treem.fund.ledger_reports import (
    Period,
    journal_reference,
    journal_workbook,
    reconciliation,
)
from treem.fund.ledger_views import base, fund_for, paged
from treem.fund.models import JournalKind
from treem.fund.statement_reading import MAX_BYTES, MAX_ROWS
from treem.ui.downloads import attachment

REVERSIBLE = (JournalKind.RECEIPT, JournalKind.GOODS, JournalKind.RETURN)


@require_capability(Capability.VIEW_FUND)
def journal_list_view(request: AuthedRequest, fund_id: str) -> HttpResponse:
    fund = fund_for(request, fund_id)
    kind = request.GET.get("kind", "")
    kind = kind if kind in JournalKind.values else ""
    page, query = paged(request, reads.journal_list(fund=fund, kind=kind))
    return render(request, "fund/ledger/journal_list.html", {
        **base(request, fund), "page": page, "query": query, "kind": kind,
        "kinds": JournalKind.choices})


def _journal_page(request: AuthedRequest, journal_id: str, form: forms.ReverseForm | None,
                  status: int = 200) -> HttpResponse:
    journal = reads.get_journal_for_user(user=request.user, journal_id=journal_id)
    context = base(request, journal.fund)
    reversal = getattr(journal, "reversed_by", None)
    reversible = journal.kind in REVERSIBLE and reversal is None
    return render(request, "fund/ledger/journal_detail.html", {
        **context, "journal": journal, "reference": journal_reference(journal),
        "postings": reads.journal_postings(journal), "source": reads.journal_source(journal),
        "reversal": reversal, "reversal_reference": journal_reference(reversal)
        if reversal else "", "reverses_reference": journal_reference(journal.reverses)
        if journal.reverses else "",
        "form": form or (forms.ReverseForm() if reversible and context["can_manage"] else None)},
        status=status)


@require_capability(Capability.VIEW_FUND)
def journal_detail_view(request: AuthedRequest, journal_id: str) -> HttpResponse:
    return _journal_page(request, journal_id, None)


@require_capability(Capability.MANAGE_FUND)
@require_POST
def journal_reverse_view(request: AuthedRequest, journal_id: str) -> HttpResponse:
    """A mistake corrected by a reversing journal with its reason; the service's refusal (the
    money was spent since, already reversed…) shown on the journal's page."""
    journal = reads.get_journal_for_user(user=request.user, journal_id=journal_id,
                                         for_write=True)
    form = forms.ReverseForm(request.POST)
    if form.is_valid():
        try:
            reversal = services.journal_reverse(actor=request.user, journal=journal,
                                                reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as error:
            forms.service_errors(form, error)
        else:
            messages.success(request, _("Đã đảo bút toán %(ref)s.") % {
                "ref": journal_reference(journal)})
            return redirect("fund:journal_detail", journal_id=reversal.public_id)
    return _journal_page(request, journal_id, form)


@require_capability(Capability.MANAGE_FUND)
@require_http_methods(["GET", "POST"])
def statement_import_view(request: AuthedRequest, fund_id: str) -> HttpResponse:
    """A bank statement's credits received as receipts, read while the page waits (at most
    MAX_ROWS rows), and the report of each row."""
    fund = fund_for(request, fund_id, for_write=True)
    form = forms.StatementForm(request.POST or None, request.FILES or None, fund=fund)
    report = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        earmark = reads.earmarks(fund).filter(key=data["earmark"]).first()
        try:
            report = importing.statement_import(
                actor=request.user, fund=fund, file=data["file"], mode=data["mode"],
                restriction=earmark, create_donors=data["create_donors"])
        except (ValidationError, PermissionDenied) as error:
            forms.service_errors(form, error)
    return render(request, "fund/ledger/statement_import.html", {
        **base(request, fund), "form": form, "report": report, "max_rows": MAX_ROWS,
        "max_mb": MAX_BYTES // (1024 * 1024)})


def _period(request: AuthedRequest) -> tuple[forms.PeriodForm, Period | None]:
    """The month or year asked for; this year when nothing is asked."""
    data = request.GET if "year" in request.GET else {"year": timezone.localdate().year}
    picker = forms.PeriodForm(data)
    if not picker.is_valid():
        return picker, None
    return picker, Period(picker.cleaned_data["year"], picker.cleaned_data["month"])


@require_capability(Capability.VIEW_FUND)
def journal_export_view(request: AuthedRequest, fund_id: str) -> HttpResponse:
    """The journal of a month or a year as .xlsx, one row per posting (audited)."""
    fund = fund_for(request, fund_id)
    picker, period = _period(request)
    if period is None:
        return render(request, "fund/ledger/reconciliation.html", {
            **base(request, fund), "picker": picker, "period": None}, status=400)
    content = journal_workbook(actor=request.user, fund=fund, period=period)
    return attachment(content, filename=f"nhat-ky-quy-{period.slug}.xlsx")


@require_capability(Capability.VIEW_FUND)
def reconciliation_view(request: AuthedRequest, fund_id: str) -> HttpResponse:
    """Each earmark's opening balance, movements and closing balance for a month or a year,
    checked: opening + received − disbursed − returned = closing."""
    fund = fund_for(request, fund_id)
    picker, period = _period(request)
    rows, total = reconciliation(fund, period) if period else ([], None)
    return render(request, "fund/ledger/reconciliation.html", {
        **base(request, fund), "picker": picker, "period": period, "rows": rows,
        "total": total, "query": request.GET.urlencode()})

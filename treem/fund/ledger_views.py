"""The fund ledger's pages: the funds a user reads, one fund's balances, its donors. The fund's
manager writes; the province's officers, the fund's approver and the auditors read. The other
pages are in `ledger_views_gifts` (money, goods, campaigns, pledges), `ledger_views_journal`
(the journal, the bank statement, the accountant's files) and `ledger_views_areas`."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability, require_capability
from treem.fund import gifts, selectors, services
from treem.fund import ledger_forms as forms
from treem.fund import ledger_selectors as reads
from treem.fund.models import Fund, Restriction
from treem.ui.pagination import CappedPaginator
from treem.ui.pickers import picker_results

PAGE_SIZE = 30
HISTORY_SIZE = 20


def fund_for(request: AuthedRequest, fund_id: Any, *, for_write: bool = False) -> Fund:
    return selectors.get_fund_for_user(user=request.user, fund_id=fund_id, for_write=for_write)


def paged(request: AuthedRequest, rows: Any, size: int = PAGE_SIZE,
          name: str = "page") -> tuple[Any, str]:
    """A page of `rows` and the query string of the other parameters, for its links."""
    page = CappedPaginator(rows, size).get_page(request.GET.get(name))
    query = request.GET.copy()
    query.pop(name, None)
    return page, query.urlencode()


def base(request: AuthedRequest, fund: Fund) -> dict[str, Any]:
    """What every ledger page of a fund shows: the fund, and whether the user keeps it."""
    return {"fund": fund, "can_manage": reads.may_manage(user=request.user, fund=fund)}


def gift_earmark(*, actor: Any, fund: Fund, form: forms.FundForm) -> Restriction:
    """The earmark chosen on a gift's form: one the fund has, or made now (in the caller's
    transaction, so that a gift refused leaves no earmark behind)."""
    spec = form.earmark_spec()
    if "key" in spec:
        found = reads.earmarks(fund).filter(key=spec["key"]).first()
        if found is None:
            raise ValidationError({"earmark": forms.EARMARK_CHOICE})
        return found
    return gifts.restriction_for(actor=actor, fund=fund, **spec)


def record_gift(request: AuthedRequest, fund: Fund, form: forms.FundForm,
                record: Any) -> Any:
    """`record(restriction)`, the service call of a gift, with its earmark, in one
    transaction; its refusal onto the form (then None, and nothing written)."""
    try:
        with transaction.atomic():
            return record(gift_earmark(actor=request.user, fund=fund, form=form))
    except (ValidationError, PermissionDenied) as error:
        forms.service_errors(form, error)
        return None


@require_capability(Capability.VIEW_FUND)
def home_view(request: AuthedRequest) -> HttpResponse:
    """The funds the user reads; straight to it when there is one (a province's people)."""
    funds = list(selectors.funds_for(user=request.user).order_by("unit__name", "id"))
    if len(funds) == 1:
        return redirect("fund:fund_detail", fund_id=funds[0].public_id)
    return render(request, "fund/ledger/home.html", {"funds": funds})


@require_capability(Capability.VIEW_FUND)
def fund_detail_view(request: AuthedRequest, fund_id: str) -> HttpResponse:
    fund = fund_for(request, fund_id)
    earmarks, total = reads.earmark_balances(fund)
    return render(request, "fund/ledger/fund_detail.html", {
        **base(request, fund), "earmarks": earmarks, "total": total,
        "holdings": reads.holdings(fund)})


@require_capability(Capability.VIEW_FUND)
def donor_list_view(request: AuthedRequest, fund_id: str) -> HttpResponse:
    """The fund's donors, searched by name: an organisation's or a giver's, never a child's,
    so `q` may sit in the address (a phone or tax code is never searched here)."""
    fund = fund_for(request, fund_id)
    search = forms.DonorSearchForm(request.GET)
    q = search.cleaned_data["q"].strip() if search.is_valid() else ""
    page, query = paged(request, reads.donor_list(fund=fund, q=q))
    return render(request, "fund/ledger/donor_list.html", {
        **base(request, fund), "search": search, "q": q, "page": page, "query": query})


@require_capability(Capability.VIEW_FUND)
def donor_search_view(request: AuthedRequest, fund_id: str) -> HttpResponse:
    """The donors matching what is typed, for the gift forms' picker."""
    fund = fund_for(request, fund_id)
    return picker_results(request, forms.DonorSource(fund))


@require_capability(Capability.MANAGE_FUND)
@require_http_methods(["GET", "POST"])
def donor_create_view(request: AuthedRequest, fund_id: str) -> HttpResponse:
    """A new donor. One that looks like a donor already listed (same phone, similar name) is
    refused with their names, until the officer ticks that it is someone else."""
    fund = fund_for(request, fund_id, for_write=True)
    form = forms.DonorForm(request.POST or None)
    similar: list[Any] = []
    if request.method == "POST" and form.is_valid():
        try:
            donor = services.donor_create(actor=request.user, fund=fund, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            data = form.cleaned_data
            similar = services.similar_donors(fund=fund, name=data["name"], phone=data["phone"])
            if similar and isinstance(error, ValidationError) \
                    and "name" in getattr(error, "error_dict", {}):
                form = forms.DonorForm(request.POST, asking=True)
                form.is_valid()
            else:
                similar = []
            forms.service_errors(form, error)
        else:
            messages.success(request, _("Đã thêm nhà tài trợ %(name)s.") % {"name": donor.name})
            return redirect("fund:donor_detail", donor_id=donor.public_id)
    return render(request, "fund/ledger/donor_form.html", {
        **base(request, fund), "form": form, "similar": similar})


@require_capability(Capability.VIEW_FUND)
def donor_detail_view(request: AuthedRequest, donor_id: str) -> HttpResponse:
    """A donor and its gifts: money received (paged), goods, pledges, and the totals."""
    donor = reads.get_donor_for_user(user=request.user, donor_id=donor_id)
    page, query = paged(request, reads.receipt_list(fund=donor.fund, donor=donor),
                        HISTORY_SIZE)
    return render(request, "fund/ledger/donor_detail.html", {
        **base(request, donor.fund), "donor": donor, "page": page, "query": query,
        "lots": reads.lot_list(fund=donor.fund, donor=donor),
        "pledges": reads.pledge_list(fund=donor.fund).filter(donor=donor),
        "totals": reads.donor_totals(donor)})

"""Money given back to a donor (a gift that cannot be used as it was earmarked): the fund
manager's page over `services.money_return`, which takes the fund's lock and refuses more than
the bucket holds."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability, require_capability
from treem.fund import ledger_selectors as reads
from treem.fund import services
from treem.fund.ledger_forms import service_errors
from treem.fund.ledger_forms_more import ReturnForm
from treem.fund.ledger_reports import journal_reference
from treem.fund.ledger_views import base, fund_for
from treem.fund.templatetags.fund_money import money


@require_capability(Capability.MANAGE_FUND)
@require_http_methods(["GET", "POST"])
def money_return_view(request: AuthedRequest, fund_id: str) -> HttpResponse:
    """The bucket (earmark, campaign) with its balance, the amount, day and reason; a refusal
    (above the balance, as the lock sees it) comes back on the form and writes nothing."""
    fund = fund_for(request, fund_id, for_write=True)
    form = ReturnForm(request.POST or None, held=reads.holdings(fund))
    if request.method == "GET" and request.GET.get("bucket") in form.held:
        form.initial["bucket"] = request.GET["bucket"]  # the link of a line of the fund's page
    if request.method == "POST" and form.is_valid():
        data, held = form.cleaned_data, form.held[form.cleaned_data["bucket"]]
        try:
            journal = services.money_return(
                actor=request.user, fund=fund, restriction=held.restriction,
                campaign=held.campaign, amount=data["amount"], day=data["day"],
                reason=data["reason"])
        except (ValidationError, PermissionDenied) as error:
            service_errors(form, error)
        else:
            messages.success(request, _("Đã ghi hoàn trả %(amount)s từ “%(earmark)s” "
                                        "(%(ref)s).") % {
                "amount": money(data["amount"]), "earmark": held.restriction,
                "ref": journal_reference(journal)})
            return redirect("fund:journal_detail", journal_id=journal.public_id)
    return render(request, "fund/ledger/return_form.html", {
        **base(request, fund), "form": form, "chosen": form.chosen()})

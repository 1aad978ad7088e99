"""Matching, for the fund manager: what the fund holds (money of an earmark, a campaign's,
goods of a lot with the quantity left), the approved needs it may pay for ranked, and an
allocation to one of them. When the same beneficiary already has a support of the same kind
in the period, the page shows why (the earlier supports found) and asks the officer's reason
to give it anyway; the override and its audit are the service's."""

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from treem.accounts.capabilities import Capability
from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import require_capability
from treem.fund import allocations, matching, needs
from treem.fund import needs_selectors as selectors
from treem.fund.beneficiaries import DoubleBeneficiary, Overlap
from treem.fund.matching import Held
from treem.fund.models import AllocationStatus, Need
from treem.fund.needs_forms import AllocateForm
from treem.ui.forms import add_service_errors

NOT_HELD = _("Quỹ không có khoản tiền, hàng này.")


def _key(item: Held) -> dict[str, Any]:
    """A bucket as the pages name it (its parts' ids), in a form or an address."""
    return {"restriction": item.restriction.pk,
            "campaign": item.campaign.pk if item.campaign else "",
            "lot": item.lot.pk if item.lot else ""}


def _initial(item: Held, remaining: int) -> dict[str, Any]:
    if item.lot is not None:
        return {**_key(item), "quantity": 1}
    return {**_key(item), "amount": max(min(remaining, item.amount), 1)}


@require_capability(Capability.MANAGE_FUND)
def match_view(request: AuthedRequest) -> HttpResponse:
    """The fund's holdings; for the one chosen (the first by default), the needs suggested."""
    funds = selectors.managed_funds(user=request.user)
    fund = next((f for f in funds if str(f.public_id) == request.GET.get("fund")),
                funds[0] if funds else None)
    items = selectors.holdings_for(fund) if fund else []
    chosen = (selectors.find_held(items, request.GET.get("restriction"),
                                  request.GET.get("campaign"), request.GET.get("lot"))
              if "restriction" in request.GET else (items[0] if items else None))
    rows = []
    if fund is not None and chosen is not None:
        for need in matching.suggestions(fund=fund, bucket=chosen.bucket,
                                         available=chosen.amount):
            # One form a row: ids of their own (one page, many forms).
            form = AllocateForm(goods=chosen.lot is not None, auto_id=f"need{need.pk}_%s",
                                initial=_initial(chosen, need.remaining))  # type: ignore[attr-defined]
            rows.append((need, form))
    return render(request, "fund/needs/match.html", {
        "funds": funds, "fund": fund, "items": [(item, _key(item)) for item in items],
        "chosen": chosen, "chosen_key": _key(chosen) if chosen else None, "rows": rows})


@require_capability(Capability.MANAGE_FUND)
@require_http_methods(["GET", "POST"])
def allocate_view(request: AuthedRequest, need_id: uuid.UUID) -> HttpResponse:
    """An allocation to one approved need: the buckets that may pay for it, then the amount
    (or quantity of goods) from the one chosen."""
    need = needs.get_need_for_user(user=request.user, need_id=need_id)
    if not request.user.in_scope(need.fund.unit_path, capability=Capability.MANAGE_FUND):
        raise PermissionDenied
    items = selectors.holdings_for(need.fund, need)
    source = request.POST if request.method == "POST" else request.GET
    chosen = selectors.find_held(items, source.get("restriction"), source.get("campaign"),
                                 source.get("lot"))
    bucket = selectors.bucket_of(need.fund, source.get("restriction"), source.get("campaign"),
                                 source.get("lot"))
    remaining = matching.with_remaining(Need.objects.filter(pk=need.pk)).get().remaining  # type: ignore[attr-defined]
    goods = bucket is not None and bucket.lot is not None
    form = AllocateForm(request.POST if request.method == "POST" else None, goods=goods,
                        initial=_initial(chosen, remaining) if chosen else None)
    found: list[Overlap] = []
    if request.method == "POST" and form.is_valid():
        if bucket is None:
            form.add_error(None, NOT_HELD)
        else:
            try:
                allocation = allocations.allocate(
                    actor=request.user, need=need, bucket=bucket,
                    amount=form.cleaned_data.get("amount") or 0,
                    quantity=form.cleaned_data.get("quantity") or 0,
                    override_reason=form.cleaned_data["override_reason"])
            except DoubleBeneficiary as error:
                found = error.found
                add_service_errors(form, error)
            except (ValidationError, PermissionDenied) as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _(
                    "Đã phân bổ %(ref)s: chờ lãnh đạo phê duyệt vì vượt mức phải duyệt.")
                    % {"ref": allocation.reference}
                    if allocation.status == AllocationStatus.AWAITING_APPROVAL
                    else _("Đã phân bổ %(ref)s: xã có thể trao hỗ trợ.")
                    % {"ref": allocation.reference})
                return redirect("fund:allocation_detail", allocation_id=allocation.public_id)
    return render(request, "fund/needs/allocate.html", {
        "need": need, "remaining": remaining,
        # The sources to switch to: the one on the page is not offered again.
        "others": [(item, _key(item)) for item in items if item is not chosen],
        "chosen": chosen,
        "bucket": bucket, "form": form, "found": found,
        "asks_override": bool(found) or bool(form.data.get("override_reason"))})

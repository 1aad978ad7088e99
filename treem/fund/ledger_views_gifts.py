"""The pages of what donors give: money received, goods received in lots, campaigns with
their progress, pledges. Each gift carries its earmark, chosen among the fund's or made on the
form (a named child's never here: only an officer earmarks for a child)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability, require_capability
from treem.fund import gifts, services
from treem.fund import ledger_forms as forms
from treem.fund import ledger_selectors as reads
from treem.fund.ledger_views import base, fund_for, paged, record_gift
from treem.fund.models import PledgeStatus
from treem.ui.forms import error_text, form_errors_text


@require_capability(Capability.VIEW_FUND)
def receipt_list_view(request: AuthedRequest, fund_id: str) -> HttpResponse:
    fund = fund_for(request, fund_id)
    picker = forms.ReceiptFilterForm(request.GET, fund=fund)
    filters = picker.filters()
    page, query = paged(request, reads.receipt_list(fund=fund, **filters))
    return render(request, "fund/ledger/receipt_list.html", {
        **base(request, fund), "picker": picker, "page": page, "query": query,
        "filtered": bool(filters)})


@require_capability(Capability.MANAGE_FUND)
@require_http_methods(["GET", "POST"])
def receipt_create_view(request: AuthedRequest, fund_id: str) -> HttpResponse:
    """Money received: from a donor, by bank transfer (its reference, once) or in cash (its
    receipt number), under an earmark, for a campaign or a pledge."""
    fund = fund_for(request, fund_id, for_write=True)
    form = forms.ReceiptForm(request.POST or None, fund=fund,
                             initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        receipt = record_gift(request, fund, form, lambda restriction: services.receipt_record(
            actor=request.user, fund=fund, donor=data["donor"], amount=data["amount"],
            received_on=data["received_on"], channel=data["channel"],
            receipt_number=data["receipt_number"], bank_reference=data["bank_reference"],
            restriction=restriction, campaign=data["campaign"], pledge=data["pledge"]))
        if receipt is not None:
            messages.success(request, _("Đã ghi nhận khoản tiền của %(donor)s.") % {
                "donor": receipt.donor.name})
            return redirect("fund:receipt_list", fund_id=fund.public_id)
    return render(request, "fund/ledger/gift_form.html", {
        **base(request, fund), "form": form, "title": _("Ghi nhận tiền tài trợ"),
        "back": "fund:receipt_list", "back_label": _("Tiền đã nhận")})


@require_capability(Capability.VIEW_FUND)
def lot_list_view(request: AuthedRequest, fund_id: str) -> HttpResponse:
    """The goods received, each lot with what is left of it (quantity and value)."""
    fund = fund_for(request, fund_id)
    page, query = paged(request, reads.lot_list(fund=fund))
    return render(request, "fund/ledger/lot_list.html", {
        **base(request, fund), "page": page, "query": query})


@require_capability(Capability.MANAGE_FUND)
@require_http_methods(["GET", "POST"])
def lot_create_view(request: AuthedRequest, fund_id: str) -> HttpResponse:
    fund = fund_for(request, fund_id, for_write=True)
    form = forms.LotForm(request.POST or None, fund=fund,
                         initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        lot = record_gift(request, fund, form, lambda restriction: gifts.goods_receive(
            actor=request.user, fund=fund, donor=data["donor"],
            description=data["description"], quantity=data["quantity"],
            measure=data["measure"], value=data["value"], valuation=data["valuation"],
            received_on=data["received_on"], restriction=restriction,
            campaign=data["campaign"], pledge=data["pledge"]))
        if lot is not None:
            messages.success(request, _("Đã ghi nhận hiện vật: %(lot)s.") % {"lot": str(lot)})
            return redirect("fund:lot_list", fund_id=fund.public_id)
    return render(request, "fund/ledger/gift_form.html", {
        **base(request, fund), "form": form, "title": _("Ghi nhận hiện vật"),
        "back": "fund:lot_list", "back_label": _("Hiện vật đã nhận")})


@require_capability(Capability.VIEW_FUND)
def campaign_list_view(request: AuthedRequest, fund_id: str) -> HttpResponse:
    """The campaigns with their goal and what they raised so far."""
    fund = fund_for(request, fund_id)
    page, query = paged(request, reads.campaign_list(fund=fund))
    return render(request, "fund/ledger/campaign_list.html", {
        **base(request, fund), "page": page, "query": query})


@require_capability(Capability.MANAGE_FUND)
@require_http_methods(["GET", "POST"])
def campaign_create_view(request: AuthedRequest, fund_id: str) -> HttpResponse:
    fund = fund_for(request, fund_id, for_write=True)
    form = forms.CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = gifts.campaign_create(actor=request.user, fund=fund, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            forms.service_errors(form, error)
        else:
            messages.success(request, _("Đã tạo đợt vận động %(name)s.") % {
                "name": campaign.name})
            return redirect("fund:campaign_list", fund_id=fund.public_id)
    return render(request, "fund/ledger/simple_form.html", {
        **base(request, fund), "form": form, "title": _("Đợt vận động mới"),
        "back": "fund:campaign_list", "back_label": _("Đợt vận động"),
        "submit": _("Tạo đợt vận động")})


@require_capability(Capability.VIEW_FUND)
def pledge_list_view(request: AuthedRequest, fund_id: str) -> HttpResponse:
    fund = fund_for(request, fund_id)
    status = request.GET.get("status", "")
    status = status if status in PledgeStatus.values else ""
    page, query = paged(request, reads.pledge_list(fund=fund, status=status))
    return render(request, "fund/ledger/pledge_list.html", {
        **base(request, fund), "page": page, "query": query, "status": status,
        "statuses": PledgeStatus.choices, "close_form": forms.PledgeCloseForm()})


@require_capability(Capability.MANAGE_FUND)
@require_http_methods(["GET", "POST"])
def pledge_create_view(request: AuthedRequest, fund_id: str) -> HttpResponse:
    fund = fund_for(request, fund_id, for_write=True)
    form = forms.PledgeForm(request.POST or None, fund=fund,
                            initial={"pledged_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        pledge = record_gift(request, fund, form, lambda restriction: gifts.pledge_create(
            actor=request.user, fund=fund, donor=data["donor"], pledged_on=data["pledged_on"],
            due_on=data["due_on"], amount=data["amount"] or 0, goods=data["goods"],
            restriction=restriction, campaign=data["campaign"]))
        if pledge is not None:
            messages.success(request, _("Đã ghi cam kết của %(donor)s.") % {
                "donor": pledge.donor.name})
            return redirect("fund:pledge_list", fund_id=fund.public_id)
    return render(request, "fund/ledger/gift_form.html", {
        **base(request, fund), "form": form, "title": _("Cam kết tài trợ mới"),
        "back": "fund:pledge_list", "back_label": _("Cam kết tài trợ")})


@require_capability(Capability.MANAGE_FUND)
@require_POST
def pledge_close_view(request: AuthedRequest, pledge_id: str) -> HttpResponse:
    """A pledge received in full, or cancelled with its reason."""
    pledge = reads.get_pledge_for_user(user=request.user, pledge_id=pledge_id, for_write=True)
    form = forms.PledgeCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
    else:
        try:
            gifts.pledge_close(actor=request.user, pledge=pledge, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Đã cập nhật cam kết của %(donor)s.") % {
                "donor": pledge.donor.name})
    return redirect("fund:pledge_list", fund_id=pledge.fund.public_id)

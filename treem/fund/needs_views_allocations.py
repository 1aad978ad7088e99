"""Allocations and deliveries: the allocations of the user's area (those waiting for the
approver first for who approves), one allocation with its delivery and proofs, the
approver's decision (never on its own allocation: the service says so), the manager's
cancellation, the delivery recorded with 1–5 proof files, and a proof file served to whoever
reads its allocation (never publicly)."""

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from treem.accounts.capabilities import Capability
from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import require_capability
from treem.fund import allocations
from treem.fund import exceptions as exc
from treem.fund import needs_selectors as selectors
from treem.fund.allocations import MAX_PROOFS, Proof
from treem.fund.models import Allocation, AllocationStatus, ProofKind
from treem.fund.needs_forms import DecisionForm, DeliveryForm, ReasonForm
from treem.ui import uploads
from treem.ui.forms import add_service_errors
from treem.ui.pagination import CappedPaginator

PAGE_SIZE = 30
# Why an allocation cannot be delivered now, in the service's words.
NOT_DELIVERABLE = {AllocationStatus.CANCELLED: exc.DELIVERY_CANCELLED,
                   AllocationStatus.AWAITING_APPROVAL: exc.DELIVERY_NOT_APPROVED,
                   AllocationStatus.DELIVERED: exc.ALREADY_DELIVERED}


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Tình trạng"), required=False,
                               choices=[("", gettext_lazy("Mọi tình trạng")),
                                        *AllocationStatus.choices])


@require_capability(Capability.VIEW_NEEDS)
def allocation_list_view(request: AuthedRequest) -> HttpResponse:
    picker = StatusForm(request.GET or None)
    status = picker.cleaned_data["status"] if picker.is_valid() else ""
    page = CappedPaginator(selectors.allocation_list(user=request.user, status=status),
                           PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    # A child's or household's name only to who reads it in the register, as the needs list.
    names = selectors.beneficiary_names(user=request.user, needs=[a.need for a in shown])
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "fund/needs/allocation_list.html", {
        "page": page, "rows": [(a, names.get(a.need_id)) for a in shown],
        "picker": picker, "query": query.urlencode(), "status": status,
        "awaiting": selectors.awaiting_count(user=request.user),
        "awaiting_status": AllocationStatus.AWAITING_APPROVAL})


def _detail(request: AuthedRequest, allocation: Allocation, *,
            decide_form: DecisionForm | None = None,
            cancel_form: ReasonForm | None = None) -> HttpResponse:
    user = request.user
    fund_path = allocation.fund.unit_path
    can_decide = (allocation.status == AllocationStatus.AWAITING_APPROVAL
                  and user.in_scope(fund_path, capability=Capability.APPROVE_ALLOCATIONS))
    can_cancel = (allocation.status in (AllocationStatus.AWAITING_APPROVAL,
                                        AllocationStatus.APPROVED)
                  and user.in_scope(fund_path, capability=Capability.MANAGE_FUND))
    delivery = getattr(allocation, "delivery", None)
    return render(request, "fund/needs/allocation_detail.html", {
        "allocation": allocation, "need": allocation.need,
        "name": selectors.beneficiary_names(user=user, needs=[allocation.need]
                                            ).get(allocation.need_id),
        "delivery": delivery, "proofs": selectors.proofs_of(allocation) if delivery else [],
        "can_decide": can_decide, "can_cancel": can_cancel,
        "can_deliver": (allocation.status == AllocationStatus.APPROVED
                        and allocations.may_deliver(user, allocation)),
        "decide_form": decide_form or (DecisionForm() if can_decide else None),
        "cancel_form": cancel_form or (ReasonForm() if can_cancel else None)})


@require_capability(Capability.VIEW_NEEDS)
def allocation_detail_view(request: AuthedRequest, allocation_id: uuid.UUID) -> HttpResponse:
    allocation = selectors.get_allocation_for_user(user=request.user,
                                                   allocation_id=allocation_id)
    return _detail(request, allocation)


@require_capability(Capability.APPROVE_ALLOCATIONS)
@require_POST
def allocation_decide_view(request: AuthedRequest, allocation_id: uuid.UUID) -> HttpResponse:
    allocation = selectors.get_allocation_for_user(user=request.user,
                                                   allocation_id=allocation_id)
    if not request.user.in_scope(allocation.fund.unit_path,
                                 capability=Capability.APPROVE_ALLOCATIONS):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            allocations.allocation_decide(actor=request.user, allocation=allocation,
                                          approve=form.approve,
                                          reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as error:
            # Among them the maker's own allocation: the service's words, shown as they are.
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã phê duyệt phân bổ.") if form.approve
                             else _("Đã không phê duyệt: tiền, hàng trở lại quỹ."))
            return redirect("fund:allocation_detail", allocation_id=allocation.public_id)
    return _detail(request, allocation, decide_form=form)


@require_capability(Capability.MANAGE_FUND)
@require_POST
def allocation_cancel_view(request: AuthedRequest, allocation_id: uuid.UUID) -> HttpResponse:
    allocation = selectors.get_allocation_for_user(user=request.user,
                                                   allocation_id=allocation_id)
    if not request.user.in_scope(allocation.fund.unit_path, capability=Capability.MANAGE_FUND):
        raise PermissionDenied
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            allocations.allocation_cancel(actor=request.user, allocation=allocation,
                                          reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã hủy phân bổ: tiền, hàng trở lại quỹ."))
            return redirect("fund:allocation_detail", allocation_id=allocation.public_id)
    return _detail(request, allocation, cancel_form=form)


def _uploads(request: AuthedRequest) -> list[tuple[str, Any]]:
    """The files posted, each with its kind (the field it came in)."""
    return [(kind, upload) for kind in (ProofKind.SIGNED_RECEIPT, ProofKind.PHOTO)
            for upload in request.FILES.getlist(kind)]


@require_capability(Capability.RECORD_DELIVERIES)
@require_http_methods(["GET", "POST"])
def delivery_record_view(request: AuthedRequest, allocation_id: uuid.UUID) -> HttpResponse:
    """The support handed over: its day, a note and 1–5 proofs (a signed receipt, photos),
    each refused by its size before it is read."""
    allocation = selectors.get_allocation_for_user(user=request.user,
                                                   allocation_id=allocation_id)
    if not allocations.may_deliver(request.user, allocation):
        raise PermissionDenied
    form = DeliveryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        files = _uploads(request)
        too_large = next((message for _kind, upload in files
                          if (message := uploads.size_refusal(upload.size)) is not None), None)
        if too_large is not None:
            form.add_error(None, too_large)
        elif len(files) > MAX_PROOFS:  # refused before any is read
            form.add_error(None, exc.TOO_MANY_PROOFS % {"n": MAX_PROOFS})
        else:
            try:
                allocations.delivery_record(
                    actor=request.user, allocation=allocation,
                    delivered_on=form.cleaned_data["delivered_on"],
                    note=form.cleaned_data["note"],
                    proofs=[Proof(kind, upload.read(), upload.name or "")
                            for kind, upload in files])
            except (ValidationError, PermissionDenied) as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Đã ghi nhận trao hỗ trợ."))
                return redirect("fund:allocation_detail", allocation_id=allocation.public_id)
    return render(request, "fund/needs/delivery_form.html", {
        "allocation": allocation, "form": form, "max_proofs": MAX_PROOFS,
        "refusal": NOT_DELIVERABLE.get(AllocationStatus(allocation.status))})


@require_capability(Capability.VIEW_NEEDS)
def proof_file_view(request: AuthedRequest, proof_id: uuid.UUID) -> FileResponse:
    proof = selectors.get_proof_for_user(user=request.user, proof_id=proof_id)
    return uploads.file_response(proof)

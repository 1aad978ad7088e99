"""The needs list's pages: the needs of the user's area (a child's name only to who reads the
child in the register), its export for the province, a need proposed by the commune (a child
found by a name posted, never in an address), one need with its priority's reasons, its
allocations and deliveries, and the province's decision or the commune's withdrawal.

Matching and allocations are in `needs_views_matching` and `needs_views_allocations`."""

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from treem.accounts.capabilities import Capability
from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import require_capability
from treem.fund import needs, needs_exporting
from treem.fund import needs_selectors as selectors
from treem.fund.models import AllocationStatus, Beneficiary, Need, NeedStatus
from treem.fund.needs_forms import (
    DecisionForm,
    ExportForm,
    NeedFilterForm,
    NeedForm,
    ReasonForm,
    SearchForm,
)
from treem.geo.models import Unit
from treem.ui.downloads import attachment
from treem.ui.forms import add_service_errors
from treem.ui.pagination import CappedPaginator, count_capped

PAGE_SIZE = 30
SHOWN = 20  # children or households a search shows: a name typed further narrows it


def _filtered(request: AuthedRequest) -> tuple[NeedFilterForm, Any, str]:
    """The list's filter as the address gives it, the needs it keeps, and the address's query
    without its page."""
    picker = NeedFilterForm(request.GET or None,
                            communes=selectors.communes_read(user=request.user))
    rows = selectors.need_list(user=request.user, filters=picker.filters())
    query = request.GET.copy()
    query.pop("page", None)
    return picker, rows, query.urlencode()


@require_capability(Capability.VIEW_NEEDS)
def need_list_view(request: AuthedRequest) -> HttpResponse:
    picker, rows, query = _filtered(request)
    page = CappedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    names = selectors.beneficiary_names(user=request.user, needs=shown)
    return render(request, "fund/needs/need_list.html", {
        "page": page, "picker": picker, "query": query,
        "rows": [(need, names.get(need.pk)) for need in shown],
        "filtered": any(request.GET.get(name) for name in ("status", "kind", "year", "commune")),
        "can_propose": bool(request.user.has_capability(Capability.PROPOSE_NEEDS)
                            and selectors.communes_to_propose(user=request.user)),
        "can_export": request.user.has_capability(Capability.VIEW_FUND),
        "can_match": bool(selectors.managed_funds(user=request.user))})


@require_capability(Capability.VIEW_FUND)
@require_http_methods(["GET", "POST"])
def need_export_view(request: AuthedRequest) -> HttpResponse:
    """Asks why (the reason goes to the audit trail), then sends the filtered list as .xlsx."""
    picker, rows, query = _filtered(request)
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            content = needs_exporting.needs_export(actor=request.user, needs=rows,
                                                   reason=form.cleaned_data["reason"],
                                                   unit=_scope_unit(request))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return attachment(content, filename=needs_exporting.export_filename())
    return render(request, "fund/needs/need_export.html", {
        "form": form, "picker": picker, "query": query, "count": count_capped(rows)})


def _scope_unit(request: AuthedRequest) -> Unit | None:
    """Where an export of the user's needs belongs in the audit trail: its widest unit."""
    paths = request.user.scope_paths(capability=Capability.VIEW_FUND)
    return Unit.objects.current().filter(path__in=paths).order_by("path").first()


@require_capability(Capability.PROPOSE_NEEDS)
@require_http_methods(["GET", "POST"])
def need_propose_view(request: AuthedRequest) -> HttpResponse:
    """First whom the need is for (a page of links), then its form: for a child or a household,
    a name searched (posted) and one chosen among those found."""
    communes = selectors.communes_to_propose(user=request.user)
    if not communes:
        raise PermissionDenied
    beneficiary = request.POST.get("beneficiary") or request.GET.get("beneficiary", "")
    if beneficiary not in Beneficiary.values:
        return render(request, "fund/needs/need_propose_pick.html",
                      {"beneficiaries": Beneficiary.choices})
    searched = beneficiary in (Beneficiary.CHILD, Beneficiary.HOUSEHOLD)
    search = SearchForm(request.POST if request.method == "POST" else None)
    q = search.cleaned_data.get("q", "") if searched and search.is_valid() else ""
    found: list[Any] = []
    if q and beneficiary == Beneficiary.CHILD:
        found = selectors.children_to_propose(user=request.user, q=q, limit=SHOWN + 1)
    elif q:
        found = selectors.households_to_propose(user=request.user, q=q, limit=SHOWN + 1)
    more, found = len(found) > SHOWN, found[:SHOWN]
    proposing = request.method == "POST" and "kind" in request.POST
    form = NeedForm(request.POST if proposing else None, beneficiary=beneficiary,
                    kinds=selectors.kinds_for(beneficiary), children=found, households=found,
                    communes=communes, auto_id="need_%s",  # the search's box is id_q
                    initial={"beneficiary": beneficiary, "q": q,
                             "commune": communes[0].public_id if len(communes) == 1 else None})
    if proposing and form.is_valid():
        try:
            need = needs.need_propose(actor=request.user, **form.service_values())
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã đề xuất nhu cầu %(ref)s: chờ tỉnh duyệt.")
                             % {"ref": need.reference})
            return redirect("fund:need_detail", need_id=need.public_id)
    return render(request, "fund/needs/need_propose.html", {
        "beneficiary": beneficiary, "label": Beneficiary(beneficiary).label,
        "searched": searched, "search": search, "q": q, "found": found, "more": more,
        "form": form, "show_form": not searched or bool(found)})


def _detail(request: AuthedRequest, need: Need, *, decide_form: DecisionForm | None = None,
            cancel_form: ReasonForm | None = None) -> HttpResponse:
    user = request.user
    allocations = selectors.allocations_of(need)
    live = any(a.status != AllocationStatus.CANCELLED for a in allocations)
    can_decide = (need.status == NeedStatus.PROPOSED
                  and user.in_scope(need.unit_path, capability=Capability.APPROVE_NEEDS))
    can_cancel = (need.status in (NeedStatus.PROPOSED, NeedStatus.APPROVED) and not live
                  and user.in_scope(need.unit_path, capability=Capability.PROPOSE_NEEDS))
    return render(request, "fund/needs/need_detail.html", {
        "need": need, "name": needs.names_shown(user=user, needs=[need]).get(need.pk),
        "household": selectors.household_shown(user=user, need=need),
        "reasons": needs.priority_reasons(need), "allocations": allocations,
        "can_decide": can_decide, "can_cancel": can_cancel,
        "can_allocate": (need.status == NeedStatus.APPROVED and user.in_scope(
            need.fund.unit_path, capability=Capability.MANAGE_FUND)),
        "decide_form": decide_form or (DecisionForm() if can_decide else None),
        "cancel_form": cancel_form or (ReasonForm() if can_cancel else None)})


@require_capability(Capability.VIEW_NEEDS)
def need_detail_view(request: AuthedRequest, need_id: uuid.UUID) -> HttpResponse:
    need = needs.get_need_for_user(user=request.user, need_id=need_id)
    return _detail(request, need)


@require_capability(Capability.APPROVE_NEEDS)
@require_POST
def need_decide_view(request: AuthedRequest, need_id: uuid.UUID) -> HttpResponse:
    need = needs.get_need_for_user(user=request.user, need_id=need_id)
    if not request.user.in_scope(need.unit_path, capability=Capability.APPROVE_NEEDS):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            needs.need_decide(actor=request.user, need=need, approve=form.approve,
                              reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã duyệt nhu cầu.") if form.approve
                             else _("Đã không duyệt nhu cầu, lý do được gửi cho xã."))
            return redirect("fund:need_detail", need_id=need.public_id)
    return _detail(request, need, decide_form=form)


@require_capability(Capability.PROPOSE_NEEDS)
@require_POST
def need_cancel_view(request: AuthedRequest, need_id: uuid.UUID) -> HttpResponse:
    """A need withdrawn by its commune (the child moved, the need was met otherwise)."""
    need = needs.get_need_for_user(user=request.user, need_id=need_id)
    if not request.user.in_scope(need.unit_path, capability=Capability.PROPOSE_NEEDS):
        raise PermissionDenied
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            needs.need_cancel(actor=request.user, need=need, reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã rút nhu cầu khỏi danh sách."))
            return redirect("fund:need_detail", need_id=need.public_id)
    return _detail(request, need, cancel_form=form)

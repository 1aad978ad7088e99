"""Pages of the review queue of likely duplicates, and of the merge log for administrators."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability, require_capability
from treem.audit.services import read_record
from treem.registry.dedup import forms, jobs, merging, selectors
from treem.registry.models import DuplicatePair
from treem.ui.forms import error_text, form_errors_text
from treem.ui.pagination import CappedPaginator

PAGE_SIZE = 25


@require_capability(Capability.MERGE_CHILDREN)
def duplicate_list_view(request: AuthedRequest) -> HttpResponse:
    status = request.GET.get("status", DuplicatePair.Status.OPEN)
    if status not in selectors.STATUSES:
        status = DuplicatePair.Status.OPEN
    page = CappedPaginator(selectors.pair_list(user=request.user, status=status),
                           PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/duplicate_list.html", {
        "page": page, "status": status, "statuses": DuplicatePair.Status.choices,
        "provinces": selectors.provinces_to_search(user=request.user),
        "searches": selectors.last_searches(user=request.user)[:3]})


@require_capability(Capability.MERGE_CHILDREN)
@require_POST
def duplicate_search_view(request: AuthedRequest) -> HttpResponse:
    provinces = selectors.provinces_to_search(user=request.user)
    chosen = request.POST.get("province", "")
    province = next((p for p in provinces if str(p.public_id) == chosen), None)
    if province is None:
        raise Http404
    try:
        jobs.search_start(actor=request.user, province=province)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Đã bắt đầu tìm hồ sơ trùng. Kết quả hiện ở đây khi xong."))
    return redirect("registry:duplicate_list")


def _pair_page(request: AuthedRequest, pair: DuplicatePair, merge_form: forms.MergeForm,
               dismiss_form: forms.DismissForm) -> HttpResponse:
    for child in (pair.child_a, pair.child_b):
        read_record(actor=request.user, obj=child, unit=child.village or child.commune)
    return render(request, "registry/duplicate_detail.html", {
        "pair": pair, "rows": selectors.side_by_side(pair), "merge_form": merge_form,
        "dismiss_form": dismiss_form,
        "open": pair.status == DuplicatePair.Status.OPEN
        and not (pair.child_a.merged_into_id or pair.child_b.merged_into_id)})


@require_capability(Capability.MERGE_CHILDREN)
def duplicate_detail_view(request: AuthedRequest, pair_id: str) -> HttpResponse:
    pair = selectors.get_pair_for_user(user=request.user, pair_id=pair_id)
    return _pair_page(request, pair, forms.MergeForm(), forms.DismissForm())


@require_capability(Capability.MERGE_CHILDREN)
@require_POST
def duplicate_merge_view(request: AuthedRequest, pair_id: str) -> HttpResponse:
    pair = selectors.get_pair_for_user(user=request.user, pair_id=pair_id)
    form = forms.MergeForm(request.POST)
    if form.is_valid():
        kept, merged = ((pair.child_a, pair.child_b) if form.cleaned_data["kept"] == "a"
                        else (pair.child_b, pair.child_a))
        if pair.status != DuplicatePair.Status.OPEN:
            messages.error(request, _("Cặp hồ sơ này đã được xử lý."))
            return redirect("registry:duplicate_detail", pair_id=pair.public_id)
        try:
            merge = merging.child_merge(actor=request.user, kept=kept, merged=merged,
                                        reason=form.cleaned_data["reason"], pair=pair)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Đã gộp hồ sơ (mã gộp %(ref)s).")
                             % {"ref": merge.reference})
            return redirect("registry:child_detail", child_id=kept.public_id)
    return _pair_page(request, pair, form, forms.DismissForm())


@require_capability(Capability.MERGE_CHILDREN)
@require_POST
def duplicate_dismiss_view(request: AuthedRequest, pair_id: str) -> HttpResponse:
    pair = selectors.get_pair_for_user(user=request.user, pair_id=pair_id)
    form = forms.DismissForm(request.POST)
    if not form.is_valid():
        return _pair_page(request, pair, forms.MergeForm(), form)
    try:
        merging.pair_dismiss(actor=request.user, pair=pair, note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("registry:duplicate_detail", pair_id=pair.public_id)
    messages.success(request, _("Đã ghi nhận: hai hồ sơ không trùng."))
    return redirect("registry:duplicate_list")


@require_capability(Capability.UNMERGE_CHILDREN)
def merge_list_view(request: AuthedRequest) -> HttpResponse:
    search = forms.ReferenceForm(request.GET or None)
    ref = search.cleaned_data.get("ref", "") if search.is_valid() else ""
    page = CappedPaginator(selectors.merge_list(user=request.user, reference=ref),
                           PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/merge_list.html", {
        "page": page, "ref": ref, "undo_form": forms.UndoForm()})


@require_capability(Capability.UNMERGE_CHILDREN)
@require_POST
def merge_undo_view(request: AuthedRequest, merge_id: str) -> HttpResponse:
    merge = selectors.get_merge_for_user(user=request.user, merge_id=merge_id)
    form = forms.UndoForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
    else:
        try:
            merging.merge_undo(actor=request.user, merge=merge,
                               reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Đã hủy lần gộp %(ref)s.") % {"ref": merge.reference})
    return redirect(f"{reverse('registry:merge_list')}?ref={merge.reference}")

"""The commune's side of offline work: the operations waiting for a person (conflicts, held
and refused ones) with their decisions, and the collaborators' phones (one reported lost is
wiped at its next contact)."""

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability, require_capability
from treem.edits import conflicts
from treem.offline import decisions, devices, selectors
from treem.offline.forms import ConflictForm, DismissForm
from treem.offline.models import OperationKind, OperationStatus
from treem.registry.models import Child
from treem.ui.forms import add_service_errors
from treem.ui.pagination import CappedPaginator

PAGE_SIZE = 50


@require_capability(Capability.MANAGE_CHILDREN)
@require_safe
def review_list_view(request: AuthedRequest) -> HttpResponse:
    page = CappedPaginator(selectors.operations_to_review(request.user), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "offline/review_list.html", {"page": page})


@require_capability(Capability.MANAGE_CHILDREN)
@require_http_methods(["GET", "POST"])
def review_detail_view(request: AuthedRequest, operation_id: uuid.UUID) -> HttpResponse:
    operation = selectors.get_operation_for_user(user=request.user, operation_id=operation_id)
    conflict = ConflictForm(conflicts=operation.conflicts)
    dismiss = DismissForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "decide":
                conflict = ConflictForm(request.POST, conflicts=operation.conflicts)
                if conflict.is_valid():
                    decisions.conflict_decide(actor=request.user, operation=operation,
                                              fields=conflict.choices())
                    return _decided(request, operation_id)
            elif action == "register":
                decisions.registration_confirm(actor=request.user, operation=operation)
                return _decided(request, operation_id)
            elif action == "dismiss":
                dismiss = DismissForm(request.POST)
                if dismiss.is_valid():
                    decisions.operation_dismiss(actor=request.user, operation=operation,
                                                reason=dismiss.cleaned_data["reason"])
                    return _decided(request, operation_id)
            else:
                messages.error(request, _("Hãy chọn một việc để làm."))
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(dismiss if action == "dismiss" else conflict, error)
    waiting = operation.status in selectors.REVIEWED
    return render(request, "offline/review_detail.html", {
        "operation": operation, "conflict_form": conflict, "dismiss_form": dismiss,
        "waiting": waiting,
        "may_register": (waiting and operation.status == OperationStatus.HELD
                         and operation.kind == OperationKind.CHILD_REGISTER
                         and operation.user_id != request.user.pk),
        "payload": described(operation.payload or {})})


# What a payload's keys mean, for the officer (the register's own labels where it has them).
KEY_LABELS = {"village": _l("Thôn, bản"), "commune": _l("Xã, phường"),
              "household": _l("Hộ gia đình"), "head_name": _l("Chủ hộ"), "address": _l("Địa chỉ"),
              "moved_on": _l("Ngày chuyển"), "description": _l("Nội dung"),
              "child_description": _l("Thông tin về trẻ"), "place": _l("Nơi xảy ra"),
              "forms": _l("Hình thức xâm hại"), "urgent": _l("Trẻ đang gặp nguy hiểm"),
              "happened_on": _l("Ngày xảy ra"), "child": _l("Trẻ"),
              "confirm_new": _l("Xác nhận là trẻ mới"), "base_version": _l("Phiên bản đã tải về")}


def _label(name: str) -> str:
    if name in KEY_LABELS:
        return str(KEY_LABELS[name])
    try:
        return str(capfirst(getattr(Child._meta.get_field(name), "verbose_name", name)))
    except FieldDoesNotExist:
        return name


def described(payload: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) of what the phone sent; the changes of an update one per field."""
    rows: list[tuple[str, str]] = []
    for name, value in payload.items():
        if name == "base":
            continue
        if name == "child" and isinstance(value, str):
            rows.append((_label(name), _child_name(value)))
        elif name == "changes" and isinstance(value, dict):
            rows += [(_label(field), _text(field, new)) for field, new in value.items()]
        else:
            rows.append((_label(name), _text(name, value)))
    return rows


def _child_name(value: str) -> str:
    """The child an operation names, by name (the page is read by who keeps its register);
    a child made by an earlier operation of the phone is said so."""
    if value.startswith("op:"):
        return _("trẻ được ghi trên máy cùng đợt")
    try:
        child = Child.objects.filter(public_id=uuid.UUID(value)).only("full_name").first()
    except ValueError:
        child = None
    return child.full_name if child else value


def _text(name: str, value: Any) -> str:
    try:
        field = Child._meta.get_field(name)
    except FieldDoesNotExist:
        field = None
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return conflicts.text_of(field, value)


def _decided(request: AuthedRequest, operation_id: uuid.UUID) -> HttpResponse:
    operation = selectors.get_operation_for_user(user=request.user, operation_id=operation_id)
    if operation.status in selectors.REVIEWED:
        messages.warning(request, operation.message or _("Thao tác vẫn chờ quyết định."))
    else:
        messages.success(request, _("Đã ghi quyết định."))
    return redirect("offline:review_detail", operation_id=operation_id)


@require_capability(Capability.MANAGE_VILLAGES)
@require_safe
def device_list_view(request: AuthedRequest) -> HttpResponse:
    page = CappedPaginator(selectors.devices_for(request.user), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "offline/device_list.html", {"page": page})


@require_capability(Capability.MANAGE_VILLAGES)
@require_POST
def device_lost_view(request: AuthedRequest, device_id: uuid.UUID) -> HttpResponse:
    device = selectors.devices_for(request.user).filter(pk=device_id).first()
    if device is None:
        raise Http404
    devices.device_report_lost(actor=request.user, device=device)
    messages.success(request, _("Đã ghi máy bị mất: dữ liệu trên máy sẽ bị xóa khi máy kết nối "
                                "lần tới."))
    return redirect("offline:device_list")

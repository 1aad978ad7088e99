"""Reads of the data subject's requests, limited to the reader's scope (the commune where the
request was received, and the levels above)."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from treem.accounts.capabilities import Capability
from treem.accounts.models import User
from treem.audit.services import read_record
from treem.privacy.models import Status, SubjectRequest


@dataclass(frozen=True)
class RequestFilters:
    status: str = ""
    overdue: bool = False


def request_list(*, user: User, filters: RequestFilters | None = None
                 ) -> QuerySet[SubjectRequest]:
    filters = filters or RequestFilters()
    rows: QuerySet[SubjectRequest] = (
        SubjectRequest.objects.visible_to(user, capability=Capability.VIEW_DATA_REQUESTS)
        .select_related("child", "unit"))
    if filters.status in Status.values:
        rows = rows.filter(status=filters.status)
    if filters.overdue:
        rows = overdue(rows)
    return rows


def overdue(rows: QuerySet[SubjectRequest], today: datetime.date | None = None
            ) -> QuerySet[SubjectRequest]:
    """Requests not answered by their legal deadline."""
    today = today or timezone.localdate()
    return rows.exclude(status=Status.ANSWERED).filter(due_on__lt=today).order_by("due_on", "id")


def overdue_for(*, user: User) -> QuerySet[SubjectRequest]:
    """The overdue requests of the user's area, for whoever answers them."""
    return overdue(SubjectRequest.objects.visible_to(
        user, capability=Capability.HANDLE_DATA_REQUESTS).select_related("child", "unit"))


def get_request_for_user(*, user: User, request_id: Any, for_write: bool = False
                         ) -> SubjectRequest:
    """404 when missing or outside the user's scope; 403 when `for_write` and the user reads
    requests there but may not handle them. Every display is audited (the request names the
    child and the requester)."""
    request = (SubjectRequest.objects.visible_to(user, capability=Capability.VIEW_DATA_REQUESTS)
               .select_related("child", "child__commune", "unit", "created_by", "decided_by")
               .filter(public_id=request_id).first())
    if request is None:
        raise Http404
    if for_write and not user.in_scope(request.unit_path,
                                       capability=Capability.HANDLE_DATA_REQUESTS):
        raise PermissionDenied
    read_record(actor=user, obj=request, unit=request.unit)
    return request


def may_handle(*, user: User, request: SubjectRequest) -> bool:
    return user.in_scope(request.unit_path, capability=Capability.HANDLE_DATA_REQUESTS)


def requests_of_child(*, user: User, child_id: int) -> QuerySet[SubjectRequest]:
    return request_list(user=user).filter(child_id=child_id)

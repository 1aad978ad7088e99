"""Retention over the API: the rules (the installation's administrators), what reached its end
and the reviewer's decision (the province's office), legal holds (reviewers and auditors).
The same services and scope as the pages."""

import datetime
import uuid
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from treem.accounts.authentication import API_AUTH
from treem.accounts.capabilities import Capability
from treem.accounts.http import AuthedRequest
from treem.api_support import FORBIDDEN as API_FORBIDDEN
from treem.api_support import (
    IF_MATCH,
    ApiError,
    ConflictOut,
    ErrorOut,
    Input,
    Page,
    Text,
    Whole,
    if_match,
    refusal,
    require,
)
from treem.privacy.models import DueStatus, RecordKind, RetentionAction, RetentionEvent
from treem.privacy.retention import selectors, services

router = Router(tags=["privacy retention"], auth=API_AUTH)

Reason = Annotated[str, Text(1000, multiline=True)]


class RuleOut(Schema):
    record_kind: str
    counts_from: str
    years: int
    action: str
    legal_basis: str
    verified: bool
    active: bool
    version: int


class RuleIn(Input):
    counts_from: RetentionEvent
    years: Annotated[int, Whole(0, 100)]
    action: RetentionAction
    legal_basis: Annotated[str, Text(2000, multiline=True)]
    verified: bool = False
    active: bool = True
    reason: Reason


class DueOut(Schema):
    id: uuid.UUID
    reference: str
    record_kind: str
    status: str
    found_on: datetime.date
    decided_at: datetime.datetime | None = None

    @staticmethod
    def resolve_id(obj: Any) -> uuid.UUID:
        return obj.public_id


class DueFilter(Input):
    status: DueStatus | None = None
    record_kind: RecordKind | None = None


class DueDecisionIn(Input):
    decision: Annotated[str, Text(10)]  # anonymise, erase or hold
    reason: Reason


class HoldOut(Schema):
    id: uuid.UUID
    reference: str
    on: str
    reason: str
    placed_at: datetime.datetime
    lifted_at: datetime.datetime | None = None

    @staticmethod
    def resolve_id(obj: Any) -> uuid.UUID:
        return obj.public_id

    @staticmethod
    def resolve_on(obj: Any) -> str:
        return "case" if obj.case_id else "child"


class HoldIn(Input):
    record: uuid.UUID  # a child's or a case's id
    reason: Reason


class LiftIn(Input):
    reason: Reason


def _holder(request: AuthedRequest) -> None:
    if not selectors.may_hold(request.user):
        raise ApiError(403, str(API_FORBIDDEN))


@router.get("/privacy/retention/rules", response=list[RuleOut],
            summary="Quy tắc thời hạn lưu trữ")
def privacy_retention_rules(request: AuthedRequest) -> Any:
    require(request, Capability.MANAGE_RETENTION)
    return list(selectors.rule_list())


@router.put("/privacy/retention/rules/{kind}", response={200: RuleOut, 412: ConflictOut,
                                                          428: ErrorOut},
            summary="Sửa một quy tắc lưu trữ (phiên bản mới, có lý do)",
            openapi_extra={"parameters": [IF_MATCH]})
def privacy_retention_rule_update(request: AuthedRequest, kind: RecordKind,
                                  data: RuleIn) -> Any:
    """If-Match: the rule's `version` as read (e.g. "3"), or "*": a rule changed since is a 412
    with both values, nothing written."""
    require(request, Capability.MANAGE_RETENTION)
    rule = selectors.get_rule(record_kind=kind)
    version = if_match(request)
    try:
        return services.rule_update(actor=request.user, rule=rule, base_version=version,
                                    **data.dict())
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error


@router.get("/privacy/retention/due", response=list[DueOut],
            summary="Hồ sơ hết thời hạn lưu trữ, chờ xem xét")
@paginate(Page, page_size=50)
def privacy_retention_due(request: AuthedRequest, filters: Query[DueFilter]) -> Any:
    """Records the daily job found in your area; `status` (default: waiting) and
    `record_kind` (child, case, notification) filter them."""
    require(request, Capability.REVIEW_RETENTION)
    return selectors.due_list(user=request.user, filters=selectors.DueFilters(
        status=filters.status or DueStatus.DUE, record_kind=filters.record_kind or ""))


@router.post("/privacy/retention/due/{due_id}/decision", response=DueOut,
             summary="Ẩn danh, xóa dữ liệu cá nhân hoặc tạm giữ một hồ sơ đã hết hạn")
def privacy_retention_decide(request: AuthedRequest, due_id: uuid.UUID,
                             data: DueDecisionIn) -> Any:
    require(request, Capability.REVIEW_RETENTION)
    due = selectors.get_due_for_user(user=request.user, due_id=due_id)
    try:
        return services.due_decide(actor=request.user, due=due, decision=data.decision,
                                   reason=data.reason)
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error


@router.get("/privacy/retention/holds", response=list[HoldOut], summary="Các lệnh tạm giữ")
@paginate(Page, page_size=50)
def privacy_retention_holds(request: AuthedRequest) -> Any:
    _holder(request)
    return selectors.hold_list(user=request.user)


@router.post("/privacy/retention/holds", response={201: HoldOut},
             summary="Tạm giữ hồ sơ của một trẻ em hoặc một vụ việc")
def privacy_retention_hold_place(request: AuthedRequest, data: HoldIn) -> Any:
    _holder(request)
    record = selectors.held_record(user=request.user, record_id=data.record)
    try:
        return Status(201, services.hold_place(actor=request.user, reason=data.reason,
                                                    **record))
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error


@router.post("/privacy/retention/holds/{hold_id}/lift", response=HoldOut,
             summary="Chấm dứt tạm giữ")
def privacy_retention_hold_lift(request: AuthedRequest, hold_id: uuid.UUID,
                                data: LiftIn) -> Any:
    _holder(request)
    hold = selectors.get_hold_for_user(user=request.user, hold_id=hold_id)
    try:
        return services.hold_lift(actor=request.user, hold=hold, reason=data.reason)
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error

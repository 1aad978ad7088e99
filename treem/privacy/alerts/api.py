"""Alerts and breaches over the API: the same selectors, services and scope as the pages. An
alert or breach outside the caller's scope is 404; a role without the capability 403."""

import datetime
import uuid
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from treem.accounts.authentication import API_AUTH
from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability
from treem.api_support import (
    Day,
    Input,
    Moment,
    Page,
    Text,
    Whole,
    model_text,
    not_found,
    refusal,
    require,
)
from treem.privacy.alerts import selectors, services
from treem.privacy.models import AccessAlert, AlertStatus, Breach, DataCategory, Rule

router = Router(tags=["privacy"], auth=API_AUTH)
EVENTS_SHOWN = 200
Count = Annotated[int, Whole(0, services.COUNT_MAX)]


class AlertFilter(Input):
    rule: Rule | None = None
    status: AlertStatus | None = None
    subject: Annotated[str, Text(150)] = ""
    date_from: Day | None = None
    date_to: Day | None = None


class AlertOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    rule: str
    day: datetime.date
    username: str
    ip: str | None
    unit: str | None = Field(None, alias="unit.name")
    count: int
    baseline: str | None
    first_at: datetime.datetime
    last_at: datetime.datetime
    status: str
    note: str
    decided_by: str | None = Field(None, alias="decided_by.username")
    decided_at: datetime.datetime | None

    @staticmethod
    def resolve_baseline(obj: AccessAlert) -> str | None:
        return None if obj.baseline is None else str(obj.baseline)


class EventOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    at: datetime.datetime
    actor: str = Field(alias="actor_username")
    roles: str
    action: str
    object_type: str
    object_id: str
    unit: str | None = Field(None, alias="unit.name")
    ip: str | None


class AlertDetailOut(AlertOut):
    events: list[EventOut] = Field(description=f"Các sự kiện của cảnh báo trong phạm vi của "
                                               f"bạn, mới nhất trước (tối đa {EVENTS_SHOWN}).")


class AlertDecisionIn(Input):
    status: AlertStatus
    note: Annotated[str, Text(services.NOTE_MAX, multiline=True)]


@router.get("/privacy/alerts", response=list[AlertOut],
            summary="Cảnh báo truy cập bất thường trong phạm vi của bạn")
@paginate(Page, page_size=50)
def access_alert_list(request: AuthedRequest, filters: Query[AlertFilter]) -> Any:
    require(request, Capability.VIEW_ACCESS_ALERTS)
    return selectors.alert_list(user=request.user, rule=filters.rule or "",
                                status=filters.status or "", subject=filters.subject,
                                date_from=filters.date_from, date_to=filters.date_to)


@router.get("/privacy/alerts/{alert_id}", response=AlertDetailOut,
            summary="Một cảnh báo và các sự kiện của nó")
def access_alert_detail(request: AuthedRequest, alert_id: uuid.UUID) -> Any:
    require(request, Capability.VIEW_ACCESS_ALERTS)
    alert = selectors.get_alert_for_user(user=request.user, alert_id=alert_id)
    alert.events = list(  # type: ignore[attr-defined]
        selectors.alert_events(user=request.user, alert=alert)[:EVENTS_SHOWN])
    return alert


@router.post("/privacy/alerts/{alert_id}/decision", response=AlertOut,
             summary="Ghi nhận hoặc bỏ qua một cảnh báo, kèm ghi chú")
def access_alert_decide(request: AuthedRequest, alert_id: uuid.UUID, data: AlertDecisionIn) -> Any:
    require(request, Capability.VIEW_ACCESS_ALERTS)
    alert = selectors.get_alert_for_user(user=request.user, alert_id=alert_id)
    try:
        return services.alert_decide(actor=request.user, alert=alert, status=data.status,
                                     note=data.note)
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error


# --- Breaches ----------------------------------------------------------------------------------

class BreachOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    unit: str = Field(alias="unit.code")
    unit_name: str = Field(alias="unit.name")
    title: str
    description: str
    happened_at: datetime.datetime | None
    found_at: datetime.datetime
    deadline: datetime.datetime = Field(description="Hạn thông báo cơ quan chuyên trách.")
    overdue: bool
    children_affected: int
    others_affected: int
    categories: list[str]
    consequences: str
    measures: str
    authority_notified_at: datetime.datetime | None
    authority_reference: str
    subjects_notified_at: datetime.datetime | None
    subjects_notice: str
    contact: str
    created_by: str = Field(alias="created_by.username")
    created_at: datetime.datetime
    updated_at: datetime.datetime


class BreachPatch(Input):
    """Only the fields sent change."""

    title: Annotated[str, Text(200)] = ""
    description: Annotated[str, model_text(Breach, "description")] = ""
    happened_at: Moment | None = None
    found_at: Moment | None = None
    children_affected: Count = 0
    others_affected: Count = 0
    categories: list[DataCategory] = Field([], max_length=len(DataCategory))
    consequences: Annotated[str, model_text(Breach, "consequences")] = ""
    measures: Annotated[str, model_text(Breach, "measures")] = ""
    authority_notified_at: Moment | None = None
    authority_reference: Annotated[str, Text(100)] = ""
    subjects_notified_at: Moment | None = None
    subjects_notice: Annotated[str, model_text(Breach, "subjects_notice")] = ""
    contact: Annotated[str, Text(200)] = ""


class BreachIn(BreachPatch):
    unit: Annotated[str, Text(16)] = Field(description="Mã đơn vị (tỉnh) của bạn.")
    title: Annotated[str, Text(200)]
    description: Annotated[str, model_text(Breach, "description")]
    found_at: Moment


@router.get("/privacy/breaches", response=list[BreachOut],
            summary="Vi phạm dữ liệu cá nhân đã ghi nhận trong phạm vi của bạn")
@paginate(Page, page_size=50)
def breach_list(request: AuthedRequest) -> Any:
    require(request, Capability.RECORD_BREACHES)
    return selectors.breach_list(user=request.user)


@router.post("/privacy/breaches", response={201: BreachOut},
             summary="Ghi nhận một vi phạm dữ liệu cá nhân")
def breach_create(request: AuthedRequest, data: BreachIn) -> Any:
    """The deadline of the notification is computed from `found_at` (docs/access-alerts.md)."""
    require(request, Capability.RECORD_BREACHES)
    unit = selectors.breach_units(user=request.user).filter(code=data.unit).first()
    if unit is None:  # not one of the caller's units: not found, as any unit out of scope
        raise not_found()
    fields = data.dict(exclude={"unit"})
    try:
        return Status(201, services.breach_record(actor=request.user, unit=unit, **fields))
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error


@router.get("/privacy/breaches/{breach_id}", response=BreachOut,
            summary="Một vi phạm dữ liệu cá nhân")
def breach_detail(request: AuthedRequest, breach_id: uuid.UUID) -> Any:
    require(request, Capability.RECORD_BREACHES)
    return selectors.get_breach_for_user(user=request.user, breach_id=breach_id)


@router.patch("/privacy/breaches/{breach_id}", response=BreachOut,
              summary="Sửa, bổ sung một vi phạm (thông báo đã gửi…)")
def breach_update(request: AuthedRequest, breach_id: uuid.UUID, data: BreachPatch) -> Any:
    require(request, Capability.RECORD_BREACHES)
    breach = selectors.get_breach_for_user(user=request.user, breach_id=breach_id)
    try:
        return services.breach_update(actor=request.user, breach=breach,
                                      **data.dict(exclude_unset=True))
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error

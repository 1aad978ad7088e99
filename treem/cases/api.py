"""Intake and cases over the API, with the pages' scope and need-to-know. A partner hotline's
system posts its notifications here; the reporter's identity is returned only to who recorded
it."""

import datetime
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from treem.accounts.api import API_AUTH
from treem.accounts.permissions import Capability
from treem.api_support import refusal, require
from treem.audit.services import read_record
from treem.cases import choices, selectors, services
from treem.cases.models import Case, Notification
from treem.geo.models import Level
from treem.geo.selectors import current_unit_by_code

router = Router(tags=["cases"], auth=API_AUTH)


class NotificationIn(Schema):
    commune: str
    channel: choices.Channel
    received_at: datetime.datetime
    forms: list[choices.AbuseForm]
    place: choices.Place
    description: str
    happened_on: datetime.date | None = None
    child_description: str = ""
    child_condition: str = ""
    likely_consequences: str = ""
    family_situation: str = ""
    actions_before: str = ""
    urgent: bool = False
    crime_suspected: bool = False
    reporter_anonymous: bool = False
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter_relation: str = ""
    reporter_address: str = ""


class NotificationOut(Schema):
    id: uuid.UUID
    commune: str
    channel: str
    received_at: datetime.datetime
    forms: list[str]
    place: str
    description: str
    urgent: bool
    crime_suspected: bool
    case: uuid.UUID | None
    reporter: dict[str, Any] | None  # only for who recorded it

    @staticmethod
    def resolve_id(n: Notification) -> uuid.UUID:
        return n.public_id

    @staticmethod
    def resolve_commune(n: Notification) -> str:
        return n.commune.code

    @staticmethod
    def resolve_case(n: Notification) -> uuid.UUID | None:
        return n.case.public_id if n.case_id else None  # type: ignore[union-attr]

    @staticmethod
    def resolve_reporter(n: Notification, context: dict[str, Any]) -> dict[str, Any] | None:
        if n.received_by_id != context["request"].user.pk:
            return None
        return {"anonymous": n.reporter_anonymous, "name": n.reporter_name,
                "phone": n.reporter_phone, "relation": n.reporter_relation,
                "address": n.reporter_address}


class CaseOut(Schema):
    id: uuid.UUID
    child: uuid.UUID
    commune: str
    status: str
    received_at: datetime.datetime
    urgent: bool
    close_reason: str
    deadlines: list[dict[str, Any]]

    @staticmethod
    def resolve_id(case: Case) -> uuid.UUID:
        return case.public_id

    @staticmethod
    def resolve_child(case: Case) -> uuid.UUID:
        return case.child.public_id

    @staticmethod
    def resolve_commune(case: Case) -> str:
        return case.commune.code

    @staticmethod
    def resolve_deadlines(case: Case) -> list[dict[str, Any]]:
        return [{"step": d.step, "due_at": d.due_at, "met_at": d.met_at}
                for d in case.deadlines.all()]


class MoveIn(Schema):
    move: str
    note: str = ""
    close_reason: str = ""


@router.post("/notifications", response={201: NotificationOut})
def notification_create(request: HttpRequest, data: NotificationIn) -> Notification:
    """Record a report; it is routed to the commune (its 5-digit code) where it happened."""
    require(request, Capability.RECEIVE_NOTIFICATIONS)
    fields = data.dict()
    commune = current_unit_by_code(Level.COMMUNE, fields.pop("commune"))
    if commune is None:
        raise HttpError(422, "commune: unknown current commune code")
    try:
        return services.notification_record(actor=request.user, commune=commune, **fields)
    except PermissionDenied as error:  # a commune named outside the caller's scope
        raise HttpError(422, f"commune: {error}") from error
    except ValidationError as error:
        raise refusal(error) from error


@router.get("/notifications", response=list[NotificationOut])
@paginate(PageNumberPagination, page_size=50)
def notification_list(request: HttpRequest) -> Any:
    """What you recorded, and what was routed to the communes you handle."""
    require(request, Capability.RECEIVE_NOTIFICATIONS)
    return selectors.notification_list(user=request.user)


@router.get("/notifications/{notification_id}", response=NotificationOut)
def notification_detail(request: HttpRequest, notification_id: uuid.UUID) -> Notification:
    require(request, Capability.RECEIVE_NOTIFICATIONS)
    view = selectors.get_notification_for_user(user=request.user,
                                               notification_id=notification_id)
    read_record(actor=request.user, obj=view.notification, unit=view.notification.commune)
    return view.notification


@router.get("/cases", response=list[CaseOut])
@paginate(PageNumberPagination, page_size=50)
def case_list(request: HttpRequest) -> Any:
    """The cases you work on (or, as chairman, of your commune)."""
    require(request, Capability.VIEW_CASES)
    return selectors.case_list(user=request.user).prefetch_related("deadlines")


@router.get("/cases/{case_id}", response=CaseOut)
def case_detail(request: HttpRequest, case_id: uuid.UUID) -> Case:
    require(request, Capability.VIEW_CASES)
    case = selectors.get_case_for_user(user=request.user, case_id=case_id)
    read_record(actor=request.user, obj=case, unit=case.commune)
    return case


@router.post("/cases/{case_id}/move", response=CaseOut)
def case_move(request: HttpRequest, case_id: uuid.UUID, data: MoveIn) -> Case:
    """Take one step of the process: verify, confirm, not_confirmed, plan, submit_plan,
    approve_plan, return_plan, review, new_plan, close, hand_over, reopen."""
    require(request, Capability.VIEW_CASES)
    case = selectors.get_case_for_user(user=request.user, case_id=case_id)
    try:
        return services.case_move(actor=request.user, case=case, move=data.move,
                                  note=data.note, close_reason=data.close_reason)
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error

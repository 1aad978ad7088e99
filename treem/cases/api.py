"""Intake and cases over the API, with the pages' scope and need-to-know. A partner hotline's
system posts its notifications here; the reporter's identity is returned only to who recorded
it."""

import datetime
import decimal
import uuid
from collections.abc import Callable
from typing import Any, Literal, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from treem.accounts.authentication import API_AUTH
from treem.accounts.permissions import Capability
from treem.api_support import (
    VERSIONED_READ,
    VERSIONED_WRITE,
    ConflictOut,
    Detail,
    etag,
    if_match,
    refusal,
    require,
)
from treem.audit.services import read_record
from treem.cases import choices, selectors, services, statistics
from treem.cases.models import Assessment, Case, Notification, Plan, Protection, Referral
from treem.geo.models import Level, Unit
from treem.geo.selectors import current_unit_by_code
from treem.registry.models import Child

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
    father: str = ""
    mother: str = ""
    carer: str = ""
    actions_before: str = ""
    urgent: bool = False
    crime_suspected: bool = False
    reporter_anonymous: bool = False
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter_relation: str = ""
    reporter_address: str = ""


class DeadlineOut(Schema):
    """A time limit: `state` is running, overdue (running past due), done, done_late,
    cancelled (the case ended before its due moment) or missed (ended unmet after it)."""

    step: str
    started_at: datetime.datetime | None
    due_at: datetime.datetime
    met_at: datetime.datetime | None
    cancelled_at: datetime.datetime | None
    state: str


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
    # The 12 hours from receipt of an urgent report (Nghị định 56/2017 Điều 26 khoản 3),
    # running before any case is opened; None when the report is not urgent.
    emergency: DeadlineOut | None

    @staticmethod
    def resolve_emergency(n: Notification) -> Any:
        return n.emergency

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
    perpetrator: str
    close_reason: str
    deadlines: list[DeadlineOut]

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
    def resolve_deadlines(case: Case) -> list[Any]:
        return list(case.deadlines.all())


class PersonOut(Schema):
    id: uuid.UUID
    name: str

    @staticmethod
    def resolve_id(user: Any) -> uuid.UUID:
        return user.public_id

    @staticmethod
    def resolve_name(user: Any) -> str:
        return user.full_name or user.username


class ProtectionOut(Schema):
    id: uuid.UUID
    kind: str
    taken_at: datetime.datetime
    description: str
    care_place: str
    separated_from: str
    alternative_carer: str
    until: datetime.datetime | None
    authority_request: str
    ended_at: datetime.datetime | None
    end_reason: str

    @staticmethod
    def resolve_id(p: Protection) -> uuid.UUID:
        return p.public_id


class ReferralOut(Schema):
    id: uuid.UUID
    service: str
    sector: str
    organisation: str
    due_on: datetime.date
    note: str
    status: str
    answered_at: datetime.datetime | None
    result: str
    done_at: datetime.datetime | None

    @staticmethod
    def resolve_id(r: Referral) -> uuid.UUID:
        return r.public_id


class AssessmentOut(Schema):
    id: uuid.UUID
    kind: str
    done_on: datetime.date
    answers: dict[str, str]
    ratings: dict[str, str]
    conclusion: str

    @staticmethod
    def resolve_id(a: Assessment) -> uuid.UUID:
        return a.public_id


class PlanItemSchema(Schema):
    task: str
    responsible: str
    provider: str = ""
    starts_on: datetime.date
    ends_on: datetime.date
    cost: decimal.Decimal = decimal.Decimal(0)


class PlanOut(Schema):
    id: uuid.UUID
    goal: str
    created_at: datetime.datetime
    submitted_at: datetime.datetime | None
    approved_at: datetime.datetime | None
    returned_at: datetime.datetime | None
    items: list[PlanItemSchema]

    @staticmethod
    def resolve_id(p: Plan) -> uuid.UUID:
        return p.public_id

    @staticmethod
    def resolve_items(p: Plan) -> list[Any]:
        return list(p.items.all())


class CaseDetailOut(CaseOut):
    """One case with what was done on it. The child is named by its register id only: its
    name is read from the register, under the register's own scope and audit."""

    workers: list[PersonOut]
    abuses: list[dict[str, Any]]
    protections: list[ProtectionOut]
    referrals: list[ReferralOut]
    assessments: list[AssessmentOut]
    plans: list[PlanOut]
    moves: list[str]

    @staticmethod
    def resolve_workers(case: Case) -> list[Any]:
        return list(selectors.case_workers(case=case))

    @staticmethod
    def resolve_abuses(case: Case) -> list[dict[str, Any]]:
        return [{"form": a.form, "place": a.place, "happened_on": a.happened_on,
                 "confirmed": a.confirmed} for a in case.abuses.all()]

    @staticmethod
    def resolve_protections(case: Case) -> list[Any]:
        return list(case.protections.all())

    @staticmethod
    def resolve_referrals(case: Case) -> list[Any]:
        return list(case.referrals.all())

    @staticmethod
    def resolve_assessments(case: Case) -> list[Any]:
        return list(case.assessments.all())

    @staticmethod
    def resolve_plans(case: Case) -> list[Any]:
        return list(case.plans.prefetch_related("items"))

    @staticmethod
    def resolve_moves(case: Case, context: dict[str, Any]) -> list[str]:
        return selectors.moves_for(user=context["request"].user, case=case)


class OpenIn(Schema):
    child: uuid.UUID


class WorkerIn(Schema):
    worker: uuid.UUID


class ProtectionIn(Schema):
    kind: Literal["measure", "separation"]
    taken_at: datetime.datetime
    description: str
    care_place: str = ""
    separated_from: str = ""
    alternative_carer: str = ""
    days: int = 0
    authority_request: str = ""


class ExtendIn(Schema):
    days: int
    authority_request: str = ""


class EndIn(Schema):
    reason: str


class ReferralIn(Schema):
    service: choices.Service
    organisation: str
    due_on: datetime.date
    note: str = ""


class AnswerIn(Schema):
    accept: bool
    note: str = ""


class ResultIn(Schema):
    result: str


class AssessmentIn(Schema):
    kind: Literal["initial", "detailed", "review"]
    done_on: datetime.date
    answers: dict[str, str] = {}
    ratings: dict[str, str] = {}
    conclusion: str = ""


class PlanIn(Schema):
    goal: str
    items: list[PlanItemSchema]


class ShareIn(Schema):
    unit: str  # the code of the province or district above the case's commune
    reason: str


class FactsIn(Schema):
    forms: list[choices.AbuseForm]
    place: choices.Place
    happened_on: datetime.date | None = None
    perpetrator: choices.Perpetrator | Literal[""] = ""


class CaseFilterIn(Schema):
    status: choices.Status | None = None
    form: choices.AbuseForm | None = None
    place: choices.Place | None = None
    perpetrator: choices.Perpetrator | None = None
    start: datetime.date | None = None  # received on or after
    end: datetime.date | None = None
    overdue: bool = False


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
    return selectors.with_emergency_clock(selectors.notification_list(user=request.user))


@router.get("/notifications/{notification_id}", response=NotificationOut)
def notification_detail(request: HttpRequest, notification_id: uuid.UUID) -> Notification:
    require(request, Capability.RECEIVE_NOTIFICATIONS)
    view = selectors.get_notification_for_user(user=request.user,
                                               notification_id=notification_id)
    read_record(actor=request.user, obj=view.notification, unit=view.notification.commune)
    return view.notification


@router.get("/cases", response=list[CaseOut])
@paginate(PageNumberPagination, page_size=50)
def case_list(request: HttpRequest, filters: Query[CaseFilterIn]) -> Any:
    """The cases you may see (yours, your commune's as chairman, those referred to your
    sector or shared with your unit), narrowed by the filters given."""
    require(request, Capability.VIEW_CASES)
    where = selectors.CaseFilter(
        status=filters.status or "", form=filters.form or "", place=filters.place or "",
        perpetrator=filters.perpetrator or "", start=filters.start, end=filters.end,
        overdue=filters.overdue)
    return selectors.filter_cases(selectors.case_list(user=request.user), where,
                                  now=timezone.now()).prefetch_related("deadlines")


@router.get("/cases/{case_id}", response=CaseDetailOut, openapi_extra=VERSIONED_READ)
def case_detail(request: HttpRequest, case_id: uuid.UUID, response: HttpResponse) -> Case:
    """One case. Its ETag is the version of its facts (what PATCH changes), to name in
    If-Match when correcting them."""
    require(request, Capability.VIEW_CASES)
    case = selectors.get_case_for_user(user=request.user, case_id=case_id)
    read_record(actor=request.user, obj=case, unit=case.commune)
    response["ETag"] = etag(case.facts_version)
    return case


@router.post("/cases/{case_id}/move", response=CaseDetailOut)
def case_move(request: HttpRequest, case_id: uuid.UUID, data: MoveIn) -> Case:
    """Take one step of the process: verify, confirm, not_confirmed, plan, submit_plan,
    approve_plan, return_plan, review, new_plan, close, hand_over, reopen."""
    require(request, Capability.VIEW_CASES)
    case = selectors.get_case_for_user(user=request.user, case_id=case_id)
    return _act(lambda: services.case_move(actor=request.user, case=case, move=data.move,
                                           note=data.note, close_reason=data.close_reason))


T = TypeVar("T")


def _act(action: Callable[[], T]) -> T:
    """Run a service: a refusal is 422 with its message, or 403 when the caller may see the
    case but not act on it (not its worker, not the chairman)."""
    try:
        return action()
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error


def _case(request: HttpRequest, case_id: uuid.UUID) -> Case:
    return selectors.get_case_for_user(user=request.user, case_id=case_id)


@router.post("/notifications/{notification_id}/case", response={201: CaseDetailOut})
def case_open(request: HttpRequest, notification_id: uuid.UUID, data: OpenIn) -> Case:
    """Open the case of a notification on a child of the commune's register."""
    require(request, Capability.MANAGE_CASES)
    view = selectors.get_notification_for_user(user=request.user,
                                               notification_id=notification_id)
    child = (Child.objects.visible_to(request.user, capability=Capability.MANAGE_CHILDREN)
             .on_record().filter(public_id=data.child).first())
    if child is None:
        raise HttpError(422, "child: no child of your register has this id")
    try:
        return services.case_open(actor=request.user, notification=view.notification,
                                  child=child)
    except ValidationError as error:
        raise refusal(error) from error
    except PermissionDenied:  # routed to a commune the caller does not handle
        raise HttpError(404, "Not Found") from None


@router.patch("/cases/{case_id}", response={200: CaseDetailOut, 412: ConflictOut, 428: Detail},
              openapi_extra=VERSIONED_WRITE)
def case_facts(request: HttpRequest, case_id: uuid.UUID, data: FactsIn,
               response: HttpResponse) -> Case:
    """Correct the forms of abuse, place and day, and record the perpetrator's relation to
    the child, as verification found them (the case's workers), naming in If-Match the
    version of the facts read (the case's ETag): 412 with the facts corrected since and both
    values when another correction came first, nothing written."""
    require(request, Capability.VIEW_CASES)
    case = _case(request, case_id)
    base_version = if_match(request)
    saved = _act(lambda: services.case_facts(
        actor=request.user, case=case, base_version=base_version, forms=data.forms,
        place=data.place, happened_on=data.happened_on, perpetrator=data.perpetrator))
    response["ETag"] = etag(saved.facts_version)
    return saved


@router.post("/cases/{case_id}/workers", response=CaseDetailOut)
def case_assign(request: HttpRequest, case_id: uuid.UUID, data: WorkerIn) -> Case:
    """Add a worker: an officer who handles cases in the case's commune."""
    require(request, Capability.VIEW_CASES)
    case = _case(request, case_id)
    worker = selectors.assignable_workers(case=case).filter(public_id=data.worker).first()
    if worker is None:
        raise HttpError(422, "worker: not an officer of this commune who could take the case")
    return _act(lambda: services.case_assign(actor=request.user, case=case, worker=worker))


@router.delete("/cases/{case_id}/workers/{worker_id}", response=CaseDetailOut)
def case_unassign(request: HttpRequest, case_id: uuid.UUID, worker_id: uuid.UUID) -> Case:
    require(request, Capability.VIEW_CASES)
    case = _case(request, case_id)
    worker = selectors.case_workers(case=case).filter(public_id=worker_id).first()
    if worker is None:
        raise HttpError(404, "Not Found")
    return _act(lambda: services.case_unassign(actor=request.user, case=case, worker=worker))


@router.post("/cases/{case_id}/protections", response={201: ProtectionOut})
def protection_add(request: HttpRequest, case_id: uuid.UUID, data: ProtectionIn) -> Protection:
    """An emergency measure (a worker) or a temporary separation (the chairman, Mẫu 07)."""
    require(request, Capability.VIEW_CASES)
    case = _case(request, case_id)
    if data.kind == "measure":
        return _act(lambda: services.protection_measure(
            actor=request.user, case=case, taken_at=data.taken_at, description=data.description))
    return _act(lambda: services.separation_decide(
        actor=request.user, case=case, taken_at=data.taken_at, description=data.description,
        care_place=data.care_place, days=data.days, separated_from=data.separated_from,
        alternative_carer=data.alternative_carer, authority_request=data.authority_request))


@router.post("/separations/{protection_id}/extend", response=ProtectionOut)
def separation_extend(request: HttpRequest, protection_id: uuid.UUID,
                      data: ExtendIn) -> Protection:
    require(request, Capability.VIEW_CASES)
    protection = selectors.get_protection_for_user(user=request.user,
                                                   protection_id=protection_id)
    return _act(lambda: services.separation_extend(
        actor=request.user, protection=protection, days=data.days,
        authority_request=data.authority_request))


@router.post("/separations/{protection_id}/end", response=ProtectionOut)
def separation_end(request: HttpRequest, protection_id: uuid.UUID, data: EndIn) -> Protection:
    require(request, Capability.VIEW_CASES)
    protection = selectors.get_protection_for_user(user=request.user,
                                                   protection_id=protection_id)
    return _act(lambda: services.separation_end(actor=request.user, protection=protection,
                                                reason=data.reason))


@router.post("/cases/{case_id}/referrals", response={201: ReferralOut})
def referral_add(request: HttpRequest, case_id: uuid.UUID, data: ReferralIn) -> Referral:
    """Refer the child to a service; the sector's focal point of the area answers it."""
    require(request, Capability.VIEW_CASES)
    case = _case(request, case_id)
    return _act(lambda: services.referral_create(
        actor=request.user, case=case, service=data.service, organisation=data.organisation,
        due_on=data.due_on, note=data.note))


@router.post("/referrals/{referral_id}/answer", response=ReferralOut)
def referral_answer(request: HttpRequest, referral_id: uuid.UUID, data: AnswerIn) -> Referral:
    require(request, Capability.VIEW_CASES)
    referral = selectors.get_referral_for_user(user=request.user, referral_id=referral_id)
    return _act(lambda: services.referral_answer(actor=request.user, referral=referral,
                                                 accept=data.accept, note=data.note))


@router.post("/referrals/{referral_id}/result", response=ReferralOut)
def referral_result(request: HttpRequest, referral_id: uuid.UUID, data: ResultIn) -> Referral:
    require(request, Capability.VIEW_CASES)
    referral = selectors.get_referral_for_user(user=request.user, referral_id=referral_id)
    return _act(lambda: services.referral_result(actor=request.user, referral=referral,
                                                 result=data.result))


@router.post("/cases/{case_id}/assessments", response={201: AssessmentOut})
def assessment_add(request: HttpRequest, case_id: uuid.UUID, data: AssessmentIn) -> Assessment:
    """The assessment of the case's step: initial (Mẫu 02), detailed (03) or review (06).
    The items and their keys are those of `treem.cases.assessments.ITEMS`."""
    require(request, Capability.VIEW_CASES)
    case = _case(request, case_id)
    return _act(lambda: services.assessment_record(
        actor=request.user, case=case, kind=data.kind, done_on=data.done_on,
        answers=data.answers, ratings=data.ratings, conclusion=data.conclusion))


@router.get("/assessments/{assessment_id}", response=AssessmentOut)
def assessment_detail(request: HttpRequest, assessment_id: uuid.UUID) -> Assessment:
    require(request, Capability.VIEW_CASES)
    assessment = selectors.get_assessment_for_user(user=request.user,
                                                   assessment_id=assessment_id)
    read_record(actor=request.user, obj=assessment.case, unit=assessment.case.commune)
    return assessment


@router.put("/cases/{case_id}/plan", response=PlanOut)
def plan_save(request: HttpRequest, case_id: uuid.UUID, data: PlanIn) -> Plan:
    """Write the draft plan (Mẫu 04) of a case at the planning step; it replaces the draft."""
    require(request, Capability.VIEW_CASES)
    case = _case(request, case_id)
    return _act(lambda: services.plan_save(actor=request.user, case=case, goal=data.goal,
                                           items=[item.dict() for item in data.items]))


@router.get("/plans/{plan_id}", response=PlanOut)
def plan_detail(request: HttpRequest, plan_id: uuid.UUID) -> Plan:
    require(request, Capability.VIEW_CASES)
    plan = selectors.get_plan_for_user(user=request.user, plan_id=plan_id)
    read_record(actor=request.user, obj=plan.case, unit=plan.case.commune)
    return plan


@router.post("/cases/{case_id}/shares", response={201: dict[str, Any]})
def case_share(request: HttpRequest, case_id: uuid.UUID, data: ShareIn) -> dict[str, Any]:
    """Show the case to the province or district above its commune, with a reason."""
    require(request, Capability.VIEW_CASES)
    case = _case(request, case_id)
    unit = Unit.objects.current().filter(code=data.unit,
                                         level__in=[Level.PROVINCE, Level.DISTRICT]).first()
    if unit is None:
        raise HttpError(422, "unit: unknown province or district code")
    share = _act(lambda: services.case_share(actor=request.user, case=case, unit=unit,
                                             reason=data.reason))
    return {"unit": unit.code, "reason": share.reason, "shared_at": share.shared_at}


class PeriodIn(Schema):
    start: datetime.date
    end: datetime.date


@router.get("/case-statistics", response=dict[str, list[tuple[str, int]]])
def case_statistics(request: HttpRequest, period: Query[PeriodIn]) -> dict[str, Any]:
    """Cases received in the period in your scope, counted by form, place, sex, age group,
    ethnicity, perpetrator and step, and children who died of injury: counts, no names."""
    require(request, Capability.VIEW_CASE_STATISTICS)
    if period.end < period.start:
        raise HttpError(422, "end: before start")
    paths = request.user.scope_paths(capability=Capability.VIEW_CASE_STATISTICS)
    found: dict[str, Any] = {
        by: statistics.case_counts(paths=paths, start=period.start, end=period.end, by=by)
        for by in statistics.BREAKDOWNS}
    found["injury_deaths"] = statistics.injury_deaths(paths=paths, start=period.start,
                                                      end=period.end)
    return found

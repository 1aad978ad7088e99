"""Intake and cases over the API, with the pages' scope and need-to-know. A partner hotline's
system posts its notifications here; the reporter's identity is returned only to who recorded
it."""

import datetime
import decimal
import uuid
from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from treem.accounts.authentication import API_AUTH
from treem.accounts.http import AuthedRequest
from treem.accounts.models import User
from treem.accounts.permissions import Capability
from treem.api_support import (
    VERSIONED_READ,
    VERSIONED_WRITE,
    BodyBool,
    ConflictOut,
    Day,
    ErrorOut,
    Input,
    Moment,
    Page,
    QueryBool,
    Text,
    Whole,
    etag,
    if_match,
    invalid,
    model_text,
    refusal,
    require,
)
from treem.audit.services import read_record
from treem.cases import choices, selectors, services, statistics
from treem.cases.models import (
    Assessment,
    Case,
    CaseShare,
    Notification,
    Plan,
    PlanItem,
    Protection,
    Referral,
)
from treem.cases.workflow import MOVES
from treem.geo.models import Level, Unit
from treem.lib.limits import FREE_TEXT_MAX, LIST_MAX
from treem.registry.selectors import get_register_child_for_user

NOT_A_WORKER = _("Không phải cán bộ của xã có thể nhận xử lý trường hợp này.")
NOT_ABOVE = _("Không có tỉnh, huyện hiện hành mang mã này.")
END_BEFORE_START = _("Ngày kết thúc không được trước ngày bắt đầu.")

router = Router(tags=["cases"], auth=API_AUTH)


Forms = Annotated[list[choices.AbuseForm], Field(min_length=1, max_length=len(choices.AbuseForm))]


class NotificationIn(Input):
    commune: Annotated[str, Text(16)]  # the 5-digit code of a current commune
    channel: choices.Channel
    received_at: Moment
    forms: Forms
    place: choices.Place
    description: Annotated[str, model_text(Notification, "description")]
    happened_on: Day | None = None
    child_description: Annotated[str, model_text(Notification, "child_description")] = ""
    child_condition: Annotated[str, model_text(Notification, "child_condition")] = ""
    likely_consequences: Annotated[str, model_text(Notification, "likely_consequences")] = ""
    family_situation: Annotated[str, model_text(Notification, "family_situation")] = ""
    father: Annotated[str, model_text(Notification, "father")] = ""
    mother: Annotated[str, model_text(Notification, "mother")] = ""
    carer: Annotated[str, model_text(Notification, "carer")] = ""
    actions_before: Annotated[str, model_text(Notification, "actions_before")] = ""
    urgent: BodyBool = False
    crime_suspected: BodyBool = False
    reporter_anonymous: BodyBool = False
    reporter_name: Annotated[str, model_text(Notification, "reporter_name")] = ""
    reporter_phone: Annotated[str, model_text(Notification, "reporter_phone")] = ""
    reporter_relation: Annotated[str, model_text(Notification, "reporter_relation")] = ""
    reporter_address: Annotated[str, model_text(Notification, "reporter_address")] = ""


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
    def resolve_id(user: User) -> uuid.UUID:
        return user.public_id

    @staticmethod
    def resolve_name(user: User) -> str:
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


class PlanItemOut(Schema):
    task: str
    responsible: str
    provider: str
    starts_on: datetime.date
    ends_on: datetime.date
    cost: decimal.Decimal


class PlanItemIn(Input):
    task: Annotated[str, model_text(PlanItem, "task")]
    responsible: Annotated[str, model_text(PlanItem, "responsible")]
    provider: Annotated[str, model_text(PlanItem, "provider")] = ""
    starts_on: Day
    ends_on: Day
    # In đồng, whole, as the column holds it (14 digits): a JSON number, never a string.
    cost: Annotated[int, Whole(0, 10**14 - 1)] = 0


class PlanOut(Schema):
    id: uuid.UUID
    version: int  # of the goal and items: the draft's, named in If-Match when saving it
    goal: str
    created_at: datetime.datetime
    submitted_at: datetime.datetime | None
    approved_at: datetime.datetime | None
    returned_at: datetime.datetime | None
    items: list[PlanItemOut]

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


class OpenIn(Input):
    child: uuid.UUID


class WorkerIn(Input):
    worker: uuid.UUID


# A separation lasts days (at most 15 without an authority's request, Nghị định 56/2017).
Days = Annotated[int, Whole(0, 366)]


class ProtectionIn(Input):
    kind: Literal["measure", "separation"]
    taken_at: Moment
    description: Annotated[str, model_text(Protection, "description")]
    care_place: Annotated[str, model_text(Protection, "care_place")] = ""
    separated_from: Annotated[str, model_text(Protection, "separated_from")] = ""
    alternative_carer: Annotated[str, model_text(Protection, "alternative_carer")] = ""
    days: Days = 0
    authority_request: Annotated[str, model_text(Protection, "authority_request")] = ""


class ExtendIn(Input):
    days: Days
    authority_request: Annotated[str, model_text(Protection, "authority_request")] = ""


class EndIn(Input):
    reason: Annotated[str, model_text(Protection, "end_reason")]


class ReferralIn(Input):
    service: choices.Service
    organisation: Annotated[str, model_text(Referral, "organisation")]
    due_on: Day
    note: Annotated[str, model_text(Referral, "note")] = ""


class AnswerIn(Input):
    accept: BodyBool
    note: Annotated[str, model_text(Referral, "result")] = ""


class ResultIn(Input):
    result: Annotated[str, model_text(Referral, "result")]


ItemKey = Annotated[str, Text(40)]  # a key of treem.cases.assessments.ITEMS
Answers = Annotated[dict[ItemKey, Annotated[str, Text(FREE_TEXT_MAX, multiline=True)]],
                    Field(max_length=LIST_MAX)]
Ratings = Annotated[dict[ItemKey, Annotated[str, Text(16)]], Field(max_length=LIST_MAX)]


class AssessmentIn(Input):
    kind: Literal["initial", "detailed", "review"]
    done_on: Day
    answers: Answers = {}
    ratings: Ratings = {}
    conclusion: Assessment.Conclusion = Assessment.Conclusion.NONE


class PlanIn(Input):
    goal: Annotated[str, model_text(Plan, "goal")]
    items: Annotated[list[PlanItemIn], Field(max_length=LIST_MAX)]


class ShareIn(Input):
    unit: Annotated[str, Text(16)]  # the code of the province or district above the commune
    reason: Annotated[str, model_text(CaseShare, "reason")]


class FactsIn(Input):
    forms: Forms
    place: choices.Place
    happened_on: Day | None = None
    perpetrator: choices.Perpetrator | Literal[""] = ""


class CaseFilterIn(Input):
    status: choices.Status | None = None
    form: choices.AbuseForm | None = None
    place: choices.Place | None = None
    perpetrator: choices.Perpetrator | None = None
    start: Day | None = None  # received on or after
    end: Day | None = None
    overdue: QueryBool = False


class MoveIn(Input):
    move: Literal[tuple(MOVES)]  # type: ignore[valid-type]
    note: Annotated[str, Text(FREE_TEXT_MAX, multiline=True)] = ""
    close_reason: choices.CloseReason | Literal[""] = ""


@router.post("/notifications", response={201: NotificationOut}, summary="Ghi nhận một tin báo")
def notification_create(request: AuthedRequest, data: NotificationIn) -> Notification:
    """Record a report; it is routed to the commune (its 5-digit code) where it happened. A
    commune the caller may not route to is not found, like one that does not exist."""
    require(request, Capability.RECEIVE_NOTIFICATIONS)
    fields = data.dict()
    commune = selectors.get_intake_commune_for_user(user=request.user, code=fields.pop("commune"))
    return _act(lambda: services.notification_record(actor=request.user, commune=commune,
                                                     **fields))


@router.get("/notifications", response=list[NotificationOut], summary="Danh sách tin báo")
@paginate(Page, page_size=50)
def notification_list(request: AuthedRequest) -> Any:
    """What you recorded, and what was routed to the communes you handle."""
    require(request, Capability.RECEIVE_NOTIFICATIONS)
    return selectors.with_emergency_clock(selectors.notification_list(user=request.user))


@router.get("/notifications/{notification_id}", response=NotificationOut,
            summary="Một tin báo")
def notification_detail(request: AuthedRequest, notification_id: uuid.UUID) -> Notification:
    require(request, Capability.RECEIVE_NOTIFICATIONS)
    view = selectors.get_notification_for_user(user=request.user,
                                               notification_id=notification_id)
    read_record(actor=request.user, obj=view.notification, unit=view.notification.commune)
    return view.notification


@router.get("/cases", response=list[CaseOut], summary="Danh sách hồ sơ trường hợp")
@paginate(Page, page_size=50)
def case_list(request: AuthedRequest, filters: Query[CaseFilterIn]) -> Any:
    """The cases you may see (yours, your commune's as chairman, those referred to your
    sector or shared with your unit), narrowed by the filters given."""
    require(request, Capability.VIEW_CASES)
    if filters.start and filters.end and filters.end < filters.start:
        raise invalid("end", END_BEFORE_START, where="query")
    where = selectors.CaseFilter(
        status=filters.status or "", form=filters.form or "", place=filters.place or "",
        perpetrator=filters.perpetrator or "", start=filters.start, end=filters.end,
        overdue=filters.overdue)
    return selectors.filter_cases(selectors.case_list(user=request.user), where,
                                  now=timezone.now()).prefetch_related("deadlines")


@router.get("/cases/{case_id}", response=CaseDetailOut, summary="Một hồ sơ trường hợp",
            openapi_extra=VERSIONED_READ)
def case_detail(request: AuthedRequest, case_id: uuid.UUID, response: HttpResponse) -> Case:
    """One case. Its ETag is the version of its facts (what PATCH changes), to name in
    If-Match when correcting them."""
    require(request, Capability.VIEW_CASES)
    case = _case(request, case_id)
    read_record(actor=request.user, obj=case, unit=case.commune)
    response["ETag"] = etag(case.facts_version)
    return case


@router.post("/cases/{case_id}/move", response=CaseDetailOut,
             summary="Chuyển hồ sơ sang bước tiếp theo")
def case_move(request: AuthedRequest, case_id: uuid.UUID, data: MoveIn) -> Case:
    """Take one step of the process: verify, confirm, not_confirmed, plan, submit_plan,
    approve_plan, return_plan, review, new_plan, close, hand_over, reopen."""
    require(request, Capability.VIEW_CASES)
    case = _case(request, case_id)
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


def _case(request: AuthedRequest, case_id: uuid.UUID) -> Case:
    return selectors.get_case_for_user(user=request.user, case_id=case_id)


@router.post("/notifications/{notification_id}/case", response={201: CaseDetailOut},
             summary="Mở hồ sơ từ một tin báo")
def case_open(request: AuthedRequest, notification_id: uuid.UUID, data: OpenIn) -> Case:
    """Open the case of a notification on a child of the commune's register (a child not on
    the caller's register is not found)."""
    require(request, Capability.MANAGE_CASES)
    view = selectors.get_notification_for_user(user=request.user,
                                               notification_id=notification_id)
    child = get_register_child_for_user(user=request.user, child_id=data.child)
    try:
        return services.case_open(actor=request.user, notification=view.notification,
                                  child=child)
    except PermissionDenied:  # routed to a commune the caller does not handle: not its own
        raise Http404 from None


@router.patch("/cases/{case_id}", response={200: CaseDetailOut, 412: ConflictOut, 428: ErrorOut},
              summary="Sửa diễn biến vụ việc", openapi_extra=VERSIONED_WRITE)
def case_facts(request: AuthedRequest, case_id: uuid.UUID, data: FactsIn,
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


@router.post("/cases/{case_id}/workers", response=CaseDetailOut,
             summary="Thêm cán bộ xử lý hồ sơ")
def case_assign(request: AuthedRequest, case_id: uuid.UUID, data: WorkerIn) -> Case:
    """Add a worker: an officer who handles cases in the case's commune."""
    require(request, Capability.VIEW_CASES)
    case = _case(request, case_id)
    worker = selectors.assignable_workers(case=case).filter(public_id=data.worker).first()
    if worker is None:
        raise invalid("worker", NOT_A_WORKER)
    return _act(lambda: services.case_assign(actor=request.user, case=case, worker=worker))


@router.delete("/cases/{case_id}/workers/{worker_id}", response=CaseDetailOut,
               summary="Bỏ một cán bộ khỏi hồ sơ")
def case_unassign(request: AuthedRequest, case_id: uuid.UUID, worker_id: uuid.UUID) -> Case:
    require(request, Capability.VIEW_CASES)
    case = _case(request, case_id)
    worker = selectors.case_workers(case=case).filter(public_id=worker_id).first()
    if worker is None:
        raise Http404
    return _act(lambda: services.case_unassign(actor=request.user, case=case, worker=worker))


@router.post("/cases/{case_id}/protections", response={201: ProtectionOut},
             summary="Ghi biện pháp bảo vệ khẩn cấp hoặc cách ly tạm thời")
def protection_add(request: AuthedRequest, case_id: uuid.UUID, data: ProtectionIn) -> Protection:
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


@router.post("/separations/{protection_id}/extend", response=ProtectionOut,
             summary="Gia hạn cách ly tạm thời")
def separation_extend(request: AuthedRequest, protection_id: uuid.UUID,
                      data: ExtendIn) -> Protection:
    require(request, Capability.VIEW_CASES)
    protection = selectors.get_protection_for_user(user=request.user,
                                                   protection_id=protection_id)
    return _act(lambda: services.separation_extend(
        actor=request.user, protection=protection, days=data.days,
        authority_request=data.authority_request))


@router.post("/separations/{protection_id}/end", response=ProtectionOut,
             summary="Chấm dứt cách ly tạm thời")
def separation_end(request: AuthedRequest, protection_id: uuid.UUID, data: EndIn) -> Protection:
    require(request, Capability.VIEW_CASES)
    protection = selectors.get_protection_for_user(user=request.user,
                                                   protection_id=protection_id)
    return _act(lambda: services.separation_end(actor=request.user, protection=protection,
                                                reason=data.reason))


@router.post("/cases/{case_id}/referrals", response={201: ReferralOut},
             summary="Chuyển gửi trẻ đến một dịch vụ")
def referral_add(request: AuthedRequest, case_id: uuid.UUID, data: ReferralIn) -> Referral:
    """Refer the child to a service; the sector's focal point of the area answers it."""
    require(request, Capability.VIEW_CASES)
    case = _case(request, case_id)
    return _act(lambda: services.referral_create(
        actor=request.user, case=case, service=data.service, organisation=data.organisation,
        due_on=data.due_on, note=data.note))


@router.post("/referrals/{referral_id}/answer", response=ReferralOut,
             summary="Nhận hoặc từ chối một chuyển gửi")
def referral_answer(request: AuthedRequest, referral_id: uuid.UUID, data: AnswerIn) -> Referral:
    require(request, Capability.VIEW_CASES)
    referral = selectors.get_referral_for_user(user=request.user, referral_id=referral_id)
    return _act(lambda: services.referral_answer(actor=request.user, referral=referral,
                                                 accept=data.accept, note=data.note))


@router.post("/referrals/{referral_id}/result", response=ReferralOut,
             summary="Ghi kết quả một chuyển gửi")
def referral_result(request: AuthedRequest, referral_id: uuid.UUID, data: ResultIn) -> Referral:
    require(request, Capability.VIEW_CASES)
    referral = selectors.get_referral_for_user(user=request.user, referral_id=referral_id)
    return _act(lambda: services.referral_result(actor=request.user, referral=referral,
                                                 result=data.result))


@router.post("/cases/{case_id}/assessments", response={201: AssessmentOut},
             summary="Ghi một lần đánh giá")
def assessment_add(request: AuthedRequest, case_id: uuid.UUID, data: AssessmentIn) -> Assessment:
    """The assessment of the case's step: initial (Mẫu 02), detailed (03) or review (06).
    The items and their keys are those of `treem.cases.assessments.ITEMS`."""
    require(request, Capability.VIEW_CASES)
    case = _case(request, case_id)
    return _act(lambda: services.assessment_record(
        actor=request.user, case=case, kind=data.kind, done_on=data.done_on,
        answers=data.answers, ratings=data.ratings, conclusion=data.conclusion))


@router.get("/assessments/{assessment_id}", response=AssessmentOut, summary="Một lần đánh giá")
def assessment_detail(request: AuthedRequest, assessment_id: uuid.UUID) -> Assessment:
    require(request, Capability.VIEW_CASES)
    assessment = selectors.get_assessment_for_user(user=request.user,
                                                   assessment_id=assessment_id)
    read_record(actor=request.user, obj=assessment.case, unit=assessment.case.commune)
    return assessment


@router.put("/cases/{case_id}/plan", response={200: PlanOut, 412: ConflictOut, 428: ErrorOut},
            summary="Lập kế hoạch hỗ trợ (bản nháp)", openapi_extra=VERSIONED_WRITE)
def plan_save(request: AuthedRequest, case_id: uuid.UUID, data: PlanIn,
              response: HttpResponse) -> Plan:
    """Write the draft plan (Mẫu 04) of a case at the planning step; it replaces the draft's
    goal and items, naming in If-Match the version of the draft read (its ETag, or `version`
    among the case's plans; "0" when there is no draft yet): 412 with the goal or items saved
    since and both values when another save came first, nothing written."""
    require(request, Capability.VIEW_CASES)
    case = _case(request, case_id)
    base_version = if_match(request)
    plan = _act(lambda: services.plan_save(actor=request.user, case=case,
                                           base_version=base_version, goal=data.goal,
                                           items=[item.dict() for item in data.items]))
    response["ETag"] = etag(plan.version)
    return plan


@router.get("/plans/{plan_id}", response=PlanOut, summary="Một kế hoạch hỗ trợ",
            openapi_extra=VERSIONED_READ)
def plan_detail(request: AuthedRequest, plan_id: uuid.UUID, response: HttpResponse) -> Plan:
    """One plan. Its ETag is its version, to name in If-Match when saving the draft."""
    require(request, Capability.VIEW_CASES)
    plan = selectors.get_plan_for_user(user=request.user, plan_id=plan_id)
    read_record(actor=request.user, obj=plan.case, unit=plan.case.commune)
    response["ETag"] = etag(plan.version)
    return plan


class ShareOut(Schema):
    unit: str
    reason: str
    shared_at: datetime.datetime


@router.post("/cases/{case_id}/shares", response={201: ShareOut},
             summary="Cho tỉnh, huyện xem hồ sơ")
def case_share(request: AuthedRequest, case_id: uuid.UUID, data: ShareIn) -> dict[str, Any]:
    """Show the case to the province or district above its commune, with a reason."""
    require(request, Capability.VIEW_CASES)
    case = _case(request, case_id)
    unit = Unit.objects.current().filter(code=data.unit,
                                         level__in=[Level.PROVINCE, Level.DISTRICT]).first()
    if unit is None:
        raise invalid("unit", NOT_ABOVE)
    share = _act(lambda: services.case_share(actor=request.user, case=case, unit=unit,
                                             reason=data.reason))
    return {"unit": unit.code, "reason": share.reason, "shared_at": share.shared_at}


class PeriodIn(Input):
    start: Day
    end: Day


# A count: [label, number] (described as a pair of a string or number: schemathesis 4.32 cannot
# read the JSON Schema of a tuple, prefixItems).
Count = Annotated[list[str | int], Field(min_length=2, max_length=2)]


@router.get("/case-statistics", response=dict[str, list[Count]],
            summary="Thống kê trường hợp theo kỳ")
def case_statistics(request: AuthedRequest, period: Query[PeriodIn]) -> dict[str, Any]:
    """Cases received in the period in your scope, counted by form, place, sex, age group,
    ethnicity, perpetrator and step, and children who died of injury: counts, no names."""
    require(request, Capability.VIEW_CASE_STATISTICS)
    if period.end < period.start:
        raise invalid("end", END_BEFORE_START, where="query")
    paths = request.user.scope_paths(capability=Capability.VIEW_CASE_STATISTICS)
    found: dict[str, Any] = {
        by: statistics.case_counts(paths=paths, start=period.start, end=period.end, by=by)
        for by in statistics.BREAKDOWNS}
    found["injury_deaths"] = statistics.injury_deaths(paths=paths, start=period.start,
                                                      end=period.end)
    return found

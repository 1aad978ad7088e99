"""Local plans over the API (`/local-plans`: `/plans` are the support plans of cases): the
plans a user sees, and a plan with its tasks and agencies."""

import datetime
import uuid
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from treem.accounts.authentication import API_AUTH
from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability
from treem.api_support import (
    VERSIONED_READ,
    VERSIONED_WRITE,
    ConflictOut,
    Day,
    ErrorOut,
    Input,
    Page,
    Text,
    Whole,
    etag,
    if_match,
    invalid,
    model_text,
    not_found,
    refusal,
    require,
)
from treem.indicators.schemas import PeriodCode
from treem.lib.limits import LIST_MAX
from treem.plans import implementation, selectors, services
from treem.plans.models import (
    Agency,
    Evidence,
    Plan,
    PlanStatus,
    ProgressStatus,
    Task,
    TaskProgress,
    TimeFrame,
)


class AgencyOut(Schema):
    id: uuid.UUID
    name: str
    short_name: str
    kind: str
    unit: str

    @staticmethod
    def resolve_id(a: Agency) -> uuid.UUID:
        return a.public_id

    @staticmethod
    def resolve_unit(a: Agency) -> str:
        return a.unit.code


class LocalPlanOut(Schema):
    id: uuid.UUID
    number: str
    issued_on: datetime.date | None
    title: str
    issuer_name: str
    unit: str
    start_year: int
    end_year: int
    status: str
    implements: uuid.UUID | None
    indicator_set: str | None
    version: int

    @staticmethod
    def resolve_id(p: Plan) -> uuid.UUID:
        return p.public_id

    @staticmethod
    def resolve_unit(p: Plan) -> str:
        return p.unit.code

    @staticmethod
    def resolve_implements(p: Plan) -> uuid.UUID | None:
        return p.implements.public_id if p.implements_id else None  # type: ignore[union-attr]

    @staticmethod
    def resolve_indicator_set(p: Plan) -> str | None:
        return p.indicator_set.code if p.indicator_set_id else None  # type: ignore[union-attr]


class TaskOut(Schema):
    id: uuid.UUID
    section: str
    heading: str
    text: str
    lead: uuid.UUID
    cooperating: list[uuid.UUID]
    time_frame: str
    year: int | None
    quarter: int | None
    month: int | None
    start_date: datetime.date | None
    end_date: datetime.date | None
    time_text: str
    report_to: uuid.UUID | None
    report_due_text: str
    expected_output: str
    version: int

    @staticmethod
    def resolve_id(t: Task) -> uuid.UUID:
        return t.public_id

    @staticmethod
    def resolve_lead(t: Task) -> uuid.UUID:
        return t.lead.public_id

    @staticmethod
    def resolve_cooperating(t: Task) -> list[uuid.UUID]:
        return [a.public_id for a in t.cooperating.all()]

    @staticmethod
    def resolve_report_to(t: Task) -> uuid.UUID | None:
        return t.report_to.public_id if t.report_to_id else None  # type: ignore[union-attr]


class DocumentOut(Schema):
    """A document of the plan; its file is read at /plans/documents/{id}/ (pages)."""

    id: uuid.UUID
    title: str
    name: str
    content_type: str
    size: int
    uploaded_at: datetime.datetime

    @staticmethod
    def resolve_id(d: Any) -> uuid.UUID:
        return d.public_id


class LocalPlanDetailOut(LocalPlanOut):
    legal_basis: str
    agencies: list[AgencyOut]
    tasks: list[TaskOut]
    documents: list[DocumentOut]

    @staticmethod
    def resolve_documents(p: Plan) -> list[Any]:
        return list(p.attachments.all())

    @staticmethod
    def resolve_agencies(p: Plan) -> list[Agency]:
        return p.agency_list  # type: ignore[attr-defined]

    @staticmethod
    def resolve_tasks(p: Plan) -> list[Task]:
        return p.task_list  # type: ignore[attr-defined]


class LocalPlanFilter(Input):
    q: Annotated[str, Text(100)] = ""
    status: PlanStatus | None = None
    year: Annotated[int, Whole(2000, 2100, query=True)] | None = None


router = Router(tags=["plans"], auth=API_AUTH)


@router.get("/local-plans", response=list[LocalPlanOut], summary="Các kế hoạch của địa phương")
@paginate(Page, page_size=50)
def local_plan_list(request: AuthedRequest, filters: Query[LocalPlanFilter]) -> Any:
    """The plans you see: your units', those above them that they carry out, and those of the
    units under them; newest first."""
    require(request, Capability.VIEW_PLANS)
    return selectors.plan_list(user=request.user, filters=selectors.PlanFilters(
        q=filters.q, status=filters.status or "", year=filters.year)).select_related(
        "implements", "indicator_set")


@router.get("/local-plans/{plan_id}", response=LocalPlanDetailOut,
            summary="Một kế hoạch của địa phương và các nhiệm vụ", openapi_extra=VERSIONED_READ)
def local_plan_detail(request: AuthedRequest, plan_id: uuid.UUID,
                      response: HttpResponse) -> Plan:
    """A plan you see with its agencies and tasks; its ETag is the version to name in
    If-Match when changing it."""
    require(request, Capability.VIEW_PLANS)
    plan = selectors.get_plan_for_user(user=request.user, plan_id=plan_id)
    response["ETag"] = etag(plan.version)
    plan.task_list = selectors.plan_tasks(plan=plan)  # type: ignore[attr-defined]
    plan.agency_list = selectors.plan_agencies(plan=plan)  # type: ignore[attr-defined]
    return plan


class EvidenceOut(Schema):
    id: uuid.UUID
    name: str
    content_type: str
    size: int

    @staticmethod
    def resolve_id(e: Evidence) -> uuid.UUID:
        return e.public_id


class ProgressOut(Schema):
    id: uuid.UUID
    agency: uuid.UUID
    period: str
    status: str
    percent_done: int
    done_text: str
    difficulties: str
    version: int
    reported_at: datetime.datetime
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_id(p: TaskProgress) -> uuid.UUID:
        return p.public_id

    @staticmethod
    def resolve_agency(p: TaskProgress) -> uuid.UUID:
        return p.agency.public_id

    @staticmethod
    def resolve_evidence(p: TaskProgress) -> list[Evidence]:
        return list(p.evidence.all())


class TaskDetailOut(TaskOut):
    plan: uuid.UUID
    due_on: datetime.date | None
    overdue: bool
    reports: list[ProgressOut]

    @staticmethod
    def resolve_plan(t: Task) -> uuid.UUID:
        return t.plan.public_id

    @staticmethod
    def resolve_due_on(t: Task) -> datetime.date | None:
        return t.state.due_on  # type: ignore[attr-defined]

    @staticmethod
    def resolve_overdue(t: Task) -> bool:
        return t.state.overdue  # type: ignore[attr-defined]

    @staticmethod
    def resolve_reports(t: Task) -> list[TaskProgress]:
        return t.report_list  # type: ignore[attr-defined]


class ProgressIn(Input):
    status: ProgressStatus
    percent_done: Annotated[int, Whole(0, 100)]
    done_text: Annotated[str, model_text(TaskProgress, "done_text")] = ""
    difficulties: Annotated[str, model_text(TaskProgress, "difficulties")] = ""


@router.get("/plan-tasks/{task_id}", response=TaskDetailOut, summary="Một nhiệm vụ và tiến độ",
            openapi_extra=VERSIONED_READ)
def plan_task_detail(request: AuthedRequest, task_id: uuid.UUID,
                     response: HttpResponse) -> Task:
    """A task of a plan you see, its due date, and every agency's progress reports; its ETag
    is the version to name in If-Match when changing the task."""
    require(request, Capability.VIEW_PLANS)
    task = selectors.get_task_for_user(user=request.user, task_id=task_id)
    response["ETag"] = etag(task.version)
    task.state = selectors.task_states([task], today=timezone.localdate())[0]  # type: ignore[attr-defined]
    task.report_list = selectors.task_reports(task=task)  # type: ignore[attr-defined]
    return task


@router.put("/plan-tasks/{task_id}/progress/{agency_id}/{period}",
            response={200: ProgressOut, 412: ConflictOut, 428: ErrorOut},
            summary="Báo cáo tiến độ một nhiệm vụ", openapi_extra=VERSIONED_WRITE)
def plan_task_report(request: AuthedRequest, task_id: uuid.UUID, agency_id: uuid.UUID,
                     period: PeriodCode, data: ProgressIn,
                     response: HttpResponse) -> TaskProgress:
    """The report of an agency (the task's lead or a co-operating one, which you report for)
    for a period ("2026", "2026S1", "2026Q3"): created, or edited naming in If-Match the
    version read ("0" for a report not made yet; `*` to write whatever the version): 412 with
    the fields saved since and both values, nothing written."""
    require(request, Capability.VIEW_PLANS)
    task = selectors.get_task_for_user(user=request.user, task_id=task_id)
    agency = next((a for a in [task.lead, *task.cooperating.all()]
                   if a.public_id == agency_id), None)
    if agency is None:
        raise not_found()
    named = if_match(request)
    current = TaskProgress.objects.filter(task=task, agency=agency, period=period).first()
    base_version = (current.version if current else None) if named is None else named
    try:
        saved = services.progress_report(
            actor=request.user, task=task, agency=agency, period=period,
            base_version=base_version, **data.dict())
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error
    response["ETag"] = etag(saved.version)
    return saved


# --- Writing plans and tasks ------------------------------------------------------------------

class LocalPlanIn(Input):
    unit: Annotated[str, Text(20)]  # the code of a unit whose plans you keep
    title: Annotated[str, model_text(Plan, "title")]
    number: Annotated[str, model_text(Plan, "number")] = ""
    issued_on: Day | None = None
    issuer_name: Annotated[str, model_text(Plan, "issuer_name")] = ""
    legal_basis: Annotated[str, Text(services.LIMITS["legal_basis"], multiline=True)] = ""
    start_year: Annotated[int, Whole(2000, 2100)]
    end_year: Annotated[int, Whole(2000, 2100)]
    status: PlanStatus = PlanStatus.IN_FORCE
    implements: uuid.UUID | None = None


class LocalPlanPatch(Input):
    """The fields to change, and only those; null clears a field that may be blank."""

    title: Annotated[str, model_text(Plan, "title")] | None = None
    number: Annotated[str, model_text(Plan, "number")] | None = None
    issued_on: Day | None = None
    issuer_name: Annotated[str, model_text(Plan, "issuer_name")] | None = None
    legal_basis: Annotated[str, Text(services.LIMITS["legal_basis"], multiline=True)] | None = None
    start_year: Annotated[int, Whole(2000, 2100)] | None = None
    end_year: Annotated[int, Whole(2000, 2100)] | None = None
    implements: uuid.UUID | None = None


Agencies = Annotated[list[uuid.UUID], Field(max_length=LIST_MAX)]


class TaskIn(Input):
    section: Annotated[str, model_text(Task, "section")]
    heading: Annotated[str, Text(services.LIMITS["heading"], multiline=True)] = ""
    text: Annotated[str, Text(services.LIMITS["text"], multiline=True)]
    lead: uuid.UUID
    cooperating: Agencies = []
    time_frame: TimeFrame = TimeFrame.UNSPECIFIED
    year: Annotated[int, Whole(2000, 2100)] | None = None
    quarter: Annotated[int, Whole(1, 4)] | None = None
    month: Annotated[int, Whole(1, 12)] | None = None
    start_date: Day | None = None
    end_date: Day | None = None
    time_text: Annotated[str, model_text(Task, "time_text")] = ""
    report_to: uuid.UUID | None = None
    report_due_text: Annotated[str, model_text(Task, "report_due_text")] = ""
    expected_output: Annotated[str, Text(services.LIMITS["expected_output"],
                                         multiline=True)] = ""


class TaskPatch(Input):
    """The fields to change, and only those; null clears a field that may be blank."""

    section: Annotated[str, model_text(Task, "section")] | None = None
    heading: Annotated[str, Text(services.LIMITS["heading"], multiline=True)] | None = None
    text: Annotated[str, Text(services.LIMITS["text"], multiline=True)] | None = None
    lead: uuid.UUID | None = None
    cooperating: Agencies | None = None
    time_frame: TimeFrame | None = None
    year: Annotated[int, Whole(2000, 2100)] | None = None
    quarter: Annotated[int, Whole(1, 4)] | None = None
    month: Annotated[int, Whole(1, 12)] | None = None
    start_date: Day | None = None
    end_date: Day | None = None
    time_text: Annotated[str, model_text(Task, "time_text")] | None = None
    report_to: uuid.UUID | None = None
    report_due_text: Annotated[str, model_text(Task, "report_due_text")] | None = None
    expected_output: Annotated[str, Text(services.LIMITS["expected_output"],
                                         multiline=True)] | None = None


NOT_NULL = _("Không nhận null: hãy bỏ trường này đi nếu không sửa nó.")
AGENCY_NOT_OF_UNIT = _("Đơn vị ban hành kế hoạch không có cơ quan này.")
PLAN_NOT_HIGHER = _("Không có kế hoạch này trong các kế hoạch của đơn vị hoặc cấp trên mà bạn "
                    "xem được.")
PLAN_TEXTS = ("number", "issuer_name", "legal_basis")
TASK_TEXTS = ("heading", "time_text", "report_due_text", "expected_output")


def _blank_nulls(fields: dict[str, Any], *, required: tuple[str, ...],
                 texts: tuple[str, ...]) -> dict[str, Any]:
    """A patch's fields: null refused for a field that is never blank, a blank text for one
    that may be."""
    for name in required:
        if name in fields and fields[name] is None:
            raise invalid(name, NOT_NULL)
    return {name: "" if name in texts and value is None else value
            for name, value in fields.items()}


def _implements(request: AuthedRequest, unit: Any, plan_id: uuid.UUID | None) -> Plan | None:
    if plan_id is None:
        return None
    found = selectors.plans_to_implement(user=request.user, units=[unit]).filter(
        public_id=plan_id).first()
    if found is None:
        raise invalid("implements", PLAN_NOT_HIGHER)
    return found


def _agencies(plan: Plan, fields: dict[str, Any]) -> dict[str, Any]:
    """The agencies a body names by id, those of the plan's unit (422 for any other)."""
    known = {agency.public_id: agency for agency in selectors.agencies_of_plan(plan=plan)}

    def one(name: str, value: uuid.UUID | None) -> Agency | None:
        if value is None:
            return None
        if value not in known:
            raise invalid(name, AGENCY_NOT_OF_UNIT)
        return known[value]

    for name in ("lead", "report_to"):
        if name in fields:
            fields[name] = one(name, fields[name])
    if "cooperating" in fields:
        fields["cooperating"] = [one("cooperating", value) for value in fields["cooperating"]]
    return fields


@router.post("/local-plans", response={201: LocalPlanOut}, summary="Một kế hoạch mới của địa phương")
def local_plan_create(request: AuthedRequest, data: LocalPlanIn, response: HttpResponse) -> Plan:
    """A plan of a unit whose plans you keep, named by its code (a unit you do not keep is
    not found, like one that does not exist); `implements`: a plan of the same unit or above."""
    require(request, Capability.MANAGE_PLANS)
    fields = data.dict()
    code = fields.pop("unit")
    unit = next((u for u in selectors.units_to_plan(user=request.user) if u.code == code), None)
    if unit is None:
        raise not_found()
    fields["implements"] = _implements(request, unit, fields["implements"])
    try:
        plan = services.plan_create(actor=request.user, unit=unit, **fields)
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error
    response["ETag"] = etag(plan.version)
    return plan


@router.patch("/local-plans/{plan_id}", response={200: LocalPlanOut, 412: ConflictOut, 428: ErrorOut},
              summary="Sửa một kế hoạch của địa phương", openapi_extra=VERSIONED_WRITE)
def local_plan_update(request: AuthedRequest, plan_id: uuid.UUID, data: LocalPlanPatch,
                      response: HttpResponse) -> Plan:
    """Change fields of a plan you keep, read at the version named in If-Match (its ETag):
    412 with the fields changed since and both values, nothing written. Its years may not
    leave out a year its tasks or progress reports have (422)."""
    require(request, Capability.MANAGE_PLANS)
    plan = selectors.get_plan_for_user(user=request.user, plan_id=plan_id, for_write=True)
    base_version = if_match(request)
    fields = _blank_nulls(data.dict(exclude_unset=True), texts=PLAN_TEXTS,
                          required=("title", "start_year", "end_year"))
    if "implements" in fields:
        fields["implements"] = _implements(request, plan.unit, fields["implements"])
    try:
        plan = services.plan_update(actor=request.user, plan=plan, base_version=base_version,
                                    **fields)
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error
    response["ETag"] = etag(plan.version)
    return plan


@router.post("/local-plans/{plan_id}/tasks", response={201: TaskOut},
             summary="Giao một nhiệm vụ của kế hoạch")
def local_plan_task_create(request: AuthedRequest, plan_id: uuid.UUID, data: TaskIn,
                           response: HttpResponse) -> Task:
    """A task of a plan you keep: its lead and co-operating agencies (and the one its report
    goes to) among the agencies of the plan's unit, by id; its time within the plan's years."""
    require(request, Capability.MANAGE_PLANS)
    plan = selectors.get_plan_for_user(user=request.user, plan_id=plan_id, for_write=True)
    fields = _agencies(plan, data.dict())
    try:
        task = services.task_create(actor=request.user, plan=plan, **fields)
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error
    response["ETag"] = etag(task.version)
    return task


@router.patch("/plan-tasks/{task_id}", response={200: TaskOut, 412: ConflictOut, 428: ErrorOut},
              summary="Sửa một nhiệm vụ của kế hoạch", openapi_extra=VERSIONED_WRITE)
def plan_task_update(request: AuthedRequest, task_id: uuid.UUID, data: TaskPatch,
                     response: HttpResponse) -> Task:
    """Change fields of a task of a plan you keep, read at the version named in If-Match (its
    ETag): 412 with the fields changed since and both values, nothing written."""
    require(request, Capability.MANAGE_PLANS)
    task = selectors.get_task_for_user(user=request.user, task_id=task_id, for_write=True)
    base_version = if_match(request)
    fields = _blank_nulls(data.dict(exclude_unset=True), texts=TASK_TEXTS,
                          required=("section", "text", "lead", "cooperating", "time_frame"))
    fields = _agencies(task.plan, fields)
    try:
        task = services.task_update(actor=request.user, task=task, base_version=base_version,
                                    **fields)
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error
    response["ETag"] = etag(task.version)
    return task


class ImplementationIn(Input):
    period: PeriodCode


class AgencyProgressOut(Schema):
    name: str
    role: str
    status: str
    status_label: str
    percent_done: int | None
    done_text: str
    difficulties: str
    evidence: int


class TaskLineOut(Schema):
    section: str
    text: str
    time_label: str
    due_on: datetime.date | None
    overdue: bool
    agencies: list[AgencyProgressOut]


class GroupOut(Schema):
    heading: str
    tasks: list[TaskLineOut]


class CountsOut(Schema):
    tasks: int
    done: int
    in_progress: int
    not_started: int
    not_done: int
    no_report: int
    overdue: int
    reports: int
    expected: int


class TargetLineOut(Schema):
    code: str
    name: str
    target: str
    value: str
    status: str
    status_label: str
    note: str


class ImplementationOut(Schema):
    plan_id: uuid.UUID
    plan_number: str
    plan_title: str
    issuer_name: str
    unit_name: str
    years: str
    period: str
    period_label: str
    assembled_at: datetime.datetime
    groups: list[GroupOut]
    counts: CountsOut
    indicator_set: str
    values_unit: str
    targets: list[TargetLineOut]


@router.get("/local-plans/{plan_id}/implementation", response=ImplementationOut,
            summary="Báo cáo kết quả thực hiện kế hoạch trong một kỳ")
def local_plan_implementation(request: AuthedRequest, plan_id: uuid.UUID,
                              query: Query[ImplementationIn]) -> Any:
    """The plan's tasks under their headings, each responsible agency's report for the period
    ("2026", "2026S1", "2026Q3", "202609"; within the plan's years), the counts by the lead
    agencies' reports, and the plan's targets with the period's values."""
    require(request, Capability.VIEW_PLANS)
    plan = selectors.get_plan_for_user(user=request.user, plan_id=plan_id)
    try:
        return implementation.assemble(user=request.user, plan=plan, period=query.period)
    except ValidationError as error:
        raise invalid("period", " ".join(error.messages), where="query") from error

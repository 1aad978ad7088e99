"""Local plans over the API (`/local-plans`: `/plans` are the support plans of cases): the
plans a user sees, and a plan with its tasks and agencies."""

import datetime
import uuid
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from treem.accounts.authentication import API_AUTH
from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability
from treem.api_support import (
    VERSIONED_WRITE,
    ConflictOut,
    ErrorOut,
    Input,
    Page,
    Text,
    Whole,
    etag,
    if_match,
    model_text,
    not_found,
    refusal,
    require,
)
from treem.indicators.schemas import PeriodCode
from treem.plans import selectors, services
from treem.plans.models import (
    Agency,
    Evidence,
    Plan,
    PlanStatus,
    ProgressStatus,
    Task,
    TaskProgress,
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


class PlanOut(Schema):
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


class PlanDetailOut(PlanOut):
    legal_basis: str
    agencies: list[AgencyOut]
    tasks: list[TaskOut]

    @staticmethod
    def resolve_agencies(p: Plan) -> list[Agency]:
        return p.agency_list  # type: ignore[attr-defined]

    @staticmethod
    def resolve_tasks(p: Plan) -> list[Task]:
        return p.task_list  # type: ignore[attr-defined]


class PlanFilter(Input):
    q: Annotated[str, Text(100)] = ""
    status: PlanStatus | None = None
    year: Annotated[int, Whole(2000, 2100, query=True)] | None = None


router = Router(tags=["plans"], auth=API_AUTH)


@router.get("/local-plans", response=list[PlanOut], summary="Các kế hoạch của địa phương")
@paginate(Page, page_size=50)
def local_plan_list(request: AuthedRequest, filters: Query[PlanFilter]) -> Any:
    """The plans you see: your units', those above them that they carry out, and those of the
    units under them; newest first."""
    require(request, Capability.VIEW_PLANS)
    return selectors.plan_list(user=request.user, filters=selectors.PlanFilters(
        q=filters.q, status=filters.status or "", year=filters.year)).select_related(
        "implements", "indicator_set")


@router.get("/local-plans/{plan_id}", response=PlanDetailOut,
            summary="Một kế hoạch của địa phương và các nhiệm vụ")
def local_plan_detail(request: AuthedRequest, plan_id: uuid.UUID) -> Plan:
    require(request, Capability.VIEW_PLANS)
    plan = selectors.get_plan_for_user(user=request.user, plan_id=plan_id)
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


@router.get("/plan-tasks/{task_id}", response=TaskDetailOut, summary="Một nhiệm vụ và tiến độ")
def plan_task_detail(request: AuthedRequest, task_id: uuid.UUID) -> Task:
    """A task of a plan you see, its due date, and every agency's progress reports."""
    require(request, Capability.VIEW_PLANS)
    task = selectors.get_task_for_user(user=request.user, task_id=task_id)
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

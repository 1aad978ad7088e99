"""Local plans over the API (`/local-plans`: `/plans` are the support plans of cases): the
plans a user sees, and a plan with its tasks and agencies."""

import datetime
import uuid
from typing import Annotated, Any

from ninja import Query, Router, Schema
from ninja.pagination import paginate

from treem.accounts.authentication import API_AUTH
from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability
from treem.api_support import Input, Page, Text, Whole, require
from treem.plans import selectors
from treem.plans.models import Agency, Plan, PlanStatus, Task


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

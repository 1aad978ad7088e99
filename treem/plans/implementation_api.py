"""A local plan's implementation report over the API (`plans.implementation`): its tasks
under their headings with each responsible agency's report for a period, the counts, and the
plan's targets with the period's values."""

import datetime
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from ninja import Query, Router, Schema

from treem.accounts.authentication import API_AUTH
from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability
from treem.api_support import Input, invalid, require
from treem.indicators.schemas import PeriodCode
from treem.plans import implementation, selectors


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


router = Router(tags=["plans"], auth=API_AUTH)


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

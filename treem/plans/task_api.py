"""A task of a local plan over the API (`/plan-tasks`): one task with its due date and every
agency's progress reports, and the tasks written by who keeps the plan. Their plan (and its
list of tasks) is `plans.api`, a progress report `plans.progress_api`."""

import datetime
import uuid
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router

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
    Text,
    Whole,
    etag,
    if_match,
    invalid,
    model_text,
    refusal,
    require,
)
from treem.lib.limits import LIST_MAX
from treem.plans import selectors, services
from treem.plans.api import TaskOut, _blank_nulls
from treem.plans.models import Agency, Plan, Task, TaskProgress, TimeFrame
from treem.plans.progress_api import ProgressOut


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


router = Router(tags=["plans"], auth=API_AUTH)


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


# --- Writing tasks ----------------------------------------------------------------------------

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


AGENCY_NOT_OF_UNIT = _("Đơn vị ban hành kế hoạch không có cơ quan này.")
TASK_TEXTS = ("heading", "time_text", "report_due_text", "expected_output")


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


"""Every read of the plans app, the user's scope applied here.

A user sees the plans of the units in its scope (a province sees those of every unit under
it), and the plans its own units carry out: those of the units above them, and of the units
dissolved in 2025 whose area they lie in or hold (Bắc Sơn district's plan of 2024 goes on with
the communes of Lạng Sơn that took its area) — never a sibling's or another province's."""

import datetime
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Count, Model, Prefetch, Q, QuerySet
from django.http import Http404

from treem.accounts.capabilities import Capability, roles_with
from treem.accounts.models import User
from treem.geo.lineage import former_paths
from treem.geo.models import Unit
from treem.geo.paths import ancestor_paths, any_subtree_q
from treem.lib.text import fold
from treem.plans import deadlines
from treem.plans.models import (
    Agency,
    AgencyQuerySet,
    Evidence,
    FocalPoint,
    Plan,
    PlanQuerySet,
    PlanStatus,
    ProgressStatus,
    Task,
    TaskProgress,
    TimeFrame,
)

M = TypeVar("M", bound=Model)


def _carried_out_paths(user: User, paths: list[str]) -> set[str]:
    """Paths of the units whose plans the user's units carry out: above them, and dissolved
    ones reaching them."""
    above: set[str] = set()
    for unit in Unit.objects.filter(path__in=paths):
        above.update(ancestor_paths(unit.path))
        if unit.valid_to is None:
            above.update(former_paths(unit))
    return above


def plans_for(*, user: User) -> PlanQuerySet:
    paths = user.scope_paths(capability=Capability.VIEW_PLANS)
    if not paths:
        return Plan.objects.none()
    # The units above and before the user's, found once a request (the user is read anew).
    cached = user.__dict__.setdefault("_treem_plan_paths", {})
    key = tuple(paths)
    if key not in cached:
        cached[key] = _carried_out_paths(user, paths)
    return Plan.objects.filter(any_subtree_q(paths, field="unit_path")
                               | Q(unit_path__in=cached[key]))


@dataclass(frozen=True)
class PlanFilters:
    q: str = ""
    status: str = ""
    year: int | None = None


def plan_list(*, user: User, filters: PlanFilters | None = None) -> PlanQuerySet:
    """The plans the user sees, newest first, each with its number of tasks."""
    f = filters or PlanFilters()
    plans = plans_for(user=user).select_related("unit").annotate(task_count=Count("tasks"))
    if f.status in PlanStatus.values:
        plans = plans.filter(status=f.status)
    if f.year is not None:
        plans = plans.filter(start_year__lte=f.year, end_year__gte=f.year)
    folded = fold(f.q)
    if folded:
        # Plans are a few dozen a province: their titles and numbers are folded here, not
        # indexed (the number is searched as typed, "256/KH").
        wanted = [pk for pk, number, title, issuer in plans.values_list(
            "pk", "number", "title", "issuer_name") if folded in fold(f"{number} {title} {issuer}")]
        plans = plans.filter(pk__in=wanted)
    return plans.order_by("-start_year", "unit_path", "title")


def one_visible(rows: QuerySet[M], public_id: uuid.UUID | str) -> M:
    """The row of `rows` (already limited to the user's scope) with that public id; 404 for
    any other, whether it does not exist, is out of scope or is no id at all. Every
    `get_…_for_user` of the plans app reads through it."""
    try:
        return rows.get(public_id=public_id)
    except (ObjectDoesNotExist, ValueError, TypeError, ValidationError) as error:
        raise Http404 from error


def may_manage(*, user: User, plan: Plan) -> bool:
    """The user keeps the plan: it manages plans over the plan's unit, a unit of today (a
    dissolved unit's plan is history, read by those who took its area)."""
    return (user.in_scope(plan.unit_path, capability=Capability.MANAGE_PLANS)
            and plan.unit.valid_to is None)


def get_plan_for_user(*, user: User, plan_id: uuid.UUID | str, for_write: bool = False
                      ) -> Plan:
    """404 when missing or out of the user's scope; 403 when `for_write` and the user reads
    the plan but does not keep it (a commune reading its province's plan, an auditor)."""
    plan = one_visible(plans_for(user=user).select_related("unit", "implements", "indicator_set"),
                plan_id)
    if for_write and not may_manage(user=user, plan=plan):
        raise PermissionDenied
    return plan


@dataclass
class AgencyTasks:
    agency: Agency
    tasks: list[Task] = field(default_factory=list)
    cooperating: list[Task] = field(default_factory=list)


def plan_tasks(*, plan: Plan, agency_id: uuid.UUID | None = None) -> list[Task]:
    """The plan's tasks in the plan's order, with their agencies; those of one agency (led or
    co-operated) when `agency_id` is given."""
    tasks = (Task.objects.filter(plan=plan).select_related("plan", "lead", "report_to")
             .prefetch_related(Prefetch("cooperating", queryset=Agency.objects.order_by("name")))
             .order_by("position"))
    if agency_id is not None:
        tasks = tasks.filter(Q(lead__public_id=agency_id)
                             | Q(cooperating__public_id=agency_id)).distinct()
    return list(tasks)


def tasks_by_agency(tasks: list[Task]) -> list[AgencyTasks]:
    """The tasks grouped by their lead agency (and listed again under each co-operating one),
    agencies in the order of their first task."""
    groups: dict[int, AgencyTasks] = {}
    cooperating: dict[int, list[Task]] = defaultdict(list)
    for task in tasks:
        groups.setdefault(task.lead_id, AgencyTasks(task.lead)).tasks.append(task)
        for agency in task.cooperating.all():
            cooperating[agency.pk].append(task)
            groups.setdefault(agency.pk, AgencyTasks(agency))
    for pk, found in cooperating.items():
        groups[pk].cooperating = found
    return list(groups.values())


def plan_agencies(*, plan: Plan) -> list[Agency]:
    """The agencies that lead or co-operate in the plan's tasks, by name."""
    return list(Agency.objects.filter(Q(led_tasks__plan=plan) | Q(cooperating_tasks__plan=plan))
                .distinct().select_related("unit").order_by("name"))


def my_agencies(*, user: User) -> list[Agency]:
    """The agencies the user reports for (an active focal point of each)."""
    return list(Agency.objects.filter(focal_points__user=user,
                                      focal_points__revoked_at__isnull=True)
                .select_related("unit").order_by("name").distinct())


@dataclass
class TaskState:
    """A task as its agencies have reported it: the latest report of each agency, the lead's
    status, when it is next due and whether it is overdue."""

    task: Task
    latest: dict[int, TaskProgress]          # agency id → its latest report
    due_on: datetime.date | None
    overdue: bool

    @property
    def lead_report(self) -> TaskProgress | None:
        return self.latest.get(self.task.lead_id)


def _done_years(reports: list[TaskProgress]) -> set[int]:
    return {int(r.period[:4]) for r in reports if r.status == ProgressStatus.DONE}


def task_states(tasks: list[Task], *, today: datetime.date) -> list[TaskState]:
    """The state of each task, two queries whatever their number. Overdue: a due date of the
    task has passed and its lead agency has not reported it done in that year (a yearly task
    is due every year of its plan)."""
    reports: dict[int, list[TaskProgress]] = defaultdict(list)
    # Only what a state needs: a plan of 200 tasks has a year of reports, 1,600 rows.
    for report in (TaskProgress.objects.filter(task__in=[t.pk for t in tasks])
                   .only("id", "task_id", "agency_id", "period", "status", "percent_done")
                   .order_by("-period", "-reported_at")):
        reports[report.task_id].append(report)
    states = []
    for task in tasks:
        own = reports.get(task.pk, [])
        latest: dict[int, TaskProgress] = {}
        for report in own:
            latest.setdefault(report.agency_id, report)
        done = _done_years([r for r in own if r.agency_id == task.lead_id])
        plan = task.plan
        missed = [day for year in range(plan.start_year, min(plan.end_year, today.year) + 1)
                  if (day := deadlines.due_on(task, year=year)) is not None
                  and day < today and year not in done
                  and not (task.time_frame != TimeFrame.YEARLY and done)]
        states.append(TaskState(task=task, latest=latest,
                                due_on=deadlines.next_due(task, today=today),
                                overdue=bool(missed)))
    return states


def tasks_of_agencies(*, agencies: list[Agency]) -> list[Task]:
    """The tasks the agencies lead or co-operate in, of the plans in force (an ended or
    replaced plan's tasks are its history, on the plan's page)."""
    return list(Task.objects.filter(Q(lead__in=agencies) | Q(cooperating__in=agencies),
                                    plan__status=PlanStatus.IN_FORCE)
                .distinct().select_related("plan", "plan__unit", "lead")
                .prefetch_related("cooperating")
                .order_by("plan__status", "-plan__start_year", "plan_id", "position"))


def get_task_for_user(*, user: User, task_id: uuid.UUID | str, for_write: bool = False
                      ) -> Task:
    """As `get_plan_for_user`, by the task's plan."""
    task = one_visible(Task.objects.filter(plan__in=plans_for(user=user))
                .select_related("plan", "plan__unit", "lead"), task_id)
    if for_write and not may_manage(user=user, plan=task.plan):
        raise PermissionDenied
    return task


def progress_of(*, task: Task, agency: Agency, period: str) -> TaskProgress | None:
    """The report of `agency` for `task` and `period`, if made."""
    return TaskProgress.objects.filter(task=task, agency=agency, period=period).first()


def task_reports(*, task: Task) -> list[TaskProgress]:
    return list(TaskProgress.objects.filter(task=task).select_related("agency", "reported_by")
                .prefetch_related("evidence").order_by("-period", "agency__name"))


def units_to_plan(*, user: User) -> list[Unit]:
    """The units of today whose plans the user keeps: those of its own assignments."""
    return list(Unit.objects.filter(
        path__in=user.role_paths(roles_with(Capability.MANAGE_PLANS)),
        valid_to__isnull=True).order_by("path"))


def plans_to_implement(*, user: User, units: list[Unit]) -> PlanQuerySet:
    """The plans a new plan of `units` may carry out: those of the same units and above."""
    above = {path for unit in units for path in ancestor_paths(unit.path)}
    return plans_for(user=user).filter(unit_path__in=above).order_by("-start_year", "title")


def agencies_of_plan(*, plan: Plan) -> AgencyQuerySet:
    """The agencies a plan's tasks are given to: its unit's, by name."""
    return Agency.objects.filter(unit=plan.unit).order_by("name")


def agencies_kept_by(*, user: User) -> list[Agency]:
    """The agencies of the units whose plans the user keeps, with their focal points."""
    return list(Agency.objects.filter(unit__in=units_to_plan(user=user))
                .select_related("unit")
                .prefetch_related(Prefetch("focal_points",
                                           queryset=FocalPoint.objects.filter(
                                               revoked_at__isnull=True).select_related("user")))
                .order_by("unit__path", "name"))


def focal_point_candidates(*, agency: Agency) -> Any:
    """Users holding a sector focal point's role at the agency's unit or above it."""
    return (User.objects.filter(
        is_active=True, assignments__revoked_at__isnull=True,
        assignments__role__in=roles_with(Capability.REPORT_TASK_PROGRESS),
        assignments__unit__path__in=ancestor_paths(agency.unit_path))
        .distinct().order_by("full_name", "username"))


SOON = datetime.timedelta(days=30)  # a task due within this is listed as coming


def tasks_waiting(*, user: User, today: datetime.date) -> list[TaskState]:
    """The tasks of the user's agencies that need a report: overdue ones first, then those due
    within SOON whose lead has not reported them done this year."""
    agencies = my_agencies(user=user)
    if not agencies:
        return []
    states = task_states(tasks_of_agencies(agencies=agencies), today=today)
    waiting = [state for state in states if state.overdue or (
        state.due_on is not None and today <= state.due_on <= today + SOON
        and not _done_in(state, state.due_on.year))]
    waiting.sort(key=lambda s: (not s.overdue, s.due_on or datetime.date.max, s.task.pk))
    return waiting


def _done_in(state: TaskState, year: int) -> bool:
    report = state.lead_report
    return (report is not None and report.status == ProgressStatus.DONE
            and report.period.startswith(str(year)))


def get_progress_for_user(*, user: User, progress_id: uuid.UUID | str) -> TaskProgress:
    return one_visible(TaskProgress.objects.filter(task__plan__in=plans_for(user=user))
                .select_related("task", "task__plan", "task__plan__unit", "agency"),
                progress_id)


def get_evidence_for_user(*, user: User, evidence_id: uuid.UUID | str) -> Evidence:
    return one_visible(Evidence.objects.filter(progress__task__plan__in=plans_for(user=user))
                .select_related("progress", "progress__task", "progress__task__plan",
                                "progress__task__plan__unit", "progress__agency"),
                evidence_id)


def get_attachment_for_user(*, user: User, attachment_id: uuid.UUID | str) -> Any:
    """A document of a plan the user sees (404 otherwise)."""
    from treem.plans.models import PlanAttachment

    return one_visible(PlanAttachment.objects.filter(plan__in=plans_for(user=user))
                .select_related("plan", "plan__unit"), attachment_id)

"""A plan's implementation report for a period (báo cáo kết quả thực hiện kế hoạch): its tasks
in the plan's order under their headings, each with every responsible agency's report of the
period, the counts, and the plan's targets with the period's values at the plan's unit.

Assembled from what agencies reported (`TaskProgress`) and from the indicators' own dashboard
(`treem.indicators.dashboard`: the values and targets its pages show), never recomputed here.
Attached to the unit's periodic report of the period (`ImplementationReport`), it is frozen as
JSON (`Implementation.content`), and the frozen page renders that JSON with the same template:
what a report said, it says for ever.

The periodic reports belong to `treem.reports`, which this app does not import (the two are
siblings): the reports it offers to attach to are read through the model its foreign key names
(`_reports`), with the reports' statuses spelt here (`EDITABLE`)."""

import datetime
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.accounts.capabilities import Capability
from treem.accounts.models import User
from treem.geo.lineage import heir_of, successors_of
from treem.geo.models import Unit
from treem.indicators import dashboard, periods
from treem.indicators.formatting import indicator_value
from treem.indicators.targets import goal_text
from treem.plans import exceptions as exc
from treem.plans import selectors
from treem.plans.models import (
    Agency,
    ImplementationReport,
    Plan,
    ProgressStatus,
    Task,
    TaskProgress,
)

LEAD, COOPERATING = "lead", "cooperating"
NO_REPORT = "no_report"
# The reports' statuses in which a report may still change (treem.reports.models.Status):
# a report submitted or approved says what it said when it was sent.
EDITABLE = ("draft", "returned")
CONTENT_VERSION = 1  # of the frozen JSON's shape


@dataclass(frozen=True)
class AgencyProgress:
    """What one agency responsible for a task reported of it for the period."""

    name: str
    role: str                 # LEAD or COOPERATING
    status: str               # a ProgressStatus, or NO_REPORT
    status_label: str
    percent_done: int | None = None
    done_text: str = ""
    difficulties: str = ""
    evidence: int = 0         # files shown as evidence

    @property
    def reported(self) -> bool:
        return self.status != NO_REPORT


@dataclass(frozen=True)
class TaskLine:
    section: str
    text: str
    time_label: str
    due_on: datetime.date | None
    overdue: bool
    agencies: list[AgencyProgress]

    @property
    def lead(self) -> AgencyProgress:
        return self.agencies[0]


@dataclass(frozen=True)
class Group:
    """Tasks under one heading of the plan (or one part of its numbering, when the plan gives
    none)."""

    heading: str
    tasks: list[TaskLine]


@dataclass(frozen=True)
class Counts:
    """The tasks by their lead agency's report for the period (a co-operating agency's "done"
    is not the lead's), and the tasks overdue."""

    tasks: int = 0
    done: int = 0
    in_progress: int = 0
    not_started: int = 0
    not_done: int = 0
    no_report: int = 0
    overdue: int = 0
    reports: int = 0          # agencies' reports received for the period
    expected: int = 0         # one an agency responsible for a task


@dataclass(frozen=True)
class TargetLine:
    code: str
    name: str
    target: str               # "Không vượt quá 5 (2030)", or "" when the unit has none
    value: str                # the period's value as the indicator's unit says it, "—" if none
    status: str               # treem.indicators.dashboard's: on_track, off_track, no_value…
    status_label: str
    note: str = ""            # a target of a unit dissolved in 2025, and whose area it is


@dataclass(frozen=True)
class Implementation:
    plan_id: str
    plan_number: str
    plan_title: str
    issuer_name: str
    unit_name: str
    years: str
    period: str
    period_label: str
    assembled_at: datetime.datetime
    groups: list[Group]
    counts: Counts
    indicator_set: str = ""
    values_unit: str = ""     # where the values are read (the plan's unit, or who took it over)
    targets: list[TargetLine] = field(default_factory=list)
    version: int = CONTENT_VERSION

    def content(self) -> dict[str, Any]:
        """As JSON, to freeze in an attachment (dates as ISO text)."""
        data = asdict(self)
        data["assembled_at"] = self.assembled_at.isoformat()
        for group in data["groups"]:
            for task in group["tasks"]:
                task["due_on"] = task["due_on"].isoformat() if task["due_on"] else None
        return data

    @classmethod
    def from_content(cls, data: dict[str, Any]) -> "Implementation":
        """The report as frozen (`content`)."""
        groups = [Group(g["heading"], [TaskLine(
            t["section"], t["text"], t["time_label"],
            datetime.date.fromisoformat(t["due_on"]) if t["due_on"] else None, t["overdue"],
            [AgencyProgress(**a) for a in t["agencies"]]) for t in g["tasks"]])
            for g in data["groups"]]
        return cls(**{**data, "assembled_at": datetime.datetime.fromisoformat(
            data["assembled_at"]), "groups": groups, "counts": Counts(**data["counts"]),
            "targets": [TargetLine(**t) for t in data["targets"]]})


def check_period(plan: Plan, code: str, *, today: datetime.date) -> periods.Period:
    """The period a code names, within the plan's years and begun by `today`; a
    ValidationError at `period` in Vietnamese otherwise."""
    try:
        period = periods.parse(code or "")
    except periods.PeriodError as error:
        raise ValidationError({"period": str(error)}) from error
    if not plan.start_year <= period.start.year <= plan.end_year:
        raise ValidationError({"period": exc.PERIOD_OUTSIDE_PLAN % {
            "period": period.label, "start": plan.start_year, "end": plan.end_year}})
    if period.start > today:
        raise ValidationError({"period": exc.PERIOD_NOT_STARTED % {"period": period.label}})
    return period


def default_period(plan: Plan, *, today: datetime.date) -> str | None:
    """The half year a page opens on: the one running today, else the plan's last (None for
    a plan not begun)."""
    year = min(today.year, plan.end_year)
    if year < plan.start_year:
        return None
    if year < today.year:
        return f"{year}S2"
    return f"{year}S{1 if today.month <= 6 else 2}"


def period_choices(plan: Plan, *, today: datetime.date) -> list[periods.Period]:
    """The years, halves and quarters of the plan begun by `today`, latest first."""
    found = []
    for year in range(min(plan.end_year, today.year), plan.start_year - 1, -1):
        for suffix in ("", "S2", "S1", "Q4", "Q3", "Q2", "Q1"):
            period = periods.parse(f"{year}{suffix}")
            if period.start <= today:
                found.append(period)
    return found


def _heading(task: Task) -> str:
    return task.heading or task.section.split(".")[0]


def _progress(tasks: list[Task], code: str) -> dict[tuple[int, int], TaskProgress]:
    rows = (TaskProgress.objects.filter(task__in=[t.pk for t in tasks], period=code)
            .annotate(files=Count("evidence")))
    return {(row.task_id, row.agency_id): row for row in rows}


def _agency_line(agency: Agency, role: str, report: TaskProgress | None) -> AgencyProgress:
    if report is None:
        return AgencyProgress(agency.name, role, NO_REPORT, _("Chưa báo cáo"))
    return AgencyProgress(agency.name, role, report.status, str(report.get_status_display()),
                          report.percent_done, report.done_text, report.difficulties,
                          report.files)  # type: ignore[attr-defined]


def _counts(lines: list[TaskLine]) -> Counts:
    tally = {status: 0 for status in (*ProgressStatus.values, NO_REPORT)}
    for line in lines:
        tally[line.lead.status] += 1
    return Counts(tasks=len(lines), done=tally[ProgressStatus.DONE],
                  in_progress=tally[ProgressStatus.IN_PROGRESS],
                  not_started=tally[ProgressStatus.NOT_STARTED],
                  not_done=tally[ProgressStatus.NOT_DONE], no_report=tally[NO_REPORT],
                  overdue=sum(1 for line in lines if line.overdue),
                  reports=sum(1 for line in lines for a in line.agencies if a.reported),
                  expected=sum(len(line.agencies) for line in lines))


def values_unit(plan: Plan) -> Unit:
    """Where a plan's values are read: its unit; for a unit dissolved in 2025, the unit of
    today carrying on its work (its targets are then judged on its former area's value, as
    the indicators' dashboard does)."""
    if plan.unit.valid_to is None:
        return plan.unit
    return heir_of(plan.unit) or plan.unit


def _targets(user: User, plan: Plan, period: periods.Period) -> tuple[Unit, list[TargetLine]]:
    unit = values_unit(plan)
    assert plan.indicator_set_id is not None
    # The set as the user's indicator pages see it: the plan's link gives no more.
    sets = dashboard.sets_for(user=user, capability=Capability.VIEW_INDICATORS).filter(
        pk=plan.indicator_set_id)
    shown = dashboard.dashboard(sets=sets, unit=unit, period=period)
    lines = []
    for _set, rows in shown.groups:
        for row in rows:
            version, target = row.version, row.target
            lines.append(TargetLine(
                code=version.indicator.code, name=version.name,
                target=(f"{goal_text(target.value, target.direction)} ({target.year})"
                        if target is not None else ""),
                value=indicator_value(row.compared, version.unit_kind),
                status=row.status, status_label=str(row.status_label),
                note=row.goal.note if row.goal is not None else ""))
    return unit, lines


def assemble(*, user: User, plan: Plan, period: str,
             today: datetime.date | None = None) -> Implementation:
    """The implementation report of `plan` (one the user sees: `selectors.get_plan_for_user`)
    for `period` ("2026", "2026S1", "2026Q3", "202609"), as it stands now."""
    today = today or timezone.localdate()
    parsed = check_period(plan, period, today=today)
    tasks = selectors.plan_tasks(plan=plan)
    reports = _progress(tasks, parsed.code)
    groups: list[Group] = []
    lines: list[TaskLine] = []
    for state in selectors.task_states(tasks, today=today):
        task = state.task
        agencies = [(task.lead, LEAD), *((a, COOPERATING) for a in task.cooperating.all())]
        line = TaskLine(task.section, task.text, task.time_label, state.due_on, state.overdue,
                        [_agency_line(agency, role, reports.get((task.pk, agency.pk)))
                         for agency, role in agencies])
        lines.append(line)
        if not groups or groups[-1].heading != _heading(task):
            groups.append(Group(_heading(task), []))
        groups[-1].tasks.append(line)
    unit, targets = (_targets(user, plan, parsed) if plan.indicator_set_id
                     else (values_unit(plan), []))
    return Implementation(
        plan_id=str(plan.public_id), plan_number=plan.number, plan_title=plan.title,
        issuer_name=plan.issuer_name, unit_name=plan.unit.name,
        years=(str(plan.start_year) if plan.start_year == plan.end_year
               else f"{plan.start_year}–{plan.end_year}"),
        period=parsed.code, period_label=parsed.label, assembled_at=timezone.now(),
        groups=groups, counts=_counts(lines),
        indicator_set=plan.indicator_set.name if plan.indicator_set_id else "",  # type: ignore[union-attr]
        values_unit=unit.name, targets=targets)


# --- Attaching to the periodic report ------------------------------------------------------

def _reports() -> Any:
    """The periodic reports' model, through the foreign key that names it (`reports.Report`):
    this app does not import its sibling."""
    return ImplementationReport._meta.get_field("report").related_model


def report_units(plan: Plan) -> list[Unit]:
    """The units whose periodic report may carry the plan's: its own; for a unit dissolved in
    2025, the units of today that took over its area (`treem.geo.lineage.successors_of`)."""
    return successors_of(plan.unit)


def reports_for(*, user: User) -> QuerySet[Any]:
    """The periodic reports the user sees (as the reports' pages: writers and reviewers)."""
    model = _reports()
    return (model.objects.visible_to(user, capability=Capability.WRITE_REPORTS)
            | model.objects.visible_to(user, capability=Capability.REVIEW_REPORTS))


def candidate_reports(*, user: User, plan: Plan, period: str) -> list[Any]:
    """The reports the plan's implementation report of `period` may be attached to that the
    user sees: of the plan's unit (or its successors), of that period, still editable, not
    carrying it yet."""
    return list(reports_for(user=user).filter(
        unit__in=report_units(plan), period=period, is_latest=True, status__in=EDITABLE)
        .exclude(plan_implementation_reports__plan=plan)
        .select_related("unit", "schedule").order_by("unit__path", "schedule__code"))


def get_report_for_user(*, user: User, report_id: uuid.UUID | str) -> Any:
    """A periodic report the user sees; 404 for any other."""
    return selectors.one_visible(reports_for(user=user).select_related("unit", "schedule"),
                                 report_id)


def attachments_for(*, user: User) -> QuerySet[ImplementationReport]:
    return ImplementationReport.objects.filter(plan__in=selectors.plans_for(user=user))


def get_attachment_for_user(*, user: User,
                            attachment_id: uuid.UUID | str) -> ImplementationReport:
    """An attached implementation report of a plan the user sees; 404 for any other."""
    return selectors.one_visible(attachments_for(user=user).select_related(
        "plan", "plan__unit", "report", "report__unit", "report__schedule", "attached_by"),
        attachment_id)


def plan_attachments(*, plan: Plan) -> list[ImplementationReport]:
    return list(ImplementationReport.objects.filter(plan=plan)
                .select_related("report", "report__unit", "report__schedule", "attached_by")
                .order_by("-period", "-attached_at"))


def is_editable(report: Any) -> bool:
    return bool(report.is_latest and report.status in EDITABLE)


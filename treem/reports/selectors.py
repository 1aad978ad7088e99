"""Reading reports: within the user's scope; and, for the level above, who has reported."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from treem.accounts.models import User
from treem.accounts.permissions import Capability
from treem.geo.lineage import area_of, history_roots
from treem.geo.models import REORGANISATION_DATE, Unit
from treem.geo.paths import subtree_q
from treem.indicators import periods
from treem.lib.routing import replica_reads
from treem.reports.models import Report, Schedule, Status, owner_paths

REMIND_DAYS = 5  # a unit is reminded this many days before its report is due


def report_list(*, user: User) -> QuerySet[Report]:
    """The reports of the units in the user's scope (writers' and reviewers' alike)."""
    paths = {Capability.WRITE_REPORTS, Capability.REVIEW_REPORTS}
    visible = Report.objects.none()
    for capability in paths:
        visible = visible | Report.objects.visible_to(user, capability=capability)
    return visible.select_related("unit", "schedule").order_by("-period", "unit_path",
                                                               "-version")


def get_report_for_user(*, user: User, report_id: Any) -> Report:
    report = report_list(user=user).filter(public_id=report_id).first()
    if report is None:
        raise Http404
    return report


def latest_period(*, user: User, schedule: Schedule) -> periods.Period | None:
    """The latest period of `schedule` that a report of the user's scope was opened for: the
    period the report pages open on (None: no report yet, the caller takes the last ended)."""
    codes = (report_list(user=user).filter(schedule=schedule).order_by()
             .values_list("period", flat=True).distinct())
    # Codes of one kind sort as their periods do ("2025S2" < "2026S1"); parsed to be sure.
    found = [periods.parse(code) for code in codes]
    return max(found, default=None, key=lambda p: p.end)


@dataclass
class Completeness:
    """Reports expected from the units directly under a unit, for one schedule and period."""

    expected: list[Unit]
    received: dict[int, Report] = field(default_factory=dict)  # unit id → its latest report
    on_time: set[int] = field(default_factory=set)

    @property
    def completeness(self) -> float | None:
        """Reports received / reports expected (a report sent back still was received)."""
        return 100 * len(self.received) / len(self.expected) if self.expected else None

    @property
    def timeliness(self) -> float | None:
        """Reports received by their due date / reports expected (not / received: a unit
        that never reported is not on time)."""
        return 100 * len(self.on_time) / len(self.expected) if self.expected else None

    def late(self, today: datetime.date, due: dict[int, datetime.date]) -> list[Unit]:
        return [u for u in self.expected if u.pk not in self.received and due[u.pk] < today]


def expected_units(unit: Unit, period: periods.Period,
                   schedule: Schedule | None = None) -> list[Unit]:
    """The reporting units (districts, communes; those the schedule names a due date for)
    directly under `unit` as they stood on the period's last day; villages do not report.

    Across the 2025 reorganisation (`treem.geo.lineage`): a unit of today asked for a period
    that ended before it looks at the units it took over, whose units reported then; a plan
    of a unit dissolved in 2025 expects reports only from the units of its area."""
    day = period.end
    levels = {"district", "commune"} & (schedule.levels() if schedule else {"district",
                                                                           "commune"})
    parents = [unit]
    if unit.valid_to is None and day < REORGANISATION_DATE:
        parents += history_roots(unit)
    found = Unit.objects.filter(parent__in=parents, level__in=levels).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    owner = schedule.owner if schedule is not None else None
    if owner is not None and owner.valid_to is not None and unit.valid_to is None:
        # Before the merger the plan's own units reported; after it, those of its area.
        found = (found.filter(subtree_q(owner.path)) if day < REORGANISATION_DATE
                 else found.filter(pk__in=area_of(owner)))
    return list(found.order_by("name"))


@replica_reads()
def completeness(*, schedule: Schedule, unit: Unit, period: str) -> Completeness:
    parsed = periods.parse(period)
    found = Completeness(expected_units(unit, parsed, schedule))
    reports = Report.objects.filter(schedule=schedule, period=parsed.code,
                                    unit__in=found.expected, is_latest=True)
    for report in reports:
        if report.first_submitted_at is None:
            continue
        found.received[report.unit_id] = report
        if timezone.localdate(report.first_submitted_at) <= report.due_on:
            found.on_time.add(report.unit_id)
    return found


@dataclass(frozen=True)
class Due:
    unit: Unit
    schedule: Schedule
    period: periods.Period
    due_on: datetime.date

    @property
    def overdue(self) -> bool:
        return self.due_on < timezone.localdate()


def reports_due(*, user: User, today: datetime.date | None = None) -> list[Due]:
    """The reminders of the user's own units: reports due within REMIND_DAYS, or overdue by
    less than a month, that the unit has not sent yet."""
    from treem.reports.services import due_on

    today = today or timezone.localdate()
    units = list(Unit.objects.filter(  # today's units: the merged ones no longer report
        path__in=user.scope_paths(capability=Capability.WRITE_REPORTS), valid_to__isnull=True))
    if not units:
        return []
    sent = set(Report.objects.filter(unit__in=units, is_latest=True,
                                     first_submitted_at__isnull=False)
               .values_list("schedule_id", "unit_id", "period"))
    found = []
    owners = {unit.pk: owner_paths(unit) for unit in units}
    for schedule in Schedule.objects.for_paths(
            [u.path for u in units] + [p for paths in owners.values() for p in paths]):
        current = periods.of_kind(schedule.period_kind, today)
        for period in (periods.previous(current), current):
            if not schedule.runs_in(period.end.year):
                continue
            for unit in units:
                if not schedule.applies_to(unit, owners[unit.pk]):
                    continue  # another plan's schedule
                try:
                    due = due_on(schedule, unit, period)
                except ValidationError:  # a level the schedule names no date for
                    continue
                if (schedule.pk, unit.pk, period.code) in sent:
                    continue
                if today - datetime.timedelta(days=30) <= due <= today + datetime.timedelta(
                        days=REMIND_DAYS):
                    found.append(Due(unit, schedule, period, due))
    return sorted(found, key=lambda row: row.due_on)


# --- What waits on the home pages -------------------------------------------------------------


def reports_awaiting_review(*, user: User) -> QuerySet[Report]:
    """Reports sent up to a unit the user reviews for (`services.may_review`: a unit below one
    of its own), waiting for its decision, the oldest due date first."""
    paths = user.scope_paths(capability=Capability.REVIEW_REPORTS)
    if not paths:
        return Report.objects.none()
    return (Report.objects.visible_to(user, capability=Capability.REVIEW_REPORTS)
            .filter(is_latest=True, status=Status.SUBMITTED).exclude(unit_path__in=paths)
            .select_related("unit", "schedule").order_by("due_on", "submitted_at", "id"))


@dataclass(frozen=True)
class Board:
    """Who has reported to `unit` for one schedule and period."""

    unit: Unit
    schedule: Schedule
    period: periods.Period
    found: Completeness
    due_on: datetime.date | None  # of the units below (the first level that reports)


def reporting_period(schedule: Schedule, today: datetime.date) -> periods.Period:
    """The period whose reports are being collected: the current one once the units' due date
    is near (REMIND_DAYS) or past, else the one before it."""
    from treem.reports.services import due_on

    current = periods.of_kind(schedule.period_kind, today)
    for level in ("commune", "district"):
        try:
            day = due_on(schedule, Unit(level=level), current)
        except ValidationError:  # no date for this level: the next one reports
            continue
        return current if day <= today + datetime.timedelta(days=REMIND_DAYS) else (
            periods.previous(current))
    return periods.previous(current)


@replica_reads()
def completeness_boards(*, user: User, today: datetime.date | None = None,
                        limit: int = 4) -> list[Board]:
    """For each of the user's own units of today that others report to, and each schedule that
    applies to it, the completeness and timeliness of the period being collected; a handful
    of schedules, three queries each."""
    from treem.reports.services import due_on

    today = today or timezone.localdate()
    units = list(Unit.objects.current().filter(
        path__in=user.scope_paths(capability=Capability.REVIEW_REPORTS))
        .order_by("path")[:limit])
    boards: list[Board] = []
    for unit in units:
        for schedule in Schedule.objects.applying_to(unit).order_by("code"):
            period = reporting_period(schedule, today)
            if not schedule.runs_in(period.end.year):
                continue
            found = completeness(schedule=schedule, unit=unit, period=period.code)
            if not found.expected:
                continue
            try:
                due = due_on(schedule, found.expected[0], period)
            except ValidationError:
                due = None
            boards.append(Board(unit, schedule, period, found, due))
            if len(boards) >= limit:
                return boards
    return boards

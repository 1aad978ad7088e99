"""The time limits of the process, set when a case opens and met by the steps that fulfil them.

- Emergency measures for a child in danger: within 12 hours of receipt (ND 56/2017 Điều 26
  khoản 3, Điều 31 khoản 1).
- The support and intervention plan: within 5 working days (ND 56/2017 Điều 28 khoản 1),
  counted from receipt.

The limits are read from LIMITS so that a change of the legal text is a change of data.
"""

import datetime

from django.db.models import Q, QuerySet

from treem.cases.models import Case, CaseDeadline
from treem.cases.workdays import WorkCalendar, add_hours

Step = CaseDeadline.Step

LIMITS = {
    Step.EMERGENCY: ("hours", 12),
    Step.PLAN: ("working_days", 5),
}
# The moves that meet each limit.
MET_BY = {
    "submit_plan": (Step.PLAN,),
    # Verification that finds no danger, or a case closed early, ends every running limit.
    "not_confirmed": tuple(Step),
    "hand_over": tuple(Step),
}


def due(step: str, start: datetime.datetime, calendar: WorkCalendar | None = None
        ) -> datetime.datetime:
    unit, amount = LIMITS[Step(step)]
    if unit == "hours":
        return add_hours(start, amount)
    return (calendar or WorkCalendar.from_database()).add_working_days(start, amount)


def on_open(case: Case) -> None:
    calendar = WorkCalendar.from_database()
    steps = [Step.PLAN] + ([Step.EMERGENCY] if case.urgent else [])
    CaseDeadline.objects.bulk_create(
        CaseDeadline(case=case, step=step, due_at=due(step, case.received_at, calendar))
        for step in steps)


def on_move(case: Case, move: str, at: datetime.datetime) -> None:
    steps = MET_BY.get(move, ())
    if steps:
        CaseDeadline.objects.filter(case=case, step__in=steps, met_at__isnull=True) \
            .update(met_at=at)


def emergency_met(case: Case, at: datetime.datetime) -> None:
    """Emergency measures were taken (or the child found out of danger)."""
    CaseDeadline.objects.filter(case=case, step=Step.EMERGENCY, met_at__isnull=True) \
        .update(met_at=at)


def running(cases: Q | None = None) -> "QuerySet[CaseDeadline]":
    rows = CaseDeadline.objects.filter(met_at__isnull=True)
    return rows.filter(cases) if cases is not None else rows

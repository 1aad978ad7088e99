"""The time limits of the process, started and met by the moves of a case.

Verified against the codified text of Nghị định 56/2017 (treem/cases/data/legal_basis.md):

- emergency intervention or temporary separation of a child in danger: no more than 12 hours
  from receipt of the information (Điều 26 khoản 3, Điều 31 khoản 2, Điều 32 khoản 2). The
  clock starts when an urgent notification is recorded, before any case (`on_notification`);
  the case opened for it carries the same limit (`on_open`), never a new one;
- the support and intervention plan: 05 working days (Điều 28 khoản 1), again after a review
  that finds the child still at risk (Điều 30 khoản 1 điểm c). The decree does not say from
  when; its wording follows the needs assessment, so the limit starts when planning starts
  (`START_BY`);
- approval of the plan by the chairman: 02 working days (Điều 28 khoản 4) from its submission.

A limit is met when its step is done (`MET_BY`, the emergency measures), and cancelled when
the case ends without it (any move into "closed"): a cancelled or met limit is never overdue.

Each limit is data here (`LIMITS`, `START_BY`, `MET_BY`), so a change of the text is a change
of these tables. Limits in working days keep their start (`started_at`), so that a change of
the calendar counts the running ones again (`recount`).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from treem.cases.choices import Status
from treem.cases.models import Case, CaseDeadline, Notification
from treem.cases.workdays import WorkCalendar, add_hours, local_day, start_of
from treem.cases.workflow import MOVES

Step = CaseDeadline.Step

LIMITS: dict[str, tuple[str, int]] = {
    Step.EMERGENCY: ("hours", 12),
    Step.PLAN: ("working_days", 5),
    Step.APPROVAL: ("working_days", 2),
}
IN_WORKING_DAYS = tuple(step for step, (unit, _amount) in LIMITS.items()
                        if unit == "working_days")
# The moves that start a limit (counted from the move); the emergency limit starts at receipt.
START_BY: dict[str, tuple[str, ...]] = {
    "plan": (Step.PLAN,),
    "new_plan": (Step.PLAN,),
    "submit_plan": (Step.APPROVAL,),
}
# The moves that meet a limit: its step is done.
MET_BY: dict[str, tuple[str, ...]] = {
    "submit_plan": (Step.PLAN,),
    "approve_plan": (Step.APPROVAL,),
    "return_plan": (Step.APPROVAL,),
}
# The moves that end the case, and with it every limit still running (not done: cancelled).
ENDS_THE_CASE: frozenset[str] = frozenset(name for name, move in MOVES.items()
                                          if move.target == Status.CLOSED)


def due(step: str, start: datetime.datetime, calendar: WorkCalendar | None = None
        ) -> datetime.datetime:
    unit, amount = LIMITS[step]
    if unit == "hours":
        return add_hours(start, amount)
    return (calendar or WorkCalendar.from_database()).add_working_days(start, amount)


def on_notification(notification: Notification) -> None:
    """A report of a child in danger: the 12 hours run from its receipt, case or not."""
    if notification.urgent:
        CaseDeadline.objects.create(
            notification=notification, step=Step.EMERGENCY, started_at=notification.received_at,
            due_at=due(Step.EMERGENCY, notification.received_at))


def on_open(case: Case, notification: Notification | None = None) -> None:
    """The case takes over the notification's running limit (the same row, the same due
    moment); an urgent case without one gets its 12 hours from receipt."""
    if notification is not None:
        CaseDeadline.objects.filter(notification=notification, case__isnull=True) \
            .update(case=case)
    if case.urgent and not case.deadlines.filter(step=Step.EMERGENCY).exists():
        CaseDeadline.objects.create(case=case, notification=notification, step=Step.EMERGENCY,
                                    started_at=case.received_at,
                                    due_at=due(Step.EMERGENCY, case.received_at))


def on_move(case: Case, move: str, at: datetime.datetime) -> None:
    met = MET_BY.get(move, ())
    if met:
        CaseDeadline.objects.running().filter(case=case, step__in=met).update(met_at=at)
    if move in ENDS_THE_CASE:
        CaseDeadline.objects.running().filter(case=case).update(cancelled_at=at)
    started = START_BY.get(move, ())
    if started:
        calendar = WorkCalendar.from_database()
        CaseDeadline.objects.bulk_create(
            CaseDeadline(case=case, step=step, started_at=at, due_at=due(step, at, calendar))
            for step in started)


def emergency_met(case: Case, at: datetime.datetime) -> None:
    """Emergency measures were taken (or the child found out of danger)."""
    CaseDeadline.objects.running().filter(case=case, step=Step.EMERGENCY).update(met_at=at)


def separation_started(case: Case, until: datetime.datetime, at: datetime.datetime) -> None:
    """The end of a temporary separation (15 days at most, Điều 32) is a limit to watch."""
    CaseDeadline.objects.update_or_create(
        case=case, step=Step.SEPARATION_END, met_at__isnull=True, cancelled_at__isnull=True,
        defaults={"due_at": until}, create_defaults={"due_at": until, "started_at": at})


def separation_ended(case: Case, at: datetime.datetime) -> None:
    CaseDeadline.objects.running().filter(case=case, step=Step.SEPARATION_END) \
        .update(met_at=at)


def recount(days: Iterable[datetime.date], calendar: WorkCalendar | None = None) -> int:
    """Count again the running limits in working days that a change of the calendar on `days`
    can move, and store their new due moments; return how many moved.

    Only a limit started before a changed day and due on or after it can move. Those are
    grouped by their step and local day of start (the due moment depends on nothing else), and
    each group whose due moment changed is one UPDATE: a handful of statements, whatever the
    number of cases."""
    days = sorted(set(days))
    if not days:
        return 0
    calendar = calendar or WorkCalendar.from_database()
    candidates = (CaseDeadline.objects.running()
                  .filter(step__in=IN_WORKING_DAYS, started_at__isnull=False,
                          started_at__lt=start_of(days[-1]),
                          due_at__gte=start_of(days[0]))
                  .values_list("step", "started_at", "due_at"))
    groups: dict[tuple[str, datetime.date], set[datetime.datetime]] = defaultdict(set)
    for step, started_at, due_at in candidates:
        if started_at is not None:  # filtered out above; the type does not know it
            groups[step, local_day(started_at)].add(due_at)
    moved = 0
    for (step, start_day), old in groups.items():
        new = due(step, start_of(start_day), calendar)
        if old == {new}:
            continue
        moved += (CaseDeadline.objects.running()
                  .filter(step=step, started_at__gte=start_of(start_day),
                          started_at__lt=start_of(start_day + datetime.timedelta(days=1)))
                  .exclude(due_at=new).update(due_at=new))
    return moved

"""The time limits of the process, started and met by the moves of a case.

Verified against the codified text of Nghị định 56/2017 (treem/cases/data/legal_basis.md):

- emergency intervention or temporary separation of a child in danger: no more than 12 hours
  from receipt of the information (Điều 26 khoản 3, Điều 31 khoản 2, Điều 32 khoản 2);
- the support and intervention plan: 05 working days (Điều 28 khoản 1), again after a review
  that finds the child still at risk (Điều 30 khoản 1 điểm c). The decree does not say from
  when; its wording follows the needs assessment, so the limit starts when planning starts
  (`START_BY`);
- approval of the plan by the chairman: 02 working days (Điều 28 khoản 4) from its submission.

Each limit is data here (`LIMITS`, `START_BY`, `MET_BY`), so a change of the text is a change
of these tables.
"""

import datetime

from treem.cases.models import Case, CaseDeadline
from treem.cases.workdays import WorkCalendar, add_hours

Step = CaseDeadline.Step

LIMITS: dict[str, tuple[str, int]] = {
    Step.EMERGENCY: ("hours", 12),
    Step.PLAN: ("working_days", 5),
    Step.APPROVAL: ("working_days", 2),
}
# The moves that start a limit (counted from the move); the emergency limit starts at receipt.
START_BY: dict[str, tuple[str, ...]] = {
    "plan": (Step.PLAN,),
    "new_plan": (Step.PLAN,),
    "submit_plan": (Step.APPROVAL,),
}
# The moves that meet a limit.
MET_BY: dict[str, tuple[str, ...]] = {
    "submit_plan": (Step.PLAN,),
    "approve_plan": (Step.APPROVAL,),
    "return_plan": (Step.APPROVAL,),
    # Verification finding nothing, or a case handed over, ends every running limit.
    "not_confirmed": tuple(Step),
    "hand_over": tuple(Step),
}


def due(step: str, start: datetime.datetime, calendar: WorkCalendar | None = None
        ) -> datetime.datetime:
    unit, amount = LIMITS[step]
    if unit == "hours":
        return add_hours(start, amount)
    return (calendar or WorkCalendar.from_database()).add_working_days(start, amount)


def on_open(case: Case) -> None:
    if case.urgent:
        CaseDeadline.objects.create(case=case, step=Step.EMERGENCY,
                                    due_at=due(Step.EMERGENCY, case.received_at))


def on_move(case: Case, move: str, at: datetime.datetime) -> None:
    met = MET_BY.get(move, ())
    if met:
        CaseDeadline.objects.filter(case=case, step__in=met, met_at__isnull=True) \
            .update(met_at=at)
    started = START_BY.get(move, ())
    if started:
        calendar = WorkCalendar.from_database()
        CaseDeadline.objects.bulk_create(
            CaseDeadline(case=case, step=step, due_at=due(step, at, calendar))
            for step in started)


def emergency_met(case: Case, at: datetime.datetime) -> None:
    """Emergency measures were taken (or the child found out of danger)."""
    CaseDeadline.objects.filter(case=case, step=Step.EMERGENCY, met_at__isnull=True) \
        .update(met_at=at)


def separation_started(case: Case, until: datetime.datetime) -> None:
    """The end of a temporary separation (15 days at most, Điều 32) is a limit to watch."""
    CaseDeadline.objects.update_or_create(case=case, step=Step.SEPARATION_END,
                                          met_at__isnull=True, defaults={"due_at": until})


def separation_ended(case: Case, at: datetime.datetime) -> None:
    CaseDeadline.objects.filter(case=case, step=Step.SEPARATION_END, met_at__isnull=True) \
        .update(met_at=at)


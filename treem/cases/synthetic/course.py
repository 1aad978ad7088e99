"""The course of one synthetic case through the process of Nghị định 56/2017, as the services
would have recorded it: the moves of `workflow.MOVES` in order, each preceded by the
documents `services._check_documents` asks for (the initial assessment before the decision on
verification, the detailed one before planning, a plan with items before its submission, a
review concluding "safe" before the closure or "at risk" before a new plan), the plan stamped
as `services._stamp_plan` does, and the time limits started and met by the tables of
`deadlines` replayed over the moves, measures and separations in the order they happened.

Time runs in Asia/Ho_Chi_Minh: reports come at any hour on the hotline and at office hours at
the commune; officers act at office hours on working days (the calendar of `CalendarDay`), in
the first hours for a child in danger. A case goes as far as the reference moment lets it:
old cases are mostly closed, recent ones at every step, and a few stall at a step (an officer
away, a file forgotten), as their overdue limits show. A child who moves to another commune or
dies while the case is open has it handed over.
"""

import datetime
import random
from typing import Any

from treem.accounts.permissions import Capability
from treem.cases import assessments as a
from treem.cases import deadlines
from treem.cases.choices import CloseReason as R
from treem.cases.choices import ReferralStatus
from treem.cases.choices import Status as S
from treem.cases.models import Assessment, CaseDeadline, Protection
from treem.cases.synthetic import tables as t
from treem.cases.synthetic.clock import Clock
from treem.cases.synthetic.story import (
    CHAIRMAN,
    OFFICER,
    AssessmentDraft,
    DeadlineDraft,
    Event,
    ItemDraft,
    PlanDraft,
    ProtectionDraft,
    ReferralDraft,
    Story,
)
from treem.cases.workdays import WorkCalendar, local_day
from treem.cases.workflow import MOVES
from treem.registry.synthetic.picker import Picker

STALL = 0.008          # a move that never comes
HAND_OVER = 0.01       # another body takes the case, before the plan runs
FOUND_IN_DANGER = 0.03
RETURNED = 0.08
UNANSWERED = 0.05
SAFE_AT_REVIEW = (0.8, 0.9, 1.0)  # by plan cycle
Conclusion = Assessment.Conclusion
EMERGENCY = CaseDeadline.Step.EMERGENCY.value
SEPARATION_END = CaseDeadline.Step.SEPARATION_END.value


def _days(weights: dict[int, float]) -> Picker[int]:
    return Picker(weights.items())


VERIFY_DAYS = _days({0: 30, 1: 30, 2: 15, 3: 10, 5: 8, 10: 7})
DECIDE_DAYS = _days({1: 25, 2: 25, 3: 20, 4: 12, 5: 10, 7: 8})
DETAILED_DAYS = _days({1: 10, 2: 20, 3: 20, 4: 15, 5: 15, 7: 12, 10: 8})
SHORT_DAYS = _days({0: 30, 1: 40, 2: 30})
DRAFT_DAYS = _days({0: 25, 1: 35, 2: 25, 3: 15})
SUBMIT_DAYS = _days({0: 20, 1: 30, 2: 25, 3: 12, 4: 8, 6: 5})
APPROVE_DAYS = _days({0: 25, 1: 40, 2: 22, 3: 7, 4: 4, 6: 2})
RESUBMIT_DAYS = _days({1: 50, 2: 30, 3: 20})
ANSWER_DAYS = _days({0: 30, 1: 35, 2: 20, 3: 10, 5: 5})


class Course:
    """Takes one story from its report as far as the reference moment `now`."""

    def __init__(self, story: Story, *, rng: random.Random, clock: Clock,
                 calendar: WorkCalendar, now: datetime.datetime,
                 leaves_at: datetime.datetime | None, died: bool, age: int) -> None:
        self.story = story
        self.rng = rng
        self.clock = clock
        self.calendar = calendar
        self.now = now
        self.leaves_at = leaves_at  # the child no longer lives in the commune from then
        self.died = died
        self.age = age
        self.limit = min(now, leaves_at) if leaves_at else now
        self.actions: list[tuple[datetime.datetime, str, Any]] = []  # for the deadlines
        self.running: list[tuple[datetime.datetime, datetime.datetime]] = []

    # --- the main line ---------------------------------------------------------------------

    def run(self) -> Story:
        story, report, clock = self.story, self.story.report, self.clock
        urgent = report.urgent
        if urgent:
            opened = clock.hours(report.received_at, 0.15, 1.5)
        else:
            opened = clock.office(report.received_at, self.rng.choice((0, 0, 0, 1)))
        if opened > self.limit:
            self._deadlines()  # an urgent report's 12 hours run all the same
            return story  # still waiting for a case at the reference moment
        story.opened_at = opened
        story.urgent = urgent
        story.events.append(Event("", story.status, opened, OFFICER))
        self.actions.append((opened, "open", None))
        self._process(confirmed=self.rng.random() < t.CONFIRMED[report.channel]
                      * (0.9 if report.anonymous else 1.0))
        self._emergency()
        self._referrals()
        self._deadlines()
        return story

    def _process(self, *, confirmed: bool) -> None:
        story, clock, rng = self.story, self.clock, self.rng
        at = story.opened_at
        assert at is not None
        urgent = story.urgent
        at = clock.hours(at, 0.2, 4) if urgent else clock.office(at, VERIFY_DAYS(rng))
        if not self._move("verify", at):
            return
        decided = clock.hours(at, 3, 36) if urgent else clock.office(at, DECIDE_DAYS(rng))
        assessed = (at + (decided - at) * rng.uniform(0.3, 0.9) if urgent
                    else clock.earlier(decided, after=at))
        if not self._happens(assessed):
            return
        found_in_danger = confirmed and not urgent and rng.random() < FOUND_IN_DANGER
        self._initial(assessed, confirmed=confirmed, in_danger=urgent or found_in_danger)
        if found_in_danger:
            story.urgent = True
            self.actions.append((assessed, "danger", None))
        if not confirmed:
            self._move("not_confirmed", decided, close_reason=R.NOT_CONFIRMED)
            return
        if not self._move("confirm", decided):
            return
        story.confirmed_at = decided
        at = clock.office(decided, DETAILED_DAYS(rng))
        if not self._happens(at):
            return
        self._detailed(at)
        if not self._move("plan", clock.office(at, SHORT_DAYS(rng))):
            return
        for cycle in range(len(SAFE_AT_REVIEW)):
            if not self._plan_cycle(cycle):
                return

    def _plan_cycle(self, cycle: int) -> bool:
        """From planning to the review's outcome; True when a new plan is asked for."""
        story, clock, rng = self.story, self.clock, self.rng
        planning_since = story.events[-1].at
        drafted = clock.office(planning_since, DRAFT_DAYS(rng))
        if not self._happens(drafted):
            return False
        plan = self._plan(drafted)
        submitted = clock.office(drafted, SUBMIT_DAYS(rng))
        if not self._move("submit_plan", submitted):
            return False
        plan.submitted_at = submitted
        returns = 0
        decided = submitted
        while True:
            decided = clock.office(submitted, APPROVE_DAYS(rng))
            if returns < 2 and rng.random() < RETURNED / (1 + 2 * returns):
                if not self._move("return_plan", decided, note=rng.choice(t.RETURN_NOTES)):
                    return False
                returns += 1
                plan.returned_at = decided
                # The returned plan stays on file; the chairman's copy is the next draft.
                plan = PlanDraft(goal=plan.goal, created_at=decided, by=CHAIRMAN,
                                 items=list(plan.items))
                story.plans.append(plan)
                submitted = clock.office(decided, RESUBMIT_DAYS(rng))
                if not self._move("submit_plan", submitted):
                    return False
                plan.submitted_at = submitted
                continue
            if not self._move("approve_plan", decided):
                return False
            plan.approved_at = decided
            break
        # The plan runs for weeks to months (median about 55 days) before its review.
        days_running = min(max(rng.lognormvariate(4.0, 0.5), 20), 240)
        review = clock.office(decided + datetime.timedelta(days=days_running), 0)
        self.running.append((decided, review))
        if not self._move("review", review):
            return False
        reviewed = clock.office(review, SHORT_DAYS(rng) + rng.randint(0, 3))
        if not self._happens(reviewed):
            return False
        safe = rng.random() < SAFE_AT_REVIEW[cycle]
        self._review(reviewed, safe=safe)
        decided = clock.office(reviewed, SHORT_DAYS(rng) + rng.randint(0, 2))
        if safe:
            self._move("close", decided, close_reason=R.SAFE)
            return False
        return self._move("new_plan", decided)

    # --- moves and what stops them ------------------------------------------------------------

    def _happens(self, at: datetime.datetime) -> bool:
        """Whether something at `at` is on the record: by the reference moment, and while
        the child still lives in the commune (else the case is handed over then)."""
        if self.leaves_at is not None and at >= self.leaves_at:
            if self.leaves_at <= self.now:
                self._hand_over(self.leaves_at, R.OTHER if self.died else R.MOVED)
            return False
        return at <= self.now

    def _move(self, move: str, at: datetime.datetime, *, close_reason: str = "",
              note: str = "") -> bool:
        """Take `move` at `at` if the case gets that far; whether it did."""
        story, rng = self.story, self.rng
        if not self._happens(at):
            return False
        if rng.random() < STALL:
            return False
        if story.status in (S.RECEIVED, S.VERIFYING, S.ASSESSING, S.PLANNING) \
                and rng.random() < HAND_OVER:
            self._hand_over(at, R.TRANSFERRED if rng.random() < 0.7 else R.OTHER)
            return False
        self._record(move, at, close_reason=close_reason, note=note)
        return True

    def _hand_over(self, at: datetime.datetime, reason: str) -> None:
        if self.story.status != S.CLOSED:
            self._record("hand_over", at, close_reason=reason)

    def _record(self, move: str, at: datetime.datetime, *, close_reason: str = "",
                note: str = "") -> None:
        story = self.story
        step = MOVES[move]
        assert story.status in step.sources, (story.status, move)
        by = OFFICER if step.capability == Capability.MANAGE_CASES else CHAIRMAN
        target = str(step.target)  # plain strings, as the database driver writes them
        story.events.append(Event(story.status, target, at, by, note))
        story.status = target
        if target == S.CLOSED:
            story.close_reason, story.closed_at = str(close_reason), at
        self.actions.append((at, "move", move))

    # --- documents ------------------------------------------------------------------------------

    def _initial(self, at: datetime.datetime, *, confirmed: bool, in_danger: bool) -> None:
        rng = self.rng
        if not confirmed:
            conclusion, ratings = Conclusion.SAFE, {"harm": "low", "risk": "low"}
            findings = rng.choice(t.NOT_FOUND)
        elif in_danger:
            conclusion, ratings = Conclusion.IN_DANGER, {"harm": "high", "risk": "high"}
            findings = rng.choice(t.FINDINGS)
        else:
            conclusion = Conclusion.AT_RISK
            ratings = {"harm": rng.choice(("medium", "medium", "low")),
                       "risk": rng.choice(("high", "medium"))}
            findings = rng.choice(t.FINDINGS)
        self.story.assessments.append(AssessmentDraft(a.INITIAL, at, {"findings": findings},
                                                      ratings, str(conclusion)))

    def _detailed(self, at: datetime.datetime) -> None:
        rng = self.rng
        answers = {key: rng.choice(texts) for key, texts in t.DETAILED.items()}
        if self.age < 7:
            answers["child_views"] = ""
        if self.story.perpetrator in t.CARERS:
            answers["carer_views"] = ""  # not asked of those who harmed the child (điểm h)
        conclusion = rng.choice(("", "", Conclusion.AT_RISK))
        if self.story.urgent and rng.random() < 0.3:
            conclusion = Conclusion.IN_DANGER
        self.story.assessments.append(AssessmentDraft(a.DETAILED, at, answers, {},
                                                      str(conclusion)))

    def _review(self, at: datetime.datetime, *, safe: bool) -> None:
        rng = self.rng
        if safe:
            ratings = {"harm": "low", "access": rng.choice(("low", "low", "medium")),
                       "obstacles": rng.choice(("low", "medium")),
                       "resilience": rng.choice(("high", "medium"))}
        else:
            ratings = {"harm": rng.choice(("medium", "high")),
                       "access": rng.choice(("medium", "high")), "obstacles": "high",
                       "resilience": rng.choice(("low", "medium"))}
        conclusion = Conclusion.SAFE if safe else Conclusion.AT_RISK
        self.story.assessments.append(AssessmentDraft(
            a.REVIEW, at, {"notes": rng.choice(t.REVIEW_NOTES)}, ratings, str(conclusion)))

    def _plan(self, at: datetime.datetime) -> PlanDraft:
        rng = self.rng
        start = local_day(at)
        items = []
        for task, responsible, (low, high) in rng.sample(t.PLAN_TASKS, rng.randint(2, 4)):
            begins = start + datetime.timedelta(days=rng.randint(1, 10))
            cost = rng.randint(low // 50, high // 50) * 50_000
            items.append(ItemDraft(task, begins, begins + datetime.timedelta(
                days=rng.randint(20, 120)), responsible, cost))
        plan = PlanDraft(goal=rng.choice(t.GOALS), created_at=at, by=OFFICER, items=items)
        self.story.plans.append(plan)
        return plan

    # --- emergency measures, separations and referrals -------------------------------------

    def _open_at(self, at: datetime.datetime) -> bool:
        """Whether the case is open at `at` and `at` is on the record."""
        story = self.story
        assert story.opened_at is not None
        return (story.opened_at < at <= self.limit
                and (story.closed_at is None or at < story.closed_at))

    def _emergency(self) -> None:
        """A child in danger: measures within 12 hours of receipt as a rule (Điều 26), or the
        chairman's temporary separation from a carer who harms them (Điều 32)."""
        story, rng, clock = self.story, self.rng, self.clock
        if not story.urgent:
            return
        roll = rng.random()
        if roll < 0.05:
            return  # nothing recorded: the limit stays open, overdue
        danger_since = next((at for at, kind, _ in self.actions if kind == "danger"),
                            story.report.received_at)
        late = roll > 0.88
        taken = clock.hours(danger_since, 12, 48) if late else clock.hours(danger_since, 0.5, 11.5)
        assert story.opened_at is not None
        taken = max(taken, story.opened_at + datetime.timedelta(minutes=5))
        if not self._open_at(taken):
            return
        # A separation from a carer who harms the child rests on what verification found:
        # a report found untrue names no one (the case keeps no perpetrator).
        separate = (story.confirmed and story.perpetrator in t.CARERS
                    and story.report.place == "family" and rng.random() < 0.3)
        if not separate:
            story.protections.append(ProtectionDraft(
                str(Protection.Kind.MEASURE), taken, rng.choice(t.MEASURES), OFFICER))
            self.actions.append((taken, "emergency_met", None))
            return
        # 15 days at most, longer only at the request of a competent authority (Điều 32).
        days = rng.choice((7, 10, 15, 15, 15))
        until = taken + datetime.timedelta(days=days)
        separation = ProtectionDraft(
            str(Protection.Kind.SEPARATION), taken, t.SEPARATION, CHAIRMAN,
            care_place=rng.choice(t.CARE_PLACES), until=until,
            separated_from=t.SEPARATED_FROM[story.perpetrator],
            alternative_carer=rng.choice(t.ALTERNATIVE_CARERS))
        story.protections.append(separation)
        self.actions.append((taken, "emergency_met", None))
        self.actions.append((taken, "separation_started", until))
        extended = rng.random() < 0.05
        lasts = rng.uniform(16, 30) if extended else rng.uniform(2, days)
        ends = clock.office(taken + datetime.timedelta(days=lasts), 0)
        if extended:
            extended_at = clock.office(taken + datetime.timedelta(days=days - 2), 0)
            if self._open_at(extended_at):
                until = separation.until = taken + datetime.timedelta(days=30)
                separation.authority_request = t.AUTHORITY_REQUEST
                self.actions.append((extended_at, "separation_started", until))
        ends = min(ends, until)
        if story.closed_at is not None and ends >= story.closed_at:
            ends = max(story.closed_at - datetime.timedelta(minutes=30),
                       taken + datetime.timedelta(hours=1))
        if ends <= self.limit:
            separation.ended_at, separation.end_reason = ends, rng.choice(t.SEPARATION_ENDS)
            self.actions.append((ends, "separation_ended", None))

    def _referrals(self) -> None:
        story, rng, clock = self.story, self.rng, self.clock
        report = story.report
        assert story.opened_at is not None
        if report.urgent or report.crime_suspected:
            for service, chance in t.EMERGENCY_SERVICES.get(report.forms[0], ()):
                if service == "police" and report.channel == "police":
                    continue  # the police brought it
                if rng.random() < chance:
                    self._refer(str(service), clock.hours(story.opened_at, 0.5, 20))
        for approved, review in self.running:
            for _ in range(rng.choice((0, 1, 1, 2))):
                self._refer(t.PLAN_SERVICES(rng), clock.office(approved, rng.randint(0, 5)),
                            before=review)

    def _refer(self, service: str, at: datetime.datetime, *,
               before: datetime.datetime | None = None) -> None:
        if not self._open_at(at) or (before is not None and at >= before):
            return
        rng, clock = self.rng, self.clock
        referral = ReferralDraft(service, at, local_day(at) + datetime.timedelta(
            days=rng.randint(3, 15)))
        answered = clock.office(at, ANSWER_DAYS(rng))
        # A few are never answered: the file shows them waiting, past their due day.
        if answered <= self.now and rng.random() >= UNANSWERED:
            referral.answered_at = answered
            if rng.random() < 0.08:
                referral.status, referral.result = ReferralStatus.DECLINED.value, t.DECLINED
            else:
                referral.status = ReferralStatus.ACCEPTED.value
                done = clock.office(answered, rng.randint(2, 25))
                if done <= self.now:
                    referral.status, referral.done_at = ReferralStatus.DONE.value, done
                    referral.result = rng.choice(t.REFERRAL_RESULTS)
        self.story.referrals.append(referral)

    # --- the time limits, as `deadlines` keeps them -----------------------------------------

    def _deadlines(self) -> None:
        story = self.story
        received = story.report.received_at
        rows = story.deadlines

        def running(*steps: str) -> list[DeadlineDraft]:
            return [row for row in rows if row.running and row.step in steps]

        if story.report.urgent:  # from receipt, before any case (`deadlines.on_notification`)
            rows.append(DeadlineDraft(EMERGENCY, deadlines.due(EMERGENCY, received), received,
                                      of_report=True))
        for at, kind, value in sorted(self.actions, key=lambda action: action[0]):
            if kind == "danger":
                rows.append(DeadlineDraft(EMERGENCY, deadlines.due(EMERGENCY, received),
                                          received))
            elif kind == "move":
                for row in running(*deadlines.MET_BY.get(value, ())):
                    row.met_at = at
                if value in deadlines.ENDS_THE_CASE:
                    for row in running(*CaseDeadline.Step.values):
                        row.cancelled_at = at
                for step in deadlines.START_BY.get(value, ()):
                    rows.append(DeadlineDraft(str(step), deadlines.due(step, at, self.calendar),
                                              at))
            elif kind == "emergency_met":
                for row in running(EMERGENCY):
                    row.met_at = at
            elif kind == "separation_started":
                open_rows = running(SEPARATION_END)
                if open_rows:
                    open_rows[0].due_at = value
                else:
                    rows.append(DeadlineDraft(SEPARATION_END, value, at))
            elif kind == "separation_ended":
                for row in running(SEPARATION_END):
                    row.met_at = at

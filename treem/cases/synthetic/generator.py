"""Fills the case files of one province with synthetic protection cases about children already
on its register (see `treem.registry.synthetic`, which puts them there).

A factory of demo and benchmark data, like the register's: rows are written directly with the
register generator's bulk writer (COPY on PostgreSQL, `executemany` on SQLite), with primary
keys assigned here from the current maxima and sequences reset afterwards, instead of going
through `cases.services` one move at a time (the 24 demo cases take seconds that way; a
province's twenty thousand would take hours). What the services would have written is
reproduced instead: the moves and their documents (`course`), the time limits of `deadlines`,
the worker of each case, and the register's side effect of a confirmed case, the child's
special circumstance from the day it happened (`services._record_circumstances`). One audit
event ("data_loaded") records the run. Nothing it writes is about a real person.

Deterministic: the same seed, province, rates, reference date and starting database give the
same rows (the staff accounts it may create aside: their unusable passwords and timestamps).
Only `random.Random` instances seeded from the arguments are used, never the global
generator or the clock.
"""

import datetime
import json
import random
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Model

from treem.audit.models import Action
from treem.audit.services import event_record
from treem.cases.choices import Perpetrator
from treem.cases.choices import Service as Sv
from treem.cases.models import (
    Assessment,
    Case,
    CaseAbuse,
    CaseDeadline,
    CaseEvent,
    Notification,
    Plan,
    PlanItem,
    Protection,
    Referral,
)
from treem.cases.services import GROUP_OF_FORM
from treem.cases.synthetic import tables as t
from treem.cases.synthetic.clock import Clock
from treem.cases.synthetic.course import Course
from treem.cases.synthetic.population import Population
from treem.cases.synthetic.reports import draw_child, draw_report
from treem.cases.synthetic.staff import Staff, staff_for
from treem.cases.synthetic.story import CHAIRMAN, INTAKE, Story
from treem.cases.workdays import LOCAL, WorkCalendar, local_day
from treem.geo.models import Level, Unit
from treem.registry.choices import HistorySource
from treem.registry.models import ChildCircumstance, CircumstanceGroup
from treem.registry.synthetic import REFERENCE_DATE, names
from treem.registry.synthetic import profiles as p
from treem.registry.synthetic.places import lower_kind, short_name
from treem.registry.synthetic.writer import Table, Values, after_bulk_insert, run_timestamp

# About 2 reports a year for every 1,000 children reach a case: a commune of 3,000 children
# opens one every two months.
PER_THOUSAND = 2.0
YEARS = 3

Workers = Case.workers.through
COLUMNS: dict[type[Model], tuple[str, ...]] = {
    Case: ("id", "public_id", "child_id", "commune_id", "unit_path", "province_code", "status",
           "received_at", "urgent", "sexual_abuse", "perpetrator", "close_reason", "closed_at",
           "created_at", "created_by_id"),
    Workers: ("id", "case_id", "user_id"),
    Notification: ("id", "public_id", "channel", "received_at", "received_by_id", "commune_id",
                   "unit_path", "province_code", "reporter_anonymous", "reporter_name",
                   "reporter_phone", "reporter_relation", "reporter_address", "child_id",
                   "child_description", "child_condition", "likely_consequences",
                   "family_situation", "father", "mother", "carer", "actions_before", "forms",
                   "place", "happened_on",
                   "description", "urgent", "crime_suspected", "police_notified_at", "case_id",
                   "created_at"),
    CaseAbuse: ("id", "case_id", "form", "place", "happened_on", "confirmed"),
    CaseEvent: ("id", "case_id", "from_status", "to_status", "at", "by_id", "note"),
    CaseDeadline: ("id", "case_id", "notification_id", "step", "started_at", "due_at", "met_at",
                   "cancelled_at"),
    Protection: ("id", "public_id", "case_id", "kind", "taken_at", "description", "care_place",
                 "separated_from", "alternative_carer", "until", "authority_request", "ended_at",
                 "end_reason", "decided_by_id", "created_at"),
    Referral: ("id", "public_id", "case_id", "service", "sector", "organisation", "due_on",
               "note", "status", "answered_at", "answered_by_id", "result", "done_at",
               "created_at", "created_by_id"),
    Assessment: ("id", "public_id", "case_id", "kind", "done_on", "answers", "ratings",
                 "conclusion", "done_by_id", "created_at"),
    Plan: ("id", "public_id", "case_id", "goal", "created_by_id", "created_at", "submitted_at",
           "approved_at", "approved_by_id", "returned_at"),
    PlanItem: ("id", "plan_id", "task", "starts_on", "ends_on", "responsible", "provider",
               "cost"),
    ChildCircumstance: ("id", "public_id", "child_id", "province_code", "start_date",
                        "end_date", "group_id", "source", "note", "created_at",
                        "created_by_id"),
}


@dataclass(frozen=True)
class CasesResult:
    province_code: str
    children: int                 # children of the register the cases were drawn from
    notifications: int
    cases: int
    by_status: dict[str, int]
    not_confirmed: int
    abuses: int
    events: int
    deadlines: int
    overdue: int                  # limits still running past their due moment
    protections: int
    referrals: int
    assessments: int
    plans: int
    circumstances: int
    staff_created: int
    rows: int                     # every row written, of every table


def generate_cases(*, province: Unit, seed: int, per_thousand: float = PER_THOUSAND,
                   years: float = YEARS, reference_date: datetime.date = REFERENCE_DATE,
                   actor: object = None, first_ids: Mapping[type[Model], int] | None = None,
                   alongside_others: bool = False) -> CasesResult:
    """Write about `per_thousand` cases a year for every 1,000 children on the register of
    the current `province`, received over the `years` years up to `reference_date`, each as
    far through the process as the end of that day lets it go. `actor` (optional) is recorded
    on the audit event. `first_ids` gives the first primary key of some tables (by model),
    as for the register's `generate`: the others continue after their largest id;
    `alongside_others` too (statistics of this province's partitions only)."""
    if province.level != Level.PROVINCE or not province.is_current:
        raise ValueError("generate_cases() needs a current province")
    if per_thousand <= 0 or years <= 0:
        raise ValueError("per_thousand and years must be positive")
    last_day = reference_date
    first_day = reference_date - datetime.timedelta(days=round(365.25 * years) - 1)
    now = datetime.datetime.combine(reference_date, datetime.time(23, 59), LOCAL)

    with transaction.atomic():
        communes = {unit.pk: unit for unit in Unit.objects.current()
                    .filter(level=Level.COMMUNE).within(province).order_by("code", "pk")}
        population = Population(province=province, communes=communes, first_day=first_day,
                                last_day=last_day)
        if not population.children:
            raise ValueError(f"{province.name} has no children on the register to draw "
                             "cases from: generate the register first")
        wanted = round(population.children * per_thousand / 1000 * years)
        rng = random.Random(f"treem-synthetic-cases:{seed}:{province.code}")  # noqa: S311 - not for secrets
        calendar = WorkCalendar.from_database()
        clock = Clock(rng, calendar)
        stories = _stories(rng, clock, calendar, population, wanted=wanted, now=now,
                           first=first_day.toordinal(), last=last_day.toordinal(),
                           region=p.profile_for(province.code).region)
        used = sorted({population.commune[story.row] for story in stories},
                      key=lambda pk: (communes[pk].code, pk))
        staff = staff_for(province=province, communes=[communes[pk] for pk in used],
                          rng=random.Random(f"treem-synthetic-staff:{seed}:{province.code}"))  # noqa: S311 - idem
        given = first_ids or {}
        next_ids = {model: given[model] if model in given
                    else (model._default_manager.aggregate(m=Max("id"))["m"] or 0) + 1
                    for model in COLUMNS}
        # Public ids from their own stream, seeded also by the first ids, so that a second run
        # into the same database never repeats those of the first.
        id_rng = random.Random(f"treem-synthetic-case-ids:{seed}:{province.code}:"  # noqa: S311 - idem
                               f"{next_ids[Case]}:{next_ids[Notification]}")
        rows = _Rows(next_ids, id_rng, province=province, communes=communes,
                     population=population, staff=staff, rng=rng)
        for story in stories:
            rows.story(story)
        rows.circumstances(stories)
        now_written = run_timestamp()
        for model, columns in COLUMNS.items():
            Table(model, columns, now=now_written).write(rows.by_model[model])
        after_bulk_insert(list(COLUMNS), province_code=province.code if alongside_others else None)
        result = _result(province, population, stories, rows, staff, now)
        event_record(actor=actor, action=Action.DATA_LOADED, unit=province,
                     reason=(f"synthetic cases: seed={seed} cases={result.cases} "
                             f"notifications={result.notifications} "
                             f"per_thousand={per_thousand} years={years} "
                             f"reference_date={reference_date.isoformat()}"))
    return result


def _stories(rng: random.Random, clock: Clock, calendar: WorkCalendar, population: Population,
             *, wanted: int, now: datetime.datetime, first: int, last: int,
             region: str) -> list[Story]:
    """`wanted` reports, each taken through the process, in the order they were received."""
    style = names.style_for(p.KINH, region=region)
    busy: dict[int, list[tuple[int, int]]] = {}  # child → days a case of theirs was open
    stories = []
    for _ in range(wanted):
        form = t.FORM(rng)
        day = first + int(rng.random() * (last - first + 1))
        found = draw_child(rng, population, form=form, day=day, busy=busy)
        if found is None:
            continue
        row, age = found

        def may_wait(later: int, row: int = row) -> bool:
            return later <= last and population.lives_there_on(row, later)

        report = draw_report(rng, clock, form=form, child_age=age,
                             female=bool(population.female[row]), birth=population.birth[row],
                             day=day, may_wait=may_wait, reporter_style=style)
        perpetrator = (Perpetrator.UNKNOWN.value if rng.random() < t.UNKNOWN_PERPETRATOR
                       else t.PERPETRATOR[form, report.place](rng))
        story = Story(row=row, age=age, report=report, perpetrator=perpetrator)
        leaves, died = population.leaves_on(row)
        Course(story, rng=rng, clock=clock, calendar=calendar, now=now,
               leaves_at=clock.at(leaves, 9 * 60) if leaves else None, died=died,
               age=age).run()
        received = local_day(report.received_at).toordinal()
        ends = story.last_day.toordinal() if story.last_day else last
        busy.setdefault(population.child[row], []).append((received, ends))
        stories.append(story)
    stories.sort(key=lambda story: story.report.received_at)
    return stories


class _Rows:
    """The stories as rows of each table, with their primary keys."""

    def __init__(self, next_ids: dict[type[Model], int], id_rng: random.Random, *,
                 province: Unit, communes: dict[int, Unit], population: Population,
                 staff: Staff, rng: random.Random) -> None:
        self.next = dict(next_ids)
        self.id_rng = id_rng
        self.province = province
        self.communes = communes
        self.population = population
        self.staff = staff
        self.rng = rng
        self.by_model: dict[type[Model], list[tuple[Any, ...]]] = {m: [] for m in COLUMNS}
        self.values = Values()
        ops = connection.ops
        self.moment: Callable[[datetime.datetime | None], Any] = ops.adapt_datetimefield_value
        self.day: Callable[[datetime.date | None], Any] = ops.adapt_datefield_value
        self.groups = dict(CircumstanceGroup.objects.filter(
            code__in=GROUP_OF_FORM.values(), active=True).values_list("code", "id"))

    def new_id(self, model: type[Model]) -> int:
        value = self.next[model]
        self.next[model] = value + 1
        return value

    def public_id(self) -> Any:
        return self.values.uuid(self.id_rng.getrandbits(128))

    def add(self, model: type[Model], *values: Any) -> None:
        self.by_model[model].append(values)

    def story(self, story: Story) -> None:
        report, moment, day = story.report, self.moment, self.day
        commune_id = self.population.commune[story.row]
        commune = self.communes[commune_id]
        officer, chairman = self.staff.officer[commune_id], self.staff.chairman[commune_id]
        by = {INTAKE: self.staff.intake, CHAIRMAN: chairman}
        child_id = case_id = None
        notification_id = self.new_id(Notification)
        if story.opened_at is not None:
            case_id = self.new_id(Case)
            child_id = self.population.child[story.row]
            self._case(story, case_id, child_id, commune, officer, chairman)
        # The 12 hours of an urgent report are its own from receipt; its case carries them.
        for row in story.deadlines:
            self.add(CaseDeadline, self.new_id(CaseDeadline), case_id,
                     notification_id if row.of_report else None, row.step, moment(row.started_at),
                     moment(row.due_at), moment(row.met_at), moment(row.cancelled_at))
        self.add(Notification, notification_id, self.public_id(), report.channel,
                 moment(report.received_at), by.get(report.received_by, officer), commune_id,
                 commune.path, self.province.code, report.anonymous, report.reporter_name,
                 report.reporter_phone, report.reporter_relation, "", child_id,
                 report.child_description, report.child_condition, report.likely_consequences,
                 report.family_situation, "", "", "", report.actions_before,
                 json.dumps(report.forms),
                 report.place, day(report.happened_on), report.description, report.urgent,
                 report.crime_suspected, None, case_id, moment(report.received_at))

    def _case(self, story: Story, case_id: int, child_id: int, commune: Unit, officer: int,
              chairman: int) -> None:
        report, moment, day, add = story.report, self.moment, self.day, self.add
        users = {CHAIRMAN: chairman}
        add(Case, case_id, self.public_id(), child_id, commune.pk,
            self.population.paths[self.population.path[story.row]], self.province.code,
            story.status, moment(report.received_at), story.urgent,
            "sexual_abuse" in report.forms, story.perpetrator if story.confirmed else "",
            story.close_reason, moment(story.closed_at), moment(story.opened_at), officer)
        add(Workers, self.new_id(Workers), case_id, officer)
        for form in report.forms:
            add(CaseAbuse, self.new_id(CaseAbuse), case_id, form, report.place,
                day(report.happened_on), story.confirmed)
        for event in story.events:
            add(CaseEvent, self.new_id(CaseEvent), case_id, event.source, event.target,
                moment(event.at), users.get(event.by, officer), event.note)
        for measure in story.protections:
            add(Protection, self.new_id(Protection), self.public_id(), case_id, measure.kind,
                moment(measure.taken_at), measure.description, measure.care_place,
                measure.separated_from, measure.alternative_carer, moment(measure.until),
                measure.authority_request, moment(measure.ended_at),
                measure.end_reason, users.get(measure.by, officer), moment(measure.taken_at))
        for referral in story.referrals:
            add(Referral, self.new_id(Referral), self.public_id(), case_id, referral.service,
                referral.sector, self._organisation(referral.service, commune, story.age),
                day(referral.due_on), t.REFERRAL_NOTES[referral.service], referral.status,
                moment(referral.answered_at),
                self.staff.focal[referral.sector] if referral.answered_at else None,
                referral.result, moment(referral.done_at), moment(referral.created_at),
                officer)
        for assessment in story.assessments:
            add(Assessment, self.new_id(Assessment), self.public_id(), case_id, assessment.kind,
                day(assessment.done_on), json.dumps(assessment.answers),
                json.dumps(assessment.ratings), assessment.conclusion, officer,
                moment(assessment.at))
        for plan in story.plans:
            plan_id = self.new_id(Plan)
            add(Plan, plan_id, self.public_id(), case_id, plan.goal, users.get(plan.by, officer),
                moment(plan.created_at), moment(plan.submitted_at), moment(plan.approved_at),
                chairman if plan.approved_at else None, moment(plan.returned_at))
            for item in plan.items:
                add(PlanItem, self.new_id(PlanItem), plan_id, item.task, day(item.starts_on),
                    day(item.ends_on), item.responsible, "", item.cost)

    def _organisation(self, service: str, commune: Unit, age: int) -> str:
        place, province = lower_kind(commune.name), lower_kind(self.province.name)
        if service == Sv.POLICE:
            return f"Công an {place}"
        if service == Sv.HEALTH:
            return (f"Trạm Y tế {place}" if self.rng.random() < 0.5
                    else f"Bệnh viện Đa khoa {province}")
        if service == Sv.EDUCATION:
            school = "Trường Tiểu học" if age < 11 else "Trường THCS" if age < 15 else "Trường THPT"
            return f"{school} {short_name(commune.name, commune.kind)}"
        bodies: dict[str, str] = {
            Sv.COUNSELLING: f"Trung tâm Công tác xã hội {province}",
            Sv.LEGAL_AID: f"Trung tâm Trợ giúp pháp lý nhà nước {province}",
            Sv.SOCIAL_ASSISTANCE: f"Phòng Văn hóa - Xã hội {place}",
            Sv.SHELTER: f"Cơ sở trợ giúp xã hội {province}"}
        return bodies.get(service, f"Hội Liên hiệp Phụ nữ {place}")

    def circumstances(self, stories: list[Story]) -> None:
        """A confirmed case puts the child in the group of its form from the day it happened,
        unless the child is already in it then (`services._record_circumstances`)."""
        if not self.groups:
            return
        population = self.population
        confirmed = [(story.confirmed_at, index, story) for index, story in enumerate(stories)
                     if story.confirmed_at is not None]
        confirmed.sort()  # in the order the cases were confirmed, as the services would
        children = {population.child[story.row] for _, _, story in confirmed}
        held: dict[tuple[int, int], list[datetime.date | None]] = {}
        for child_id, group_id, end in ChildCircumstance.objects.filter(
                province_code=self.province.code, group_id__in=self.groups.values()
        ).values_list("child_id", "group_id", "end_date"):
            if child_id in children:
                held.setdefault((child_id, group_id), []).append(end)
        for confirmed_at, _, story in confirmed:
            received = local_day(story.report.received_at)
            happened = min(story.report.happened_on or received, received)
            child_id = population.child[story.row]
            birth = datetime.date.fromordinal(population.birth[story.row])
            for form in story.report.forms:
                group_id = self.groups.get(GROUP_OF_FORM.get(form, ""))
                if group_id is None:
                    continue
                ends = held.setdefault((child_id, group_id), [])
                if any(end is None or end >= happened for end in ends):
                    continue
                ends.append(None)
                officer = self.staff.officer[population.commune[story.row]]
                self.add(ChildCircumstance, self.new_id(ChildCircumstance), self.public_id(),
                         child_id, self.province.code, self.day(max(happened, birth)), None,
                         group_id, HistorySource.CASE.value, "", self.moment(confirmed_at),
                         officer)


def _result(province: Unit, population: Population, stories: list[Story], rows: _Rows,
            staff: Staff, now: datetime.datetime) -> CasesResult:
    opened = [story for story in stories if story.opened_at is not None]
    by_model = rows.by_model
    return CasesResult(
        province_code=province.code, children=population.children,
        notifications=len(stories), cases=len(opened),
        by_status=dict(Counter(story.status for story in opened).most_common()),
        not_confirmed=sum(story.close_reason == "not_confirmed" for story in opened),
        abuses=len(by_model[CaseAbuse]), events=len(by_model[CaseEvent]),
        deadlines=len(by_model[CaseDeadline]),
        overdue=sum(row.running and row.due_at < now
                    for story in stories for row in story.deadlines),
        protections=len(by_model[Protection]), referrals=len(by_model[Referral]),
        assessments=len(by_model[Assessment]), plans=len(by_model[Plan]),
        circumstances=len(by_model[ChildCircumstance]), staff_created=staff.created,
        rows=sum(len(table) for table in by_model.values()))

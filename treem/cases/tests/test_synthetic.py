"""The synthetic case generator: cases about the province's own children, in their commune at
receipt, at every step of the process with the documents and time limits the services would
have recorded, the register's side effect, and counts the statistics find again."""

import datetime
import hashlib
from collections import Counter, defaultdict
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F, Model, Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from treem.accounts.models import RoleAssignment, User
from treem.accounts.roles import Role
from treem.audit.models import Action, AuditEvent
from treem.cases import assessments, choices, services, statistics
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
from treem.cases.synthetic import generate_cases
from treem.cases.synthetic.generator import COLUMNS
from treem.cases.workdays import LOCAL, WorkCalendar, local_day
from treem.cases.workflow import MOVES
from treem.geo.models import Unit
from treem.registry import choices as registry_choices
from treem.registry.catalogues import load_catalogues
from treem.registry.counting import INJURY_CAUSES
from treem.registry.models import Child, ChildCircumstance, ChildResidence
from treem.registry.synthetic import REFERENCE_DATE, generate
from treem.registry.tests.test_synthetic import make_province
from treem.testing import login

pytestmark = pytest.mark.django_db

CHILDREN, PER_THOUSAND, YEARS = 2_000, 60.0, 3
Step = CaseDeadline.Step
S = choices.Status


@pytest.fixture
def province() -> Unit:
    load_catalogues()
    province = make_province()
    generate(province=province, children=CHILDREN, seed=11)
    return province


@pytest.fixture
def generated(province: Unit) -> Unit:
    generate_cases(province=province, seed=5, per_thousand=PER_THOUSAND, years=YEARS)
    return province


def digest() -> str:
    tables = [list(model._default_manager.order_by("id").values_list(*columns))
              for model, columns in COLUMNS.items() if model is not ChildCircumstance]
    tables.append(list(ChildCircumstance.objects.filter(source="case").order_by("id")
                       .values_list(*COLUMNS[ChildCircumstance])))
    return hashlib.sha256(repr(tables).encode()).hexdigest()


def wipe() -> None:
    for model in (PlanItem, Plan, Assessment, Referral, Protection, CaseDeadline, CaseEvent,
                  CaseAbuse, Notification):
        model.objects.all().delete()
    Case.workers.through.objects.all().delete()
    Case.objects.all().delete()
    ChildCircumstance.objects.filter(source="case").delete()


def move_of(event: CaseEvent, case: Case) -> str:
    """The move an event records (a move to CLOSED is told apart by the close reason)."""
    if event.to_status == S.CLOSED:
        return {"not_confirmed": "not_confirmed", "safe": "close"}.get(case.close_reason,
                                                                         "hand_over")
    names = [name for name, move in MOVES.items()
             if event.from_status in move.sources and move.target == event.to_status]
    assert len(names) == 1, (event.from_status, event.to_status)
    return names[0]


def histories() -> list[tuple[Case, list[tuple[str, CaseEvent]]]]:
    events: dict[int, list[CaseEvent]] = defaultdict(list)
    for event in CaseEvent.objects.order_by("at", "id"):
        events[event.case_id].append(event)
    found = []
    for case in Case.objects.order_by("id"):
        moves = [(move_of(event, case) if event.from_status else "open", event)
                 for event in events[case.pk]]
        found.append((case, moves))
    return found


def rows_by_case(model: type[Model]) -> dict[int | None, list[Any]]:
    rows: dict[int | None, list[Any]] = defaultdict(list)
    for row in model._default_manager.order_by("id"):
        rows[row.case_id].append(row)  # type: ignore[attr-defined]
    return rows


class DeterminismTests:
    def test_the_same_seed_gives_the_same_cases(self, province: Unit) -> None:
        generate_cases(province=province, seed=5, per_thousand=PER_THOUSAND)
        first = digest()
        wipe()
        generate_cases(province=province, seed=5, per_thousand=PER_THOUSAND)
        assert digest() == first

    def test_another_seed_gives_other_cases(self, province: Unit) -> None:
        generate_cases(province=province, seed=5, per_thousand=PER_THOUSAND)
        first = digest()
        wipe()
        generate_cases(province=province, seed=6, per_thousand=PER_THOUSAND)
        assert digest() != first

    def test_a_second_run_adds_cases_after_the_first(self, province: Unit) -> None:
        first = generate_cases(province=province, seed=5, per_thousand=10)
        highest = Case.objects.order_by("-id").values_list("id", flat=True).first()
        second = generate_cases(province=province, seed=5, per_thousand=10)
        assert Case.objects.count() == first.cases + second.cases
        assert Case.objects.filter(id__gt=highest).count() == second.cases
        # The same staff, not a second set of accounts.
        assert second.staff_created == 0
        # New rows keep their ids when the sequence hands out the next one.
        case = Case.objects.first()
        assert case is not None
        event = CaseEvent.objects.create(case=case, to_status=case.status,
                                         at=timezone.now(), by_id=case.created_by_id)
        assert event.pk > max(CaseEvent.objects.exclude(pk=event.pk).values_list("id",
                                                                                 flat=True))


class PlacementTests:
    def test_every_case_is_about_a_child_of_the_province_living_in_its_commune(
            self, generated: Unit) -> None:
        residences: dict[int, list[ChildResidence]] = defaultdict(list)
        for residence in ChildResidence.objects.all():
            residences[residence.child_id].append(residence)
        cases = list(Case.objects.select_related("child"))
        assert cases
        for case in cases:
            day = local_day(case.received_at)
            child = case.child
            assert child.province_code == generated.code == case.province_code
            assert child.birth_date <= day and child.age_on(day) <= 17
            assert child.death_date is None or child.death_date > day
            [home] = [r for r in residences[child.pk] if r.is_current_on(day)]
            assert (case.commune_id, case.unit_path) == (home.commune_id, home.unit_path)

    def test_each_case_has_its_notification_routed_to_its_commune(self, generated: Unit) -> None:
        notifications = {n.case_id: n for n in Notification.objects.select_related("commune")}
        for case in Case.objects.all():
            notification = notifications[case.pk]
            assert notification.commune_id == case.commune_id
            assert notification.unit_path == notification.commune.path
            assert notification.child_id == case.child_id
            assert notification.received_at == case.received_at
            assert notification.urgent <= case.urgent
            assert case.sexual_abuse == ("sexual_abuse" in notification.forms)

    def test_the_number_of_cases_follows_the_rate(self, generated: Unit) -> None:
        expected = CHILDREN * PER_THOUSAND / 1000 * YEARS
        assert 0.97 * expected <= Notification.objects.count() <= expected
        first_day = REFERENCE_DATE - datetime.timedelta(days=round(365.25 * YEARS) - 1)
        days = {local_day(at) for at in Notification.objects.values_list("received_at",
                                                                          flat=True)}
        assert first_day <= min(days) and max(days) <= REFERENCE_DATE


class MixTests:
    def test_forms_places_and_channels_look_like_real_reports(self, generated: Unit) -> None:
        forms = Counter(CaseAbuse.objects.values_list("form", flat=True))
        total = sum(forms.values())
        assert forms.most_common(1)[0][0] == "violence"
        assert {form for form, _ in forms.most_common(3)} >= {"violence", "neglect"}
        assert 0.08 < forms["sexual_abuse"] / total < 0.3
        assert forms["trafficking"] / total < 0.05
        places = Counter(Notification.objects.values_list("place", flat=True))
        assert places.most_common(1)[0][0] == "family"
        assert {"school", "community", "online"} <= set(places)
        channels = Counter(Notification.objects.values_list("channel", flat=True))
        assert {"hotline_111", "police", "school", "health", "visit"} <= set(channels)

    def test_some_reporters_stay_anonymous_and_leave_no_identity(self, generated: Unit) -> None:
        anonymous = Notification.objects.filter(reporter_anonymous=True)
        assert 0.05 < anonymous.count() / Notification.objects.count() < 0.4
        assert not anonymous.exclude(reporter_name="", reporter_phone="").exists()
        assert not Notification.objects.filter(reporter_anonymous=False,
                                               reporter_name="").exists()

    def test_most_sexually_abused_children_are_girls(self, generated: Unit) -> None:
        sexes = Counter(Case.objects.filter(sexual_abuse=True)
                        .values_list("child__sex", flat=True))
        assert sexes["f"] > 3 * sexes["m"]

    def test_hotline_reports_are_recorded_by_the_intake_operator(self, generated: Unit) -> None:
        intake = RoleAssignment.objects.get(role=Role.INTAKE_OPERATOR).user_id
        hotline = Notification.objects.filter(channel="hotline_111")
        assert hotline.exists()
        assert set(hotline.values_list("received_by_id", flat=True)) == {intake}
        officers = set(RoleAssignment.objects.filter(role=Role.COMMUNE_OFFICER)
                       .values_list("user_id", flat=True))
        assert set(Notification.objects.exclude(channel="hotline_111")
                   .values_list("received_by_id", flat=True)) <= officers


class ProcessTests:
    def test_cases_stand_at_every_step_most_of_them_closed(self, generated: Unit) -> None:
        statuses = Counter(Case.objects.values_list("status", flat=True))
        assert set(statuses) == set(S.values)
        assert statuses[S.CLOSED] > 0.7 * sum(statuses.values())
        reasons = Counter(Case.objects.values_list("close_reason", flat=True))
        assert reasons["safe"] > reasons["not_confirmed"] > 0.1 * statuses[S.CLOSED]
        assert reasons["transferred"] + reasons["moved"] > 0

    def test_every_event_is_an_allowed_move_after_the_last(self, generated: Unit) -> None:
        for case, moves in histories():
            assert moves[0][0] == "open" and moves[0][1].to_status == S.RECEIVED
            assert moves[0][1].at >= case.received_at
            for (_, before), (_, after) in zip(moves, moves[1:], strict=False):
                assert after.from_status == before.to_status
                assert after.at > before.at
            last = moves[-1][1]
            assert last.to_status == case.status
            assert case.closed_at == (last.at if case.status == S.CLOSED else None)

    def test_the_worker_moves_the_case_and_the_chairman_decides(self, generated: Unit) -> None:
        chairmen = set(RoleAssignment.objects.filter(role=Role.COMMUNE_LEADER)
                       .values_list("user_id", flat=True))
        workers = dict(Case.workers.through.objects.values_list("case_id", "user_id"))
        for case, moves in histories():
            assert workers[case.pk] == case.created_by_id
            for move, event in moves:
                if move != "open" and MOVES[move].capability == "approve_case_plans":
                    assert event.by_id in chairmen
                else:
                    assert event.by_id == case.created_by_id

    def test_each_move_rests_on_the_documents_the_services_ask_for(
            self, generated: Unit) -> None:
        by_case = rows_by_case(Assessment)
        plans = rows_by_case(Plan)
        items = set(PlanItem.objects.values_list("plan_id", flat=True))
        for case, moves in histories():
            done = by_case[case.pk]
            for move, event in moves:
                before = [a for a in done if a.created_at <= event.at]
                kinds = {a.kind for a in before}
                if move in ("confirm", "not_confirmed"):
                    assert assessments.INITIAL in kinds
                elif move == "plan":
                    assert assessments.DETAILED in kinds
                elif move == "submit_plan":
                    [plan] = [p for p in plans[case.pk] if p.submitted_at == event.at]
                    assert plan.pk in items and plan.created_at < event.at
                elif move in ("approve_plan", "return_plan"):
                    stamp = "approved_at" if move == "approve_plan" else "returned_at"
                    assert [p for p in plans[case.pk] if getattr(p, stamp) == event.at]
                elif move in ("close", "new_plan"):
                    review = [a for a in before if a.kind == assessments.REVIEW][-1]
                    assert review.conclusion == ("safe" if move == "close" else "at_risk")
            latest = plans[case.pk][-1] if plans[case.pk] else None
            if case.status == S.AWAITING_APPROVAL:
                assert latest and latest.submitted_at and not latest.approved_at
            if case.status in (S.IN_PROGRESS, S.REVIEWING):
                assert latest and latest.approved_at and latest.approved_by_id
            for assessment in done:
                assert local_day(case.received_at) <= assessment.done_on <= REFERENCE_DATE

    def test_the_services_take_the_next_step_of_a_generated_case(self, generated: Unit) -> None:
        """The generated state is one the real services accept: scope, worker, documents."""
        chairman_of = dict(RoleAssignment.objects.filter(role=Role.COMMUNE_LEADER)
                           .values_list("unit_id", "user_id"))
        latest_review = {}
        for assessment in Assessment.objects.filter(kind=assessments.REVIEW).order_by("id"):
            latest_review[assessment.case_id] = assessment.conclusion
        draft_with_items = set(Plan.objects.filter(submitted_at__isnull=True,
                                                   items__isnull=False)
                               .values_list("case_id", flat=True))
        with_initial = set(Assessment.objects.filter(kind=assessments.INITIAL)
                           .values_list("case_id", flat=True))
        with_detailed = set(Assessment.objects.filter(kind=assessments.DETAILED)
                            .values_list("case_id", flat=True))
        taken = set()
        for case in Case.objects.exclude(status=S.CLOSED).order_by("id"):
            if case.status in taken:
                continue
            move = {S.RECEIVED: "verify", S.AWAITING_APPROVAL: "approve_plan",
                    S.IN_PROGRESS: "review"}.get(case.status)
            if case.status == S.VERIFYING and case.pk in with_initial:
                move = "confirm"
            elif case.status == S.ASSESSING and case.pk in with_detailed:
                move = "plan"
            elif case.status == S.PLANNING and case.pk in draft_with_items:
                move = "submit_plan"
            elif case.status == S.REVIEWING and case.pk in latest_review:
                move = "close" if latest_review[case.pk] == "safe" else "new_plan"
            if move is None:
                continue
            chairman = MOVES[move].capability == "approve_case_plans"
            actor = User.objects.get(pk=chairman_of[case.commune_id] if chairman
                                     else case.created_by_id)
            if move == "confirm" and Assessment.objects.get(
                    case=case, kind=assessments.INITIAL).conclusion == "safe":
                move = "not_confirmed"
            services.case_move(actor=actor, case=case, move=move)
            taken.add(case.status)
        assert {S.RECEIVED, S.AWAITING_APPROVAL, S.IN_PROGRESS} <= taken
        assert len(taken) >= 5

    def test_time_limits_follow_the_moves_and_measures(self, generated: Unit) -> None:
        """As the services keep them: met when the step is done, cancelled when the case ends
        first; the 12 hours of an urgent report from its receipt, the report's own row."""
        calendar = WorkCalendar.from_database()
        deadlines = rows_by_case(CaseDeadline)
        protections = rows_by_case(Protection)
        initial = {a.case_id: a for a in Assessment.objects.filter(kind=assessments.INITIAL)}
        urgent_report = dict(Notification.objects.filter(urgent=True, case__isnull=False)
                             .values_list("case_id", "pk"))

        def ended(done: list[datetime.datetime], ends: list[datetime.datetime],
                  since: datetime.datetime
                  ) -> tuple[datetime.datetime | None, datetime.datetime | None]:
            met = min((at for at in done if at >= since), default=None)
            end = min((at for at in ends if at >= since), default=None)
            if met is not None and (end is None or met <= end):
                return met, None
            return None, end

        for case, moves in histories():
            ends = [event.at for move, event in moves
                    if move in ("not_confirmed", "hand_over", "close")]
            expected = []
            for index, (move, event) in enumerate(moves):
                later = [(m, e.at) for m, e in moves[index + 1:]]
                if move in ("plan", "new_plan"):
                    done = [at for m, at in later if m == "submit_plan"][:1]
                    expected.append((Step.PLAN, event.at, calendar.add_working_days(event.at, 5),
                                     *ended(done, ends, event.at), None))
                elif move == "submit_plan":
                    done = [at for m, at in later if m in ("approve_plan", "return_plan")][:1]
                    expected.append((Step.APPROVAL, event.at,
                                     calendar.add_working_days(event.at, 2),
                                     *ended(done, ends, event.at), None))
            if case.urgent:
                since = (case.received_at if case.pk in urgent_report
                         else initial[case.pk].created_at)
                taken = [p.taken_at for p in protections[case.pk]]
                expected.append((Step.EMERGENCY, case.received_at,
                                 case.received_at + datetime.timedelta(hours=12),
                                 *ended(taken, ends, since), urgent_report.get(case.pk)))
            for separation in protections[case.pk]:
                if separation.kind == Protection.Kind.SEPARATION:
                    done = [separation.ended_at] if separation.ended_at else []
                    expected.append((Step.SEPARATION_END, separation.taken_at, separation.until,
                                     *ended(done, ends, separation.taken_at), None))
            found = [(row.step, row.started_at, row.due_at, row.met_at, row.cancelled_at,
                      row.notification_id) for row in deadlines[case.pk]]
            assert sorted(found, key=repr) == sorted(expected, key=repr), case.pk
        # An urgent report no case was opened for yet has its 12 hours running all the same.
        waiting = Notification.objects.filter(urgent=True, case__isnull=True)
        assert {(row.notification_id, row.due_at) for row in deadlines[None]} == {
            (n.pk, n.received_at + datetime.timedelta(hours=12)) for n in waiting}
        assert not any(row.met_at or row.cancelled_at for row in deadlines[None])

    def test_limits_are_mostly_met_in_time_and_some_run_over(self, generated: Unit) -> None:
        plan = CaseDeadline.objects.filter(step=Step.PLAN, met_at__isnull=False)
        in_time = plan.filter(met_at__lte=F("due_at")).count()
        assert 0.6 < in_time / plan.count() < 0.97
        reference = datetime.datetime.combine(REFERENCE_DATE, datetime.time(23, 59), LOCAL)
        assert CaseDeadline.objects.overdue(reference).exists()
        # A closed case has no running limit: what it missed is "missed", never overdue.
        assert not CaseDeadline.objects.running().filter(case__status=S.CLOSED).exists()

    def test_measures_separations_and_referrals_are_where_the_step_implies(
            self, generated: Unit) -> None:
        protections = Protection.objects.select_related("case")
        assert protections.filter(kind="measure").exists()
        assert protections.filter(kind="separation").exists()
        assert not protections.filter(case__urgent=False).exists()
        for protection in protections:
            case = protection.case
            assert protection.taken_at > case.received_at
            assert case.closed_at is None or protection.taken_at < case.closed_at
            if protection.kind == "separation":
                assert protection.until is not None
                length = protection.until - protection.taken_at
                assert length <= datetime.timedelta(days=15) or protection.authority_request
                assert protection.ended_at is None or protection.ended_at <= protection.until
                # As the service asks: whom the child is kept from (a carer who harmed it).
                assert protection.separated_from and protection.alternative_carer
                assert case.perpetrator in {"parent", "step_parent", "caregiver", "relative"}
        focal = {(a.sector, a.user_id) for a in RoleAssignment.objects.filter(
            role=Role.SECTOR_FOCAL)}
        referrals = Referral.objects.select_related("case")
        assert {"sent", "accepted", "done"} <= set(referrals.values_list("status", flat=True))
        for referral in referrals:
            case = referral.case
            assert referral.sector == services.SECTOR_OF_SERVICE[referral.service]
            assert case.closed_at is None or referral.created_at < case.closed_at
            assert referral.due_on >= local_day(referral.created_at)
            assert referral.created_by_id == case.created_by_id
            if referral.status == "sent":
                assert referral.answered_at is None
            else:
                assert (referral.sector, referral.answered_by_id) in focal

    def test_children_who_moved_or_died_had_their_case_handed_over(
            self, generated: Unit) -> None:
        for case in Case.objects.select_related("child"):
            died = case.child.death_date
            if died is not None and case.closed_at is not None:
                assert local_day(case.closed_at) <= died or case.close_reason == "other"
            if died is not None and case.status != S.CLOSED:
                assert died > REFERENCE_DATE


class RegisterTests:
    def test_confirmed_sexual_abuse_puts_the_child_in_group_l_from_the_day_it_happened(
            self, generated: Unit) -> None:
        confirmed = (Case.objects.filter(abuses__form="sexual_abuse", abuses__confirmed=True)
                     .select_related("child").order_by("id"))
        assert confirmed.exists()
        expected: dict[int, datetime.date] = {}
        for case in confirmed:
            notification = case.notifications.get()
            received = local_day(case.received_at)
            day = min(notification.happened_on or received, received)
            expected.setdefault(case.child_id, max(day, case.child.birth_date))
        rows = dict(ChildCircumstance.objects.filter(group__code="l", source="case")
                    .values_list("child_id", "start_date"))
        assert rows == expected

    def test_only_confirmed_cases_change_the_register(self, generated: Unit) -> None:
        groups = {"sexual_abuse": "l", "trafficking": "m", "exploitation": "k",
                  "abandonment": "b"}
        wanted = {(child, groups[form]) for child, form in CaseAbuse.objects.filter(
            confirmed=True, form__in=groups).values_list("case__child_id", "form")}
        added = set(ChildCircumstance.objects.filter(source="case")
                    .values_list("child_id", "group__code"))
        assert added == wanted
        # Unconfirmed reports of those forms exist, and left nothing.
        assert CaseAbuse.objects.filter(confirmed=False, form__in=groups).exists()

    def test_it_records_one_audit_event_for_the_run(self, generated: Unit) -> None:
        events = AuditEvent.objects.filter(action=Action.DATA_LOADED,
                                           reason__startswith="synthetic cases")
        assert events.count() == 1
        assert events.get().unit_id == generated.pk

    def test_it_refuses_a_province_without_children(self, db: None) -> None:
        load_catalogues()
        empty = make_province(code="06", name="Tỉnh Bắc Kạn", communes=(("01840", "Xã Một"),))
        users = User.objects.count()
        with pytest.raises(ValueError, match="generate the register first"):
            generate_cases(province=empty, seed=1)
        assert not Notification.objects.exists() and not Case.objects.exists()
        assert User.objects.count() == users


class StatisticsTests:
    PERIODS = ((datetime.date(2023, 7, 1), REFERENCE_DATE),
               (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)))

    def independent(self, start: datetime.date, end: datetime.date) -> dict[str, Counter]:
        cases = {}
        for pk, received, status, perpetrator, sex, birth, ethnicity in Case.objects.values_list(
                "pk", "received_at", "status", "perpetrator", "child__sex", "child__birth_date",
                "child__ethnicity__name"):
            day = local_day(received)
            if start <= day <= end:
                age = day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
                group = next((label for low, high, label in statistics.AGE_GROUPS
                              if low <= age <= high), "18+")
                cases[pk] = {"status": status, "perpetrator": perpetrator, "sex": sex,
                             "age_group": group, "ethnicity": ethnicity}
        counts: dict[str, Counter] = defaultdict(Counter)
        labels = {"status": dict(choices.Status.choices),
                  "perpetrator": dict(choices.Perpetrator.choices),
                  "sex": dict(registry_choices.Sex.choices),
                  "form": dict(choices.AbuseForm.choices), "place": dict(choices.Place.choices)}
        for facts in cases.values():
            for by, key in facts.items():
                counts[by][str(labels.get(by, {}).get(key, key) or "—")] += 1
        for by in ("form", "place"):
            seen = {(case_id, value) for case_id, value in CaseAbuse.objects.values_list(
                "case_id", by) if case_id in cases}
            for _case_id, value in seen:
                counts[by][str(labels[by][value])] += 1
        return counts

    def test_the_breakdowns_count_what_an_independent_count_finds(
            self, generated: Unit) -> None:
        for start, end in self.PERIODS:
            expected = self.independent(start, end)
            for by in statistics.BREAKDOWNS:
                found = dict(statistics.case_counts(paths=[generated.path], start=start,
                                                    end=end, by=by))
                assert found == dict(expected[by]), by
            assert sum(expected["status"].values()) > 50

    def test_injury_deaths_count_the_register(self, generated: Unit) -> None:
        start, end = self.PERIODS[0]
        # Recounted child by child: a child's death (under 16 on the day, Child.age_on).
        expected = Counter(str(dict(registry_choices.DeathCause.choices)[child.death_cause])
                           for child in Child.objects.filter(
                               Q(death_date__gte=start) & Q(death_date__lte=end),
                               death_cause__in=INJURY_CAUSES)
                           if child.age_on(child.death_date) < 16)
        found = dict(statistics.injury_deaths(paths=[generated.path], start=start, end=end))
        assert found == dict(expected)


class PagesTests:
    def test_the_officer_reads_generated_cases_at_every_step(self, generated: Unit,
                                                             client: Client) -> None:
        """The pages render what the generator wrote (JSON forms and answers included)."""
        officer = User.objects.get(username="synthetic-officer-0401273")
        login(client, officer)
        cases = Case.objects.filter(workers=officer).order_by("id")
        assert client.get(reverse("cases:case_list")).status_code == 200
        assert client.get(reverse("cases:notification_list")).status_code == 200
        shown = set()
        for case in cases:
            if case.status not in shown:
                shown.add(case.status)
                page = client.get(reverse("cases:case_detail", args=[case.public_id]))
                assert page.status_code == 200
        assert len(shown) >= 5
        plan = Plan.objects.filter(case__in=cases, approved_at__isnull=False).first()
        assessment = Assessment.objects.filter(case__in=cases, kind="detailed").first()
        assert plan is not None and assessment is not None
        assert client.get(reverse("cases:plan_print", args=[plan.public_id])).status_code == 200
        assert client.get(reverse("cases:assessment_print",
                                  args=[assessment.public_id])).status_code == 200


class CommandTests:
    def test_it_generates_and_reports(self, province: Unit) -> None:
        out = StringIO()
        call_command("generate_cases", province="04", per_thousand=20, seed=3, stdout=out)
        assert Case.objects.exists()
        assert "rows per second" in out.getvalue()
        assert f"{Case.objects.count():,} cases" in out.getvalue()

    def test_it_refuses_an_unknown_province(self, province: Unit) -> None:
        with pytest.raises(CommandError):
            call_command("generate_cases", province="99")

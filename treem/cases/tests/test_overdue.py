"""Overdue is a step still open past its due moment: not done, not closed, not cancelled. A step
done late is "done late", counted for timeliness but never shown as overdue; a case that ends
stops its running limits. One expression decides it everywhere (`CaseDeadline.objects.overdue`
and its mirror `CaseDeadline.is_overdue_at`)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from treem.cases import selectors, services, statistics
from treem.cases.choices import Status
from treem.cases.models import Case, CaseDeadline
from treem.cases.tests.test_services import _notify, documents_for
from treem.registry.tests.factories import make_child
from treem.testing import login, make_user

pytestmark = pytest.mark.django_db
Step = CaseDeadline.Step
HOURS_13 = datetime.timedelta(hours=13)


@pytest.fixture
def late_case(tree, personas) -> Case:
    """An urgent case received 13 hours ago: its 12-hour limit has run out."""
    child = make_child(commune=tree.commune_a, full_name="Lý Văn Páo")
    notification = _notify(personas.intake, tree.commune_a, urgent=True,
                           received_at=timezone.now() - HOURS_13)
    return services.case_open(actor=personas.officer, notification=notification, child=child)


def overdue_everywhere(user_officer, user_province, case: Case) -> dict[str, bool]:
    now = timezone.now()
    cases = selectors.filter_cases(selectors.case_list(user=user_officer),
                                   selectors.CaseFilter(overdue=True), now=now)
    due = selectors.deadlines_due(user=user_officer, within=datetime.timedelta(days=2), now=now)
    counts = selectors.overdue_counts(user=user_province, now=now)
    page = login(Client(), user_officer).get(
        reverse("cases:case_detail", args=[case.public_id])).content.decode()
    home = login(Client(), user_officer).get(reverse("web:home")).content.decode()
    above = login(Client(), user_province).get(reverse("web:home")).content.decode()
    api = login(Client(), user_officer).get("/api/v1/cases", {"overdue": "true"}).json()
    return {"filter": case in cases, "due list": any(d.state == "overdue" for d in due),
            "counts": bool(list(counts)), "case page": "quá hạn" in page,
            "home": 'class="danger">quá hạn' in home,
            "province home": "<td>Phường Thục Phán</td><td>1</td>" in above,
            "api": bool(api["items"])}


class OverdueTests:
    def test_a_running_limit_past_due_is_overdue_everywhere(self, late_case,
                                                           personas) -> None:
        found = overdue_everywhere(personas.officer, personas.province_officer, late_case)
        assert all(found.values()), found

    def test_a_case_closed_with_its_emergency_limit_missed_is_overdue_nowhere(
            self, late_case, personas) -> None:
        officer, chairman = personas.officer, personas.chairman
        for move, actor in (("verify", officer), ("confirm", officer), ("plan", officer),
                            ("submit_plan", officer), ("approve_plan", chairman),
                            ("review", officer), ("close", chairman)):
            documents_for(late_case, move)
            services.case_move(actor=actor, case=late_case, move=move)
        late_case.refresh_from_db()
        assert late_case.status == Status.CLOSED
        found = overdue_everywhere(personas.officer, personas.province_officer, late_case)
        assert not any(found.values()), found
        emergency = late_case.deadlines.get(step=Step.EMERGENCY)
        # Never done, ended with the case after its due moment: missed, for the statistics.
        assert emergency.met_at is None and emergency.cancelled_at == late_case.closed_at
        assert emergency.state == "missed"

    def test_a_step_done_late_is_done_late_not_overdue(self, late_case, personas) -> None:
        services.protection_measure(actor=personas.officer, case=late_case,
                                    taken_at=timezone.now() - datetime.timedelta(minutes=5),
                                    description="Đưa trẻ đến nhà bác ruột")
        found = overdue_everywhere(personas.officer, personas.province_officer, late_case)
        assert not any(found.values()), found
        emergency = late_case.deadlines.get(step=Step.EMERGENCY)
        assert emergency.state == "done_late"
        assert list(CaseDeadline.objects.done_late()) == [emergency]

    def test_a_report_found_untrue_cancels_its_limits_without_meeting_them(
            self, late_case, personas) -> None:
        services.case_move(actor=personas.officer, case=late_case, move="verify")
        documents_for(late_case, "not_confirmed")
        services.case_move(actor=personas.officer, case=late_case, move="not_confirmed")
        emergency = late_case.deadlines.get(step=Step.EMERGENCY)
        assert emergency.met_at is None and emergency.cancelled_at is not None
        assert not CaseDeadline.objects.running().exists()

    def test_timeliness_counts_on_time_late_and_missed_per_step(self, tree, personas,
                                                                late_case) -> None:
        services.protection_measure(actor=personas.officer, case=late_case,
                                    taken_at=timezone.now(), description="Can thiệp")
        child = make_child(commune=tree.commune_a, full_name="Lò Thị Dung")
        quick = services.case_open(actor=personas.officer, child=child, notification=_notify(
            personas.intake, tree.commune_a, urgent=True,
            received_at=timezone.now() - datetime.timedelta(hours=2)))
        services.protection_measure(actor=personas.officer, case=quick,
                                    taken_at=timezone.now(), description="Can thiệp")
        today = timezone.localdate()
        counts = statistics.deadline_timeliness(
            paths=[tree.province.path], start=today - datetime.timedelta(days=2), end=today)
        assert counts[Step.EMERGENCY] == {"on_time": 1, "late": 1, "missed": 0, "overdue": 0,
                                          "running": 0, "cancelled": 0}
        assert statistics.deadline_timeliness(paths=[tree.other_province.path],
                                              start=today, end=today) == {}


class OneExpressionTests:
    def test_the_query_and_the_row_agree_on_every_state(self, late_case) -> None:
        now = timezone.now()
        past, future = now - datetime.timedelta(hours=1), now + datetime.timedelta(hours=1)
        CaseDeadline.objects.all().delete()
        rows = [CaseDeadline.objects.create(case=late_case, step=step, due_at=due,
                                            started_at=now - HOURS_13, met_at=met,
                                            cancelled_at=cancelled)
                for step, due, met, cancelled in (
                    (Step.EMERGENCY, past, None, None), (Step.PLAN, future, None, None),
                    (Step.APPROVAL, past, now, None), (Step.SEPARATION_END, past, None, now),
                    (Step.PLAN, past, past - datetime.timedelta(minutes=1), None),
                    (Step.APPROVAL, future, None, now))]
        queried = set(CaseDeadline.objects.overdue(now))
        assert queried == {row for row in rows if row.is_overdue_at(now)} == {rows[0]}
        assert [row.state_at(now) for row in rows] == [
            "overdue", "running", "done_late", "missed", "done", "cancelled"]


class DissolvedCommuneTests:
    def test_a_case_of_a_commune_dissolved_in_2025_counts_for_its_successor_province(
            self, tree, personas) -> None:
        child = make_child(commune=tree.old_commune, full_name="Hoàng Văn Nam")
        case = Case.objects.create(
            child=child, commune=tree.old_commune, unit_path=tree.old_commune.path,
            province_code="04", status=Status.IN_PROGRESS, urgent=True,
            received_at=datetime.datetime(2025, 6, 20, 9, tzinfo=datetime.UTC),
            created_by=personas.officer)
        case.workers.add(personas.officer)
        CaseDeadline.objects.create(case=case, step=Step.EMERGENCY,
                                    started_at=case.received_at,
                                    due_at=case.received_at + datetime.timedelta(hours=12))
        now = timezone.now()
        counts = list(selectors.overdue_counts(user=personas.province_officer, now=now))
        assert [(c["commune"], c["overdue"]) for c in counts] == [("Phường Sông Hiến", 1)]
        hanoi = make_user("province_hn", role="area_officer", unit=tree.other_province)
        assert not list(selectors.overdue_counts(user=hanoi, now=now))
        services.case_move(actor=personas.officer, case=case, move="hand_over",
                           close_reason="moved")
        assert not list(selectors.overdue_counts(user=personas.province_officer, now=now))
        assert not CaseDeadline.objects.get().met_at  # ended with the case, not done

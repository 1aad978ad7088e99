"""The 12 hours of an emergency run from the receipt of the information (Nghị định 56/2017
Điều 26 khoản 3, Điều 31 khoản 2, Điều 32 khoản 2; treem/cases/data/legal_basis.md), so the
clock shows on the notification before any case is opened, and the case keeps that clock."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from treem.cases import selectors, services
from treem.cases.models import CaseDeadline
from treem.cases.tests.test_services import _notify
from treem.cases.workdays import LOCAL
from treem.registry.tests.factories import make_child
from treem.testing import login, make_user

pytestmark = pytest.mark.django_db
Step = CaseDeadline.Step


@pytest.fixture
def urgent(tree, personas):
    """An urgent report received 13 hours ago, no case opened yet."""
    received = (timezone.now() - datetime.timedelta(hours=13)).replace(microsecond=0)
    return _notify(personas.intake, tree.commune_a, urgent=True, received_at=received)


class NotificationClockTests:
    def test_the_clock_runs_from_receipt_before_any_case(self, urgent, tree, personas) -> None:
        now = timezone.now()
        due = urgent.received_at + datetime.timedelta(hours=12)
        rows = list(selectors.deadlines_due(user=personas.officer,
                                            within=datetime.timedelta(days=2), now=now))
        assert [(d.step, d.due_at, d.case_id) for d in rows] == [(Step.EMERGENCY, due, None)]
        counts = list(selectors.overdue_counts(user=personas.province_officer, now=now))
        assert [(c["commune"], c["overdue"]) for c in counts] == [("Phường Thục Phán", 1)]
        # Nobody outside the commune's line sees it, not even as a count.
        assert not selectors.deadlines_due(user=personas.outsider,
                                           within=datetime.timedelta(days=2), now=now).exists()
        other_province = make_user("province_hn", role="area_officer", unit=tree.other_province)
        assert not list(selectors.overdue_counts(user=other_province, now=now))

    def test_the_inbox_the_notification_the_api_and_the_home_pages_show_it(
            self, urgent, personas, tree) -> None:
        due_text = timezone.localtime(
            urgent.received_at + datetime.timedelta(hours=12)).strftime("%d/%m/%Y %H:%M")
        officer = login(Client(), personas.officer)
        inbox = officer.get(reverse("cases:notification_list")).content.decode()
        assert due_text in inbox and "quá hạn" in inbox
        detail = officer.get(reverse("cases:notification_detail",
                                     args=[urgent.public_id])).content.decode()
        assert due_text in detail and "quá hạn" in detail
        api = officer.get(f"/api/v1/notifications/{urgent.public_id}").json()
        assert api["emergency"]["state"] == "overdue"
        assert datetime.datetime.fromisoformat(api["emergency"]["due_at"]) == \
            urgent.received_at + datetime.timedelta(hours=12)
        listed = officer.get("/api/v1/notifications").json()["items"]
        assert [n["emergency"]["state"] for n in listed] == ["overdue"]
        home = officer.get(reverse("web:home")).content.decode()
        assert due_text in home and "quá hạn" in home
        above = login(Client(), personas.province_officer).get(reverse("web:home"))
        assert "<td>Phường Thục Phán</td><td>1</td>" in above.content.decode()

    def test_a_report_not_in_danger_has_no_clock(self, tree, personas) -> None:
        calm = _notify(personas.intake, tree.commune_a)
        assert not CaseDeadline.objects.exists()
        api = login(Client(), personas.officer).get(f"/api/v1/notifications/{calm.public_id}")
        assert api.json()["emergency"] is None

    def test_the_case_carries_the_same_clock_when_it_is_opened(self, urgent, tree,
                                                               personas) -> None:
        running = CaseDeadline.objects.get(step=Step.EMERGENCY)
        child = make_child(commune=tree.commune_a, full_name="Lý Văn Páo")
        case = services.case_open(actor=personas.officer, notification=urgent, child=child)
        carried = case.deadlines.get(step=Step.EMERGENCY)
        assert carried.pk == running.pk  # not restarted
        assert carried.due_at == urgent.received_at + datetime.timedelta(hours=12)
        assert carried.notification_id == urgent.pk
        assert CaseDeadline.objects.count() == 1
        assert list(selectors.filter_cases(selectors.case_list(user=personas.officer),
                                           selectors.CaseFilter(overdue=True),
                                           now=timezone.now())) == [case]

    def test_the_clock_crosses_midnight_and_new_year_on_the_hour(self, tree, personas,
                                                                 monkeypatch) -> None:
        received = datetime.datetime(2026, 12, 31, 20, 30, tzinfo=LOCAL)
        monkeypatch.setattr(timezone, "now", lambda: received + datetime.timedelta(hours=1))
        late = _notify(personas.intake, tree.commune_a, urgent=True, received_at=received)
        row = CaseDeadline.objects.get(notification=late)
        # Hours on the clock, a holiday or not: 08:30 on 1/1/2027 in Hà Nội.
        assert timezone.localtime(row.due_at) == datetime.datetime(2027, 1, 1, 8, 30,
                                                                    tzinfo=LOCAL)
        assert not row.is_overdue_at(datetime.datetime(2027, 1, 1, 1, 29, tzinfo=datetime.UTC))
        assert row.is_overdue_at(datetime.datetime(2027, 1, 1, 1, 31, tzinfo=datetime.UTC))


class QueryCountTests:
    def test_the_inbox_and_the_home_page_read_the_clocks_in_constant_queries(
            self, tree, personas) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        officer = login(Client(), personas.officer)

        def queries(url: str) -> int:
            with CaptureQueriesContext(connection) as captured:
                assert officer.get(url).status_code == 200
            return len(captured)

        received = timezone.now() - datetime.timedelta(hours=13)
        _notify(personas.intake, tree.commune_a, urgent=True, received_at=received)
        one = (queries(reverse("cases:notification_list")), queries(reverse("web:home")))
        for hours in (1, 2, 14):
            _notify(personas.intake, tree.commune_a, urgent=True,
                    received_at=timezone.now() - datetime.timedelta(hours=hours))
        assert (queries(reverse("cases:notification_list")),
                queries(reverse("web:home"))) == one

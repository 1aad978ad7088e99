"""Keeping the days off: a nation-wide administrator only; deadlines follow the new days."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from treem.accounts.roles import Role
from treem.audit.models import AuditEvent
from treem.cases import calendar_services
from treem.cases.models import CalendarDay
from treem.cases.workdays import LOCAL, WorkCalendar, end_of
from treem.testing import login, make_user

pytestmark = pytest.mark.django_db
# The Friday after Tết 2027: a working day by rule, made a day off were the Government to
# announce a bridge (an example, not an announcement).
DAY = datetime.date(2027, 2, 12)


@pytest.fixture
def national(tree):
    return make_user("quantri", role=Role.SYSTEM_ADMIN, unit=tree.nation)


class CalendarKeepingTests:
    def test_a_national_administrator_adds_a_day_and_deadlines_skip_it(self, national) -> None:
        thursday = datetime.datetime(2027, 2, 11, 10, tzinfo=LOCAL)
        assert WorkCalendar.from_database().add_working_days(thursday, 1) == end_of(DAY)
        calendar_services.calendar_day_add(actor=national, day=DAY, kind="holiday",
                                           name="Nghỉ hoán đổi", source="Thông báo năm 2027")
        assert WorkCalendar.from_database().add_working_days(thursday, 1) == \
            end_of(DAY + datetime.timedelta(days=3))
        assert AuditEvent.objects.filter(actor=national, action="create").exists()

    def test_bad_input_and_other_administrators_are_refused(self, national, personas) -> None:
        with pytest.raises(PermissionDenied):  # a province administrator: national data
            calendar_services.calendar_day_add(actor=personas.admin, day=DAY, kind="holiday",
                                               name="Tết")
        with pytest.raises(ValidationError):  # an ordinary weekday is worked anyway
            calendar_services.calendar_day_add(actor=national, day=DAY, kind="working",
                                               name="Làm bù")
        with pytest.raises(ValidationError):
            calendar_services.calendar_day_add(actor=national, day=DAY, kind="holiday",
                                               name=" ")
        calendar_services.calendar_day_add(actor=national, day=DAY, kind="holiday", name="Tết")
        with pytest.raises(ValidationError):  # already there
            calendar_services.calendar_day_add(actor=national, day=DAY, kind="holiday",
                                               name="Tết")
        assert CalendarDay.objects.filter(day=DAY).count() == 1

    def test_the_page_lists_adds_and_removes(self, national, personas) -> None:
        client = login(Client(), national)
        url = reverse("cases:calendar")
        page = client.get(url, {"year": 2026}).content.decode()
        assert "Tết" in page and "16/02/2026" in page
        client.post(url, {"action": "add", "day": DAY.isoformat(), "kind": "holiday",
                          "name": "Nghỉ hoán đổi"})
        assert CalendarDay.objects.filter(day=DAY).exists()
        refused = login(Client(), personas.admin).post(
            url, {"action": "remove", "day": DAY.isoformat(), "reason": "Nhầm"})
        assert "chỉ quản trị viên cấp quốc gia" in refused.content.decode()
        client.post(url, {"action": "remove", "day": DAY.isoformat(), "reason": "Nhập nhầm"})
        assert not CalendarDay.objects.filter(day=DAY).exists()
        assert login(Client(), personas.officer).get(url).status_code == 403

    def test_the_page_shows_the_days_of_the_rule_with_their_source(self, national) -> None:
        client = login(Client(), national)
        page = client.get(reverse("cases:calendar"), {"year": 2027}).content.decode()
        for shown in ("01/01/2027", "04/02/2027", "10/02/2027", "16/04/2027", "03/05/2027",
                      "03/09/2027", "24/11/2027", "Điều 111 khoản 3"):
            assert shown in page, shown
        assert "06/09/2027" not in page
        # A year the rule cannot place falls back to this year's page.
        assert client.get(reverse("cases:calendar"), {"year": 99999}).status_code == 200

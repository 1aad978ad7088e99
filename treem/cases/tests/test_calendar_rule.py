"""The statutory days off of any year, computed by rule, beside the Government's yearly
announcements kept as data (docs/calendar.md has the rules and their sources).

Bộ luật Lao động 2019 Điều 112 khoản 1 lists the days; Điều 111 khoản 3 gives the next working
day when one falls on the weekly rest day (Saturday and Sunday for the public administration,
Quyết định 188/1999/QĐ-TTg Điều 1); Điều 112 khoản 3 leaves Tết and the day beside 2/9 to the
Prime Minister's yearly decision, which an administrator enters when the rule guessed wrong.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError

from treem.accounts.roles import Role
from treem.cases import calendar_services, deadlines
from treem.cases.models import CalendarDay, CaseDeadline
from treem.cases.workdays import LOCAL, WorkCalendar, end_of
from treem.testing import make_user

pytestmark = pytest.mark.django_db
Step = CaseDeadline.Step
UTC = datetime.UTC


def day(year: int, month: int, number: int) -> datetime.date:
    return datetime.date(year, month, number)


@pytest.fixture
def national(tree):
    return make_user("quantri", role=Role.SYSTEM_ADMIN, unit=tree.nation)


class StatutoryDaysTests:
    def test_an_approval_submitted_on_30_december_2026_is_not_due_on_new_year(self) -> None:
        # Wednesday 30/12/2026: Thursday 31/12 is the first working day, Friday 1/1/2027 is
        # Tết Dương lịch (Điều 112 khoản 1 điểm a), so the second is Monday 4/1/2027.
        submitted = datetime.datetime(2026, 12, 30, 10, tzinfo=LOCAL)
        assert deadlines.due(Step.APPROVAL, submitted) == end_of(day(2027, 1, 4))

    def test_the_fixed_days_of_2027_are_days_off_without_any_announcement(self) -> None:
        calendar = WorkCalendar.from_database()
        assert not CalendarDay.objects.filter(day__year=2027).exists()
        for off in (day(2027, 1, 1), day(2027, 4, 30), day(2027, 9, 2), day(2027, 11, 24)):
            assert not calendar.is_working_day(off), off
        # 1/5/2027 is a Saturday: the weekly rest day is given back on Monday 3/5
        # (Điều 111 khoản 3); Giỗ Tổ 10/3 Đinh Mùi is Friday 16/4/2027.
        assert not calendar.is_working_day(day(2027, 5, 3))
        assert not calendar.is_working_day(day(2027, 4, 16))
        assert calendar.is_working_day(day(2027, 5, 4))

    def test_tet_2027_by_rule_is_the_week_the_announcement_gives(self) -> None:
        # Mùng 1 Tết Đinh Mùi is Saturday 6/2/2027: the five Tết days are 29 Tết to mùng 4,
        # the Saturday and Sunday among them given back as Thursday 4/2 and Wednesday 10/2 —
        # the 04–10/02 of Công văn 10065/VPCP-KGVX (read only in copies: unverified).
        calendar = WorkCalendar.from_database()
        for number in (4, 5, 8, 9, 10):
            assert not calendar.is_working_day(day(2027, 2, number)), number
        assert calendar.is_working_day(day(2027, 2, 3))
        assert calendar.is_working_day(day(2027, 2, 11))
        # A plan started on Wednesday 3/2/2027: 11, 12, 15, 16, 17 February.
        started = datetime.datetime(2027, 2, 3, 15, tzinfo=LOCAL)
        assert deadlines.due(Step.PLAN, started) == end_of(day(2027, 2, 17))

    def test_national_day_2027_and_its_adjacent_day(self) -> None:
        calendar = WorkCalendar.from_database()
        # 2/9/2027 is a Thursday; the adjacent day is Friday 3/9 (02–05/09, VPCP 10065).
        assert not calendar.is_working_day(day(2027, 9, 3))
        assert calendar.is_working_day(day(2027, 9, 1))
        submitted = datetime.datetime(2027, 9, 1, 9, tzinfo=LOCAL)
        assert deadlines.due(Step.APPROVAL, submitted) == end_of(day(2027, 9, 7))

    def test_the_local_day_decides_around_midnight(self) -> None:
        # 23:59 on 30/12/2026 in Hà Nội is 16:59 UTC: the day of submission is the 30th.
        before = datetime.datetime(2026, 12, 30, 16, 59, tzinfo=UTC)
        after = datetime.datetime(2026, 12, 30, 17, 1, tzinfo=UTC)  # 00:01 on the 31st
        assert deadlines.due(Step.APPROVAL, before) == end_of(day(2027, 1, 4))
        assert deadlines.due(Step.APPROVAL, after) == end_of(day(2027, 1, 5))
        # A deadline ends at the last instant of its local day, 16:59:59 UTC.
        assert end_of(day(2027, 1, 4)).astimezone(UTC).hour == 16

    def test_the_announced_swaps_stay_data_and_the_rule_adds_none(self) -> None:
        from treem.cases.holidays import statutory_days_off

        rule_2025 = statutory_days_off(2025)
        assert day(2025, 5, 2) not in rule_2025  # a swap: data with its source, not the rule
        assert day(2025, 9, 1) in rule_2025 and day(2025, 1, 27) in rule_2025
        calendar = WorkCalendar.from_database()
        assert not calendar.is_working_day(day(2025, 5, 2))
        assert calendar.is_working_day(day(2025, 4, 26))  # the Saturday worked for it

    def test_the_rule_gives_the_days_of_every_verified_announcement(self) -> None:
        """2025 and 2026, announced and verified: the rule's weekdays off are the announced
        ones, and what the announcements add is only their swaps."""
        from treem.cases.holidays import statutory_days_off, verified_days

        announced = {d: name for d, kind, name, _source in verified_days() if kind == "holiday"}
        for year in (2025, 2026):
            rule = {d for d in statutory_days_off(year) if d.weekday() < 5}
            data = {d for d in announced if d.year == year}
            assert rule <= data, year
            assert all("hoán đổi" in announced[d] for d in data - rule), data - rule

    def test_the_culture_day_gets_no_day_back_until_the_law_says_so(self) -> None:
        # 24/11 is a day off by Nghị quyết 28/2026/QH16, not (yet) in Điều 112 khoản 1, so
        # Điều 111 khoản 3 does not give back Saturday 24/11/2029.
        calendar = WorkCalendar.from_database()
        assert calendar.is_working_day(day(2029, 11, 26))
        assert not calendar.is_working_day(day(2028, 11, 24))  # a Friday


class AnnouncedCorrectionTests:
    def test_an_administrator_moves_the_adjacent_day_the_rule_guessed(self, national) -> None:
        # Were the Prime Minister to give 1/9/2027 instead of 3/9 (Điều 112 khoản 3).
        calendar_services.calendar_day_add(actor=national, day=day(2027, 9, 3), kind="working",
                                           name="Làm việc (ngày liền kề là 1/9)",
                                           source="Thông báo năm 2027")
        calendar_services.calendar_day_add(actor=national, day=day(2027, 9, 1), kind="holiday",
                                           name="Quốc khánh (ngày liền kề trước)",
                                           source="Thông báo năm 2027")
        calendar = WorkCalendar.from_database()
        assert calendar.is_working_day(day(2027, 9, 3))
        assert not calendar.is_working_day(day(2027, 9, 1))

    @pytest.mark.parametrize(("on", "kind", "says"), [
        (day(2027, 9, 6), "working", "vốn là ngày làm việc"),   # an ordinary Monday
        (day(2027, 1, 1), "holiday", "vốn là ngày nghỉ"),       # Tết Dương lịch by rule
        (day(2027, 1, 2), "holiday", "vốn là ngày nghỉ"),       # a Saturday
    ])
    def test_an_entry_that_changes_nothing_is_refused_and_writes_nothing(
            self, national, on, kind, says) -> None:
        from treem.audit.models import AuditEvent

        before = (CalendarDay.objects.count(), AuditEvent.objects.count())
        with pytest.raises(ValidationError) as error:
            calendar_services.calendar_day_add(actor=national, day=on, kind=kind, name="Thử")
        assert says in error.value.message_dict["day"][0]
        assert (CalendarDay.objects.count(), AuditEvent.objects.count()) == before

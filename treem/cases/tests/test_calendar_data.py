"""The days off loaded by migration: what the sources say (treem/cases/data/holidays.json)."""

import datetime

import pytest

from treem.cases.holidays import verified_days
from treem.cases.models import CalendarDay
from treem.cases.workdays import LOCAL, WorkCalendar, end_of

pytestmark = pytest.mark.django_db


class CalendarDataTests:
    def test_the_verified_days_are_loaded_and_nothing_unverified(self) -> None:
        loaded = set(CalendarDay.objects.values_list("day", flat=True))
        assert loaded == {day for day, *_rest in verified_days()}
        assert not CalendarDay.objects.filter(day__year=2027).exists()
        # Ngày Văn hóa Việt Nam is a day off from 2026 (Nghị quyết 28/2026/QH16), one day.
        assert CalendarDay.objects.filter(day=datetime.date(2026, 11, 24), kind="holiday").exists()

    def test_a_plan_started_before_the_culture_day_skips_it(self) -> None:
        calendar = WorkCalendar.from_database()
        # Planning from Friday 20/11/2026: Mon 23, (Tue 24 off), Wed 25, Thu 26, Fri 27, Mon 30.
        started = datetime.datetime(2026, 11, 20, 15, tzinfo=LOCAL)
        assert calendar.add_working_days(started, 5) == end_of(datetime.date(2026, 11, 30))
        assert calendar.is_working_day(datetime.date(2026, 11, 23))  # no swapped day

    def test_tet_2026_and_the_swapped_days(self) -> None:
        calendar = WorkCalendar.from_database()
        for day in range(16, 21):  # Monday 16 to Friday 20 February 2026
            assert not calendar.is_working_day(datetime.date(2026, 2, day))
        assert calendar.is_working_day(datetime.date(2026, 1, 10))   # Saturday worked
        assert not calendar.is_working_day(datetime.date(2026, 1, 2))
        assert not calendar.is_working_day(datetime.date(2026, 4, 27))  # Giỗ Tổ moved off Sunday
        # A plan due 5 working days after Thursday 12/02/2026: Fri 13, then Tết, Mon 23–Thu 26.
        received = datetime.datetime(2026, 2, 12, 10, tzinfo=LOCAL)
        assert calendar.add_working_days(received, 5) == end_of(datetime.date(2026, 2, 26))

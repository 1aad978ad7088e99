"""Deadline arithmetic: hours on the clock, working days past weekends, Tết and swapped days."""

import datetime

import pytest

from treem.cases.models import CalendarDay
from treem.cases.workdays import LOCAL, WorkCalendar, add_days, add_hours, end_of

# A nine-day Tết break, Saturday 14 to Sunday 22 February 2026, as a fixture of the arithmetic
# (the days actually loaded are data, see treem/cases/data/).
TET_2026 = [datetime.date(2026, 2, d) for d in range(14, 23)]


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LOCAL)


class WorkingDaysTests:
    plain = WorkCalendar.of()

    def test_the_day_of_receipt_is_not_counted(self) -> None:
        # Monday → the fifth working day is the next Monday.
        assert self.plain.add_working_days(at(2026, 3, 2), 5) == end_of(datetime.date(2026, 3, 9))

    def test_weekends_are_skipped(self) -> None:
        # Friday afternoon: Mon, Tue, Wed, Thu, Fri of the next week.
        due = self.plain.add_working_days(at(2026, 3, 6, 16), 5)
        assert due == end_of(datetime.date(2026, 3, 13))

    def test_a_report_received_on_a_sunday_counts_from_monday(self) -> None:
        assert self.plain.add_working_days(at(2026, 3, 8), 1) == end_of(datetime.date(2026, 3, 9))

    def test_tet_is_skipped(self) -> None:
        tet = WorkCalendar.of(holidays=TET_2026)
        # Received Thursday 12/02/2026: Fri 13, then Tết until Sunday 22, then Mon 23 … Thu 26.
        assert tet.add_working_days(at(2026, 2, 12), 5) == end_of(datetime.date(2026, 2, 26))
        assert self.plain.add_working_days(at(2026, 2, 12), 5) == end_of(datetime.date(2026, 2, 19))

    def test_a_saturday_worked_in_place_of_a_day_off_counts(self) -> None:
        swapped = WorkCalendar.of(holidays=[datetime.date(2026, 4, 27)],
                                  worked=[datetime.date(2026, 4, 25)])
        # Friday 24/04: Saturday 25 worked, Monday 27 off, Tuesday 28.
        assert swapped.add_working_days(at(2026, 4, 24), 2) == end_of(datetime.date(2026, 4, 28))

    def test_time_is_local_to_vietnam(self) -> None:
        # 23:30 UTC on Sunday is 06:30 on Monday in Hà Nội: Monday is the day of receipt.
        utc = datetime.datetime(2026, 3, 8, 23, 30, tzinfo=datetime.UTC)
        assert self.plain.add_working_days(utc, 1) == end_of(datetime.date(2026, 3, 10))

    def test_counting_between_two_days(self) -> None:
        tet = WorkCalendar.of(holidays=TET_2026)
        assert tet.working_days_between(datetime.date(2026, 2, 12), datetime.date(2026, 2, 26)) == 5
        assert tet.working_days_between(datetime.date(2026, 2, 26), datetime.date(2026, 2, 12)) == 0

    def test_zero_days_is_refused(self) -> None:
        with pytest.raises(ValueError):
            self.plain.add_working_days(at(2026, 3, 2), 0)


class ClockTests:
    def test_hours_run_through_nights_weekends_and_holidays(self) -> None:
        assert add_hours(at(2026, 2, 16, 20), 12) == at(2026, 2, 17, 8)

    def test_calendar_days_end_at_midnight(self) -> None:
        assert add_days(at(2026, 3, 1, 22), 15) == end_of(datetime.date(2026, 3, 16))


@pytest.mark.django_db
class CalendarFromDatabaseTests:
    def test_days_entered_by_an_administrator_are_used(self) -> None:
        CalendarDay.objects.create(day=datetime.date(2026, 3, 3), name="Nghỉ thử")
        CalendarDay.objects.create(day=datetime.date(2026, 3, 7), name="Làm bù thử",
                                   kind=CalendarDay.Kind.WORKING)
        calendar = WorkCalendar.from_database()
        assert not calendar.is_working_day(datetime.date(2026, 3, 3))
        assert calendar.is_working_day(datetime.date(2026, 3, 7))

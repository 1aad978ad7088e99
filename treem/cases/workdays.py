"""Deadlines counted the way the decree counts them, in Asia/Ho_Chi_Minh.

"Giờ" are counted on the clock from the moment the information was received. "Ngày làm việc"
skip Saturdays, Sundays and the public holidays and days off of `CalendarDay`, and count the
Saturdays worked in their place; the day of receipt is not counted, and a deadline in working
days falls at the end of its last day. "Ngày" (calendar days) count every day.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
SATURDAY = 5


def local_day(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(LOCAL).date()


def end_of(day: datetime.date) -> datetime.datetime:
    """The last instant of a local day (a deadline "by the end of the day")."""
    return datetime.datetime.combine(day, datetime.time.max, tzinfo=LOCAL)


@dataclass(frozen=True)
class WorkCalendar:
    holidays: frozenset[datetime.date] = field(default_factory=frozenset)
    working_weekends: frozenset[datetime.date] = field(default_factory=frozenset)

    @classmethod
    def of(cls, holidays: Iterable[datetime.date] = (),
           working_weekends: Iterable[datetime.date] = ()) -> "WorkCalendar":
        return cls(frozenset(holidays), frozenset(working_weekends))

    @classmethod
    def from_database(cls) -> "WorkCalendar":
        from treem.cases.models import CalendarDay

        rows = CalendarDay.objects.values_list("day", "kind")
        return cls.of(holidays=[d for d, kind in rows if kind == CalendarDay.Kind.HOLIDAY],
                      working_weekends=[d for d, kind in rows
                                        if kind == CalendarDay.Kind.WORKING])

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.working_weekends:
            return True
        return day.weekday() < SATURDAY and day not in self.holidays

    def add_working_days(self, moment: datetime.datetime, days: int) -> datetime.datetime:
        """The end of the `days`-th working day after the day of `moment`."""
        if days < 1:
            raise ValueError("a deadline counts at least one working day")
        day, counted = local_day(moment), 0
        while counted < days:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return end_of(day)

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after `start` up to and including `end`."""
        count, day = 0, start
        while day < end:
            day += datetime.timedelta(days=1)
            count += self.is_working_day(day)
        return count


def add_hours(moment: datetime.datetime, hours: int) -> datetime.datetime:
    return moment + datetime.timedelta(hours=hours)


def add_days(moment: datetime.datetime, days: int) -> datetime.datetime:
    """The end of the `days`-th calendar day after the day of `moment`."""
    return end_of(local_day(moment) + datetime.timedelta(days=days))

"""Deadlines counted the way the decree counts them, in Asia/Ho_Chi_Minh.

"Giờ" are counted on the clock from the moment the information was received. "Ngày làm việc"
skip Saturdays, Sundays and the days off of the public administration — the statutory ones of
any year by rule (`holidays.statutory_days_off`), corrected by the days the Government
announces (`CalendarDay`: a day off added, or a day worked, a Saturday or a statutory day the
Prime Minister moved) — and the day of receipt is not counted; a deadline in working days
falls at the end of its last day. "Ngày" (calendar days) count every day. docs/calendar.md.
"""

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
SATURDAY = 5

Rule = Callable[[int], Mapping[datetime.date, str]]


def local_day(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(LOCAL).date()


def start_of(day: datetime.date) -> datetime.datetime:
    """The first instant of a local day."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=LOCAL)


def end_of(day: datetime.date) -> datetime.datetime:
    """The last instant of a local day (a deadline "by the end of the day")."""
    return datetime.datetime.combine(day, datetime.time.max, tzinfo=LOCAL)


def _no_rule(year: int) -> Mapping[datetime.date, str]:
    return {}


@dataclass(frozen=True)
class WorkCalendar:
    """Which days the public administration works. `days_off` and `days_worked` are the
    announced days (they win over the rule); `rule` gives the statutory days off of a year."""

    days_off: frozenset[datetime.date] = field(default_factory=frozenset)
    days_worked: frozenset[datetime.date] = field(default_factory=frozenset)
    rule: Rule = _no_rule

    @classmethod
    def of(cls, holidays: Iterable[datetime.date] = (),
           worked: Iterable[datetime.date] = (), *, rule: Rule = _no_rule) -> "WorkCalendar":
        return cls(frozenset(holidays), frozenset(worked), rule)

    @classmethod
    def from_database(cls) -> "WorkCalendar":
        """The statutory rule and the announced days as they are in the database now."""
        from treem.cases.holidays import statutory_days_off
        from treem.cases.models import CalendarDay

        rows = list(CalendarDay.objects.values_list("day", "kind"))
        return cls.of(holidays=[d for d, kind in rows if kind == CalendarDay.Kind.HOLIDAY],
                      worked=[d for d, kind in rows if kind == CalendarDay.Kind.WORKING],
                      rule=statutory_days_off)

    def is_statutory_day_off(self, day: datetime.date) -> bool:
        return day in self.rule(day.year)

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.days_worked:
            return True
        if day in self.days_off:
            return False
        return day.weekday() < SATURDAY and not self.is_statutory_day_off(day)

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

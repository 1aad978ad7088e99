"""Moments of the synthetic world, in Asia/Ho_Chi_Minh: office hours on the working days of
the calendar (`CalendarDay`), or any hour."""

import datetime
import random

from treem.cases.workdays import LOCAL, WorkCalendar

OFFICE_OPENS, OFFICE_CLOSES = 7 * 60 + 30, 16 * 60 + 45  # minutes of the day


class Clock:
    """Moments of the synthetic world: office hours on working days, or any hour."""

    def __init__(self, rng: random.Random, calendar: WorkCalendar) -> None:
        self.rng = rng
        self.calendar = calendar
        self._working: dict[int, bool] = {}

    def working(self, day: int) -> bool:
        known = self._working.get(day)
        if known is None:
            known = self._working[day] = self.calendar.is_working_day(
                datetime.date.fromordinal(day))
        return known

    def at(self, day: int, minute: int) -> datetime.datetime:
        return datetime.datetime.combine(datetime.date.fromordinal(day),
                                         datetime.time(minute // 60, minute % 60), LOCAL)

    def office(self, after: datetime.datetime, days: int) -> datetime.datetime:
        """A moment at office hours on the `days`-th working day after `after`; with 0, later
        the same day when it is a working day with time left, else the next working day."""
        local = after.astimezone(LOCAL)
        day = local.date().toordinal()
        if days == 0:
            earliest = max(local.hour * 60 + local.minute + 10, OFFICE_OPENS)
            if self.working(day) and earliest <= OFFICE_CLOSES:
                return self.at(day, self.rng.randint(earliest, OFFICE_CLOSES))
            days = 1
        while days:
            day += 1
            days -= self.working(day)
        return self.at(day, self.rng.randint(OFFICE_OPENS, OFFICE_CLOSES))

    def earlier(self, moment: datetime.datetime, *, after: datetime.datetime
                ) -> datetime.datetime:
        """A moment at office hours the same day as `moment`, before it and after `after`
        (halfway between them when the day leaves no room)."""
        local = moment.astimezone(LOCAL)
        latest = local.hour * 60 + local.minute - 10
        earliest = OFFICE_OPENS
        if local.date() == after.astimezone(LOCAL).date():
            since = after.astimezone(LOCAL)
            earliest = max(earliest, since.hour * 60 + since.minute + 10)
        if earliest > latest:
            return after + (moment - after) / 2
        return self.at(local.date().toordinal(), self.rng.randint(earliest, latest))

    def hours(self, after: datetime.datetime, low: float, high: float) -> datetime.datetime:
        return after + datetime.timedelta(minutes=round(self.rng.uniform(low, high) * 60))

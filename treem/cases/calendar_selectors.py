"""Reading the calendar of days off: a year as the deadlines count it, the statutory days of
the rule beside the days the Government announced (national data, no personal data)."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from treem.cases.holidays import RULE_SOURCE, statutory_days_off
from treem.cases.models import CalendarDay

BY_RULE = _("Ngày nghỉ theo quy định")
RULE_CANCELLED = _("theo quy định là ngày nghỉ; đã chuyển thành ngày làm việc")


@dataclass(frozen=True)
class CalendarEntry:
    day: datetime.date
    off: bool                 # whether the public administration is closed that day
    name: str
    source: str
    announced: CalendarDay | None  # the administrator's row, which an officer may remove
    by_rule: bool             # a statutory day off of the rule (perhaps moved by `announced`)

    @property
    def kind_label(self) -> str:
        if self.announced is not None:
            return str(self.announced.get_kind_display())
        return str(BY_RULE)


def calendar_year(year: int) -> list[CalendarEntry]:
    """The statutory days off of `year` by rule (a Saturday or Sunday among them too, to show
    the day given back for it) and the announced days, which win over the rule, in order."""
    rule = statutory_days_off(year)
    announced = {row.day: row for row in CalendarDay.objects.filter(day__year=year)}
    entries = []
    for day in sorted(set(rule) | set(announced)):
        row = announced.get(day)
        if row is not None:
            off = row.kind == CalendarDay.Kind.HOLIDAY
            name = row.name if off or day not in rule else f"{row.name} ({RULE_CANCELLED})"
            entries.append(CalendarEntry(day, off, name, row.source, row, day in rule))
        else:
            entries.append(CalendarEntry(day, True, rule[day], RULE_SOURCE, None, True))
    return entries

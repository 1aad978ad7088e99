"""The days off of the public administration: the statutory ones of any year by rule, and the
Government's yearly announcements (swapped days, Saturdays worked) as data with their sources.

The rule (docs/calendar.md has the text of each source):

- Bộ luật Lao động 45/2019/QH14 Điều 112 khoản 1: 1/1; Tết Âm lịch, 05 days; 30/4; 1/5; 2/9
  and one adjacent day; Giỗ Tổ Hùng Vương, 10/3 âm lịch.
- Điều 111 khoản 3: a day of khoản 1 on the weekly rest day gives that rest day back "vào
  ngày làm việc kế tiếp". The public administration rests on Saturday and Sunday (Quyết định
  188/1999/QĐ-TTg Điều 1), and the yearly notices for công chức, viên chức give these days
  back (e.g. Giỗ Tổ on Sunday 26/4/2026, off on Monday 27/4): they are days off here.
- Điều 112 khoản 3: the Prime Minister decides each year which days Tết and the day beside 2/9
  are. The rule takes what the `holidays` library computes (29 Tết or giao thừa to mùng 4,
  a Saturday among them given back on the working day before, a Sunday on the one after; the
  adjacent day of 2/9 making the longest break), which matches every announcement found from
  2014 to 2027; where a year's decision differs, an administrator enters it (`CalendarDay`).
- Nghị quyết 28/2026/QH16 Điều 2: 24/11, Ngày Văn hóa Việt Nam, is a day off from 2026. It is
  not in Điều 112 khoản 1 (the Labour Code's amendment is only planned), so Điều 111 khoản 3
  gives no day back when it falls on a weekend (2029, 2030): added by hand if announced.

The announced days (`data/holidays.json`) are loaded by migration, verified entries only.
"""

import datetime
import functools
import json
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import holidays as holiday_rules

DATA = Path(__file__).resolve().parent / "data" / "holidays.json"
CULTURE_DAY = (11, 24)
RULE_SOURCE = ("Bộ luật Lao động 2019 Điều 112 khoản 1, Điều 111 khoản 3; "
               "Nghị quyết 28/2026/QH16 Điều 2 (tính theo quy tắc)")


@functools.lru_cache(maxsize=64)
def statutory_days_off(year: int) -> Mapping[datetime.date, str]:
    """The days off of `year` by rule, with their Vietnamese names: the statutory days of
    Điều 112 khoản 1 (and 24/11), and the days given back under Điều 111 khoản 3.

    The library's own list of past swaps (`special_public_holidays`) is left out: swaps are
    the Government's yearly decisions, kept as data with their sources and their Saturdays
    worked, which the library does not have."""
    found = holiday_rules.Vietnam(years=year, language="vi", observed=True)
    swapped = {datetime.date(year, entry[0], entry[1])
               for entry in _entries(found.special_public_holidays.get(year, ()))}
    days = {}
    for day, name in found.items():
        if day.year != year or day in swapped:
            continue
        if _culture_day_given_back(day, name):
            continue
        days[day] = name
    return MappingProxyType(days)  # cached: shared by every caller, so read-only


def _entries(value: Any) -> list[tuple[int, ...]]:
    """The library's special days of a year: one tuple, or a tuple of tuples."""
    if value and isinstance(value[0], int):
        return [value]
    return list(value)


def _culture_day_given_back(day: datetime.date, name: str) -> bool:
    """The library gives 24/11 a day back on a weekend; the law does not (see the module)."""
    culture = datetime.date(day.year, *CULTURE_DAY)
    return (day != culture and culture.weekday() >= 5
            and datetime.timedelta(0) < day - culture <= datetime.timedelta(days=3)
            and "Văn hóa" in name)


def verified_days(path: Path = DATA) -> list[tuple[datetime.date, str, str, str]]:
    """(day, kind, name, source) of every verified entry of the announced data."""
    data = json.loads(path.read_text(encoding="utf-8"))
    found = []
    for key, kind in (("years", "holiday"), ("working_saturdays", "working")):
        for entries in data[key].values():
            for entry in entries:
                if entry.get("verified"):
                    found.append((datetime.date.fromisoformat(entry["date"]), kind,
                                  entry["name"][:120], entry.get("source", "")[:300]))
    return found


def load_calendar(model: Any, path: Path = DATA) -> int:
    """Add the verified days missing from the table `model` (CalendarDay or its historical
    version); days already there, perhaps edited by an administrator, are left alone."""
    existing = set(model.objects.values_list("day", flat=True))
    rows = [model(day=day, kind=kind, name=name, source=source)
            for day, kind, name, source in verified_days(path) if day not in existing]
    model.objects.bulk_create(rows)
    return len(rows)

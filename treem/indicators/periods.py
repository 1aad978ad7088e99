"""Reporting periods, named as DHIS2 names them so the values export as they are: a year
"2026", a six-month "2026S1" (January–June) or "2026S2", a quarter "2026Q3", a month
"202609". A period's values describe its last day (children counted as they were then) and
the events within it (cases received, births and deaths between its first and last day)."""

import calendar
import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

KINDS = ("year", "half", "quarter", "month")
LABELS = {"year": _("Năm"), "half": _("6 tháng"), "quarter": _("Quý"), "month": _("Tháng")}
# [0-9], not \d: \d (and int()) also take Arabic-Indic, Devanagari, full-width… digits, which
# DHIS2 does not (dhis2-core PeriodTypeEnum.ofIsoPeriod: '0' <= c <= '9'), so "٢٠٢٦S1" would
# pass here and be refused there. \Z, not $: "$" also matches before a final newline.
_PATTERN = re.compile(
    r"^(?P<year>[0-9]{4})(?:(?P<half>S[12])|(?P<quarter>Q[1-4])|(?P<month>[0-9]{2}))?\Z")


class PeriodError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Period:
    start: datetime.date
    end: datetime.date
    kind: str
    code: str

    @property
    def reference_date(self) -> datetime.date:
        """The day the period's stock figures describe: its last day."""
        return self.end

    def __str__(self) -> str:
        return self.code

    @property
    def label(self) -> str:
        """How people name it: "6 tháng đầu năm 2026", "Quý 3 năm 2026", "Tháng 9 năm 2026"."""
        return label(self)

    @property
    def short_label(self) -> str:
        """A chart axis's name of it, short enough for four side by side on a phone."""
        return short_label(self)


def _span(year: int, first_month: int, months: int) -> tuple[datetime.date, datetime.date]:
    last_month = first_month + months - 1
    return (datetime.date(year, first_month, 1),
            datetime.date(year, last_month, calendar.monthrange(year, last_month)[1]))


def parse(code: str) -> Period:
    """The period a code names; PeriodError with a Vietnamese message otherwise."""
    found = _PATTERN.match(code.strip())
    if not found or not 2000 <= int(found["year"]) <= 2100:
        raise PeriodError(_("Kỳ “%(code)s” không hợp lệ: ví dụ 2026, 2026S1, 2026Q2, 202604.")
                          % {"code": code})
    year = int(found["year"])
    if found["half"]:
        start, end = _span(year, 1 if found["half"] == "S1" else 7, 6)
        return Period(start, end, "half", found.group(0))
    if found["quarter"]:
        start, end = _span(year, 3 * int(found["quarter"][1]) - 2, 3)
        return Period(start, end, "quarter", found.group(0))
    if found["month"]:
        month = int(found["month"])
        if not 1 <= month <= 12:
            raise PeriodError(_("Kỳ “%(code)s” không hợp lệ: tháng phải từ 01 đến 12.")
                              % {"code": code})
        start, end = _span(year, month, 1)
        return Period(start, end, "month", found.group(0))
    start, end = _span(year, 1, 12)
    return Period(start, end, "year", found.group(0))


def label(period: Period) -> str:
    year = period.start.year
    if period.kind == "half":
        return str((_("6 tháng đầu năm %(year)s") if period.start.month == 1
                    else _("6 tháng cuối năm %(year)s")) % {"year": year})
    if period.kind == "quarter":
        return str(_("Quý %(n)s năm %(year)s") % {"n": (period.start.month + 2) // 3, "year": year})
    if period.kind == "month":
        return str(_("Tháng %(n)s năm %(year)s") % {"n": period.start.month, "year": year})
    return str(_("Năm %(year)s") % {"year": year})


def short_label(period: Period) -> str:
    year = period.start.year
    if period.kind == "half":
        return str((_("6T đầu %(year)s") if period.start.month == 1 else _("6T cuối %(year)s"))
                   % {"year": year})
    if period.kind == "quarter":
        return str(_("Quý %(n)s/%(year)s") % {"n": (period.start.month + 2) // 3, "year": year})
    if period.kind == "month":
        return f"{period.start.month:02d}/{year}"
    return str(year)


def recent(kind: str, *, today: datetime.date, count: int) -> list[Period]:
    """The `count` periods of `kind` up to the one holding `today`, newest first."""
    found = [of_kind(kind, today)]
    while len(found) < count:
        found.append(previous(found[-1]))
    return found


PICKED = (("half", 6), ("year", 4), ("quarter", 8))  # what a period picker offers, newest first


def picker_groups(*, today: datetime.date, kinds: tuple[tuple[str, int], ...] = PICKED,
                  ended_only: bool = False) -> list[tuple[object, list[tuple[str, str]]]]:
    """(kind's name, [(code, label)…]) for a period picker: the recent periods of each kind,
    newest first (the one running too, unless `ended_only`)."""
    groups: list[tuple[object, list[tuple[str, str]]]] = []
    for kind, count in kinds:
        found = recent(kind, today=today, count=count + 1)
        found = [p for p in found if not ended_only or p.end < today][:count]
        groups.append((LABELS[kind], [(p.code, p.label) for p in found]))
    return groups


def of_kind(kind: str, day: datetime.date) -> Period:
    """The period of `kind` that holds `day`."""
    if kind == "year":
        return parse(f"{day.year}")
    if kind == "half":
        return parse(f"{day.year}S{1 if day.month <= 6 else 2}")
    if kind == "quarter":
        return parse(f"{day.year}Q{(day.month - 1) // 3 + 1}")
    return parse(f"{day.year}{day.month:02d}")


# How a report's data window relates to its period: the calendar period (the statistical
# indicators', TT 13/2021), or the cut-off of administrative reports of Nghị định 09/2019/NĐ-CP
# Điều 12: from the 15th of the month before the period to the 14th of its last month (the
# first half year 15/12–14/6, the second 15/6–14/12, the year 15/12–14/12).
WINDOWS = ("calendar", "nd09")


def window(period: Period, convention: str, *, until: datetime.date | None = None) -> Period:
    """The days a report of `period` counts under `convention`, ending at `until` when that
    comes first (a report sent before its period ends counts its data up to the day it is
    sent). Same code and kind: only the days change."""
    start, end = period.start, period.end
    if convention == "nd09":
        before = start - datetime.timedelta(days=1)
        start = datetime.date(before.year, before.month, 15)
        end = datetime.date(end.year, end.month, 14)
    elif convention != "calendar":
        raise PeriodError(f"unknown data window convention {convention!r}")
    if until is not None and start <= until < end:
        end = until
    return Period(start, end, period.kind, period.code)


def previous(period: Period) -> Period:
    return of_kind(period.kind, period.start - datetime.timedelta(days=1))

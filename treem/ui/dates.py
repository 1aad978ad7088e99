"""Days and moments typed the Vietnamese way: dd/mm/yyyy, and a 24-hour clock.

Why not <input type=date>: Chromium draws it in the order of the phone's locale (mm/dd/yyyy on
a phone set to English, which many are), and a commune officer reading "03/05/2026" cannot
tell which day the browser means. A text input shows and takes the day in the one order every
Vietnamese form uses, the same on every phone, and the server parses it with a message that
says what was wrong (a 31 February is named as such, not "invalid").

Also taken, so that links, older pages and the tests' own inputs keep working: the ISO form
(2026-02-28, 2026-02-28T09:30) and other separators than "/" (a phone's number pad often has
"." or "-" but no "/").
"""

import calendar
import datetime
import re
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from treem.lib.limits import MAX_DAY, MIN_DAY

DAY_FORMAT = "%d/%m/%Y"
MOMENT_FORMAT = "%d/%m/%Y %H:%M"
DAY_PLACEHOLDER = "dd/mm/yyyy"
MOMENT_PLACEHOLDER = "dd/mm/yyyy hh:mm"

# Each message starts as Django's own for a bad date did, which pages and tests already show.
DAY_INVALID = _("Nhập một ngày hợp lệ. Viết theo thứ tự ngày/tháng/năm, ví dụ 25/12/2026.")
MOMENT_INVALID = _("Nhập một thời điểm hợp lệ. Viết ngày/tháng/năm giờ:phút (24 giờ), "
                   "ví dụ 25/12/2026 14:30.")
NO_SUCH_MONTH = _("Nhập một ngày hợp lệ. Không có tháng %(month)s: tháng từ 1 đến 12.")
NO_SUCH_DAY = _("Nhập một ngày hợp lệ. Tháng %(month)s năm %(year)s chỉ có %(days)s ngày, "
                "không có ngày %(day)s.")
NO_SUCH_TIME = _("Nhập một giờ hợp lệ: từ 00:00 đến 23:59.")
DAY_OUT_OF_RANGE = _("Ngày phải từ 01/01/1900 đến 31/12/2199.")

# The bounds of every form (treem.lib.limits), as the API holds its input to them.
DAY_RANGE: list[Callable[[Any], None]] = [MinValueValidator(MIN_DAY, message=DAY_OUT_OF_RANGE),
             MaxValueValidator(MAX_DAY, message=DAY_OUT_OF_RANGE)]
MOMENT_RANGE: list[Callable[[Any], None]] = [
    MinValueValidator(datetime.datetime.combine(MIN_DAY, datetime.time.min, datetime.UTC),
                      message=DAY_OUT_OF_RANGE),
    MaxValueValidator(datetime.datetime.combine(MAX_DAY, datetime.time.max, datetime.UTC),
                      message=DAY_OUT_OF_RANGE)]

_SEP = r"[/.\-]"
# Day, month, year in the Vietnamese order, or the ISO order (year first, with "-").
_VIETNAMESE = re.compile(rf"(\d{{1,2}})\s*{_SEP}\s*(\d{{1,2}})\s*{_SEP}\s*(\d{{4}})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
# A time after the day: "14:30", "14h30", "14.30", "14 giờ 30", with seconds ignored.
_TIME = re.compile(r"(\d{1,2})\s*(?::|h|g|giờ|\.)\s*(\d{2})(?::\d{2}(?:\.\d+)?)?\s*(?:phút)?",
                   re.IGNORECASE)
_BETWEEN = re.compile(r"\s*(?:T|,|lúc|\s)\s*", re.IGNORECASE)


class BadDay(ValueError):
    """A text that is no day, with the message saying why."""

    def __init__(self, message: Any, params: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.params = params or {}


def _day(year: int, month: int, day: int) -> datetime.date:
    if not 1 <= month <= 12:
        raise BadDay(NO_SUCH_MONTH, {"month": month})
    if not MIN_DAY.year <= year <= MAX_DAY.year:
        raise BadDay(DAY_OUT_OF_RANGE)
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise BadDay(NO_SUCH_DAY, {"day": day, "month": month, "year": year, "days": days})
    return datetime.date(year, month, day)


def _split_day(text: str) -> tuple[datetime.date, str] | None:
    """The day at the start of `text` and what follows it, or None when none starts it."""
    if match := _VIETNAMESE.match(text):
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
    else:
        return None
    return _day(year, month, day), text[match.end():]


def parse_day(text: str) -> datetime.date:
    """The day written `text` ("31/01/2026", "31.1.2026", "2026-01-31"); BadDay otherwise."""
    found = _split_day(text.strip())
    if found is None or found[1].strip():
        raise BadDay(DAY_INVALID)
    return found[0]


def parse_moment(text: str) -> datetime.datetime:
    """The naive moment written `text` ("31/01/2026 14:30", "2026-01-31T14:30"); BadDay
    otherwise. A day without a time is refused: a reception's hour starts legal deadlines."""
    found = _split_day(text.strip())
    if found is None:
        raise BadDay(MOMENT_INVALID)
    day, rest = found
    between = _BETWEEN.match(rest)
    rest = rest[between.end():] if between else rest
    time = _TIME.fullmatch(rest.strip())
    if time is None:
        raise BadDay(MOMENT_INVALID)
    hour, minute = int(time.group(1)), int(time.group(2))
    if hour > 23 or minute > 59:
        raise BadDay(NO_SUCH_TIME)
    return datetime.datetime.combine(day, datetime.time(hour, minute))


class DayInput(forms.TextInput):
    """A day typed dd/mm/yyyy on a number pad. No `pattern`: the browser would refuse the form
    with its own message in its own language, before the server's Vietnamese one."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "numeric", "placeholder": DAY_PLACEHOLDER,
                          "autocomplete": "off", "class": "day-input", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, datetime.date):
            return value.strftime(DAY_FORMAT)
        return super().format_value(value)


class MomentInput(forms.TextInput):
    """A moment typed dd/mm/yyyy hh:mm, 24-hour clock, in the local time zone."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"placeholder": MOMENT_PLACEHOLDER, "autocomplete": "off",
                          "class": "moment-input", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, datetime.datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value)
            return value.strftime(MOMENT_FORMAT)
        return super().format_value(value)


class DayField(forms.DateField):
    """A day, dd/mm/yyyy, within the days the software computes with."""

    widget = DayInput
    default_validators = DAY_RANGE

    def __init__(self, **kwargs: Any) -> None:
        kwargs.pop("input_formats", None)  # the formats are this field's own (module doc)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> datetime.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_day(str(value))
        except BadDay as bad:
            raise ValidationError(bad.message, code="invalid", params=bad.params) from None


class MomentField(forms.DateTimeField):
    """A moment, dd/mm/yyyy hh:mm (24 h), read in the local time zone (Asia/Ho_Chi_Minh)."""

    widget = MomentInput
    default_validators = MOMENT_RANGE

    def __init__(self, **kwargs: Any) -> None:
        kwargs.pop("input_formats", None)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> datetime.datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value if timezone.is_aware(value) else timezone.make_aware(value)
        if isinstance(value, datetime.date):
            return timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))
        try:
            moment = parse_moment(str(value))
        except BadDay as bad:
            raise ValidationError(bad.message, code="invalid", params=bad.params) from None
        return timezone.make_aware(moment)

"""Small words of the home page: time left on a clock, a period by its name."""

import datetime

from django import template
from django.apps import apps
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from treem.indicators import periods

register = template.Library()


def _hours_minutes(delta: datetime.timedelta) -> str:
    """Hours and minutes on a clock of hours (the 12 hours of an emergency); days past two."""
    if delta >= datetime.timedelta(days=2):
        return _("%(d)d ngày") % {"d": delta.days}
    minutes = int(delta.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return _("%(h)d giờ %(m)02d phút") % {"h": hours, "m": minutes}
    return _("%(m)d phút") % {"m": minutes}


@register.simple_tag
def time_left(due: datetime.datetime | None, now: datetime.datetime) -> str:
    """"còn 3 giờ 05 phút" before the due moment, "quá hạn 1 giờ 10 phút" after it."""
    if due is None:
        return ""
    if due <= now:
        return _("quá hạn %(t)s") % {"t": _hours_minutes(now - due)}
    return _("còn %(t)s") % {"t": _hours_minutes(due - now)}


@register.filter
def period_label(period: periods.Period | str) -> str:
    """"6 tháng đầu năm 2026", "năm 2026", "quý 2 năm 2026", "tháng 4 năm 2026"."""
    found = periods.parse(period) if isinstance(period, str) else period
    year, code = found.end.year, found.code
    if found.kind == "year":
        return _("năm %(y)d") % {"y": year}
    if found.kind == "half":
        return (_("6 tháng đầu năm %(y)d") if code.endswith("S1")
                else _("6 tháng cuối năm %(y)d")) % {"y": year}
    if found.kind == "quarter":
        return _("quý %(q)s năm %(y)d") % {"q": code[-1], "y": year}
    return _("tháng %(m)d năm %(y)d") % {"m": found.end.month, "y": year}


# The records whose reads are audited (`audit_reads`), as an inspector calls them.
OBJECT_LABELS = {"cases.case": _lazy("hồ sơ trường hợp"), "cases.notification": _lazy("thông báo"),
                 "registry.child": _lazy("hồ sơ trẻ em")}


@register.filter
def object_label(object_type: str) -> str:
    """"registry.child" as an inspector calls it, else as its model names itself; unknown
    labels as they are."""
    if object_type in OBJECT_LABELS:
        return str(OBJECT_LABELS[object_type])
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return str(model._meta.verbose_name)

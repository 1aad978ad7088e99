"""A value as its unit says: a count whole, a rate with one decimal and its sign."""

from django import template
from django.utils.formats import number_format

register = template.Library()

SUFFIX = {"percent": " %", "per_100": "", "per_1000": " ‰", "per_1000_births": " ‰",
          "per_100k_children": ""}


@register.filter
def indicator_value(value: float | None, unit_kind: str) -> str:
    if value is None:
        return "—"
    if unit_kind == "count":
        return number_format(round(value), force_grouping=True)
    return number_format(value, decimal_pos=1, force_grouping=True) + SUFFIX.get(unit_kind, "")


@register.filter
def breakdown_label(breakdown: str) -> str:
    """"sex=f" as "Giới tính: Nữ"; a total as "Tổng"."""
    from treem.indicators.labels import breakdown_label as label

    return label(breakdown)


@register.filter
def period_label(code: str) -> str:
    """A period's code as people name it: "2026S1" as "6 tháng đầu năm 2026"."""
    from treem.indicators import periods

    try:
        return periods.parse(str(code)).label
    except periods.PeriodError:
        return str(code)

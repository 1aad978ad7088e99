"""The indicator pages' filters: a value as its unit says, a breakdown by its name."""

from django import template

from treem.indicators.formatting import indicator_value

register = template.Library()

register.filter(indicator_value)


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

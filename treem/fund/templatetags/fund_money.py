"""The fund pages' money: whole đồng grouped by thousands with dots, "1.500.000 đ", the way
every Vietnamese voucher writes it whatever the page's language (a comma there would read as
decimals)."""

from typing import Any

from django import template

register = template.Library()


def grouped(value: Any) -> str:
    """A whole number with its thousands grouped by dots: 1500000 as "1.500.000"."""
    if value is None or value == "":
        return "—"
    try:
        number = int(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{number:,}".replace(",", ".")


@register.filter
def money(value: Any) -> str:
    """Đồng as "1.500.000 đ" (no-break space: the unit never wraps away from its number)."""
    text = grouped(value)
    return text if text == "—" else f"{text}\u00a0đ"


register.filter("grouped", grouped)


@register.filter
def percent_of(value: Any, whole: Any) -> int:
    """The whole percentage `value` is of `whole` (0 when `whole` is not positive)."""
    try:
        whole_number = int(whole)
        return int(int(value) * 100 // whole_number) if whole_number > 0 else 0
    except (TypeError, ValueError):
        return 0

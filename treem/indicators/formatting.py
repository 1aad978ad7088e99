"""A value as its unit says: a count whole, a rate with one decimal and its sign (the
pages' filter `indicator_value` and the reports' charts and sheets)."""

from django.utils.formats import number_format

SUFFIX = {"percent": " %", "per_100": "", "per_1000": " ‰", "per_1000_births": " ‰",
          "per_100k_children": ""}


def indicator_value(value: float | None, unit_kind: str) -> str:
    if value is None:
        return "—"
    if unit_kind == "count":
        return number_format(round(value), force_grouping=True)
    return number_format(value, decimal_pos=1, force_grouping=True) + SUFFIX.get(unit_kind, "")

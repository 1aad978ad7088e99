"""The breakdowns a sector enters a figure by: "sex=f", "age_group=6-10"… beside the total ("").

A dimension listed here has known values (the entry page shows one input for each); a
dimension of an indicator that is not listed takes any short code over the API.
"""

import re
from typing import Any

from django.utils.translation import gettext_lazy as _

from treem.cases.choices import Place
from treem.indicators.compute import AGE_GROUPS, TOTAL
from treem.registry.choices import Sex
from treem.registry.models import Ethnicity

DIMENSION_LABELS: dict[str, Any] = {"sex": _("giới tính"), "age_group": _("nhóm tuổi"),
                                    "ethnicity": _("dân tộc"), "place": _("nơi xảy ra")}
VALUES: dict[str, list[tuple[str, Any]]] = {
    "sex": list(Sex.choices),
    "age_group": [(label, label) for _first, _last, label in AGE_GROUPS],
}
_KEY = re.compile(r"^(?P<dimension>[a-z_]{1,40})=(?P<value>[A-Za-z0-9_.-]{1,60})$")


def split(breakdown: str) -> tuple[str, str] | None:
    """(dimension, value) of a breakdown key, or None when it is not one."""
    found = _KEY.match(breakdown)
    return (found["dimension"], found["value"]) if found else None


def accepts(disaggregations: list[str], breakdown: str) -> bool:
    if breakdown == TOTAL:
        return True
    parts = split(breakdown)
    if parts is None or parts[0] not in disaggregations:
        return False
    dimension, value = parts
    return dimension not in VALUES or value in {v for v, _label in VALUES[dimension]}


def keys_of(disaggregations: list[str]) -> list[tuple[str, str, Any]]:
    """(key, dimension, label) of every breakdown the entry page offers, in order."""
    return [(f"{dimension}={value}", dimension, label)
            for dimension in disaggregations for value, label in VALUES.get(dimension, [])]


def label_of(breakdown: str) -> Any:
    if breakdown == TOTAL:
        return _("Tổng")
    parts = split(breakdown)
    if parts is None:
        return breakdown
    return value_label(*parts)


def value_label(dimension: str, value: str) -> Any:
    """The words for one value of a dimension: "Nữ", "Tày", "Trường học"; "—" for none."""
    if not value:
        return "—"
    if dimension == "ethnicity":
        return _ethnicities().get(value, value)
    if dimension == "place":
        return dict(Place.choices).get(value, value)
    return dict(VALUES.get(dimension, [])).get(value, value)


_ETHNICITIES: dict[str, str] = {}


def _ethnicities() -> dict[str, str]:
    """The 54 ethnic groups' names by code: a fixed national list, read once a process."""
    if not _ETHNICITIES:
        _ETHNICITIES.update(Ethnicity.objects.values_list("code", "name"))
    return _ETHNICITIES


def known_keys(dimension: str) -> list[tuple[str, Any]]:
    """(key, label) of every value a dimension takes ("sex=f", "Nữ"), the 54 ethnic groups
    and the places of abuse included."""
    if dimension == "ethnicity":
        values: list[tuple[str, Any]] = sorted(_ethnicities().items())
    elif dimension == "place":
        values = list(Place.choices)
    else:
        values = VALUES.get(dimension, [])
    return [(f"{dimension}={value}", label) for value, label in values]


def column_order(breakdown: str) -> tuple[int, str]:
    """Where a breakdown's column goes in a table: by dimension, then by its value's order."""
    parts = split(breakdown)
    if parts is None:
        return (-1, breakdown)
    dimension, value = parts
    dimensions = list(DIMENSION_LABELS)
    known = [v for v, _label in VALUES.get(dimension, [])]
    rank = f"{known.index(value):04d}" if value in known else value
    return (dimensions.index(dimension) if dimension in dimensions else 99, rank)

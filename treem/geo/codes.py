"""One code per unit across the July 2025 reorganisation.

The official codes of the General Statistics Office repeat across the two structures: a
province kept its code ("04" Cao Bằng before and after), and 3,350 commune codes of a
dissolved commune are also the code of a current one. Wherever treem names a unit by code to
another system (the DHIS2 CODE id scheme, where codes are unique per object type) or reads one
back (a target sheet), a current unit is its official code and a dissolved unit its code with
the last day it existed: "01270@2025-06-30". Reading a bare code takes the current unit, or the
only dissolved unit of that code when no current one has it.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from treem.geo.models import Unit

SEPARATOR = "@"


def unit_code(unit: Unit) -> str:
    """The unit's code, unique among units of its level across both structures."""
    if unit.valid_to is None:
        return unit.code
    return f"{unit.code}{SEPARATOR}{unit.valid_to.isoformat()}"


def codes_of(unit_ids: Iterable[int]) -> dict[int, str]:
    """unit id → code, for these units (one query)."""
    return {pk: (code if valid_to is None else f"{code}{SEPARATOR}{valid_to.isoformat()}")
            for pk, code, valid_to in Unit.objects.filter(pk__in=set(unit_ids))
            .values_list("pk", "code", "valid_to")}


def find(units: QuerySet[Unit], key: Any) -> Unit | None:
    """The unit of `units` a code names (see the module docstring); None when none does or
    when a bare code names several dissolved units and no current one."""
    text = str(key or "").strip()
    if not text:
        return None
    code, _sep, day = text.partition(SEPARATOR)
    if day:
        try:
            last = datetime.date.fromisoformat(day)
        except ValueError:
            return None
        return units.filter(code=code, valid_to=last).first()
    current = units.filter(code=code, valid_to__isnull=True).first()
    if current is not None:
        return current
    former = list(units.filter(code=code, valid_to__isnull=False)[:2])
    return former[0] if len(former) == 1 else None

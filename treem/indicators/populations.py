"""Populations counted by the apps above indicators (a plan's activities, its trainings).

The indicators app knows how to count children, births, deaths and cases (`compute`). An app
above it that holds something else worth counting — the children consulted in a commune's
consultations, the commune officers trained on the child database — registers a population
here when it loads (its `AppConfig.ready`), so that a computed indicator can name it in its
spec like any other, without the indicators app importing the app above it.

A population gives its rows for a period within a scope, grouped later by commune and its
breakdowns, and what each row adds: a distinct count of a column, or a sum of one.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from treem.indicators.periods import Period


@dataclass(frozen=True)
class Population:
    name: str
    # filter name → the values it accepts (None: any list of strings, checked by `rows`).
    filters: dict[str, Any]
    dimensions: tuple[str, ...]
    # (period, Q on the rows' unit path for the scope) → rows with `commune_id` and the
    # dimensions as columns.
    rows: Callable[[Period, Q], QuerySet]
    # (filter name, values as a list, period) → Q on the rows.
    where: Callable[[str, list[Any], Period], Q]
    measure: str                 # the column counted (distinct) or summed
    summed: bool = False         # True: SUM(measure); False: COUNT(DISTINCT measure)
    scope_field: str = "unit_path"


_REGISTERED: dict[str, Population] = {}


def register(population: Population) -> None:
    """Add a population (again: the same name replaces it, so a reload is harmless)."""
    _REGISTERED[population.name] = population


def get(name: str) -> Population | None:
    return _REGISTERED.get(name)


def names() -> tuple[str, ...]:
    return tuple(_REGISTERED)

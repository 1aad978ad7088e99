"""The values of a period for a scope: computed indicators from the register and the cases,
entered ones from the sectors' figures, both rolled up the unit tree by sums."""

from collections.abc import Iterable
from typing import Any

from treem.indicators.compute import Cell, Values, compute, roll_up
from treem.indicators.models import IndicatorVersion, SectorFigure, Source
from treem.indicators.periods import Period
from treem.indicators.spec import Spec, parse


def spec_of(version: IndicatorVersion) -> Spec:
    return parse(version.spec, unit_kind=version.unit_kind,
                 breakdowns=list(version.disaggregations))


def indicator_values(versions: Iterable[IndicatorVersion], period: Period,
                     scope: Any) -> Values:
    """(version id, unit id, breakdown) → cell, for every unit from the scope's unit down to
    its communes."""
    versions = list(versions)
    specs = {v.pk: spec_of(v) for v in versions if v.source == Source.COMPUTED}
    values = roll_up(compute(specs, period, scope.path), scope.path) if specs else {}
    entered = [v.pk for v in versions if v.source == Source.ENTERED]
    if entered:
        values.update(roll_up(_figures(entered, period, scope.path), scope.path))
    return values


def _figures(version_ids: list[int], period: Period, scope_path: str) -> Values:
    """The sectors' current figures, as cells of the unit they were entered for."""
    found: Values = {}
    rows = (SectorFigure.objects.current().within_paths([scope_path])
            .filter(version_id__in=version_ids, period=period.code)
            .values_list("version_id", "unit_id", "breakdown", "numerator", "denominator"))
    for version_id, unit_id, breakdown, numerator, denominator in rows:
        found[(version_id, unit_id, breakdown)] = Cell(
            int(numerator), None if denominator is None else int(denominator))
    return found

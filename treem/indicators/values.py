"""The values of a period for a scope: computed indicators from the register and the cases,
entered ones from the sectors' figures, both rolled up the unit tree by sums.

A unit of today asked for a period before July 2025 also gathers what was recorded on the
units it took over (`treem.geo.lineage.history_roots`): their children, events, cases and
figures, each moved to the unit of today it maps to (an old commune's to its default new
commune, an old district's or province's own figures to the province) before the roll-up, so
that a trend runs across the reorganisation on today's map. A dissolved unit's own page keeps
its own structure."""

from collections.abc import Iterable
from typing import Any

from treem.geo.lineage import current_of, history_roots
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
    entered = [v.pk for v in versions if v.source == Source.ENTERED]
    roots = [root for root in history_roots(scope)
             if root.valid_to is not None and root.valid_to >= period.start]
    values: Values = {}
    # Today's unit, then the units it took over all at once (one query per population).
    for paths in ([scope.path], [root.path for root in roots]):
        if not paths:
            continue
        found: Values = {}
        if specs:
            found.update(compute(specs, period, paths))
        if entered:
            found.update(_figures(entered, period, paths))
        if paths != [scope.path]:
            found = _moved(found, scope)
        _add(values, found)
    return roll_up(values, scope.path) if values else {}


def _moved(values: Values, scope: Any) -> Values:
    """Cells of dissolved units, keyed by the unit of today under `scope` each maps to."""
    to = current_of({unit for _key, unit, _breakdown in values}, scope)
    moved: Values = {}
    for (key, unit, breakdown), cell in values.items():
        _add(moved, {(key, to[unit], breakdown): cell})
    return moved


def _add(into: Values, cells: Values) -> None:
    for slot, cell in cells.items():
        had = into.get(slot)
        if had is None:
            into[slot] = cell
            continue
        denominator = (None if had.denominator is None and cell.denominator is None
                       else (had.denominator or 0) + (cell.denominator or 0))
        into[slot] = Cell(had.numerator + cell.numerator, denominator)


def _figures(version_ids: list[int], period: Period, paths: list[str]) -> Values:
    """The sectors' current figures, as cells of the unit they were entered for."""
    found: Values = {}
    rows = (SectorFigure.objects.current().within_paths(paths)
            .filter(version_id__in=version_ids, period=period.code)
            .values_list("version_id", "unit_id", "breakdown", "numerator", "denominator"))
    for version_id, unit_id, breakdown, numerator, denominator in rows:
        found[(version_id, unit_id, breakdown)] = Cell(
            int(numerator), None if denominator is None else int(denominator))
    return found


def own_figures(versions: Iterable[IndicatorVersion], period: Period,
                units: Iterable[Any]) -> Values:
    """The figures entered for these units themselves (a dissolved district's own staff
    trained), none of the units under them: what an area's communes do not hold."""
    entered = [v.pk for v in versions if v.source == Source.ENTERED]
    ids = [unit.pk for unit in units]
    if not entered or not ids:
        return {}
    found: Values = {}
    rows = (SectorFigure.objects.current()
            .filter(version_id__in=entered, period=period.code, unit_id__in=ids)
            .values_list("version_id", "unit_id", "breakdown", "numerator", "denominator"))
    for version_id, unit_id, breakdown, numerator, denominator in rows:
        found[(version_id, unit_id, breakdown)] = Cell(
            int(numerator), None if denominator is None else int(denominator))
    return found

"""What a unit's dashboard shows: each indicator of the sets it works to, its value for the
period against the target, the previous period, and its sub-units ranked."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from treem.geo.models import Unit
from treem.geo.paths import ancestor_paths
from treem.indicators import comparisons, periods
from treem.indicators.caching import cached_values
from treem.indicators.catalogue import current_versions
from treem.indicators.compute import Cell, Values
from treem.indicators.models import IndicatorSet, IndicatorVersion, Target
from treem.indicators.spec import SCALES

STATUS_LABELS = {"on_track": _("Đạt"), "at_risk": _("Có nguy cơ không đạt"),
                 "off_track": _("Không đạt"), "no_target": _("Chưa có mục tiêu"),
                 "no_value": _("Chưa có số liệu")}
AT_RISK_MARGIN = Decimal("0.10")  # within 10 % of the target: at risk, not yet off track


@dataclass(frozen=True)
class Row:
    version: IndicatorVersion
    cell: Cell | None
    value: float | None
    previous: float | None
    target: Target | None
    status: str

    @property
    def status_label(self) -> Any:
        return STATUS_LABELS[self.status]


def sets_for(*, user: Any, capability: str) -> QuerySet[IndicatorSet]:
    return IndicatorSet.objects.visible_to(user, capability=capability)


def value_of(cell: Cell | None, version: IndicatorVersion) -> float | None:
    return None if cell is None else cell.value(SCALES[version.unit_kind])


def status(value: float | None, target: Target | None) -> str:
    if value is None:
        return "no_value"
    if target is None:
        return "no_target"
    goal, found = float(target.value), value
    if comparisons.meets(found, goal, target.direction):
        return "on_track"
    # Within the margin of the figure (the figure itself too, for a strict "dưới"/"trên").
    margin = float(AT_RISK_MARGIN) * abs(goal)
    if comparisons.lower_is_better(target.direction):
        return "at_risk" if found <= goal + margin else "off_track"
    return "at_risk" if found >= goal - margin else "off_track"


def targets_for(unit: Unit, versions: Iterable[IndicatorVersion],
                year: int) -> dict[int, Target]:
    """For each indicator, the target of the unit or, failing that, of the nearest unit above
    it (a commune works to its district's plan); the first milestone from `year` on, or the
    last one before it."""
    paths = ancestor_paths(unit.path)
    depth = {path: n for n, path in enumerate(paths)}
    found: dict[int, Target] = {}
    rows = (Target.objects.filter(indicator__in=[v.indicator_id for v in versions],
                                  unit__path__in=paths, kind=Target.Kind.TARGET)
            .select_related("unit"))
    best: dict[int, tuple[int, int, int]] = {}
    for target in rows:
        # nearer unit first, then the first year from `year` on, then the latest before it
        rank = (-depth[target.unit.path], 0 if target.year >= year else 1,
                target.year if target.year >= year else -target.year)
        if target.indicator_id not in best or rank < best[target.indicator_id]:
            best[target.indicator_id], found[target.indicator_id] = rank, target
    return found


@dataclass(frozen=True)
class Dashboard:
    groups: list[tuple[IndicatorSet, list[Row]]]
    computed_at: datetime.datetime  # when its values were computed (they are kept a while)


def dashboard(*, sets: QuerySet[IndicatorSet], unit: Unit, period: periods.Period,
              fresh: bool = False) -> Dashboard:
    versions = list(current_versions(sets))
    now = cached_values(versions, period, unit, fresh=fresh)
    before = cached_values(versions, periods.previous(period), unit, fresh=fresh)
    targets = targets_for(unit, versions, period.end.year)
    grouped: dict[int, list[Row]] = {}
    for version in versions:
        cell = now.values.get((version.pk, unit.pk, ""))
        value = value_of(cell, version)
        target = targets.get(version.indicator_id)
        grouped.setdefault(version.indicator.indicator_set_id, []).append(Row(
            version, cell, value,
            value_of(before.values.get((version.pk, unit.pk, "")), version),
            target, status(value, target)))
    return Dashboard([(s, grouped[s.pk]) for s in sets.order_by("owner_path", "code")
                      if s.pk in grouped], min(now.at, before.at))


@dataclass(frozen=True)
class Part:
    unit: Unit
    cell: Cell | None
    value: float | None
    share: float  # of the largest value, for the ranked bars (0–100)


def ranked_parts(*, version: IndicatorVersion, unit: Unit, values: Values) -> list[Part]:
    """The units directly under `unit`, ranked by their value (highest first, none last)."""
    children = list(Unit.objects.filter(parent=unit).filter(
        Q(level__in=["district", "commune"])).order_by("name"))
    parts = [(child, values.get((version.pk, child.pk, ""))) for child in children]
    found = [(child, cell, value_of(cell, version)) for child, cell in parts]
    top = max((v for _c, _cell, v in found if v is not None), default=0) or 1
    ordered = sorted(found, key=lambda row: (row[2] is None, -(row[2] or 0), row[0].name))
    return [Part(child, cell, value, 100 * (value or 0) / top) for child, cell, value in ordered]


def own_cell(*, version: IndicatorVersion, unit: Unit, values: Values,
             parts: list[Part]) -> Cell | None:
    """What the unit entered for itself (a province's own staff trained): its total less the
    sum of the units under it, which the roll-up added together; None when there is none."""
    total = values.get((version.pk, unit.pk, ""))
    if total is None:
        return None
    numerator = total.numerator - sum(p.cell.numerator for p in parts if p.cell)
    denominator = (None if total.denominator is None else total.denominator - sum(
        p.cell.denominator or 0 for p in parts if p.cell))
    if not numerator and not denominator:
        return None
    return Cell(numerator, denominator)


def breakdown_cells(*, version: IndicatorVersion, unit: Unit,
                    values: Values) -> list[tuple[str, str, Cell, float | None]]:
    """(dimension, group, cell, value) of the unit, in the order of the dimensions."""
    rows = []
    for (key, unit_id, breakdown), cell in values.items():
        if key == version.pk and unit_id == unit.pk and breakdown:
            dimension, group = breakdown.split("=", 1)
            rows.append((dimension, group, cell, value_of(cell, version)))
    order = {name: n for n, name in enumerate(version.disaggregations)}
    return sorted(rows, key=lambda row: (order.get(row[0], 99), row[1]))


def default_period(kind: str = "half", today: datetime.date | None = None) -> periods.Period:
    """The last period that has ended: reports are made on closed periods."""
    current = periods.of_kind(kind, today or timezone.localdate())
    return periods.previous(current)


def trend(*, version: IndicatorVersion, unit: Unit, period: periods.Period,
          count: int = 4, fresh: bool = False) -> list[tuple[periods.Period, float | None]]:
    """The value over the `count` periods ending with `period`, oldest first (one query per
    population and period, for this one indicator, unless kept)."""
    found = []
    current = period
    for _n in range(count):
        values = cached_values([version], current, unit, fresh=fresh).values
        found.append((current, value_of(values.get((version.pk, unit.pk, "")), version)))
        current = periods.previous(current)
    return list(reversed(found))

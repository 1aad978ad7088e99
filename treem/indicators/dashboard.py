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

from treem.accounts.models import User
from treem.geo import lineage
from treem.geo.models import Level, Unit
from treem.geo.paths import ancestor_paths, subtree_q
from treem.indicators import comparisons, periods
from treem.indicators.caching import cached_values
from treem.indicators.catalogue import current_versions
from treem.indicators.compute import Cell, Values
from treem.indicators.models import IndicatorSet, IndicatorVersion, Target
from treem.indicators.spec import SCALES
from treem.indicators.values import own_figures
from treem.lib.routing import replica_reads

STATUS_LABELS = {"on_track": _("Đạt"), "at_risk": _("Có nguy cơ không đạt"),
                 "off_track": _("Không đạt"), "no_target": _("Chưa có mục tiêu"),
                 "no_value": _("Chưa có số liệu"),
                 "area": _("Mục tiêu chung của khu vực: xem ở cấp tỉnh")}
OWN, ABOVE = "own", "above"  # a target of the unit, of a unit of today above it
SHOWN_AREA = 5  # communes named in a former unit's target's note
AT_RISK_MARGIN = Decimal("0.10")  # within 10 % of the target: at risk, not yet off track


@dataclass(frozen=True)
class Goal:
    """A target as it applies to a unit: its own, of a unit of today above it, or of a unit
    dissolved in 2025 whose area the unit is part of (PART) or holds (WITHIN, compared with
    the value of that area: its communes of today added up)."""

    target: Target
    relation: str
    area: frozenset[int] = frozenset()
    area_names: tuple[str, ...] = ()

    @property
    def former(self) -> bool:
        return self.relation in (lineage.PART, lineage.WITHIN)

    @property
    def note(self) -> str:
        if not self.former:
            return ""
        unit = self.target.unit
        names = ", ".join(self.area_names[:SHOWN_AREA]) + (
            "…" if len(self.area_names) > SHOWN_AREA else "")
        if self.relation == lineage.WITHIN:
            return str(_("Mục tiêu của %(unit)s (đến %(day)s), so với số liệu của khu vực đó "
                         "nay là %(n)s xã, phường: %(names)s.")
                       % {"unit": unit.name, "day": f"{unit.valid_to:%d/%m/%Y}",
                          "n": len(self.area), "names": names})
        return str(_("Mục tiêu của %(unit)s (đến %(day)s), nay là %(n)s xã, phường: %(names)s; "
                     "đơn vị là một phần của khu vực đó.")
                   % {"unit": unit.name, "day": f"{unit.valid_to:%d/%m/%Y}",
                      "n": len(self.area), "names": names})


@dataclass(frozen=True)
class Row:
    version: IndicatorVersion
    cell: Cell | None
    value: float | None
    previous: float | None
    target: Target | None
    status: str
    goal: Goal | None = None
    compared: float | None = None  # the value the target is judged on (an area's, maybe)

    @property
    def status_label(self) -> Any:
        return STATUS_LABELS[self.status]


def sets_for(*, user: User, capability: str) -> QuerySet[IndicatorSet]:
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


def goals_for(unit: Unit, versions: Iterable[IndicatorVersion], year: int) -> dict[int, Goal]:
    """For each indicator, the target whose area best matches the unit's territory: the
    unit's own; else that of a unit dissolved in 2025 whose area overlaps it, or of a unit of
    today above it (a commune works to its district's plan, a district's plan goes on with the
    communes it became), the one whose area differs from the unit's by the fewest communes;
    then the first milestone from `year` on, or the last one before it."""
    versions = list(versions)
    paths = ancestor_paths(unit.path)
    former = {f.unit.pk: f for f in lineage.former_units(unit)}
    rows = list(Target.objects.filter(
        Q(unit__path__in=paths) | Q(unit__in=list(former)),
        indicator__in=[v.indicator_id for v in versions], kind=Target.Kind.TARGET)
        .select_related("unit"))
    if not rows:
        return {}
    inside = set(Unit.objects.filter(subtree_q(unit.path), level=Level.COMMUNE,
                                     valid_to__isnull=True).values_list("pk", flat=True))
    sizes = _commune_counts({t.unit for t in rows if t.unit.pk not in former})
    found: dict[int, Goal] = {}
    best: dict[int, tuple[int, int, int, int]] = {}
    for target in rows:
        if target.unit.pk in former:
            link = former[target.unit.pk]
            relation, area = link.relation, link.area
            apart = len(area ^ inside)
        else:
            relation, area = (OWN if target.unit.pk == unit.pk else ABOVE), frozenset()
            apart = 0 if relation == OWN else max(sizes.get(target.unit.pk, 0) - len(inside), 1)
        rank = (apart, -target.unit.depth, 0 if target.year >= year else 1,
                target.year if target.year >= year else -target.year)
        if target.indicator_id not in best or rank < best[target.indicator_id]:
            best[target.indicator_id] = rank
            found[target.indicator_id] = Goal(target, relation, area)
    areas = {pk for goal in found.values() for pk in goal.area}
    names = dict(Unit.objects.filter(pk__in=areas).values_list("pk", "name")) if areas else {}
    return {key: Goal(goal.target, goal.relation, goal.area,
                      tuple(sorted(names[pk] for pk in goal.area if pk in names)))
            for key, goal in found.items()}


def _commune_counts(units: set[Unit]) -> dict[int, int]:
    """Today's communes under each unit of today (a handful of units: one count each)."""
    return {u.pk: Unit.objects.filter(subtree_q(u.path), level=Level.COMMUNE,
                                      valid_to__isnull=True).count() for u in units}


def targets_for(unit: Unit, versions: Iterable[IndicatorVersion],
                year: int) -> dict[int, Target]:
    """The target of each indicator `goals_for` finds."""
    return {key: goal.target for key, goal in goals_for(unit, versions, year).items()}


def judged(goal: Goal | None, version: IndicatorVersion, unit: Unit, values: Values,
           own_figures: Values | None = None) -> tuple[float | None, str | None]:
    """(the value a goal is judged on, a status that needs no value): an area's target on
    the area's value (its communes' cells added up, with what the dissolved unit entered for
    itself: `own_figures`), a count of an area on a unit that is only part of it on none (a
    part's count says nothing of the area's), else the unit's own."""
    own = value_of(values.get((version.pk, unit.pk, "")), version)
    if goal is None or not goal.former:
        return own, None
    if goal.relation == lineage.WITHIN:
        cells = [values[(version.pk, pk, "")] for pk in goal.area
                 if (version.pk, pk, "") in values]
        itself = (own_figures or {}).get((version.pk, goal.target.unit_id, ""))
        if itself is not None:
            cells.append(itself)
        if not cells:
            return None, None
        denominators = [c.denominator for c in cells if c.denominator is not None]
        total = Cell(sum(c.numerator for c in cells),
                     sum(denominators) if denominators else None)
        return value_of(total, version), None
    if version.unit_kind == "count":
        return own, "area"
    return own, None


@dataclass(frozen=True)
class Dashboard:
    groups: list[tuple[IndicatorSet, list[Row]]]
    computed_at: datetime.datetime  # when its values were computed (they are kept a while)


@replica_reads()
def dashboard(*, sets: QuerySet[IndicatorSet], unit: Unit, period: periods.Period,
              fresh: bool = False) -> Dashboard:
    versions = list(current_versions(sets))
    now = cached_values(versions, period, unit, fresh=fresh)
    before = cached_values(versions, periods.previous(period), unit, fresh=fresh)
    goals = goals_for(unit, versions, period.end.year)
    # What the dissolved units whose areas are judged here entered for themselves.
    areas = {g.target.unit for g in goals.values() if g.relation == lineage.WITHIN}
    itself = own_figures(versions, period, areas) if areas else {}
    grouped: dict[int, list[Row]] = {}
    for version in versions:
        cell = now.values.get((version.pk, unit.pk, ""))
        value = value_of(cell, version)
        goal = goals.get(version.indicator_id)
        target = goal.target if goal else None
        compared, fixed = judged(goal, version, unit, now.values, itself)
        grouped.setdefault(version.indicator.indicator_set_id, []).append(Row(
            version, cell, value,
            value_of(before.values.get((version.pk, unit.pk, "")), version),
            target, fixed or status(compared, target), goal, compared))
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

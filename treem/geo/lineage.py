"""What a unit dissolved on 30 June 2025 became, and what a unit of today was before: the one
place where records attached to a unit (a target, a plan's schedule, a sector's figure, a DHIS2
table, a report) are followed across the reorganisation. docs/units-after-merger.md explains
the rules; in short:

- The *area* of a dissolved unit is the set of today's communes its territory went to, in whole
  or in part: for a commune its successors (`UnitSuccession`), for a district (which has no
  successor: the level is gone) the successors of its communes, for a province those of all
  its communes. The provinces of those communes hold the area.
- Looking forward, a record of a dissolved unit X applies to a unit U of today when U is one
  of the area's communes or holds some of them: U is *part* of the area (a commune in it) or
  the area lies *within* U (the province holding it; a commune that took over a whole commune).
- Looking back (history), a unit of today gathers the records of the units whose data now maps
  to it: a commune the communes it is the default successor of (a divided commune's records
  go to its default new commune when nothing finer is known), a province the provinces merged
  into it with everything under them (a dissolved district's own figures go to the province,
  which took over the district level's tasks).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from treem.geo.models import Level, Unit, UnitSuccession
from treem.geo.paths import ancestor_paths, any_subtree_q, collapse, subtree_q

PART = "part"      # the unit of today lies in the dissolved unit's area
WITHIN = "within"  # the dissolved unit's area lies within the unit of today


@dataclass(frozen=True)
class Former:
    """A dissolved unit whose records reach a unit of today, and how."""

    unit: Unit
    relation: str                 # PART or WITHIN
    area: frozenset[int]          # ids of today's communes its territory went to


def area_of(unit: Unit) -> frozenset[int]:
    """Today's communes the territory of a dissolved unit went to (one query); a unit of
    today is its own area."""
    if unit.valid_to is None:
        return frozenset({unit.pk})
    return frozenset(UnitSuccession.objects.filter(
        subtree_q(unit.path, field="predecessor__path"), successor__level=Level.COMMUNE,
        successor__valid_to__isnull=True).values_list("successor_id", flat=True))


def successors_of(unit: Unit) -> list[Unit]:
    """The units of today that took over a unit: itself when current; the successor
    provinces of a province; the communes of its area for a commune or a district, and the
    provinces holding them."""
    if unit.valid_to is None:
        return [unit]
    area = area_of(unit)
    communes = list(Unit.objects.filter(pk__in=area).order_by("path"))
    provinces = {path for commune in communes for path in ancestor_paths(commune.path)[1:2]}
    direct = UnitSuccession.objects.filter(predecessor=unit).values("successor")
    return list(Unit.objects.filter(Q(pk__in=area) | Q(path__in=provinces) | Q(pk__in=direct))
                .filter(valid_to__isnull=True).order_by("path"))


def _linked(unit: Unit) -> list[Unit]:
    """The dissolved units linked to `unit` as its predecessors."""
    return list(Unit.objects.filter(successions__successor=unit).distinct().order_by("path"))


def former_units(unit: Unit) -> list[Former]:
    """The dissolved units whose records reach `unit` (a unit of today), with their relation
    to it; none for a dissolved unit or the nation (whose tree holds both structures). Three
    queries, whatever the number of units."""
    if unit.valid_to is not None or unit.level == Level.NATION:
        return []
    linked = _linked(unit)
    if not linked:
        return []
    holding = {p for old in linked for p in ancestor_paths(old.path)[1:]}  # not the nation
    candidates = list(Unit.objects.filter(valid_to__isnull=False).filter(
        Q(path__in=holding) | any_subtree_q(collapse([old.path for old in linked]),
                                            field="path")
    ).exclude(level=Level.VILLAGE).order_by("path"))
    links = list(UnitSuccession.objects.filter(
        any_subtree_q(collapse([c.path for c in candidates]), field="predecessor__path"),
        successor__level=Level.COMMUNE, successor__valid_to__isnull=True)
        .values_list("predecessor__path", "successor_id"))
    inside = set(Unit.objects.filter(subtree_q(unit.path), level=Level.COMMUNE,
                                     valid_to__isnull=True).values_list("pk", flat=True))
    # Each link counts for the candidates holding its predecessor: a walk up its few
    # ancestors, not a scan of every link for every candidate (655 × 3,000 in a province).
    areas: dict[str, set[int]] = {former.path: set() for former in candidates}
    for path, successor in links:
        for holder in ancestor_paths(path):
            if holder in areas:
                areas[holder].add(successor)
    found = []
    for former in candidates:
        area = frozenset(areas[former.path])
        if area & inside:
            found.append(Former(former, WITHIN if area <= inside else PART, area))
    return found


def former_paths(unit: Unit) -> list[str]:
    """Paths of the dissolved units whose records reach `unit` (see `former_units`)."""
    return [former.unit.path for former in former_units(unit)]


def history_roots(unit: Unit) -> list[Unit]:
    """The dissolved units whose subtrees' data now maps to `unit`: for a province the
    provinces merged into it, for a commune the communes it is the default successor of."""
    if unit.valid_to is not None or unit.level not in (Level.PROVINCE, Level.COMMUNE):
        return []
    links = UnitSuccession.objects.filter(successor=unit)
    if unit.level == Level.COMMUNE:
        links = links.filter(is_default=True)
    return list(Unit.objects.filter(pk__in=links.values("predecessor"),
                                    valid_to__isnull=False).order_by("path"))


def current_of(units: Iterable[int], within: Unit) -> dict[int, int]:
    """For dissolved units of `within`'s history: the unit of today under `within` their
    records map to, a commune its default successor, anything else (a district, a province)
    `within` itself."""
    ids = set(units)
    default = dict(UnitSuccession.objects.filter(
        subtree_q(within.path, field="successor__path"), predecessor_id__in=ids,
        is_default=True, successor__valid_to__isnull=True)
        .values_list("predecessor_id", "successor_id"))
    return {pk: default.get(pk, within.pk) for pk in ids}


def heir_of(unit: Unit) -> Unit | None:
    """The one unit of today that carries on a dissolved unit's work, to open in its place:
    its successor (for a commune divided between several, the default one that its records
    go to), or for a district (whose level is gone, with no successor) the province holding
    most of its area. None for a unit of today or one whose area is not known."""
    if unit.valid_to is None:
        return None
    direct = (UnitSuccession.objects.filter(predecessor=unit, successor__valid_to__isnull=True)
              .select_related("successor").order_by("-is_default", "successor__path").first())
    if direct is not None:
        return direct.successor
    communes = Unit.objects.filter(pk__in=area_of(unit)).values_list("path", flat=True)
    held: dict[str, int] = {}
    for path in communes:
        province = ancestor_paths(path)[1:2]
        for found in province:
            held[found] = held.get(found, 0) + 1
    if not held:
        return None
    best = min(held, key=lambda path: (-held[path], path))
    return Unit.objects.filter(path=best, valid_to__isnull=True).first()

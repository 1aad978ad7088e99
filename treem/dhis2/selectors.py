"""What a province's DHIS2 table covers: its provinces for a user, the indicators, breakdowns
and units it names, and what is still unmapped."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from treem.accounts.models import User
from treem.accounts.permissions import Capability
from treem.dhis2.models import Mapping
from treem.geo.lineage import history_roots
from treem.geo.models import Level, Unit, UnitSuccession
from treem.geo.paths import ancestor_paths, any_subtree_q, subtree_q
from treem.indicators import breakdowns
from treem.indicators.catalogue import current_versions
from treem.indicators.models import IndicatorSet, IndicatorVersion


def provinces_for(*, user: User) -> QuerySet[Unit]:
    """Today's provinces whose DHIS2 table the user keeps (their administrators)."""
    return (Unit.objects.visible_to(user, capability=Capability.MANAGE_CATALOGUE).current()
            .filter(level=Level.PROVINCE).order_by("name"))


def get_province_for_user(*, user: User, province_id: Any = None) -> Unit:
    """The province asked for (404 outside the user's), else the user's first."""
    provinces = provinces_for(user=user)
    found = (provinces.filter(public_id=province_id) if province_id else provinces).first()
    if found is None:
        raise Http404
    return found


def province_of(unit: Unit) -> Unit | None:
    """The province a unit is in (itself for a province)."""
    return Unit.objects.filter(path__in=ancestor_paths(unit.path),
                               level=Level.PROVINCE).first()


def mapping_of(province: Unit) -> Mapping | None:
    """The province's DHIS2 table; for a province of today without one, the table of the
    province it took over, when exactly one of those had one (its data elements and combos
    are the same DHIS2's; its org units are the old ones, and today's units show unmapped)."""
    own = Mapping.objects.filter(province=province).first()
    if own is not None or province.valid_to is not None:
        return own
    before = list(Mapping.objects.filter(province__in=UnitSuccession.objects.filter(
        successor=province).values("predecessor"))[:2])
    return before[0] if len(before) == 1 else None


def versions_of(province: Unit) -> list[IndicatorVersion]:
    """The current definitions of the sets the province works to: the national ones, its
    own plans' and those of the units under it or under the provinces merged into it."""
    # A province of today also works to the plans of the units it took over (Bình Long's,
    # a district of Bình Phước until 30/06/2025: `treem.geo.lineage`).
    taken_over = [root.path for root in history_roots(province)]
    sets = IndicatorSet.objects.filter(Q(owner_path="")
                                       | Q(owner_path__in=ancestor_paths(province.path))
                                       | any_subtree_q([province.path, *taken_over],
                                                       field="owner_path"))
    return list(current_versions(sets))


def breakdown_keys(versions: list[IndicatorVersion]) -> list[tuple[str, Any]]:
    """(key, label) of the total and of every breakdown the indicators are reported by."""
    order = list(breakdowns.DIMENSION_LABELS)
    dimensions = sorted({d for v in versions for d in v.disaggregations},
                        key=lambda d: (order.index(d) if d in order else len(order), d))
    return [("", breakdowns.label_of(""))] + [
        pair for dimension in dimensions for pair in breakdowns.known_keys(dimension)]


def units_of(province: Unit) -> QuerySet[Unit]:
    """The province and today's units under it that report (districts, communes)."""
    return (Unit.objects.current().filter(subtree_q(province.path, field="path"))
            .exclude(level=Level.VILLAGE).order_by("path"))


@dataclass
class Coverage:
    """What the province's table maps, and what it does not yet."""

    mapping: Mapping | None
    indicators: int = 0
    breakdowns: int = 0
    units: int = 0
    unmapped_indicators: list[str] = field(default_factory=list)
    unmapped_breakdowns: list[str] = field(default_factory=list)
    unmapped_units: list[str] = field(default_factory=list)


def coverage(province: Unit) -> Coverage:
    mapping = mapping_of(province)
    versions = versions_of(province)
    keys = breakdown_keys(versions)
    units = list(units_of(province).values_list("pk", "name"))
    if mapping is None:
        return Coverage(None, 0, 0, 0, [v.indicator.code for v in versions],
                        [key or "default" for key, _label in keys], [name for _pk, name in units])
    mapped_indicators = set(mapping.elements.values_list("indicator_id", flat=True))
    mapped_keys = set(mapping.combos.values_list("breakdown", flat=True))
    mapped_units = set(mapping.org_units.values_list("unit_id", flat=True))
    return Coverage(
        mapping, len(mapped_indicators), len(mapped_keys), len(mapped_units),
        [v.indicator.code for v in versions if v.indicator_id not in mapped_indicators],
        [key or "default" for key, _label in keys if key not in mapped_keys],
        [name for pk, name in units if pk not in mapped_units])

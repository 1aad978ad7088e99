"""Reading the sectors' figures and what a user may enter, always within the user's scope."""

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.db.models.functions import Length
from django.http import Http404
from django.utils import timezone

from treem.accounts.models import User
from treem.accounts.permissions import Capability
from treem.accounts.selectors import default_unit_for
from treem.geo.codes import codes_of
from treem.geo.models import Unit
from treem.geo.paths import any_subtree_q
from treem.indicators import dashboard, periods
from treem.indicators.caching import cached_values
from treem.indicators.catalogue import ENTRY_LEVELS, current_versions
from treem.indicators.compute import Values
from treem.indicators.models import (
    IndicatorSet,
    IndicatorVersion,
    SectorFigure,
    Source,
    applies_to_q,
)
from treem.indicators.permissions import entry_agencies, entry_paths
from treem.indicators.services import revisions
from treem.indicators.values import indicator_values
from treem.lib.routing import replica_reads


def entry_units(*, user: User) -> QuerySet[Unit]:
    """The current units the user enters figures for (of any sector): its own units at the
    levels figures are entered for, and the communes under them; the widest first."""
    paths = entry_paths(user)
    if not paths:
        return Unit.objects.none()
    return (Unit.objects.current().filter(level__in=ENTRY_LEVELS)
            .filter(any_subtree_q(paths, field="path"))
            .order_by(Length("path"), "name_folded"))


def get_entry_unit_for_user(*, user: User, unit_id: Any) -> Unit:
    """404 when the unit is missing, not a current commune, or not one the user enters for."""
    unit = entry_units(user=user).filter(public_id=unit_id).first()
    if unit is None:
        raise Http404
    return unit


def get_entry_unit_by_code(*, user: User, code: str) -> Unit:
    unit = entry_units(user=user).filter(code=code).first() if code else None
    if unit is None:
        raise Http404
    return unit


def entry_versions(*, user: User, unit: Unit | None = None,
                   period_kind: str | None = None) -> list[IndicatorVersion]:
    """The current definitions of the entered indicators the user fills: every sector's for a
    commune officer in its commune, its own sector's for a sector's focal point; for a unit,
    those entered at its level. Bounded by the catalogue (a few dozen), so never paginated."""
    versions = current_versions().filter(source=Source.ENTERED)
    if period_kind:
        versions = versions.filter(period_kind=period_kind)
    agencies = entry_agencies(user, unit.path if unit is not None else None)
    if agencies is not None:
        versions = versions.filter(agency__in=agencies)
    if unit is None:
        return list(versions.filter(indicator__indicator_set__in=IndicatorSet.objects.visible_to(
            user, capability=Capability.ENTER_SECTOR_FIGURES)))
    versions = versions.filter(applies_to_q(unit, field="indicator__indicator_set__owner_path"))
    # A JSON list on every database: filtered here, the catalogue being a few dozen rows.
    return [version for version in versions if unit.level in version.entry_levels]


def figures(*, user: User, unit: Unit, period: str,
            versions: Any = None) -> QuerySet[SectorFigure]:
    """The current figures of a unit and period the user may see."""
    found = (SectorFigure.objects.visible_to(user, capability=Capability.VIEW_INDICATORS)
             .current().filter(unit=unit, period=period)
             .select_related("version", "version__indicator",
                             "version__indicator__indicator_set", "entered_by"))
    if versions is not None:
        found = found.filter(version__in=versions)
    return found.order_by("version__indicator__indicator_set__code",
                          "version__indicator__sort_order", "breakdown")


def figure_revisions(*, user: User, unit: Unit, period: str, versions: Any) -> dict[int, int]:
    """The revision of each version's figures of a unit and period (what a save names as
    read, `treem.indicators.services.revisions`), by version id; a unit out of the user's
    scope reads nothing."""
    return revisions(versions, unit=unit, period=period,
                     rows=SectorFigure.objects.visible_to(user,
                                                          capability=Capability.VIEW_INDICATORS))


def get_figure_for_user(*, user: User, figure_id: Any) -> SectorFigure:
    figure = (SectorFigure.objects.visible_to(user, capability=Capability.VIEW_INDICATORS)
              .select_related("version", "version__indicator", "unit")
              .filter(public_id=figure_id).first())
    if figure is None:
        raise Http404
    return figure


def figure_history(*, user: User, figure: SectorFigure) -> QuerySet[SectorFigure]:
    """Every row ever entered for the figure's indicator, unit and period (its breakdowns
    too), the newest first: the current ones and those they superseded."""
    return (SectorFigure.objects.visible_to(user, capability=Capability.VIEW_INDICATORS)
            .filter(version__indicator_id=figure.version.indicator_id, unit_id=figure.unit_id,
                    period=figure.period)
            .select_related("version", "entered_by").order_by("-entered_at", "-pk"))


@dataclass(frozen=True)
class PublishedValues:
    """The values of a period for a unit and every unit below it, as the API hands them on."""

    unit: Unit
    period: periods.Period
    versions: dict[int, IndicatorVersion]
    values: Values
    codes: dict[int, str]  # unit id → code (geo.codes), of the units that have values


@replica_reads()
def published_values(*, user: User, unit_id: uuid.UUID | None,
                     period: periods.Period) -> PublishedValues:
    """The indicators of the sets the user works to, for the unit asked for (404 outside the
    user's scope) or else the user's own unit as it is today."""
    if unit_id is not None:
        unit = (Unit.objects.visible_to(user, capability=Capability.VIEW_INDICATORS)
                .filter(public_id=unit_id).first())
    else:
        unit = default_unit_for(user=user, capability=Capability.VIEW_INDICATORS)
    if unit is None:
        raise Http404
    versions = list(current_versions(dashboard.sets_for(
        user=user, capability=Capability.VIEW_INDICATORS)))
    values = indicator_values(versions, period, unit)
    # The codes of the units that have values (not every village under the scope); a unit
    # dissolved in 2025 is "<code>@<last day>", its bare code being a current unit's too.
    codes = codes_of(key[1] for key in values)
    return PublishedValues(unit, period, {v.pk: v for v in versions}, values, codes)


# --- What waits on the home pages -------------------------------------------------------------


@dataclass(frozen=True)
class FigureDue:
    version: IndicatorVersion
    period: periods.Period
    unit: Unit


@dataclass(frozen=True)
class FiguresDue:
    rows: list[FigureDue]  # the first `limit`
    total: int


# Beyond this many units (a nation-wide focal point), the figures due are not listed unit by
# unit: the home page would read thousands of communes to show ten.
FIGURES_DUE_UNITS = 500


def figures_due(*, user: User, today: datetime.date | None = None,
                limit: int = 10) -> FiguresDue:
    """The figures the user enters that are missing for the last period that has ended (a
    closed period is what reports count), by indicator, period and unit: the indicators of the
    sets its units work to (never another province's plan), on the units of the levels each
    is entered for. Three queries, whatever the number of units (up to FIGURES_DUE_UNITS)."""
    units = list(entry_units(user=user)[:FIGURES_DUE_UNITS + 1])
    if not units or len(units) > FIGURES_DUE_UNITS:
        return FiguresDue([], 0)
    sets = set(IndicatorSet.objects.visible_to(user, capability=Capability.ENTER_SECTOR_FIGURES)
               .values_list("pk", flat=True))
    versions = [v for v in entry_versions(user=user) if v.indicator.indicator_set_id in sets]
    day = today or timezone.localdate()
    wanted: list[FigureDue] = []
    agencies_of = {unit.pk: entry_agencies(user, unit.path) for unit in units}
    for version in versions:
        period = dashboard.default_period(version.period_kind, day)
        for unit in units:
            agencies = agencies_of[unit.pk]
            if unit.level in version.entry_levels and (agencies is None
                                                       or version.agency in agencies):
                wanted.append(FigureDue(version, period, unit))
    if not wanted:
        return FiguresDue([], 0)
    entered = set(SectorFigure.objects.current().filter(
        breakdown="", version__in=[v.pk for v in versions],
        unit__in=[u.pk for u in units], period__in={row.period.code for row in wanted})
        .values_list("version_id", "unit_id", "period"))
    missing = [row for row in wanted
               if (row.version.pk, row.unit.pk, row.period.code) not in entered]
    return FiguresDue(missing[:limit], len(missing))


@dataclass(frozen=True)
class KeyIndicator:
    version: IndicatorVersion
    period: periods.Period
    value: float | None
    target: Any  # Target
    status: str

    @property
    def status_label(self) -> Any:
        return dashboard.STATUS_LABELS[self.status]


@dataclass(frozen=True)
class KeyIndicators:
    unit: Unit
    rows: list[KeyIndicator]


def key_indicators(*, user: User, today: datetime.date | None = None,
                   limit: int = 12) -> KeyIndicators | None:
    """The indicators of the user's own unit of today that have a target (its own, or of a
    unit above it or dissolved into it: `dashboard.goals_for`), each with its value for the
    last period of its kind that has ended; only those indicators are computed (once per kind
    of period, and kept: `cached_values`)."""
    unit = default_unit_for(user=user, capability=Capability.VIEW_INDICATORS)
    if unit is None:
        return None
    day = today or timezone.localdate()
    versions = list(current_versions(dashboard.sets_for(
        user=user, capability=Capability.VIEW_INDICATORS)))
    goals = dashboard.goals_for(unit, versions, day.year)
    kept = [v for v in versions if v.indicator_id in goals][:limit]
    rows = []
    for kind in sorted({v.period_kind for v in kept}):
        period = dashboard.default_period(kind, day)
        of_kind = [v for v in kept if v.period_kind == kind]
        values = cached_values(of_kind, period, unit).values
        for version in of_kind:
            goal = goals[version.indicator_id]
            compared, fixed = dashboard.judged(goal, version, unit, values)
            rows.append(KeyIndicator(version, period, compared, goal.target,
                                     fixed or dashboard.status(compared, goal.target)))
    order = {v.pk: n for n, v in enumerate(kept)}
    return KeyIndicators(unit, sorted(rows, key=lambda row: order[row.version.pk]))

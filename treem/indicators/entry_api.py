"""The sectors' figures over the API: read a commune's figures of a period, and write one
indicator's with the entry page's checks (a sector's own system can post its figures)."""

import datetime
import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from treem.accounts.authentication import API_AUTH
from treem.accounts.permissions import Capability
from treem.api_support import refusal, require
from treem.geo.models import Unit
from treem.indicators import periods, selectors, services
from treem.indicators.catalogue import ENTRY_LEVELS, current_versions
from treem.indicators.models import SectorFigure

router = Router(tags=["indicators"], auth=API_AUTH)


class FigureOut(Schema):
    id: uuid.UUID
    indicator_set: str
    indicator: str
    version: int
    unit: str
    period: str
    breakdown: str
    numerator: int
    denominator: int | None
    comment: str
    entered_by: str
    entered_at: datetime.datetime

    @staticmethod
    def resolve_id(f: SectorFigure) -> uuid.UUID:
        return f.public_id

    @staticmethod
    def resolve_indicator_set(f: SectorFigure) -> str:
        return f.version.indicator.indicator_set.code

    @staticmethod
    def resolve_indicator(f: SectorFigure) -> str:
        return f.version.indicator.code

    @staticmethod
    def resolve_version(f: SectorFigure) -> int:
        return f.version.number

    @staticmethod
    def resolve_unit(f: SectorFigure) -> str:
        return f.unit.code

    @staticmethod
    def resolve_numerator(f: SectorFigure) -> int:
        return int(f.numerator)

    @staticmethod
    def resolve_denominator(f: SectorFigure) -> int | None:
        return None if f.denominator is None else int(f.denominator)

    @staticmethod
    def resolve_entered_by(f: SectorFigure) -> str:
        return f.entered_by.get_username()


class FigureQuery(Schema):
    unit: str  # the commune's 5-digit code
    period: str  # 2026, 2026S1, 2026Q2, 202604


class RowIn(Schema):
    breakdown: str = ""  # "" for the total, "sex=f"…
    numerator: Decimal
    denominator: Decimal | None = None


class FiguresIn(Schema):
    unit: str
    period: str
    indicator_set: str
    indicator: str
    rows: list[RowIn]
    comments: dict[str, str] = {}  # by breakdown; "" for the total


def _visible_unit(request: HttpRequest, code: str) -> Unit:
    unit = (Unit.objects.visible_to(request.user, capability=Capability.VIEW_INDICATORS)
            .current().filter(level__in=ENTRY_LEVELS, code=code).first())
    if unit is None:
        raise Http404
    return unit


@router.get("/sector-figures", response=list[FigureOut])
def figure_list(request: HttpRequest, query: Query[FigureQuery]) -> Any:
    """The current figures the sectors entered for a unit (a commune, or a province's own)
    and period (every indicator, total and breakdowns). Bounded by the catalogue: not paginated."""
    require(request, Capability.VIEW_INDICATORS)
    unit = _visible_unit(request, query.unit)
    try:
        period = periods.parse(query.period)
    except periods.PeriodError as error:
        raise HttpError(422, f"period: {error}") from error
    return selectors.figures(user=request.user, unit=unit, period=period.code).select_related(
        "unit")


@router.put("/sector-figures", response=list[FigureOut])
def figure_save(request: HttpRequest, data: FiguresIn) -> Any:
    """Save one indicator's own figures of a unit and period: the total and any breakdowns,
    which replace the current ones (a breakdown left out is withdrawn; history is kept).
    A change of the total by more than 20% from the previous period needs comments[""]."""
    require(request, Capability.ENTER_SECTOR_FIGURES)
    unit = selectors.get_entry_unit_by_code(user=request.user, code=data.unit)
    version = (current_versions().filter(indicator__indicator_set__code=data.indicator_set,
                                         indicator__code=data.indicator).first())
    if version is None:
        raise HttpError(422, "indicator: no current indicator of this set has this code")
    try:
        saved = services.figures_save(actor=request.user, unit=unit, period=data.period,
                                      version=version, rows=[r.dict() for r in data.rows],
                                      comments=data.comments)
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error
    return (SectorFigure.objects.filter(pk__in=[f.pk for f in saved])
            .select_related("version__indicator__indicator_set", "unit", "entered_by")
            .order_by("breakdown"))

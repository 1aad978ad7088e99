"""The sectors' figures over the API: read a commune's figures of a period, and write one
indicator's with the entry page's checks (a sector's own system can post its figures)."""

import datetime
import uuid
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from treem.accounts.authentication import API_AUTH
from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability
from treem.api_support import (
    VERSIONED_WRITE,
    ConflictOut,
    ErrorOut,
    Input,
    Text,
    Whole,
    etag,
    if_match,
    invalid,
    model_text,
    refusal,
    require,
)
from treem.geo.models import Unit
from treem.indicators import selectors, services
from treem.indicators.catalogue import ENTRY_LEVELS, current_versions
from treem.indicators.models import Indicator, IndicatorSet, SectorFigure
from treem.indicators.schemas import PeriodCode, parse_period
from treem.lib.limits import LIST_MAX

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
    # The revision of the indicator's figures of this unit and period: what a PUT of them
    # names in If-Match ("3"); an indicator without figures is at revision 1.
    revision: int

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

    @staticmethod
    def resolve_revision(f: SectorFigure) -> int:
        return int(getattr(f, "revision", 1))


def _with_revisions(request: AuthedRequest, figures: list[SectorFigure], unit: Unit,
                    period: str) -> list[SectorFigure]:
    """The figures, each with its indicator's revision (one query for them all)."""
    found = selectors.figure_revisions(user=request.user, unit=unit, period=period,
                                       versions={f.version_id for f in figures})
    for figure in figures:
        figure.revision = found[figure.version_id]  # type: ignore[attr-defined]
    return figures


NO_SUCH_INDICATOR = _("Không có chỉ tiêu hiện hành nào của bộ này mang mã này.")

UnitCode = Annotated[str, Text(16)]  # a commune's 5-digit code (or a province's own, 2)
Breakdown = Annotated[str, model_text(SectorFigure, "breakdown")]  # "" the total, "sex=f"…
# A count, whole, as the column holds it (treem.indicators.services.MAX_FIGURE).
Figure = Annotated[int, Whole(0, int(services.MAX_FIGURE))]


class FigureQuery(Input):
    unit: UnitCode
    period: PeriodCode


class RowIn(Input):
    breakdown: Breakdown = ""
    numerator: Figure
    denominator: Figure | None = None


class FiguresIn(Input):
    unit: UnitCode
    period: PeriodCode
    indicator_set: Annotated[str, model_text(IndicatorSet, "code")]
    indicator: Annotated[str, model_text(Indicator, "code")]
    rows: Annotated[list[RowIn], Field(max_length=LIST_MAX)]
    # By breakdown; "" for the total.
    comments: Annotated[dict[Breakdown, Annotated[str, model_text(SectorFigure, "comment")]],
                        Field(max_length=LIST_MAX)] = {}


def _visible_unit(request: AuthedRequest, code: str) -> Unit:
    unit = (Unit.objects.visible_to(request.user, capability=Capability.VIEW_INDICATORS)
            .current().filter(level__in=ENTRY_LEVELS, code=code).first())
    if unit is None:
        raise Http404
    return unit


@router.get("/sector-figures", response=list[FigureOut], summary="Số liệu ngành đã nhập")
def figure_list(request: AuthedRequest, query: Query[FigureQuery]) -> Any:
    """The current figures the sectors entered for a unit (a commune, or a province's own)
    and period (every indicator, total and breakdowns). Bounded by the catalogue: not paginated."""
    require(request, Capability.VIEW_INDICATORS)
    unit = _visible_unit(request, query.unit)
    period = parse_period(query.period)
    figures = list(selectors.figures(user=request.user, unit=unit, period=period.code)
                   .select_related("unit"))
    return _with_revisions(request, figures, unit, period.code)


@router.put("/sector-figures", response={200: list[FigureOut], 412: ConflictOut,
                                         428: ErrorOut},
            summary="Nhập số liệu ngành", openapi_extra=VERSIONED_WRITE)
def figure_save(request: AuthedRequest, data: FiguresIn, response: HttpResponse) -> Any:
    """Save one indicator's own figures of a unit and period: the total and any breakdowns,
    which replace the current ones (a breakdown left out is withdrawn; history is kept).
    A change of the total by more than 20% from the previous period needs comments[""].
    If-Match names the revision of the indicator's figures read (each figure's `revision`
    in GET, "1" before any was entered): 412 with each figure saved since to another value
    and both values, nothing written."""
    require(request, Capability.ENTER_SECTOR_FIGURES)
    unit = selectors.get_entry_unit_by_code(user=request.user, code=data.unit)
    version = (current_versions().filter(indicator__indicator_set__code=data.indicator_set,
                                         indicator__code=data.indicator).first())
    if version is None:
        raise invalid("indicator", NO_SUCH_INDICATOR)
    base_revision = if_match(request)
    try:
        saved = services.figures_save(actor=request.user, unit=unit, period=data.period,
                                      version=version, rows=[r.dict() for r in data.rows],
                                      comments=data.comments, base_revision=base_revision)
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error
    period = saved[0].period if saved else data.period  # as the service read it
    revision = selectors.figure_revisions(user=request.user, unit=unit, period=period,
                                          versions=[version])[version.pk]
    response["ETag"] = etag(revision)
    figures = list(SectorFigure.objects.filter(pk__in=[f.pk for f in saved])
                   .select_related("version__indicator__indicator_set", "unit", "entered_by")
                   .order_by("breakdown"))
    for figure in figures:
        figure.revision = revision  # type: ignore[attr-defined]
    return figures

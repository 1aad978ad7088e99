"""Indicators over the API: the catalogue, and the values of a unit and period (the unit and
every unit below it), also as a DHIS2 dataValueSets document for the provincial statistics
systems. Aggregates only; the same scope as the pages."""

import uuid
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Query, Router, Schema

from treem.accounts.api import API_AUTH
from treem.accounts.permissions import Capability
from treem.accounts.selectors import default_unit_for
from treem.api_support import ApiError, Input, Matching, QueryBool, invalid, require
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.dhis2 import exporting
from treem.geo.models import Unit
from treem.indicators import dashboard, periods
from treem.indicators.catalogue import current_versions
from treem.indicators.compute import Values
from treem.indicators.models import IndicatorVersion
from treem.indicators.spec import SCALES
from treem.indicators.values import indicator_values

router = Router(tags=["indicators"], auth=API_AUTH)

# A period as DHIS2 names it (treem.indicators.periods), of the years 2000–2100.
PERIOD_PATTERN = "^(20[0-9]{2}|2100)(S[12]|Q[1-4]|0[1-9]|1[0-2])?$"
PeriodCode = Annotated[str, Matching(PERIOD_PATTERN, "2026, 2026S1, 2026Q2, 202604",
                                     max_length=8)]


class IndicatorOut(Schema):
    id: uuid.UUID
    set: str
    code: str
    version: int
    name: str
    group: str
    unit_kind: str
    source: str
    agency: str
    period_kind: str
    direction: str
    numerator: str
    denominator: str
    disaggregations: list[str]
    entry_levels: list[str]  # an entered indicator: the levels whose own figures are entered
    spec: dict[str, Any]
    verified: bool

    @staticmethod
    def resolve_id(v: IndicatorVersion) -> uuid.UUID:
        return v.indicator.public_id

    @staticmethod
    def resolve_set(v: IndicatorVersion) -> str:
        return v.indicator.indicator_set.code

    @staticmethod
    def resolve_code(v: IndicatorVersion) -> str:
        return v.indicator.code

    @staticmethod
    def resolve_version(v: IndicatorVersion) -> int:
        return v.number

    @staticmethod
    def resolve_group(v: IndicatorVersion) -> str:
        return v.indicator.group


class ValuesIn(Input):
    unit: uuid.UUID | None = None  # default: the caller's own unit (its role's, as it is today)
    period: PeriodCode


class ValueOut(Schema):
    set: str
    indicator: str
    unit: str
    breakdown: str
    numerator: int
    denominator: int | None
    value: float | None


@router.get("/indicators", response=list[IndicatorOut], summary="Danh mục chỉ tiêu")
def indicator_list(request: HttpRequest) -> Any:
    """The current definition of every indicator of the sets the caller works to."""
    require(request, Capability.VIEW_INDICATORS)
    return current_versions(dashboard.sets_for(user=request.user,
                                               capability=Capability.VIEW_INDICATORS))


@dataclass(frozen=True)
class _Found:
    unit: Unit
    period: periods.Period
    versions: dict[int, IndicatorVersion]
    values: Values
    codes: dict[int, str]  # unit id → code, of the units that have values


def parse_period(code: str) -> periods.Period:
    try:
        return periods.parse(code)
    except periods.PeriodError as error:
        raise invalid("period", error, where="query") from error


def _compute(request: HttpRequest, query: ValuesIn) -> _Found:
    require(request, Capability.VIEW_INDICATORS)
    period = parse_period(query.period)
    if query.unit is not None:
        unit = (Unit.objects.visible_to(request.user, capability=Capability.VIEW_INDICATORS)
                .filter(public_id=query.unit).first())
    else:
        unit = default_unit_for(user=request.user, capability=Capability.VIEW_INDICATORS)
    if unit is None:
        raise Http404
    versions = list(current_versions(dashboard.sets_for(
        user=request.user, capability=Capability.VIEW_INDICATORS)))
    values = indicator_values(versions, period, unit)
    # The codes of the units that have values (not every village under the scope).
    codes = dict(Unit.objects.filter(pk__in={key[1] for key in values})
                 .values_list("pk", "code"))
    return _Found(unit, period, {v.pk: v for v in versions}, values, codes)


@router.get("/indicator-values", response=list[ValueOut], summary="Giá trị chỉ tiêu của một kỳ")
def indicator_values_list(request: HttpRequest, query: Query[ValuesIn]) -> Any:
    """Values of the period for the unit and every unit below it, in total and by breakdown."""
    found = _compute(request, query)
    rows = []
    for (version_pk, unit_pk, breakdown), cell in sorted(
            found.values.items(),
            key=lambda item: (item[0][0], found.codes.get(item[0][1], ""), item[0][2])):
        version = found.versions[version_pk]
        rows.append(ValueOut(
            set=version.indicator.indicator_set.code, indicator=version.indicator.code,
            unit=found.codes.get(unit_pk, ""), breakdown=breakdown, numerator=cell.numerator,
            denominator=cell.denominator, value=cell.value(SCALES[version.unit_kind])))
    return rows


class Dhis2In(ValuesIn):
    scheme: Literal["treem", "mapped"] = "treem"
    partial: QueryBool = False  # with "mapped": leave out what the table does not map


@router.get("/indicator-values/dhis2", response=dict[str, Any],
            summary="Giá trị chỉ tiêu dạng DHIS2 dataValueSets")
def indicator_values_dhis2(request: HttpRequest, response: HttpResponse,
                           query: Query[Dhis2In]) -> dict[str, Any]:
    """The same values as a DHIS2 dataValueSets document. scheme=treem: data element
    "<set>.<code>", org unit the unit's code, category option combo the breakdown ("default"
    for a total). scheme=mapped: the UIDs of the province's DHIS2 table (`/dhis2/`); 422 with
    what is unmapped, unless partial=true (then left out; X-Treem-Unmapped-Count says how
    many)."""
    found = _compute(request, query)
    if query.scheme == "treem":
        document = exporting.treem_document(found.versions, found.values, found.period,
                                            found.unit, found.codes)
    else:
        try:
            document = exporting.mapped_document(found.versions, found.values, found.period,
                                                 found.unit, partial=query.partial)
        except (exporting.NoMapping, exporting.Unmapped) as error:
            raise ApiError(422, str(error)) from error
        response["X-Treem-Unmapped-Count"] = str(len(document.unmapped))
    event_record(actor=request.user, action=Action.EXPORT, unit=found.unit,
                 fields=["indicator_values", "dhis2", query.scheme, found.period.code])
    return document.body

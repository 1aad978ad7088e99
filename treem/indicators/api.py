"""Indicators over the API: the catalogue, and the values of a unit and period (the unit and
every unit below it), also as a DHIS2 dataValueSets document for the provincial statistics
systems. Aggregates only; the same scope as the pages."""

import uuid
from dataclasses import dataclass
from typing import Any, Literal

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from treem.accounts.authentication import API_AUTH
from treem.accounts.permissions import Capability
from treem.api_support import require
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


class ValuesIn(Schema):
    unit: uuid.UUID | None = None  # default: the caller's top unit
    period: str


class ValueOut(Schema):
    set: str
    indicator: str
    unit: str
    breakdown: str
    numerator: int
    denominator: int | None
    value: float | None


@router.get("/indicators", response=list[IndicatorOut])
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


def _compute(request: HttpRequest, query: ValuesIn) -> _Found:
    require(request, Capability.VIEW_INDICATORS)
    try:
        period = periods.parse(query.period)
    except periods.PeriodError as error:
        raise HttpError(422, f"period: {error}") from error
    units = Unit.objects.visible_to(request.user, capability=Capability.VIEW_INDICATORS)
    unit = (units.filter(public_id=query.unit) if query.unit else units.order_by("path")).first()
    if unit is None:
        raise Http404
    versions = list(current_versions(dashboard.sets_for(
        user=request.user, capability=Capability.VIEW_INDICATORS)))
    values = indicator_values(versions, period, unit)
    # The codes of the units that have values (not every village under the scope).
    codes = dict(Unit.objects.filter(pk__in={key[1] for key in values})
                 .values_list("pk", "code"))
    return _Found(unit, period, {v.pk: v for v in versions}, values, codes)


@router.get("/indicator-values", response=list[ValueOut])
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
    partial: bool = False  # with "mapped": leave out what the table does not map


@router.get("/indicator-values/dhis2", response=dict[str, Any])
def indicator_values_dhis2(request: HttpRequest, response: HttpResponse,
                           query: Query[Dhis2In]) -> dict[str, Any]:
    """The same values as a DHIS2 dataValueSets document, each value with its own org unit
    and period (docs/dhis2.md). scheme=treem (CODE id scheme, declared in the document): a
    total to data element "<set>.<code>" on the default category option combo, a breakdown to
    "<set>.<code>.<dimension>" on combo "<dimension>=<group>"; org unit the unit's code
    ("<code>@<last day>" for a unit dissolved in 2025). scheme=mapped: the UIDs of the
    province's DHIS2 table (`/dhis2/`); 422 with what is unmapped, unless partial=true (then
    left out; X-Treem-Unmapped-Count says how many)."""
    found = _compute(request, query)
    if query.scheme == "treem":
        document = exporting.treem_document(found.versions, found.values, found.period)
    else:
        try:
            document = exporting.mapped_document(found.versions, found.values, found.period,
                                                 found.unit, partial=query.partial)
        except (exporting.NoMapping, exporting.Unmapped) as error:
            raise HttpError(422, str(error)) from error
        response["X-Treem-Unmapped-Count"] = str(len(document.unmapped))
    event_record(actor=request.user, action=Action.EXPORT, unit=found.unit,
                 fields=["indicator_values", "dhis2", query.scheme, found.period.code])
    return document.body

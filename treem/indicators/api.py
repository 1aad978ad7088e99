"""Indicators over the API: the catalogue, and the values of a unit and period (the unit and
every unit below it; as a DHIS2 document: treem.dhis2.api). Aggregates only; the same scope
as the pages."""

import uuid
from typing import Any

from ninja import Query, Router, Schema

from treem.accounts.authentication import API_AUTH
from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability
from treem.api_support import require
from treem.indicators import dashboard, selectors
from treem.indicators.catalogue import current_versions
from treem.indicators.models import IndicatorVersion
from treem.indicators.schemas import ValuesIn, parse_period
from treem.indicators.spec import SCALES

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


class ValueOut(Schema):
    set: str
    indicator: str
    unit: str
    breakdown: str
    numerator: int
    denominator: int | None
    value: float | None


@router.get("/indicators", response=list[IndicatorOut], summary="Danh mục chỉ tiêu")
def indicator_list(request: AuthedRequest) -> Any:
    """The current definition of every indicator of the sets the caller works to."""
    require(request, Capability.VIEW_INDICATORS)
    return current_versions(dashboard.sets_for(user=request.user,
                                               capability=Capability.VIEW_INDICATORS))


@router.get("/indicator-values", response=list[ValueOut], summary="Giá trị chỉ tiêu của một kỳ")
def indicator_values_list(request: AuthedRequest, query: Query[ValuesIn]) -> Any:
    """Values of the period for the unit and every unit below it, in total and by breakdown."""
    require(request, Capability.VIEW_INDICATORS)
    found = selectors.published_values(user=request.user, unit_id=query.unit,
                                       period=parse_period(query.period))
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

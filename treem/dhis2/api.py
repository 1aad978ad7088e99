"""DHIS2 over the API: the indicators' values as a dataValueSets document for the provincial
statistics systems, and the province's DHIS2 table (read only; it is changed by importing its
workbook on the page)."""

import uuid
from typing import Any, Literal

from django.http import HttpResponse
from ninja import Query, Router, Schema

from treem.accounts.authentication import API_AUTH
from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability
from treem.api_support import ApiError, QueryBool, require
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.dhis2 import exporting, selectors
from treem.geo.codes import unit_code
from treem.geo.models import Unit
from treem.indicators import selectors as selectors_of_indicators
from treem.indicators.schemas import ValuesIn, parse_period

router = Router(tags=["dhis2"], auth=API_AUTH)


class MappingOut(Schema):
    province: str
    data_set: str
    attribute_option_combo: str
    elements: list[dict[str, str]]     # {set, indicator, role, dimension, uid}; "" the totals
    combos: list[dict[str, str]]       # {breakdown, uid}; "" is the total (default)
    org_units: list[dict[str, str]]    # {unit, uid}: the unit's code (geo.codes)


@router.get("/dhis2/mapping", response=MappingOut, summary="Bảng ánh xạ DHIS2 của tỉnh mình")
def mapping_mine(request: AuthedRequest, province: uuid.UUID | None = None) -> dict[str, Any]:
    """The caller's province's table (a national administrator's first province, or the one
    asked for with ?province=<unit id>; 404 outside the caller's provinces)."""
    require(request, Capability.MANAGE_CATALOGUE)
    return _table(selectors.get_province_for_user(user=request.user, province_id=province))


@router.get("/dhis2/mappings/{province_id}", response=MappingOut,
            summary="Bảng ánh xạ DHIS2 của một tỉnh")
def mapping_detail(request: AuthedRequest, province_id: uuid.UUID) -> dict[str, Any]:
    """A province's table (its id is the province's unit id)."""
    require(request, Capability.MANAGE_CATALOGUE)
    return _table(selectors.get_province_for_user(user=request.user, province_id=province_id))


def _table(province: Unit) -> dict[str, Any]:
    mapping = selectors.mapping_of(province)
    if mapping is None:
        return {"province": province.code, "data_set": "", "attribute_option_combo": "",
                "elements": [], "combos": [], "org_units": []}
    return {
        "province": province.code, "data_set": mapping.data_set,
        "attribute_option_combo": mapping.attribute_option_combo,
        "elements": [{"set": e.indicator.indicator_set.code, "indicator": e.indicator.code,
                      "role": e.role, "dimension": e.dimension, "uid": e.uid}
                     for e in mapping.elements.select_related("indicator__indicator_set")
                     .order_by("indicator__indicator_set__code", "indicator__code", "dimension",
                               "role")],
        "combos": [{"breakdown": key, "uid": uid} for key, uid
                   in mapping.combos.order_by("breakdown").values_list("breakdown", "uid")],
        "org_units": [{"unit": unit_code(row.unit), "uid": row.uid} for row
                      in mapping.org_units.select_related("unit").order_by("unit__path")],
    }


class Dhis2In(ValuesIn):
    scheme: Literal["treem", "mapped"] = "treem"
    partial: QueryBool = False  # with "mapped": leave out what the table does not map


@router.get("/indicator-values/dhis2", response=dict[str, Any],
            summary="Giá trị chỉ tiêu dạng DHIS2 dataValueSets")
def indicator_values_dhis2(request: AuthedRequest, response: HttpResponse,
                           query: Query[Dhis2In]) -> dict[str, Any]:
    """The same values as a DHIS2 dataValueSets document, each value with its own org unit
    and period (docs/dhis2.md). scheme=treem (CODE id scheme, declared in the document): a
    total to data element "<set>.<code>" on the default category option combo, a breakdown to
    "<set>.<code>.<dimension>" on combo "<dimension>=<group>"; org unit the unit's code
    ("<code>@<last day>" for a unit dissolved in 2025). scheme=mapped: the UIDs of the
    province's DHIS2 table (`/dhis2/`); 422 with what is unmapped, unless partial=true (then
    left out; X-Treem-Unmapped-Count says how many)."""
    require(request, Capability.VIEW_INDICATORS)
    found = selectors_of_indicators.published_values(user=request.user, unit_id=query.unit,
                                                     period=parse_period(query.period))
    if query.scheme == "treem":
        document = exporting.treem_document(found.versions, found.values, found.period)
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

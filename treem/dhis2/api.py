"""The province's DHIS2 table over the API (for the statistics office's own tools): read only;
it is changed by importing its workbook on the page."""

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from treem.accounts.api import API_AUTH
from treem.accounts.permissions import Capability
from treem.api_support import require
from treem.dhis2 import selectors
from treem.dhis2.models import Mapping
from treem.geo.models import Unit

router = Router(tags=["dhis2"], auth=API_AUTH)


class MappingOut(Schema):
    province: str
    data_set: str
    attribute_option_combo: str
    elements: list[dict[str, str]]     # {set, indicator, role, uid}
    combos: list[dict[str, str]]       # {breakdown, uid}; "" is the total (default)
    org_units: list[dict[str, str]]    # {unit, uid}: the unit's national code


@router.get("/dhis2/mapping", response=MappingOut, summary="Bảng ánh xạ DHIS2 của tỉnh mình")
def mapping_mine(request: HttpRequest, province: uuid.UUID | None = None) -> dict[str, Any]:
    """The caller's province's table (a national administrator's first province, or the one
    asked for with ?province=<unit id>; 404 outside the caller's provinces)."""
    require(request, Capability.MANAGE_CATALOGUE)
    return _table(selectors.get_province_for_user(user=request.user, province_id=province))


@router.get("/dhis2/mappings/{province_id}", response=MappingOut,
            summary="Bảng ánh xạ DHIS2 của một tỉnh")
def mapping_detail(request: HttpRequest, province_id: uuid.UUID) -> dict[str, Any]:
    """A province's table (its id is the province's unit id)."""
    require(request, Capability.MANAGE_CATALOGUE)
    return _table(selectors.get_province_for_user(user=request.user, province_id=province_id))


def _table(province: Unit) -> dict[str, Any]:
    mapping = Mapping.objects.filter(province=province).first()
    if mapping is None:
        return {"province": province.code, "data_set": "", "attribute_option_combo": "",
                "elements": [], "combos": [], "org_units": []}
    return {
        "province": province.code, "data_set": mapping.data_set,
        "attribute_option_combo": mapping.attribute_option_combo,
        "elements": [{"set": e.indicator.indicator_set.code, "indicator": e.indicator.code,
                      "role": e.role, "uid": e.uid}
                     for e in mapping.elements.select_related("indicator__indicator_set")
                     .order_by("indicator__indicator_set__code", "indicator__code", "role")],
        "combos": [{"breakdown": key, "uid": uid} for key, uid
                   in mapping.combos.order_by("breakdown").values_list("breakdown", "uid")],
        "org_units": [{"unit": code, "uid": uid} for code, uid
                      in mapping.org_units.order_by("unit__path")
                      .values_list("unit__code", "uid")],
    }

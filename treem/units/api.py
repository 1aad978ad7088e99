import datetime
import uuid
from typing import Annotated, Literal

from ninja import Query, Router, Schema
from ninja.pagination import paginate

from treem.accounts.authentication import API_AUTH
from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability
from treem.api_support import Input, Page, QueryBool, Text, require
from treem.geo import selectors
from treem.geo.models import Level, Unit
from treem.lib.limits import SEARCH_MAX

router = Router(tags=["units"], auth=API_AUTH)


class UnitOut(Schema):
    id: uuid.UUID
    code: str
    name: str
    kind: str
    level: str
    province_code: str
    parent_id: uuid.UUID | None
    valid_from: datetime.date | None
    valid_to: datetime.date | None

    @staticmethod
    def resolve_id(unit: Unit) -> uuid.UUID:
        return unit.public_id

    @staticmethod
    def resolve_parent_id(unit: Unit) -> uuid.UUID | None:
        return unit.parent.public_id if unit.parent_id else None  # type: ignore[union-attr]


class SuccessionOut(Schema):
    unit: UnitOut
    kind: str
    is_default: bool
    effective_on: datetime.date


class UnitDetailOut(UnitOut):
    predecessors: list[SuccessionOut]
    successors: list[SuccessionOut]


class UnitFilter(Input):
    q: Annotated[str, Text(SEARCH_MAX)] = ""
    level: Level | Literal[""] = ""
    former: QueryBool = False  # include the units dissolved on 1 July 2025


@router.get("/units", response=list[UnitOut], summary="Tìm đơn vị hành chính")
@paginate(Page, page_size=50)
def unit_list(request: AuthedRequest, filters: Query[UnitFilter]) -> object:
    """Search units in your scope, accent-insensitively ("ha noi" finds "Hà Nội")."""
    require(request, Capability.VIEW_UNITS)
    return selectors.unit_search(user=request.user, q=filters.q, level=filters.level,
                                 include_former=filters.former)


@router.get("/units/roots", response=list[UnitOut], summary="Đơn vị gốc của người gọi")
def unit_roots(request: AuthedRequest) -> object:
    """The units of your role assignments: the tops of your part of the tree."""
    require(request, Capability.VIEW_UNITS)
    return selectors.unit_roots(user=request.user).select_related("parent")


@router.get("/units/{unit_id}", response=UnitDetailOut, summary="Một đơn vị hành chính")
def unit_detail(request: AuthedRequest, unit_id: uuid.UUID) -> Unit:
    """One unit, with the units it was formed from or became in the July 2025 reorganisation."""
    require(request, Capability.VIEW_UNITS)
    unit = selectors.get_unit_for_user(user=request.user, unit_id=unit_id)
    unit.predecessors = [  # type: ignore[attr-defined]
        {"unit": s.predecessor, "kind": s.kind, "is_default": s.is_default,
         "effective_on": s.effective_on}
        for s in selectors.unit_predecessors(user=request.user, unit=unit)
    ]
    unit.successors = [  # type: ignore[attr-defined]
        {"unit": s.successor, "kind": s.kind, "is_default": s.is_default,
         "effective_on": s.effective_on}
        for s in selectors.unit_successors(user=request.user, unit=unit)
    ]
    return unit


@router.get("/units/{unit_id}/children", response=list[UnitOut],
            summary="Các đơn vị trực thuộc")
@paginate(Page, page_size=100)
def unit_children(request: AuthedRequest, unit_id: uuid.UUID) -> object:
    require(request, Capability.VIEW_UNITS)
    unit = selectors.get_unit_for_user(user=request.user, unit_id=unit_id)
    return selectors.unit_children(user=request.user, unit=unit).select_related("parent")

"""The register over the API: the same services and scope as the web pages.

Names are personal data and never travel in a URL, so the name search is a POST."""

import datetime
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from treem.accounts.authentication import API_AUTH
from treem.accounts.permissions import Capability
from treem.api_support import (
    VERSIONED_READ,
    VERSIONED_WRITE,
    ConflictOut,
    Detail,
    etag,
    if_match,
    refusal,
    require,
)
from treem.audit.services import read_record
from treem.geo.models import Level, Unit
from treem.geo.selectors import current_unit_by_code
from treem.registry import exceptions as exc
from treem.registry import selectors, services
from treem.registry.models import Child, Ethnicity

router = Router(tags=["children"], auth=API_AUTH)


class ChildOut(Schema):
    id: uuid.UUID
    full_name: str
    sex: str
    birth_date: datetime.date
    birth_date_precision: str
    ethnicity: str
    personal_id: str | None
    birth_registered: bool
    commune: str
    village: str | None
    residence_type: str
    living_arrangement: str
    school_level: str
    school_status: str
    disability_type: str
    disability_degree: str
    health_insurance: bool
    vaccination_status: str
    nutrition_status: str
    death_date: datetime.date | None
    death_cause: str
    version: int  # the ETag of GET /children/{id}, to send back in If-Match when writing

    @staticmethod
    def resolve_id(child: Child) -> uuid.UUID:
        return child.public_id

    @staticmethod
    def resolve_ethnicity(child: Child) -> str:
        return child.ethnicity.code

    @staticmethod
    def resolve_commune(child: Child) -> str:
        return child.commune.code

    @staticmethod
    def resolve_village(child: Child) -> str | None:
        return child.village.code if child.village_id else None  # type: ignore[union-attr]


class ChildFilterIn(Schema):
    village: uuid.UUID | None = None
    age_group: str = ""
    sex: str = ""
    circumstance: str = ""
    support: str = ""
    school_status: str = ""
    sort: str = "name"


class SearchIn(ChildFilterIn):
    q: str = ""


class ChildIn(Schema):
    full_name: str
    sex: str
    birth_date: datetime.date
    birth_date_precision: str = "day"
    ethnicity: str
    commune: str
    village: str | None = None
    personal_id: str | None = None
    birth_registered: bool = False
    residence_type: str = "permanent"
    living_arrangement: str = "both_parents"
    school_level: str = "none"
    school_status: str = "na"
    disability_type: str = ""
    disability_degree: str = ""
    health_insurance: bool = False
    vaccination_status: str = ""
    nutrition_status: str = ""


class ChildPatch(Schema):
    full_name: str | None = None
    sex: str | None = None
    birth_date: datetime.date | None = None
    birth_date_precision: str | None = None
    ethnicity: str | None = None
    personal_id: str | None = None
    birth_registered: bool | None = None
    living_arrangement: str | None = None
    school_level: str | None = None
    school_status: str | None = None
    disability_type: str | None = None
    disability_degree: str | None = None
    health_insurance: bool | None = None
    vaccination_status: str | None = None
    nutrition_status: str | None = None
    # The day the changed statuses (schooling, nutrition…) took effect; today when not given.
    changed_on: datetime.date | None = None


class HistoryOut(Schema):
    # No day only for kind "restricted": a group revealing abuse the caller may not read.
    day: datetime.date | None
    end: datetime.date | None
    kind: str
    label: str


def _filters(data: ChildFilterIn, q: str = "") -> selectors.ChildFilters:
    return selectors.ChildFilters(q=q, village_id=data.village, age_group=data.age_group,
                                  sex=data.sex, circumstance=data.circumstance,
                                  support=data.support, school_status=data.school_status,
                                  sort=data.sort)


@router.get("/children", response=list[ChildOut])
@paginate(PageNumberPagination, page_size=50)
def child_list(request: HttpRequest, filters: Query[ChildFilterIn]) -> Any:
    """Children living in your scope (filters that name no one travel in the URL)."""
    require(request, Capability.VIEW_CHILDREN)
    return selectors.child_list(user=request.user, filters=_filters(filters))


@router.post("/children/search", response=list[ChildOut])
@paginate(PageNumberPagination, page_size=50)
def child_search(request: HttpRequest, data: SearchIn) -> Any:
    """Search by name, accent-insensitively ("nguyen van an" finds "Nguyễn Văn An")."""
    require(request, Capability.VIEW_CHILDREN)
    return selectors.child_list(user=request.user, filters=_filters(data, q=data.q))


def _as_seen(view: selectors.ChildView) -> Child:
    """The record as the user may see it: a commune the child has left sees where the child
    lived with it, and nothing that happened after (the instance is read, never saved)."""
    child = view.child
    if view.until is None:
        return child
    last = (child.residences.filter(end_date=view.until).select_related("commune", "village")
            .first())
    if last is not None:
        child.commune, child.village = last.commune, last.village
        child.residence_type = last.residence_type
    if child.death_date is not None and child.death_date > view.until:
        child.death_date, child.death_cause = None, ""
    return child


@router.get("/children/{child_id}", response=ChildOut, openapi_extra=VERSIONED_READ)
def child_detail(request: HttpRequest, child_id: uuid.UUID, response: HttpResponse) -> Child:
    """One child; its ETag is the version to name in If-Match when changing it."""
    require(request, Capability.VIEW_CHILDREN)
    view = selectors.get_child_for_user(user=request.user, child_id=child_id)
    read_record(actor=request.user, obj=view.child, unit=view.child.village or view.child.commune)
    response["ETag"] = etag(view.child.version)
    return _as_seen(view)


@router.get("/children/{child_id}/history", response=list[HistoryOut])
def child_history(request: HttpRequest, child_id: uuid.UUID) -> list[dict]:
    require(request, Capability.VIEW_CHILDREN)
    view = selectors.get_child_for_user(user=request.user, child_id=child_id)
    read_record(actor=request.user, obj=view.child, unit=view.child.village or view.child.commune)
    return [{"day": e.day, "end": e.end, "kind": e.kind, "label": e.label}
            for e in selectors.child_timeline(view=view, user=request.user)]


def _unit(level: str, code: str | None, parent: Unit | None = None) -> Unit | None:
    if not code:
        return None
    unit = current_unit_by_code(level, code)
    if unit is None or (parent is not None and unit.parent_id != parent.pk):
        raise HttpError(422, f"unknown {level} code {code}")
    return unit


def _ethnicity(code: str) -> Ethnicity:
    found = Ethnicity.objects.filter(code=code).first()
    if found is None:
        raise HttpError(422, f"unknown ethnicity code {code}")
    return found


@router.post("/children", response={201: ChildOut})
def child_create(request: HttpRequest, data: ChildIn) -> Child:
    require(request, Capability.MANAGE_CHILDREN)
    fields = data.dict()
    commune = _unit(Level.COMMUNE, fields.pop("commune"))
    if commune is None:
        raise HttpError(422, f"commune: {exc.COMMUNE_NOT_CURRENT}")
    village = _unit(Level.VILLAGE, fields.pop("village"), parent=commune)
    fields["ethnicity"] = _ethnicity(fields["ethnicity"])
    try:
        child = services.child_register(actor=request.user, commune=commune, village=village,
                                        **fields)
    except ValidationError as error:
        raise refusal(error) from error
    # The one status of `response` is the status of a bare body: ninja 1.7 deprecates the
    # (status, body) tuple, and its replacement (ninja.Status) is missing from older versions.
    return child


@router.patch("/children/{child_id}", response={200: ChildOut, 412: ConflictOut, 428: Detail},
              openapi_extra=VERSIONED_WRITE)
def child_update(request: HttpRequest, child_id: uuid.UUID, data: ChildPatch,
                 response: HttpResponse) -> Child:
    """Change fields of a child read at the version named in If-Match (its ETag): 412 with
    the fields changed since and both values when the record has moved on, nothing written."""
    require(request, Capability.MANAGE_CHILDREN)
    view = selectors.get_child_for_user(user=request.user, child_id=child_id, for_write=True)
    base_version = if_match(request)
    fields = data.dict(exclude_unset=True)
    if "ethnicity" in fields:
        fields["ethnicity"] = _ethnicity(fields["ethnicity"])
    try:
        child = services.child_update(actor=request.user, child=view.child,
                                      base_version=base_version, **fields)
    except ValidationError as error:
        raise refusal(error) from error
    response["ETag"] = etag(child.version)
    return child

"""The register over the API: the same services and scope as the web pages.

Names are personal data and never travel in a URL, so the name search is a POST."""

import datetime
import uuid
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from treem.accounts.authentication import API_AUTH
from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability
from treem.api_support import (
    VERSIONED_READ,
    VERSIONED_WRITE,
    BodyBool,
    ConflictOut,
    Day,
    ErrorOut,
    Input,
    Text,
    etag,
    if_match,
    invalid,
    refusal,
    require,
)
from treem.api_support import Page as Pagination
from treem.audit.services import read_record
from treem.geo.models import Level, Unit
from treem.lib.limits import SEARCH_MAX
from treem.registry import choices, selectors, services
from treem.registry.models import Child, Ethnicity

UNKNOWN_VILLAGE = _("Xã, phường này không có thôn mang mã đó.")
UNKNOWN_ETHNICITY = _("Không có dân tộc mang mã này.")

Code = Annotated[str, Text(16)]
AgeGroup = Literal["", *selectors.AGE_GROUPS]  # type: ignore[valid-type]
Sort = Literal["name", "-name", "birth", "-birth"]

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


class ChildFilterIn(Input):
    village: uuid.UUID | None = None
    age_group: AgeGroup = ""
    sex: choices.Sex | Literal[""] = ""
    circumstance: Annotated[str, Text(16)] = ""  # a group's code, or "any"
    support: choices.SupportKind | Literal["", "any"] = ""
    school_status: choices.SchoolStatus | Literal[""] = ""
    sort: Sort = "name"


class SearchIn(ChildFilterIn):
    q: Annotated[str, Text(SEARCH_MAX)] = ""


class ChildIn(Input):
    full_name: Annotated[str, Text(Child._meta.get_field("full_name").max_length)]
    sex: choices.Sex
    birth_date: Day
    birth_date_precision: choices.DatePrecision = choices.DatePrecision.DAY
    ethnicity: Annotated[str, Text(2)]
    commune: Code
    village: Code | None = None
    personal_id: Annotated[str, Text(12)] | None = None
    birth_registered: BodyBool = False
    residence_type: choices.ResidenceType = choices.ResidenceType.PERMANENT
    living_arrangement: choices.LivingArrangement = choices.LivingArrangement.BOTH_PARENTS
    school_level: choices.SchoolLevel = choices.SchoolLevel.NONE
    school_status: choices.SchoolStatus = choices.SchoolStatus.NOT_APPLICABLE
    disability_type: choices.DisabilityType | Literal[""] = ""
    disability_degree: choices.DisabilityDegree | Literal[""] = ""
    health_insurance: BodyBool = False
    vaccination_status: choices.VaccinationStatus | Literal[""] = ""
    nutrition_status: choices.NutritionStatus | Literal[""] = ""


class ChildPatch(Input):
    full_name: Annotated[str, Text(Child._meta.get_field("full_name").max_length)] | None = None
    sex: choices.Sex | None = None
    birth_date: Day | None = None
    birth_date_precision: choices.DatePrecision | None = None
    ethnicity: Annotated[str, Text(2)] | None = None
    personal_id: Annotated[str, Text(12)] | None = None
    birth_registered: BodyBool | None = None
    living_arrangement: choices.LivingArrangement | None = None
    school_level: choices.SchoolLevel | None = None
    school_status: choices.SchoolStatus | None = None
    disability_type: choices.DisabilityType | Literal[""] | None = None
    disability_degree: choices.DisabilityDegree | Literal[""] | None = None
    health_insurance: BodyBool | None = None
    vaccination_status: choices.VaccinationStatus | Literal[""] | None = None
    nutrition_status: choices.NutritionStatus | Literal[""] | None = None
    # The day the changed statuses (schooling, nutrition…) took effect; today when not given.
    changed_on: Day | None = None


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


@router.get("/children", response=list[ChildOut], summary="Danh sách trẻ em")
@paginate(Pagination, page_size=50)
def child_list(request: AuthedRequest, filters: Query[ChildFilterIn]) -> Any:
    """Children living in your scope (filters that name no one travel in the URL)."""
    require(request, Capability.VIEW_CHILDREN)
    return selectors.child_list(user=request.user, filters=_filters(filters))


@router.post("/children/search", response=list[ChildOut], summary="Tìm trẻ theo tên")
@paginate(Pagination, page_size=50)
def child_search(request: AuthedRequest, data: SearchIn) -> Any:
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


@router.get("/children/{child_id}", response=ChildOut, summary="Hồ sơ một trẻ",
            openapi_extra=VERSIONED_READ)
def child_detail(request: AuthedRequest, child_id: uuid.UUID, response: HttpResponse) -> Child:
    """One child; its ETag is the version to name in If-Match when changing it."""
    require(request, Capability.VIEW_CHILDREN)
    view = selectors.get_child_for_user(user=request.user, child_id=child_id)
    read_record(actor=request.user, obj=view.child, unit=view.child.village or view.child.commune)
    response["ETag"] = etag(view.child.version)
    return _as_seen(view)


@router.get("/children/{child_id}/history", response=list[HistoryOut],
            summary="Lịch sử tình trạng của trẻ")
def child_history(request: AuthedRequest, child_id: uuid.UUID) -> list[dict]:
    require(request, Capability.VIEW_CHILDREN)
    view = selectors.get_child_for_user(user=request.user, child_id=child_id)
    read_record(actor=request.user, obj=view.child, unit=view.child.village or view.child.commune)
    return [{"day": e.day, "end": e.end, "kind": e.kind, "label": e.label}
            for e in selectors.child_timeline(view=view, user=request.user)]


def _village(commune: Unit, code: str | None) -> Unit | None:
    if not code:
        return None
    village = Unit.objects.current().filter(level=Level.VILLAGE, parent=commune,
                                            code=code).first()
    if village is None:
        raise invalid("village", UNKNOWN_VILLAGE)
    return village


def _ethnicity(code: str) -> Ethnicity:
    found = Ethnicity.objects.filter(code=code).first()
    if found is None:
        raise invalid("ethnicity", UNKNOWN_ETHNICITY)
    return found


@router.post("/children", response={201: ChildOut}, summary="Ghi tên một trẻ vào sổ")
def child_create(request: AuthedRequest, data: ChildIn) -> Child:
    """Register a child in a commune you record in (its 5-digit code; a commune you may not
    record in is not found, like one that does not exist)."""
    require(request, Capability.MANAGE_CHILDREN)
    fields = data.dict()
    commune = selectors.get_register_commune_for_user(user=request.user,
                                                      code=fields.pop("commune"))
    village = _village(commune, fields.pop("village"))
    fields["ethnicity"] = _ethnicity(fields["ethnicity"])
    try:
        child = services.child_register(actor=request.user, commune=commune, village=village,
                                        **fields)
    except ValidationError as error:
        raise refusal(error) from error
    # The one status of `response` is the status of a bare body: ninja 1.7 deprecates the
    # (status, body) tuple, and its replacement (ninja.Status) is missing from older versions.
    return child


@router.patch("/children/{child_id}", response={200: ChildOut, 412: ConflictOut, 428: ErrorOut},
              summary="Sửa hồ sơ một trẻ", openapi_extra=VERSIONED_WRITE)
def child_update(request: AuthedRequest, child_id: uuid.UUID, data: ChildPatch,
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

"""The child-friendly assessment over the API: the assessments a user sees, one with its items,
figures and verdict; begun (prefilled), scored, submitted, decided."""

import datetime
import uuid
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from treem.accounts.authentication import API_AUTH
from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability
from treem.api_support import (
    VERSIONED_READ,
    VERSIONED_WRITE,
    ConflictOut,
    Day,
    ErrorOut,
    Input,
    Page,
    Text,
    Whole,
    etag,
    if_match,
    invalid,
    not_found,
    refusal,
    require,
)
from treem.lib.limits import LIST_MAX
from treem.plans.child_friendly import selectors, services
from treem.plans.child_friendly.models import Assessment, AssessmentStatus, ItemScore


class ChildFriendlyScoreOut(Schema):
    item: str
    criterion: int
    max_points: int | None
    points: int | None
    numerator: int | None
    denominator: int | None
    suggested: int | None
    source: str
    evidence: str
    verified: bool

    @staticmethod
    def resolve_item(s: ItemScore) -> str:
        return s.item.code

    @staticmethod
    def resolve_criterion(s: ItemScore) -> int:
        return s.item.criterion.number

    @staticmethod
    def resolve_max_points(s: ItemScore) -> int | None:
        return s.item.max_points

    @staticmethod
    def resolve_verified(s: ItemScore) -> bool:
        return s.item.verified


class ChildFriendlyOut(Schema):
    id: uuid.UUID
    unit: str
    year: int
    criteria_version: str
    commune_class: str
    status: str
    total: int | None
    decision_number: str
    decision_on: datetime.date | None
    version: int  # of its scores and meeting details, as in the ETag

    @staticmethod
    def resolve_version(a: Assessment) -> int:
        return a.edit_version

    @staticmethod
    def resolve_id(a: Assessment) -> uuid.UUID:
        return a.public_id

    @staticmethod
    def resolve_unit(a: Assessment) -> str:
        return a.unit.code

    @staticmethod
    def resolve_criteria_version(a: Assessment) -> str:
        return a.version.code


class ChildFriendlyVerdictOut(Schema):
    total: int
    threshold: int | None
    recognised: bool | None
    reasons: list[str]


class ChildFriendlyDetailOut(ChildFriendlyOut):
    scores: list[ChildFriendlyScoreOut]
    verdict: ChildFriendlyVerdictOut

    @staticmethod
    def resolve_scores(a: Assessment) -> list[Any]:
        return selectors.scores_of(a)

    @staticmethod
    def resolve_verdict(a: Assessment) -> dict[str, Any]:
        verdict = services.verdict_of(a)
        return {"total": verdict.total, "threshold": verdict.threshold,
                "recognised": verdict.recognised, "reasons": verdict.reasons}


class ChildFriendlyFilter(Schema):
    year: Annotated[int, Whole(2019, 2100, query=True)] | None = None
    status: AssessmentStatus | None = None


class ChildFriendlyStartIn(Input):
    unit: Annotated[str, Text(20)]  # the code of a commune whose plans you keep
    year: Annotated[int, Whole(2019, 2100)]


class ChildFriendlyScoreIn(Input):
    item: Annotated[str, Text(10)]
    points: Annotated[int, Whole(0, 1000)] | None
    evidence: Annotated[str, Text(5_000, multiline=True)] = ""


class ChildFriendlyScoresIn(Input):
    scores: Annotated[list[ChildFriendlyScoreIn], Field(max_length=LIST_MAX)]


class ChildFriendlyDecisionIn(Input):
    status: AssessmentStatus
    reason: Annotated[str, Text(5_000, multiline=True)] = ""
    decision_number: Annotated[str, Text(60)] = ""
    decision_on: Day | None = None


router = Router(tags=["child-friendly"], auth=API_AUTH)
UNKNOWN_ITEM = _("Không có mục này trong bộ tiêu chí của bản đánh giá.")


@router.get("/child-friendly-assessments", response=list[ChildFriendlyOut],
            summary="Các bản tự đánh giá xã, phường phù hợp với trẻ em")
@paginate(Page, page_size=50)
def child_friendly_list(request: AuthedRequest, filters: Query[ChildFriendlyFilter]) -> Any:
    require(request, Capability.VIEW_PLANS)
    return selectors.assessment_list(user=request.user, year=filters.year,
                                     status=filters.status or "")


@router.get("/child-friendly-assessments/{assessment_id}", response=ChildFriendlyDetailOut,
            summary="Một bản tự đánh giá, điểm từng mục và kết luận",
            openapi_extra=VERSIONED_READ)
def child_friendly_detail(request: AuthedRequest, assessment_id: uuid.UUID,
                          response: HttpResponse) -> Assessment:
    require(request, Capability.VIEW_PLANS)
    assessment = selectors.get_assessment_for_user(user=request.user,
                                                   assessment_id=assessment_id)
    response["ETag"] = etag(assessment.edit_version)
    return assessment


@router.post("/child-friendly-assessments", response={201: ChildFriendlyDetailOut},
             summary="Lập bản tự đánh giá của một xã, điền sẵn từ dữ liệu")
def child_friendly_start(request: AuthedRequest, data: ChildFriendlyStartIn) -> Assessment:
    """The commune (by code; one whose plans you do not keep is not found) and the year."""
    require(request, Capability.MANAGE_PLANS)
    unit = next((u for u in selectors.communes_to_assess(user=request.user)
                 if u.code == data.unit), None)
    if unit is None:
        raise not_found()
    try:
        return services.assessment_start(actor=request.user, unit=unit, year=data.year)
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error


@router.patch("/child-friendly-assessments/{assessment_id}/scores",
              response={200: ChildFriendlyDetailOut, 412: ConflictOut, 428: ErrorOut},
              summary="Chấm điểm các mục (tất cả hoặc không)", openapi_extra=VERSIONED_WRITE)
def child_friendly_scores(request: AuthedRequest, assessment_id: uuid.UUID,
                          data: ChildFriendlyScoresIn, response: HttpResponse) -> Assessment:
    """Read at the version named in If-Match (the ETag of the GET): an item someone saved
    since is refused with both values (412), nothing written."""
    require(request, Capability.MANAGE_PLANS)
    assessment = selectors.get_assessment_for_user(user=request.user,
                                                   assessment_id=assessment_id,
                                                   for_write=True)
    base_version = if_match(request)
    by_code = {s.item.code: s for s in selectors.scores_of(assessment)}
    changes: dict[int, tuple[int | None, str]] = {}
    for position, row in enumerate(data.scores):
        score = by_code.get(row.item)
        if score is None:
            raise invalid(f"scores.{position}.item", UNKNOWN_ITEM)
        changes[score.pk] = (row.points, row.evidence)
    try:
        services.scores_save(actor=request.user, assessment=assessment, changes=changes,
                             base_version=base_version)
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error
    assessment.refresh_from_db()
    response["ETag"] = etag(assessment.edit_version)
    return assessment


@router.post("/child-friendly-assessments/{assessment_id}/submit",
             response=ChildFriendlyDetailOut, summary="Gửi bản tự đánh giá để thẩm định")
def child_friendly_submit(request: AuthedRequest, assessment_id: uuid.UUID) -> Assessment:
    require(request, Capability.MANAGE_PLANS)
    assessment = selectors.get_assessment_for_user(user=request.user,
                                                   assessment_id=assessment_id,
                                                   for_write=True)
    try:
        return services.assessment_submit(actor=request.user, assessment=assessment)
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error


@router.post("/child-friendly-assessments/{assessment_id}/decision",
             response=ChildFriendlyDetailOut,
             summary="Kết quả thẩm định: công nhận, trả lại, không công nhận")
def child_friendly_decision(request: AuthedRequest, assessment_id: uuid.UUID,
                        data: ChildFriendlyDecisionIn) -> Assessment:
    require(request, Capability.MANAGE_PLANS)
    assessment = selectors.get_assessment_for_user(user=request.user,
                                                   assessment_id=assessment_id,
                                                   for_write=True)
    try:
        return services.assessment_decide(actor=request.user, assessment=assessment,
                                          **data.dict())
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error

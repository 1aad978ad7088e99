"""Trainees and recommendations of an activity over the API: a trainee added to a training; a
recommendation of a children's forum (or a child's opinion in a consultation) recorded, read,
and answered by the agency it was given to (If-Match). The activity itself is in
`treem.plans.activities.api`, with the output schemas of a trainee and a recommendation: the
activity's detail lists both."""

import uuid
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from ninja import Router

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
    Text,
    etag,
    if_match,
    invalid,
    refusal,
    require,
)
from treem.plans.activities import exceptions as exc
from treem.plans.activities import recommendation_services, selectors, services, trainee_services
from treem.plans.activities.api import NOT_BLANK, UNKNOWN_AGENCY, AttendeeOut, RecommendationOut
from treem.plans.activities.models import Adoption, Recommendation, RecommendationStatus
from treem.plans.models import Agency


class RecommendationIn(Input):
    text: Annotated[str, Text(services.LIMITS["text"], multiline=True)]
    agency: uuid.UUID | None = None
    answer_due_on: Day | None = None


class RecommendationAnswerIn(Input):
    status: RecommendationStatus | None = None
    answer: Annotated[str, Text(services.LIMITS["answer"], multiline=True)] | None = None
    follow_up: Annotated[str, Text(services.LIMITS["follow_up"], multiline=True)] | None = None
    adoption: Adoption | None = None


class AttendeeIn(Input):
    user: Annotated[str, Text(150)] | None = None  # the username of a user of treem
    name: Annotated[str, Text(services.LIMITS["name"])] = ""
    position_text: Annotated[str, Text(services.LIMITS["position_text"])] = ""
    agency: uuid.UUID | None = None


router = Router(tags=["activities"], auth=API_AUTH)


@router.post("/activities/{activity_id}/attendees", response={201: AttendeeOut},
             summary="Thêm học viên của lớp tập huấn")
def attendee_create(request: AuthedRequest, activity_id: uuid.UUID, data: AttendeeIn) -> Any:
    require(request, Capability.MANAGE_PLANS)
    activity = selectors.get_activity_for_user(user=request.user, activity_id=activity_id,
                                               for_write=True)
    fields = data.dict()
    if fields["user"]:
        user = trainee_services.attendee_candidates(activity, request.user).filter(
            username=fields["user"]).first()
        if user is None:
            raise invalid("user", exc.ATTENDEE_NOT_IN_AREA)
        fields["user"] = user
    else:
        fields["user"] = None
    if fields["agency"] is not None:
        agency: Agency | None = selectors.agencies_for(activity.unit).filter(
            public_id=fields["agency"]).first()
        if agency is None:
            raise invalid("agency", UNKNOWN_AGENCY)
        fields["agency"] = agency
    try:
        return trainee_services.attendee_add(actor=request.user, activity=activity, **fields)
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error


@router.post("/activities/{activity_id}/recommendations", response={201: RecommendationOut},
             summary="Ghi một kiến nghị, ý kiến của trẻ em")
def recommendation_create(request: AuthedRequest, activity_id: uuid.UUID,
                          data: RecommendationIn, response: HttpResponse) -> Any:
    require(request, Capability.MANAGE_PLANS)
    activity = selectors.get_activity_for_user(user=request.user, activity_id=activity_id,
                                               for_write=True)
    fields = data.dict()
    if fields["agency"] is not None:
        agency = selectors.agencies_for(activity.unit).filter(
            public_id=fields["agency"]).first()
        if agency is None:
            raise invalid("agency", UNKNOWN_AGENCY)
        fields["agency"] = agency
    try:
        item = recommendation_services.recommendation_add(actor=request.user, activity=activity,
                                                          **fields)
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error
    response["ETag"] = etag(item.version)
    return item


@router.get("/recommendations/{recommendation_id}", response=RecommendationOut,
            summary="Một kiến nghị của trẻ em", openapi_extra=VERSIONED_READ)
def recommendation_detail(request: AuthedRequest, recommendation_id: uuid.UUID,
                          response: HttpResponse) -> Recommendation:
    require(request, Capability.VIEW_PLANS)
    item = selectors.get_recommendation_for_user(user=request.user,
                                                 recommendation_id=recommendation_id)
    response["ETag"] = etag(item.version)
    return item


@router.patch("/recommendations/{recommendation_id}",
              response={200: RecommendationOut, 412: ConflictOut, 428: ErrorOut},
              summary="Trả lời một kiến nghị của trẻ em", openapi_extra=VERSIONED_WRITE)
def recommendation_answer(request: AuthedRequest, recommendation_id: uuid.UUID,
                          data: RecommendationAnswerIn, response: HttpResponse) -> Recommendation:
    """The answer of the agency given the recommendation (its focal point), read at the
    version named in If-Match."""
    require(request, Capability.VIEW_PLANS)
    item = selectors.get_recommendation_for_user(user=request.user,
                                                 recommendation_id=recommendation_id,
                                                 for_write=True)
    base_version = if_match(request)
    fields: dict[str, Any] = {k: ("" if v is None and k != "status" else v)
                              for k, v in data.dict(exclude_unset=True).items()}
    if "status" in fields and fields["status"] is None:
        raise invalid("status", NOT_BLANK)
    try:
        item = recommendation_services.recommendation_answer(
            actor=request.user, item=item, base_version=base_version, **fields)
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error
    response["ETag"] = etag(item.version)
    return item

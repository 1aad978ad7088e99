"""Activities over the API: the activities a user sees, one with its money, trainees, the
children's recommendations and its files; recording and editing them (If-Match). Adding a
trainee and a recommendation, and answering one, are in
`treem.plans.activities.recommendation_api`."""

import datetime
import uuid
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from treem.accounts.authentication import API_AUTH
from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability
from treem.api_support import (
    NOT_FOUND,
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
from treem.plans import selectors as plan_selectors
from treem.plans.activities import selectors, services
from treem.plans.activities.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    Attendee,
    ForumLevel,
    FundingSource,
    Recommendation,
)

UNKNOWN_TYPE = _("Không có loại hoạt động này.")
UNKNOWN_AGENCY = _("Không có cơ quan này ở địa bàn của hoạt động hoặc cấp trên.")
NOT_BLANK = _("Trường này không để trống được.")


class BudgetOut(Schema):
    source: str
    planned: int
    spent: int


class ActivityOut(Schema):
    id: uuid.UUID
    type: str
    kind: str
    title: str
    status: str
    unit: str
    task: uuid.UUID | None
    start_date: datetime.date
    end_date: datetime.date
    adults: int
    adult_women: int
    children: int
    girls: int
    children_0_6: int
    children_7_10: int
    children_11_15: int
    children_minority: int
    children_special: int
    forum_level: str
    report_due_on: datetime.date | None
    reported_on: datetime.date | None
    subject: str
    version: int

    @staticmethod
    def resolve_id(a: Activity) -> uuid.UUID:
        return a.public_id

    @staticmethod
    def resolve_type(a: Activity) -> str:
        return a.type.code

    @staticmethod
    def resolve_kind(a: Activity) -> str:
        return a.type.kind

    @staticmethod
    def resolve_unit(a: Activity) -> str:
        return a.unit.code

    @staticmethod
    def resolve_task(a: Activity) -> uuid.UUID | None:
        return a.task.public_id if a.task else None


class AttendeeOut(Schema):
    id: int
    name: str
    position_text: str
    agency: uuid.UUID | None
    user: str | None

    @staticmethod
    def resolve_id(a: Attendee) -> int:
        return a.pk

    @staticmethod
    def resolve_agency(a: Attendee) -> uuid.UUID | None:
        return a.agency.public_id if a.agency else None

    @staticmethod
    def resolve_user(a: Attendee) -> str | None:
        return a.user.get_username() if a.user else None


class RecommendationOut(Schema):
    id: uuid.UUID
    activity: uuid.UUID
    text: str
    agency: uuid.UUID | None
    answer_due_on: datetime.date | None
    status: str
    answer: str
    follow_up: str
    adoption: str
    version: int

    @staticmethod
    def resolve_id(r: Recommendation) -> uuid.UUID:
        return r.public_id

    @staticmethod
    def resolve_activity(r: Recommendation) -> uuid.UUID:
        return r.activity.public_id

    @staticmethod
    def resolve_agency(r: Recommendation) -> uuid.UUID | None:
        return r.agency.public_id if r.agency else None


class ActivityFileOut(Schema):
    """A file of the activity; read at /activity-files/{id}."""

    id: uuid.UUID
    kind: str
    name: str
    content_type: str
    size: int

    @staticmethod
    def resolve_id(f: Any) -> uuid.UUID:
        return f.public_id


class ActivityDetailOut(ActivityOut):
    place_text: str
    organiser: uuid.UUID | None
    organiser_text: str
    description: str
    topics: list[str]
    budget: list[BudgetOut]
    attendees: list[AttendeeOut]
    recommendations: list[RecommendationOut]
    files: list[ActivityFileOut]
    prepared_on: datetime.date | None
    compiled_on: datetime.date | None
    explanation: str
    feedback_on: datetime.date | None
    feedback: str

    @staticmethod
    def resolve_organiser(a: Activity) -> uuid.UUID | None:
        return a.organiser.public_id if a.organiser else None

    @staticmethod
    def resolve_topics(a: Activity) -> list[str]:
        return [t.code for t in a.topics.all()]

    @staticmethod
    def resolve_budget(a: Activity) -> list[Any]:
        return list(a.budget.all())

    @staticmethod
    def resolve_attendees(a: Activity) -> list[Any]:
        return list(a.attendees.select_related("agency", "user"))

    @staticmethod
    def resolve_files(a: Activity) -> list[Any]:
        return list(a.files.all())

    @staticmethod
    def resolve_recommendations(a: Activity) -> list[Any]:
        return list(a.recommendations.select_related("agency", "activity"))


class ActivityFilter(Schema):
    type: Annotated[str, Text(40)] = ""
    kind: ActivityKind | None = None
    status: ActivityStatus | None = None
    year: Annotated[int, Whole(2000, 2100, query=True)] | None = None
    task: uuid.UUID | None = None


Count = Annotated[int, Whole(0, services.MAX_COUNT)]
Money = Annotated[int, Whole(0, services.MAX_MONEY)]


class BudgetIn(Input):
    source: FundingSource
    planned: Money = 0
    spent: Money = 0


Budget = Annotated[list[BudgetIn], Field(max_length=len(FundingSource.values))]
Codes = Annotated[list[Annotated[str, Text(40)]], Field(max_length=LIST_MAX)]


class ActivityPatch(Input):
    """The fields to change, and only those."""

    title: Annotated[str, Text(services.LIMITS["title"])] | None = None
    status: ActivityStatus | None = None
    task: uuid.UUID | None = None
    start_date: Day | None = None
    end_date: Day | None = None
    place_text: Annotated[str, Text(services.LIMITS["place_text"])] | None = None
    organiser: uuid.UUID | None = None
    organiser_text: Annotated[str, Text(services.LIMITS["organiser_text"])] | None = None
    description: Annotated[str, Text(services.LIMITS["description"], multiline=True)] | None = None
    topics: Codes | None = None
    budget: Budget | None = None
    adults: Count | None = None
    adult_women: Count | None = None
    children: Count | None = None
    girls: Count | None = None
    children_0_6: Count | None = None
    children_7_10: Count | None = None
    children_11_15: Count | None = None
    children_minority: Count | None = None
    children_special: Count | None = None
    forum_level: ForumLevel | None = None
    reported_on: Day | None = None
    subject: Annotated[str, Text(services.LIMITS["subject"])] | None = None
    prepared_on: Day | None = None
    compiled_on: Day | None = None
    explanation: Annotated[str, Text(services.LIMITS["explanation"], multiline=True)] | None = None
    feedback_on: Day | None = None
    feedback: Annotated[str, Text(services.LIMITS["feedback"], multiline=True)] | None = None


class ActivityIn(ActivityPatch):
    type: Annotated[str, Text(40)]
    unit: Annotated[str, Text(20)]  # the code of a unit where you record activities
    title: Annotated[str, Text(services.LIMITS["title"])]
    start_date: Day
    end_date: Day
    status: ActivityStatus = ActivityStatus.HELD


router = Router(tags=["activities"], auth=API_AUTH)


def _resolve(request: AuthedRequest, unit: Any, fields: dict[str, Any]) -> dict[str, Any]:
    """The ids of a body as records: a task you see, an agency of the place or above, the
    budget as the service takes it."""
    if fields.get("task") is not None:
        try:
            fields["task"] = plan_selectors.get_task_for_user(user=request.user,
                                                              task_id=fields["task"])
        except Http404 as error:
            raise invalid("task", NOT_FOUND) from error
    if fields.get("organiser") is not None:
        agency = selectors.agencies_for(unit).filter(public_id=fields["organiser"]).first()
        if agency is None:
            raise invalid("organiser", UNKNOWN_AGENCY)
        fields["organiser"] = agency
    if fields.get("budget") is not None:
        fields["budget"] = {row["source"]: (row["planned"], row["spent"])
                            for row in fields["budget"]}
    for name in ("title", "place_text", "organiser_text", "description", "subject",
                 "explanation", "feedback"):
        if name in fields and fields[name] is None:
            fields[name] = ""
    return fields


@router.get("/activities", response=list[ActivityOut], summary="Các hoạt động")
@paginate(Page, page_size=50)
def activity_list(request: AuthedRequest, filters: Query[ActivityFilter]) -> Any:
    """The activities you see (of your units and those under them), newest first."""
    require(request, Capability.VIEW_PLANS)
    task = None
    if filters.task is not None:
        task = plan_selectors.get_task_for_user(user=request.user, task_id=filters.task)
    return selectors.activity_list(user=request.user, filters=selectors.Filters(
        type=filters.type, kind=filters.kind or "", status=filters.status or "",
        year=filters.year, task=task))


@router.get("/activities/{activity_id}", response=ActivityDetailOut,
            summary="Một hoạt động", openapi_extra=VERSIONED_READ)
def activity_detail(request: AuthedRequest, activity_id: uuid.UUID,
                    response: HttpResponse) -> Activity:
    require(request, Capability.VIEW_PLANS)
    activity = selectors.get_activity_for_user(user=request.user, activity_id=activity_id)
    response["ETag"] = etag(activity.version)
    return activity


@router.post("/activities", response={201: ActivityDetailOut}, summary="Ghi một hoạt động")
def activity_create(request: AuthedRequest, data: ActivityIn,
                    response: HttpResponse) -> Activity:
    """An activity at a unit where you record activities (named by its code; one you do not
    keep is not found). Participants are counts; money whole đồng by source."""
    require(request, Capability.MANAGE_PLANS)
    fields = data.dict()
    code = fields.pop("unit")
    unit = next((u for u in selectors.units_to_record(user=request.user) if u.code == code),
                None)
    if unit is None:
        raise not_found()
    kind_type = selectors.activity_types().filter(code=fields.pop("type")).first()
    if kind_type is None:
        raise invalid("type", UNKNOWN_TYPE)
    fields = _resolve(request, unit, {k: v for k, v in fields.items() if v is not None
                                      or k in ("task", "organiser")})
    fields.setdefault("topics", [])
    try:
        activity = services.activity_create(actor=request.user, unit=unit, type=kind_type,
                                            **fields)
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error
    response["ETag"] = etag(activity.version)
    return activity


@router.patch("/activities/{activity_id}",
              response={200: ActivityDetailOut, 412: ConflictOut, 428: ErrorOut},
              summary="Sửa một hoạt động", openapi_extra=VERSIONED_WRITE)
def activity_update(request: AuthedRequest, activity_id: uuid.UUID, data: ActivityPatch,
                    response: HttpResponse) -> Activity:
    """Change fields of an activity you keep, read at the version named in If-Match: 412
    with the fields changed since and both values, nothing written. `topics` and `budget`,
    when given, replace the activity's."""
    require(request, Capability.MANAGE_PLANS)
    activity = selectors.get_activity_for_user(user=request.user, activity_id=activity_id,
                                               for_write=True)
    base_version = if_match(request)
    fields = _resolve(request, activity.unit, data.dict(exclude_unset=True))
    for name in ("status", "start_date", "end_date", "forum_level"):
        if name in fields and fields[name] is None:
            raise invalid(name, NOT_BLANK)
    try:
        activity = services.activity_update(actor=request.user, activity=activity,
                                            base_version=base_version, **fields)
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error
    response["ETag"] = etag(activity.version)
    return activity

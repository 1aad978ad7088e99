"""Every read of activities, the user's scope applied here: a commune sees the activities held
in it, a province every activity under it (and those of the units dissolved in 2025 that it
took over, through the user's scope)."""

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from treem.accounts.capabilities import Capability, roles_with
from treem.accounts.models import User
from treem.geo.models import Unit
from treem.lib.text import fold
from treem.plans.activities.models import (
    Activity,
    ActivityBudget,
    ActivityFile,
    ActivityKind,
    ActivityQuerySet,
    ActivityStatus,
    ActivityType,
    Attendee,
    ForumLevel,
    NamedChild,
    Recommendation,
    RecommendationStatus,
)
from treem.plans.activities.recommendation_services import may_answer
from treem.plans.activities.services import may_manage
from treem.plans.models import Agency, FocalPoint, Task
from treem.plans.selectors import one_visible


def activities_for(*, user: User) -> ActivityQuerySet:
    return Activity.objects.visible_to(user, capability=Capability.VIEW_PLANS)


@dataclass(frozen=True)
class Filters:
    q: str = ""
    type: str = ""       # an activity type's code
    kind: str = ""       # ActivityKind
    status: str = ""
    year: int | None = None
    task: Task | None = None


def activity_list(*, user: User, filters: Filters) -> QuerySet[Activity]:
    """The activities the user sees, newest first, filtered; the columns of the list only."""
    rows = activities_for(user=user).select_related("type", "unit", "task", "task__plan")
    if filters.type:
        rows = rows.filter(type__code=filters.type)
    if filters.kind:
        rows = rows.filter(type__kind=filters.kind)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.year:
        rows = rows.filter(start_date__year=filters.year)
    if filters.task is not None:
        rows = rows.filter(task=filters.task)
    if filters.q:  # words of the title, accents and case aside
        rows = rows.filter(title_folded__contains=fold(filters.q))
    return rows.order_by("-start_date", "-id")


def get_activity_for_user(*, user: User, activity_id: uuid.UUID | str,
                          for_write: bool = False) -> Activity:
    """404 when missing or out of scope; 403 when `for_write` and the user reads it only."""
    activity = one_visible(activities_for(user=user).select_related(
        "type", "unit", "task", "task__plan", "organiser", "created_by"), activity_id)
    if for_write and not may_manage(user, activity.unit):
        raise PermissionDenied
    return activity


def activity_parts(activity: Activity) -> dict[str, Any]:
    """What an activity's page shows besides its own fields, in a few queries."""
    return {
        "budget": list(ActivityBudget.objects.filter(activity=activity)),
        "topics": list(activity.topics.all()),
        "files": list(ActivityFile.objects.filter(activity=activity)
                      .select_related("uploaded_by")),
        "attendees": list(Attendee.objects.filter(activity=activity)
                          .select_related("agency", "unit", "user")),
        "recommendations": list(Recommendation.objects.filter(activity=activity)
                                .select_related("agency", "answered_by")),
    }


def _recommendations_for(user: User) -> QuerySet[Recommendation]:
    """The recommendations the user sees: those of activities in scope, and those given to an
    agency the user is the focal point of (a province's education office answers a
    commune's forum)."""
    mine = FocalPoint.objects.filter(user=user, revoked_at__isnull=True).values("agency_id")
    in_scope = activities_for(user=user).values("pk")
    return Recommendation.objects.filter(Q(activity__in=in_scope) | Q(agency__in=mine))


def get_recommendation_for_user(*, user: User, recommendation_id: uuid.UUID | str,
                                for_write: bool = False) -> Recommendation:
    item = one_visible(_recommendations_for(user).select_related(
        "activity", "activity__unit", "activity__type", "agency", "answered_by"),
        recommendation_id)
    if for_write and not may_answer(user, item):
        raise PermissionDenied
    return item


def get_file_for_user(*, user: User, file_id: uuid.UUID | str) -> ActivityFile:
    """A file of an activity the user sees; 404 for any other."""
    return one_visible(ActivityFile.objects.filter(activity__in=activities_for(user=user))
                       .select_related("activity", "activity__unit"), file_id)


def recommendations_waiting(*, user: User) -> QuerySet[Recommendation]:
    """The open recommendations given to the agencies the user answers for, oldest first."""
    mine = FocalPoint.objects.filter(user=user, revoked_at__isnull=True).values("agency_id")
    return (Recommendation.objects.filter(agency__in=mine, status=RecommendationStatus.OPEN)
            .select_related("activity", "activity__unit", "agency")
            .order_by("activity__end_date", "position"))


def forums_to_report(*, user: User, today: datetime.date) -> QuerySet[Activity]:
    """The commune forums held whose report to the province is not sent, due first: the
    office keeping the commune's plans sees its own, a province those of its communes."""
    return (activities_for(user=user)
            .filter(type__kind=ActivityKind.FORUM, forum_level=ForumLevel.COMMUNE,
                    status=ActivityStatus.HELD, reported_on__isnull=True,
                    report_due_on__isnull=False)
            .select_related("unit").order_by("report_due_on"))


def units_to_record(*, user: User) -> list[Unit]:
    """The current units where the user may record activities: those of its assignments that
    may manage plans, and the communes under them."""
    from treem.geo.models import Level

    paths = user.role_paths(roles_with(Capability.MANAGE_PLANS))
    if not paths:
        return []
    q = Q()
    for path in paths:
        q |= Q(path__startswith=path)
    return list(Unit.objects.filter(q, valid_to__isnull=True,
                                    level__in=[Level.PROVINCE, Level.COMMUNE])
                .order_by("path"))


def activity_types() -> QuerySet[ActivityType]:
    return ActivityType.objects.filter(active=True)


def agencies_for(unit: Unit) -> QuerySet[Agency]:
    """The agencies that may organise an activity at `unit` or answer its recommendations:
    those of the unit and the units above it."""
    from treem.geo.paths import ancestor_paths

    return Agency.objects.filter(unit_path__in=list(ancestor_paths(unit.path))).order_by(
        "unit_path", "name")


def held_counts(*, tasks: list[Task], user: User) -> dict[int, int]:
    """The activities held under each task that the user sees, in one grouped query."""
    rows = (activities_for(user=user).filter(task__in=[t.pk for t in tasks],
                                             status=ActivityStatus.HELD)
            .order_by().values("task_id").annotate(n=Count("id")))
    return {row["task_id"]: row["n"] for row in rows}


def task_activities(*, task: Task, user: User) -> QuerySet[Activity]:
    return activities_for(user=user).filter(task=task).select_related("type", "unit")


@dataclass(frozen=True)
class Totals:
    activities: int
    participants: int
    children: int
    girls: int
    spent: int


def totals(rows: QuerySet[Activity]) -> Totals:
    """The activities held among `rows`, their participants and what they spent: one query
    for the counts, one for the money."""
    held = rows.filter(status=ActivityStatus.HELD).order_by()
    counts = held.aggregate(n=Count("id"), adults=Sum("adults"), children=Sum("children"),
                            girls=Sum("girls"))
    spent = ActivityBudget.objects.filter(activity__in=held.values("pk")).aggregate(
        s=Sum("spent"))["s"]
    return Totals(activities=counts["n"] or 0,
                  participants=(counts["adults"] or 0) + (counts["children"] or 0),
                  children=counts["children"] or 0, girls=counts["girls"] or 0,
                  spent=spent or 0)


def with_recommendation_counts(rows: QuerySet[Activity]) -> QuerySet[Activity]:
    return rows.annotate(
        open_recommendations=Count("recommendations", filter=Q(
            recommendations__status=RecommendationStatus.OPEN)))


def prefetch_topics(rows: QuerySet[Activity]) -> QuerySet[Activity]:
    return rows.prefetch_related(Prefetch("topics"))


def named_shown(activity: Activity) -> QuerySet[NamedChild]:
    """The children named in `activity` that may still be shown: not those whose consent was
    withdrawn (Luật 91/2025/QH15 Điều 24 khoản 3 điểm a: the processing stops). Rows named
    before consents were recorded carry none and stay. Who may read which name is
    `named.named_for`'s."""
    return NamedChild.objects.filter(activity=activity).filter(
        Q(consent__isnull=True) | Q(consent__withdrawn_on__isnull=True))

"""What the indicators count of activities and trainings (`treem.indicators.populations`).

- activities: activities held (not planned, not cancelled) whose last day falls in the period,
  in the commune where they took place; filters: `kind`, `type`, `topic`.
- activity_children: the children who took part in them (the activities' counts added up);
  the same filters. "Share of children 7+ consulted" (Thông tư 13/2021 0601, Bình Long's
  chỉ tiêu 22) is the children of the period's consultations — all 7 or older, as a
  consultation takes only them — over the children aged 7–15 living in the commune. A child
  consulted twice counts twice: the records hold counts, not names.
- activity_spending: the money spent on those activities, in đồng, summed (`source`: state,
  mobilised, fund) — item 1.4 of QĐ 06 asks whether the commune has a budget for children;
- commune_staff: the people holding a commune role on the period's last day (by default the
  commune's child-protection officers and chairmen); `role` narrows it, `trained` keeps those
  who attended, within the period, a training held on one of the topics named.
"""

from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from treem.accounts.models import RoleAssignment
from treem.accounts.roles import Role
from treem.geo.models import Level
from treem.indicators import populations
from treem.indicators.periods import Period
from treem.plans.activities.models import (
    Activity,
    ActivityBudget,
    ActivityKind,
    ActivityStatus,
    Attendee,
    FundingSource,
)

STAFF_ROLES = (Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER)


def _held(period: Period) -> Q:
    return Q(status=ActivityStatus.HELD, end_date__gte=period.start, end_date__lte=period.end)


def _activities(period: Period, in_scope: Q) -> QuerySet:
    return (Activity.objects.filter(in_scope, _held(period), unit__level=Level.COMMUNE)
            .annotate(commune_id=F("unit_id")))


def _activity_where(name: str, values: list[Any], period: Period) -> Q:
    if name == "kind":
        return Q(type__kind__in=values)
    if name == "type":
        return Q(type__code__in=values)
    return Q(Exists(Activity.topics.through.objects.filter(activity=OuterRef("pk"),
                                                           topic__code__in=values)))


def _spending(period: Period, in_scope: Q) -> QuerySet:
    held = Activity.objects.filter(_held(period), unit__level=Level.COMMUNE)
    return (ActivityBudget.objects.filter(in_scope, activity__in=held)
            .annotate(commune_id=F("activity__unit_id")))


def _spending_where(name: str, values: list[Any], period: Period) -> Q:
    return Q(source__in=values)


def _staff(period: Period, in_scope: Q) -> QuerySet:
    end = period.end
    return (RoleAssignment.objects.filter(in_scope, role__in=STAFF_ROLES,
                                          unit__level=Level.COMMUNE,
                                          created_at__date__lte=end, user__is_active=True)
            .filter(Q(revoked_at__isnull=True) | Q(revoked_at__date__gt=end))
            .annotate(commune_id=F("unit_id")))


def _staff_where(name: str, values: list[Any], period: Period) -> Q:
    if name == "role":
        return Q(role__in=values)
    trained = Attendee.objects.filter(
        user=OuterRef("user_id"), activity__type__kind=ActivityKind.TRAINING,
        activity__status=ActivityStatus.HELD, activity__end_date__gte=period.start,
        activity__end_date__lte=period.end, activity__topics__code__in=values)
    return Q(Exists(trained))


_ACTIVITY_FILTERS = {"kind": ActivityKind.values, "type": None, "topic": None}


def register() -> None:
    populations.register(populations.Population(
        name="activities", filters=_ACTIVITY_FILTERS, dimensions=(), rows=_activities,
        where=_activity_where, measure="id"))
    populations.register(populations.Population(
        name="activity_children", filters=_ACTIVITY_FILTERS, dimensions=(),
        rows=_activities, where=_activity_where, measure="children", summed=True))
    populations.register(populations.Population(
        name="activity_spending", filters={"source": FundingSource.values}, dimensions=(),
        rows=_spending, where=_spending_where, measure="spent", summed=True,
        scope_field="activity__unit_path"))
    populations.register(populations.Population(
        name="commune_staff", filters={"role": [str(r) for r in STAFF_ROLES], "trained": None},
        dimensions=(), rows=_staff, where=_staff_where, measure="user_id",
        scope_field="unit__path"))

"""Reads of the child-friendly assessment, the user's scope applied here: a commune sees its
own assessments, a province every commune's under it."""

import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from treem.accounts.capabilities import Capability
from treem.accounts.models import User
from treem.geo.models import Level, Unit
from treem.plans.child_friendly.models import (
    Assessment,
    AssessmentQuerySet,
    AssessmentStatus,
    ItemScore,
)
from treem.plans.child_friendly.services import may_recognise
from treem.plans.selectors import one_visible


def assessments_for(*, user: User) -> AssessmentQuerySet:
    return Assessment.objects.visible_to(user, capability=Capability.VIEW_PLANS)


def assessment_list(*, user: User, year: int | None = None,
                    status: str = "") -> QuerySet[Assessment]:
    rows = assessments_for(user=user).select_related("unit", "version")
    if year:
        rows = rows.filter(year=year)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-year", "unit_path")


def get_assessment_for_user(*, user: User, assessment_id: uuid.UUID | str,
                            for_write: bool = False) -> Assessment:
    """404 when missing or out of scope; 403 when `for_write` and the user may neither keep
    the commune's plans nor recognise it."""
    assessment = one_visible(assessments_for(user=user).select_related("unit", "version"),
                             assessment_id)
    if for_write and not (user.in_scope(assessment.unit_path,
                                        capability=Capability.MANAGE_PLANS)
                          or may_recognise(user, assessment.unit)):
        raise PermissionDenied
    return assessment


def scores_of(assessment: Assessment) -> list[ItemScore]:
    return list(ItemScore.objects.filter(assessment=assessment)
                .select_related("item", "item__criterion", "scored_by")
                .order_by("item__criterion__number", "item__position"))


def communes_to_assess(*, user: User) -> list[Unit]:
    """The communes of today whose assessment the user may begin (those it keeps plans of)."""
    paths = user.scope_paths(capability=Capability.MANAGE_PLANS)
    if not paths:
        return []
    rows = Unit.objects.current().filter(level=Level.COMMUNE).within_paths(paths)
    return list(rows.order_by("path")[:2000])


@dataclass
class Summary:
    year: int
    communes: int
    by_status: dict[str, int] = field(default_factory=dict)
    recognised_share: float | None = None
    failing: list[tuple[int, int]] = field(default_factory=list)  # (criterion, communes)
    rows: list[Any] = field(default_factory=list)


def summary(*, user: User, unit: Unit, year: int) -> Summary:
    """A province's (or any unit's) year: its communes of today, how many assessed, submitted,
    recognised; the share recognised; which criteria fail most (in the verdicts frozen at
    submission)."""
    communes = Unit.objects.current().filter(level=Level.COMMUNE).within(unit).count()
    rows = list(assessments_for(user=user).filter(year=year).within(unit)
                .select_related("unit").order_by("unit_path"))
    by_status = Counter(row.status for row in rows)
    failing: Counter[int] = Counter()
    for row in rows:
        for criterion in (row.verdict or {}).get("criteria", []):
            if not criterion.get("met"):
                failing[criterion["number"]] += 1
    recognised = by_status.get(AssessmentStatus.RECOGNISED, 0)
    return Summary(year=year, communes=communes, by_status=dict(by_status),
                   recognised_share=(recognised * 100 / communes) if communes else None,
                   failing=failing.most_common(5), rows=rows)

"""Recommendations of a children's forum and opinions of a consultation: one recorded, and its
answer (with the follow-up, or what was made of a child's opinion) as an edit read at a
version. One transaction a call; bad input is a ValidationError naming the field, in
Vietnamese, and nothing is written.

Who writes: a recommendation is recorded by whoever may manage plans over the activity's place;
it is answered by the focal point of the agency it was given to, or by the office that keeps
the plans there (typing in an answer received on paper)."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from treem.accounts.capabilities import Capability
from treem.accounts.models import User
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.edits import conflicts
from treem.geo.paths import ancestor_paths
from treem.plans.activities import exceptions as exc
from treem.plans.activities.models import (
    Activity,
    ActivityKind,
    Adoption,
    Recommendation,
    RecommendationStatus,
)
from treem.plans.activities.services import _require_manager, _texts, may_manage
from treem.plans.models import Agency, FocalPoint

MAX_RECOMMENDATIONS = 100


def _check_agency(activity: Activity, agency: Agency | None) -> None:
    if agency is not None and agency.unit_path not in ancestor_paths(activity.unit_path):
        raise ValidationError({"agency": exc.AGENCY_NOT_HERE})


@transaction.atomic
def recommendation_add(*, actor: User, activity: Activity, text: str,
                       agency: Agency | None = None,
                       answer_due_on: datetime.date | None = None) -> Recommendation:
    _require_manager(actor, activity.unit)
    kind = activity.type.kind
    if kind not in (ActivityKind.FORUM, ActivityKind.CONSULTATION):
        raise ValidationError({"text": exc.NO_RECOMMENDATIONS})
    texts = _texts({"text": text})
    if not texts["text"]:
        raise ValidationError({"text": exc.RECOMMENDATION_TEXT_REQUIRED})
    if kind == ActivityKind.FORUM and agency is None:
        raise ValidationError({"agency": exc.RECOMMENDATION_AGENCY_REQUIRED})
    _check_agency(activity, agency)
    if answer_due_on is not None and answer_due_on < activity.end_date:
        raise ValidationError({"answer_due_on": exc.DATES_ORDER})
    count = Recommendation.objects.filter(activity=activity).aggregate(n=Max("position"))["n"]
    if Recommendation.objects.filter(activity=activity).count() >= MAX_RECOMMENDATIONS:
        raise ValidationError({"text": exc.RECOMMENDATIONS_TOO_MANY
                               % {"n": MAX_RECOMMENDATIONS}})
    item = Recommendation.objects.create(activity=activity, text=texts["text"], agency=agency,
                                         answer_due_on=answer_due_on,
                                         position=(count or 0) + 1)
    event_record(actor=actor, action=Action.CREATE, obj=item, unit=activity.unit,
                 fields=["text", "agency"] if agency else ["text"])
    return item


def may_answer(actor: User, item: Recommendation) -> bool:
    """The focal point of the agency given the recommendation, or the office keeping plans of
    the activity's place."""
    if item.agency_id is not None and actor.has_capability(Capability.REPORT_TASK_PROGRESS) \
            and FocalPoint.objects.filter(agency_id=item.agency_id, user=actor,
                                          revoked_at__isnull=True).exists():
        return True
    return may_manage(actor, item.activity.unit)


ANSWER_FIELDS = ("answer", "follow_up", "status", "adoption")


@transaction.atomic
def recommendation_answer(*, actor: User, item: Recommendation, base_version: int | None,
                          base: dict[str, Any] | None = None, **changes: Any
                          ) -> Recommendation:
    """The agency's answer and follow-up of a recommendation (or what was made of a child's
    opinion in a consultation), as an edit read at `base_version`."""
    if set(changes) - set(ANSWER_FIELDS):
        raise TypeError(f"not a field of an answer: {sorted(set(changes) - set(ANSWER_FIELDS))}")
    if not may_answer(actor, item):
        raise PermissionDenied(exc.NOT_THE_AGENCY)
    item = conflicts.locked(item)
    conflicts.check(item, version=item.version, base_version=base_version, changes=changes,
                    base=base)
    merged = {name: getattr(item, name) for name in ANSWER_FIELDS} | changes
    texts = _texts({"answer": merged["answer"], "follow_up": merged["follow_up"]})
    if merged["status"] not in RecommendationStatus.values:
        raise ValidationError({"status": exc.CHOICE_UNKNOWN})
    if merged["adoption"] and merged["adoption"] not in Adoption.values:
        raise ValidationError({"adoption": exc.CHOICE_UNKNOWN})
    if merged["adoption"] and item.activity.type.kind != ActivityKind.CONSULTATION:
        raise ValidationError({"adoption": exc.ADOPTION_ONLY_CONSULTATION})
    if merged["status"] != RecommendationStatus.OPEN and not texts["answer"]:
        raise ValidationError({"answer": exc.ANSWER_REQUIRED})
    values = {**texts, "status": merged["status"], "adoption": merged["adoption"] or ""}
    changed = [name for name, value in values.items() if getattr(item, name) != value]
    if not changed:
        return item
    for name in changed:
        setattr(item, name, values[name])
    item.answered_by, item.answered_at = actor, timezone.now()
    conflicts.save_new_version(item, [*changed, "answered_by", "answered_at"])
    event_record(actor=actor, action=Action.UPDATE, obj=item, unit=item.activity.unit,
                 fields=changed)
    return item

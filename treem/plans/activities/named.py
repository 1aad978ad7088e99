"""Children named in an activity: by exception, with a reason, under the register's rules.

An activity counts its children; it names one only when there is a reason to (a delegate of
the commune to the province's forum, a child handed a scholarship at a Month of Action
event). Naming follows the register:
- who names a child records the activity (manages plans over its place) *and* reads that
  child in the register now, and the child lives in the activity's area (the province's
  office names the communes' delegates to its forum);
- who reads the activity sees the names of the children they may read in the register, and
  only a count of the others; the names shown are a read of personal data, audited.
The record links to the register (no copy of the name), so that a correction, a merge or a
restriction there holds here too.

Naming a child publishes it: it rests on a consent of its legal representative, and of the
child itself from 7 (Luật 91/2025/QH15 Điều 24 khoản 2), recorded on the child's page and
checked on the day of naming. Once that consent is withdrawn the name is shown nowhere (the
row stays, hidden: `selectors.named_shown`); a new consent lets the child be named again."""

import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from treem.accounts.capabilities import Capability
from treem.accounts.models import User
from treem.audit.models import Action
from treem.audit.services import event_record, read_record
from treem.geo.paths import subtree_q
from treem.plans import texts as free_text
from treem.plans.activities import exceptions as exc
from treem.plans.activities.models import Activity, ActivityKind, ActivityStatus, NamedChild
from treem.plans.activities.selectors import named_shown
from treem.plans.activities.services import may_manage
from treem.registry.consent.selectors import consent_required
from treem.registry.models import Child, ConsentPurpose, years_before
from treem.registry.selectors import children_to_name

SHOWN = 20  # children a search shows: a name typed further narrows it
REASON_MIN = 10  # "đại biểu" alone says nothing of why this child, here
REASON_MAX = 500
MAX_NAMED = 200


def may_name(actor: User, activity: Activity) -> bool:
    """Whether `actor` may name children in `activity` at all: records it, and reads the
    register somewhere in its area (which child, `named_add` checks)."""
    if not may_manage(actor, activity.unit):
        return False
    paths = actor.scope_paths(capability=Capability.VIEW_CHILDREN)
    return any(path.startswith(activity.unit_path) or activity.unit_path.startswith(path)
               for path in paths)


def candidates(*, actor: User, activity: Activity, q: str, limit: int = SHOWN
               ) -> list[Child]:
    """The children `actor` may name in `activity` whose name matches `q`, at most `limit`
    (ask one more to know whether there are more)."""
    if not may_name(actor, activity):
        return []
    taken = set(named_shown(activity).values_list("child_id", flat=True))
    found = children_to_name(user=actor, q=q, within=activity.unit_path,
                             limit=limit + len(taken))
    return [child for child in found if child.pk not in taken][:limit]


def _check_age(activity: Activity, child: Child) -> None:
    """A child on the activity's first day: under 16, and from 7 in a consultation (Thông tư
    36/2018/TT-BLĐTBXH consults children from 7)."""
    day = activity.start_date
    if child.birth_date > day or years_before(day, 16) >= child.birth_date:
        raise ValidationError({"child": exc.NAMED_NOT_A_CHILD})
    if activity.type.kind == ActivityKind.CONSULTATION and child.birth_date > years_before(day, 7):
        raise ValidationError({"child": exc.NAMED_UNDER_7})


def _check_count(activity: Activity, named: int) -> None:
    """A held activity names no more children than it counted."""
    if activity.status == ActivityStatus.HELD and named > activity.children:
        raise ValidationError({"child": exc.NAMED_OVER_CHILDREN % {
            "named": named, "children": activity.children}})


@transaction.atomic
def named_add(*, actor: User, activity: Activity, child_id: uuid.UUID | str,
              reason: str) -> NamedChild:
    """Name the child `child_id` in `activity`. A child the actor may not name is refused
    with the same words whether it exists or not (the API must not tell)."""
    if not may_manage(actor, activity.unit):
        raise PermissionDenied(exc.UNIT_OUT_OF_SCOPE)
    text = free_text.clean({"reason": reason}, {"reason": REASON_MAX}, exc.TOO_LONG)["reason"]
    if len(text) < REASON_MIN:
        raise ValidationError({"reason": exc.NAMED_REASON_REQUIRED % {"n": REASON_MIN}})
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    child = (Child.objects.visible_to(actor, capability=Capability.VIEW_CHILDREN).on_record()
             .filter(subtree_q(activity.unit_path, field="unit_path"), public_id=child_id).first())
    if child is None:
        raise ValidationError({"child": exc.NAMED_CHILD_NOT_YOURS})
    _check_age(activity, child)
    consent = consent_required(child=child, purpose=ConsentPurpose.NAMED_IN_ACTIVITY,
                               on=timezone.localdate())
    existing = NamedChild.objects.filter(activity=activity)
    hidden = existing.filter(child=child).exclude(pk__in=named_shown(activity).values("pk"))
    item = hidden.first()
    if item is not None:
        # Named before under a consent since withdrawn: the new consent shows it again.
        item.consent, item.reason, item.added_by = consent, text, actor
        item.save(update_fields=["consent", "reason", "added_by"])
    else:
        if existing.filter(child=child).exists():
            raise ValidationError({"child": exc.NAMED_ALREADY})
        count = existing.count()
        if count >= MAX_NAMED:
            raise ValidationError({"child": exc.NAMED_TOO_MANY % {"n": MAX_NAMED}})
        _check_count(activity, count + 1)
        item = NamedChild.objects.create(activity=activity, child=child, reason=text,
                                         consent=consent, added_by=actor)
    event_record(actor=actor, action=Action.UPDATE, obj=activity, unit=activity.unit,
                 fields=["named_children"])
    # On the child too, where its access log looks: who named it, in which activity, why.
    event_record(actor=actor, action=Action.UPDATE, obj=child, unit=activity.unit,
                 fields=["named_in_activity"], reason=f"{activity.public_id}: {text}")
    return item


@transaction.atomic
def named_remove(*, actor: User, item: NamedChild) -> None:
    activity = item.activity
    if not may_manage(actor, activity.unit):
        raise PermissionDenied(exc.UNIT_OUT_OF_SCOPE)
    event_record(actor=actor, action=Action.UPDATE, obj=activity, unit=activity.unit,
                 fields=["named_children"])
    event_record(actor=actor, action=Action.UPDATE, obj=item.child, unit=activity.unit,
                 fields=["named_in_activity"], reason=f"{activity.public_id}: removed")
    item.delete()


@dataclass(frozen=True)
class Named:
    shown: list[NamedChild]  # with `child` the user may read in the register
    hidden: int              # named children the user may not read


def named_for(*, user: User, activity: Activity, audit: bool = True) -> Named:
    """The children named in `activity` as `user` may see them. Showing a name is a read of
    that child's record, audited as such (at most `MAX_NAMED` a page)."""
    rows = named_shown(activity).select_related(
        "child", "child__commune", "child__village", "added_by")
    readable = set(Child.objects.visible_to(user, capability=Capability.VIEW_CHILDREN)
                   .filter(pk__in=rows.values("child_id")).values_list("pk", flat=True))
    every = list(rows)
    shown = [row for row in every if row.child_id in readable]
    if audit:
        # Each child's name shown is a read of that child, in its access log.
        for row in shown:
            read_record(actor=user, obj=row.child, unit=activity.unit,
                        reason=f"activity {activity.public_id}")
    return Named(shown=shown, hidden=len(every) - len(shown))


def get_named_for_user(*, user: User, activity: Activity, named_id: uuid.UUID | str,
                       ) -> NamedChild:
    """A named child of `activity` the user may read; 404 for anything else alike."""
    item = (named_shown(activity).filter(public_id=named_id)
            .select_related("activity", "activity__unit", "child").first())
    if item is None or not Child.objects.visible_to(
            user, capability=Capability.VIEW_CHILDREN).filter(pk=item.child_id).exists():
        raise Http404
    return item

"""Trainees of a training: who may be named (users holding a role in the activity's area), a
trainee added (a user of treem or a person named from outside), one taken off. One transaction
a call; bad input is a ValidationError naming the field, in Vietnamese, and nothing is written.

Who writes: whoever may manage plans over the activity's place (`services.may_manage`)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from treem.accounts.capabilities import Capability
from treem.accounts.models import RoleAssignment, User
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.geo.models import Unit
from treem.geo.paths import ancestor_paths, any_subtree_q
from treem.plans.activities import exceptions as exc
from treem.plans.activities.models import Activity, ActivityKind, Attendee
from treem.plans.activities.services import _require_manager, _texts, forget_values
from treem.plans.models import Agency

MAX_ATTENDEES = 500


def attendee_candidates(activity: Activity, actor: User) -> Any:
    """The users who may be named as trainees: those holding a role in the activity's area
    (its unit and below) that the actor may see."""
    paths = actor.scope_paths(capability=Capability.MANAGE_PLANS)
    held = RoleAssignment.objects.active().filter(any_subtree_q([activity.unit_path],
                                                                field="unit__path"))
    held = held.filter(any_subtree_q(paths, field="unit__path")) if paths else held.none()
    return User.objects.filter(is_active=True, pk__in=held.values("user_id")).order_by(
        "last_name", "first_name", "username")


@transaction.atomic
def attendee_add(*, actor: User, activity: Activity, user: User | None = None,
                 name: str = "", position_text: str = "", agency: Agency | None = None,
                 unit: Unit | None = None) -> Attendee:
    """A trainee of a training: a user of treem, or a person named from outside."""
    _require_manager(actor, activity.unit)
    if activity.type.kind != ActivityKind.TRAINING:
        raise ValidationError({"user": exc.NOT_A_TRAINING})
    texts = _texts({"name": name, "position_text": position_text})
    if user is None and not texts["name"]:
        raise ValidationError({"name": exc.ATTENDEE_REQUIRED})
    # Under the activity's lock: two trainees added at once would otherwise both count the
    # class one short of full, or both find the same user not yet in it (then a server error).
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if user is not None:
        if not attendee_candidates(activity, actor).filter(pk=user.pk).exists():
            raise ValidationError({"user": exc.ATTENDEE_NOT_IN_AREA})
        if Attendee.objects.filter(activity=activity, user=user).exists():
            raise ValidationError({"user": exc.ATTENDEE_ALREADY})
        texts["name"] = texts["name"] or user.get_full_name() or user.get_username()
    if agency is not None and agency.unit_path not in ancestor_paths(activity.unit_path) \
            and not agency.unit_path.startswith(activity.unit_path):
        raise ValidationError({"agency": exc.ORGANISER_NOT_HERE})
    if unit is not None and not actor.in_scope(unit.path, capability=Capability.VIEW_PLANS):
        raise ValidationError({"unit": exc.UNIT_OUT_OF_SCOPE})
    if Attendee.objects.filter(activity=activity).count() >= MAX_ATTENDEES:
        raise ValidationError({"name": exc.ATTENDEES_TOO_MANY % {"n": MAX_ATTENDEES}})
    attendee = Attendee.objects.create(activity=activity, user=user, agency=agency, unit=unit,
                                       **texts)
    event_record(actor=actor, action=Action.UPDATE, obj=activity, unit=activity.unit,
                 fields=["attendees"])
    forget_values(activity.unit)
    return attendee


@transaction.atomic
def attendee_remove(*, actor: User, attendee: Attendee) -> None:
    activity = attendee.activity
    _require_manager(actor, activity.unit)
    attendee.delete()
    event_record(actor=actor, action=Action.UPDATE, obj=activity, unit=activity.unit,
                 fields=["attendees"])
    forget_values(activity.unit)

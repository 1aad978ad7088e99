"""The one way to write an audit event. Called by every service inside its own transaction.

The trail sits below accounts (signing in writes events), so it knows its actor only as
`Actor`: whoever acts, with a username and the roles it acts in (`accounts.User` is one).
"""

from collections.abc import Iterable
from typing import Any, Protocol, runtime_checkable

from django.db import models

from treem.audit import context
from treem.audit.models import Action, AuditEvent
from treem.geo.models import Level, Unit


@runtime_checkable
class Actor(Protocol):
    pk: Any

    @property
    def is_authenticated(self) -> bool: ...

    def get_username(self) -> str: ...

    def active_roles(self) -> set[str]: ...


def _nation() -> Unit | None:
    return Unit.objects.filter(level=Level.NATION).first()


def event_record(
    *,
    actor: Actor | object | None,
    action: str,
    obj: models.Model | None = None,
    unit: Unit | None = None,
    fields: Iterable[str] = (),
    reason: str = "",
    actor_username: str = "",
) -> AuditEvent:
    """Append an event. `unit` is where the event belongs for auditors' scope; without one the
    event belongs to the nation and only nation-wide auditors see it."""
    [event] = event_rows(actor=actor, action=action, objs=[obj], unit=unit, fields=fields,
                         reason=reason, actor_username=actor_username)
    event.save()
    return event


def event_rows(
    *,
    actor: Actor | object | None,
    action: str,
    objs: Iterable[models.Model | None],
    unit: Unit | None = None,
    fields: Iterable[str] = (),
    reason: str = "",
    actor_username: str = "",
) -> list[AuditEvent]:
    """The events of one action on each of `objs`, as `event_record` writes them, unsaved:
    for a service that writes many records at once and their events with one bulk insert."""
    request = context.current()
    if unit is None:
        unit = _nation()
    user = actor if isinstance(actor, Actor) and actor.is_authenticated else None
    username = actor_username or (user.get_username() if user is not None else "")
    roles = ",".join(sorted(user.active_roles())) if user is not None else ""
    changed = sorted(fields)
    return [AuditEvent(
        actor_id=user.pk if user is not None else None, actor_username=username, roles=roles,
        unit=unit, unit_path=unit.path if unit is not None else "",
        province_code=unit.province_code if unit is not None else "", action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(getattr(obj, "public_id", None) or getattr(obj, "pk", "")) if obj else "",
        changed_fields=changed, reason=reason, ip=request.ip if request else None,
        request_id=request.request_id if request else "") for obj in objs]


def read_record(*, actor: Actor, obj: models.Model, unit: Unit, reason: str = "") -> AuditEvent:
    """Record that `actor` saw `obj`, a record of a model marked `audit_reads = True`.

    Models holding sensitive personal data opt in; their `get_<x>_for_user` views call this on
    every display, print or export, so the trail answers "who has seen this child's case?".
    """
    if not getattr(type(obj), "audit_reads", False):
        raise TypeError(f"{obj._meta.label} is not marked audit_reads = True")
    return event_record(actor=actor, action=Action.VIEW, obj=obj, unit=unit, reason=reason)

"""The one way to write an audit event. Called by every service inside its own transaction."""

from collections.abc import Iterable
from typing import Any

from django.db import models

from treem.audit import context
from treem.audit.models import Action, AuditEvent


def _roles_of(actor: Any) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return ""
    return ",".join(sorted(actor.active_roles()))


def _nation() -> Any:
    from treem.geo.models import Level, Unit

    return Unit.objects.filter(level=Level.NATION).first()


def event_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    unit: Any = None,
    fields: Iterable[str] = (),
    reason: str = "",
    actor_username: str = "",
) -> AuditEvent:
    """Append an event. `unit` is where the event belongs for auditors' scope; without one the
    event belongs to the nation and only nation-wide auditors see it."""
    request = context.current()
    if unit is None:
        unit = _nation()
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_username=actor_username or (actor.get_username() if is_user else ""),
        roles=_roles_of(actor),
        unit=unit,
        unit_path=unit.path if unit is not None else "",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(getattr(obj, "public_id", None) or getattr(obj, "pk", "")) if obj else "",
        changed_fields=sorted(fields),
        reason=reason,
        ip=request.ip if request else None,
        request_id=request.request_id if request else "",
    )


def read_record(*, actor: Any, obj: models.Model, unit: Any, reason: str = "") -> AuditEvent:
    """Record that `actor` saw `obj`, a record of a model marked `audit_reads = True`.

    Models holding sensitive personal data opt in; their `get_<x>_for_user` views call this on
    every display, print or export, so the trail answers "who has seen this child's case?".
    """
    if not getattr(type(obj), "audit_reads", False):
        raise TypeError(f"{obj._meta.label} is not marked audit_reads = True")
    return event_record(actor=actor, action=Action.VIEW, obj=obj, unit=unit, reason=reason)

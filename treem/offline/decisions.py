"""A person decides what sync could not: a conflict field by field, a correction of a refused
operation, or setting one aside with a reason. Decided by the collaborator who sent it or by an
officer who keeps the register of its commune; audited; nothing is deleted."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from treem.accounts.capabilities import Capability
from treem.accounts.models import User
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.geo.models import Unit
from treem.offline import messages as msg
from treem.offline.models import Operation, OperationKind, OperationStatus
from treem.offline.sync import DECIDED, Context, apply
from treem.offline.village import collaborator_villages

MINE, THEIRS = "mine", "theirs"
REASON_MAX = 300


def may_decide(user: User, operation: Operation) -> bool:
    return operation.user_id == user.pk or bool(operation.unit_path) and user.in_scope(
        operation.unit_path, capability=Capability.MANAGE_CHILDREN)


def _locked(user: User, operation: Operation, statuses: tuple[str, ...]) -> Operation:
    if not may_decide(user, operation):
        raise PermissionDenied(msg.NOT_YOURS_TO_DECIDE)
    operation = Operation.objects.select_for_update().select_related("user", "device").get(
        pk=operation.pk)
    if operation.status not in statuses:
        raise ValidationError(msg.NOTHING_WAITING)
    return operation


def _context(operation: Operation) -> Context:
    # Applied as the collaborator who recorded it (its scope, its name in the history), the
    # decision's author recorded on the operation and in the audit trail.
    villages = collaborator_villages(operation.user)
    return Context(operation.user, operation.device, villages, operation.recorded_at)


def _unit(operation: Operation) -> Unit | None:
    return Unit.objects.filter(path=operation.unit_path).first() if operation.unit_path else None


def _decided(actor: User, operation: Operation, decision: dict[str, Any]) -> None:
    if operation.status == OperationStatus.APPLIED:
        operation.status = OperationStatus.RESOLVED
    operation.decided_by, operation.decided_at = actor, timezone.now()
    operation.decision = decision
    operation.save()
    event_record(actor=actor, action=Action.UPDATE, obj=operation, unit=_unit(operation),
                 fields=["status", *decision.get("fields", {})])


@transaction.atomic
def conflict_decide(*, actor: User, operation: Operation, fields: Mapping[str, str]
                    ) -> dict[str, Any] | None:
    """Keep, for each conflicting field, the phone's value (`mine`) or the one saved
    (`theirs`); the operation's other fields apply as sent. A field changed again since the
    conflict was shown is a new conflict (the operation stays waiting, with it)."""
    operation = _locked(actor, operation, (OperationStatus.CONFLICT,))
    names = [row["field"] for row in operation.conflicts]
    if set(fields) != set(names) or not set(fields.values()) <= {MINE, THEIRS}:
        raise ValidationError({"fields": msg.CHOICE_REQUIRED})
    payload = dict(operation.payload)
    changes = dict(payload.get("changes") or {})
    base = dict(payload.get("base") or {})
    for row in operation.conflicts:
        if fields[row["field"]] == THEIRS:
            changes.pop(row["field"], None)
        else:
            base[row["field"]] = row["theirs"]  # what the person saw and chose to replace
    decision = {"fields": dict(fields)}
    if not changes:
        operation.status = OperationStatus.RESOLVED
        _decided(actor, operation, decision)
        return None
    payload.update(changes=changes, base=base, **{DECIDED: True})
    record = apply(operation, _context(operation), payload=payload)
    if operation.status == OperationStatus.APPLIED:
        _decided(actor, operation, decision)
    return record


@transaction.atomic
def operation_correct(*, actor: User, operation: Operation, payload: Mapping[str, Any]
                      ) -> dict[str, Any] | None:
    """Send again, corrected, an operation refused as invalid (its id kept, so the operations
    that name it follow). Only its collaborator."""
    operation = _locked(actor, operation, (OperationStatus.INVALID,))
    if operation.user_id != actor.pk:
        raise PermissionDenied(msg.NOT_YOURS_TO_DECIDE)
    clean = {key: value for key, value in payload.items() if key != DECIDED}
    record = apply(operation, _context(operation), payload=clean)
    if operation.status == OperationStatus.APPLIED:
        operation.payload = clean
        operation.save(update_fields=["payload"])
    return record


@transaction.atomic
def operation_dismiss(*, actor: User, operation: Operation, reason: str) -> Operation:
    """Set aside an operation that waits or was refused, with the reason; kept as the record
    of what was typed."""
    operation = _locked(actor, operation, (OperationStatus.CONFLICT, OperationStatus.HELD,
                                           OperationStatus.INVALID))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": msg.REASON_REQUIRED})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": msg.TOO_LONG % {"n": REASON_MAX}})
    operation.status = OperationStatus.DISMISSED
    _decided(actor, operation, {"reason": reason})
    return operation


@transaction.atomic
def registration_confirm(*, actor: User, operation: Operation) -> dict[str, Any] | None:
    """A registration held as a possible duplicate of a child of the commune: the commune
    officer, who sees both, registers it as a new child (the province's deduplication still
    compares them)."""
    operation = _locked(actor, operation, (OperationStatus.HELD,))
    if operation.kind != OperationKind.CHILD_REGISTER or operation.user_id == actor.pk:
        raise PermissionDenied(msg.NOT_YOURS_TO_DECIDE)
    payload = dict(operation.payload) | {"confirm_new": True}
    record = apply(operation, _context(operation), payload=payload)
    if operation.status == OperationStatus.APPLIED:
        _decided(actor, operation, {"confirm_new": True})
    return record

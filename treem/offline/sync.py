"""Applying what a phone recorded offline: each operation, in the order sent, by the register's
and the cases' own services (their validation, audit and history), exactly once.

- **Idempotent on the phone's id.** The operation's row is written first, in the transaction
  that applies it: a retry after a dropped answer finds it and answers the first result; a
  retry sent while the first is still running waits for it (the row's key) and then does the
  same. An operation held for a missing reference is tried again when sent again.
- **Conflicts per field** (`treem.edits.conflicts`): a field the phone changed and the server
  changed since the download is not applied; nothing of the operation is. Fields nobody else
  changed merge. The collaborator or the commune officer decides (`decisions`).
- **A record merged** on the server (deduplication) while edited offline: the edit follows it
  to the record kept, compared field by field with what the phone read. A record gone from the
  collaborator's village (moved away, anonymised) holds the edit for the commune officer.
- **Nothing is dropped.** A refusal (a duplicate child the phone could not know of, a date in
  the future) is kept with its Vietnamese messages for the collaborator to correct and send
  again."""

import datetime
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date

from treem.accounts.capabilities import Capability
from treem.accounts.models import User
from treem.cases import services as cases
from treem.cases.choices import Channel
from treem.edits.conflicts import UNKNOWN, EditConflict
from treem.geo.models import Level, Unit
from treem.offline import messages as msg
from treem.offline.models import WAITING, Device, Operation, OperationKind, OperationStatus
from treem.offline.results import result_of
from treem.offline.village import (
    EDITABLE,
    child_row,
    collaborator_villages,
    commune_of,
    household_row,
)
from treem.registry import selectors as registry_selectors
from treem.registry import services as registry
from treem.registry.models import Child, Ethnicity, Household

MAX_OPERATIONS = 500
REFERENCE = "op:"
DECIDED = "_decided"
DUPLICATE = msg.DUPLICATE_CHILD


class Held(Exception):
    """The operation cannot be applied now and waits: for an earlier operation of the phone
    (`retry`: tried again when sent again), or for a person (a record gone)."""

    def __init__(self, message: Any, *, retry: bool = False) -> None:
        super().__init__(message)
        self.retry = retry


@dataclass(frozen=True)
class Incoming:
    id: uuid.UUID
    kind: str
    recorded_at: datetime.datetime
    payload: Mapping[str, Any]


@dataclass
class Context:
    user: User
    device: Device
    villages: list[Unit]
    recorded_at: datetime.datetime

    def village(self, code: Any) -> Unit:
        for village in self.villages:
            if village.code == code:
                return village
        raise ValidationError({"village": msg.VILLAGE_NOT_YOURS})


# Operations applied in one transaction (each in a savepoint of its own): a commit per
# operation cost as much as the operation itself, and a phone back after days sends hundreds.
CHUNK = 50


def sync(*, user: User, device: Device, operations: Iterable[Incoming]) -> list[dict[str, Any]]:
    """Apply `operations` in order; the result of each, as the phone reads it."""
    villages = collaborator_villages(user)
    incoming = list(operations)
    known = Operation.objects.in_bulk([operation.id for operation in incoming])
    results: list[dict[str, Any]] = []
    for start in range(0, len(incoming), CHUNK):
        with transaction.atomic():
            results += [_one(user, device, villages, operation, known.get(operation.id))
                        for operation in incoming[start:start + CHUNK]]
    return results


def _one(user: User, device: Device, villages: list[Unit], incoming: Incoming,
         existing: Operation | None) -> dict[str, Any]:
    if existing is not None and not _retried(existing, device):
        return result_of(existing, record=record_of(existing))
    try:
        with transaction.atomic():
            if existing is not None:  # held for an earlier one: tried again, under its lock
                existing = Operation.objects.select_for_update().get(pk=existing.pk)
                if not _retried(existing, device):
                    return result_of(existing, record=record_of(existing))
            # A phone's clock may run fast: never later than now.
            operation = existing or Operation(
                id=incoming.id, device=device, user=user, kind=incoming.kind,
                recorded_at=min(incoming.recorded_at, timezone.now()),
                payload={key: value for key, value in incoming.payload.items()
                         if key != DECIDED},
                status=OperationStatus.HELD, unit_path=_unit_path(villages))
            record = apply(operation, Context(user, device, villages, operation.recorded_at),
                           new=existing is None)
            return result_of(operation, record=record)
    except IntegrityError:
        # The same id written meanwhile (sent twice at once, or twice in one batch): what this
        # one did is rolled back with its savepoint; answer what the other did.
        other = Operation.objects.filter(pk=incoming.id).first()
        if other is None:
            raise
        return result_of(other, record=record_of(other))


def _retried(operation: Operation, device: Device) -> bool:
    """An operation sent again is applied again only when it was held by this phone's own
    earlier operation, which may have been applied since."""
    return (operation.device_id == device.pk and operation.status == OperationStatus.HELD
            and operation.retry)


def _unit_path(villages: list[Unit]) -> str:
    # Where the commune officer reviews it: the collaborator's (first) commune.
    return commune_of(villages[0]).path if villages else ""


def apply(operation: Operation, context: Context, *, payload: Mapping[str, Any] | None = None,
          new: bool = False) -> dict[str, Any] | None:
    """Apply `operation` (with `payload`, a correction, instead of its own) and save its
    status (`new`: its first save, an insert that fails on an id written meanwhile); the
    record as saved when it applied. Called inside a transaction."""
    operation.message, operation.errors, operation.conflicts = "", {}, []
    operation.retry = False
    try:
        with transaction.atomic():
            record_id, record = APPLY[operation.kind](context, payload or operation.payload)
    except EditConflict as conflict:
        operation.status = OperationStatus.CONFLICT
        operation.message = str(msg.CONFLICT)
        operation.conflicts = [_conflict_row(row) for row in conflict.conflicts]
        record_id, record = operation.record_id, None
    except Held as held:
        operation.status, operation.message = OperationStatus.HELD, str(held)
        operation.retry = held.retry
        record_id, record = operation.record_id, None
    except ValidationError as error:
        operation.status = OperationStatus.INVALID
        operation.errors = _errors(error)
        operation.message = "; ".join(message for messages in operation.errors.values()
                                      for message in messages)[:300]
        record_id, record = operation.record_id, None
    except PermissionDenied as denied:
        operation.status, operation.message = OperationStatus.INVALID, str(denied)[:300]
        record_id, record = operation.record_id, None
    else:
        operation.status = OperationStatus.APPLIED
    operation.record_id = record_id
    operation.save(force_insert=new)
    return record


def _errors(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {field: [str(message) for item in items for message in item.messages]
                for field, items in error.error_dict.items()}
    return {"__all__": [str(message) for message in error.messages]}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Household):
        return str(value.public_id)
    if value is UNKNOWN:
        return None
    return value


def _conflict_row(conflict: Any) -> dict[str, Any]:
    return {"field": conflict.field, "label": conflict.label, "mine": _plain(conflict.mine),
            "theirs": _plain(conflict.theirs), "base": _plain(conflict.base),
            "mine_text": conflict.mine_text, "theirs_text": conflict.theirs_text,
            "by": conflict.saved_by,
            "at": conflict.saved_at.isoformat() if conflict.saved_at else None}


def record_of(operation: Operation) -> dict[str, Any] | None:
    """The record an applied operation made or changed, as it is now."""
    if operation.record_id is None or operation.status not in (OperationStatus.APPLIED,
                                                               OperationStatus.RESOLVED):
        return None
    if operation.kind == OperationKind.CONCERN_RECORD:
        return {"reference": str(operation.record_id)}
    if operation.kind == OperationKind.HOUSEHOLD_CREATE:
        household = Household.objects.filter(public_id=operation.record_id).first()
        return household_row(household) if household else None
    child = Child.objects.filter(public_id=operation.record_id).first()
    return child_row(child) if child else None


# --- References ------------------------------------------------------------------------------

def _referenced(context: Context, value: Any, kind: str) -> uuid.UUID | None:
    """The id of the record `value` names: a uuid, or `op:<id>` for one made by an earlier
    operation of this phone (held while that one is not applied)."""
    if value in (None, ""):
        return None
    text = str(value)
    if text.startswith(REFERENCE):
        made = Operation.objects.filter(pk=_uuid(text[len(REFERENCE):]), device=context.device,
                                        kind=kind).first()
        if made is None or made.record_id is None or made.status not in (
                OperationStatus.APPLIED, OperationStatus.RESOLVED):
            raise Held(msg.REFERENCE_WAITING, retry=True)
        return made.record_id
    return _uuid(text)


def _uuid(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise ValidationError(msg.REFERENCE_UNKNOWN) from None


def _household(context: Context, value: Any) -> Household | None:
    household_id = _referenced(context, value, OperationKind.HOUSEHOLD_CREATE)
    if household_id is None:
        return None
    household = Household.objects.filter(public_id=household_id,
                                         village__in=context.villages).first()
    if household is None:
        raise ValidationError({"household": msg.REFERENCE_UNKNOWN})
    return household


def _child(context: Context, value: Any) -> tuple[Child, bool]:
    """The child `value` names, followed to the record kept if it was merged (and whether it
    was); held when it is no longer the collaborator's to change."""
    child_id = _referenced(context, value, OperationKind.CHILD_REGISTER)
    if child_id is None:
        raise ValidationError({"child": msg.REQUIRED})
    merged = False
    for _hop in range(10):
        # One query on the usual path: the register's scope rule (restrictions included),
        # in the collaborator's villages, on record.
        child = (Child.objects.visible_to(context.user, capability=Capability.MANAGE_CHILDREN)
                 .select_related("village", "commune")
                 .filter(public_id=child_id, village__in=context.villages,
                         merged_into__isnull=True).first())
        if child is not None:
            return child, merged
        kept = (Child.objects.filter(public_id=child_id, merged_into__isnull=False)
                .values_list("merged_into__public_id", flat=True).first())
        if kept is None:
            break
        child_id, merged = kept, True
    raise Held(msg.CHILD_GONE)


def _day(payload: Mapping[str, Any], name: str, *, required: bool = False
         ) -> datetime.date | None:
    value = payload.get(name)
    if value in (None, ""):
        if required:
            raise ValidationError({name: msg.REQUIRED})
        return None
    day = parse_date(str(value)) if isinstance(value, str) else None
    if day is None:
        raise ValidationError({name: msg.DAY_INVALID})
    return day


# --- Each kind -------------------------------------------------------------------------------

Applied = tuple[uuid.UUID | None, dict[str, Any] | None]


def _household_create(context: Context, payload: Mapping[str, Any]) -> Applied:
    village = context.village(payload.get("village"))
    household = registry.household_create(
        actor=context.user, commune=commune_of(village), village=village,
        head_name=str(payload.get("head_name") or ""), address=str(payload.get("address") or ""))
    return household.public_id, household_row(household)


CHILD_REGISTER_FIELDS = ("full_name", "sex", "birth_registered", "school_level",
                         "school_status", "living_arrangement")


def _ethnicity(code: Any) -> Ethnicity:
    ethnicity = Ethnicity.objects.filter(code=str(code or "")).first()
    if ethnicity is None:
        raise ValidationError({"ethnicity": msg.CHOICE_UNKNOWN})
    return ethnicity


def _child_register(context: Context, payload: Mapping[str, Any]) -> Applied:
    village = context.village(payload.get("village"))
    fields: dict[str, Any] = {name: payload[name] for name in CHILD_REGISTER_FIELDS
                              if payload.get(name) is not None}
    fields["full_name"] = str(fields.get("full_name") or "")
    fields["birth_date"] = _day(payload, "birth_date", required=True)
    fields["ethnicity"] = _ethnicity(payload.get("ethnicity"))
    household = _household(context, payload.get("household"))
    if household is not None:
        fields["household"] = household
    if not payload.get("confirm_new"):
        _check_duplicates(context, village, fields)
    child = registry.child_register(actor=context.user, commune=commune_of(village),
                                    village=village, **fields)
    return child.public_id, child_row(child)


def _check_duplicates(context: Context, village: Unit, fields: Mapping[str, Any]) -> None:
    """A child perhaps on the register already: the collaborator confirms one it can see (its
    village's); one only the commune sees holds the registration for the commune officer, who
    sees both (the collaborator is not shown the commune's other children)."""
    wanted = {"full_name": fields["full_name"], "birth_date": fields["birth_date"],
              "sex": str(fields.get("sex") or ""), "province_code": village.province_code}
    seen = registry_selectors.possible_duplicates(user=context.user, **wanted)
    if seen:
        raise ValidationError({"full_name": DUPLICATE % {"names": ", ".join(
            f"{child.full_name} ({child.birth_date:%Y})" for child in seen)}})
    if registry_selectors.possible_duplicates(
            user=context.user, among=Child.objects.filter(commune=commune_of(village)).on_record(), **wanted):
        raise Held(msg.DUPLICATE_IN_COMMUNE)


def _changes(context: Context, values: Any) -> dict[str, Any]:
    if not isinstance(values, Mapping) or not values:
        raise ValidationError({"changes": msg.REQUIRED})
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise ValidationError({name: msg.FIELD_NOT_EDITABLE for name in sorted(unknown)})
    changes = dict(values)
    for name in ("death_date",):
        if name in changes:
            changes[name] = _day(changes, name)
    if "household" in changes:
        changes["household"] = _household(context, changes["household"])
    return changes


def _base(context: Context, values: Any, changes: Mapping[str, Any]) -> dict[str, Any]:
    """What the phone read of the fields it changes, as the service compares them."""
    base = {name: value for name, value in (values or {}).items() if name in changes} \
        if isinstance(values, Mapping) else {}
    if "death_date" in base:
        base["death_date"] = _day(base, "death_date")
    if "household" in base:
        try:
            base["household"] = _household(context, base["household"])
        except (ValidationError, Held):
            base.pop("household")  # unknown: compared as a field read without its value
    return base


def _version(payload: Mapping[str, Any]) -> int:
    version = payload.get("base_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ValidationError({"base_version": msg.REQUIRED})
    return version


def _child_update(context: Context, payload: Mapping[str, Any]) -> Applied:
    child, merged = _child(context, payload.get("child"))
    changes = _changes(context, payload.get("changes"))
    base = _base(context, payload.get("base"), changes)
    # A record merged since: its version is another record's, so every field is compared
    # with what the phone read (0: a version that is never the record's).
    # A person's decision (`decisions`) compares with what it was shown, the same way.
    version = 0 if merged or payload.get(DECIDED) else _version(payload)
    child = registry.child_update(actor=context.user, child=child, base_version=version,
                                  base=base, changed_on=timezone.localdate(context.recorded_at), **changes)
    return child.public_id, child_row(child)


def _child_move(context: Context, payload: Mapping[str, Any]) -> Applied:
    child, _merged = _child(context, payload.get("child"))
    moved_on = _day(payload, "moved_on", required=True)
    assert moved_on is not None
    if payload.get("village"):
        village = Unit.objects.filter(code=str(payload["village"]), level=Level.VILLAGE,
                                      parent=child.commune, valid_to__isnull=True).first()
        if village is None:
            raise ValidationError({"village": msg.REFERENCE_UNKNOWN})
        commune: Unit = child.commune
    else:
        found = Unit.objects.filter(code=str(payload.get("commune") or ""), level=Level.COMMUNE,
                                    valid_to__isnull=True).first()
        if found is None:
            raise ValidationError({"commune": msg.REFERENCE_UNKNOWN})
        commune, village = found, None
    child = registry.child_move(actor=context.user, child=child, commune=commune,
                                village=village, moved_on=moved_on)
    return child.public_id, None


def _concern_record(context: Context, payload: Mapping[str, Any]) -> Applied:
    village = context.villages[0] if context.villages else None
    child = None
    if payload.get("child"):
        child, _merged = _child(context, payload.get("child"))
        village = child.village
    if village is None:
        raise PermissionDenied(msg.NOT_A_COLLABORATOR)
    forms = payload.get("forms") or []
    if not isinstance(forms, list):
        raise ValidationError({"forms": msg.CHOICE_UNKNOWN})
    # The phone's time: the 12-hour clock starts when the concern was recorded.
    received_at = context.recorded_at
    notification = cases.notification_record(
        actor=context.user, commune=commune_of(village), channel=Channel.COLLABORATOR,
        received_at=received_at, place=str(payload.get("place") or ""),
        description=str(payload.get("description") or ""), forms=[str(f) for f in forms],
        child=child, child_description=_described(child, payload.get("child_description")),
        happened_on=_day(payload, "happened_on"), urgent=bool(payload.get("urgent")),
        reporter_name=context.user.full_name, reporter_relation=str(msg.REPORTER_RELATION))
    return notification.public_id, {"reference": str(notification.public_id)}


def _described(child: Child | None, typed: Any) -> str:
    """The child as the form describes it: what the collaborator typed, else the register's
    name and birth year of the child it chose (what the commune's list shows until a case is
    opened)."""
    text = str(typed or "").strip()
    if text or child is None:
        return text
    return f"{child.full_name} ({child.birth_date:%Y})"


APPLY: dict[str, Callable[[Context, Mapping[str, Any]], Applied]] = {
    OperationKind.HOUSEHOLD_CREATE: _household_create,
    OperationKind.CHILD_REGISTER: _child_register,
    OperationKind.CHILD_UPDATE: _child_update,
    OperationKind.CHILD_MOVE: _child_move,
    OperationKind.CONCERN_RECORD: _concern_record,
}
assert set(APPLY) == set(OperationKind.values)
assert set(WAITING) <= set(OperationStatus.values)

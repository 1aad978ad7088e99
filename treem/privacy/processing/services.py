"""Writes of the register of processing activities: the shipped defaults, and an
administrator's edit (versioned, audited with its reason)."""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from treem.accounts.capabilities import Capability
from treem.accounts.models import User
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.edits import conflicts
from treem.geo.models import Level, Unit
from treem.privacy import exceptions as exc
from treem.privacy.data.processing import ACTIVITIES
from treem.privacy.models import Basis, ProcessingActivity

TEXTS = ("purposes", "basis_articles", "retention")
OPTIONAL_TEXTS = ("basic_data", "sensitive_data", "transfers")


def defaults_load() -> int:
    """Give every current province the shipped activities its register lacks; an activity
    already there (maybe edited) is kept as it is. Returns how many were added."""
    provinces = list(Unit.objects.current().filter(level=Level.PROVINCE))
    have = set(ProcessingActivity.objects.values_list("unit_id", "record_kind"))
    new = [ProcessingActivity(unit=province, unit_path=province.path, **values)
           for province in provinces for values in ACTIVITIES
           if (province.pk, values["record_kind"]) not in have]
    ProcessingActivity.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _clean(values: dict[str, object]) -> dict[str, object]:
    errors: dict[str, list[object]] = {}
    cleaned: dict[str, object] = {}
    for name in (*TEXTS, *OPTIONAL_TEXTS):
        text: str = str(values.get(name) or "").strip()
        if name in TEXTS and not text:
            errors.setdefault(name, []).append(exc.TEXT_REQUIRED)
        cleaned[name] = text
    basis = values.get("basis")
    if basis not in Basis.values:
        errors.setdefault("basis", []).append(exc.TEXT_REQUIRED)
    cleaned["basis"] = basis
    names = values.get("capabilities")
    capabilities: Sequence[object] = names if isinstance(names, (list, tuple)) else []
    known = set(Capability)
    for capability in capabilities:
        if capability not in known:
            errors.setdefault("capabilities", []).append(
                ValidationError(exc.CAPABILITY_UNKNOWN, params={"name": capability}))
    if not capabilities:
        errors.setdefault("capabilities", []).append(exc.CAPABILITIES_REQUIRED)
    # In the map's order, once each: the register reads the same whatever order was sent.
    cleaned["capabilities"] = [str(c) for c in Capability if c in set(capabilities)]
    if errors:
        raise ValidationError(errors)
    return cleaned


def activity_update(*, actor: User, activity: ProcessingActivity, base_version: int | None,
                    reason: str, **values: object) -> ProcessingActivity:
    """Change what the register says of one kind of record. A change saved since the editor
    read the activity is refused (`EditConflict`); nothing is written on a bad value."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": exc.REASON_REQUIRED})
    cleaned = _clean(values)
    if not actor.in_scope(activity.unit_path, capability=Capability.MANAGE_PROCESSING_REGISTER):
        raise PermissionDenied(exc.PROVINCE_OUT_OF_SCOPE)
    with transaction.atomic():
        activity = conflicts.locked(activity)
        conflicts.check(activity, version=activity.version, base_version=base_version,
                        changes=cleaned)
        changed = [name for name, value in cleaned.items()
                   if not conflicts.same(getattr(activity, name), value)]
        if not changed:
            return activity
        for name in changed:
            setattr(activity, name, cleaned[name])
        activity.updated_by = actor
        conflicts.save_new_version(activity, [*changed, "updated_by", "updated_at"])
        event_record(actor=actor, action=Action.UPDATE, obj=activity, unit=activity.unit,
                     fields=changed, reason=reason)
    return activity

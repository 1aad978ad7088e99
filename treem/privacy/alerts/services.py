"""Every write of alerts and breaches: one transaction each, audited in it, refusing bad input
with a Vietnamese message before anything is saved. Alerts themselves are made by the detection
(`detection.detect`); here auditors decide on them. Breaches are created and corrected, never
deleted."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from treem.accounts.models import User
from treem.accounts.permissions import Capability
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.geo.models import Unit
from treem.privacy.alerts import exceptions as exc
from treem.privacy.models import AccessAlert, AlertStatus, Breach, DataCategory
from treem.privacy.models.alerts import ALLOWED

NOTE_MAX = 2000
TEXT_MAX = 10_000
COUNT_MAX = 100_000_000
# The fields a breach's author fills in (the rest is the software's).
BREACH_FIELDS = ("title", "description", "happened_at", "found_at", "children_affected",
                 "others_affected", "categories", "measures", "consequences",
                 "authority_notified_at", "authority_reference", "subjects_notified_at",
                 "subjects_notice", "contact")


def alert_decide(*, actor: User, alert: AccessAlert, status: str, note: str) -> AccessAlert:
    """Acknowledge or dismiss an alert, with the auditor's note."""
    if not actor.in_scope(alert.unit_path, capability=Capability.VIEW_ACCESS_ALERTS):
        raise PermissionDenied(exc.OUT_OF_SCOPE)
    note = (note or "").strip()
    with transaction.atomic():
        alert = AccessAlert.objects.select_for_update().get(pk=alert.pk)
        if status not in ALLOWED[alert.status]:
            raise ValidationError({"status": ValidationError(
                exc.TRANSITION_REFUSED, params={
                    "status": AlertStatus(alert.status).label,
                    "target": AlertStatus(status).label if status in AlertStatus.values
                    else status})})
        if not note or len(note) > NOTE_MAX:
            raise ValidationError({"note": exc.NOTE_REQUIRED})
        alert.status, alert.note = status, note
        alert.decided_by, alert.decided_at = actor, timezone.now()
        alert.save(update_fields=["status", "note", "decided_by", "decided_at"])
        event_record(actor=actor, action=Action.UPDATE, obj=alert, unit=alert.unit,
                     fields=["status", "note"], reason=status)
    return alert


def _clean_breach(values: dict[str, Any], *, now: datetime.datetime) -> dict[str, Any]:
    """The breach's fields checked together; every problem at its field."""
    errors: dict[str, Any] = {}
    data = dict(values)
    for field in ("title", "description", "measures", "consequences", "authority_reference",
                  "subjects_notice", "contact"):
        data[field] = (data.get(field) or "").strip()
    if not data["title"] or len(data["title"]) > 200:
        errors["title"] = exc.TITLE_REQUIRED
    if not data["description"]:
        errors["description"] = exc.DESCRIPTION_REQUIRED
    for field, limit in (("authority_reference", 100), ("contact", 200), ("description", TEXT_MAX),
                         ("measures", TEXT_MAX), ("consequences", TEXT_MAX),
                         ("subjects_notice", TEXT_MAX)):
        if len(data[field]) > limit:
            errors[field] = ValidationError(exc.TEXT_TOO_LONG, params={"limit": limit})
    for field in ("children_affected", "others_affected"):
        count = data.get(field) or 0
        if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= COUNT_MAX:
            errors[field] = exc.COUNT_INVALID
        data[field] = count
    categories = list(data.get("categories") or [])
    if any(c not in DataCategory.values for c in categories):
        errors["categories"] = exc.CATEGORY_UNKNOWN
    data["categories"] = [c for c in DataCategory.values if c in categories]
    happened, found = data.get("happened_at"), data.get("found_at")
    if found is None:
        errors["found_at"] = exc.FOUND_REQUIRED
    for field in ("happened_at", "found_at", "authority_notified_at", "subjects_notified_at"):
        if data.get(field) is not None and data[field] > now:
            errors.setdefault(field, exc.IN_FUTURE)
    if happened is not None and found is not None and found < happened:
        errors.setdefault("found_at", exc.FOUND_BEFORE_HAPPENED)
    for field in ("authority_notified_at", "subjects_notified_at"):
        if found is not None and data.get(field) is not None and data[field] < found:
            errors.setdefault(field, exc.NOTIFIED_BEFORE_FOUND)
    if errors:
        raise ValidationError(errors)
    return data


def breach_record(*, actor: User, unit: Unit, **values: Any) -> Breach:
    """Record a breach of the actor's `unit` (its province, usually)."""
    if not actor.in_scope(unit.path, capability=Capability.RECORD_BREACHES):
        raise PermissionDenied(exc.OUT_OF_SCOPE)
    now = timezone.now()
    data = _clean_breach({field: values.get(field) for field in BREACH_FIELDS}, now=now)
    with transaction.atomic():
        breach = Breach.objects.create(unit=unit, unit_path=unit.path, created_by=actor,
                                       created_at=now, updated_at=now, **data)
        event_record(actor=actor, action=Action.CREATE, obj=breach, unit=unit,
                     fields=[f for f in BREACH_FIELDS if data[f] not in (None, "", [], 0)])
    return breach


def breach_update(*, actor: User, breach: Breach, **changes: Any) -> Breach:
    """Correct or complete a breach (its notification above all); audited with the fields
    changed. The record is never deleted."""
    if not actor.in_scope(breach.unit_path, capability=Capability.RECORD_BREACHES):
        raise PermissionDenied(exc.OUT_OF_SCOPE)
    unknown = set(changes) - set(BREACH_FIELDS)
    if unknown:
        raise TypeError(f"not fields of a breach: {sorted(unknown)}")
    current = {field: getattr(breach, field) for field in BREACH_FIELDS}
    data = _clean_breach({**current, **changes}, now=timezone.now())
    changed = [field for field in BREACH_FIELDS if data[field] != current[field]]
    if not changed:
        return breach
    with transaction.atomic():
        for field in changed:
            setattr(breach, field, data[field])
        breach.updated_at = timezone.now()
        breach.save(update_fields=[*changed, "updated_at"])
        event_record(actor=actor, action=Action.UPDATE, obj=breach, unit=breach.unit,
                     fields=changed)
    return breach

"""Merging a duplicate record into the record kept, and undoing it.

A merge moves every row that points at the duplicate (caregivers, circumstances, risks,
support, and whatever later apps attach to a child: cases, fund beneficiaries…) to the record
kept, fills the kept record's empty fields from the duplicate, and marks the duplicate
`merged_into` the kept one. The duplicate's residences stay with it: they are where that
record was kept, and the commune that kept it still sees its period. The merge remembers every
row it moved and every field it filled, so that an administrator can undo exactly that.

Past statuses (`ChildStatusPast`) belong to the record like its residences, with one
exception. A status the kept record takes from the duplicate (its own was empty: not known)
is the duplicate's knowledge of the child, so the duplicate's past values of that field come
with it, unless the kept record has past values of its own for the field (two histories of
one field would overlap; the kept one's stays). Filling an empty status closes no past value:
the empty value was missing information, not a status the child had.
"""

from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from treem.accounts.models import User
from treem.accounts.permissions import Capability
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.edits.conflicts import save_new_version
from treem.registry import choices, history_province
from treem.registry import exceptions as exc
from treem.registry.models import (
    Child,
    ChildMerge,
    ChildResidence,
    ChildStatusPast,
    DuplicatePair,
)
from treem.registry.statuses import TRACKED

# Rows that belong to the record itself, not to the child it describes (past statuses:
# moved apart, see above).
NOT_MOVED = (ChildResidence, DuplicatePair, ChildMerge, ChildStatusPast)
STATUS_PAST_KEY = "registry.childstatuspast.child"

# Fields the kept record takes from the duplicate when it has no value of its own, in groups
# that go together (a disability type with its degree, a death date with its cause).
FILLED_TOGETHER = (
    ("personal_id",), ("household",), ("birth_registered",), ("health_insurance",),
    ("disability_type", "disability_degree"), ("vaccination_status",), ("nutrition_status",),
    ("death_date", "death_cause"),
)
ROUGHNESS: dict[str, int] = {choices.DatePrecision.DAY: 0, choices.DatePrecision.MONTH: 1,
                             choices.DatePrecision.YEAR: 2}


def _field(name: str) -> models.Field:
    return Child._meta.get_field(name)  # type: ignore[return-value]


def _value(child: Child, name: str) -> Any:
    return getattr(child, _field(name).attname)


def _as_text(child: Child, name: str) -> str | None:
    value = _value(child, name)
    return None if value is None else _field(name).value_to_string(child)


def _set_from_text(child: Child, name: str, text: str | None) -> None:
    field = _field(name)
    setattr(child, field.attname, None if text is None else field.to_python(text))


def _references() -> list[tuple[type[models.Model], str]]:
    """(model, foreign key) of every row that points at a child, records merged into it
    earlier included (they then point at the record kept)."""
    found = []
    for relation in Child._meta.related_objects:
        model = relation.related_model
        if (isinstance(model, type) and not issubclass(model, NOT_MOVED)
                and (relation.one_to_many or relation.one_to_one)):
            found.append((model, relation.field.name))
    return found


def _check_merge_scope(actor: User, *children: Child) -> None:
    for child in children:
        if not actor.in_scope(child.unit_path, capability=Capability.MERGE_CHILDREN):
            raise PermissionDenied(exc.MERGE_OUT_OF_SCOPE)


def _audit_both(actor: User, kept: Child, merged: Child, kept_fields: list[str],
                reason: str) -> None:
    """Both records' trails show the merge (or its undoing), each in its own commune."""
    event_record(actor=actor, action=Action.UPDATE, obj=kept, unit=kept.commune,
                 fields=kept_fields, reason=reason)
    event_record(actor=actor, action=Action.UPDATE, obj=merged, unit=merged.commune,
                 fields=["merged_into"], reason=reason)


@transaction.atomic
def child_merge(*, actor: User, kept: Child, merged: Child, reason: str,
                pair: DuplicatePair | None = None) -> ChildMerge:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": exc.MERGE_REASON_REQUIRED})
    if kept.pk == merged.pk:
        raise ValidationError(exc.MERGE_SAME_RECORD)
    locked = {c.pk: c for c in Child.objects.select_for_update().filter(pk__in=[kept.pk,
                                                                                 merged.pk])}
    kept, merged = locked[kept.pk], locked[merged.pk]
    _check_merge_scope(actor, kept, merged)
    if kept.merged_into_id or merged.merged_into_id:
        raise ValidationError(exc.PAIR_CHILD_MERGED)

    moved: dict[str, list[int]] = {}
    for model, fk in _references():
        rows = model._default_manager.filter(**{fk: merged})
        ids = list(rows.values_list("pk", flat=True))
        if ids:
            rows.update(**{fk: kept})
            moved[f"{model._meta.label_lower}.{fk}"] = ids

    filled: dict[str, list[str | None]] = {}
    groups: list[tuple[str, ...]] = list(FILLED_TOGETHER)
    if ROUGHNESS.get(kept.birth_date_precision, 0) > ROUGHNESS.get(merged.birth_date_precision, 0):
        groups.append(("birth_date", "birth_date_precision"))  # the duplicate knows the day
    for group in groups:
        rougher = group[0] == "birth_date"
        if rougher or (not any(_value(kept, n) for n in group)
                       and any(_value(merged, n) for n in group)):
            for name in group:
                filled[name] = [_as_text(kept, name), _as_text(merged, name)]
                setattr(kept, _field(name).attname, _value(merged, name))
    taken = [name for name in filled if name in TRACKED]
    if taken:
        own = set(ChildStatusPast.objects.filter(child=kept, field__in=taken)
                  .values_list("field", flat=True))
        rows = ChildStatusPast.objects.filter(
            child=merged, field__in=[name for name in taken if name not in own])
        ids = list(rows.values_list("pk", flat=True))
        if ids:
            rows.update(child=kept)
            moved[STATUS_PAST_KEY] = ids
    if "personal_id" in filled:  # unique: the duplicate gives its number up first
        merged.personal_id = None
        save_new_version(merged, ["personal_id", "updated_at"])
    if filled:
        save_new_version(kept, [_field(n).name for n in filled] + ["updated_at"])
    merged.merged_into = kept
    save_new_version(merged, ["merged_into", "updated_at"])

    if pair is None:
        low, high = sorted((kept.pk, merged.pk))
        pair = DuplicatePair.objects.filter(child_a_id=low, child_b_id=high).first()
    now = timezone.now()
    if pair is not None:
        pair.status, pair.decided_at, pair.decided_by = DuplicatePair.Status.MERGED, now, actor
        pair.save(update_fields=["status", "decided_at", "decided_by"])
    history_province.follow_children([kept.pk])
    merge = ChildMerge.objects.create(kept=kept, merged=merged, pair=pair,
                                      unit_path=kept.unit_path,
                                      province_code=kept.province_code, moved=moved,
                                      filled=filled, reason=reason, merged_at=now,
                                      merged_by=actor)
    _audit_both(actor, kept, merged, ["merge", *filled], reason)
    return merge


@transaction.atomic
def merge_undo(*, actor: User, merge: ChildMerge, reason: str) -> ChildMerge:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": exc.UNDO_REASON_REQUIRED})
    merge = ChildMerge.objects.select_for_update().get(pk=merge.pk)
    if not actor.in_scope(merge.unit_path, capability=Capability.UNMERGE_CHILDREN):
        raise PermissionDenied(exc.MERGE_OUT_OF_SCOPE)
    if merge.undone_at is not None:
        raise ValidationError(exc.MERGE_ALREADY_UNDONE)
    locked = {c.pk: c for c in Child.objects.select_for_update()
              .filter(pk__in=[merge.kept_id, merge.merged_id])}
    kept, merged = locked[merge.kept_id], locked[merge.merged_id]
    if kept.merged_into_id is not None:
        raise ValidationError(exc.MERGE_KEPT_MERGED_LATER)

    for key, ids in merge.moved.items():
        label, fk = key.rsplit(".", 1)
        model = apps.get_model(label)
        model._default_manager.filter(pk__in=ids, **{fk: kept}).update(**{fk: merged})
    history_province.follow_children([merged.pk])

    restored = []
    for name, (before, taken) in merge.filled.items():
        if _as_text(kept, name) == taken:  # not changed by anyone since the merge
            _set_from_text(kept, name, before)
            restored.append(name)
    if restored:
        save_new_version(kept, [*restored, "updated_at"])
    merged.merged_into = None
    fields = ["merged_into", "updated_at"]
    if "personal_id" in merge.filled and merged.personal_id is None \
            and "personal_id" in restored:
        _set_from_text(merged, "personal_id", merge.filled["personal_id"][1])
        fields.append("personal_id")
    save_new_version(merged, fields)

    if merge.pair_id is not None:
        DuplicatePair.objects.filter(pk=merge.pair_id).update(
            status=DuplicatePair.Status.OPEN, decided_at=None, decided_by=None)
    merge.undone_at, merge.undone_by, merge.undo_reason = timezone.now(), actor, reason
    merge.save(update_fields=["undone_at", "undone_by", "undo_reason"])
    _audit_both(actor, kept, merged, ["unmerge", *restored], reason)
    return merge


@transaction.atomic
def pair_dismiss(*, actor: User, pair: DuplicatePair, note: str = "") -> DuplicatePair:
    """Two different children: the pair is kept so that no later search proposes it again."""
    pair = DuplicatePair.objects.select_for_update().select_related("child_a", "child_b") \
        .get(pk=pair.pk)
    _check_merge_scope(actor, pair.child_a, pair.child_b)
    if pair.status != DuplicatePair.Status.OPEN:
        raise ValidationError(exc.PAIR_ALREADY_DECIDED)
    pair.status, pair.decided_at, pair.decided_by = (DuplicatePair.Status.DISTINCT,
                                                     timezone.now(), actor)
    pair.note = (note or "").strip()[:300]
    pair.save(update_fields=["status", "decided_at", "decided_by", "note"])
    event_record(actor=actor, action=Action.UPDATE, obj=pair.child_a, unit=pair.child_a.commune,
                 fields=["not_duplicate"], reason=pair.note)
    return pair

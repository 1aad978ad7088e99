"""Writes to the unit tree. Official units come from the loader; villages from communes."""

import uuid
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from treem.accounts.models import User
from treem.accounts.permissions import Capability
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.edits import conflicts
from treem.geo.models import Level, Unit
from treem.geo.paths import child_path
from treem.lib.text import fold, normalize
from treem.units import exceptions as exc

VILLAGE_KINDS = ("Thôn", "Bản", "Tổ dân phố", "Ấp", "Khu phố", "Xóm", "Buôn", "Làng", "Sóc",
                 "Khóm", "Tổ", "Khu")


def _clean_village_name(*, commune: Unit, name: str, kind: str,
                        exclude: Unit | None = None) -> str:
    name = normalize(name)
    if not name:
        raise ValidationError({"name": exc.VILLAGE_NAME_REQUIRED})
    if kind not in VILLAGE_KINDS:
        raise ValidationError({"kind": exc.VILLAGE_KIND_INVALID})
    siblings = Unit.objects.filter(parent=commune, level=Level.VILLAGE, name_folded=fold(name))
    if exclude is not None:
        siblings = siblings.exclude(pk=exclude.pk)
    if siblings.exists():
        raise ValidationError({"name": exc.VILLAGE_NAME_TAKEN})
    return name


def _require_commune_manager(actor: User, commune: Unit) -> None:
    if commune.level != Level.COMMUNE or not commune.is_current:
        raise ValidationError(exc.VILLAGE_PARENT_NOT_COMMUNE)
    if not actor.in_scope(commune.path, capability=Capability.MANAGE_VILLAGES):
        raise PermissionDenied(exc.VILLAGE_OUT_OF_SCOPE)


def _next_village_number(commune: Unit) -> int:
    codes = Unit.objects.filter(parent=commune, level=Level.VILLAGE).values_list("code", flat=True)
    numbers = [int(code.rsplit("-", 1)[1]) for code in codes if code.rsplit("-", 1)[-1].isdigit()]
    return max(numbers, default=0) + 1


def village_create(*, actor: User, commune: Unit, name: str, kind: str) -> Unit:
    _require_commune_manager(actor, commune)
    with transaction.atomic():
        # Lock the commune row so that two officers adding villages at once are serialised:
        # the name check and the numbering below then see each other's villages.
        Unit.objects.select_for_update().filter(pk=commune.pk).first()
        name = _clean_village_name(commune=commune, name=name, kind=kind)
        number = _next_village_number(commune)
        village = Unit.objects.create(
            level=Level.VILLAGE, code=f"{commune.code}-{number:03d}", name=name, kind=kind,
            name_folded=fold(name), parent=commune,
            # A unique placeholder until the id, and so the path, is known.
            path=f"~{uuid.uuid4().hex}", province_code=commune.province_code,
            valid_from=None,
        )
        village.path = child_path(commune.path, village.pk)
        village.save(update_fields=["path"])
        event_record(actor=actor, action=Action.CREATE, obj=village, unit=village,
                     fields=["name", "kind"])
    return village


def village_rename(*, actor: User, village: Unit, name: str | None = None,
                   kind: str | None = None, base: Mapping[str, Any] | None = None) -> Unit:
    """Rename a village or change its kind (a field not given stays as saved).

    `base` holds the values the edit read (the page sends them back): a field someone else
    changed since is refused (`EditConflict`, nothing written) with both values; a rename and
    a change of kind merge (`treem.edits.conflicts.check_read`). A unit has no version column:
    the table is the official tree, loaded and replaced in bulk by the loader, and a village's
    two fields are compared as cheaply as a version. Without `base`, no check (a system's own
    write)."""
    if village.level != Level.VILLAGE or village.parent is None:
        raise ValidationError(exc.NOT_A_VILLAGE)
    commune = village.parent
    _require_commune_manager(actor, commune)
    with transaction.atomic():
        # The commune first, as `village_create`: the name check sees the commune's villages
        # as committed. Then the village itself, what the edit is compared with.
        Unit.objects.select_for_update().filter(pk=village.parent_id).first()
        village = conflicts.locked(village)
        changes: dict[str, Any] = {}
        if name is not None:
            changes["name"] = normalize(name)
        if kind is not None:
            changes["kind"] = kind
        if base is not None:
            conflicts.check_read(village, changes=changes, base=base)
        new = {"name": village.name, "kind": village.kind} | changes
        cleaned = _clean_village_name(commune=commune, name=new["name"],
                                      kind=new["kind"], exclude=village)
        changed = [f for f, v in (("name", cleaned), ("kind", new["kind"]))
                   if getattr(village, f) != v]
        if not changed:
            return village
        village.name, village.kind, village.name_folded = cleaned, new["kind"], fold(cleaned)
        village.save(update_fields=["name", "kind", "name_folded"])
        event_record(actor=actor, action=Action.UPDATE, obj=village, unit=village, fields=changed)
    return village

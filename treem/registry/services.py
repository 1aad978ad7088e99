"""Every write to the child register: one transaction each, validated first, audited."""

import datetime
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from treem.accounts.models import User
from treem.accounts.permissions import Capability
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.edits import conflicts
from treem.geo.models import Level, Unit
from treem.lib import personal_id as pid
from treem.lib.text import fold, normalize, word_prefixes
from treem.registry import choices, history_province, selectors
from treem.registry import exceptions as exc
from treem.registry.models import (
    Caregiver,
    Child,
    ChildCircumstance,
    ChildResidence,
    ChildRisk,
    ChildSupport,
    CircumstanceGroup,
    EffectiveDated,
    Ethnicity,
    Household,
    years_before,
)
from treem.registry.statuses import TRACKED, StatusChange, close_changed_statuses

REGISTER_AGE_LIMIT = 18  # minors 16–17 stay on record where plans count them (child labour)

# Fields of a child that `child_update` changes; residence goes through `child_move`.
EDITABLE_FIELDS = (
    "full_name", "sex", "birth_date", "birth_date_precision", "ethnicity", "nationality",
    "personal_id", "birth_registered", "residence_type", "household", "living_arrangement",
    "school_level", "school_status", "disability_type", "disability_degree",
    "health_insurance", "vaccination_status", "nutrition_status", "death_date", "death_cause",
)
# Fields that `_clean_child` checks against one another.
CROSS_CHECKED = ("sex", "birth_date", "personal_id", "disability_type", "disability_degree",
                 "death_date", "death_cause")
# Columns `_clean_child` derives from the full name: saved with it, never reported as changed.
DERIVED = ("name_folded", "name_prefixes")
NAME_MAX = Child._meta.get_field("full_name").max_length or 150


def _today() -> datetime.date:
    return timezone.localdate()


def _place(commune: Unit, village: Unit | None) -> Unit:
    return village or commune


def _require_place(actor: User, commune: Unit, village: Unit | None) -> None:
    if commune.level != Level.COMMUNE or not commune.is_current:
        raise ValidationError({"commune": exc.COMMUNE_NOT_CURRENT})
    if village is not None and village.parent_id != commune.pk:
        raise ValidationError({"village": exc.VILLAGE_NOT_IN_COMMUNE})
    # A village collaborator is assigned to a village: it records children of that village
    # only, so the check is on the village when one is given, else on the commune.
    if not actor.in_scope(_place(commune, village).path,
                    capability=Capability.MANAGE_CHILDREN):
        raise PermissionDenied(exc.UNIT_OUT_OF_SCOPE)


def require_manageable(actor: User, child: Child) -> None:
    if child.merged_into_id is not None:
        raise ValidationError(exc.CHILD_MERGED)
    if not actor.in_scope(child.unit_path, capability=Capability.MANAGE_CHILDREN):
        raise PermissionDenied(exc.UNIT_OUT_OF_SCOPE)


def _name_keys(full_name: str) -> tuple[str, str]:
    """The search columns of a (normalised) full name: folded, and its word prefixes."""
    folded = fold(full_name)
    return folded, word_prefixes(folded)


def _clean_child(values: Mapping[str, Any], *, exclude_pk: int | None = None,
                 changed: Collection[str] | None = None,
                 check_taken: bool = True,
                 today: datetime.date | None = None,
                 name_keys: Callable[[str], tuple[str, str]] = _name_keys) -> dict[str, Any]:
    """Normalise and check the fields of a child; raise a ValidationError naming each field.

    `changed` (an update) limits the checks to those reading a changed field: a record that
    predates a rule (an imported personal id, a young person who has since turned 18) stays
    editable in its other fields, while a change is checked against the whole record.
    `check_taken=False` skips the one check that reads the database (a personal id already on
    record): the Excel import makes it for a thousand rows in one query, and passes `today`
    once instead of reading the clock for each of its rows, and its own `name_keys` (the same
    results as `_name_keys`, kept for the names a list repeats).
    """

    def touches(*names: str) -> bool:
        return changed is None or any(name in changed for name in names)

    data = dict(values)
    errors: dict[str, Any] = {}
    today = today or _today()
    if "full_name" in data:
        name = data["full_name"] or ""
        # Checked before the name is normalised and folded, which take time and memory in
        # proportion to its length: a name of a megabyte is refused at once. A name typed
        # decomposed (NFD) takes up to three code points a letter until it is composed.
        if len(name) > 3 * NAME_MAX:
            errors["full_name"] = exc.NAME_TOO_LONG
        else:
            data["full_name"] = name = normalize(name)
            if not name:
                errors["full_name"] = exc.NAME_REQUIRED
            elif len(name) > NAME_MAX:
                errors["full_name"] = exc.NAME_TOO_LONG
    birth_date = data.get("birth_date")
    if birth_date is not None and touches("birth_date"):
        if birth_date > today:
            errors["birth_date"] = exc.BIRTH_DATE_FUTURE
        elif birth_date <= years_before(today, REGISTER_AGE_LIMIT):
            errors["birth_date"] = exc.TOO_OLD
    number = (data.get("personal_id") or "").strip() or None
    data["personal_id"] = number
    if number is not None and touches("personal_id", "sex", "birth_date"):
        try:
            parsed = pid.parse(number)
        except pid.InvalidPersonalId:
            errors["personal_id"] = exc.PERSONAL_ID_FORMAT
        else:
            if birth_date is not None and (
                    parsed.birth_year != birth_date.year
                    or parsed.female != (data.get("sex") == choices.Sex.FEMALE)):
                errors["personal_id"] = exc.PERSONAL_ID_MISMATCH
            elif check_taken and Child.objects.filter(personal_id=number).exclude(
                    pk=exclude_pk).exists():
                errors["personal_id"] = exc.PERSONAL_ID_TAKEN
    if touches("disability_type", "disability_degree"):
        if data.get("disability_degree") and not data.get("disability_type"):
            errors["disability_degree"] = exc.DEGREE_WITHOUT_TYPE
        if data.get("disability_type") and not data.get("disability_degree"):
            errors["disability_degree"] = exc.TYPE_WITHOUT_DEGREE
    death_date = data.get("death_date")
    if touches("death_date", "death_cause", "birth_date"):
        if death_date is not None:
            if birth_date is not None and death_date < birth_date:
                errors["death_date"] = exc.DEATH_BEFORE_BIRTH
            elif death_date > today:
                errors["death_date"] = exc.DEATH_IN_FUTURE
        elif data.get("death_cause"):
            errors["death_date"] = exc.CAUSE_WITHOUT_DATE
    if errors:
        raise ValidationError(errors)
    if "full_name" in data:
        data["name_folded"], data["name_prefixes"] = name_keys(data["full_name"])
    return data


def child_register(
    *,
    actor: User,
    commune: Unit,
    village: Unit | None = None,
    resident_since: datetime.date | None = None,
    caregivers: Iterable[Mapping[str, Any]] = (),
    **fields: Any,
) -> Child:
    """Put a child on the register of `commune` (and `village`)."""
    _require_place(actor, commune, village)
    data = _clean_child(fields)
    if resident_since is not None:
        if resident_since < data["birth_date"]:
            raise ValidationError({"resident_since": exc.DATE_BEFORE_BIRTH})
        if resident_since > _today():
            raise ValidationError({"resident_since": exc.DATE_IN_FUTURE})
    household = data.get("household")
    if household is not None and household.commune_id != commune.pk:
        raise ValidationError({"household": exc.HOUSEHOLD_NOT_IN_COMMUNE})
    place = _place(commune, village)
    child = Child(commune=commune, village=village, unit_path=place.path,
                  province_code=commune.province_code, created_by=actor, **data)
    child.full_clean(exclude=["ethnicity", "created_by", "household", "commune", "village"])
    with transaction.atomic():
        child.save()
        ChildResidence.objects.create(
            child=child, commune=commune, village=village, unit_path=place.path,
            residence_type=child.residence_type, province_code=child.province_code,
            child_province_code=child.province_code,
            start_date=resident_since or child.birth_date, created_by=actor,
        )
        for caregiver in caregivers:
            _caregiver_create(child, caregiver)
        event_record(actor=actor, action=Action.CREATE, obj=child, unit=place,
                     fields=sorted(set(data) | {"commune", "village"}))
    return child


def _lock_child(child: Child) -> Child:
    """The child's row, read again under its lock (what an edit is compared with)."""
    return conflicts.locked(child)


def _normalized(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The values as `_clean_child` stores them, so that a name typed with a stray space is
    compared with the saved one as the same."""
    data = dict(fields)
    if isinstance(data.get("full_name"), str):
        data["full_name"] = normalize(data["full_name"])
    if "personal_id" in data:
        data["personal_id"] = (data["personal_id"] or "").strip() or None
    return data


def child_update(*, actor: User, child: Child, base_version: int | None = None,
                 base: Mapping[str, Any] | None = None, changed_on: datetime.date | None = None,
                 source: str = choices.HistorySource.MANUAL, **fields: Any) -> Child:
    """Change fields of a child, as an edit read at `base_version` with the values `base`
    (`treem.edits.conflicts`): a field someone else changed since is refused (`EditConflict`,
    nothing written), others merge. Without `base_version`, no check (a system's own write).

    A status whose past is kept (`statuses.TRACKED`) that changes closes its old value (the
    one saved, read under the row's lock) on the day before `changed_on` (the day the new
    value took effect; today when not given), recorded as coming from `source` (a
    `HistorySource`: the population database's answers say so). Returns the record as saved."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable here: {sorted(unknown)}")
    require_manageable(actor, child)
    today = _today()
    if changed_on is not None:
        if changed_on > today:
            raise ValidationError({"changed_on": exc.STATUS_CHANGE_FUTURE})
        if changed_on < child.birth_date:
            raise ValidationError({"changed_on": exc.STATUS_CHANGE_BEFORE_BIRTH})
    fields = _normalized(fields)
    with transaction.atomic():
        child = _lock_child(child)
        require_manageable(actor, child)  # merged into another record meanwhile
        conflicts.check(child, version=child.version, base_version=base_version,
                          changes=fields, base=base)
        # The checks between fields read the record as it will be, not only the fields sent.
        merged = {name: getattr(child, name) for name in CROSS_CHECKED} | fields
        data = _clean_child(merged, exclude_pk=child.pk,
                            changed={name for name, value in fields.items()
                                     if getattr(child, name) != value})
        data = {name: value for name, value in data.items()
                if name in fields or name in DERIVED}
        _check_plain_columns(Child, child, data)
        household = data.get("household")
        if household is not None and household.commune_id != child.commune_id:
            raise ValidationError({"household": exc.HOUSEHOLD_NOT_IN_COMMUNE})
        changed = [name for name, value in data.items()
                   if name not in DERIVED and not conflicts.same(getattr(child, name), value)]
        if not changed:
            return child
        data = {name: value for name, value in data.items()
                if name in changed or (name in DERIVED and "full_name" in changed)}
        status_change = StatusChange(
            child_id=child.pk, province_code=child.province_code,
            created_on=timezone.localdate(child.created_at),
            before={name: getattr(child, name) for name in changed if name in TRACKED},
            after={name: data[name] for name in changed if name in TRACKED})
        close_changed_statuses([status_change], on=changed_on or today, actor=actor,
                               source=source)
        for name, value in data.items():
            setattr(child, name, value)
        conflicts.save_new_version(child, [*data, "updated_at"])
        if "residence_type" in changed:
            # The open residence row says the same as the record.
            ChildResidence.objects.filter(child=child, end_date__isnull=True).update(
                residence_type=child.residence_type)
        event_record(actor=actor, action=Action.UPDATE, obj=child, unit=_child_unit(child),
                     fields=changed)
    return child


def _check_plain_columns(model: type[models.Model], obj: models.Model,
                         fields: Mapping[str, Any]) -> None:
    """What a creation gets from `full_clean` (closed lists, lengths, no null), for the fields
    an update changes."""
    errors: dict[str, Any] = {}
    for name, value in fields.items():
        field = model._meta.get_field(name)
        if not isinstance(field, models.Field) or field.is_relation:
            continue
        try:
            field.clean(value, obj)
        except ValidationError as error:
            errors[name] = error.error_list
    if errors:
        raise ValidationError(errors)


def _child_unit(child: Child) -> Unit:
    return child.village or child.commune


def child_move(*, actor: User, child: Child, commune: Unit, village: Unit | None = None,
               moved_on: datetime.date,
               residence_type: str = choices.ResidenceType.PERMANENT) -> Child:
    """The child now lives in `commune` (and `village`) from `moved_on`.

    Recorded by the commune (or village) that holds the record: letting the receiving side
    pull any child of the country into its commune would hand it every record it asked for.
    A commune that receives a child it cannot see registers it, and the province's
    deduplication joins the two records.
    """
    require_manageable(actor, child)
    if commune.level != Level.COMMUNE or not commune.is_current:
        raise ValidationError({"commune": exc.COMMUNE_NOT_CURRENT})
    elif village is not None and village.parent_id != commune.pk:
        raise ValidationError({"village": exc.VILLAGE_NOT_IN_COMMUNE})
    if child.commune_id == commune.pk and child.village_id == (village.pk if village else None):
        raise ValidationError(exc.MOVE_SAME_PLACE)
    if moved_on > _today():
        raise ValidationError({"moved_on": exc.DATE_IN_FUTURE})
    place = _place(commune, village)
    with transaction.atomic():
        # What the move keeps of the record (its household) is what is saved now, not what
        # the page read: a change saved meanwhile stays.
        child = _lock_child(child)
        require_manageable(actor, child)
        current = ChildResidence.objects.select_for_update().get(child=child,
                                                                 end_date__isnull=True)
        if moved_on <= current.start_date:
            raise ValidationError({"moved_on": exc.MOVE_BEFORE_RESIDENCE})
        current.end_date = moved_on - datetime.timedelta(days=1)
        current.save(update_fields=["end_date"])
        ChildResidence.objects.create(
            child=child, commune=commune, village=village, unit_path=place.path,
            residence_type=residence_type, province_code=commune.province_code,
            child_province_code=commune.province_code, start_date=moved_on, created_by=actor,
        )
        old_place = _child_unit(child)
        child.commune, child.village, child.unit_path = commune, village, place.path
        child.province_code, child.residence_type = commune.province_code, residence_type
        if child.household_id and child.household.commune_id != commune.pk:  # type: ignore[union-attr]
            child.household = None
        conflicts.save_new_version(child, ["commune", "village", "unit_path", "province_code",
                                             "residence_type", "household", "updated_at"])
        history_province.follow_children([child.pk])
        fields = ["commune", "village", "residence_type"]
        event_record(actor=actor, action=Action.UPDATE, obj=child, unit=old_place, fields=fields,
                     reason="move_out")
        event_record(actor=actor, action=Action.UPDATE, obj=child, unit=place, fields=fields,
                     reason="move_in")
    return child


# --- Effective-dated history --------------------------------------------------------------------

def _check_period(child: Child, start_date: datetime.date,
                  end_date: datetime.date | None) -> None:
    if start_date > _today():
        raise ValidationError({"start_date": exc.DATE_IN_FUTURE})
    if start_date < child.birth_date:
        raise ValidationError({"start_date": exc.DATE_BEFORE_BIRTH})
    if end_date is not None and end_date < start_date:
        raise ValidationError({"end_date": exc.END_BEFORE_START})


def _add_history(model: type[EffectiveDated], *, actor: User, child: Child,
                 start_date: datetime.date, end_date: datetime.date | None, note: str,
                 source: str, overlap_filter: Mapping[str, Any] | None,
                 seen: Q | None = None, **fields: Any) -> EffectiveDated:
    require_manageable(actor, child)
    _check_period(child, start_date, end_date)
    with transaction.atomic():
        if overlap_filter is not None:
            # Only the rows themselves are locked: `seen` may join the group's tables outside
            # (an outer join), whose nullable side PostgreSQL refuses to lock.
            rows = model.objects.select_for_update(of=("self",)).filter(child=child,
                                                                        **overlap_filter)
            if seen is not None:
                rows = rows.filter(seen)
            for row in rows:
                row_end = row.end_date or datetime.date.max
                if row.start_date <= (end_date or datetime.date.max) and start_date <= row_end:
                    raise ValidationError(exc.OVERLAPS)
        row = model.objects.create(child=child, province_code=child.province_code,
                                   start_date=start_date, end_date=end_date, note=note.strip(),
                                   source=source, created_by=actor, **fields)
        event_record(actor=actor, action=Action.CREATE, obj=row, unit=_child_unit(child),
                     fields=sorted({"start_date", "end_date", "note", *fields}))
    return row


def history_end(*, actor: User, row: EffectiveDated, end_date: datetime.date) -> EffectiveDated:
    """Close an open circumstance, risk or support on `end_date` (never deleted)."""
    require_manageable(actor, row.child)
    if end_date < row.start_date:
        raise ValidationError({"end_date": exc.END_BEFORE_START})
    if end_date > _today():
        raise ValidationError({"end_date": exc.DATE_IN_FUTURE})
    with transaction.atomic():
        # Read under its lock: a row another officer ended since the page was read keeps
        # the end date that officer gave.
        row = conflicts.locked(row)
        if row.end_date is not None:
            raise ValidationError(exc.ALREADY_ENDED)
        row.end_date = end_date
        row.save(update_fields=["end_date"])
        event_record(actor=actor, action=Action.UPDATE, obj=row, unit=_child_unit(row.child),
                     fields=["end_date"])
    return row


def circumstance_add(*, actor: User, child: Child, group: CircumstanceGroup,
                     start_date: datetime.date, end_date: datetime.date | None = None,
                     note: str = "", source: str = choices.HistorySource.MANUAL,
                     ) -> ChildCircumstance:
    if not group.active:
        raise ValidationError({"group": exc.GROUP_INACTIVE})
    # Only the rows the actor may read can refuse the new one: "already in this group" about
    # a restricted group the actor may not see would tell it the child was abused (an officer
    # could probe every child so). Its row is then recorded beside the hidden one; counts are
    # of children, so it counts once.
    row = _add_history(ChildCircumstance, actor=actor, child=child, start_date=start_date,
                       end_date=end_date, note=note, source=source,
                       overlap_filter={"group": group},
                       seen=selectors.circumstances_seen_by(actor), group=group)
    return row  # type: ignore[return-value]


def risk_add(*, actor: User, child: Child, flag: str, start_date: datetime.date,
             end_date: datetime.date | None = None, note: str = "") -> ChildRisk:
    return _add_history(ChildRisk, actor=actor, child=child, start_date=start_date,  # type: ignore[return-value]
                        end_date=end_date, note=note, source=choices.HistorySource.MANUAL,
                        overlap_filter={"flag": flag}, flag=flag)


def support_add(*, actor: User, child: Child, kind: str, start_date: datetime.date,
                end_date: datetime.date | None = None, provider: str = "",
                note: str = "") -> ChildSupport:
    # Supports may overlap: a child can get two allowances from different sources at once.
    return _add_history(ChildSupport, actor=actor, child=child, start_date=start_date,  # type: ignore[return-value]
                        end_date=end_date, note=note, source=choices.HistorySource.MANUAL,
                        overlap_filter=None, kind=kind, provider=provider.strip())


# --- Households and caregivers ------------------------------------------------------------------

def household_create(*, actor: User, commune: Unit, village: Unit | None = None,
                     head_name: str, address: str = "", phone: str = "",
                     poverty_status: str = choices.PovertyStatus.NONE) -> Household:
    _require_place(actor, commune, village)
    head_name = normalize(head_name)
    if not head_name:
        raise ValidationError({"head_name": exc.NAME_REQUIRED})
    place = _place(commune, village)
    household = Household(commune=commune, village=village, unit_path=place.path,
                          province_code=commune.province_code, head_name=head_name,
                          head_name_folded=fold(head_name), address=normalize(address),
                          phone=phone.strip(), poverty_status=poverty_status)
    household.full_clean(exclude=["commune", "village"])
    with transaction.atomic():
        household.save()
        event_record(actor=actor, action=Action.CREATE, obj=household, unit=place,
                     fields=["head_name", "address", "phone", "poverty_status"])
    return household


HOUSEHOLD_FIELDS = ("head_name", "address", "phone", "poverty_status")
CAREGIVER_FIELDS = ("full_name", "relation", "birth_year", "phone", "is_primary")


def household_update(*, actor: User, household: Household, base_version: int | None = None,
                     base: Mapping[str, Any] | None = None, **fields: Any) -> Household:
    """Change fields of a household, as an edit read at `base_version` (see `child_update`)."""
    if set(fields) - set(HOUSEHOLD_FIELDS):
        raise TypeError(f"not editable: {sorted(set(fields) - set(HOUSEHOLD_FIELDS))}")
    if not actor.in_scope(household.unit_path, capability=Capability.MANAGE_CHILDREN):
        raise PermissionDenied(exc.UNIT_OUT_OF_SCOPE)
    if "head_name" in fields:
        fields["head_name"] = normalize(fields["head_name"] or "")
        if not fields["head_name"]:
            raise ValidationError({"head_name": exc.NAME_REQUIRED})
    if "address" in fields:
        fields["address"] = normalize(fields["address"] or "")
    if "phone" in fields:
        fields["phone"] = (fields["phone"] or "").strip()
    _check_plain_columns(Household, household, fields)
    with transaction.atomic():
        household = conflicts.locked(household)
        conflicts.check(household, version=household.version, base_version=base_version,
                          changes=fields, base=base)
        changed = [name for name, value in fields.items()
                   if not conflicts.same(getattr(household, name), value)]
        if not changed:
            return household
        for name in changed:
            setattr(household, name, fields[name])
        saved = list(changed)
        if "head_name" in changed:
            household.head_name_folded = fold(household.head_name)
            saved.append("head_name_folded")
        conflicts.save_new_version(household, [*saved, "updated_at"])
        event_record(actor=actor, action=Action.UPDATE, obj=household,
                     unit=household.village or household.commune, fields=changed)
    return household


def _caregiver_create(child: Child, values: Mapping[str, Any]) -> Caregiver:
    name = normalize(values.get("full_name", ""))
    if not name:
        raise ValidationError({"caregivers": exc.NAME_REQUIRED})
    caregiver = Caregiver(child=child, full_name=name, name_folded=fold(name),
                          relation=values.get("relation", choices.Relation.OTHER),
                          birth_year=values.get("birth_year"), phone=values.get("phone", ""),
                          is_primary=bool(values.get("is_primary")))
    caregiver.full_clean(exclude=["child"])
    caregiver.save()
    return caregiver


def caregiver_add(*, actor: User, child: Child, **values: Any) -> Caregiver:
    require_manageable(actor, child)
    with transaction.atomic():
        caregiver = _caregiver_create(child, values)
        event_record(actor=actor, action=Action.CREATE, obj=caregiver, unit=_child_unit(child),
                     fields=sorted(values))
    return caregiver


def caregiver_update(*, actor: User, caregiver: Caregiver, base_version: int | None = None,
                     base: Mapping[str, Any] | None = None, **fields: Any) -> Caregiver:
    """Change fields of a child's caregiver, as an edit read at `base_version` (see
    `child_update`)."""
    if set(fields) - set(CAREGIVER_FIELDS):
        raise TypeError(f"not editable: {sorted(set(fields) - set(CAREGIVER_FIELDS))}")
    require_manageable(actor, caregiver.child)
    if "full_name" in fields:
        fields["full_name"] = normalize(fields["full_name"] or "")
        if not fields["full_name"]:
            raise ValidationError({"full_name": exc.NAME_REQUIRED})
    if "phone" in fields:
        fields["phone"] = (fields["phone"] or "").strip()
    if "is_primary" in fields:
        fields["is_primary"] = bool(fields["is_primary"])
    _check_plain_columns(Caregiver, caregiver, fields)
    with transaction.atomic():
        try:
            caregiver = conflicts.locked(caregiver)
        except Caregiver.DoesNotExist:
            raise ValidationError(exc.CAREGIVER_REMOVED) from None
        conflicts.check(caregiver, version=caregiver.version, base_version=base_version,
                          changes=fields, base=base)
        changed = [name for name, value in fields.items()
                   if not conflicts.same(getattr(caregiver, name), value)]
        if not changed:
            return caregiver
        for name in changed:
            setattr(caregiver, name, fields[name])
        saved = list(changed)
        if "full_name" in changed:
            caregiver.name_folded = fold(caregiver.full_name)
            saved.append("name_folded")
        conflicts.save_new_version(caregiver, saved)
        event_record(actor=actor, action=Action.UPDATE, obj=caregiver,
                     unit=_child_unit(caregiver.child), fields=changed)
    return caregiver


def caregiver_remove(*, actor: User, caregiver: Caregiver) -> None:
    require_manageable(actor, caregiver.child)
    with transaction.atomic():
        event_record(actor=actor, action=Action.DELETE, obj=caregiver,
                     unit=_child_unit(caregiver.child), fields=["full_name", "relation"])
        caregiver.delete()


def ethnicity_by_code(code: str) -> Ethnicity:
    return Ethnicity.objects.get(code=code)

"""What a collaborator's phone downloads: the villages it holds today, their households and
children (only what the role reads: no personal id, no circumstance, nothing of cases), the
closed lists of the forms, and its operations still waiting for a person.

Minimal by design: the phone can be lost, so it keeps what a collaborator needs to keep the
village current and nothing more."""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from treem.accounts.capabilities import Capability
from treem.accounts.models import RoleAssignment, User
from treem.accounts.roles import Role
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.cases import choices as case_choices
from treem.geo.models import Level, Unit
from treem.offline.models import Device, Operation, OperationStatus
from treem.offline.results import result_of
from treem.registry import choices
from treem.registry.models import Child, Ethnicity, Household

CHILD_FIELDS = ("public_id", "version", "village__code", "household__public_id", "full_name",
                "sex", "birth_date", "ethnicity__code", "birth_registered", "school_level",
                "school_status", "living_arrangement", "health_insurance", "death_date",
                "death_cause")
# The fields of a child that a phone changes (`child_update`); the rest is the commune's.
EDITABLE = ("birth_registered", "school_level", "school_status", "living_arrangement",
            "health_insurance", "household", "death_date", "death_cause")


def collaborator_villages(user: User) -> list[Unit]:
    """The current villages `user` holds as a collaborator (a village of a unit dissolved in
    2025 is not current: its children are the new commune's)."""
    if not user.is_active:
        return []
    unit_ids = (RoleAssignment.objects.active()
                .filter(user=user, role=Role.VILLAGE_COLLABORATOR).values("unit_id"))
    return list(Unit.objects.filter(pk__in=unit_ids, level=Level.VILLAGE, valid_to__isnull=True)
                .select_related("parent").order_by("name_folded", "pk"))


def commune_of(village: Unit) -> Unit:
    """A village's commune (a village always has one)."""
    commune = village.parent
    assert commune is not None, village.code
    return commune


def village_children(user: User, villages: list[Unit], *,
                     day: datetime.date | None = None) -> QuerySet[Child]:
    """The living children under 16 of `villages` that `user` reads (a restricted record is
    not sent to a phone its role may not read it on)."""
    return (Child.objects.visible_to(user, capability=Capability.VIEW_CHILDREN).on_record()
            .children_on(day or timezone.localdate()).filter(village__in=villages))


def _child_row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(row["public_id"]), "v": row["version"], "village": row["village__code"],
        "household": str(row["household__public_id"]) if row["household__public_id"] else None,
        "full_name": row["full_name"], "sex": row["sex"],
        "birth_date": row["birth_date"].isoformat(), "ethnicity": row["ethnicity__code"],
        "birth_registered": row["birth_registered"], "school_level": row["school_level"],
        "school_status": row["school_status"], "living_arrangement": row["living_arrangement"],
        "health_insurance": row["health_insurance"],
        "death_date": row["death_date"].isoformat() if row["death_date"] else None,
        "death_cause": row["death_cause"],
    }


def child_row(child: Child) -> dict[str, Any]:
    """One child as a phone keeps it (after an operation changed it)."""
    [row] = Child.objects.filter(pk=child.pk).values(*CHILD_FIELDS)
    return _child_row(row)


def household_row(household: Household) -> dict[str, Any]:
    return {"id": str(household.public_id), "v": household.version,
            "village": household.village.code if household.village else None,
            "head_name": household.head_name, "address": household.address}


def _choices(values: Any) -> list[list[str]]:
    return [[value, str(label)] for value, label in values.choices]


def lists(villages: list[Unit]) -> dict[str, list[list[str]]]:
    province_codes = {village.province_code for village in villages}
    communes = (Unit.objects.filter(level=Level.COMMUNE, valid_to__isnull=True,
                                    province_code__in=province_codes)
                .order_by("name_folded").values_list("code", "name"))
    # A move within the commune may go to any of its current villages.
    commune_villages = (Unit.objects.filter(level=Level.VILLAGE, valid_to__isnull=True,
                                            parent__in={village.parent_id for village in villages})
                        .order_by("name_folded").values_list("code", "name"))
    return {
        "sex": _choices(choices.Sex),
        "ethnicity": [[code, name] for code, name in
                      Ethnicity.objects.order_by("code").values_list("code", "name")],
        "school_level": _choices(choices.SchoolLevel),
        "school_status": _choices(choices.SchoolStatus),
        "living_arrangement": _choices(choices.LivingArrangement),
        "death_cause": _choices(choices.DeathCause),
        "residence_type": _choices(choices.ResidenceType),
        "concern_form": _choices(case_choices.AbuseForm),
        "concern_place": _choices(case_choices.Place),
        "communes": [[code, name] for code, name in communes],
        "villages": [[code, name] for code, name in commune_villages],
    }


def village_download(*, user: User, device: Device, idle_days: int) -> dict[str, Any]:
    """What `device` keeps, read for `user` now; audited as an export of the children sent."""
    villages = collaborator_villages(user)
    children = [_child_row(row) for row in
                village_children(user, villages).order_by("name_folded", "pk")
                .values(*CHILD_FIELDS)]
    households = [
        {"id": str(public_id), "v": version, "village": village, "head_name": head,
         "address": address}
        for public_id, version, village, head, address in
        Household.objects.visible_to(user, capability=Capability.VIEW_CHILDREN)
        .filter(village__in=villages).order_by("head_name_folded", "pk")
        .values_list("public_id", "version", "village__code", "head_name", "address")]
    pending = [result_of(operation) for operation in
               Operation.objects.filter(device=device, status__in=[
                   OperationStatus.CONFLICT, OperationStatus.HELD, OperationStatus.INVALID])]
    for village in villages:
        event_record(actor=user, action=Action.EXPORT, unit=village, reason="offline_download",
                     fields=[*EDITABLE, f"rows={sum(1 for c in children if c['village'] == village.code)}"])
    return {
        "server_time": timezone.now().isoformat(),
        "idle_days": idle_days,
        "villages": [{"code": village.code, "name": village.name,
                      "commune": {"code": commune_of(village).code,
                                  "name": commune_of(village).name}}
                     for village in villages],
        "households": households,
        "children": children,
        "lists": lists(villages),
        "pending": pending,
    }

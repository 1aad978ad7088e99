"""Reads of the registers of processing activities: each province's (its People's Committee
is the controller), read by those whose scope holds the province."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from treem.accounts.capabilities import Capability, roles_with
from treem.accounts.models import User
from treem.accounts.roles import Role
from treem.geo.models import Level, Unit
from treem.privacy.models import ProcessingActivity
from treem.registry.models import Child


@dataclass(frozen=True)
class Activity:
    """An activity as the register shows it: who may see it is read from the capability map
    the software enforces, not from a text someone typed."""

    record: ProcessingActivity
    roles: list[str]


def roles_of(capabilities: list[str]) -> list[str]:
    """The names of the roles holding any of `capabilities`, in the roles' own order."""
    known = {str(c) for c in Capability}
    holders: set[str] = set()
    for name in capabilities:
        if name in known:
            holders |= roles_with(name)
    return [str(role.label) for role in Role if role in holders]


def provinces_for(*, user: User) -> QuerySet[Unit]:
    """The current provinces whose register `user` reads (the province of a commune's or a
    province's reader, every province for a nation-wide one)."""
    return (Unit.objects.current().filter(level=Level.PROVINCE)
            .visible_to(user, capability=Capability.VIEW_PROCESSING_REGISTER).order_by("name"))


def get_province_for_user(*, user: User, code: str | None) -> Unit:
    """The province named by `code` (the reader's first when none is named); 404 outside."""
    provinces = provinces_for(user=user)
    province = provinces.filter(code=code).first() if code else provinces.first()
    if province is None:
        raise Http404
    return province


def activities(*, province: Unit) -> list[Activity]:
    return [Activity(record=row, roles=roles_of(row.capabilities))
            for row in ProcessingActivity.objects.filter(unit=province)
            .select_related("updated_by")]


def get_activity_for_user(*, user: User, activity_id: Any, for_write: bool = False
                          ) -> ProcessingActivity:
    activity = (ProcessingActivity.objects
                .visible_to(user, capability=Capability.VIEW_PROCESSING_REGISTER)
                .select_related("unit").filter(public_id=activity_id).first())
    if activity is None:
        raise Http404
    if for_write and not user.in_scope(activity.unit_path,
                                       capability=Capability.MANAGE_PROCESSING_REGISTER):
        raise PermissionDenied
    return activity


def subjects_in(province: Unit) -> int:
    """How many children the province's register holds (merged duplicates once): the size
    the impact assessment states."""
    return Child.objects.filter(province_code=province.code, merged_into__isnull=True).count()

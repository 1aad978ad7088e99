"""Reads of the register of processing activities. The register is the installation's (one
for every province it serves), so the capability gate is its only check; the dossier's
figures are a province's, limited to the provinces in the reader's scope."""

from dataclasses import dataclass

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


def activities() -> list[Activity]:
    return [Activity(record=row, roles=roles_of(row.capabilities))
            for row in ProcessingActivity.objects.select_related("updated_by")]


def get_activity(*, record_kind: str) -> ProcessingActivity:
    activity = ProcessingActivity.objects.filter(record_kind=record_kind).first()
    if activity is None:
        raise Http404
    return activity


def dossier_provinces(*, user: User) -> QuerySet[Unit]:
    """The current provinces whose dossier `user` may print: those in the scope their reading
    of the register comes from."""
    return (Unit.objects.current().filter(level=Level.PROVINCE)
            .visible_to(user, capability=Capability.VIEW_PROCESSING_REGISTER)
            .order_by("name"))


def get_dossier_province(*, user: User, code: str) -> Unit:
    province = dossier_provinces(user=user).filter(code=code).first()
    if province is None:
        raise Http404
    return province


def subjects_in(province: Unit) -> int:
    """How many children the province's register holds (merged duplicates once): the size
    the impact assessment states."""
    return Child.objects.filter(province_code=province.code, merged_into__isnull=True).count()

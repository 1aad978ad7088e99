"""Reads of the needs' pages, each limited to the acting user: the needs list filtered, the
allocations and delivery proofs a user reads (404 for anything else, alike), what a commune
officer may propose a need for, and the funds a manager matches from.

An allocation, its delivery and its proofs are read by whoever reads its need: the users of
its commune's area with VIEW_NEEDS (the commune, the province's office, the fund's people,
the auditors)."""

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Prefetch,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
)
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from treem.accounts.capabilities import Capability
from treem.accounts.models import User
from treem.audit.services import read_record
from treem.fund.matching import Held, fit_q, holdings
from treem.fund.models import (
    Allocation,
    AllocationStatus,
    Beneficiary,
    Campaign,
    DeliveryProof,
    Fund,
    GoodsLot,
    Need,
    NeedKind,
    Restriction,
)
from treem.fund.needs import names_shown, needs_for
from treem.fund.services import Bucket
from treem.geo.models import Level, Unit
from treem.geo.paths import any_subtree_q
from treem.registry.models import Child, Household
from treem.registry.selectors import children_to_name, household_search

HOUSEHOLD_NAME = _("hộ %(name)s")


@dataclass(frozen=True)
class NeedFilters:
    status: str = ""
    kind: NeedKind | None = None
    year: int | None = None
    commune: Unit | None = None


def need_list(*, user: User, filters: NeedFilters) -> QuerySet[Need]:
    """The needs of the user's area matching `filters`, in priority order."""
    rows = needs_for(user=user)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.kind is not None:
        rows = rows.filter(kind=filters.kind)
    if filters.year is not None:
        rows = rows.filter(year=filters.year)
    if filters.commune is not None:
        rows = rows.filter(commune=filters.commune)
    return rows


def communes_read(*, user: User) -> list[Unit]:
    """The current communes of the user's needs area: those a province's user filters by."""
    paths = user.scope_paths(capability=Capability.VIEW_NEEDS)
    return list(Unit.objects.current().filter(level=Level.COMMUNE)
                .filter(any_subtree_q(paths)).order_by("name", "code"))


def communes_to_propose(*, user: User) -> list[Unit]:
    """The current communes where the user proposes needs (its own commune, as a rule)."""
    paths = user.scope_paths(capability=Capability.PROPOSE_NEEDS)
    return list(Unit.objects.current().filter(level=Level.COMMUNE)
                .filter(any_subtree_q(paths)).order_by("name", "code"))


def kinds_for(beneficiary: str) -> QuerySet[NeedKind]:
    """The active kinds of need of a beneficiary: a child's or household's, or a place's."""
    for_child = beneficiary in (Beneficiary.CHILD, Beneficiary.HOUSEHOLD)
    return NeedKind.objects.filter(active=True, for_child=for_child)


def children_to_propose(*, user: User, q: str, limit: int) -> list[Child]:
    """Children the user reads in the register, living in a commune where it proposes needs,
    whose name matches `q` (as the register searches): at most `limit`."""
    found: dict[int, Child] = {}
    for commune in communes_to_propose(user=user):
        for child in children_to_name(user=user, q=q, within=commune.path, limit=limit):
            found.setdefault(child.pk, child)
    return sorted(found.values(), key=lambda c: (c.name_folded, c.pk))[:limit]


def households_to_propose(*, user: User, q: str, limit: int) -> list[Household]:
    """Households the user reads in the register, of a commune where it proposes needs, whose
    head, village, address or phone matches `q`: at most `limit`."""
    communes = communes_to_propose(user=user)
    if not communes:
        return []
    return list(household_search(user=user, q=q, capability=Capability.VIEW_CHILDREN)
                .filter(commune__in=communes)[:limit])


def household_shown(*, user: User, need: Need) -> Household | None:
    """A household need's household, when the user reads it in the register now (an audited
    read, as the register's own page is); None for the others, who see the reference."""
    if need.household_id is None or need.beneficiary != Beneficiary.HOUSEHOLD:
        return None
    household = (Household.objects.visible_to(user, capability=Capability.VIEW_CHILDREN)
                 .filter(pk=need.household_id).first())
    if household is not None:
        read_record(actor=user, obj=household, unit=need.commune,
                    reason=f"fund need {need.public_id}")
    return household


def beneficiary_names(*, user: User, needs: list[Need]) -> dict[int, str]:
    """need id → the name `user` may read of its beneficiary in the register now: a child's
    (`needs.names_shown`), or a household need's head ("hộ …"); each name shown is an audited
    read. The others show their reference. Two queries whatever the number of needs (and an
    audit row a name)."""
    shown = names_shown(user=user, needs=needs)
    wanted = {need.household_id for need in needs
              if need.beneficiary == Beneficiary.HOUSEHOLD and need.household_id}
    readable = (Household.objects.visible_to(user, capability=Capability.VIEW_CHILDREN)
                .in_bulk(wanted) if wanted else {})
    for need in needs:
        household = readable.get(need.household_id) if need.household_id else None
        if household is not None and need.beneficiary == Beneficiary.HOUSEHOLD:
            shown[need.pk] = HOUSEHOLD_NAME % {"name": household.head_name}
            read_record(actor=user, obj=household, unit=need.commune,
                        reason=f"fund need {need.public_id}")
    return shown


def allocations_for(*, user: User) -> QuerySet[Allocation]:
    """The allocations of the user's needs area, newest first."""
    return (Allocation.objects.visible_to(user, capability=Capability.VIEW_NEEDS)
            .select_related("need", "kind", "commune", "restriction", "campaign", "lot"))


def allocation_list(*, user: User, status: str = "") -> QuerySet[Allocation]:
    """The allocations of the user's needs area (of one status, if given), newest first, with
    what a row shows (the need's commune: where a name shown is audited)."""
    rows = allocations_for(user=user).select_related("need__commune")
    return rows.filter(status=status) if status else rows


def get_allocation_for_user(*, user: User, allocation_id: Any) -> Allocation:
    key = _uuid(allocation_id)
    allocation = (allocations_for(user=user).select_related("fund", "need__kind",
                                                            "need__commune")
                  .filter(public_id=key).first() if key else None)
    if allocation is None:
        raise Http404
    return allocation


def allocations_of(need: Need) -> list[Allocation]:
    """A need's allocations (in its commune, so read by whoever reads the need), with their
    deliveries and proofs: three queries."""
    return list(Allocation.objects.filter(need=need)
                .select_related("restriction", "campaign", "lot", "delivery")
                .prefetch_related(Prefetch("delivery__proofs",
                                           queryset=DeliveryProof.objects.shown())))


def awaiting_count(*, user: User) -> int:
    """The allocations waiting for the user's approval (none for who approves nothing)."""
    paths = user.scope_paths(capability=Capability.APPROVE_ALLOCATIONS)
    if not paths:
        return 0
    return (allocations_for(user=user).filter(status=AllocationStatus.AWAITING_APPROVAL)
            .filter(any_subtree_q(paths, field="fund__unit_path")).count())


def proofs_of(allocation: Allocation) -> list[DeliveryProof]:
    """A delivery's proofs, but a photo whose consent was withdrawn."""
    return list(DeliveryProof.objects.shown().filter(delivery__allocation=allocation)
                .order_by("id"))


def get_proof_for_user(*, user: User, proof_id: Any) -> DeliveryProof:
    """A delivery's proof file, for whoever reads its allocation; 404 for anything else."""
    key = _uuid(proof_id)
    proof = (DeliveryProof.objects.shown().filter(
        public_id=key, delivery__allocation__in=allocations_for(user=user).values("pk"))
        .first() if key else None)
    if proof is None:
        raise Http404
    return proof


def managed_funds(*, user: User) -> list[Fund]:
    """The funds whose money the user allocates (its province's, for a fund manager)."""
    paths = user.scope_paths(capability=Capability.MANAGE_FUND)
    return list(Fund.objects.filter(any_subtree_q(paths, field="unit_path"))
                .select_related("unit").order_by("unit_path"))


def find_held(items: list[Held], restriction_id: Any, campaign_id: Any, lot_id: Any
              ) -> Held | None:
    """The bucket among `items` (a fund's `holdings`) named by its parts' ids, as the pages
    send them; None when the fund holds nothing there."""
    wanted = (_int(restriction_id), _int(campaign_id), _int(lot_id))
    for item in items:
        if (item.restriction.pk, item.campaign.pk if item.campaign else None,
                item.lot.pk if item.lot else None) == wanted:
            return item
    return None


def holdings_for(fund: Fund, need: Need | None = None) -> list[Held]:
    """What `fund` holds now, bucket by bucket; with `need`, only the buckets that may pay for
    it (their earmark fits the need)."""
    items = holdings(fund)
    if need is None:
        return items
    fitting = _fitting(need, list({item.restriction.pk: item.restriction
                                   for item in items}.values()))
    return [item for item in items if item.restriction.pk in fitting]


def _fitting(need: Need, restrictions: list[Restriction]) -> set[int]:
    """The ids of `restrictions` whose money may pay for `need`, as `matching.fits` says one
    at a time, read in one query whatever their number (a query an earmark made the
    allocation page read 47 queries with 32 earmarks held, against 15)."""
    prefetch_related_objects(restrictions, "unit", "area")  # what `fit_q` reads
    fitting, conditions = set(), {}
    for restriction in restrictions:
        if not (condition := fit_q(restriction)):  # unrestricted: fits every need
            fitting.add(restriction.pk)
        else:
            conditions[f"fits_{restriction.pk}"] = Case(
                When(condition, then=Value(True)), default=Value(False),
                output_field=BooleanField())
    if conditions:
        row = Need.objects.filter(pk=need.pk).values(**conditions).get()
        fitting |= {int(name.removeprefix("fits_")) for name, fit in row.items() if fit}
    return fitting


def bucket_of(fund: Fund, restriction_id: Any, campaign_id: Any, lot_id: Any
              ) -> Bucket | None:
    """The bucket of `fund` named by its parts' ids, whether it holds anything or not (the
    allocation says what is left); None when a part is not the fund's."""
    ids = _int(restriction_id), _int(campaign_id), _int(lot_id)
    restriction = (Restriction.objects.filter(fund=fund, pk=ids[0]).first()
                   if ids[0] is not None else None)
    campaign = (Campaign.objects.filter(fund=fund, pk=ids[1]).first()
                if ids[1] is not None else None)
    lot = GoodsLot.objects.filter(fund=fund, pk=ids[2]).first() if ids[2] is not None else None
    if (restriction is None or (campaign is None and campaign_id not in (None, ""))
            or (lot is None and lot_id not in (None, ""))):
        return None
    return Bucket(restriction, campaign, lot)


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def _int(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None

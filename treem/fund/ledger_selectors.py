"""Reads of the ledger's pages, each limited to the funds the user reads
(`selectors.funds_for`): one donor, journal or pledge for a user (404 outside its scope alike,
403 for a reader asked to write), and the lists the pages show, their sums worked out in SQL."""

import uuid
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import (
    BigIntegerField,
    Count,
    Exists,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from treem.accounts.capabilities import Capability
from treem.accounts.models import User
from treem.fund import matching, selectors
from treem.fund.models import (
    Account,
    Area,
    Campaign,
    Donor,
    Fund,
    GoodsLot,
    Journal,
    Pledge,
    PledgeStatus,
    Posting,
    PriorityRule,
    Receipt,
    Restriction,
    RestrictionKind,
)
from treem.geo.models import Level, Unit
from treem.lib.text import fold

M = TypeVar("M", bound=Model)
SEARCH_MAX = 100


def _one(queryset: QuerySet[M], *, user: User, public_id: uuid.UUID | str,
         for_write: bool) -> M:
    """The row of a fund the user reads; 404 else; 403 when `for_write` and the user only
    reads that fund."""
    item = queryset.filter(fund__in=selectors.funds_for(user=user),
                           public_id=public_id).select_related("fund", "fund__unit").first()
    if item is None:
        raise Http404
    fund: Fund = item.fund  # type: ignore[attr-defined]
    if for_write and not may_manage(user=user, fund=fund):
        raise PermissionDenied
    return item


def may_manage(*, user: User, fund: Fund) -> bool:
    return user.in_scope(fund.unit_path, capability=Capability.MANAGE_FUND)


def get_donor_for_user(*, user: User, donor_id: uuid.UUID | str,
                       for_write: bool = False) -> Donor:
    return _one(Donor.objects.all(), user=user, public_id=donor_id, for_write=for_write)


def get_journal_for_user(*, user: User, journal_id: uuid.UUID | str,
                         for_write: bool = False) -> Journal:
    return _one(Journal.objects.select_related("created_by", "reverses"), user=user,
                public_id=journal_id, for_write=for_write)


def get_pledge_for_user(*, user: User, pledge_id: uuid.UUID | str,
                        for_write: bool = False) -> Pledge:
    return _one(Pledge.objects.select_related("donor"), user=user, public_id=pledge_id,
                for_write=for_write)


# --- What a fund holds ----------------------------------------------------------------------

@dataclass
class EarmarkBalance:
    restriction: Restriction | None  # None: the totals row
    available: int = 0
    allocated: int = 0
    disbursed: int = 0
    returned: int = 0
    mobilised: int = 0


def earmark_balances(fund: Fund) -> tuple[list[EarmarkBalance], EarmarkBalance]:
    """Each earmark's accounts (mobilised: what its donations brought in), and their totals:
    from `selectors.balances`, one grouped query."""
    sums = selectors.balances(fund=fund)
    restrictions = Restriction.objects.in_bulk({rid for rid, _account in sums})
    rows = {rid: EarmarkBalance(restriction) for rid, restriction in restrictions.items()}
    total = EarmarkBalance(None)
    for (rid, account), amount in sums.items():
        for row in (rows[rid], total):
            if account == Account.DONATIONS:
                row.mobilised -= amount
            else:
                setattr(row, account, getattr(row, account) + amount)
    return sorted(rows.values(), key=lambda row: str(row.restriction).casefold()), total


def holdings(fund: Fund) -> list[matching.Held]:
    return matching.holdings(fund)


# --- Donors ---------------------------------------------------------------------------------

def _not_reversed() -> Q:
    return Q(journal__reversed_by__isnull=True)


def donor_search(*, fund: Fund, q: str) -> QuerySet[Donor]:
    """The fund's donors whose name holds `q` (accents and case aside), for a picker."""
    return (Donor.objects.filter(fund=fund, name_folded__contains=fold(q[:SEARCH_MAX]))
            .order_by("name_folded", "id"))


def donor_list(*, fund: Fund, q: str = "") -> QuerySet[Donor]:
    """The fund's donors by name (accents and case aside), each with what it gave (receipts
    and goods not reversed)."""
    donors = donor_search(fund=fund, q=q) if q else Donor.objects.filter(fund=fund)
    money = (Receipt.objects.filter(donor=OuterRef("pk")).filter(_not_reversed())
             .values("donor").annotate(total=Sum("amount")).values("total"))
    goods = (GoodsLot.objects.filter(donor=OuterRef("pk")).filter(_not_reversed())
             .values("donor").annotate(total=Sum("value")).values("total"))
    zero = Value(0, output_field=BigIntegerField())
    return donors.annotate(
        money=Coalesce(Subquery(money, output_field=BigIntegerField()), zero),
        goods=Coalesce(Subquery(goods, output_field=BigIntegerField()), zero),
    ).order_by("name_folded", "id")


@dataclass(frozen=True)
class DonorTotals:
    money: int
    goods: int
    pledged_open: int


def donor_totals(donor: Donor) -> DonorTotals:
    money = donor.receipts.filter(_not_reversed()).aggregate(s=Sum("amount"))["s"] or 0
    goods = donor.lots.filter(_not_reversed()).aggregate(s=Sum("value"))["s"] or 0
    pledged = donor.pledges.filter(status=PledgeStatus.OPEN).aggregate(s=Sum("amount"))["s"]
    return DonorTotals(int(money), int(goods), int(pledged or 0))


def _entry() -> Prefetch:
    """The posting into `available` of a receipt's or lot's journal: its earmark, campaign."""
    return Prefetch("journal__postings", to_attr="entry",
                    queryset=Posting.objects.filter(account=Account.AVAILABLE)
                    .select_related("restriction", "campaign").order_by("id"))


def _reversed() -> Exists:
    return Exists(Journal.objects.filter(reverses=OuterRef("journal")))


def receipt_list(*, fund: Fund, year: int | None = None, month: int | None = None,
                 campaign: Campaign | None = None, donor: Donor | None = None
                 ) -> QuerySet[Receipt]:
    receipts = Receipt.objects.filter(fund=fund)
    if year is not None:
        receipts = receipts.filter(received_on__year=year)
    if month is not None:
        receipts = receipts.filter(received_on__month=month)
    if campaign is not None:
        receipts = receipts.filter(Exists(Posting.objects.filter(
            journal=OuterRef("journal"), campaign=campaign)))
    if donor is not None:
        receipts = receipts.filter(donor=donor)
    return (receipts.select_related("donor", "journal").prefetch_related(_entry())
            .annotate(reversed=_reversed()).order_by("-received_on", "-id"))


def lot_list(*, fund: Fund, donor: Donor | None = None) -> QuerySet[GoodsLot]:
    """The fund's goods lots with what is left of each (`left_quantity`, `left_value`: the
    sums of their postings in `available`)."""
    left = Posting.objects.filter(lot=OuterRef("pk"), account=Account.AVAILABLE).values("lot")
    lots = GoodsLot.objects.filter(fund=fund)
    if donor is not None:
        lots = lots.filter(donor=donor)
    zero = Value(0, output_field=BigIntegerField())
    return (lots.select_related("donor", "journal").prefetch_related(_entry())
            .annotate(left_quantity=Coalesce(Subquery(left.annotate(s=Sum("quantity"))
                                                      .values("s")), zero),
                      left_value=Coalesce(Subquery(left.annotate(s=Sum("amount"))
                                                   .values("s")), zero),
                      reversed=_reversed())
            .order_by("-received_on", "-id"))


# --- Campaigns and pledges ------------------------------------------------------------------

def campaign_list(*, fund: Fund) -> QuerySet[Campaign]:
    """The fund's campaigns with `raised`: what the donations postings naming them brought
    (money and goods, less what was reversed)."""
    raised = (Posting.objects.filter(campaign=OuterRef("pk"), account=Account.DONATIONS)
              .values("campaign").annotate(s=Sum("amount")).values("s"))
    return Campaign.objects.filter(fund=fund).annotate(
        raised=-Coalesce(Subquery(raised), Value(0, output_field=BigIntegerField())),
        pledge_count=Count("pledges")).order_by("-starts_on", "id")


def pledge_list(*, fund: Fund, status: str = "") -> QuerySet[Pledge]:
    pledges = Pledge.objects.filter(fund=fund)
    if status:
        pledges = pledges.filter(status=status)
    return (pledges.select_related("donor", "campaign", "restriction")
            .annotate(receipt_count=Count("receipts")).order_by("-pledged_on", "-id"))


# --- The journal --------------------------------------------------------------------------

def journal_list(*, fund: Fund, kind: str = "") -> QuerySet[Journal]:
    """The fund's journals, newest first, with `amount`: what moved (the sum of its positive
    postings), and who gave it for a receipt or a lot."""
    journals = Journal.objects.filter(fund=fund)
    if kind:
        journals = journals.filter(kind=kind)
    # A subquery, not a join: the page's rows are not grouped with their donors' columns.
    moved = (Posting.objects.filter(journal=OuterRef("pk"), amount__gt=0).values("journal")
             .annotate(s=Sum("amount")).values("s"))
    return (journals.select_related("created_by", "receipt__donor", "lot__donor",
                                    "reverses")
            .annotate(amount=Coalesce(Subquery(moved),
                                      Value(0, output_field=BigIntegerField())))
            .order_by("-day", "-id"))


def journal_postings(journal: Journal) -> list[Posting]:
    return list(journal.postings.select_related("restriction", "campaign", "lot")
                .order_by("id"))


def journal_source(journal: Journal) -> Any:
    """What a journal records: its receipt, goods lot, allocation or delivery (or None)."""
    for name in ("receipt", "lot", "allocation", "released_allocation", "delivery"):
        # A reverse one-to-one without its row raises an AttributeError: getattr's default.
        if (found := getattr(journal, name, None)) is not None:
            return found
    return None


# --- Choices the forms offer ------------------------------------------------------------------

def earmarks(fund: Fund) -> QuerySet[Restriction]:
    """The fund's earmarks a gift may be given to on these pages: a named child's only
    through an officer (`gifts.restriction_for`), never here."""
    return (Restriction.objects.filter(fund=fund).exclude(kind=RestrictionKind.CHILD)
            .order_by("kind", "label", "id"))


def communes_of(fund: Fund) -> QuerySet[Unit]:
    """The current communes of the fund's province (a place a gift may be earmarked for)."""
    return (Unit.objects.current().filter(level=Level.COMMUNE,
                                          path__startswith=fund.unit_path)
            .order_by("name_folded", "code"))


def areas_of(fund: Fund) -> QuerySet[Area]:
    return Area.objects.filter(fund=fund).prefetch_related("units").order_by("name")


def rules_of(fund: Fund) -> QuerySet[PriorityRule]:
    return PriorityRule.objects.filter(fund=fund).select_related("group")


def open_pledges(fund: Fund) -> QuerySet[Pledge]:
    return (Pledge.objects.filter(fund=fund, status=PledgeStatus.OPEN)
            .select_related("donor").order_by("-pledged_on", "-id"))

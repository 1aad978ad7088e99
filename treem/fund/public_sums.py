"""The grouped sums the fund's public account is made of (`treem.fund.public`), each one
query over the gifts, the returns or the deliveries of a fund, never row by row.

Gifts are counted as they stand corrected: a receipt, a goods lot or a return reversed since
(`journal_reverse`) counts nowhere, whichever year it was reversed in. So the balance held at
the end of a year is what came in and stayed, less what was returned and what was handed over
up to then, and the year's figures reconcile it exactly; today's balance is the ledger's own
(`available` + `allocated`)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet, Sum

from treem.fund import balances, gift_sums
from treem.fund.models import (
    Account,
    Allocation,
    AllocationStatus,
    Campaign,
    Donor,
    Fund,
    Journal,
    JournalKind,
    Posting,
)
from treem.registry.models import Child


def reversed_journals(fund: Fund) -> list[int]:
    """The ids of the fund's journals reversed since (a handful: mistakes corrected)."""
    return list(Journal.objects.filter(fund=fund, reverses__isnull=False)
                .values_list("reverses_id", flat=True))


@dataclass
class Gifts:
    """Money or goods (at their value) received: before the year, in each of its quarters,
    and in the year by each donor named publicly."""

    before: int = 0
    quarters: list[int] = field(default_factory=lambda: [0, 0, 0, 0])
    named: dict[int, int] = field(default_factory=dict)


def gifts(fund: Fund, start: datetime.date, end: datetime.date, *, goods: bool,
          journal_upto: int, reversed_by: dict[int, int]) -> Gifts:
    """From the checkpoint's sums by quarter and donor and the gifts since
    (`gift_sums.gift_rows`), a few queries whatever the fund's age."""
    before, rows = gift_sums.gift_rows(fund, start, end, goods=goods,
                                       journal_upto=journal_upto, reversed_by=reversed_by)
    named = set(Donor.objects.filter(fund=fund, named_publicly=True).values_list("pk", flat=True))
    found = Gifts(before=before)
    for quarter, donor, amount in rows:
        found.quarters[(quarter.month - 1) // 3] += amount
        if donor in named:
            found.named[donor] = found.named.get(donor, 0) + amount
    # A donor whose gift of the year was reversed after the checkpoint nets to nothing.
    found.named = {donor: amount for donor, amount in found.named.items() if amount}
    return found


def returned(fund: Fund, start: datetime.date, end: datetime.date, *,
             reversed_ids: list[int]) -> tuple[int, int]:
    """(returned to donors before the year, in the year): the `returned` postings of return
    journals not reversed (few: indexed on the fund and the account, none read otherwise)."""
    rows = (Posting.objects.filter(fund=fund, account=Account.RETURNED,
                                   journal__kind=JournalKind.RETURN, journal__day__lte=end)
            .exclude(journal_id__in=reversed_ids).values_list("journal__day", "amount"))
    before = in_year = 0
    for day, amount in rows:
        if day < start:
            before += amount
        else:
            in_year += amount
    return before, in_year


Counted = dict[int, tuple[int, int, int]]  # a kind or commune → amount, children, households


@dataclass(frozen=True)
class Delivered:
    """The support delivered in a year, read once (a province's year is thousands of rows,
    not millions): each row is (kind, commune, amount, child, household), the child as the
    register keeps it — the record a duplicate was merged into (a merge repoints the records
    merged before it, so one level is enough)."""

    rows: list[tuple[int, int, int, int | None, int | None]]

    def counted(self, by: str) -> Counted:
        """`by` ("kind" or "commune") → (amount, distinct children, distinct households)."""
        amounts: dict[int, int] = defaultdict(int)
        children: dict[int, set[int]] = defaultdict(set)
        households: dict[int, set[int]] = defaultdict(set)
        for row in self.rows:
            key = row[0] if by == "kind" else row[1]
            amount, child, household = row[2], row[3], row[4]
            amounts[key] += amount
            if child is not None:
                children[key].add(child)
            if household is not None:
                households[key].add(household)
        return {key: (amounts[key], len(children[key]), len(households[key]))
                for key in amounts}

    def people(self, communes: set[int] | None = None) -> tuple[int, int]:
        """(distinct children, distinct households), of `communes` only when given."""
        rows = [row for row in self.rows if communes is None or row[1] in communes]
        return (len({row[3] for row in rows if row[3] is not None}),
                len({row[4] for row in rows if row[4] is not None}))

    @property
    def amount(self) -> int:
        return sum(row[2] for row in self.rows)


def _delivered_rows(fund: Fund) -> QuerySet[Allocation]:
    return Allocation.objects.filter(fund=fund, status=AllocationStatus.DELIVERED)


def delivered(fund: Fund, start: datetime.date, end: datetime.date) -> Delivered:
    """The fund's allocations delivered from `start` to `end`: two queries. The records merged
    since into another are read apart (a few): joining every row to the register would
    read thousands of children's pages, slow when they are not in memory."""
    year = _delivered_rows(fund).filter(delivery__delivered_on__gte=start,
                                        delivery__delivered_on__lte=end).order_by()
    rows = list(year.values_list("kind_id", "commune_id", "amount", "child_id",
                                 "household_id"))
    kept = dict(Child.objects.filter(merged_into__isnull=False,
                                     pk__in=year.values("child_id"))
                .values_list("pk", "merged_into_id"))
    return Delivered([(kind, commune, amount, kept.get(child, child), household)
                      for kind, commune, amount, child, household in rows])


def spent_before(fund: Fund, start: datetime.date) -> int:
    return int(_delivered_rows(fund).filter(delivery__delivered_on__lt=start)
               .aggregate(total=Sum("amount"))["total"] or 0)


@dataclass(frozen=True)
class CampaignSums:
    name: str
    starts_on: datetime.date
    ends_on: datetime.date
    goal: int
    money: int
    goods: int

    @property
    def total(self) -> int:
        return self.money + self.goods

    @property
    def percent(self) -> int:
        """Of its goal, whole per cent."""
        return self.total * 100 // self.goal if self.goal else 0


def campaigns(fund: Fund, start: datetime.date, end: datetime.date) -> list[CampaignSums]:
    """The campaigns that ran in the year with what each raised in all (reversals taken
    off): a campaign is called for a few weeks, so its total is what readers compare with
    its goal. One query for the campaigns, then their `donations` (taken out of that account
    as money comes in) from the balance checkpoint and the postings since."""
    running = list(Campaign.objects.filter(fund=fund, starts_on__lte=end, ends_on__gte=start)
                   .order_by("starts_on", "id"))
    if not running:
        return []
    sums: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for (campaign_id, lot_id), (amount, _quantity) in balances.sums(
            fund, by=("campaign_id", "lot_id"),
            where=Q(account=Account.DONATIONS, campaign__in=running)).items():
        sums[campaign_id][lot_id is not None] -= amount
    return [CampaignSums(c.name, c.starts_on, c.ends_on, c.goal, *sums[c.pk]) for c in running]

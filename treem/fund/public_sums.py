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
from typing import Any

from django.db.models import Case, Count, IntegerField, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractQuarter

from treem.fund.models import (
    Account,
    Allocation,
    AllocationStatus,
    Campaign,
    Fund,
    GoodsLot,
    Journal,
    JournalKind,
    Posting,
    Receipt,
)


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
          reversed_ids: list[int]) -> Gifts:
    """Three queries: the sum before the year; the year's by quarter; the named donors'.
    (Indexed on the fund and the day, the year's receipts are read from the index alone.)"""
    model: Any = GoodsLot if goods else Receipt
    value = "value" if goods else "amount"
    kept = model.objects.filter(fund=fund).exclude(journal_id__in=reversed_ids)
    found = Gifts()
    found.before = int(kept.filter(received_on__lt=start)
                       .aggregate(total=Sum(value))["total"] or 0)
    year = kept.filter(received_on__gte=start, received_on__lte=end)
    for row in (year.annotate(quarter=ExtractQuarter("received_on")).values("quarter")
                .annotate(total=Sum(value)).order_by()):
        found.quarters[int(row["quarter"]) - 1] = int(row["total"])
    found.named = {row["donor_id"]: int(row["total"]) for row in (
        year.filter(donor__named_publicly=True).values("donor_id")
        .annotate(total=Sum(value)).order_by())}
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


def delivered(fund: Fund, start: datetime.date | None, end: datetime.date
              ) -> QuerySet[Allocation]:
    """The fund's allocations delivered from `start` (None: ever) to `end`, each with
    `child_key`: the child as the register keeps it — the record a duplicate was merged into
    (a merge repoints the records merged before it, so one level is enough)."""
    rows = Allocation.objects.filter(fund=fund, status=AllocationStatus.DELIVERED,
                                     delivery__delivered_on__lte=end)
    if start is not None:
        rows = rows.filter(delivery__delivered_on__gte=start)
    return rows.annotate(child_key=Coalesce("child__merged_into_id", "child_id"))


def spent_before(fund: Fund, start: datetime.date) -> int:
    return int(delivered(fund, None, start - datetime.timedelta(days=1))
               .aggregate(total=Sum("amount"))["total"] or 0)


def counted(rows: QuerySet[Allocation], by: str) -> dict[Any, tuple[int, int, int]]:
    """`by` → (amount, distinct children, distinct households): one grouped query."""
    grouped = (rows.values(by).annotate(amount=Sum("amount"),
                                        children=Count("child_key", distinct=True),
                                        households=Count("household_id", distinct=True))
               .order_by())
    return {row[by]: (int(row["amount"]), row["children"], row["households"])
            for row in grouped}


def people(rows: QuerySet[Allocation]) -> tuple[int, int]:
    """(distinct children, distinct households) of `rows`: one query."""
    found = rows.aggregate(children=Count("child_key", distinct=True),
                           households=Count("household_id", distinct=True))
    return found["children"], found["households"]


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
    its goal. One query for the campaigns, one for their sums."""
    running = list(Campaign.objects.filter(fund=fund, starts_on__lte=end, ends_on__gte=start)
                   .order_by("starts_on", "id"))
    sums: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in (Posting.objects.filter(fund=fund, account=Account.DONATIONS,
                                       campaign__in=running)
                .annotate(goods=Case(When(lot__isnull=True, then=Value(0)), default=Value(1),
                                     output_field=IntegerField()))
                .values("campaign_id", "goods").annotate(total=Sum("amount")).order_by()):
        # Money in is taken out of `donations`.
        sums[row["campaign_id"]][row["goods"]] -= int(row["total"])
    return [CampaignSums(c.name, c.starts_on, c.ends_on, c.goal, *sums[c.pk]) for c in running]

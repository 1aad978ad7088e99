"""The gifts of the public account read fast: a province's fund receives about 150,000 gifts a
year, and its public page would otherwise sum three years of them on every view. The nightly
checkpoint (`balances.checkpoint_write`) also writes each donor's gifts by quarter (`GiftSum`)
as they stood then; a read adds the gifts recorded since and takes off those reversed since.

Gifts count as they stand corrected: one reversed at any time counts nowhere. The checkpoint
covers the journals up to `journal_upto`, all committed when it was written (the fund's row
lock, `balances`), so a gift is either in it or after it, never lost between."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Sum
from django.db.models.functions import TruncQuarter

from treem.fund.models import Checkpoint, Fund, GiftSum, GoodsLot, Journal, Receipt

Row = tuple[datetime.date, int, int]  # the quarter's first day, the donor, đồng


def _model(goods: bool) -> tuple[Any, str]:
    return (GoodsLot, "value") if goods else (Receipt, "amount")


def reversals(fund: Fund) -> dict[int, int]:
    """The fund's journals reversed, each → the journal that reversed it (a handful)."""
    return dict(Journal.objects.filter(fund=fund, reverses__isnull=False)
                .values_list("reverses_id", "pk"))


def cut(fund: Fund) -> int:
    """The last journal whose gifts the checkpoint holds (0: no checkpoint)."""
    return (Checkpoint.objects.filter(fund=fund).values_list("journal_upto", flat=True)
            .first() or 0)


def _summed(fund: Fund, journal_upto: int, *, goods: bool) -> list[Row]:
    """The gifts up to `journal_upto` by quarter and donor, those reversed by then left out."""
    model, value = _model(goods)
    reversed_then = Journal.objects.filter(fund=fund, reverses__isnull=False,
                                           pk__lte=journal_upto).values("reverses_id")
    return _dated((row["quarter"], row["donor_id"], int(row["total"])) for row in (
        model.objects.filter(fund=fund, journal_id__lte=journal_upto)
        .exclude(journal_id__in=reversed_then)
        .annotate(quarter=TruncQuarter("received_on")).values("quarter", "donor_id")
        .annotate(total=Sum(value)).order_by()))


def write(fund: Fund, journal_upto: int) -> int:
    """The gifts' checkpoint rewritten (under the checkpoint's lock): how many sums."""
    GiftSum.objects.filter(fund=fund).delete()
    sums = [GiftSum(fund=fund, goods=goods, quarter=quarter, donor_id=donor, amount=amount)
            for goods in (False, True)
            for quarter, donor, amount in _summed(fund, journal_upto, goods=goods)]
    GiftSum.objects.bulk_create(sums, batch_size=5_000)
    return len(sums)


def gift_rows(fund: Fund, start: datetime.date, end: datetime.date, *, goods: bool,
              journal_upto: int, reversed_by: dict[int, int]) -> tuple[int, list[Row]]:
    """(the gifts before `start`, the gifts of start–end by quarter and donor), as they stand
    now: the checkpoint's, plus those since not reversed, less those reversed since."""
    model, value = _model(goods)
    before, rows = 0, []
    if journal_upto:
        kept = GiftSum.objects.filter(fund=fund, goods=goods)
        before = int(kept.filter(quarter__lt=start).aggregate(total=Sum("amount"))["total"]
                     or 0)
        rows = [(quarter, donor, int(amount)) for quarter, donor, amount in kept.filter(
            quarter__gte=start, quarter__lte=end).values_list("quarter", "donor_id", "amount")]
    since = (model.objects.filter(fund=fund, received_on__lte=end, journal_id__gt=journal_upto)
             .exclude(journal_id__in=list(reversed_by))
             .annotate(quarter=TruncQuarter("received_on")).values("quarter", "donor_id")
             .annotate(total=Sum(value)).order_by())
    taken_off = [journal for journal, by in reversed_by.items() if journal <= journal_upto < by]
    late = (model.objects.filter(fund=fund, received_on__lte=end, journal_id__in=taken_off)
            .annotate(quarter=TruncQuarter("received_on")).values("quarter", "donor_id")
            .annotate(total=Sum(value)).order_by()) if taken_off else []
    added = _dated([*((row["quarter"], row["donor_id"], int(row["total"])) for row in since),
                    *((row["quarter"], row["donor_id"], -int(row["total"])) for row in late)])
    for quarter, donor, amount in added:
        if quarter < start:
            before += amount
        else:
            rows.append((quarter, donor, amount))
    return before, rows


def _dated(rows: Iterable[tuple[Any, int, int]]) -> list[Row]:
    """TruncQuarter gives a date, or on SQLite sometimes a datetime: a date here."""
    return [(day.date() if isinstance(day, datetime.datetime) else day, donor, amount)
            for day, donor, amount in rows]


def stale(fund: Fund) -> bool:
    """Whether the gifts' checkpoint differs from its gifts summed again."""
    journal_upto = cut(fund)
    for goods in (False, True):
        kept = {(row.quarter, row.donor_id): row.amount
                for row in GiftSum.objects.filter(fund=fund, goods=goods)}
        summed = {(quarter, donor): amount
                  for quarter, donor, amount in _summed(fund, journal_upto, goods=goods)}
        if kept != summed:
            return True
    return False

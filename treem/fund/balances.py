"""Balances read fast: the sums of a fund's postings as its checkpoint (the sums up to one
posting, `Checkpoint`) plus the postings made since, in one query whatever the ledger's age.

Why a checkpoint cannot drift: postings are never edited or deleted (a mistake is corrected by
a reversing journal), so the sums of the postings up to an id never change — provided that no
posting with a smaller id commits after the checkpoint has read them. Ids come from a sequence
at insert time, not at commit, so a transaction still open could hold one. Hence the two locks
on the fund's row: every transaction that writes a journal first takes a shared one
(`hold_for_posting`, called by `services.open_journal`), and `checkpoint_write` the exclusive
one, so it waits for the transactions in flight to end, and those that start after it draw
larger ids. (On SQLite writers are serialised by the database itself.) The same holds for the
gifts the public account sums (`gift_sums`), cut at the last journal. `checkpoint_check`
recomputes the sums and says whether they match: the nightly command runs it, and so do the
tests."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from treem.fund import gift_sums
from treem.fund.models import Checkpoint, CheckpointSum, Fund, Journal, Posting

BUCKET = ("restriction_id", "campaign_id", "lot_id", "account")

Key = tuple[Any, ...]  # values of the `by` fields: ids, None, an account


def hold_for_posting(fund: Fund) -> None:
    """The shared lock on the fund's row that a transaction takes before it writes postings
    (many may hold it at once; a checkpoint being written waits for them all)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM fund_fund WHERE id = %s FOR SHARE", [fund.pk])


def checkpoint_upto(fund: Fund) -> int:
    """The id of the last posting the fund's checkpoint sums (0 without a checkpoint)."""
    return (Checkpoint.objects.filter(fund=fund).values_list("upto", flat=True).first() or 0)


def sums(fund: Fund, *, by: Sequence[str], where: Q | None = None) -> dict[Key, tuple[int, int]]:
    """The fund's postings matching `where` (on the bucket's fields and the account), grouped
    `by` some of `BUCKET`: key → (đồng, quantity). Two queries: the checkpoint's id, then the
    checkpoint's sums and the postings since, as one UNION ALL."""
    if not by:
        raise ValueError("sums are grouped by at least one of the bucket's fields")
    where = where or Q()
    upto = checkpoint_upto(fund)
    since = (Posting.objects.filter(where, fund=fund, id__gt=upto).values(*by)
             .annotate(total=Sum("amount"), units=Sum("quantity")).order_by())
    query = since
    if upto:
        kept = (CheckpointSum.objects.filter(where, fund=fund).values(*by)
                .annotate(total=Sum("amount"), units=Sum("quantity")).order_by())
        query = kept.union(since, all=True)  # type: ignore[arg-type]
    found: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
    for row in query:
        pair = found[tuple(row[field] for field in by)]
        pair[0] += int(row["total"] or 0)
        pair[1] += int(row["units"] or 0)
    return {key: (amount, quantity) for key, (amount, quantity) in found.items()}


@dataclass(frozen=True)
class Written:
    upto: int
    postings: int
    buckets: int
    gifts: int  # donors' sums by quarter (`gift_sums`)


@transaction.atomic
def checkpoint_write(fund: Fund) -> Written:
    """The fund's checkpoint rewritten from its postings up to the last one committed."""
    Fund.objects.select_for_update().get(pk=fund.pk)  # waits for the postings in flight
    upto = Posting.objects.filter(fund=fund).aggregate(last=Max("id"))["last"] or 0
    journal_upto = Journal.objects.filter(fund=fund).aggregate(last=Max("id"))["last"] or 0
    gifts = gift_sums.write(fund, journal_upto)
    rows = _grouped(fund, upto)  # zeros kept: a bucket emptied is still listed, as before
    CheckpointSum.objects.filter(fund=fund).delete()
    CheckpointSum.objects.bulk_create(
        [CheckpointSum(fund=fund, restriction_id=row["restriction_id"],
                       campaign_id=row["campaign_id"], lot_id=row["lot_id"],
                       account=row["account"], amount=row["total"], quantity=row["units"])
         for row in rows], batch_size=2_000)
    postings = sum(row["postings"] for row in rows)
    Checkpoint.objects.update_or_create(fund=fund, defaults={
        "upto": upto, "journal_upto": journal_upto, "postings": postings,
        "made_at": timezone.now()})
    return Written(upto, postings, len(rows), gifts)


def _grouped(fund: Fund, upto: int) -> list[dict[str, int]]:
    return list(Posting.objects.filter(fund=fund, id__lte=upto).values(*BUCKET)
                .annotate(total=Sum("amount"), units=Sum("quantity"), postings=Count("id"))
                .order_by())


def checkpoint_check(fund: Fund) -> list[Key]:
    """The buckets whose checkpoint differs from the sum of their postings up to it, summed
    again (none, unless the ledger was written around the services); ("gifts",) first when
    the gifts' sums differ."""
    upto = checkpoint_upto(fund)
    kept = {tuple(getattr(row, field) for field in BUCKET): (row.amount, row.quantity)
            for row in CheckpointSum.objects.filter(fund=fund)}
    summed = {tuple(row[field] for field in BUCKET): (int(row["total"]), int(row["units"]))
              for row in _grouped(fund, upto)}
    differing = sorted((key for key in {*kept, *summed} if kept.get(key) != summed.get(key)),
                       key=str)
    return [("gifts",), *differing] if gift_sums.stale(fund) else differing

"""Reads of the fund: balances as sums of postings, grouped by restriction and account."""

from django.db.models import Sum

from treem.fund.models import Fund, Posting


def balances(*, fund: Fund) -> dict[tuple[int, str], int]:
    """(restriction id, account) → the sum of its postings, in đồng: one grouped query."""
    rows = (Posting.objects.filter(fund=fund).values("restriction_id", "account")
            .annotate(total=Sum("amount")).order_by())
    return {(row["restriction_id"], row["account"]): int(row["total"]) for row in rows}

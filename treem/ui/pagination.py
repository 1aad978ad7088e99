"""Pagination that never counts a whole province to show the first page.

"nguyen van" matches tens of thousands of children; an exact COUNT(*) of them costs more
than finding the first fifty. Lists say "more than 1,000" instead and ask for a narrower
search: nobody pages through a thousand rows on a phone.
"""

from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import QuerySet

COUNT_CAP = 1000


def count_capped(queryset: QuerySet, cap: int = COUNT_CAP) -> int:
    """The number of rows, or cap + 1 when there are more than `cap` — without asking when
    the queryset already knows it has more (`ChildQuerySet.at_least`)."""
    known = getattr(queryset, "rows_at_least", None)
    if known is not None and known() > cap:
        return cap + 1
    exactly = getattr(queryset, "rows_exactly", None)
    if exactly is not None and (rows := exactly()) is not None:
        return min(rows, cap + 1)
    # Unordered: which rows make up the first cap + 1 does not change how many there are, and
    # ordered the database would sort every match (all 17,000 "thi van") to count a thousand.
    if not queryset.query.is_sliced:
        queryset = queryset.order_by()
    return queryset[: cap + 1].count()


class CappedPaginator(Paginator):
    cap = COUNT_CAP

    @cached_property
    def count(self) -> int:
        return count_capped(self.object_list, self.cap)  # type: ignore[arg-type]

    @property
    def capped(self) -> bool:
        return self.count > self.cap

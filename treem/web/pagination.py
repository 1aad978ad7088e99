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
    """The number of rows, or cap + 1 when there are more than `cap`."""
    return queryset[: cap + 1].count()


class CappedPaginator(Paginator):
    cap = COUNT_CAP

    @cached_property
    def count(self) -> int:
        return count_capped(self.object_list, self.cap)  # type: ignore[arg-type]

    @property
    def capped(self) -> bool:
        return self.count > self.cap

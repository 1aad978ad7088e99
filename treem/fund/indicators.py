"""What the indicators count of the fund (`treem.indicators.populations`), registered when the
app loads (`FundConfig.ready` calls `register`):

- fund_children: the children the fund helped — allocations delivered in the period to a
  child, each child once (a record merged into another in the register's dedup counts as the
  record kept: COALESCE(merged_into_id, id), one merge deep as the merge keeps it), in the
  commune of the need; `kind` narrows it to kinds of need (codes of `NeedKind`). A child
  helped in two communes counts in each commune, so once in each.
- fund_needs: the needs on the approved list of the period's year(s) (approved, not
  cancelled), in their commune; `met` keeps those met by the period's end — delivered in full:
  what was delivered for the need adds up to its amount (an allocation never goes above it,
  so "met" is "fully allocated and delivered"); `kind` as above. "Share of the needs list met"
  is fund_needs met over fund_needs.

`needs_met` gives the same two counts for one fund and year (the yearly report's)."""

import datetime
from typing import Any

from django.db.models import BigIntegerField, Count, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from treem.fund.models import Allocation, AllocationStatus, Fund, Need, NeedStatus
from treem.indicators import populations
from treem.indicators.periods import Period


def _kind(values: list[Any]) -> Q:
    return Q(kind__code__in=values)


def _children(period: Period, in_scope: Q) -> QuerySet:
    return (Allocation.objects.filter(in_scope, status=AllocationStatus.DELIVERED,
                                      child__isnull=False,
                                      delivery__delivered_on__gte=period.start,
                                      delivery__delivered_on__lte=period.end)
            .annotate(child_key=Coalesce("child__merged_into_id", "child_id")))


def _children_where(name: str, values: list[Any], period: Period) -> Q:
    return _kind(values)


def listed(needs: QuerySet[Need], until: datetime.date) -> QuerySet[Need]:
    """Approved needs, each with `delivered`: what was handed over for it by `until`."""
    handed = (Allocation.objects.filter(need=OuterRef("pk"), status=AllocationStatus.DELIVERED,
                                        delivery__delivered_on__lte=until)
              .values("need").annotate(total=Sum("amount")).values("total"))
    return (needs.filter(status=NeedStatus.APPROVED)
            .annotate(delivered=Coalesce(Subquery(handed, output_field=BigIntegerField()),
                                         Value(0))))


MET = Q(delivered__gte=F("amount"))


def _needs(period: Period, in_scope: Q) -> QuerySet:
    return listed(Need.objects.filter(in_scope, year__gte=period.start.year,
                                      year__lte=period.end.year), period.end)


def _needs_where(name: str, values: list[Any], period: Period) -> Q:
    if name == "kind":
        return _kind(values)
    return MET if values[0] else ~MET


def needs_met(*, fund: Fund, year: int, until: datetime.date) -> tuple[int, int]:
    """(approved needs of the fund's list of `year`, those met by `until`): one query."""
    found = listed(Need.objects.filter(fund=fund, year=year), until).aggregate(
        listed=Count("id"), met=Count("id", filter=MET))
    return found["listed"], found["met"]


def register() -> None:
    populations.register(populations.Population(
        name="fund_children", filters={"kind": None}, dimensions=(), rows=_children,
        where=_children_where, measure="child_key"))
    populations.register(populations.Population(
        name="fund_needs", filters={"kind": None, "met": [True, False]}, dimensions=(),
        rows=_needs, where=_needs_where, measure="id"))

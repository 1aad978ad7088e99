"""No double beneficiaries ("tránh chồng chéo, trùng lặp các đối tượng được hưởng lợi", Hải
Phòng's plan under QĐ 588/QĐ-TTg): before an allocation, the same child — or household — is
checked against every other support of the same kind in an overlapping period:
- allocations not cancelled, from any fund and any earmark (whoever the donor);
- the supports recorded on the child in the register (a state allowance, a school's aid…),
  compared by the register's kind of support.
A child merged into another record (the register's dedup) is the same child as the one kept,
and as every other record merged into it."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import BigIntegerField, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from treem.fund import exceptions as exc
from treem.fund.models import Allocation, AllocationStatus, NeedKind
from treem.registry.models import Child, ChildSupport, Household


@dataclass(frozen=True)
class Overlap:
    """Another support found, as the officer is shown it (no other child's name)."""

    source: str  # "fund" or "register"
    reference: str
    kind: str
    start: datetime.date
    end: datetime.date | None
    provider: str


def same_child(child_id: int) -> QuerySet[Child, dict[str, Any]]:
    """The ids of the records that are this child, as a subquery (no round trip of its own):
    the record kept at the end of its merges, and every record merged into it. A merge
    repoints the records merged earlier into the one it keeps (the register's
    `dedup.merging`), so merges are one level deep."""
    kept = Coalesce(Subquery(Child.objects.filter(pk=child_id).values("merged_into_id")[:1]),
                    Value(child_id), output_field=BigIntegerField())
    return Child.objects.filter(Q(pk=kept) | Q(merged_into_id=kept)).order_by().values("pk")


def overlaps(*, kind: NeedKind, start: datetime.date, end: datetime.date,
             child: Child | None = None, household: Household | None = None,
             exclude: Allocation | None = None, need: Any = None) -> list[Overlap]:
    """The other supports of `kind` for the child (with its merged records and its household's
    own supports) or the household (with its children's), overlapping start–end; not those
    answering `need` itself (a need paid from two earmarks is one support)."""
    if child is None and household is None:
        return []
    if child is not None:
        child_ids = same_child(child.pk)
        household_id = child.household_id
        who = Q(child_id__in=child_ids)
        if household_id is not None:
            who |= Q(household_id=household_id, child__isnull=True)
        supported = Q(child_id__in=child_ids)
    else:
        household_id = household.pk if household is not None else None
        who = Q(household_id=household_id, child__isnull=True) | Q(child__household_id=household_id)
        supported = Q(child__household_id=household_id)
    allocations = (Allocation.objects.filter(who, kind=kind, period_start__lte=end,
                                             period_end__gte=start)
                   .exclude(status=AllocationStatus.CANCELLED).select_related("fund", "kind"))
    if exclude is not None:
        allocations = allocations.exclude(pk=exclude.pk)
    if need is not None:
        allocations = allocations.exclude(need=need)
    found = [Overlap("fund", row.reference, row.kind.label, row.period_start, row.period_end,
                     row.fund.name) for row in allocations.order_by("period_start", "id")[:20]]
    supports = (ChildSupport.objects.filter(supported, kind=kind.support_kind,
                                            start_date__lte=end)
                .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
                .order_by("start_date", "id"))
    found += [Overlap("register", f"HT-{str(row.public_id)[:8].upper()}",
                      row.get_kind_display(), row.start_date, row.end_date,
                      row.provider) for row in supports[:20]]
    return found


class DoubleBeneficiary(ValidationError):
    """A second support of the same kind in the period, refused until an officer gives a
    reason; carries what was found, so that the page shows the officer why."""

    def __init__(self, found: list[Overlap]) -> None:
        self.found = found
        super().__init__({"override_reason": exc.DOUBLE_BENEFICIARY % {
            "found": describe(found)}})


def describe(found: list[Overlap]) -> str:
    """One line per overlap, for the refusal the officer reads."""
    lines = []
    for row in found:
        until = f"{row.end:%d/%m/%Y}" if row.end else gettext("nay")
        where = gettext("Quỹ") if row.source == "fund" else gettext("Sổ theo dõi")
        lines.append(f"{where} {row.reference}: {row.kind}, {row.provider or '—'}, "
                     f"{row.start:%d/%m/%Y}–{until}")
    return "; ".join(lines)

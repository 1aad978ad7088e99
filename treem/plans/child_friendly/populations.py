"""What the indicators count of the child-friendly assessment (`treem.indicators.populations`):

- communes: the communes of the structure in force on the period's last day (each counts
  itself), the denominator of "share of communes recognised";
- child_friendly_communes: the communes whose assessment of the period's year was recognised
  (Bắc Sơn's BS09, Bình Long's chỉ tiêu 1);
- villages: the villages (thôn, bản, tổ dân phố) in force on the period's last day, counted
  in their commune; `collaborator` keeps those where a village collaborator of treem held
  the role that day (item 1.2 of QĐ 06: "có bố trí cộng tác viên … tại thôn").
"""

from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from treem.accounts.models import RoleAssignment
from treem.accounts.roles import Role
from treem.geo.models import Level, Unit
from treem.indicators import populations
from treem.indicators.periods import Period
from treem.plans.child_friendly.models import Assessment, AssessmentStatus


def _communes(period: Period, in_scope: Q) -> QuerySet:
    return (Unit.objects.valid_on(period.end).filter(in_scope, level=Level.COMMUNE)
            .annotate(commune_id=F("id")))


def _recognised(period: Period, in_scope: Q) -> QuerySet:
    return (Assessment.objects.filter(in_scope, year=period.end.year,
                                      status=AssessmentStatus.RECOGNISED)
            .annotate(commune_id=F("unit_id")))


def _villages(period: Period, in_scope: Q) -> QuerySet:
    return (Unit.objects.valid_on(period.end).filter(in_scope, level=Level.VILLAGE)
            .annotate(commune_id=F("parent_id")))


def _village_where(name: str, values: list[Any], period: Period) -> Q:
    end = period.end
    held = (RoleAssignment.objects.filter(unit=OuterRef("pk"), role=Role.VILLAGE_COLLABORATOR,
                                          created_at__date__lte=end, user__is_active=True)
            .filter(Q(revoked_at__isnull=True) | Q(revoked_at__date__gt=end)))
    return Q(Exists(held)) if values[0] else ~Q(Exists(held))


def _no_filter(name: str, values: list[Any], period: Period) -> Q:
    raise ValueError(name)  # no filter is offered: the spec's check refuses any first


def register() -> None:
    populations.register(populations.Population(
        name="communes", filters={}, dimensions=(), rows=_communes, where=_no_filter,
        measure="id", scope_field="path"))
    populations.register(populations.Population(
        name="child_friendly_communes", filters={}, dimensions=(), rows=_recognised,
        where=_no_filter, measure="unit_id"))
    populations.register(populations.Population(
        name="villages", filters={"collaborator": [True, False]}, dimensions=(),
        rows=_villages, where=_village_where, measure="id", scope_field="path"))

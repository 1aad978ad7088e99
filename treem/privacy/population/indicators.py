"""What the indicators count of the population-database exchange (`treem.indicators
.populations`), registered when the app loads (`PrivacyConfig.ready` calls `register`):

- verified_id_children: children on the register whose current personal id was confirmed
  against the national population database (by the commune police's answer or an online
  lookup) on or before the period's last day, each child once, in the child's commune of
  today (the register's `unit_path`; a child who moved counts where it lives now). The
  birth-registration criterion of a child-friendly commune and a province's Đề án 06 target
  can name it: `{"numerator": {"population": "verified_id_children"}}`.
"""

from typing import Any

from django.db.models import F, Q, QuerySet

from treem.indicators import populations
from treem.indicators.periods import Period
from treem.privacy.models import PersonalIdVerification


def _verified(period: Period, in_scope: Q) -> QuerySet:
    return (PersonalIdVerification.objects.filter(in_scope, verified_on__lte=period.end,
                                                  child__merged_into__isnull=True,
                                                  personal_id=F("child__personal_id"))
            .annotate(commune_id=F("child__commune_id")))


def _where(name: str, values: list[Any], period: Period) -> Q:
    return Q()  # no filters


def register() -> None:
    populations.register(populations.Population(
        name="verified_id_children", filters={}, dimensions=(), rows=_verified,
        where=_where, measure="child_id", scope_field="child__unit_path"))

"""The dashboards' values, kept a short while: a province's every indicator for a period takes
one to two seconds to compute at a million children, and its officers open the dashboard, an
indicator, the dashboard again. The pages say when the values were computed and offer to
compute them again; a sector's new figures forget the province's kept values at once.

Reports never read from here: a submitted report freezes values computed at that moment.
"""

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from treem.geo.models import Unit
from treem.indicators.compute import Values
from treem.indicators.models import IndicatorVersion
from treem.indicators.periods import Period
from treem.indicators.values import indicator_values
from treem.lib.routing import replica_reads

REFRESH_AFTER = datetime.timedelta(minutes=1)


@dataclass(frozen=True)
class Computed:
    values: Values
    at: datetime.datetime


NATION = "nation"


def _generation_key(unit: Unit) -> str:
    """Kept values are dropped province by province; the nation's with any province's."""
    return f"treem:indicator-values:generation:{unit.province_code or NATION}"


def _key(versions: list[IndicatorVersion], period: Period, unit: Unit) -> str:
    # The definitions by id (a new version is a new id) and the period's own days (a report's
    # window and a calendar period share a code): a key names exactly what was computed.
    ids = ",".join(str(pk) for pk in sorted(v.pk for v in versions))
    digest = hashlib.sha256(ids.encode()).hexdigest()[:16]
    generation = cache.get(_generation_key(unit), 0)
    return (f"treem:indicator-values:{unit.pk}:{period.code}:{period.start}:{period.end}:"
            f"{digest}:{generation}")


@replica_reads()
def cached_values(versions: Iterable[IndicatorVersion], period: Period, unit: Unit,
                  *, fresh: bool = False) -> Computed:
    """The values of `indicator_values`, as kept for up to TREEM_INDICATOR_CACHE_SECONDS, or
    computed now (and kept) when none are kept or `fresh` is asked for."""
    versions = list(versions)
    key = _key(versions, period, unit)
    kept = cache.get(key)
    # Asked again within a minute, the values just computed are fresh enough: a button
    # pressed twice does not compute a province twice.
    if kept is not None and (not fresh or timezone.now() - kept.at < REFRESH_AFTER):
        return kept
    computed = Computed(indicator_values(versions, period, unit), timezone.now())
    cache.set(key, computed, settings.TREEM_INDICATOR_CACHE_SECONDS)
    return computed


def forget(unit: Unit) -> None:
    """Drop every kept value of the unit's province, and the nation's (a sector's figures
    changed)."""
    for key in {_generation_key(unit), f"treem:indicator-values:generation:{NATION}"}:
        if cache.add(key, 1, timeout=None):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.set(key, 1, timeout=None)

"""The figures a report would freeze if it were sent now: computed, never written.

Sending a report freezes them (`services.report_submit`); before that the officer sees them on
the draft's page and on the confirmation page, and confirms the very figures it saw: the
fingerprint of what was shown travels with the confirmation, and a report whose figures changed
in between is not sent (`exceptions.FIGURES_CHANGED`). Below both the services and the rendering.
"""

import datetime
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db.models import F

from treem.geo.models import Level, Unit
from treem.indicators.catalogue import current_versions
from treem.indicators.compute import Values
from treem.indicators.models import IndicatorVersion
from treem.indicators.periods import Period
from treem.indicators.values import indicator_values
from treem.lib.routing import replica_reads
from treem.reports.counting import count_case_tables, data_window
from treem.reports.models import Report, ReportValue, Status

# (indicator version id, unit id, breakdown) → (numerator, denominator)
Rows = dict[tuple[int, int, str], tuple[int, int | None]]


@dataclass(frozen=True)
class Figures:
    rows: Rows
    data_from: datetime.date
    data_until: datetime.date
    case_tables: list[Any]

    @property
    def fingerprint(self) -> str:
        """The same for the same figures, whatever order they were computed in."""
        canonical = json.dumps(
            [sorted([*key, *value] for key, value in self.rows.items()),
             self.data_from.isoformat(), self.data_until.isoformat(), self.case_tables],
            ensure_ascii=False, default=str)
        return hashlib.sha256(canonical.encode()).hexdigest()


def child_reports(report: Report) -> list[Report]:
    """The current reports of the units directly under the report's unit, for the same
    period and schedule as the report."""
    return list(Report.objects.current().filter(
        schedule=report.schedule, period=report.period, unit__parent=report.unit)
        .select_related("unit"))


def approved_child_reports(report: Report) -> list[Report]:
    """Per unit directly under the report's, its latest approved version (a correction being
    written does not take the approved figures out of the consolidation)."""
    found: dict[int, Report] = {}
    for child in (Report.objects.filter(schedule=report.schedule, period=report.period,
                                        unit__parent=report.unit, status=Status.APPROVED)
                  .order_by("unit_id", "-version")):
        found.setdefault(child.unit_id, child)
    return list(found.values())


@replica_reads()
def report_figures(report: Report) -> Figures:
    """Computed and entered values for a unit with no unit under it reporting; for the others,
    the sums of their units' approved reports, with each unit's own rows kept for the annex
    tables. The days counted and the case tables too."""
    rows: dict[tuple[int, int, str], list[int | None]] = {}
    approved = approved_child_reports(report)
    window = data_window(report)
    data_from, data_until = window.start, window.end
    if approved:  # a consolidation counts the days its units' reports counted
        data_from = min(child.data_from or window.start for child in approved)
        data_until = max(child.data_until or window.end for child in approved)
    case_tables = count_case_tables(report.unit.path, data_from, data_until)
    if approved or child_reports(report):
        own = ReportValue.objects.filter(report__in=approved, unit=F("report__unit"))
        for value in own:
            for unit_id in (value.unit_id, report.unit_id):
                slot = rows.setdefault((value.indicator_version_id, unit_id, value.breakdown),
                                       [0, None])
                slot[0] = (slot[0] or 0) + value.numerator
                if value.denominator is not None:
                    slot[1] = (slot[1] or 0) + value.denominator
    else:
        versions = list(current_versions(report.schedule.indicator_sets.all()))
        for (version_id, unit_id, breakdown), cell in _values(
                versions, window, report.unit).items():
            if unit_id == report.unit_id:
                rows[(version_id, unit_id, breakdown)] = [cell.numerator, cell.denominator]
    return Figures(rows={key: (int(n or 0), d) for key, (n, d) in rows.items()},
                   data_from=data_from, data_until=data_until, case_tables=case_tables)


# The unit whose communes' reports share one computation, and what it computed so far.
_together: ContextVar[tuple[Unit, dict[Any, Values]] | None] = ContextVar(
    "reports_computed_together", default=None)


@contextmanager
def computed_together(unit: Unit) -> Iterator[None]:
    """Within it, the report of a commune under `unit` takes its computed and entered values
    from one computation over `unit` (per indicator sets and window) instead of its own, so
    a province's communes send their reports in about the time of one (the national generator,
    `treem.reports.synthetic`). The cells are the same: a commune's cells do not depend on the
    scope they are computed in, and a dissolved commune's data maps to its default successor
    either way (`treem.geo.lineage`). Computed once: for when nothing is written meanwhile."""
    token = _together.set((unit, {}))
    try:
        yield
    finally:
        _together.reset(token)


def _values(versions: list[IndicatorVersion], window: Period, unit: Unit) -> Values:
    """`indicator_values` for the unit, from the shared computation when there is one."""
    together = _together.get()
    if together is None or unit.level != Level.COMMUNE:
        return indicator_values(versions, window, unit)
    scope, computed = together
    if not unit.path.startswith(scope.path):
        return indicator_values(versions, window, unit)
    key = (tuple(sorted(version.pk for version in versions)), window)
    if key not in computed:
        computed[key] = indicator_values(versions, window, scope)
    return computed[key]

"""What a report counts: the days of its data window and the cases of its tables. Below both
the services that freeze a report and the pages and files that show it."""

import datetime
from typing import Any

from django.utils import timezone

from treem.cases import statistics
from treem.indicators import periods
from treem.reports.models import Report

INJURY_DEATHS = "injury_deaths"  # the key of the last case table


def data_window(report: Report, today: datetime.date | None = None) -> periods.Period:
    """The days the report counts: its schedule's window of the period, up to today when the
    window has not ended yet."""
    return periods.window(periods.parse(report.period), report.schedule.window,
                          until=today or timezone.localdate())


def count_case_tables(path: str, start: datetime.date,
                      end: datetime.date) -> list[list[Any]]:
    """The cases received in [start, end] under `path`, by each breakdown of the case
    statistics, and the children who died of injury: [[key, [[label, count], …]], …], as a
    report freezes them."""
    paths = [path]
    tables = [[by, [list(row) for row in statistics.case_counts(
        paths=paths, start=start, end=end, by=by)]] for by in statistics.BREAKDOWNS]
    tables.append([INJURY_DEATHS, [list(row) for row in statistics.injury_deaths(
        paths=paths, start=start, end=end)]])
    return tables

"""What a report shows and prints: its frozen values as indicator rows, for the report's unit
and (for a consolidated report) each unit under it; and its Excel workbook."""

import datetime
import io
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from treem.audit.models import Action
from treem.audit.services import event_record
from treem.indicators.compute import Cell
from treem.indicators.models import IndicatorVersion
from treem.indicators.spec import SCALES
from treem.lib.spreadsheet import safe_cell
from treem.reports.models import Report


@dataclass(frozen=True)
class Line:
    version: IndicatorVersion
    unit_name: str
    breakdown: str
    numerator: int
    denominator: int | None
    value: float | None


def lines(report: Report) -> list[Line]:
    """Every frozen value, the report's own unit first, then the units under it by name."""
    rows = (report.values.select_related("indicator_version__indicator", "unit")
            .order_by("indicator_version__indicator__indicator_set__code",
                      "indicator_version__indicator__sort_order", "breakdown"))
    found = []
    for row in rows:
        version = row.indicator_version
        cell = Cell(row.numerator, row.denominator)
        found.append(Line(version, row.unit.name, row.breakdown, row.numerator,
                          row.denominator, cell.value(SCALES[version.unit_kind])))
    own = report.unit.name
    return sorted(found, key=lambda line: (line.version.indicator.indicator_set_id,
                                           line.version.indicator.sort_order,
                                           line.unit_name != own, line.unit_name,
                                           line.breakdown))


def workbook(*, actor: Any, report: Report, reason: str = "") -> bytes:
    """The report as .xlsx: the narrative, then one row per value (formula-safe cells)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_("Báo cáo")[:31])
    first, last, _frozen = days_counted(report)
    sheet.append([safe_cell(report.schedule.name), safe_cell(report.unit.name), report.period,
                  f"v{report.version}", str(report.get_status_display()),
                  _("Số liệu từ %(first)s đến %(last)s") % {
                      "first": first.strftime("%d/%m/%Y"), "last": last.strftime("%d/%m/%Y")}])
    for label, text in ((_("Kết quả đạt được"), report.results),
                        (_("Khó khăn, vướng mắc"), report.difficulties),
                        (_("Đề xuất, kiến nghị"), report.proposals)):
        sheet.append([str(label), safe_cell(text)])
    sheet.append([])
    sheet.append([_("Mã"), _("Chỉ tiêu"), _("Đơn vị"), _("Phân tổ"), _("Tử số"), _("Mẫu số"),
                  _("Giá trị")])
    for line in lines(report):
        sheet.append([line.version.indicator.code, safe_cell(line.version.name),
                      safe_cell(line.unit_name), line.breakdown, line.numerator,
                      line.denominator, None if line.value is None else round(line.value, 3)])
    # The case tables of the period (counts, never names), one block per breakdown.
    cases = book.create_sheet(title=_("Vụ việc")[:31])
    for title, rows in case_tables(report):
        cases.append([str(title)])
        for label, count in rows:
            cases.append([safe_cell(label), count])
        cases.append([])
    buffer = io.BytesIO()
    book.save(buffer)
    event_record(actor=actor, action=Action.EXPORT, obj=report, unit=report.unit,
                 fields=["report", "xlsx"], reason=reason)
    return buffer.getvalue()


def days_counted(report: Report) -> tuple[datetime.date, datetime.date, bool]:
    """(first day, last day, frozen): the days the report's figures count, as frozen on
    submission, or for a draft those it would count today."""
    from treem.reports.services import data_window

    if report.data_from is not None and report.data_until is not None:
        return report.data_from, report.data_until, True
    window = data_window(report)
    return window.start, window.end, False


INJURY_DEATHS = "injury_deaths"  # the key of the last case table


def count_case_tables(path: str, start: datetime.date,
                      end: datetime.date) -> list[list[Any]]:
    """The cases received in [start, end] under `path`, by each breakdown of the case
    statistics, and the children who died of injury: [[key, [[label, count], …]], …], as a
    report freezes them."""
    from treem.cases import statistics

    paths = [path]
    tables = [[by, [list(row) for row in statistics.case_counts(
        paths=paths, start=start, end=end, by=by)]] for by in statistics.BREAKDOWNS]
    tables.append([INJURY_DEATHS, [list(row) for row in statistics.injury_deaths(
        paths=paths, start=start, end=end)]])
    return tables


def case_tables(report: Report) -> list[tuple[Any, list[tuple[str, int]]]]:
    """The report's case tables with their titles: as frozen on submission, or for a draft
    counted now over its data window."""
    from treem.cases.statistics import BREAKDOWN_TITLES
    from treem.reports.services import data_window

    tables = report.case_tables
    if not tables and report.data_until is None:
        window = data_window(report)
        tables = count_case_tables(report.unit.path, window.start, window.end)
    titles = {**BREAKDOWN_TITLES, INJURY_DEATHS: _("Trẻ em tử vong do tai nạn, thương tích")}
    return [(titles.get(key, key), [(str(label), int(n)) for label, n in rows])
            for key, rows in tables]


def chart_rows(report: Report,
               found: list[Line]) -> list[tuple[Any, list[tuple[str, float, float]]]]:
    """For a consolidated report: each indicator's value per unit below (from its `lines`),
    with the bar's share of the largest (0–100), for the printed charts."""
    grouped: dict[int, list[Line]] = {}
    for line in found:
        if line.breakdown == "" and line.unit_name != report.unit.name and line.value is not None:
            grouped.setdefault(line.version.pk, []).append(line)
    charts = []
    for rows in grouped.values():
        top = max(line.value or 0 for line in rows) or 1
        charts.append((rows[0].version, [(line.unit_name, line.value or 0,
                                          100 * (line.value or 0) / top) for line in rows]))
    return charts

"""What a report shows and prints: its frozen values as indicator rows, for the report's unit
and (for a consolidated report) each unit under it; and its Excel workbook."""

import datetime
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from openpyxl import Workbook

from treem.accounts.models import User
from treem.accounts.permissions import Capability
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.cases.statistics import BREAKDOWN_TITLES
from treem.geo.models import Unit
from treem.indicators import breakdowns
from treem.indicators.compute import Cell
from treem.indicators.formatting import indicator_value
from treem.indicators.models import IndicatorVersion
from treem.indicators.periods import Period
from treem.indicators.spec import SCALES
from treem.lib.routing import replica_reads
from treem.lib.spreadsheet import safe_cell
from treem.registry.exporting import checked_reason, record_export, write_children
from treem.registry.selectors import special_circumstances_on
from treem.reports.counting import INJURY_DEATHS, count_case_tables, data_window
from treem.reports.figures import Figures
from treem.reports.models import Report
from treem.ui import charts
from treem.ui.charts import Chart

if TYPE_CHECKING:  # its selectors reach the services, which this module stands apart from
    from treem.reports.selectors import Completeness


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
    rows = (report.values.select_related("indicator_version__indicator__indicator_set", "unit")
            .order_by("indicator_version__indicator__indicator_set__code",
                      "indicator_version__indicator__sort_order", "breakdown"))
    found = []
    for row in rows:
        version = row.indicator_version
        cell = Cell(row.numerator, row.denominator)
        found.append(Line(version, row.unit.name, row.breakdown, row.numerator,
                          row.denominator, cell.value(SCALES[version.unit_kind])))
    return _in_order(report, found)


def _in_order(report: Report, found: list[Line]) -> list[Line]:
    own = report.unit.name
    return sorted(found, key=lambda line: (line.version.indicator.indicator_set_id,
                                           line.version.indicator.sort_order,
                                           line.unit_name != own, line.unit_name,
                                           line.breakdown))


def figure_lines(report: Report, figures: Figures) -> list[Line]:
    """The figures a draft would freeze now, as `lines` shows frozen ones (two queries)."""
    versions = IndicatorVersion.objects.select_related("indicator__indicator_set").in_bulk(
        {version_id for version_id, _unit, _breakdown in figures.rows})
    names = dict(Unit.objects.filter(pk__in={unit for _v, unit, _b in figures.rows})
                 .values_list("pk", "name"))
    found = []
    for (version_id, unit_id, breakdown), (numerator, denominator) in figures.rows.items():
        version = versions[version_id]
        cell = Cell(numerator, denominator)
        found.append(Line(version, names[unit_id], breakdown, numerator, denominator,
                          cell.value(SCALES[version.unit_kind])))
    return _in_order(report, found)


def figure_case_tables(figures: Figures) -> list[tuple[Any, list[tuple[str, int]]]]:
    return _titled(figures.case_tables)


@replica_reads()
def workbook(*, actor: User, report: Report, children_reason: str | None = None) -> bytes:
    """The report as .xlsx: the narrative and one row per value; the indicator tables by
    breakdown; the case tables; and, when a reason is given by someone who may export the
    register, the list of children in special circumstances on the report's last day.
    Formula-safe cells; the download is audited (the list as an export of the register)."""
    listed = _children_to_list(actor, report, children_reason)
    book = Workbook(write_only=True)
    found = lines(report)
    _narrative_sheet(book, report, found)
    _breakdown_sheet(book, report, found)
    cases = book.create_sheet(title=_("Vụ việc")[:31])
    for title, rows in case_tables(report):  # counts, never names
        cases.append([str(title)])
        for label, number in rows:
            cases.append([safe_cell(label), number])
        cases.append([])
    count: int | None = None
    if listed is not None:
        children, groups = listed
        count = write_children(book.create_sheet(title=_("Trẻ em có HCĐB")[:31]), children,
                               extra=(_("Nhóm hoàn cảnh đặc biệt"), groups))
    buffer = io.BytesIO()
    book.save(buffer)
    event_record(actor=actor, action=Action.EXPORT, obj=report, unit=report.unit,
                 fields=["report", "xlsx"], reason=children_reason or "")
    if count is not None:
        record_export(actor=actor, unit=report.unit, reason=children_reason or "", rows=count)
    return buffer.getvalue()


@replica_reads()
def printed(report: Report) -> dict[str, Any]:
    """What the report's PDF shows (its template's context), read together."""
    found = lines(report)
    return {"report": report, "lines": found, "days": days_counted(report),
            "charts": charts_of(report, found), "case_tables": case_tables(report)}


def _children_to_list(actor: User, report: Report, reason: str | None) -> Any:
    """The children of the report's list and their groups, checked before anything is
    written: a reason, and the right to export the register on the report's unit."""
    if reason is None:
        return None
    reason = checked_reason(reason)
    if not actor.in_scope(report.unit.path, capability=Capability.EXPORT_CHILDREN):
        raise PermissionDenied(_("Bạn không được xuất danh sách trẻ em của đơn vị này."))
    return special_circumstances_on(user=actor, unit=report.unit, day=days_counted(report)[1])


def _narrative_sheet(book: Any, report: Report, found: list[Line]) -> None:
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
    for line in found:
        sheet.append([line.version.indicator.code, safe_cell(line.version.name),
                      safe_cell(line.unit_name), line.breakdown, line.numerator,
                      line.denominator, _rounded(line.value)])


def _breakdown_sheet(book: Any, report: Report, found: list[Line]) -> None:
    """The statistical tables: per indicator set, a row per indicator and unit (the report's
    own first), the total then a column per breakdown (sex, age group, ethnicity, place)."""
    sheet = book.create_sheet(title=_("Biểu chỉ tiêu")[:31])
    sheet.append([_("Biểu tổng hợp chỉ tiêu theo phân tổ — %(unit)s — kỳ %(period)s") % {
        "unit": safe_cell(report.unit.name), "period": report.period}])
    by_set: dict[Any, list[Line]] = {}
    for line in found:
        by_set.setdefault(line.version.indicator.indicator_set, []).append(line)
    for indicator_set, set_lines in by_set.items():
        columns = sorted({line.breakdown for line in set_lines if line.breakdown},
                         key=breakdowns.column_order)
        sheet.append([])
        sheet.append([safe_cell(indicator_set.name)])
        sheet.append([_("STT"), _("Mã"), _("Chỉ tiêu"), _("Đơn vị tính"), _("Đơn vị"),
                      _("Tổng")] + [f"{breakdowns.DIMENSION_LABELS.get(key.split('=')[0], '')}"
                                    f": {breakdowns.label_of(key)}" for key in columns])
        rows: dict[tuple[int, str], dict[str, float | None]] = {}
        for line in set_lines:
            rows.setdefault((line.version.pk, line.unit_name), {})[line.breakdown] = line.value
        versions = {line.version.pk: line.version for line in set_lines}
        for number, ((version_pk, unit_name), values) in enumerate(rows.items(), start=1):
            version = versions[version_pk]
            sheet.append([number, version.indicator.code, safe_cell(version.name),
                          str(version.get_unit_kind_display()), safe_cell(unit_name),
                          _rounded(values.get(""))]
                         + [_rounded(values.get(key)) for key in columns])


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def days_counted(report: Report) -> tuple[datetime.date, datetime.date, bool]:
    """(first day, last day, frozen): the days the report's figures count, as frozen on
    submission, or for a draft those it would count today."""
    if report.data_from is not None and report.data_until is not None:
        return report.data_from, report.data_until, True
    window = data_window(report)
    return window.start, window.end, False


def case_tables(report: Report) -> list[tuple[Any, list[tuple[str, int]]]]:
    """The report's case tables with their titles: as frozen on submission, or for a draft
    counted now over its data window."""
    tables = report.case_tables
    if not tables and report.data_until is None:
        window = data_window(report)
        tables = count_case_tables(report.unit.path, window.start, window.end)
    return _titled(tables)


def _titled(tables: list[Any]) -> list[tuple[Any, list[tuple[str, int]]]]:
    titles = {**BREAKDOWN_TITLES, INJURY_DEATHS: _("Trẻ em tử vong do tai nạn, thương tích")}
    return [(titles.get(key, key), [(str(label), int(n)) for label, n in rows])
            for key, rows in tables]


def charts_of(report: Report, found: list[Line]) -> list[Chart]:
    """For a consolidated report: each indicator's value per unit below (from its `lines`),
    ranked, as the same SVG chart the indicator page draws (the PDF runs no script)."""
    grouped: dict[int, list[Line]] = {}
    for line in found:
        if line.breakdown == "" and line.unit_name != report.unit.name and line.value is not None:
            grouped.setdefault(line.version.pk, []).append(line)
    drawn = []
    for rows in grouped.values():
        version = rows[0].version
        ranked = sorted(rows, key=lambda line: (-(line.value or 0), line.unit_name))
        drawn.append(charts.ranked(
            title=f"{version.indicator.code} — {version.name}",
            labels=[line.unit_name for line in ranked], values=[line.value for line in ranked],
            value_format=_formatter(version.unit_kind), column=version.name))
    return drawn


def _formatter(unit_kind: str) -> charts.Format:
    return lambda value: indicator_value(value, unit_kind)


def completeness_chart(*, unit: Unit, period: Period, found: "Completeness") -> Chart | None:
    """The reports of a period from the units under `unit`: on time, late, not yet sent."""
    if not found.expected:
        return None
    on_time = len(found.on_time)
    late = len(found.received) - on_time
    missing = len(found.expected) - len(found.received)
    return charts.stacked(
        title=_("Báo cáo %(period)s của các đơn vị trực thuộc") % {"period": period.label},
        labels=[unit.name],
        series=[(_("Gửi đúng hạn"), [on_time]), (_("Gửi muộn"), [late]),
                (_("Chưa gửi"), [missing])],
        colours=[charts.GOOD, charts.SOON, charts.LATE],
        summary=_("Đã nhận %(r)s/%(e)s báo cáo, %(t)s đúng hạn") % {
            "r": len(found.received), "e": len(found.expected), "t": on_time})

"""The report pages: the commune writes and submits, the province returns and approves, who
has reported, the consolidated report's Excel and PDF."""

import datetime
import io
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from treem.accounts.roles import Role
from treem.audit.models import Action, AuditEvent
from treem.indicators.catalogue import load_set
from treem.reports.models import Report, Schedule, Status
from treem.reports.rendering import workbook
from treem.reports.tests.test_services import schedule  # noqa: F401 - the fixture
from treem.testing import login, make_user

pytestmark = pytest.mark.django_db


def _texts(report: Report, **texts: str) -> dict[str, object]:
    """The report's texts form as posted from its page: with the version it was read at."""
    return {**texts, "version": Report.objects.get(pk=report.pk).narrative_version}


def _open(client: Client, unit, period: str = "2026S1") -> Report:
    client.post(reverse("reports:report_open"),
                {"schedule": "test", "unit": unit.public_id, "period": period})
    return Report.objects.get(unit=unit, period=period)


def _send(client: Client, report: Report, **texts: str) -> None:
    """Send as from the page: save the texts with "Gửi báo cáo", then confirm the figures
    the confirmation page shows."""
    response = client.post(reverse("reports:report_write", args=[report.public_id]),
                           _texts(report, **texts, submit="1"))
    send = reverse("reports:report_send", args=[report.public_id])
    assert response.status_code == 302 and response["Location"] == send
    shown = client.get(send)
    assert shown.status_code == 200
    client.post(send, {"figures": shown.context["form"].initial["figures"]})


class ReportPageTests:
    def test_commune_submits_province_returns_commune_corrects_province_approves(
            self, tree, personas, schedule) -> None:  # noqa: F811
        officer = login(Client(), personas.officer)
        report = _open(officer, tree.commune_a)
        write = reverse("reports:report_write", args=[report.public_id])
        empty = officer.post(write, _texts(report, results="", submit="1"), follow=True)
        assert "Hãy ghi kết quả đạt được trước khi gửi." in empty.content.decode()
        _send(officer, report, results="Rà soát 2 trẻ")
        report.refresh_from_db()
        assert report.status == Status.SUBMITTED
        province = login(Client(), personas.province_officer)
        decide = reverse("reports:report_decide", args=[report.public_id])
        page = province.get(reverse("reports:report_detail", args=[report.public_id]))
        assert "Duyệt báo cáo" in page.content.decode()
        province.post(decide, {"action": "return", "comment": "Thiếu phần khó khăn"})
        report.refresh_from_db()
        assert report.status == Status.RETURNED
        returned = officer.get(reverse("reports:report_detail", args=[report.public_id]))
        assert "Thiếu phần khó khăn" in returned.content.decode()
        _send(officer, report, results="Rà soát 2 trẻ", difficulties="Thiếu cán bộ")
        province.post(decide, {"action": "approve"})
        report.refresh_from_db()
        assert report.status == Status.APPROVED and report.difficulties == "Thiếu cán bộ"

    def test_the_province_sees_who_has_reported_and_downloads_its_consolidation(
            self, tree, personas, schedule) -> None:  # noqa: F811
        officer = login(Client(), personas.officer)
        report = _open(officer, tree.commune_a)
        _send(officer, report, results="Rà soát")
        province = login(Client(), personas.province_officer)
        province.post(reverse("reports:report_decide", args=[report.public_id]),
                      {"action": "approve"})
        board = province.get(reverse("reports:report_list"),
                             {"schedule": "test", "period": "2026S1"}).content.decode()
        assert "Đã nhận 1/2 báo cáo" in board and "chưa gửi" in board and "gửi muộn" in board
        consolidated = _open(province, tree.province)
        _send(province, consolidated, results="=SUM(A1:A9) tổng hợp")
        xlsx = province.get(reverse("reports:report_excel", args=[consolidated.public_id]))
        rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
        assert rows[1][1] == "'=SUM(A1:A9) tổng hợp"  # a formula stays text
        assert rows[0][5] == "Số liệu từ 01/01/2026 đến 30/06/2026"  # the days counted
        page = province.get(reverse("reports:report_detail", args=[consolidated.public_id]))
        assert "từ 01/01/2026 đến 30/06/2026" in page.content.decode()
        values = {(r[0], r[2]): (r[4], r[5]) for r in rows if r and r[0] in ("C1", "C2")}
        assert values[("C1", "Tỉnh Cao Bằng")] == (2, None)  # A approved, B not sent
        assert values[("C2", "Phường Thục Phán")] == (1, 2)
        pdf = province.get(reverse("reports:report_pdf", args=[consolidated.public_id]))
        assert pdf.content.startswith(b"%PDF-")
        book = load_workbook(io.BytesIO(xlsx.content))
        cases = [row for row in book["Vụ việc"].iter_rows(values_only=True) if row]
        assert ("Theo hình thức xâm hại",) in cases  # the case tables, counts only
        assert AuditEvent.objects.filter(action=Action.EXPORT).count() == 2

    def test_the_printed_report_compares_the_units_below(self, tree, personas,
                                                         schedule) -> None:  # noqa: F811
        from treem.reports import rendering

        officer = login(Client(), personas.officer)
        report = _open(officer, tree.commune_a)
        _send(officer, report, results="Rà soát")
        province = login(Client(), personas.province_officer)
        province.post(reverse("reports:report_decide", args=[report.public_id]),
                      {"action": "approve"})
        consolidated = _open(province, tree.province)
        _send(province, consolidated, results="Tổng hợp")
        charts = {chart.title.split(" — ")[0]: chart
                  for chart in rendering.charts_of(consolidated, rendering.lines(consolidated))}
        assert [list(row) for row in charts["C1"].rows] == [["Phường Thục Phán", "2"]]
        assert [list(row) for row in charts["C2"].rows] == [["Phường Thục Phán", "50,0 %"]]
        assert "<svg" in charts["C1"].svg and "<script" not in charts["C1"].svg
        # The PDF is made from the page with those charts, and WeasyPrint draws each SVG.
        pdf = province.get(reverse("reports:report_pdf", args=[consolidated.public_id]))
        assert pdf.content.startswith(b"%PDF-")
        assert drawn_svgs(printed(province, consolidated)) == 2

    def test_the_report_page_offers_the_list_with_a_reason_form(self, tree, personas,
                                                                schedule) -> None:  # noqa: F811
        officer = login(Client(), personas.officer)
        report = _open(officer, tree.commune_a)
        page = officer.get(reverse("reports:report_detail", args=[report.public_id]))
        content = page.content.decode()
        assert "Tải Excel kèm danh sách trẻ em có hoàn cảnh đặc biệt" in content
        assert f'action="{reverse("reports:report_excel", args=[report.public_id])}"' in content
        assert 'name="reason"' in content and "csrfmiddlewaretoken" in content

    def test_the_figures_table_can_be_scrolled_with_the_keyboard(self, tree, personas,
                                                                 schedule) -> None:  # noqa: F811
        # On a phone the table scrolls sideways (axe: scrollable-region-focusable): it takes
        # the focus, so arrow keys scroll it, and has a name to be announced by.
        officer = login(Client(), personas.officer)
        report = _open(officer, tree.commune_a)
        page = officer.get(reverse("reports:report_detail", args=[report.public_id]))
        table = re.search(r'<table class="table figures"[^>]*>', page.content.decode())
        assert table is not None
        assert 'tabindex="0"' in table.group(0) and 'aria-label="Số liệu của báo cáo"' in table.group(0)

    def test_a_commune_cannot_open_another_communes_report(self, tree, personas,
                                                           schedule) -> None:  # noqa: F811
        outsider = login(Client(), personas.outsider)
        response = outsider.post(reverse("reports:report_open"),
                                 {"schedule": "test", "unit": tree.commune_a.public_id,
                                  "period": "2026S1"})
        assert response.status_code == 404 and not Report.objects.exists()


def printed(client: Client, report: Report) -> str:
    """The HTML the report's PDF is made from (the print template, as `report_pdf_view`)."""
    from treem.reports import rendering

    found = rendering.lines(report)
    return render_to_string("reports/report_print.html", {
        "report": report, "lines": found, "days": rendering.days_counted(report),
        "charts": rendering.charts_of(report, found),
        "case_tables": rendering.case_tables(report)})


def drawn_svgs(html: str) -> int:
    """How many SVG pictures WeasyPrint lays out in the pages of `html` (a chart it could not
    read would be left out of the PDF, silently)."""
    from weasyprint import HTML

    from treem.ui.pdf import OnlyStaticFiles

    base = "http://testserver/"
    document = HTML(string=html, base_url=base, url_fetcher=OnlyStaticFiles(base),
                    media_type="print").render()
    count = 0

    def walk(box: object) -> None:
        nonlocal count
        drawn = getattr(box, "replacement", None)
        if type(drawn).__name__ == "SVGImage" and getattr(box, "width", 0) > 0:
            count += 1
        for child in getattr(box, "children", []) or []:
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return count


class ReportApiTests:
    def test_the_status_of_the_reports_and_a_reports_frozen_values(self, tree, personas,
                                                                  schedule) -> None:  # noqa: F811
        officer = login(Client(), personas.officer)
        report = _open(officer, tree.commune_a, period="2026S2")
        _send(officer, report, results="Rà soát")
        province = login(Client(), personas.province_officer)
        listed = province.get("/api/v1/reports", {"period": "2026S2"}).json()["items"]
        assert [(r["unit"], r["status"], r["on_time"]) for r in listed] == [
            ("01273", "submitted", True)]
        detail = officer.get(f"/api/v1/reports/{report.public_id}").json()
        values = {(v["indicator"], v["breakdown"]): (v["numerator"], v["denominator"])
                  for v in detail["values"]}
        assert values[("C2", "")] == (1, 2)
        # Sent before the half year ends: its figures count up to the day it was sent.
        today = timezone.localdate()
        assert (detail["data_from"], detail["data_until"]) == (
            "2026-07-01", min(today, datetime.date(2026, 12, 31)).isoformat())
        outsider = login(Client(), personas.outsider)
        assert outsider.get(f"/api/v1/reports/{report.public_id}").status_code == 404


def _export_events() -> list[AuditEvent]:
    """The audit events of lists of children leaving treem (not of the report's own file)."""
    return [e for e in AuditEvent.objects.filter(action=Action.EXPORT)
            if any(f.startswith("rows=") for f in e.changed_fields)]


@pytest.fixture
def sent_a(tree, personas, schedule):  # noqa: F811
    officer = login(Client(), personas.officer)
    report = _open(officer, tree.commune_a)
    _send(officer, report, results="Rà soát")
    return report


class ReportWorkbookTests:
    def test_the_indicator_tables_have_a_column_per_breakdown(self, tree, personas,
                                                              schedule) -> None:  # noqa: F811
        load_set({"set": {"code": "test-set", "name": "Bộ thử"}, "indicators": [
            {"code": "C1", "name": "Số trẻ em", "unit_kind": "count", "source": "computed",
             "spec": {"numerator": {"population": "children"}},
             "disaggregations": ["sex"]}]})
        officer = login(Client(), personas.officer)
        report = _open(officer, tree.commune_a)
        _send(officer, report, results="Rà soát")
        book = load_workbook(io.BytesIO(officer.get(
            reverse("reports:report_excel", args=[report.public_id])).content))
        assert book.sheetnames == ["Báo cáo", "Biểu chỉ tiêu", "Vụ việc"]
        rows = [r for r in book["Biểu chỉ tiêu"].iter_rows(values_only=True) if r]
        header = next(r for r in rows if r[0] == "STT")
        assert header[:7] == ("STT", "Mã", "Chỉ tiêu", "Đơn vị tính", "Đơn vị", "Tổng",
                              "giới tính: Nam")
        c1 = next(r for r in rows if r[1] == "C1")
        assert c1[4:7] == ("Phường Thục Phán", 2, 2)  # both children of A are boys

    def test_the_list_of_children_in_special_circumstances_goes_with_a_reason(
            self, tree, personas, sent_a) -> None:
        officer = login(Client(), personas.officer)
        response = officer.post(reverse("reports:report_excel", args=[sent_a.public_id]),
                                {"reason": "Gửi UBND tỉnh kèm báo cáo 6 tháng"})
        book = load_workbook(io.BytesIO(response.content))
        assert book.sheetnames[-1] == "Trẻ em có HCĐB"
        listed = list(book["Trẻ em có HCĐB"].iter_rows(values_only=True))
        assert listed[0][0] == "Họ và tên" and listed[0][-1] == "Nhóm hoàn cảnh đặc biệt"
        assert [(r[0], r[-1]) for r in listed[1:]] == [("Trẻ A1", "a")]  # not A2, nor B1
        [event] = _export_events()
        assert (event.actor, event.unit, event.reason) == (
            personas.officer, tree.commune_a, "Gửi UBND tỉnh kèm báo cáo 6 tháng")
        assert "rows=1" in event.changed_fields

    def test_without_a_reason_nothing_is_listed_or_recorded(self, tree, personas,
                                                            sent_a) -> None:
        officer = login(Client(), personas.officer)
        response = officer.post(reverse("reports:report_excel", args=[sent_a.public_id]),
                                {"reason": "vì"}, follow=True)
        assert "Hãy ghi rõ lý do xuất danh sách" in response.content.decode()
        assert _export_events() == []

    def test_the_auditor_reads_no_report_file_and_is_given_no_list(self, tree, personas,
                                                                   sent_a) -> None:
        auditor = login(Client(), personas.auditor)
        response = auditor.post(reverse("reports:report_excel", args=[sent_a.public_id]),
                                {"reason": "Kiểm tra danh sách trẻ em"})
        assert response.status_code == 403
        with pytest.raises(PermissionDenied):  # the rule itself, below the page
            workbook(actor=personas.auditor, report=sent_a,
                     children_reason="Kiểm tra danh sách trẻ em")
        assert _export_events() == []

    def test_another_communes_officer_gets_404(self, tree, personas, sent_a) -> None:
        outsider = login(Client(), personas.outsider)
        response = outsider.post(reverse("reports:report_excel", args=[sent_a.public_id]),
                                 {"reason": "Gửi UBND tỉnh kèm báo cáo"})
        assert response.status_code == 404
        assert _export_events() == []


class PlanScheduleListTests:
    def test_a_plans_schedule_is_offered_in_its_province_only(self, tree, personas,
                                                              schedule) -> None:  # noqa: F811
        Schedule.objects.create(code="ke-hoach-tinh", name="Báo cáo kế hoạch của tỉnh",
                                period_kind="year", owner=tree.province,
                                owner_path=tree.province.path, due={"commune": {"Y": "11-10"}})
        mine = login(Client(), personas.officer).get(reverse("reports:report_list"))
        assert "Báo cáo kế hoạch của tỉnh" in mine.content.decode()
        other = login(Client(), make_user("officer_c", role=Role.COMMUNE_OFFICER,
                                          unit=tree.commune_c))
        page = other.get(reverse("reports:report_list")).content.decode()
        assert "Báo cáo kế hoạch của tỉnh" not in page and "Báo cáo 6 tháng" in page
        response = other.post(reverse("reports:report_open"), {
            "schedule": "ke-hoach-tinh", "unit": tree.commune_c.public_id, "period": "2026"},
            follow=True)
        assert "Hãy chọn loại báo cáo." in response.content.decode()
        assert not Report.objects.exists()


class WorkbookQueriesTests:
    def test_the_workbooks_queries_do_not_grow_with_its_values(self, tree, personas,
                                                               sent_a) -> None:
        workbook(actor=personas.officer, report=sent_a)  # what is read once a process
        with CaptureQueriesContext(connection) as few:
            workbook(actor=personas.officer, report=sent_a)
        values = list(sent_a.values.all())
        for value in values:  # twice the rows: the same values again under other breakdowns
            value.pk, value.breakdown = None, "sex=m"
        sent_a.values.bulk_create(values)
        with CaptureQueriesContext(connection) as many:
            workbook(actor=personas.officer, report=sent_a)
        assert len(many.captured_queries) == len(few.captured_queries)

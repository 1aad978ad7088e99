"""A plan's tasks from the Excel template: the template's lists and checks, the import written
through the task rules all or nothing (every error listed by row and column, nothing written),
bad files refused with a message, and the pages out of reach of other communes and read-only
roles."""

import datetime
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from treem.audit.models import Action, AuditEvent
from treem.plans import task_import, task_template
from treem.plans.models import Agency, Plan, Task, TimeFrame
from treem.plans.task_import import COLUMNS, ImportRefused, RowError, tasks_import
from treem.plans.tests.factories import make_agency, make_plan, make_task
from treem.testing import Personas, Tree, login, sheet_rewritten

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def police(tree: Tree) -> Agency:
    return make_agency(tree.commune_a, "Công an Phường Thục Phán", short_name="CA")


@pytest.fixture
def health(tree: Tree) -> Agency:
    return make_agency(tree.commune_a, "Trạm Y tế Phường Thục Phán", short_name="TYT")


@pytest.fixture
def school(tree: Tree) -> Agency:
    return make_agency(tree.commune_a, "Trường Tiểu học Thục Phán")


@pytest.fixture
def plan(tree: Tree, police: Agency, health: Agency, school: Agency) -> Plan:
    return make_plan(tree.commune_a, "Kế hoạch bảo vệ trẻ em 2026–2027", start_year=2026,
                     end_year=2027, number="12/KH-UBND")


def filled(plan: Plan, rows: list[dict[str, Any]]) -> bytes:
    """The plan's template with `rows` typed in from its first data row (3)."""
    book = load_workbook(io.BytesIO(task_template.task_template(plan=plan)))
    sheet = book.worksheets[0]
    for offset, row in enumerate(rows):
        for index, column in enumerate(COLUMNS, start=1):
            if column.key in row:
                sheet.cell(row=task_template.HEADER_ROW + 1 + offset, column=index,
                           value=row[column.key])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD: list[dict[str, Any]] = [
    {"section": "I.1", "text": "Tuyên truyền phòng, chống xâm hại trẻ em",
     "lead": "Công an Phường Thục Phán", "cooperating": "TYT; trường tiểu học thục phán",
     "time_frame": "Hằng năm", "time_text": "hằng năm", "expected_output": "Báo cáo"},
    {"section": 2, "heading": "Chăm sóc sức khỏe", "text": "Khám sức khỏe cho trẻ",
     "lead": "TYT", "time_frame": "Trong quý", "year": 2027, "quarter": "IV",
     "report_to": "Công an Phường Thục Phán", "report_due_text": "trước 15/12"},
    {"section": "I.3", "text": "Tập huấn", "lead": "CA", "time_frame": "Theo ngày",
     "start_date": datetime.datetime(2026, 3, 1), "end_date": "30/06/2026"},
]


def counts() -> tuple[int, int]:
    return Task.objects.count(), AuditEvent.objects.filter(action=Action.CREATE,
                                                           object_type="plans.task").count()


def refusal(plan: Plan, personas: Personas, data: bytes) -> list[RowError]:
    before = counts()
    with pytest.raises(ImportRefused) as raised:
        tasks_import(actor=personas.officer, plan=plan, data=data)
    assert counts() == before
    return raised.value.errors


class TemplateTests:
    def test_the_template_has_the_headers_lists_and_checks(self, plan: Plan) -> None:
        book = load_workbook(io.BytesIO(task_template.task_template(plan=plan)))
        sheet, lists, guide = book.worksheets
        assert "12/KH-UBND" in sheet["A1"].value
        headers = [cell.value for cell in sheet[task_template.HEADER_ROW]]
        assert headers[:4] == ["Mục *", "Thuộc phần", "Nội dung nhiệm vụ *", "Cơ quan chủ trì *"]
        assert lists.sheet_state == "hidden"
        assert [c.value for c in lists["A"]][1:] == [str(label) for _v, label in
                                                     TimeFrame.choices]
        assert {c.value for c in lists["B"]} - {None, "Cơ quan"} == {
            "Công an Phường Thục Phán", "Trạm Y tế Phường Thục Phán", "Trường Tiểu học Thục Phán"}
        checks = {str(v.sqref).split(":")[0]: v for v in sheet.data_validations.dataValidation}
        assert checks["D3"].type == "list" and "$B$2:$B$4" in checks["D3"].formula1
        assert checks["F3"].type == "list" and "$A$2:$A$8" in checks["F3"].formula1
        assert (checks["G3"].type, checks["G3"].formula1, checks["G3"].formula2) == (
            "whole", "2026", "2027")
        assert "2026–2027" in " ".join(str(c.value) for c in guide["A"])

    def test_an_agency_named_like_a_formula_is_written_as_text(self, plan: Plan,
                                                               tree: Tree) -> None:
        make_agency(tree.commune_a, "=HYPERLINK(\"http://x\")")
        lists = load_workbook(io.BytesIO(task_template.task_template(plan=plan))).worksheets[1]
        assert "'=HYPERLINK(\"http://x\")" in [c.value for c in lists["B"]]


class ImportTests:
    def test_it_imports_every_row_through_the_task_rules(
            self, plan: Plan, personas: Personas, police: Agency, health: Agency,
            school: Agency) -> None:
        made = tasks_import(actor=personas.officer, plan=plan, data=filled(plan, GOOD))
        assert [t.section for t in made] == ["I.1", "2", "I.3"]
        first, second, third = Task.objects.order_by("position")
        assert (first.lead, set(first.cooperating.all()), first.time_frame) == (
            police, {health, school}, TimeFrame.YEARLY)
        assert (second.heading, second.lead, second.year, second.quarter, second.report_to,
                second.report_due_text) == ("Chăm sóc sức khỏe", health, 2027, 4, police,
                                            "trước 15/12")
        assert (third.start_date, third.end_date) == (datetime.date(2026, 3, 1),
                                                      datetime.date(2026, 6, 30))
        assert counts() == (3, 3)  # each task in the audit trail

    def test_a_sheet_is_read_whole_whatever_size_it_declares(
            self, plan: Plan, personas: Personas) -> None:
        # Some exports declare "A1": read-only openpyxl would stop at the header.
        data = sheet_rewritten(filled(plan, GOOD), rb'<dimension ref="[^"]*"',
                               b'<dimension ref="A1"')
        assert len(tasks_import(actor=personas.officer, plan=plan, data=data)) == 3

    def test_a_wrong_row_writes_nothing_and_every_error_is_listed(
            self, plan: Plan, personas: Personas, police: Agency) -> None:
        make_task(plan, police, "II.1", "Nhiệm vụ đã có")
        rows: list[dict[str, Any]] = [*GOOD,
                {"section": "I.1", "text": "Trùng mục trong tệp", "lead": "CA"},          # 6
                {"section": "II.1", "text": "Trùng mục đã có", "lead": "CA"},             # 7
                {"section": "IV", "text": "Năm ngoài kế hoạch", "lead": "CA",
                 "time_frame": "Trong năm", "year": 2030},                                 # 8
                {"section": "V", "text": "Cơ quan lạ", "lead": "Sở Tư pháp",
                 "cooperating": "TYT; Hội Nông dân", "month": "mười",
                 "end_date": "31/02/2026"},                                                # 9
                {"section": "VI", "lead": "CA", "time_frame": "Khi nào đó"}]               # 10
        errors = refusal(plan, personas, filled(plan, rows))
        found = [(e.row, e.column) for e in errors]
        assert found == [
            (6, "Mục"), (7, "Mục"), (8, "Năm"),
            (9, "Cơ quan chủ trì"), (9, "Cơ quan phối hợp"), (9, "Tháng"),
            (9, "Đến ngày, hạn hoàn thành"),
            (10, "Nội dung nhiệm vụ"), (10, "Loại thời gian")]
        messages = {(e.row, e.column): e.message for e in errors}
        assert messages[(6, "Mục")] == "Mục “I.1” đã có ở dòng 3 của tệp."
        assert messages[(7, "Mục")] == "Kế hoạch đã có nhiệm vụ ở mục “II.1”."
        assert messages[(8, "Năm")] == ("Năm 2030 nằm ngoài thời gian của kế hoạch "
                                        "(2026–2027).")
        assert messages[(9, "Cơ quan chủ trì")] == ("Đơn vị ban hành kế hoạch không có cơ "
                                                    "quan “Sở Tư pháp”.")
        assert "Hội Nông dân" in messages[(9, "Cơ quan phối hợp")]
        assert messages[(10, "Nội dung nhiệm vụ")] == "Ô này bắt buộc."
        assert Task.objects.count() == 1

    def test_a_lead_also_cooperating_is_refused_at_its_column(
            self, plan: Plan, personas: Personas) -> None:
        errors = refusal(plan, personas, filled(plan, [
            {"section": "I", "text": "Việc", "lead": "CA", "cooperating": "Công an Phường "
                                                                          "Thục Phán"}]))
        assert [(e.row, e.column, e.message) for e in errors] == [
            (3, "Cơ quan phối hợp", "Cơ quan chủ trì không đồng thời là cơ quan phối hợp.")]

    def test_a_sheet_without_the_required_columns_or_rows_is_refused(
            self, plan: Plan, personas: Personas) -> None:
        book = Workbook()
        book.active.append(["Mục", "Nội dung nhiệm vụ"])
        book.active.append(["I", "Việc"])
        buffer = io.BytesIO()
        book.save(buffer)
        (error,) = refusal(plan, personas, buffer.getvalue())
        assert error.message == "Thiếu cột bắt buộc: “Cơ quan chủ trì”. Hãy dùng tệp mẫu."
        (error,) = refusal(plan, personas, filled(plan, []))
        assert error.message == "Tệp không có dòng nhiệm vụ nào dưới dòng tiêu đề."

    @pytest.mark.parametrize(("data", "message"), [
        (b"%PDF-1.4 not a workbook", "Đây không phải tệp Excel (.xlsx)."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "Đây là tệp Excel cũ (.xls)."),
        (b"", "Tệp rỗng."),
        (b"PK\x03\x04" + b"\x00" * task_import.MAX_BYTES, "Tệp lớn hơn 5,0"),
    ])
    def test_a_file_that_is_no_xlsx_is_refused_with_a_message(
            self, plan: Plan, personas: Personas, data: bytes, message: str) -> None:
        (error,) = refusal(plan, personas, data)
        assert (error.row, error.message[:len(message)]) == (0, message)

    def test_more_rows_than_the_limit_are_refused(self, plan: Plan,
                                                  personas: Personas) -> None:
        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(["Mục", "Nội dung nhiệm vụ", "Cơ quan chủ trì"])
        for number in range(task_import.MAX_ROWS + 1):
            sheet.append([f"R{number}", "Việc", "CA"])
        buffer = io.BytesIO()
        book.save(buffer)
        (error,) = refusal(plan, personas, buffer.getvalue())
        assert error.message == "Tệp có hơn 2.000 dòng nhiệm vụ. Hãy chia thành nhiều tệp."

    def test_an_officer_of_another_commune_may_not_import(self, plan: Plan,
                                                           personas: Personas) -> None:
        for actor in (personas.outsider, personas.auditor):
            with pytest.raises(PermissionDenied):
                tasks_import(actor=actor, plan=plan, data=filled(plan, GOOD))
        assert counts() == (0, 0)


class PageTests:
    def url(self, plan: Plan) -> str:
        return reverse("plans:task_import", args=[plan.public_id])

    def upload(self, content: bytes, name: str = "nhiem-vu.xlsx") -> SimpleUploadedFile:
        return SimpleUploadedFile(name, content, content_type=XLSX)

    def test_the_officer_downloads_the_template_and_imports_the_tasks(
            self, client: Client, plan: Plan, personas: Personas) -> None:
        login(client, personas.officer)
        detail = client.get(reverse("plans:plan_detail", args=[plan.public_id])).content.decode()
        assert self.url(plan) in detail
        page = client.get(self.url(plan))
        template = reverse("plans:task_template", args=[plan.public_id])
        assert page.status_code == 200 and template in page.content.decode()
        download = client.get(template)
        assert download.status_code == 200 and download["Content-Type"] == XLSX
        answer = client.post(self.url(plan), {"file": self.upload(filled(plan, GOOD))})
        assert answer.status_code == 302
        assert answer["Location"] == reverse("plans:plan_detail", args=[plan.public_id])
        assert Task.objects.count() == 3

    def test_a_wrong_file_shows_every_error_and_writes_nothing(
            self, client: Client, plan: Plan, personas: Personas) -> None:
        login(client, personas.officer)
        rows: list[dict[str, Any]] = [*GOOD, {"section": "IV", "text": "Năm ngoài", "lead": "CA",
                        "time_frame": "Trong năm", "year": 2030},
                {"section": "V", "text": "Cơ quan lạ", "lead": "Sở Tư pháp"}]
        text = client.post(self.url(plan), {"file": self.upload(filled(plan, rows))}
                           ).content.decode()
        assert "Chưa nhập nhiệm vụ nào." in text and "Có lỗi ở 2 dòng" in text
        assert "Năm 2030 nằm ngoài thời gian của kế hoạch (2026–2027)." in text
        assert "<th scope=\"row\">7</th>" in text and "Sở Tư pháp" in text
        not_excel = client.post(self.url(plan), {"file": self.upload(b"a;b;c\n", "ds.csv")})
        assert "Đây không phải tệp Excel (.xlsx)." in not_excel.content.decode()
        assert not Task.objects.exists()

    def test_outsiders_get_404_and_read_only_users_403(
            self, client: Client, plan: Plan, personas: Personas, tree: Tree) -> None:
        urls = [self.url(plan), reverse("plans:task_template", args=[plan.public_id])]
        for persona, status in ((personas.outsider, 404), (personas.auditor, 403),
                                (personas.sector_focal, 403)):
            login(client, persona)
            for url in urls:
                assert client.get(url).status_code == status, (persona, url)
            answer = client.post(self.url(plan), {"file": self.upload(filled(plan, GOOD))})
            assert answer.status_code == status
        province = make_plan(tree.province)
        login(client, personas.officer)
        assert client.get(self.url(province)).status_code == 403
        login(client, personas.province_officer)
        assert client.get(self.url(make_plan(tree.commune_c))).status_code == 404
        assert not Task.objects.exists()

"""Excel import of lists of children: template, file checks, row checks, commit, re-import."""

import datetime
import io
import os
import unicodedata
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from treem.audit.models import Action, AuditEvent
from treem.lib.text import word_prefixes
from treem.registry import choices
from treem.registry import exceptions as exc
from treem.registry.importing import checking, jobs, reading
from treem.registry.importing.columns import COLUMNS
from treem.registry.models import (
    Caregiver,
    Child,
    ChildResidence,
    ImportJob,
    ImportStagedChild,
)
from treem.registry.services import caregiver_update, child_update
from treem.registry.tests.factories import make_caregiver, make_child
from treem.testing import Personas, Tree, login

UPLOAD = reverse("registry:import_upload")
HTMX = {"HX-Request": "true"}
HEADERS = [column.header for column in COLUMNS]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WRITTEN = (Child, ChildResidence, Caregiver)

# The values of one good row, by column key.
GOOD = {
    "full_name": "Hoàng Văn Khải", "sex": "Nam", "birth_date": "12/04/2018", "year_only": "",
    "ethnicity": "Tày", "personal_id": "", "birth_registered": "Có",
    "village": "Thôn Nà Pồng", "residence_type": "Thường trú",
    "living_arrangement": "Sống với cha và mẹ", "school_level": "Mầm non",
    "school_status": "Đang đi học", "disability_type": "", "disability_degree": "",
    "health_insurance": "Có", "caregiver_name": "Hoàng Thị Mai", "caregiver_relation": "Mẹ",
    "caregiver_phone": "0912345678",
}


def row(**values: Any) -> list[Any]:
    data = GOOD | values
    return [data[column.key] for column in COLUMNS]


def xlsx(rows: list[list[Any]], *, headers: list[str] | None = None) -> bytes:
    """A workbook as openpyxl writes it (inline strings; dates as numbers with a format)."""
    book = Workbook()
    sheet = book.active
    sheet.append(headers or HEADERS)
    for values in rows:
        sheet.append([value if value != "" else None for value in values])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, datetime.date):
                cell.number_format = "DD/MM/YYYY"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client: Client, data: bytes, *, name: str = "danh sach.xlsx",
           commune: Any = None) -> Any:
    form: dict[str, Any] = {"file": SimpleUploadedFile(name, data, content_type=XLSX)}
    if commune is not None:
        form["commune"] = str(commune.public_id)
    return client.post(UPLOAD, form)


def last_job() -> ImportJob:
    return ImportJob.objects.latest("id")


def commit(client: Client, job: ImportJob, mode: str) -> Any:
    return client.post(reverse("registry:import_commit", args=[job.public_id]), {"mode": mode})


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in WRITTEN} | {
        "events": AuditEvent.objects.filter(object_type="registry.child").count()}


@pytest.fixture(autouse=True)
def inline_jobs(settings: Any) -> None:
    settings.TREEM_IMPORT_SYNC = True


@pytest.fixture
def officer(client: Client, personas: Personas) -> Client:
    return login(client, personas.officer)


class ImportTemplateTests:
    def test_the_template_has_the_headers_and_the_drop_downs(self, officer: Client,
                                                             tree: Tree) -> None:
        response = officer.get(reverse("registry:import_template",
                                       args=[tree.commune_a.public_id]))
        assert response.status_code == 200
        assert response["Content-Type"] == XLSX
        book = load_workbook(io.BytesIO(response.content))
        sheet = book.worksheets[0]
        headers = [cell.value for cell in sheet[1]]
        assert headers[:3] == ["Họ và tên *", "Giới tính *", "Ngày sinh (dd/mm/yyyy) *"]
        assert [h.removesuffix(" *") for h in headers] == HEADERS
        lists = book["Danh mục"]
        assert lists.sheet_state == "hidden"
        listed = {cell.value for column in lists.iter_cols() for cell in column}
        assert {"Thôn Nà Pồng", "Kinh", "Tày", "HMông", "Nam", "Nữ", "Có", "Không"} <= listed
        ethnic = next(column for column in lists.iter_cols() if column[0].value == "Dân tộc")
        assert len([c for c in ethnic[1:] if c.value]) == 54
        validations = sheet.data_validations.dataValidation
        by_column = {str(v.sqref).split(":")[0]: v for v in validations}
        assert by_column["B2"].type == "list"                       # Giới tính
        assert "'Danh mục'!" in by_column["E2"].formula1            # Dân tộc
        assert "'Danh mục'!" in by_column["H2"].formula1            # Thôn
        closed = [c for c in COLUMNS if c.options is not None or c.kind in
                  ("bool", "ethnicity", "village")]
        assert len([v for v in validations if v.type == "list"]) == len(closed)

    def test_the_empty_template_reads_back_with_no_rows(self, officer: Client,
                                                        tree: Tree) -> None:
        content = officer.get(reverse("registry:import_template",
                                      args=[tree.commune_a.public_id])).content
        upload(officer, content)
        job = last_job()
        assert job.status == ImportJob.Status.FAILED
        assert "không có dòng dữ liệu" in job.message

    def test_another_communes_template_is_not_found(self, officer: Client, tree: Tree) -> None:
        response = officer.get(reverse("registry:import_template",
                                       args=[tree.commune_b.public_id]))
        assert response.status_code == 404


class ImportGoodFileTests:
    def test_a_good_file_imports_children_residences_caregivers_and_audit_events(
        self, officer: Client, tree: Tree, personas: Personas,
    ) -> None:
        data = xlsx([row(), row(full_name="Nông Thị Lan", sex="Nữ", birth_date="03/01/2016",
                              personal_id="004316000001", village="", caregiver_name="",
                              caregiver_relation="", caregiver_phone="")])
        response = upload(officer, data)
        job = last_job()
        assert response.status_code == 302
        assert response["Location"] == reverse("registry:import_detail", args=[job.public_id])
        assert (job.status, job.total_rows, job.valid_rows, job.error_rows) == (
            ImportJob.Status.VALIDATED, 2, 2, 0)
        assert job.content == b""  # the file is dropped once checked
        assert Child.objects.count() == 0  # nothing written before the commit

        assert commit(officer, job, "all").status_code == 302
        job.refresh_from_db()
        assert (job.status, job.created_count, job.updated_count) == (
            ImportJob.Status.DONE, 2, 0)
        assert job.staged == b""
        khai = Child.objects.get(full_name="Hoàng Văn Khải")
        assert (khai.sex, khai.birth_date, khai.ethnicity.name, khai.village) == (
            "m", datetime.date(2018, 4, 12), "Tày", tree.village_a)
        assert (khai.school_level, khai.school_status, khai.health_insurance,
                khai.birth_registered) == ("preschool", "in_school", True, True)
        assert khai.unit_path == tree.village_a.path
        assert khai.created_by == personas.officer
        residence = ChildResidence.objects.get(child=khai)
        assert (residence.start_date, residence.end_date, residence.source) == (
            khai.birth_date, None, choices.HistorySource.IMPORT)
        caregiver = Caregiver.objects.get(child=khai)
        assert (caregiver.full_name, caregiver.relation, caregiver.phone, caregiver.is_primary) \
            == ("Hoàng Thị Mai", "mother", "0912345678", True)
        lan = Child.objects.get(personal_id="004316000001")
        assert (lan.village, lan.unit_path, lan.caregivers.count()) == (None,
                                                                        tree.commune_a.path, 0)
        events = AuditEvent.objects.filter(object_type="registry.child", action=Action.CREATE)
        assert events.count() == 2
        event = events.get(object_id=str(khai.public_id))
        assert (event.actor, event.unit, event.reason) == (
            personas.officer, tree.village_a, f"import {job.public_id}")
        assert {"full_name", "birth_date", "commune", "village"} <= set(event.changed_fields)
        assert AuditEvent.objects.filter(action=Action.DATA_LOADED,
                                         object_id=str(job.public_id)).exists()

    def test_dates_as_text_and_as_excel_dates_both_work(self, officer: Client) -> None:
        data = xlsx([
            row(full_name="Một", birth_date="05/09/2015"),
            row(full_name="Hai", birth_date="5/9/2015"),
            row(full_name="Ba", birth_date=datetime.date(2015, 9, 5)),
            row(full_name="Bốn", birth_date="2015", year_only="Có"),
            row(full_name="Năm", birth_date=2015),
            row(full_name="Sáu", birth_date="09/2015"),
            row(full_name="Bảy", birth_date=datetime.datetime(2015, 9, 5, 0, 0)),
        ])
        upload(officer, data)
        job = last_job()
        assert job.errors == []
        commit(officer, job, "all")
        found = dict(Child.objects.values_list("full_name", "birth_date"))
        day = datetime.date(2015, 9, 5)
        assert found == {"Một": day, "Hai": day, "Ba": day, "Bảy": day,
                         "Bốn": datetime.date(2015, 1, 1), "Năm": datetime.date(2015, 1, 1),
                         "Sáu": datetime.date(2015, 9, 1)}
        precision = dict(Child.objects.values_list("full_name", "birth_date_precision"))
        assert (precision["Ba"], precision["Bốn"], precision["Năm"], precision["Sáu"]) == (
            "day", "year", "year", "month")

    def test_nfd_names_give_the_same_record_as_nfc(self, officer: Client) -> None:
        nfc = "Nguyễn Thị Ánh Tuyết"
        nfd = unicodedata.normalize("NFD", nfc)
        assert nfd != nfc
        upload(officer, xlsx([row(full_name=nfd, caregiver_name=unicodedata.normalize(
            "NFD", "Nguyễn Văn Đức"))]))
        commit(officer, last_job(), "all")
        child = Child.objects.get()
        assert child.full_name == nfc
        assert child.caregivers.get().full_name == "Nguyễn Văn Đức"

        upload(officer, xlsx([row(full_name=nfc, caregiver_name="Nguyễn Văn Đức")]))
        job = last_job()
        commit(officer, job, "all")
        job.refresh_from_db()
        assert (job.created_count, job.unchanged_count, Child.objects.count()) == (0, 1, 1)

    def test_headers_are_matched_without_case_or_accents(self, officer: Client) -> None:
        headers = ["HO VA TEN", "gioi tinh", "Ngày sinh", "Dan toc"]
        upload(officer, xlsx([["Lò Văn Páo", "nam", "01/02/2017", "thai"]], headers=headers))
        job = last_job()
        assert (job.status, job.valid_rows) == (ImportJob.Status.VALIDATED, 1)
        commit(officer, job, "all")
        child = Child.objects.get()
        assert (child.ethnicity.name, child.residence_type, child.school_level) == (
            "Thái", "permanent", "none")

    def test_a_personal_id_typed_as_a_number_keeps_its_leading_zeros(self,
                                                                      officer: Client) -> None:
        upload(officer, xlsx([row(personal_id=4218000123, birth_date="01/01/2018",
                                  caregiver_phone=912345678)]))
        commit(officer, last_job(), "all")
        child = Child.objects.get()
        assert child.personal_id == "004218000123"
        assert child.caregivers.get().phone == "0912345678"


class ImportBadRowsTests:
    HALF_BAD = [
        row(full_name="Đúng Một"),
        row(full_name="Sai Ngày", birth_date="31/02/2016", sex="Khác"),
        row(full_name="Đúng Hai", sex="Nữ"),
        row(full_name="", ethnicity="Sao Hỏa", personal_id="12345"),
        row(full_name="Khuyết Tật", disability_degree="Nặng", caregiver_relation=""),
    ]

    def test_a_half_bad_file_reports_each_bad_cell_by_row_and_column(self,
                                                                     officer: Client) -> None:
        upload(officer, xlsx(self.HALF_BAD))
        job = last_job()
        assert (job.total_rows, job.valid_rows, job.error_rows) == (5, 2, 3)
        found = {(e["row"], e["column"]): e["message"] for e in job.errors}
        assert "31/02/2016" in found[(3, "C")] and "không có thật" in found[(3, "C")]
        assert "Khác" in found[(3, "B")] and "Giới tính" in found[(3, "B")]
        assert found[(5, "A")] == "Hãy nhập “Họ và tên”."
        assert "Sao Hỏa" in found[(5, "E")]
        assert found[(5, "F")] == str(exc.PERSONAL_ID_FORMAT)  # checked all the same
        assert found[(6, "N")] == str(exc.DEGREE_WITHOUT_TYPE)
        assert "quan hệ" in found[(6, "Q")]
        page = officer.get(reverse("registry:import_detail", args=[job.public_id]))
        text = page.content.decode()
        assert "Lỗi theo dòng và cột" in text and "C · Ngày sinh" in text
        assert "Nhập tất cả (chỉ khi không có lỗi)" in text
        assert "Chỉ nhập các dòng hợp lệ" in text

    def test_every_bad_cell_of_a_row_is_reported(self, officer: Client) -> None:
        upload(officer, xlsx([row(sex="X", birth_date="hôm qua", ethnicity="?", village="Z",
                                  health_insurance="có lẽ", caregiver_phone="12")]))
        columns = {e["column"] for e in last_job().errors}
        assert columns == {"B", "C", "E", "H", "O", "R"}

    def test_all_or_nothing_writes_nothing_when_a_row_is_bad(self, officer: Client) -> None:
        upload(officer, xlsx(self.HALF_BAD))
        job = last_job()
        before = counts()
        response = commit(officer, job, "all")
        assert response.status_code == 302
        assert counts() == before == {"Child": 0, "ChildResidence": 0, "Caregiver": 0,
                                      "events": 0}
        job.refresh_from_db()
        assert job.status == ImportJob.Status.VALIDATED
        page = officer.get(reverse("registry:import_detail", args=[job.public_id]),
                           follow=True).content.decode()
        assert "Tệp còn dòng có lỗi" in page

    def test_valid_only_writes_the_good_rows_and_keeps_the_bad_ones_in_the_report(
        self, officer: Client,
    ) -> None:
        upload(officer, xlsx(self.HALF_BAD))
        job = last_job()
        commit(officer, job, "valid_only")
        job.refresh_from_db()
        assert job.status == ImportJob.Status.DONE
        assert sorted(Child.objects.values_list("full_name", flat=True)) == [
            "Đúng Hai", "Đúng Một"]
        assert job.error_rows == 3
        assert {e["row"] for e in job.errors} == {3, 5, 6}
        assert counts()["events"] == 2
        text = officer.get(reverse("registry:import_detail", args=[job.public_id])
                           ).content.decode()
        assert "Các dòng không được nhập" in text

    def test_the_same_child_twice_in_a_file_is_reported(self, officer: Client) -> None:
        upload(officer, xlsx([row(), row(school_level="Tiểu học"),
                              row(full_name="Lý A Dình", personal_id="004218000001",
                                  birth_date="01/01/2018"),
                              row(full_name="Lý A Dính", personal_id="004218000001",
                                  birth_date="01/01/2018")]))
        errors = last_job().errors
        assert [(e["row"], e["column"]) for e in errors] == [(3, "A"), (5, "F")]
        assert "Trùng với dòng 2" in errors[0]["message"]

    def test_a_personal_id_of_another_communes_child_is_refused(self, officer: Client,
                                                                tree: Tree) -> None:
        make_child(commune=tree.commune_b, personal_id="004218000002",
                   birth_date=datetime.date(2018, 1, 1))
        upload(officer, xlsx([row(personal_id="004218000002", birth_date="01/01/2018")]))
        [error] = last_job().errors
        assert (error["column"], error["message"]) == ("F", str(exc.PERSONAL_ID_TAKEN))

    def test_a_personal_id_not_matching_the_birth_year_is_refused(self,
                                                                  officer: Client) -> None:
        upload(officer, xlsx([row(personal_id="004210000001")]))
        [error] = last_job().errors
        assert error["message"] == str(exc.PERSONAL_ID_MISMATCH)

    def test_a_collaborator_imports_into_its_village_only(self, client: Client, tree: Tree,
                                                          personas: Personas) -> None:
        login(client, personas.collaborator)
        upload(client, xlsx([row(), row(full_name="Không Thôn", village="")]))
        job = last_job()
        assert job.unit_path == tree.village_a.path
        assert [(e["row"], e["column"], e["message"]) for e in job.errors] == [
            (3, "H", str(exc.UNIT_OUT_OF_SCOPE))]


class ReimportTests:
    def test_importing_the_same_file_again_creates_nothing_new(self, officer: Client) -> None:
        data = xlsx([row(), row(full_name="Nông Thị Lan", sex="Nữ",
                                personal_id="004316000001", birth_date="03/01/2016")])
        upload(officer, data)
        commit(officer, last_job(), "all")
        before = counts()

        upload(officer, data)
        job = last_job()
        assert job.errors == []
        commit(officer, job, "all")
        job.refresh_from_db()
        assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 0, 2)
        assert counts() == before

    def test_a_changed_file_updates_the_changed_fields_only(self, officer: Client) -> None:
        upload(officer, xlsx([row()]))
        commit(officer, last_job(), "all")
        child = Child.objects.get()

        upload(officer, xlsx([row(school_level="Tiểu học", residence_type="Tạm trú",
                                  caregiver_phone="0987654321")]))
        job = last_job()
        commit(officer, job, "all")
        job.refresh_from_db()
        assert (job.created_count, job.updated_count) == (0, 1)
        child.refresh_from_db()
        assert (child.school_level, child.residence_type) == ("primary", "temporary")
        assert child.residences.get().residence_type == "temporary"
        assert child.caregivers.get().phone == "0987654321"
        event = AuditEvent.objects.get(action=Action.UPDATE, object_id=str(child.public_id))
        assert event.changed_fields == ["caregivers", "residence_type", "school_level"]

    def test_the_search_keys_follow_the_name_on_create_and_update(self, officer: Client,
                                                                  tree: Tree) -> None:
        upload(officer, xlsx([row(full_name="Nông Thị Lan", sex="Nữ",
                                  personal_id="004316000001", birth_date="03/01/2016")]))
        commit(officer, last_job(), "all")
        child = Child.objects.get()
        assert child.name_prefixes == word_prefixes("nong thi lan")
        existing = make_child(commune=tree.commune_a, village=tree.village_a,
                              full_name="Hoang Van Khai", birth_date=datetime.date(2018, 4, 12))
        Child.objects.filter(pk=existing.pk).update(name_prefixes="")
        upload(officer, xlsx([row()]))
        commit(officer, last_job(), "all")
        existing.refresh_from_db()
        assert (existing.full_name, existing.name_prefixes) == (
            "Hoàng Văn Khải", word_prefixes("hoang van khai"))

    def test_a_blank_cell_leaves_the_record_as_it_is(self, officer: Client) -> None:
        upload(officer, xlsx([row(personal_id="004218000003", birth_date="01/01/2018")]))
        commit(officer, last_job(), "all")
        upload(officer, xlsx([row(birth_date="01/01/2018", school_level="",
                                  birth_registered="")]))
        job = last_job()
        commit(officer, job, "all")
        child = Child.objects.get()
        assert (child.personal_id, child.school_level, child.birth_registered) == (
            "004218000003", "preschool", True)

    def test_a_child_registered_by_hand_is_updated_not_duplicated(self, officer: Client,
                                                                  tree: Tree) -> None:
        existing = make_child(commune=tree.commune_a, village=tree.village_a,
                              full_name="Hoàng Văn Khải", birth_date=datetime.date(2018, 4, 12))
        make_caregiver(child=existing, full_name="Hoàng Thị Mai", relation="mother")
        upload(officer, xlsx([row()]))
        commit(officer, last_job(), "all")
        assert Child.objects.get() == existing
        existing.refresh_from_db()
        assert existing.school_status == "in_school"
        assert existing.caregivers.count() == 1

    def test_a_commit_refuses_rows_the_register_no_longer_takes(self, officer: Client,
                                                                tree: Tree) -> None:
        upload(officer, xlsx([row(personal_id="004218000004", birth_date="01/01/2018"),
                              row(full_name="Nông Thị Lan", sex="Nữ")]))
        job = last_job()
        make_child(commune=tree.commune_b, personal_id="004218000004",
                   birth_date=datetime.date(2018, 1, 1))
        commit(officer, job, "all")
        job.refresh_from_db()
        assert job.status == ImportJob.Status.VALIDATED
        assert job.message == str(jobs.NEW_ERRORS)
        assert Child.objects.filter(commune=tree.commune_a).count() == 0
        commit(officer, job, "valid_only")
        job.refresh_from_db()
        assert (job.status, job.created_count, job.error_rows) == (ImportJob.Status.DONE, 1, 1)


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _with_entry(data: bytes, name: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    return _zip({info.filename: source.read(info) for info in source.infolist()}
                | {name: content})


def _ole(*streams: str) -> bytes:
    header = reading.OLE_MAGIC + bytes(504)
    return header + b"".join(s.encode("utf-16-le") + bytes(8) for s in streams) + bytes(1024)


GOOD_FILE = xlsx([row()])
BAD_FILES = {
    "random bytes": (os.urandom(2000), "không phải tệp Excel (.xlsx)"),
    "a CSV renamed .xlsx": ("Họ và tên,Giới tính\nAn,Nam\n".encode(),
                            "không phải tệp Excel (.xlsx)"),
    "a password-protected workbook": (_ole("EncryptionInfo", "EncryptedPackage"), "mật khẩu"),
    "an old .xls": (_ole("Workbook", "SummaryInformation"), "Excel cũ (.xls)"),
    "a workbook with macros": (_with_entry(GOOD_FILE, "xl/vbaProject.bin", b"\x00" * 64),
                               "macro"),
    "a truncated zip": (GOOD_FILE[: len(GOOD_FILE) // 2], "bị hỏng"),
    "a zip with a broken workbook": (_with_entry(GOOD_FILE, "xl/workbook.xml", b"<workbook"),
                                     "bị hỏng"),
    "a Word document": (_zip({"[Content_Types].xml": b"<Types/>",
                              "_rels/.rels": b'<Relationships><Relationship Id="r" Type="'
                              b'http://schemas.openxmlformats.org/officeDocument/2006/'
                              b'relationships/officeDocument" Target="word/document.xml"/>'
                              b'</Relationships>', "word/document.xml": b"<document/>"}),
                        "không phải tệp Excel (.xlsx)"),
}


class BadFileTests:
    @pytest.mark.parametrize("kind", list(BAD_FILES))
    def test_a_bad_file_gets_a_clear_message_and_writes_nothing(self, officer: Client,
                                                                kind: str) -> None:
        data, message = BAD_FILES[kind]
        response = upload(officer, data)
        job = ImportJob.objects.first()
        shown = response.content.decode() if job is None else job.message
        assert message in shown
        assert job is None or (job.status == ImportJob.Status.FAILED and job.content == b"")
        assert counts() == {"Child": 0, "ChildResidence": 0, "Caregiver": 0, "events": 0}

    def test_a_file_above_the_size_limit_is_refused(self, officer: Client,
                                                    settings: Any) -> None:
        settings.TREEM_IMPORT_MAX_BYTES = 1024
        response = upload(officer, GOOD_FILE)
        assert response.status_code == 200
        assert "Tệp lớn hơn 1,0\xa0KB" in response.content.decode()
        assert not ImportJob.objects.exists()

    def test_a_file_with_too_many_rows_is_refused(self, officer: Client,
                                                  settings: Any) -> None:
        settings.TREEM_IMPORT_MAX_ROWS = 3
        upload(officer, xlsx([row(full_name=f"Trẻ {n}") for n in range(4)]))
        job = last_job()
        assert job.status == ImportJob.Status.FAILED
        assert "hơn 3 dòng" in job.message
        assert (job.staged, job.content) == (b"", b"")

    def test_a_file_missing_a_required_column_is_refused(self, officer: Client) -> None:
        upload(officer, xlsx([["An", "Nam"]], headers=["Họ và tên", "Giới tính"]))
        job = last_job()
        assert job.status == ImportJob.Status.FAILED
        assert "“Ngày sinh (dd/mm/yyyy)”" in job.message and "“Dân tộc”" in job.message

    def test_a_file_is_judged_by_its_content_not_its_name(self, officer: Client) -> None:
        upload(officer, GOOD_FILE, name="danh-sach.txt")
        job = last_job()
        assert (job.status, job.extension) == (ImportJob.Status.VALIDATED, "txt")


def _sheet_xml(rows: str, *, prefix: str = "") -> bytes:
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns{":" + prefix if prefix else ""}="http://schemas.openxmlformats.org/' \
            'spreadsheetml/2006/main"'
    return (f'<?xml version="1.0" encoding="UTF-8"?><{p}worksheet {xmlns}><{p}sheetData>'
            f'{rows}</{p}sheetData></{p}worksheet>').encode()


def _hand_made(sheet: bytes, shared: list[str]) -> bytes:
    """A workbook written the way Excel does: shared strings, relationships."""
    strings = "".join(f"<si>{s}</si>" for s in shared)
    return _zip({
        "[Content_Types].xml": b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                               b'content-types"><Override PartName="/xl/workbook.xml" '
                               b'ContentType="application/vnd.openxmlformats-officedocument.'
                               b'spreadsheetml.sheet.main+xml"/></Types>',
        "_rels/.rels": b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                       b'relationships"><Relationship Id="rId1" Type="http://schemas.'
                       b'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
                       b'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                           b'2006/main" xmlns:r="http://schemas.openxmlformats.org/'
                           b'officeDocument/2006/relationships"><workbookPr/><sheets>'
                           b'<sheet name="Lists" sheetId="2" state="hidden" r:id="rId2"/>'
                           b'<sheet name="Tre em" sheetId="1" r:id="rId1"/></sheets>'
                           b'</workbook>',
        "xl/_rels/workbook.xml.rels":
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/worksheet" Target="/xl/worksheets/sheet2.xml"/>'
            b'<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
        "xl/worksheets/sheet2.xml": _sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>'),
        "xl/sharedStrings.xml": (
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'{strings}</sst>').encode(),
    })


SHARED = ["<t>Họ và tên</t>", "<t>Giới tính</t>", "<t>Ngày sinh</t>", "<t>Dân tộc</t>",
          "<r><rPr><b/></rPr><t>Vi Văn </t></r><r><t>Sình</t></r>"
          "<rPh sb='0' eb='1'><t>X</t></rPh>", "<t>Nam</t>", "<t>Nùng</t>",
          "<t>Lục &amp; Thị Mỷ</t>"]


class ReaderTests:
    def test_shared_strings_rich_text_and_excel_dates_are_read(self, officer: Client) -> None:
        sheet = _sheet_xml(
            '<row r="1" spans="1:4"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
            '<c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>'
            '<row r="2"><c r="A2" s="1" t="s"><v>4</v></c><c r="B2" t="s"><v>5</v></c>'
            '<c r="C2" s="3"><v>42618</v></c><c r="D2" t="s"><v>6</v></c></row>'
            '<row r="3"><c r="A3" t="inlineStr"><is><t>Lò Thị Én</t></is></c>'
            '<c r="B3" t="str"><f>"Nữ"</f><v>Nữ</v></c><c r="C3" t="d"><v>2017-02-01</v></c>'
            '<c r="D3" t="s"><v>6</v></c></row>')
        upload(officer, _hand_made(sheet, SHARED))
        job = last_job()
        assert (job.status, job.valid_rows, job.errors) == (ImportJob.Status.VALIDATED, 2, [])
        commit(officer, job, "all")
        found = dict(Child.objects.values_list("full_name", "birth_date"))
        assert found == {"Vi Văn Sình": datetime.date(2016, 9, 5),
                         "Lò Thị Én": datetime.date(2017, 2, 1)}

    def test_an_unusual_writer_is_read_by_the_general_pattern(self, officer: Client) -> None:
        # Prefixed elements, attributes in another order, cells without references, an
        # entity in an inline string, rich inline text.
        sheet = _sheet_xml(
            '<x:row r="1"><x:c t="s" r="A1"><x:v>0</x:v></x:c><x:c t="s"><x:v>1</x:v></x:c>'
            '<x:c t="s"><x:v>2</x:v></x:c><x:c t="s"><x:v>3</x:v></x:c></x:row>'
            '<x:row><x:c r="A2" t="inlineStr" cm="1"><x:is><x:r><x:t>Lục &amp;amp; </x:t>'
            '</x:r><x:r><x:t xml:space="preserve">Thị Mỷ</x:t></x:r></x:is></x:c>'
            '<x:c r="B2" t="s"><x:v>5</x:v></x:c><x:c r="C2" t="inlineStr"><x:is>'
            '<x:t>01/03/2016</x:t></x:is></x:c><x:c r="D2" t="s"><x:v>6</x:v></x:c></x:row>',
            prefix="x")
        upload(officer, _hand_made(sheet, SHARED))
        job = last_job()
        assert (job.status, job.errors) == (ImportJob.Status.VALIDATED, [])
        commit(officer, job, "all")
        assert Child.objects.get().full_name == "Lục &amp; Thị Mỷ"

    def test_a_sheet_cut_short_is_corrupt(self, officer: Client) -> None:
        sheet = _sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')[:-30]
        upload(officer, _hand_made(sheet, SHARED))
        job = last_job()
        assert (job.status, "bị hỏng" in job.message) == (ImportJob.Status.FAILED, True)

    def test_empty_formatted_rows_do_not_count_as_rows_read(self) -> None:
        # Excel writes formatted rows without cells far below the list: the progress shown
        # (rows done out of the sheet's last row) must not count them.
        sheet = _sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
                           '<row r="2"><c r="A2" t="inlineStr"><is><t>An</t></is></c></row>'
                           '<row r="900" s="3" customFormat="1"/>')
        book = reading.Workbook(_hand_made(sheet, SHARED))
        assert [number for number, _cells in book.rows()] == [1, 2]
        assert book.last_row == 2

    def test_the_fast_and_general_patterns_read_the_same_cells(self) -> None:
        patterns = reading._Patterns(prefix=b"")
        chunk = (b'<row r="7"><c r="A7" s="2" t="s"><v>3</v></c><c r="B7"><f>1+1</f><v>2</v>'
                 b'</c><c r="C7" t="inlineStr"><is><t>a &amp; b</t></is></c>'
                 b'<c r="D7" t="inlineStr" /><c r="E7" t="b"><v>1</v></c></row>')
        fast = patterns.fast.findall(chunk)
        assert fast == patterns._general(chunk)
        assert fast[0] == (b"7", b"", b"", b"", b"")
        assert [cell[1] for cell in fast[1:]] == [b"A", b"B", b"C", b"D", b"E"]
        assert fast[3][2:] == (b"inlineStr", b"", b"a &amp; b")


class ImportAccessTests:
    def _job(self, tree: Tree, personas: Personas, **fields: Any) -> ImportJob:
        return ImportJob.objects.create(**{
            "created_by": personas.outsider, "commune": tree.commune_b,
            "unit_path": tree.commune_b.path, "province_code": "04",
            "status": ImportJob.Status.VALIDATED, "valid_rows": 1, "total_rows": 1} | fields)

    def test_another_communes_officer_gets_404_on_the_job(self, officer: Client, tree: Tree,
                                                          personas: Personas) -> None:
        job = self._job(tree, personas)
        assert officer.get(reverse("registry:import_detail",
                                   args=[job.public_id])).status_code == 404
        assert commit(officer, job, "valid_only").status_code == 404
        job.refresh_from_db()
        assert job.status == ImportJob.Status.VALIDATED

    @pytest.mark.parametrize("persona", ["auditor", "province_officer", "intake", "admin"])
    def test_roles_that_keep_no_register_get_403(self, client: Client, tree: Tree,
                                                 personas: Personas, persona: str) -> None:
        job = self._job(tree, personas)
        login(client, getattr(personas, persona))
        urls = [UPLOAD, reverse("registry:import_detail", args=[job.public_id]),
                reverse("registry:import_template", args=[tree.commune_b.public_id])]
        for url in urls:
            assert client.get(url).status_code == 403, url
        assert upload(client, GOOD_FILE).status_code == 403
        assert commit(client, job, "valid_only").status_code == 403
        assert ImportJob.objects.count() == 1

    def test_the_progress_partial_reports_processed_and_total(self, client: Client, tree: Tree,
                                                              personas: Personas) -> None:
        job = self._job(tree, personas, status=ImportJob.Status.VALIDATING)
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=4000, total_rows=10000)
        login(client, personas.outsider)
        url = reverse("registry:import_detail", args=[job.public_id])
        text = client.get(url, headers=HTMX).content.decode()
        assert "4000/10000" in text and "40%" in text
        assert 'hx-trigger="every 1s"' in text
        assert "<html" not in text  # the partial only

        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.VALIDATED)
        text = client.get(url, headers=HTMX).content.decode()
        assert "hx-trigger" not in text  # done: the polling stops
        assert "Chỉ nhập các dòng hợp lệ" in text

    def test_the_child_list_links_to_the_import(self, officer: Client) -> None:
        text = officer.get(reverse("registry:child_list")).content.decode()
        assert f'href="{UPLOAD}"' in text and "Nhập từ Excel" in text

    def test_the_upload_of_another_commune_is_not_found(self, officer: Client,
                                                        tree: Tree) -> None:
        response = upload(officer, GOOD_FILE, commune=tree.commune_b)
        assert response.status_code == 404
        assert not ImportJob.objects.exists()


class CommitSafetyTests:
    def test_a_second_commit_of_the_same_job_is_refused(self, officer: Client) -> None:
        upload(officer, xlsx([row()]))
        job = last_job()
        commit(officer, job, "all")
        response = commit(officer, job, "all")
        assert response.status_code == 302
        assert Child.objects.count() == 1
        page = officer.get(response["Location"]).content.decode()
        assert str(jobs.NOT_READY) in page

    def test_the_audit_events_carry_the_request_of_the_commit(self, officer: Client,
                                                              personas: Personas) -> None:
        upload(officer, xlsx([row()]))
        commit(officer, last_job(), "all")
        event = AuditEvent.objects.get(object_type="registry.child")
        assert (event.actor_username, event.roles, event.ip) == (
            "officer_a", "commune_officer", "127.0.0.1")
        assert event.request_id

    def test_a_commit_on_another_day_checks_every_row_again(self, officer: Client) -> None:
        upload(officer, xlsx([row()]))
        job = last_job()
        letters, rows, _day = jobs._unpack(bytes(job.staged))
        rows[0][1][checking.STAGED_KEYS.index("disability_degree")] = "severe"  # no type
        job.staged = jobs._pack(letters, rows, datetime.date(2020, 1, 1))
        job.save(update_fields=["staged"])
        commit(officer, job, "all")
        job.refresh_from_db()
        assert job.status == ImportJob.Status.VALIDATED
        assert (job.errors[0]["column"], job.errors[0]["message"]) == (
            "N", str(exc.DEGREE_WITHOUT_TYPE))
        assert Child.objects.count() == 0


    def test_a_staging_emptied_by_a_server_crash_is_staged_again_at_commit(
            self, officer: Client) -> None:
        # PostgreSQL empties the unlogged staging table when the server restarts after a crash
        # (migration registry 0014): the job keeps its checked rows, the commit stages them anew.
        upload(officer, xlsx([row(), row(full_name="Lục Văn Bình", personal_id="")]))
        job = last_job()
        assert ImportStagedChild.objects.filter(job_id=job.pk).count() == 2
        ImportStagedChild.objects.filter(job_id=job.pk).delete()
        commit(officer, job, "all")
        job.refresh_from_db()
        assert (job.status, job.created_count) == (ImportJob.Status.DONE, 2)
        assert sorted(Child.objects.values_list("full_name", flat=True)) == sorted(
            ["Lục Văn Bình", row()[0]])
        assert not ImportStagedChild.objects.exists()

    def test_the_staging_table_writes_no_log_on_postgresql(self, db: None) -> None:
        # PostgreSQL: unlogged (migration registry 0014). SQLite has no such log: an ordinary
        # table, the migration leaves it as it was.
        table = ImportStagedChild._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT relpersistence FROM pg_class WHERE relname = %s",
                               [table])
                assert cursor.fetchone() == ("u",)
            else:
                cursor.execute("SELECT type FROM sqlite_master WHERE name = %s", [table])
                assert cursor.fetchone() == ("table",)

class FastFoldTests:
    def test_it_folds_every_character_as_the_register_does(self) -> None:
        from treem.lib.text import fold
        from treem.registry.importing.folding import fast_fold

        characters = [chr(code) for code in range(0x10000) if not 0xD800 <= code <= 0xDFFF]
        for at in range(0, len(characters), 64):
            text = "".join(characters[at:at + 64])
            assert fast_fold(text) == fold(text), hex(at)
        for text in ("  Nguyễn   Thị\tÁnh ", unicodedata.normalize("NFD", "Đặng Văn Ơn"),
                     "ΟΔΥΣΣΕΥΣ", "𝐀 Lò"):
            assert fast_fold(text) == fold(text)


class InserterTests:
    def test_a_column_without_a_default_cannot_be_skipped(self) -> None:
        from treem.registry.importing import bulk

        with pytest.raises(bulk.MissingColumn, match="full_name"):
            bulk.Inserter(Caregiver, ("public_id", "child_id"), now=None)


class InterruptedJobTests:
    def test_a_commit_failing_half_way_writes_nothing_and_can_be_committed_again(
            self, officer: Client, monkeypatch: pytest.MonkeyPatch) -> None:
        upload(officer, xlsx([row(), row(full_name="Nông Thị Lan", sex="Nữ")]))
        job = last_job()
        before = counts()
        update = jobs.Writer.update

        def failing(self: Any, plans: Any) -> None:
            raise RuntimeError("disk full")  # after the children were switched in

        monkeypatch.setattr(jobs.Writer, "update", failing)
        with pytest.raises(RuntimeError):
            commit(officer, job, "all")
        job.refresh_from_db()
        assert (job.status, job.created_count, job.message) == (
            ImportJob.Status.VALIDATED, 0, str(jobs.COMMIT_FAILED))
        assert counts() == before
        text = officer.get(reverse("registry:import_detail", args=[job.public_id])
                           ).content.decode()
        assert "chưa có dòng nào được ghi" in text
        monkeypatch.setattr(jobs.Writer, "update", update)
        commit(officer, job, "all")
        job.refresh_from_db()
        assert (job.status, job.created_count) == (ImportJob.Status.DONE, 2)
        assert Child.objects.count() == 2

    def test_a_job_that_stopped_moving_says_so(self, officer: Client, tree: Tree,
                                               personas: Personas) -> None:
        job = ImportJob.objects.create(created_by=personas.officer, commune=tree.commune_a,
                                       unit_path=tree.commune_a.path, province_code="04",
                                       status=ImportJob.Status.VALIDATING)
        ImportJob.objects.filter(pk=job.pk).update(
            updated_at=job.updated_at - datetime.timedelta(hours=1))
        text = officer.get(reverse("registry:import_detail", args=[job.public_id])
                           ).content.decode()
        assert "dừng giữa chừng" in text


class EditBetweenPreviewAndCommitTests:
    """An officer edits a child of the list between the preview of an import and its commit:
    the commit must not silently put back the file's value of a field the officer changed."""

    LAN = {"full_name": "Nông Thị Lan", "sex": "Nữ", "birth_date": "03/01/2016"}

    def _preview_of_an_update(self, officer: Client) -> tuple[Child, ImportJob]:
        upload(officer, xlsx([row(), row(**self.LAN)]))
        commit(officer, last_job(), "all")
        child = Child.objects.get(full_name="Hoàng Văn Khải")
        # The file changes the first child's schooling, and leaves the second as it is.
        upload(officer, xlsx([row(school_level="Tiểu học"), row(**self.LAN)]))
        return child, last_job()

    def test_a_field_edited_since_the_preview_is_not_overwritten(
            self, officer: Client, personas: Personas) -> None:
        child, job = self._preview_of_an_update(officer)
        assert job.status == ImportJob.Status.VALIDATED
        child_update(actor=personas.officer, child=child, base_version=child.version,
                     school_status="dropped_out")  # the file still says "in school"
        edited = Child.objects.get(pk=child.pk)
        before = counts()

        commit(officer, job, "all")
        job.refresh_from_db()
        child.refresh_from_db()
        assert child.school_status == "dropped_out"
        assert (child.school_level, child.version) == (edited.school_level, edited.version)
        assert counts() == before  # nothing written: all or nothing
        assert job.status == ImportJob.Status.VALIDATED
        assert job.message == str(jobs.NEW_ERRORS)
        assert [(error["row"], error["message"]) for error in job.errors] == [
            (2, str(jobs.EDITED_SINCE_CHECK))]
        commit(officer, job, "valid_only")  # the importer goes on without the row
        job.refresh_from_db()
        child.refresh_from_db()
        assert (job.status, job.updated_count, job.unchanged_count, job.error_rows) == (
            ImportJob.Status.DONE, 0, 1, 1)
        assert (child.school_status, child.version) == ("dropped_out", edited.version)

    def test_a_caregiver_edited_since_the_preview_is_not_overwritten(
            self, officer: Client, personas: Personas) -> None:
        # The file names the mother with the phone she had; the officer has since saved her
        # new number.
        upload(officer, xlsx([row(), row(**self.LAN)]))
        commit(officer, last_job(), "all")
        child = Child.objects.get(full_name="Hoàng Văn Khải")
        upload(officer, xlsx([row(), row(**self.LAN)]))
        job = last_job()
        mother = Caregiver.objects.get(child=child)
        caregiver_update(actor=personas.officer, caregiver=mother, base_version=mother.version,
                         phone="0987654321")
        before = counts()

        commit(officer, job, "all")
        job.refresh_from_db()
        mother.refresh_from_db()
        assert mother.phone == "0987654321"
        assert counts() == before
        assert [(error["row"], error["message"]) for error in job.errors] == [
            (2, str(jobs.EDITED_SINCE_CHECK))]
        commit(officer, job, "valid_only")
        mother.refresh_from_db()
        assert mother.phone == "0987654321"

    def test_an_edit_the_file_agrees_with_leaves_the_row_to_commit(
            self, officer: Client, personas: Personas) -> None:
        child, job = self._preview_of_an_update(officer)
        child_update(actor=personas.officer, child=child, base_version=child.version,
                     school_level="primary")  # the same value the file sets
        commit(officer, job, "all")
        job.refresh_from_db()
        assert (job.status, job.updated_count, job.unchanged_count) == (
            ImportJob.Status.DONE, 0, 2)

"""Hostile and oversized .xlsx files (zip bombs, entity expansion, nested archives, a million
columns, a cell of megabytes) are refused fast and without memory, with a Vietnamese message
naming the limit, at the child import and at every other .xlsx upload; and the length of every
cell is checked before anything is done with it."""

import random
import time
import tracemalloc
import zlib
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.datastructures import MultiValueDict

from treem.accounts.services import token_create
from treem.lib import xlsx_guard
from treem.lib.tests import bad_xlsx
from treem.registry.importing import jobs, reading, runner
from treem.registry.importing.folding import fast_fold
from treem.registry.models import Child, ImportJob
from treem.registry.tests.test_import import GOOD, counts, last_job, row, upload, xlsx
from treem.testing import Personas, Tree, login

FAST = 1.0                     # seconds a refusal may take
FLAT = 50 * 1024 * 1024        # bytes of Python memory a refusal may take at its peak


def _good() -> bytes:
    return xlsx([row(), row(full_name="Nông Thị Hoa", sex="Nữ")])


# name → (bad file from a good one, words of the message)
CORPUS: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "a sheet of 300 MB in 300 kB": (lambda b: bad_xlsx.sheet_bomb(b, megabytes=300),
                                    "Tệp quá lớn sau khi giải nén: nội dung của tệp vượt 256"),
    "a sheet of 100 MB at a ratio of 1,000": (lambda b: bad_xlsx.sheet_bomb(b, megabytes=100),
                                              "nén bất thường (nội dung giải nén lớn gấp hơn "
                                              "100 lần"),
    "shared strings of 300 MB": (lambda b: bad_xlsx.shared_strings_bomb(b, megabytes=300),
                                 "Tệp quá lớn sau khi giải nén"),
    "5,000 parts": (lambda b: bad_xlsx.many_members(b, count=5000), "hơn 1000 thành phần"),
    "a zip inside, under another name": (bad_xlsx.nested_zip, "tệp nén khác bên trong"),
    "a workbook inside": (lambda b: bad_xlsx.nested_zip(b, name="xl/embeddings/Book1.xlsx"),
                          "tệp nén khác bên trong"),
    "billion laughs in the sheet": (bad_xlsx.billion_laughs_sheet, "khai báo DTD"),
    "billion laughs in the shared strings": (bad_xlsx.billion_laughs_shared_strings,
                                             "khai báo DTD"),
    "a sheet whose size is declared 1 kB": (
        lambda b: bad_xlsx.lying_size(b, megabytes=200, declared=1000), "Tệp bị hỏng"),
    "a truncated archive": (bad_xlsx.truncated, "Tệp bị hỏng"),
    "a million columns": (bad_xlsx.wide_sheet, "có hơn 256 cột"),
}


def _read_all(data: bytes) -> None:
    """What validation does with a file, short of the register: every row read."""
    book = reading.Workbook(data)
    for _number, cells in book.rows():
        for cell in cells.values():
            book.value(cell)


def _measured(work: Callable[[], Any]) -> tuple[float, int]:
    tracemalloc.start()
    begin = time.perf_counter()
    try:
        work()
    finally:
        elapsed = time.perf_counter() - begin
        _size, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return elapsed, peak


class ZipBombTests:
    @pytest.mark.parametrize("name", list(CORPUS))
    def test_a_hostile_file_is_refused_fast_and_memory_flat(self, name: str) -> None:
        spoil, words = CORPUS[name]
        data = spoil(_good())
        assert len(data) < 2 * 1024 * 1024  # small on disk, whatever it holds
        refusals: list[reading.FileRejected] = []

        def work() -> None:
            try:
                _read_all(data)
            except reading.FileRejected as error:
                refusals.append(error)

        elapsed, peak = _measured(work)
        assert refusals, f"{name} was read"
        assert words in refusals[0].message
        assert elapsed < FAST, f"{name}: {elapsed:.2f} s"
        assert peak < FLAT, f"{name}: {peak / 1e6:.0f} MB"

    def test_a_good_file_is_read(self) -> None:
        _read_all(_good())

    def test_a_declared_size_that_lies_is_stopped_by_the_stream_limit(self) -> None:
        # The directory says 1 kB a part (all under the limits); the budget of bytes actually
        # decompressed stops the reading whatever the directory says.
        data = bad_xlsx.lying_size(_good(), megabytes=20, declared=1000)
        archive = xlsx_guard.GuardedArchive(data, xlsx_guard.Limits(max_total=4 * 1024 * 1024))
        archive.budget = 1024 * 1024
        stream = archive.open(bad_xlsx.sheet_name(_good()))
        with pytest.raises(xlsx_guard.UnsafeWorkbook) as refused:
            while stream.read(64 * 1024):
                pass
        assert refused.value.reason in ("too_large", "corrupt")

    def test_the_budget_counts_every_byte_decompressed(self) -> None:
        data = bad_xlsx.sheet_bomb(_good(), megabytes=3)
        archive = xlsx_guard.GuardedArchive(
            data, xlsx_guard.Limits(max_total=8 * 1024 * 1024, max_ratio=10_000))
        archive.budget = 2 * 1024 * 1024  # as if 6 MB had been read from other parts
        stream = archive.open(bad_xlsx.sheet_name(_good()))
        with pytest.raises(xlsx_guard.UnsafeWorkbook) as refused:
            stream.read()
        assert refused.value.reason == "too_large"


@pytest.fixture(autouse=True)
def inline_jobs(settings: Any) -> None:
    settings.TREEM_IMPORT_SYNC = True


class UploadRefusalTests:
    def test_the_page_refuses_a_bomb_with_the_limit_and_keeps_nothing(
            self, client: Client, personas: Personas) -> None:
        login(client, personas.officer)
        before = counts()
        response = upload(client, bad_xlsx.sheet_bomb(_good(), megabytes=300))
        assert response.status_code == 200
        assert "Tệp quá lớn sau khi giải nén: nội dung của tệp vượt 256" in \
            response.content.decode()
        assert not ImportJob.objects.exists() and counts() == before

    def test_the_api_refuses_a_bomb_with_the_limit(self, client: Client, personas: Personas,
                                                   tree: Tree) -> None:
        _token, secret = token_create(user=personas.officer, name="t", days=1)
        response = client.post(
            f"/api/v1/communes/{tree.commune_a.public_id}/imports",
            {"file": _upload(bad_xlsx.billion_laughs_shared_strings(_good()))},
            HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert response.status_code == 422
        assert "khai báo DTD" in response.json()["detail"]
        assert not ImportJob.objects.exists()

    def test_a_million_columns_fail_the_job_with_the_limit(self, personas: Personas,
                                                          tree: Tree) -> None:
        job = jobs.import_job_create(actor=personas.officer, commune=tree.commune_a,
                                     data=bad_xlsx.wide_sheet(_good()), file_name="x.xlsx")
        job.refresh_from_db()
        assert job.status == ImportJob.Status.FAILED
        assert "có hơn 256 cột" in job.message
        assert not Child.objects.exists()

    def test_the_service_refuses_a_nested_archive(self, personas: Personas,
                                                  tree: Tree) -> None:
        with pytest.raises(ValidationError) as refused:
            jobs.import_job_create(actor=personas.officer, commune=tree.commune_a,
                                   data=bad_xlsx.nested_zip(_good()), file_name="x.xlsx")
        assert "tệp nén khác bên trong" in " ".join(refused.value.messages)


def _upload(data: bytes) -> Any:
    return SimpleUploadedFile("x.xlsx", data, content_type="application/octet-stream")


def _with_cell(data: bytes, text: bytes) -> bytes:
    """The good workbook with its first child's name replaced by `text` (inline string)."""
    members = bad_xlsx.members_of(data)
    sheet = next(m for m in members if m.name.startswith("xl/worksheets/"))
    xml = zlib.decompress(sheet.data, -15)
    name = GOOD["full_name"].encode()
    assert name in xml
    return bad_xlsx.replaced(data, bad_xlsx.deflated(sheet.name, xml.replace(name, text, 1)))


class CellLengthTests:
    @pytest.mark.parametrize("megabytes", [1, 10])
    def test_a_cell_of_megabytes_is_an_error_of_its_row_and_column_fast(
            self, megabytes: int, personas: Personas, tree: Tree,
            monkeypatch: pytest.MonkeyPatch) -> None:
        # Random letters and spaces: it compresses like text, not like a bomb.
        letters = (b"abcdeghiklmnopqrstuvxy " * 12)[:256]
        text = random.Random(megabytes).randbytes(megabytes * 1024 * 1024).translate(letters)
        data = _with_cell(_good(), text)
        fast_fold("ă")  # the folding table is built once a process, whatever the file
        # The upload is stored as it came; what is timed is the check of the file.
        started: list[Any] = []
        monkeypatch.setattr(runner, "start", lambda task, *args, **kwargs: started.append(
            (task, args, kwargs)))
        created = [jobs.import_job_create(actor=personas.officer, commune=tree.commune_a,
                                          data=data, file_name="x.xlsx")]
        task, args, kwargs = started.pop()
        elapsed, peak = _measured(lambda: task(*args, **kwargs))
        job = ImportJob.objects.get(pk=created[0].pk)
        assert job.status == ImportJob.Status.VALIDATED
        assert (job.error_rows, job.valid_rows) == (1, 1)
        assert job.errors[0] | {"message": ""} == {"row": 2, "column": "A",
                                                   "label": "Họ và tên", "message": ""}
        assert job.errors[0]["message"] == "Dài quá 150 ký tự."
        # Reading the job back from the database and decompressing the megabytes are in the
        # time: a second, and a quarter of a second a megabyte (~0.7 s for 10 MB unloaded).
        assert elapsed < FAST + 0.25 * megabytes, f"{elapsed:.2f} s"
        # The cell is held once or twice while its row is read; never copied per column.
        assert peak < 4 * megabytes * 1024 * 1024 + FLAT, f"{peak / 1e6:.0f} MB"

    @pytest.mark.parametrize("key", ["sex", "village", "caregiver_phone", "personal_id",
                                     "birth_date", "ethnicity", "birth_registered"])
    def test_every_column_has_a_maximum_length(self, key: str, personas: Personas,
                                               tree: Tree) -> None:
        job = jobs.import_job_create(actor=personas.officer, commune=tree.commune_a,
                                     data=xlsx([row(**{key: "9" * 5000})]), file_name="x.xlsx")
        job = last_job()
        assert job.status == ImportJob.Status.VALIDATED, job.message
        assert [e["message"] for e in job.errors if "Dài quá" in e["message"]], job.errors


class OtherUploadTests:
    """The same guard stands before openpyxl at the other .xlsx uploads."""

    @pytest.mark.parametrize("name", ["a sheet of 300 MB in 300 kB", "5,000 parts",
                                      "billion laughs in the shared strings",
                                      "a zip inside, under another name"])
    def test_the_dhis2_table_refuses_a_hostile_file_fast(self, name: str, tree: Tree) -> None:
        from treem.dhis2 import importing

        spoil, words = CORPUS[name]
        data = spoil(_good())
        results: list[Any] = []
        elapsed, peak = _measured(lambda: results.append(importing.read(tree.province, data)))
        table, errors = results[0]
        # The table's own limit (32 MB) stands in the message where the list's (256 MB) would.
        assert table == {} and len(errors) == 1 and words.removesuffix(" 256") in errors[0]
        assert elapsed < FAST and peak < FLAT

    def test_the_dhis2_table_reads_only_its_columns_of_a_sheet_claiming_every_column(
            self, tree: Tree) -> None:
        from treem.dhis2 import importing

        data = bad_xlsx.wide_sheet(importing.template(tree.province), column="XFD")
        elapsed, _peak = _measured(lambda: importing.read(tree.province, data))
        assert elapsed < FAST

    def test_the_targets_refuse_a_hostile_file_fast(self, personas: Personas) -> None:
        from treem.indicators import targets

        data = bad_xlsx.sheet_bomb(_good(), megabytes=100)
        results: list[Any] = []
        elapsed, peak = _measured(lambda: results.append(targets.import_sheet(
            actor=personas.admin, content=data, sets=[])))
        written, errors = results[0]
        assert written == 0 and "Tệp quá lớn sau khi giải nén: nội dung của tệp vượt 32" in \
            errors[0]
        assert elapsed < FAST and peak < FLAT

    def test_the_targets_form_refuses_a_file_over_5_mb_before_reading_it(self) -> None:
        from treem.indicators.forms import TargetImportForm

        files = MultiValueDict({"file": [_upload(b"PK" + b"\0" * 6_000_000)]})
        form = TargetImportForm(data={}, files=files)
        assert not form.is_valid() and form.errors["file"] == ["Tệp quá 5 MB."]

"""The import's progress and counts for a file larger than what is read at once, and its
errors listed in the order of the file's rows."""

from typing import Any

import pytest
from django.test import Client

from treem.registry.importing import jobs, reading
from treem.registry.models import ImportJob
from treem.registry.tests.test_import import GOOD, last_job, row, upload, xlsx
from treem.testing import Personas, login

ROWS = 600


@pytest.fixture(autouse=True)
def inline_jobs(settings: Any) -> None:
    settings.TREEM_IMPORT_SYNC = True


@pytest.fixture
def officer(client: Client, personas: Personas) -> Client:
    return login(client, personas.officer)


@pytest.fixture
def reported(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """The (processed, total) rows of each progress report of the check."""
    seen: list[tuple[int, int]] = []
    real = jobs._progress

    def spy(job: ImportJob, **fields: Any) -> None:
        if job.status == ImportJob.Status.VALIDATING:
            seen.append((fields["processed_rows"], fields["total_rows"]))
        real(job, **fields)

    monkeypatch.setattr(jobs, "_progress", spy)
    return seen


def _children(count: int) -> bytes:
    names = ("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Minh", "Ngọc")
    return xlsx([row(full_name=f"Hoàng {names[i % 10]} {names[i // 10 % 10]} {i // 100}",
                     birth_date=f"{i % 28 + 1:02d}/{i % 12 + 1:02d}/2015")
                 for i in range(count)])


class ImportProgressTests:
    def test_a_file_larger_than_the_read_window_is_counted_right_while_it_is_checked(
        self, officer: Client, monkeypatch: pytest.MonkeyPatch,
        reported: list[tuple[int, int]],
    ) -> None:
        # The sheet is read 16 kB at a time (4 MB in production): ~40 windows for this file,
        # as a 40,000-row file is ~40 windows of 4 MB; a report every 40 rows.
        monkeypatch.setattr(reading, "CHUNK", 16 * 1024)
        monkeypatch.setattr(jobs, "BATCH", 20)
        upload(officer, _children(ROWS))

        job = last_job()
        assert (job.status, job.total_rows, job.valid_rows) == (
            ImportJob.Status.VALIDATED, ROWS, ROWS)
        assert len(reported) >= 10
        for processed, total in reported:
            # Every estimate within 5% of the file's rows (it was off by a factor of two to
            # seven, the rows done scaled by the bytes read ahead), never below the rows done.
            assert processed <= total
            assert abs(total - ROWS) <= ROWS * 0.05, reported

    def test_a_file_read_at_once_is_counted_exactly(
        self, officer: Client, monkeypatch: pytest.MonkeyPatch,
        reported: list[tuple[int, int]],
    ) -> None:
        monkeypatch.setattr(jobs, "BATCH", 20)
        upload(officer, _children(120))
        assert reported and all(total == 120 for _processed, total in reported)


class ImportErrorOrderTests:
    def test_errors_are_listed_in_the_order_of_the_rows(self, officer: Client) -> None:
        # Row 3 repeats row 2 (found when the rows are checked against each other), row 4 has
        # a day that does not exist (found when its cells are read, before).
        upload(officer, xlsx([row(), row(), row(full_name="Sai Ngày", birth_date="31/02/2016"),
                              row(full_name="Lê Văn Tám", sex="Khác")]))
        job = last_job()
        assert [error["row"] for error in job.errors] == sorted(
            error["row"] for error in job.errors)
        assert [error["row"] for error in job.errors][:2] == [3, 4]

    def test_the_errors_kept_are_those_of_the_first_rows(
        self, officer: Client, monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        monkeypatch.setattr(ImportJob, "ERRORS_KEPT", 2)
        upload(officer, xlsx([row(), row(), row(full_name="Sai Ngày", birth_date="31/02/2016"),
                              row(full_name="Sai Nữa", birth_date="30/02/2016")]))
        job = last_job()
        assert [error["row"] for error in job.errors] == [3, 4]
        assert job.error_rows == 3
        assert GOOD["full_name"]  # the repeated row is the good row of the template

"""The commit of an import is all or nothing across a crash, and idempotent under concurrency,
tested with real processes on the test database (`import_children` in a process of its own):

- a worker killed with SIGKILL while it writes leaves no child of its job, the job shows as
  interrupted (page and API) and, retried, writes every row once;
- two imports of the same file whose commits race (both checked the register before either
  wrote) add each child once.

On SQLite the in-memory test database is copied to a file for the processes and copied back
for the assertions; on PostgreSQL they use the test database itself (committed data:
transaction=True).
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from treem.accounts.services import token_create
from treem.audit import triggers
from treem.audit.models import AuditEvent
from treem.lib.tests import bad_xlsx
from treem.registry.models import Caregiver, Child, ChildResidence, ImportJob, ImportStagedChild
from treem.registry.tests.test_import import xlsx
from treem.testing import Personas, Tree, login

ROOT = Path(__file__).resolve().parents[3]
# serialized_rollback: the flush after each test would take the catalogues the migrations
# loaded (ethnicities, units) from every later test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FAMILIES = ["Hoàng", "Nông", "Lương", "Đàm", "Lục", "Triệu", "Bế", "Lý", "Vi", "Nguyễn"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hải", "Khải", "Long", "Minh", "Phúc", "Sơn",
         "Tâm", "Thành", "Tuấn", "Việt", "Vinh", "Quang", "Huy", "Đức", "Nam", "Lâm"]


def big_file(rows: int) -> bytes:
    """`rows` distinct children without personal ids (their identity is their name, birth
    date and sex: what a second import must find), each with a caregiver."""
    good = xlsx([])
    sheet_name = bad_xlsx.sheet_name(good)
    sheet = zlib.decompress(next(m for m in bad_xlsx.members_of(good)
                                 if m.name == sheet_name).data, -15)
    head, _sep, _tail = sheet.partition(b"</sheetData>")
    head = head.replace(b'<dimension ref="A1:R1"/>', b"")

    def cell(column: str, number: int, text: str) -> str:
        return f'<c r="{column}{number}" t="inlineStr"><is><t>{text}</t></is></c>'

    body = []
    for index in range(rows):
        number = index + 2
        name = (f"{FAMILIES[index % 10]} Văn {GIVEN[(index // 10) % 20]} "
                f"{GIVEN[(index // 200) % 20]}")
        day = 1 + (index // 4000) % 28
        month = 1 + (index // (4000 * 28)) % 12
        body.append(
            f'<row r="{number}">' + cell("A", number, name) + cell("B", number, "Nam")
            + cell("C", number, f"{day:02d}/{month:02d}/2015") + cell("E", number, "Tày")
            + cell("G", number, "Có") + cell("H", number, "Thôn Nà Pồng")
            + cell("P", number, "Hoàng Thị Mai")
            + cell("Q", number, "Mẹ") + "</row>")
    xml = head + "".join(body).encode() + b"</sheetData></worksheet>"
    return bad_xlsx.replaced(good, bad_xlsx.deflated(sheet_name, xml))


class SharedDatabase:
    """The test database, reachable by other processes."""

    def __init__(self, folder: Path) -> None:
        self.sqlite = connection.vendor == "sqlite"
        self.file = folder / "shared.sqlite3"
        if self.sqlite:
            connection.ensure_connection()
            target = sqlite3.connect(self.file)
            connection.connection.backup(target)
            target.close()
            self.url = f"sqlite:///{self.file}"
        else:
            db = connection.settings_dict
            self.url = (f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
                        f"{db['PORT'] or 5432}/{db['NAME']}")

    def run(self, *args: str, module: str = "treem.registry.tests.import_worker"
            ) -> subprocess.Popen:
        env = {**os.environ, "DATABASE_URL": self.url, "DJANGO_SETTINGS_MODULE": "treem.settings",
               "PYTHONPATH": str(ROOT)}
        return subprocess.Popen([sys.executable, "-m", module, *args], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def killed_once(self, marker: Path, module: str, *args: str) -> None:
        """Run the worker `module` with `args`, kill it (SIGKILL) once it has created
        `marker` (mid-write, inside its transaction), then take what it committed."""
        worker = self.run(*args, module=module)
        deadline = time.monotonic() + 120
        try:
            while not marker.exists():
                assert worker.poll() is None, worker.stdout.read().decode()  # type: ignore[union-attr]
                assert time.monotonic() < deadline, "the worker never wrote"
                time.sleep(0.05)
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.wait()
        self.pull()

    def children(self) -> int:
        """Children the other processes have committed."""
        if not self.sqlite:
            return Child.objects.count()
        with sqlite3.connect(self.file, timeout=5) as reader:
            return reader.execute("SELECT count(*) FROM registry_child").fetchone()[0]

    def pull(self) -> None:
        """What the other processes committed, into the test's own database."""
        if self.sqlite:
            source = sqlite3.connect(self.file, timeout=30)
            source.backup(connection.connection)
            source.close()


@pytest.fixture(scope="module", autouse=True)
def _audit_triggers_back(django_db_blocker: Any) -> Iterator[None]:
    yield
    # After the last test's flush (function fixtures are torn down first).
    with django_db_blocker.unblock():
        triggers.install(connection)


@pytest.fixture
def shared_db(tmp_path: Path, tree: Tree, personas: Personas) -> Iterator[SharedDatabase]:
    yield SharedDatabase(tmp_path)
    # A transactional test is emptied by a flush, which the append-only audit trail refuses:
    # its triggers are lifted for it (`treem.audit.triggers.remove` exists for this), and put
    # back once the module is done.
    triggers.remove(connection)


def _command(path: Path, tree: Tree, personas: Personas) -> list[str]:
    return ["--", "import_children", str(path), "--commune", tree.commune_a.code, "--user",
            personas.officer.username]


def _api(user: Any) -> Client:
    _token, raw = token_create(user=user, name="crash", days=1)
    return Client(headers={"Authorization": f"Bearer {raw}"})


class CrashTests:
    ROWS = 12_000  # more than the rows the old code wrote in its first transaction

    def test_a_worker_killed_mid_commit_leaves_nothing_and_is_retried_once(
            self, tmp_path: Path, tree: Tree, personas: Personas, shared_db: SharedDatabase,
            settings: Any) -> None:
        path = tmp_path / "danh sach.xlsx"
        path.write_bytes(big_file(self.ROWS))
        marker = tmp_path / "inserting"
        worker = shared_db.run("--pause-on-child-insert", str(marker),
                               *_command(path, tree, personas))
        deadline = time.monotonic() + 300
        try:
            while not marker.exists() and not shared_db.children():
                assert worker.poll() is None, worker.stdout.read().decode()  # type: ignore[union-attr]
                assert time.monotonic() < deadline, "the worker never wrote"
                time.sleep(0.05)
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.wait()
        shared_db.pull()

        assert Child.objects.count() == 0
        assert ChildResidence.objects.count() == Caregiver.objects.count() == 0
        assert not AuditEvent.objects.filter(object_type="registry.child").exists()
        job = ImportJob.objects.get()
        assert job.status == ImportJob.Status.COMMITTING and job.is_interrupted
        api = _api(personas.officer)
        shown = api.get(f"/api/v1/imports/{job.public_id}").json()
        assert (shown["interrupted"], shown["status_label"]) == (True, "Bị gián đoạn")
        assert "Chưa có dòng nào của tệp được ghi vào sổ" in shown["message"]
        page = login(Client(), personas.officer).get(
            reverse("registry:import_detail", args=[job.public_id])).content.decode()
        assert "Chưa có dòng nào của tệp được ghi vào sổ" in page and "Thử lại" in page

        settings.TREEM_IMPORT_SYNC = True
        response = api.post(f"/api/v1/imports/{job.public_id}/retry")
        assert response.status_code == 202, response.content
        job.refresh_from_db()
        assert (job.status, job.created_count) == (ImportJob.Status.DONE, self.ROWS)
        assert Child.objects.count() == self.ROWS
        assert ChildResidence.objects.count() == Caregiver.objects.count() == self.ROWS
        assert AuditEvent.objects.filter(object_type="registry.child").count() == self.ROWS
        assert not ImportStagedChild.objects.exists()


class ConcurrencyTests:
    ROWS = 3_000

    def test_two_imports_of_one_file_committed_at_once_add_each_child_once(
            self, tmp_path: Path, tree: Tree, personas: Personas,
            shared_db: SharedDatabase) -> None:
        path = tmp_path / "danh sach.xlsx"
        path.write_bytes(big_file(self.ROWS))
        barrier = tmp_path / "barrier"
        barrier.mkdir()
        workers = [shared_db.run("--barrier", str(barrier), "--parties", "2",
                                 *_command(path, tree, personas)) for _ in range(2)]
        outputs = [worker.communicate(timeout=400)[0].decode() for worker in workers]
        assert [worker.returncode for worker in workers] == [0, 0], outputs
        shared_db.pull()

        assert Child.objects.count() == self.ROWS
        assert Caregiver.objects.count() == ChildResidence.objects.count() == self.ROWS
        done = ImportJob.objects.order_by("created_count")
        assert [(job.status, job.created_count, job.unchanged_count) for job in done] == [
            (ImportJob.Status.DONE, 0, self.ROWS), (ImportJob.Status.DONE, self.ROWS, 0)]
        assert AuditEvent.objects.filter(object_type="registry.child").count() == self.ROWS


@pytest.fixture(autouse=True)
def _no_sqlite_memory_surprise() -> None:
    # The processes need a database they can open: an in-memory SQLite test database is
    # copied to a file (SharedDatabase); any other SQLite name would be the developer's file.
    if connection.vendor == "sqlite":
        assert connection.is_in_memory_db(), (  # type: ignore[attr-defined]
            django_settings.DATABASES["default"]["NAME"])

"""An import job from upload to commit: the services the views call and the background work.

    upload ──► validating ──► validated ──► committing ──► done
                   │                            │
                   └──► failed (whole file)     └──► validated (new errors, "all" mode)

Validation reads the file once, checks every cell and every row against the register (in two
queries per batch of rows, never one per row) and keeps the rows that passed, compressed, in
the job; the file itself is then dropped. The commit asks the register again about those rows —
it may have changed in between: a personal id now held by another child, a child now there to
update — and only then writes, batch by batch: children, their open residence, caregivers, and
one audit event per child, all as bulk inserts (`bulk.Inserter`).

All-or-nothing: in "all" mode nothing is written unless every row of the file is good, at
validation and again at commit. Each batch is its own transaction, so that a commit of 100,000
rows does not hold SQLite's single write lock (and every other user's request) for seconds;
a failure of the database half-way therefore leaves the batches already written, each with its
audit events, and importing the same file again completes it without duplicates.
"""

import contextlib
import datetime
import gc
import json
import logging
import zlib
from collections.abc import Iterator
from itertools import islice
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from treem.accounts.models import User
from treem.accounts.permissions import Capability
from treem.audit import context
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.geo.models import Unit
from treem.registry import exceptions as exc
from treem.registry.importing import parsing, reading, runner
from treem.registry.importing.checking import Checker, Plan, Staged, import_scope_path
from treem.registry.importing.writing import Writer
from treem.registry.models import ImportJob

logger = logging.getLogger(__name__)

BATCH = 2000           # rows checked a time: one or two queries each
WRITE_BATCH = 10_000   # rows written a transaction (about a second of SQLite's write lock)
# SQLite's page cache for the connection doing the work, in KiB. The default 2 MB holds a
# fraction of the child table's indexes once a commune's list is in: every insert then waits
# on pages read back from the file. 64 MB keeps them in memory; PostgreSQL has shared buffers.
SQLITE_CACHE_KIB = 64 * 1024
# WAL pages SQLite lets pile up before copying them back into the database file. The default
# (1,000 pages, 4 MB) copies the child table's index pages back after every batch, a third of
# the commit's time; while a job writes, they are copied once, at its end.
SQLITE_WAL_PAGES_WHILE_WRITING = 250_000
Status, Mode = ImportJob.Status, ImportJob.Mode
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.UPLOADED: (Status.VALIDATING, Status.FAILED),
    Status.VALIDATING: (Status.VALIDATED, Status.FAILED),
    Status.VALIDATED: (Status.COMMITTING,),
    Status.COMMITTING: (Status.DONE, Status.VALIDATED, Status.FAILED),
    Status.DONE: (),
    Status.FAILED: (),
}

NOT_READY = gettext_lazy("Tệp này chưa kiểm tra xong, hoặc đã được nhập.")
HAS_ERRORS = gettext_lazy("Tệp còn dòng có lỗi: hãy sửa tệp và tải lên lại, hoặc chọn chỉ nhập "
                          "các dòng hợp lệ.")
NOTHING_VALID = gettext_lazy("Tệp không có dòng hợp lệ nào để nhập.")
NEW_ERRORS = gettext_lazy("Sổ theo dõi đã thay đổi từ lúc kiểm tra: có dòng nay không nhập được "
                          "(xem danh sách lỗi). Chưa có dòng nào được ghi vào sổ.")
INTERRUPTED = gettext_lazy("Có lỗi hệ thống khi xử lý tệp. Hãy thử lại sau; nếu vẫn lỗi, báo "
                           "cho quản trị hệ thống.")


# --- Services: what the views call --------------------------------------------------------------

def import_job_create(*, actor: Any, commune: Unit, data: bytes, file_name: str = "") -> ImportJob:
    """Store an uploaded file and start checking it in the background.

    Only the file's extension is kept of its name: officers name lists after the children."""
    unit_path = import_scope_path(actor, commune)
    try:
        reading.sniff(data)
    except reading.FileRejected as error:
        raise ValidationError({"file": error.message}) from error
    extension = file_name.rpartition(".")[2].lower()[:8] if "." in file_name else ""
    with transaction.atomic():
        job = ImportJob.objects.create(
            created_by=actor, commune=commune, unit_path=unit_path,
            province_code=commune.province_code, extension=extension, size=len(data),
            content=data)
        event_record(actor=actor, action=Action.CREATE, obj=job, unit=commune,
                     fields=["content"])
    runner.start(validate, job.pk, actor_id=actor.pk, language=translation.get_language())
    return job


def import_job_commit(*, actor: Any, job: ImportJob, mode: str) -> ImportJob:
    """Start writing the checked rows to the register (in the background)."""
    if not actor.in_scope(job.unit_path, capability=Capability.MANAGE_CHILDREN):
        raise ValidationError(exc.UNIT_OUT_OF_SCOPE)
    if mode not in Mode.values:
        raise ValidationError({"mode": _("Hãy chọn cách nhập.")})
    if job.status != Status.VALIDATED:
        raise ValidationError(NOT_READY)
    if mode == Mode.ALL and job.error_rows:
        raise ValidationError(HAS_ERRORS)
    if not job.valid_rows:
        raise ValidationError(NOTHING_VALID)
    # Two clicks (or two officers) at once: only one request moves the job on.
    if not _transition(job, Status.VALIDATED, Status.COMMITTING, mode=mode, committed_by=actor,
                       processed_rows=0, total_rows=job.valid_rows):
        raise ValidationError(NOT_READY)
    job.refresh_from_db()
    request = context.current()
    runner.start(commit, job.pk, actor_id=actor.pk, language=translation.get_language(),
                 ip=request.ip if request else None,
                 request_id=request.request_id if request else "")
    return job


# --- Background work ----------------------------------------------------------------------------

def _progress(job: ImportJob, **fields: Any) -> None:
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now(), **fields)


def _transition(job: ImportJob, source: str, target: str, **fields: Any) -> bool:
    """Move the job from `source` to `target` (a step of TRANSITIONS) with `fields`, unless
    it has left `source` already (another request, another task): then False."""
    if target not in TRANSITIONS[source]:
        raise ValueError(f"import job: no step from {source} to {target}")
    moved = ImportJob.objects.filter(pk=job.pk, status=source).update(
        status=target, updated_at=timezone.now(), **fields)
    if moved:
        job.status = target
    return bool(moved)


def _fail(job: ImportJob, message: str) -> None:
    """The file (or the system) failed the job: its contents are dropped. What a commit had
    written before stays, counted on the job, and the same file imported again completes it."""
    for source in (Status.UPLOADED, Status.VALIDATING, Status.COMMITTING):
        if _transition(job, source, Status.FAILED, message=message, content=b"", staged=b""):
            return


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused while a job works: a file's rows are a million
    small objects, which every full collection would walk again (a third of the run's time).
    Reference counting still frees them; nothing an import builds is cyclic."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _task(function: Any) -> Any:
    """Run a job's work in the uploader's language; a crash fails the job instead of leaving
    it "in progress" for ever."""

    def run(job_id: int, *, actor_id: int, language: str | None = None, **kwargs: Any) -> None:
        if connection.vendor == "sqlite" and runner.own_connection():
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        job = ImportJob.objects.select_related("commune").get(pk=job_id)
        actor = User.objects.get(pk=actor_id)
        with translation.override(language or "vi"), _collector_paused():
            try:
                function(job, actor, **kwargs)
            except reading.FileRejected as error:
                _fail(job, error.message)
            except Exception:
                logger.exception("import job %s failed", job.public_id)
                _fail(job, str(INTERRUPTED))
                if runner.inline():
                    raise

    run.__name__ = function.__name__
    return run


@_task
def validate(job: ImportJob, actor: Any) -> None:
    if not _transition(job, Status.UPLOADED, Status.VALIDATING):
        return
    book = reading.Workbook(bytes(job.content))
    rows = book.rows()
    layout = reading.find_header(book, rows)
    letters = {key: value.decode() for key, value in layout.letters.items()}
    checker = Checker(job=job, actor=actor, letters=letters)
    parser = parsing.RowParser(book=book, layout=layout, ethnicities=checker.ethnicities,
                               villages=list(checker.villages.values()))
    limit = reading.max_rows()
    total = 0
    staged: list[list[Any]] = []
    next_report = BATCH * 2
    for batch in _batched(_parsed(parser, rows), BATCH):
        total += len(batch)
        if total > limit:
            raise reading.FileRejected(reading._too_many_rows(limit))
        good = [row for row in batch if not row.errors]
        for row in batch:
            if row.errors:
                checker.report(row.number, row.errors + checker.more_errors(row))
        for plan in checker.check(good):
            staged.append(plan.staged())
        if total >= next_report:
            next_report += BATCH * 2
            _progress(job, processed_rows=total,
                      total_rows=_expected_rows(book, layout, total))
    if not total:
        raise reading.FileRejected(reading._no_rows())
    _transition(job, Status.VALIDATING, Status.VALIDATED, content=b"",
                staged=_pack(letters, staged, checker.today),
                total_rows=total, processed_rows=total, valid_rows=len(staged),
                error_rows=checker.error_rows, errors=checker.errors,
                error_count=checker.error_count, validated_at=timezone.now(), message="")


@_task
def commit(job: ImportJob, actor: Any, *, ip: str | None = None, request_id: str = "") -> None:
    if job.status != Status.COMMITTING:
        return
    letters, rows, checked_on = _unpack(bytes(job.staged))
    checker = Checker(job=job, actor=actor, letters=letters, previous=job.errors)
    # The rows' own checks were made at validation; what the register says of them is asked
    # again. Should the day have changed since (an age limit passed), everything is.
    checker.trusted = checked_on == checker.today
    plans: list[Plan] = []
    for batch in _batched(iter(rows), BATCH):
        plans += checker.check([Staged.load(row) for row in batch])
    if job.mode == Mode.ALL and checker.error_rows:
        # Back to the preview with the new errors; only the rows still good stay staged.
        _transition(job, Status.COMMITTING, Status.VALIDATED, errors=checker.errors,
                    error_count=checker.error_count, error_rows=checker.error_rows,
                    staged=_pack(letters, [plan.staged() for plan in plans], checker.today),
                    valid_rows=len(plans), processed_rows=0, message=str(NEW_ERRORS),
                    mode="")
        return
    writer = Writer(job=job, actor=actor, ip=ip, request_id=request_id)
    written = 0
    with _bulk_writing():
        for batch in _batched(iter(plans), WRITE_BATCH):
            with transaction.atomic():
                _flush_lazily()
                writer.write(batch)
                written += len(batch)
                _progress(job, processed_rows=written, total_rows=len(plans),
                          created_count=writer.created, updated_count=writer.updated,
                          unchanged_count=writer.unchanged)
    with transaction.atomic():
        event_record(actor=actor, action=Action.DATA_LOADED, obj=job, unit=job.commune,
                     reason=writer.reason,
                     fields=[f"created={writer.created}", f"updated={writer.updated}",
                             f"unchanged={writer.unchanged}",
                             f"refused={checker.error_rows}"])
        _transition(job, Status.COMMITTING, Status.DONE, content=b"", staged=b"",
                    errors=checker.errors, error_count=checker.error_count,
                    error_rows=checker.error_rows, valid_rows=len(plans),
                    processed_rows=len(plans), total_rows=len(plans),
                    created_count=writer.created, updated_count=writer.updated,
                    unchanged_count=writer.unchanged, committed_at=timezone.now(), message="")


@contextlib.contextmanager
def _bulk_writing() -> Iterator[None]:
    """SQLite copies the WAL back into the database once, after the last batch, instead of
    after each one (see SQLITE_WAL_PAGES_WHILE_WRITING). Readers are not held up: they read
    the pages from the WAL meanwhile."""
    if connection.vendor != "sqlite" or not runner.own_connection():
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA wal_autocheckpoint = {SQLITE_WAL_PAGES_WHILE_WRITING}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA wal_autocheckpoint = {int(previous)}")
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")


def _flush_lazily() -> None:
    """PostgreSQL: a batch's commit does not wait for its WAL to reach the disk. The last
    transaction of the job (the one marking it done) waits as usual, and its flush carries
    every batch before it; a crash before that loses only batches of a job that never said it
    was done, which importing the file again completes (rows are found, not duplicated)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _expected_rows(book: reading.Workbook, layout: reading.Layout, done: int) -> int:
    """How many rows the file holds, as far as can be told: once the whole sheet has been
    read (a file of a few MB is read at once), the number of its last row; before, the rows
    done so far scaled by the share of the sheet read."""
    if book.bytes_read >= book.sheet_size:
        return max(done, book.last_row - layout.header_row)
    fraction = book.bytes_read / book.sheet_size
    return max(done, round(done / max(fraction, 0.01)))


def _parsed(parser: parsing.RowParser,
            rows: Iterator[tuple[int, dict[bytes, tuple]]]) -> Iterator[parsing.ParsedRow]:
    for number, cells in rows:
        row = parser.parse(number, cells)
        if row is not None:
            yield row


def _batched(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    while batch := list(islice(items, size)):
        yield batch


def _pack(letters: dict[str, str], rows: list[list[Any]], today: datetime.date) -> bytes:
    """The checked rows, as they wait for the commit: compressed JSON (dates as ordinals)."""
    payload = {"letters": letters, "rows": rows, "today": today.toordinal()}
    return zlib.compress(json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
                         .encode(), 1)


def _unpack(data: bytes) -> tuple[dict[str, str], list[list[Any]], datetime.date | None]:
    payload = json.loads(zlib.decompress(data)) if data else {}
    today = payload.get("today")
    return (payload.get("letters", {}), payload.get("rows", []),
            datetime.date.fromordinal(today) if today else None)

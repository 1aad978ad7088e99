"""An import job from upload to commit: the services the views call and the background work.

    upload ──► validating ──► validated ──► committing ──► done
                   │              │             │
                   └──► failed    └► cancelled  └──► validated (new errors in "all" mode, or
                                                     the database failed: nothing written)
    a running job whose worker died ("interrupted") ──► retried, or cancelled

Validation reads the file once, checks every cell and every row against the register (in two
queries per batch of rows, never one per row), keeps the rows that passed, compressed, in the
job, and stages the new children (`ImportStagedChild`, every value final: ids, keys, the name
search's prefixes, the residence, the caregiver, the audit event); the file itself is dropped.

The commit is one transaction, all or nothing even across a crash (kill -9 of the server: the
database rolls it back, the job shows as interrupted, the officer retries or cancels it). In
it: the commune's import lock (an advisory lock on PostgreSQL; on SQLite the transaction's
write lock, taken by BEGIN IMMEDIATE, serialises every writer), then a set-based check that the
register has not changed under the staged rows (no child now holds a staged personal id or
import key, no record to update was changed since it was checked), then four INSERT ...
SELECT from the staging table, the updates, the audit events, and the job marked done. Two
jobs of the same file committed at once therefore cannot both add the children: the second
waits for the lock, finds them, and updates instead (idempotency held by the database, not by
a check made before it). When the check finds a change, the rows are checked again in Python
outside the transaction and staged anew, and the switch is tried again.
"""

import datetime
import json
import logging
import time
import zlib
from collections.abc import Iterator
from itertools import islice
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from treem.accounts.models import User
from treem.accounts.permissions import Capability
from treem.audit import context
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.geo.models import Unit
from treem.lib.collector import collector_paused
from treem.registry import exceptions as exc
from treem.registry.importing import parsing, reading, runner
from treem.registry.importing.checking import Checker, Plan, Staged, import_scope_path
from treem.registry.importing.writing import Stager, Writer, clear_staged
from treem.registry.models import Child, ImportJob, ImportStagedChild

logger = logging.getLogger(__name__)

BATCH = 2000           # rows checked (and staged) a time: one or two queries each
# Tries of a commit's switch when the register changed under it (or SQLite stayed locked by
# another writer past its busy timeout); then the job goes back to be committed again.
SWITCH_TRIES = 4
# An advisory lock key of PostgreSQL's two-int form: (this namespace, the commune's id).
LOCK_NAMESPACE = 0x7472  # "tr"
# SQLite's page cache for the connection doing the work, in KiB. The default 2 MB holds a
# fraction of the child table's indexes once a commune's list is in: every insert then waits
# on pages read back from the file. 64 MB keeps them in memory; PostgreSQL has shared buffers.
SQLITE_CACHE_KIB = 64 * 1024
Status, Mode = ImportJob.Status, ImportJob.Mode
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.UPLOADED: (Status.VALIDATING, Status.FAILED, Status.CANCELLED),
    Status.VALIDATING: (Status.VALIDATED, Status.FAILED, Status.UPLOADED, Status.CANCELLED),
    Status.VALIDATED: (Status.COMMITTING, Status.CANCELLED),
    Status.COMMITTING: (Status.DONE, Status.VALIDATED, Status.FAILED, Status.CANCELLED),
    Status.DONE: (),
    Status.FAILED: (),
    Status.CANCELLED: (),
}

NOT_READY = gettext_lazy("Tệp này chưa kiểm tra xong, hoặc đã được nhập.")
HAS_ERRORS = gettext_lazy("Tệp còn dòng có lỗi: hãy sửa tệp và tải lên lại, hoặc chọn chỉ nhập "
                          "các dòng hợp lệ.")
NOTHING_VALID = gettext_lazy("Tệp không có dòng hợp lệ nào để nhập.")
NEW_ERRORS = gettext_lazy("Sổ theo dõi đã thay đổi từ lúc kiểm tra: có dòng nay không nhập được "
                          "(xem danh sách lỗi). Chưa có dòng nào được ghi vào sổ.")
EDITED_SINCE_CHECK = gettext_lazy(
    "Hồ sơ của trẻ này đã được sửa trên sổ theo dõi sau khi tệp được kiểm tra; để không ghi đè "
    "lên sửa đổi đó, dòng này chưa được nhập. Hãy xem lại hồ sơ của trẻ, sửa tệp nếu cần rồi "
    "tải lên lại.")
INTERRUPTED = gettext_lazy("Có lỗi hệ thống khi xử lý tệp. Hãy thử lại sau; nếu vẫn lỗi, báo "
                           "cho quản trị hệ thống.")
COMMIT_FAILED = gettext_lazy("Có lỗi hệ thống khi ghi vào sổ; chưa có dòng nào được ghi. Hãy "
                             "bấm nhập lại; nếu vẫn lỗi, báo cho quản trị hệ thống.")
KEPT_CHANGING = gettext_lazy("Sổ theo dõi của xã, phường đang được thay đổi liên tục (một lần "
                             "nhập khác?); chưa có dòng nào được ghi. Hãy bấm nhập lại sau ít "
                             "phút.")
INTERRUPTED_COMMIT = gettext_lazy(
    "Việc ghi vào sổ đã bị gián đoạn (máy chủ dừng giữa chừng). Chưa có dòng nào của tệp được "
    "ghi vào sổ: hãy bấm “Thử lại” để ghi, hoặc “Hủy” để bỏ lần nhập này.")
INTERRUPTED_CHECK = gettext_lazy(
    "Việc kiểm tra tệp đã bị gián đoạn (máy chủ dừng giữa chừng). Chưa có gì được ghi vào sổ: "
    "hãy bấm “Thử lại” để kiểm tra lại tệp, hoặc “Hủy” để bỏ lần nhập này.")
NOT_INTERRUPTED = gettext_lazy("Lần nhập này không bị gián đoạn: không có gì để thử lại.")
NOT_CANCELLABLE = gettext_lazy("Lần nhập này đang chạy hoặc đã xong: không hủy được.")


def interrupted_message(job: ImportJob) -> str:
    """What the page and the API say of an interrupted job."""
    return str(INTERRUPTED_COMMIT if job.status == Status.COMMITTING else INTERRUPTED_CHECK)


# --- Services: what the views call --------------------------------------------------------------

def import_job_create(*, actor: User, commune: Unit, data: bytes, file_name: str = "") -> ImportJob:
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


def import_job_commit(*, actor: User, job: ImportJob, mode: str) -> ImportJob:
    """Start writing the checked rows to the register (in the background)."""
    if not actor.in_scope(job.unit_path, capability=Capability.MANAGE_CHILDREN):
        raise PermissionDenied(exc.UNIT_OUT_OF_SCOPE)
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


def import_job_retry(*, actor: User, job: ImportJob) -> ImportJob:
    """Start again the work of a job whose worker died: the commit (nothing of it was
    written) or the check of the file."""
    if not actor.in_scope(job.unit_path, capability=Capability.MANAGE_CHILDREN):
        raise PermissionDenied(exc.UNIT_OUT_OF_SCOPE)
    job.refresh_from_db()
    if not job.is_interrupted:
        raise ValidationError(NOT_INTERRUPTED)
    # Only one retry moves the job on: the worker it had is the fence.
    claimed = ImportJob.objects.filter(pk=job.pk, status=job.status, worker=job.worker)
    with transaction.atomic():
        if job.status == Status.COMMITTING:
            task: Any = commit
            moved = claimed.update(worker="", message="", updated_at=timezone.now())
        else:
            task = validate
            moved = claimed.update(status=Status.UPLOADED, worker="", message="",
                                   processed_rows=0, updated_at=timezone.now())
            clear_staged(job.pk)
        if not moved:
            raise ValidationError(NOT_INTERRUPTED)
        event_record(actor=actor, action=Action.UPDATE, obj=job, unit=job.commune,
                     fields=["retry", job.status])
    job.refresh_from_db()
    request = context.current()
    runner.start(task, job.pk, actor_id=actor.pk, language=translation.get_language(),
                 **({"ip": request.ip if request else None,
                     "request_id": request.request_id if request else ""}
                    if task is commit else {}))
    return job


def import_job_cancel(*, actor: User, job: ImportJob) -> ImportJob:
    """Drop a job that is checked but not committed, or whose worker died: nothing of it is in
    the register, and its file and staged rows are deleted."""
    if not actor.in_scope(job.unit_path, capability=Capability.MANAGE_CHILDREN):
        raise PermissionDenied(exc.UNIT_OUT_OF_SCOPE)
    job.refresh_from_db()
    if not (job.status == Status.VALIDATED or job.is_interrupted):
        raise ValidationError(NOT_CANCELLABLE)
    with transaction.atomic():
        moved = ImportJob.objects.filter(pk=job.pk, status=job.status, worker=job.worker).update(
            status=Status.CANCELLED, content=b"", staged=b"", message="",
            updated_at=timezone.now())
        if not moved:
            raise ValidationError(NOT_CANCELLABLE)
        clear_staged(job.pk)
        event_record(actor=actor, action=Action.UPDATE, obj=job, unit=job.commune,
                     fields=["cancel", job.status])
    job.refresh_from_db()
    return job


# --- Background work ----------------------------------------------------------------------------

class _Superseded(Exception):
    """The job was taken over (retried as interrupted, or cancelled) while this worker ran."""


class _Changed(Exception):
    """The register changed under the staged rows since they were checked."""


def _progress(job: ImportJob, **fields: Any) -> None:
    """Progress, and the heartbeat of the job's worker; a worker that has been replaced
    (its job retried, or cancelled) stops here."""
    moved = ImportJob.objects.filter(pk=job.pk, worker=job.worker, status=job.status).update(
        updated_at=timezone.now(), **fields)
    if not moved:
        raise _Superseded


def _transition(job: ImportJob, source: str, target: str, **fields: Any) -> bool:
    """Move the job from `source` to `target` (a step of TRANSITIONS) with `fields`, unless
    it has left `source` already, or another worker has it (another request, a retry): then
    False."""
    if target not in TRANSITIONS[source]:
        raise ValueError(f"import job: no step from {source} to {target}")
    moved = ImportJob.objects.filter(pk=job.pk, status=source, worker=job.worker).update(
        status=target, updated_at=timezone.now(), **fields)
    if moved:
        job.status = target
    return bool(moved)


def _fail(job: ImportJob, message: str) -> None:
    """The file (or the system) failed the job: its contents and staged rows are dropped.
    A commit that failed wrote nothing (one transaction): it goes back to be committed again."""
    if job.status == Status.COMMITTING:
        _transition(job, Status.COMMITTING, Status.VALIDATED, message=str(COMMIT_FAILED),
                    mode="", processed_rows=0, worker="")
        return
    with transaction.atomic():
        for source in (Status.UPLOADED, Status.VALIDATING):
            if _transition(job, source, Status.FAILED, message=message, content=b"",
                           staged=b""):
                clear_staged(job.pk)
                return


def _task(function: Any) -> Any:
    """Run a job's work in the uploader's language, as the job's worker (`runner.identity`);
    a crash fails the job instead of leaving it "in progress" for ever, and a worker that was
    superseded stops without a word."""

    def run(job_id: int, *, actor_id: int, language: str | None = None, **kwargs: Any) -> None:
        if connection.vendor == "sqlite" and runner.own_connection():
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        job = ImportJob.objects.select_related("commune").get(pk=job_id)
        # Claim the job: only a job no live worker has (new, or retried) is taken.
        worker = runner.identity()
        if not ImportJob.objects.filter(pk=job.pk, worker="", status=job.status).update(
                worker=worker, updated_at=timezone.now()):
            return
        job.worker = worker
        actor = User.objects.get(pk=actor_id)
        with translation.override(language or "vi"), collector_paused():
            try:
                function(job, actor, **kwargs)
            except _Superseded:
                logger.info("import job %s: taken over by another worker", job.public_id)
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
def validate(job: ImportJob, actor: User) -> None:
    if not _transition(job, Status.UPLOADED, Status.VALIDATING):
        return
    book = reading.Workbook(bytes(job.content))
    rows = book.rows()
    layout = reading.find_header(book, rows)
    letters = {key: value.decode() for key, value in layout.letters.items()}
    checker = Checker(job=job, actor=actor, letters=letters)
    parser = parsing.RowParser(book=book, layout=layout, ethnicities=checker.ethnicities,
                               villages=list(checker.villages.values()))
    stager = Stager(job=job)
    stager.clear()
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
        plans = checker.check(good)
        staged.extend(plan.staged() for plan in plans)
        with transaction.atomic():
            stager.stage([plan for plan in plans if plan.child is None])
        if total >= next_report:
            next_report += BATCH * 2
            _progress(job, processed_rows=total,
                      total_rows=_expected_rows(book, layout, total))
    if not total:
        raise reading.FileRejected(reading._no_rows())
    _transition(job, Status.VALIDATING, Status.VALIDATED, content=b"",
                staged=_pack(letters, staged, checker.today),
                total_rows=total, processed_rows=total, valid_rows=len(staged),
                error_rows=checker.error_rows, errors=checker.trim(),
                error_count=checker.error_count, validated_at=timezone.now(), message="",
                worker="")


@_task
def commit(job: ImportJob, actor: User, *, ip: str | None = None, request_id: str = "") -> None:
    if job.status != Status.COMMITTING:
        return
    letters, rows, checked_on = _unpack(bytes(job.staged))
    # The new children are staged since validation; if the day has changed since (an age
    # limit passed), or the staging is not whole (a commit that failed while staging anew),
    # every row is checked again and staged anew.
    recheck_all = (checked_on != timezone.localdate() or sum(1 for row in rows if row[4])
                   != ImportStagedChild.objects.filter(job_id=job.pk).count())
    # The version each record to update had when its row was checked (rows staged before
    # the version was kept have none: they are not compared).
    checked_at = {row[0]: row[5] for row in rows if len(row) > 5 and row[5] is not None}
    carers_at = {row[0]: row[6] for row in rows if len(row) > 6 and row[6] is not None}
    for attempt in range(SWITCH_TRIES):
        checker = Checker(job=job, actor=actor, letters=letters, previous=job.errors)
        checker.trusted = not recheck_all
        if recheck_all:
            plans = _checked(checker, [Staged.load(row) for row in rows])
        else:
            # The records to update are read again: they may have changed since validation.
            plans = _checked(checker, [Staged.load(row) for row in rows if not row[4]])
            if checker.error_rows > job.error_rows or any(p.child is None for p in plans):
                recheck_all = True  # the register changed: every row again
                continue
        plans = edited_since_check(checker, plans, checked_at, carers_at)
        if job.mode == Mode.ALL and checker.error_rows:
            # Back to the preview with the new errors; only the rows still good stay staged.
            with transaction.atomic():
                _restage(job, plans)
                _transition(job, Status.COMMITTING, Status.VALIDATED, errors=checker.trim(),
                            error_count=checker.error_count, error_rows=checker.error_rows,
                            staged=_pack(letters, [plan.staged() for plan in plans],
                                         checker.today),
                            valid_rows=len(plans), processed_rows=0, message=str(NEW_ERRORS),
                            mode="", worker="")
            return
        if recheck_all:
            _restage(job, plans)
        updates = [plan for plan in plans if plan.child is not None]
        writer = Writer(job=job, actor=actor, ip=ip, request_id=request_id)
        try:
            with transaction.atomic():
                _lock_commune(job.commune)
                if _register_changed(job, updates):
                    raise _Changed
                _switch(job, writer, checker, updates)
            return
        except _Changed:
            recheck_all = True
        except OperationalError as error:
            # SQLite: another writer held the database past the busy timeout.
            if connection.vendor != "sqlite" or "locked" not in str(error):
                raise
            time.sleep(0.5 * (attempt + 1))
    _transition(job, Status.COMMITTING, Status.VALIDATED, message=str(KEPT_CHANGING), mode="",
                processed_rows=0, worker="")


def edited_since_check(checker: Checker, plans: list[Plan], checked_at: dict[int, int],
                       carers_at: dict[int, list[list[int]]] | None = None) -> list[Plan]:
    """The plans whose record is as it was checked; the others refused as errors of their rows.

    The rows to update are read again at commit, so a plan compares the file with the record
    as saved now: a field an officer changed after the check (`child_update` raised the
    record's version) would be put back to the file's value, the officer's edit silently lost.
    The file's values were read against the record at its checked version (the preview the
    importer saw), so a record saved since that the file would still change is refused, as a
    stale form is (`treem.edits.conflicts`): the importer sees the row in the report, nothing
    of the officer's is overwritten. Without the values checked then, the fields cannot be
    merged one by one; a record the file leaves as it is now (the edit made the same change)
    is no refusal. The same for the caregivers of a record, when the row names one: a
    caregiver edited, added or removed since (`carers_at`, read again by the check) refuses
    the row, whose relation and phone would be compared with what the officer saved."""
    kept = []
    carers_at = carers_at or {}
    for plan in plans:
        record = plan.child
        read = checked_at.get(plan.number)
        carers = carers_at.get(plan.number)
        if (record is not None and plan.changed and read is not None
                and record["version"] != read) or (
                carers is not None and plan.caregivers is not None
                and plan.caregivers != carers):
            checker.report(plan.number, [checker._error(plan.number, "full_name",
                                                         EDITED_SINCE_CHECK)])
        else:
            kept.append(plan)
    return kept


def _checked(checker: Checker, rows: list[Staged]) -> list[Plan]:
    plans: list[Plan] = []
    for batch in _batched(iter(rows), BATCH):
        plans += checker.check(batch)
    return plans


def _restage(job: ImportJob, plans: list[Plan]) -> None:
    """The job's new children staged anew, from a fresh check of its rows."""
    stager = Stager(job=job)
    with transaction.atomic():
        stager.clear()
    for batch in _batched(iter([plan for plan in plans if plan.child is None]), BATCH * 5):
        with transaction.atomic():
            stager.stage(batch)
        _progress(job)


def _lock_commune(commune: Unit) -> None:
    """The commune's import lock, held to the end of the transaction. PostgreSQL: an advisory
    lock (no row is locked: the officers' own edits go on). SQLite: nothing to add, the
    transaction holds the database's only write lock since its BEGIN IMMEDIATE."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)",
                           [LOCK_NAMESPACE, commune.pk % 2**31])


def _register_changed(job: ImportJob, updates: list[Plan]) -> bool:
    """Whether, since the rows were checked, a child came to hold a staged child's personal id
    or identity (the same import committed meanwhile, a child registered by hand), or a record
    to update was changed or merged. Set-based, under the commune's lock."""
    quote = connection.ops.quote_name
    staged = quote(ImportStagedChild._meta.db_table)
    child = quote(Child._meta.db_table)
    sql = f"""
        SELECT 1 FROM {staged} s WHERE s.job_id = %s AND (
            (s.personal_id IS NOT NULL AND EXISTS (
                SELECT 1 FROM {child} c WHERE c.personal_id = s.personal_id))
            OR EXISTS (
                SELECT 1 FROM {child} c WHERE c.source_key = s.source_key
                AND c.commune_id = %s AND c.merged_into_id IS NULL
                AND (s.personal_id IS NULL OR c.personal_id IS NULL))
            OR EXISTS (
                SELECT 1 FROM {child} c WHERE c.name_folded = s.name_folded
                AND c.source_key = '' AND c.commune_id = %s AND c.merged_into_id IS NULL
                AND c.birth_date = s.birth_date AND c.sex = s.sex
                AND (s.personal_id IS NULL OR c.personal_id IS NULL)))
        LIMIT 1"""  # noqa: S608 - the models' tables
    with connection.cursor() as cursor:
        cursor.execute(sql, [job.pk, job.commune_id, job.commune_id])
        if cursor.fetchone():
            return True
    seen = {plan.child["id"]: plan.child for plan in updates if plan.child}
    for batch in _batched(iter(list(seen)), 1000):
        for pk, updated_at, merged_into, commune_id in Child.objects.filter(
                pk__in=batch).values_list("pk", "updated_at", "merged_into_id", "commune_id"):
            record = seen[pk]
            if (merged_into or commune_id != record["commune_id"]
                    or _moment(updated_at) != _moment(record["updated_at"])):
                return True
        if len(batch) != Child.objects.filter(pk__in=batch).count():
            return True  # a record was deleted
    return False


def _moment(value: Any) -> Any:
    """A timestamp read by the ORM or by raw SQL (SQLite gives text there), comparable."""
    if isinstance(value, str):
        from django.utils.dateparse import parse_datetime

        value = parse_datetime(value)
    if isinstance(value, datetime.datetime) and timezone.is_naive(value):
        value = value.replace(tzinfo=datetime.UTC)
    return value


def _switch(job: ImportJob, writer: Writer, checker: Checker, updates: list[Plan]) -> None:
    """Everything the commit writes, in the caller's transaction; the job is done with it."""
    claimed = ImportJob.objects.select_for_update().filter(
        pk=job.pk, status=Status.COMMITTING, worker=job.worker).exists()
    if not claimed:
        raise _Superseded
    writer.switch_in()
    writer.update(updates)
    event_record(actor=writer.actor, action=Action.DATA_LOADED, obj=job, unit=job.commune,
                 reason=writer.reason,
                 fields=[f"created={writer.created}", f"updated={writer.updated}",
                         f"unchanged={writer.unchanged}", f"refused={checker.error_rows}"])
    valid = writer.created + len(updates)
    if not _transition(job, Status.COMMITTING, Status.DONE, content=b"", staged=b"",
                       errors=checker.trim(), error_count=checker.error_count,
                       error_rows=checker.error_rows, valid_rows=valid, processed_rows=valid,
                       total_rows=valid, created_count=writer.created,
                       updated_count=writer.updated, unchanged_count=writer.unchanged,
                       committed_at=timezone.now(), message=""):
        raise _Superseded


def _expected_rows(book: reading.Workbook, layout: reading.Layout, done: int) -> int:
    """How many rows the file holds, as far as can be told: once the whole sheet has been
    read (a file of a few MB is read at once), the number of its last row; before, the rows
    of the part of the sheet scanned so far, scaled by the share of the sheet it is.

    Both figures of the scale measure the same span (`Workbook.bytes_scanned`): scaling the
    rows done by the bytes read ahead, as was done, counted a 40,000-row file as 6,037 rows
    (the rows of half a chunk over the bytes of two)."""
    rows = book.last_row - layout.header_row
    if book.bytes_scanned >= book.sheet_size:
        return max(done, rows)
    if rows <= 0 or book.bytes_scanned <= 0:
        return done
    return max(done, round(rows * book.sheet_size / book.bytes_scanned))


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

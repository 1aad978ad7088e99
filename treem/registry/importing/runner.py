"""Starting an import's work without making the user's request wait for it.

The work runs in a daemon thread of the web process, started once the request's transaction
has committed (so the thread finds the job it is given), and closes its database connection
when it ends. With TREEM_IMPORT_SYNC (tests) or inside `synchronous()` (the
management command) it runs inline, in the caller's transaction.

A thread is enough for one commune office's files (a 100,000-row file takes seconds). A
process killed during the work (a restart, kill -9, a crash) leaves the job "in progress":
`identity()` is written on the job when the work starts, and `is_working` tells a job whose
process is gone (on this host: its pid is dead or is another process now) or that has not
moved for LEASE (any host); the officer then retries or cancels it. A commit writes in one
transaction, so such a job has written nothing. A task queue would restart the work by itself,
at the price of a broker to run.
"""

import contextlib
import datetime
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

# A job that has not moved for this long is taken as interrupted, wherever its worker ran.
# The work moves every few thousand rows; only the final switch of a commit is silent, for
# seconds per 100,000 rows.
LEASE = datetime.timedelta(minutes=10)


_local = threading.local()


def inline() -> bool:
    return bool(getattr(settings, "TREEM_IMPORT_SYNC", False) or getattr(_local, "sync", False))


def own_connection() -> bool:
    """Whether the work has a database connection of its own (a thread's, or a management
    command's), whose SQLite settings it may change; not a test's shared one."""
    return not getattr(settings, "TREEM_IMPORT_SYNC", False)


@contextlib.contextmanager
def synchronous() -> Iterator[None]:
    """The work started in this block runs at once, in this thread (a management command
    waits for its import to end)."""
    previous = getattr(_local, "sync", False)
    _local.sync = True
    try:
        yield
    finally:
        _local.sync = previous


def start(task: Callable[..., None], *args: Any, **kwargs: Any) -> None:
    if inline():
        task(*args, **kwargs)
        return

    def run() -> None:
        try:
            task(*args, **kwargs)
        except Exception:  # the task has recorded the failure on the job already
            logger.exception("import task %s failed", getattr(task, "__name__", task))
        finally:
            connections.close_all()

    def launch() -> None:
        threading.Thread(target=run, name=f"treem-import-{args[0] if args else ''}",
                         daemon=True).start()

    transaction.on_commit(launch)


def _start_ticks(pid: int) -> str:
    """When process `pid` started (clock ticks since boot, Linux), "" when unknown: a pid
    reused by another process after a restart has another start time."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        return fields[19].decode()
    except (OSError, IndexError):
        return ""


def identity() -> str:
    """host:pid:start:token of this process, with a token new to each run of a job's work."""
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_start_ticks(pid)}:{uuid.uuid4().hex[:12]}"


def is_working(worker: str, updated_at: datetime.datetime | None) -> bool:
    """Whether the job's worker may still be at work: False once its process is gone (on this
    host) or it has not moved for LEASE."""
    if updated_at is not None and timezone.now() - updated_at > LEASE:
        return False
    host, _sep, rest = worker.partition(":")
    pid_text, _sep, rest = rest.partition(":")
    started = rest.partition(":")[0]
    if not worker or host != socket.gethostname() or not pid_text.isdigit():
        return True  # not started yet, or elsewhere: the lease tells
    pid = int(pid_text)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # alive, another user's
    return not started or _start_ticks(pid) in ("", started)

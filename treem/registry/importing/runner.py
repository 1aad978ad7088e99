"""Starting an import's work without making the user's request wait for it.

The work runs in a daemon thread of the web process, started once the request's transaction
has committed (so the thread finds the job it is given), and closes its database connection
when it ends. With TREEM_IMPORT_SYNC (tests) or inside `synchronous()` (the
management command) it runs inline, in the caller's transaction.

A thread is enough for one commune office's files (a 100,000-row file takes seconds); a
process restart during the work leaves the job "in progress", and the page offers to upload
the file again. A task queue would survive restarts, at the price of a broker to run.
"""

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db import connections, transaction

logger = logging.getLogger(__name__)


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

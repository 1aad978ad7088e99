"""Reads a read replica may serve, and the database router that sends them there.

A dashboard, a report's rendering, an export or a DHIS2 document reads a lot and tolerates a
few seconds of replication lag; the case workflow, sign-in and every write do not. So nothing
goes to the replica unless its code asks with `replica_reads()`, and even then a read inside a
transaction stays on the primary: it must see the transaction's own writes. docs/replica.md
says how the replica is set up and which reads use it.
"""

import contextlib
import logging
import time
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

REPLICA = "replica"
# A replica that refused a connection is not asked again for this long: its reads go to the
# primary meanwhile, rather than every request paying a failed connection.
RETRY_AFTER = 5.0

logger = logging.getLogger(__name__)

# A context variable, not a global or a thread attribute: a thread or a task started inside
# the block does not inherit the mark by accident, and two requests never share it.
_marked: ContextVar[bool] = ContextVar("treem_replica_reads", default=False)
_down_until = 0.0


@contextlib.contextmanager
def replica_reads() -> Iterator[None]:
    """Mark the reads of the block (or of the decorated function) as ones the replica may
    serve. Querysets are lazy: the mark counts where a query runs, not where it is built."""
    token = _marked.set(True)
    try:
        yield
    finally:
        _marked.reset(token)


def replica_configured() -> bool:
    return REPLICA in connections.settings


def _replica_reachable() -> bool:
    """The replica's connection is open or opens now; a refusal rests it for RETRY_AFTER."""
    global _down_until
    if time.monotonic() < _down_until:
        return False
    try:
        connections[REPLICA].ensure_connection()
    except DatabaseError:
        _down_until = time.monotonic() + RETRY_AFTER
        logger.warning("read replica unreachable: its reads go to the primary for %s s",
                       RETRY_AFTER, exc_info=True)
        return False
    return True


def forget_refusal() -> None:
    """Ask the replica again at the next marked read (tests)."""
    global _down_until
    _down_until = 0.0


def _known(obj: Any) -> bool:
    return obj._state.db in (DEFAULT_DB_ALIAS, REPLICA)


class ReplicaRouter:
    """Installed always; without a replica configured every answer is the primary."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        if not _marked.get() or not replica_configured():
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return REPLICA if _replica_reachable() else DEFAULT_DB_ALIAS

    def db_for_write(self, model: type, **hints: Any) -> str:
        # Also for an instance read from the replica (hints["instance"]): a standby refuses
        # writes, and the primary has the same row.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # The replica is a copy of the primary: a row read there may point at one read here.
        if _known(obj1) and _known(obj2):
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None,
                      **hints: Any) -> bool:
        # The replica follows the primary's schema through replication.
        return db == DEFAULT_DB_ALIAS

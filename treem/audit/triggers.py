"""Database triggers that refuse UPDATE, DELETE (and on PostgreSQL TRUNCATE) of audit events.

Installed by migration 0002. `remove` exists only for the test suite, whose transactional
tests empty every table between tests; production runs the application under a database role
that cannot drop triggers (see docs/deployment.md).

On PostgreSQL the trail is partitioned by month and province (`treem.partitions`): the row
triggers of the table reach every partition, but a TRUNCATE of one partition fires only that
partition's own triggers, so every partition holding rows gets one. `install` is run again
whenever partitions are added.
"""

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "audit_auditevent"

_INSTALL = {
    "sqlite": [
        """CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_auditevent
           BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
        """CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_auditevent
           BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
    ],
    "postgresql": [
        """CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql;""",
        """CREATE OR REPLACE TRIGGER audit_event_append_only
           BEFORE UPDATE OR DELETE ON audit_auditevent
           FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();""",
        # TRUNCATE skips row triggers, so it gets its own.
        """CREATE OR REPLACE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
           FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();""",
    ],
}
_REMOVE = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS audit_event_no_update;",
        "DROP TRIGGER IF EXISTS audit_event_no_delete;",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;",
        "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;",
    ],
}
_LEAVES = ("SELECT relid::text FROM pg_partition_tree(to_regclass(%s))"
           " WHERE relid <> to_regclass(%s) ORDER BY relid::text")


def _execute(connection: BaseDatabaseWrapper, statements: dict[str, list[str]]) -> None:
    with connection.cursor() as cursor:
        for sql in statements.get(connection.vendor, []):
            cursor.execute(sql)


def _partitions(connection: BaseDatabaseWrapper, table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(_LEAVES, [table, table])
        return [name for (name,) in cursor.fetchall()]


def protect(connection: BaseDatabaseWrapper, table: str) -> None:
    """Make `table` and each of its partitions append-only: the trail's own table, or one of
    its months detached for archival (which leaves the trail's row triggers behind)."""
    with connection.cursor() as cursor:
        for name in [table, *_partitions(connection, table)]:
            quoted = connection.ops.quote_name(name)
            cursor.execute(f"CREATE OR REPLACE TRIGGER audit_event_no_truncate BEFORE TRUNCATE"
                           f" ON {quoted} FOR EACH STATEMENT"
                           " EXECUTE FUNCTION audit_event_append_only()")
        quoted = connection.ops.quote_name(table)
        cursor.execute(f"CREATE OR REPLACE TRIGGER audit_event_append_only BEFORE UPDATE OR"
                       f" DELETE ON {quoted} FOR EACH ROW"
                       " EXECUTE FUNCTION audit_event_append_only()")


def install(connection: BaseDatabaseWrapper) -> None:
    _execute(connection, _INSTALL)
    if connection.vendor == "postgresql":
        protect(connection, TABLE)


def remove(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for name in _partitions(connection, TABLE):
                cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_truncate ON"
                               f" {connection.ops.quote_name(name)}")
    _execute(connection, _REMOVE)

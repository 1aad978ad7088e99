"""PostgreSQL declarative partitions made in place from ordinary tables, and the constraints
PostgreSQL cannot keep across them.

`partition_by_list` turns a table into one partitioned by LIST of a column (treem: the
province code), keeping its rows, ids, sequence, indexes, checks, foreign keys to other tables
and triggers. PostgreSQL asks every unique index of a partitioned table to include the
partition column, and lets no foreign key point at a partitioned table unless it names that
column too. So:

- a primary key or unique index gets the partition column appended (ids stay unique: one
  sequence numbers every partition);
- a column that must stay unique across partitions (a personal id number) is kept in a side
  table whose primary key is that column (`keep_unique`), filled by statement triggers;
- a reference to the table (a foreign key of Django's with `db_constraint=False`) is checked
  by statement triggers with transition tables (`check_references`, `restrict_deletes`):
  one set-based query per statement, so a bulk insert of a million rows costs one anti-join,
  not a million lookups. They run at the end of each statement, not at commit as Django's
  deferred keys do; the ORM writes a row after the row it points at and deletes it before,
  so nothing in treem depends on the difference.

Nothing here knows treem's tables: `treem.partitions` says which are partitioned, and how.
"""

import datetime
import hashlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper

DEFAULT_SUFFIX = "default"


def partition_table(table: str, key: str) -> str:
    return f"{table}_p{key}"


def is_partitioned(cursor: CursorWrapper, table: str) -> bool:
    cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [table])
    row = cursor.fetchone()
    return bool(row) and row[0] == "p"


def partitions(cursor: CursorWrapper, table: str) -> list[tuple[str, str]]:
    """(name, bound) of each partition of `table`, by name."""
    cursor.execute(
        "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i"
        " JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass(%s)"
        " ORDER BY c.relname", [table])
    return [(name, bound) for name, bound in cursor.fetchall()]


@dataclass(frozen=True)
class _Index:
    name: str
    definition: str
    columns: tuple[str, ...]
    unique: bool
    primary: bool
    constraint: bool  # made by a PRIMARY KEY or UNIQUE constraint, not CREATE INDEX


def _indexes(cursor: CursorWrapper, table: str) -> list[_Index]:
    cursor.execute(
        """SELECT i.relname, pg_get_indexdef(x.indexrelid), x.indisunique, x.indisprimary,
                  EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid
                          AND k.contype IN ('p', 'u')),
                  ARRAY(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY AS k(num, pos)
                        JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.num
                        ORDER BY k.pos)
           FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
           WHERE x.indrelid = to_regclass(%s) ORDER BY i.relname""", [table])
    return [_Index(name, definition, tuple(columns), unique, primary, constraint)
            for name, definition, unique, primary, constraint, columns in cursor.fetchall()]


def _foreign_keys(cursor: CursorWrapper, table: str) -> list[tuple[str, str, str]]:
    """(name, definition, referenced table) of the foreign keys of `table`."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid), confrelid::regclass::text FROM pg_constraint"
        " WHERE conrelid = to_regclass(%s) AND contype = 'f' ORDER BY conname", [table])
    return [(name, definition, target) for name, definition, target in cursor.fetchall()]


def _references_to(cursor: CursorWrapper, table: str) -> list[tuple[str, str]]:
    """(table, name) of every foreign key that points at `table`, its own included."""
    cursor.execute(
        "SELECT conrelid::regclass::text, conname FROM pg_constraint"
        " WHERE confrelid = to_regclass(%s) AND contype = 'f'", [table])
    return [(owner, name) for owner, name in cursor.fetchall()]


def _triggers(cursor: CursorWrapper, table: str) -> list[str]:
    cursor.execute(
        "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = to_regclass(%s)"
        " AND NOT tgisinternal ORDER BY tgname", [table])
    return [definition for (definition,) in cursor.fetchall()]


def _sequence(cursor: CursorWrapper, table: str, column: str) -> tuple[str, int, bool] | None:
    cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
    (sequence,) = cursor.fetchone()
    if sequence is None:
        return None
    cursor.execute(f"SELECT last_value, is_called FROM {sequence}")  # noqa: S608 - PostgreSQL's name
    last_value, is_called = cursor.fetchone()
    return sequence, last_value, is_called


def _with_column(definition: str, column: str) -> str:
    """A unique index's definition with `column` added to its key columns."""
    return re.sub(r"USING (\w+) \((.*?)\)( INCLUDE| WHERE|$)",
                  lambda m: f"USING {m[1]} ({m[2]}, {_quote(column)}){m[3]}", definition,
                  count=1)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def partition_by_list(connection: BaseDatabaseWrapper, table: str, column: str,
                      groups: Mapping[str, Sequence[str]], *, id_column: str = "id") -> bool:
    """Make `table` partitioned by LIST(`column`): one partition per group (named by its key,
    holding its values) and a default one for any other value, so that no row is refused.
    Returns False when the table was partitioned already (nothing is done then).

    Foreign keys that point at the table are dropped: the caller checks them again with
    `check_references` / `restrict_deletes`. Runs in the caller's transaction (a migration's);
    the table is locked for the copy."""

    def make(cursor: CursorWrapper, staged: str) -> None:
        _list_partitions(cursor, staged, table, groups)

    return _convert(connection, table, f"LIST ({_quote(column)})", make, [column], id_column)


def partition_by_month_and_list(connection: BaseDatabaseWrapper, table: str, time_column: str,
                                months: Iterable[datetime.date], column: str,
                                groups: Mapping[str, Sequence[str]], *,
                                id_column: str = "id") -> bool:
    """Make `table` partitioned by RANGE(`time_column`), one partition per calendar month (UTC)
    of `months`, each partitioned by LIST(`column`) as `partition_by_list` does; a default
    partition takes a moment of a month not made yet. A month is the unit of archival: it is
    detached whole (`detach_month`)."""

    def make(cursor: CursorWrapper, staged: str) -> None:
        for month in sorted(set(months)):
            _month_partition(cursor, staged, table, time_column, month, column, groups)
        cursor.execute(f"CREATE TABLE {_quote(partition_table(table, DEFAULT_SUFFIX))}"
                       f" PARTITION OF {_quote(staged)} DEFAULT")

    return _convert(connection, table, f"RANGE ({_quote(time_column)})", make,
                    [time_column, column], id_column)


def month_table(table: str, month: datetime.date) -> str:
    return f"{table}_y{month.year}m{month.month:02d}"


def month_of(name: str, table: str) -> datetime.date | None:
    """The month of a partition named by `month_table`, or None for another partition."""
    found = re.fullmatch(re.escape(table) + r"_y(\d{4})m(\d{2})", name)
    return datetime.date(int(found[1]), int(found[2]), 1) if found else None


def _month_bounds(month: datetime.date) -> tuple[str, str]:
    first = month.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return f"{first.isoformat()} 00:00:00+00", f"{following.isoformat()} 00:00:00+00"


def _month_partition(cursor: CursorWrapper, parent: str, table: str, time_column: str,
                     month: datetime.date, column: str,
                     groups: Mapping[str, Sequence[str]]) -> str:
    name = month_table(table, month)
    start, end = _month_bounds(month)
    cursor.execute(f"CREATE TABLE {_quote(name)} PARTITION OF {_quote(parent)} FOR VALUES FROM"
                   f" ({_literal(start)}) TO ({_literal(end)}) PARTITION BY LIST ({_quote(column)})")
    _list_partitions(cursor, name, name, groups)
    return name


def _list_partitions(cursor: CursorWrapper, parent: str, table: str,
                     groups: Mapping[str, Sequence[str]]) -> None:
    for key, values in groups.items():
        listed = ", ".join(_literal(value) for value in values)
        cursor.execute(f"CREATE TABLE {_quote(partition_table(table, key))} PARTITION OF"
                       f" {_quote(parent)} FOR VALUES IN ({listed})")
    cursor.execute(f"CREATE TABLE {_quote(partition_table(table, DEFAULT_SUFFIX))}"
                   f" PARTITION OF {_quote(parent)} DEFAULT")


def add_months(connection: BaseDatabaseWrapper, table: str, time_column: str,
               months: Iterable[datetime.date], column: str,
               groups: Mapping[str, Sequence[str]]) -> tuple[list[str], list[str]]:
    """Make the partitions of `months` not made yet: (made, left). A month whose moments the
    default partition already holds is left: PostgreSQL would refuse it, and its rows stay
    where they are, read like any other (moving them would delete rows of an append-only
    table)."""
    made: list[str] = []
    left: list[str] = []
    with connection.cursor() as cursor:
        existing = {name for name, _bound in partitions(cursor, table)}
        for month in sorted(set(months)):
            name = month_table(table, month)
            if name in existing:
                continue
            start, end = _month_bounds(month)
            default = partition_table(table, DEFAULT_SUFFIX)
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {_quote(default)}"  # noqa: S608 - names
                           f" WHERE {_quote(time_column)} >= %s AND {_quote(time_column)} < %s)",
                           [start, end])
            if cursor.fetchone()[0]:
                left.append(name)
                continue
            made.append(_month_partition(cursor, table, table, time_column, month, column, groups))
    return made, left


def partition_holding(cursor: CursorWrapper, table: str, column: str, value: str) -> str | None:
    """The leaf partition of `table` holding its rows whose `column` is `value` (a list
    partition holds each value whole); None when there is no such row."""
    cursor.execute(f"SELECT tableoid::regclass::text FROM {_quote(table)}"  # noqa: S608 - names
                   f" WHERE {_quote(column)} = %s LIMIT 1", [value])
    row = cursor.fetchone()
    return row[0] if row else None


def leaf_partitions(cursor: CursorWrapper, table: str) -> list[str]:
    """The tables that hold the rows of `table` (itself when it is not partitioned)."""
    cursor.execute("SELECT relid::text FROM pg_partition_tree(to_regclass(%s)) WHERE isleaf"
                   " ORDER BY relid::text", [table])
    return [name for (name,) in cursor.fetchall()]


def _convert(connection: BaseDatabaseWrapper, table: str, partition_by: str,
             make_partitions: Callable[[CursorWrapper, str], None], key_columns: Sequence[str],
             id_column: str) -> bool:
    with connection.cursor() as cursor:
        if is_partitioned(cursor, table):
            return False
        # Checks of deferred keys still pending in this transaction would forbid the ALTERs.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        indexes = _indexes(cursor, table)
        foreign_keys = [fk for fk in _foreign_keys(cursor, table) if fk[2] != table]
        triggers = _triggers(cursor, table)
        sequence = _sequence(cursor, table, id_column)
        for owner, name in _references_to(cursor, table):
            cursor.execute(f"ALTER TABLE {_quote(owner)} DROP CONSTRAINT {_quote(name)}")

        staged = f"{table}__partitioned"
        cursor.execute(
            f"CREATE TABLE {_quote(staged)} (LIKE {_quote(table)} INCLUDING DEFAULTS"
            " INCLUDING CONSTRAINTS INCLUDING IDENTITY INCLUDING GENERATED INCLUDING STORAGE"
            f" INCLUDING COMMENTS) PARTITION BY {partition_by}")
        make_partitions(cursor, staged)
        overriding = "OVERRIDING SYSTEM VALUE " if sequence else ""
        copy = f"INSERT INTO {_quote(staged)} {overriding}SELECT * FROM {_quote(table)}"  # noqa: S608 - names of tables
        cursor.execute(copy)
        cursor.execute(f"DROP TABLE {_quote(table)}")
        cursor.execute(f"ALTER TABLE {_quote(staged)} RENAME TO {_quote(table)}")

        if sequence:
            _name, last_value, is_called = sequence
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, id_column])
            (renamed,) = cursor.fetchone()
            cursor.execute(f"ALTER SEQUENCE {renamed} RENAME TO"
                           f" {_quote(f'{table}_{id_column}_seq')}")
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, %s), %s, %s)",
                           [table, id_column, last_value, is_called])
        for index in indexes:
            _recreate_index(cursor, table, key_columns, index)
        for name, definition, _target in foreign_keys:
            cursor.execute(f"ALTER TABLE {_quote(table)} ADD CONSTRAINT {_quote(name)}"
                           f" {definition}")
        for definition in triggers:
            cursor.execute(definition)
        cursor.execute(f"ANALYZE {_quote(table)}")
    return True


def _recreate_index(cursor: CursorWrapper, table: str, key_columns: Sequence[str],
                    index: _Index) -> None:
    if not index.unique:
        cursor.execute(index.definition)
        return
    added = [column for column in key_columns if column not in index.columns]
    columns = (*index.columns, *added)
    listed = ", ".join(_quote(name) for name in columns)
    if index.primary:
        cursor.execute(f"ALTER TABLE {_quote(table)} ADD CONSTRAINT {_quote(index.name)}"
                       f" PRIMARY KEY ({listed})")
    elif index.constraint:
        cursor.execute(f"ALTER TABLE {_quote(table)} ADD CONSTRAINT {_quote(index.name)}"
                       f" UNIQUE ({listed})")
    else:
        definition = index.definition
        for column in added:
            definition = _with_column(definition, column)
        cursor.execute(definition)


# Statement triggers with transition tables: one query per statement whatever its rows.
_FUNCTIONS = [
    # TG_ARGV: referencing column, referenced table, referenced column.
    """CREATE OR REPLACE FUNCTION treem_reference_check() RETURNS trigger
       LANGUAGE plpgsql AS $$
       DECLARE missing text;
       BEGIN
         EXECUTE format('SELECT n.%1$I::text FROM treem_new_rows n WHERE n.%1$I IS NOT NULL'
                        ' AND NOT EXISTS (SELECT 1 FROM %2$I t WHERE t.%3$I = n.%1$I) LIMIT 1',
                        TG_ARGV[0], TG_ARGV[1], TG_ARGV[2]) INTO missing;
         IF missing IS NOT NULL THEN
           RAISE foreign_key_violation USING MESSAGE = format(
             'insert or update on table "%s" violates the reference "%s": key (%s)=(%s)'
             ' is not present in table "%s"', TG_TABLE_NAME, TG_NAME, TG_ARGV[0], missing,
             TG_ARGV[1]);
         END IF;
         RETURN NULL;
       END $$""",
    # TG_ARGV: referenced column, then pairs of (referencing table, referencing column). A row
    # that moved to another partition (an UPDATE of the partition column) is still there.
    """CREATE OR REPLACE FUNCTION treem_reference_restrict() RETURNS trigger
       LANGUAGE plpgsql AS $$
       DECLARE kept text; place int := 1;
       BEGIN
         WHILE place < array_length(TG_ARGV, 1) LOOP
           EXECUTE format('SELECT o.%1$I::text FROM treem_old_rows o WHERE EXISTS (SELECT 1'
                          ' FROM %2$I r WHERE r.%3$I = o.%1$I) AND NOT EXISTS (SELECT 1'
                          ' FROM %4$I t WHERE t.%1$I = o.%1$I) LIMIT 1', TG_ARGV[0],
                          TG_ARGV[place], TG_ARGV[place + 1], TG_TABLE_NAME) INTO kept;
           IF kept IS NOT NULL THEN
             RAISE foreign_key_violation USING MESSAGE = format(
               'delete on table "%s" violates the reference of table "%s": key (%s)=(%s)'
               ' is still referenced', TG_TABLE_NAME, TG_ARGV[place], TG_ARGV[0], kept);
           END IF;
           place := place + 2;
         END LOOP;
         RETURN NULL;
       END $$""",
]


def install_functions(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for function in _FUNCTIONS:
            cursor.execute(function)


def _trigger_name(*parts: str) -> str:
    name = "_".join(parts)
    if len(name) <= 63:
        return name
    return f"{name[:54]}_{hashlib.sha256(name.encode()).hexdigest()[:8]}"


def check_references(connection: BaseDatabaseWrapper, table: str, column: str, target: str,
                     target_column: str = "id") -> None:
    """Refuse a row of `table` whose `column` names no row of `target` (its foreign key)."""
    arguments = ", ".join(_literal(arg) for arg in (column, target, target_column))
    with connection.cursor() as cursor:
        for event in ("INSERT", "UPDATE"):
            name = _trigger_name(table, column, "ref", event[:3].lower())
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER {_quote(name)} AFTER {event} ON {_quote(table)}"
                " REFERENCING NEW TABLE AS treem_new_rows FOR EACH STATEMENT"
                f" EXECUTE FUNCTION treem_reference_check({arguments})")


def restrict_deletes(connection: BaseDatabaseWrapper, target: str,
                     referencing: Iterable[tuple[str, str]], target_column: str = "id") -> None:
    """Refuse to delete a row of `target` that a row of `referencing` (table, column) names."""
    pairs = sorted(set(referencing))
    name = _trigger_name(target, "restrict")
    with connection.cursor() as cursor:
        if not pairs:
            cursor.execute(f"DROP TRIGGER IF EXISTS {_quote(name)} ON {_quote(target)}")
            return
        arguments = ", ".join(_literal(arg) for pair in pairs for arg in pair)
        cursor.execute(
            f"CREATE OR REPLACE TRIGGER {_quote(name)} AFTER DELETE ON {_quote(target)}"
            " REFERENCING OLD TABLE AS treem_old_rows FOR EACH STATEMENT EXECUTE FUNCTION"
            f" treem_reference_restrict({_literal(target_column)}, {arguments})")


def keep_unique(connection: BaseDatabaseWrapper, table: str, column: str,
                id_column: str = "id") -> None:
    """Keep `column` unique across every partition of `table` (ignoring nulls): a side table
    whose primary key is the value, written by statement triggers in the same statement, so
    two transactions inserting one value at once collide on its key exactly as on a unique
    index. A duplicate raises unique_violation, which Django reports as IntegrityError."""
    side = f"{table}__{column}"
    function = f"{side}_keep"
    q = _quote
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {q(side)} (value text PRIMARY KEY,"
                       f" row_id bigint NOT NULL)")
        keeper = f"""CREATE OR REPLACE FUNCTION {q(function)}() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
              IF TG_OP = 'TRUNCATE' THEN
                TRUNCATE {q(side)};
                RETURN NULL;
              END IF;
              IF TG_OP IN ('UPDATE', 'DELETE') THEN
                DELETE FROM {q(side)} s USING treem_old_rows o
                WHERE s.value = o.{q(column)}::text AND s.row_id = o.{q(id_column)};
              END IF;
              IF TG_OP IN ('UPDATE', 'INSERT') THEN
                INSERT INTO {q(side)} (value, row_id)
                SELECT n.{q(column)}::text, n.{q(id_column)} FROM treem_new_rows n
                WHERE n.{q(column)} IS NOT NULL;
              END IF;
              RETURN NULL;
            END $$"""  # noqa: S608 - names of tables and columns
        cursor.execute(keeper)
        transitions = {"INSERT": "NEW TABLE AS treem_new_rows",
                       "UPDATE": "OLD TABLE AS treem_old_rows NEW TABLE AS treem_new_rows",
                       "DELETE": "OLD TABLE AS treem_old_rows"}
        for event, referencing in transitions.items():
            name = _trigger_name(side, event[:3].lower())
            cursor.execute(f"CREATE OR REPLACE TRIGGER {q(name)} AFTER {event} ON {q(table)}"
                           f" REFERENCING {referencing} FOR EACH STATEMENT"
                           f" EXECUTE FUNCTION {q(function)}()")
        cursor.execute(f"CREATE OR REPLACE TRIGGER {q(_trigger_name(side, 'tru'))} AFTER TRUNCATE"
                       f" ON {q(table)} FOR EACH STATEMENT EXECUTE FUNCTION {q(function)}()")
        cursor.execute(f"TRUNCATE {q(side)}")
        backfill = (f"INSERT INTO {q(side)} (value, row_id) SELECT {q(column)}::text,"  # noqa: S608 - names
                    f" {q(id_column)} FROM {q(table)} WHERE {q(column)} IS NOT NULL")
        cursor.execute(backfill)

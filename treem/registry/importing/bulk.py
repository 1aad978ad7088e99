"""Inserting many rows of one model quickly, for the commit of an import.

`bulk_create` costs ~3 µs a value in Python (each value through `get_db_prep_save` and the
compiler), and on SQLite assumes the old limit of 999 parameters a statement: 30 children an
INSERT. At 100,000 children with their residences, caregivers and audit events that is most of
a minute. Here a table is written with one `executemany` of plain tuples per batch: the import
builds the per-row values in the form the database driver takes (`Values`), every other column
gets its model default once (or the run's timestamp for `auto_now` fields), and a column with
neither stops the run, so a field added to a model later cannot be skipped silently.

Rows are inserted, never updated: the append-only audit trail is written here too.
"""

import json
import os
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import Model


class MissingColumn(RuntimeError):
    pass


class Inserter:
    def __init__(self, model: type[Model], columns: Sequence[str], *, now: Any,
                 constants: dict[str, Any] | None = None) -> None:
        fields = {field.attname: field for field in model._meta.concrete_fields}
        unknown = [name for name in [*columns, *(constants or {})] if name not in fields]
        if unknown:
            raise MissingColumn(f"{model._meta.label} has no column {unknown}")
        given = dict(constants or {})
        tail_names: list[str] = []
        tail: list[Any] = []
        for name, field in fields.items():
            if name in columns or field.primary_key:
                continue
            if name in given:
                value = given[name]
            elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            elif field.has_default() or field.null or field.blank:
                value = field.get_default()
            else:
                raise MissingColumn(f"the import does not fill {model._meta.label}.{name}, "
                                    "which has no default")
            tail_names.append(name)
            tail.append(field.get_db_prep_save(value, connection))
        quote = connection.ops.quote_name
        names = ", ".join(quote(fields[name].column) for name in (*columns, *tail_names))
        marks = ", ".join(["%s"] * (len(columns) + len(tail_names)))
        table = quote(model._meta.db_table)
        self.sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 - names from the model
        self.copy = f"COPY {table} ({names}) FROM STDIN"
        self.select_head = f"INSERT INTO {table} ({names}) SELECT "
        self.columns = tuple(columns)
        self.tail = tuple(tail)

    def insert_select(self, expressions: Sequence[str], source: str, *,
                      params: Sequence[Any] = (), source_params: Sequence[Any] = ()) -> int:
        """INSERT ... SELECT: one set-based statement, the rows built by the database from
        `source` ("FROM ... WHERE ..."), `expressions` giving the columns in order (their
        %s taking `params`), the other columns their defaults. Returns the rows inserted."""
        if len(expressions) != len(self.columns):
            raise MissingColumn(f"{len(expressions)} expressions for {self.columns}")
        select = ", ".join([*expressions, *["%s"] * len(self.tail)])
        with connection.cursor() as cursor:
            cursor.execute(f"{self.select_head}{select} {source}",
                           [*params, *self.tail, *source_params])
            return cursor.rowcount

    def write(self, rows: list[tuple]) -> None:
        if not rows:
            return
        tail = self.tail
        with connection.cursor() as cursor:
            raw = cursor.cursor
            if connection.vendor == "postgresql" and hasattr(raw, "copy"):
                # COPY: one stream, values dumped by psycopg's C code, parsed by the server
                # as its column types (text for UUIDs and JSON is what it expects).
                with raw.copy(self.copy) as copy:
                    write_row = copy.write_row
                    for row in rows:
                        write_row(row + tail)
            else:
                cursor.executemany(self.sql, [row + tail for row in rows])


def largest_id(model: type[Model]) -> int:
    """The largest primary key ever used in `model`'s table (AUTOINCREMENT's memory on
    SQLite): the keys after it are free while the caller holds SQLite's write lock."""
    if not connection.in_atomic_block:
        raise RuntimeError("largest_id needs the write lock of a transaction")
    table = model._meta.db_table
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {quote(table)}")  # noqa: S608
        largest = cursor.fetchone()[0]
        if connection.vendor == "sqlite":
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            used = cursor.fetchone()
            largest = max(largest, used[0] if used else 0)
    return int(largest)


def reserve_ids(model: type[Model], count: int) -> list[int]:
    """`count` primary keys for rows about to be inserted, so that rows pointing at them (a
    child's residence) are built without reading the new rows back.

    PostgreSQL hands them out from the table's sequence, safe against concurrent inserts. On
    SQLite the caller holds the write lock (treem opens transactions with BEGIN IMMEDIATE), so
    the keys after the largest ever used (AUTOINCREMENT's sqlite_sequence) stay free until the
    insert."""
    if count <= 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                           "FROM generate_series(1, %s)", [table, count])
            return [row[0] for row in cursor.fetchall()]
        if not connection.in_atomic_block:
            raise RuntimeError("reserve_ids needs the write lock of a transaction")
        quote = connection.ops.quote_name
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {quote(table)}")  # noqa: S608
        largest = cursor.fetchone()[0]
        if connection.vendor == "sqlite":
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            used = cursor.fetchone()
            largest = max(largest, used[0] if used else 0)
    return list(range(largest + 1, largest + 1 + count))


class Values:
    """Python values in the form the database driver stores directly (what Django's
    `get_db_prep_save` would make of them)."""

    def __init__(self) -> None:
        self.sqlite = connection.vendor == "sqlite"
        self._pool: list[int] = []

    def day(self, value: Any) -> Any:
        # Django keeps dates on SQLite as ISO text; psycopg adapts date objects.
        return value.isoformat() if self.sqlite and value is not None else value

    def new_uuid(self) -> tuple[str, Any]:
        """A fresh random (version 4) UUID as text, and in its stored form: 32 hex digits on
        SQLite (as Django keeps it), the text itself for PostgreSQL to cast. The random bits
        come from the OS a few thousand at a time: uuid4() costs more than the insert."""
        if not self._pool:
            raw = os.urandom(16 * 4096)
            self._pool = [int.from_bytes(raw[at:at + 16], "big") for at in range(0, len(raw), 16)]
        bits = self._pool.pop()
        bits = (bits & ~(0xC000 << 48) | (0x8000 << 48)) & ~(0xF000 << 64) | (4 << 76)
        digits = f"{bits:032x}"
        text = f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"
        return text, digits if self.sqlite else text

    def uuid_hexes(self, count: int) -> list[str]:
        """`count` fresh random (version 4) UUIDs as 32 hex digits: how Django stores a UUID
        on SQLite, and a form PostgreSQL's uuid type reads as well. Made for a whole batch in
        C (the version and variant bits set on every 16th byte at once)."""
        raw = bytearray(os.urandom(16 * count))
        raw[6::16] = bytes((byte & 0x0F) | 0x40 for byte in raw[6::16])
        raw[8::16] = bytes((byte & 0x3F) | 0x80 for byte in raw[8::16])
        digits = raw.hex()
        return [digits[at:at + 32] for at in range(0, 32 * count, 32)]

    def json(self, value: Any) -> str:
        return json.dumps(value)

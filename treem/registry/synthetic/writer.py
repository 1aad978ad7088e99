"""Bulk writing of prepared rows, several times faster than `bulk_create`.

`bulk_create` spends most of its time turning every value of every model instance into SQL
(about 1 µs a value, 30 values a child). Here the generator builds plain tuples of values the
database driver takes as they are, and a table is written with one `executemany` per batch
on SQLite and `COPY … FROM STDIN` on PostgreSQL. The column list still comes from the model:
the generator names the columns it fills, every other column gets its model default (or the
run's timestamp for `auto_now` fields, or is left to the database for `db_default` and
generated fields), and a column with none of these stops the run before anything is
written, so a field added to a model later cannot be skipped silently.
"""

import datetime
import uuid
from collections.abc import Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import connection
from django.db.models import NOT_PROVIDED, Model
from django.utils import timezone

from treem.lib import partitioning


class MissingColumn(RuntimeError):
    pass


class Table:
    """One model's INSERT: the generator's columns first, then constant defaults."""

    def __init__(self, model: type[Model], columns: Sequence[str], *,
                 now: datetime.datetime) -> None:
        self.model = model
        fields = {field.attname: field for field in model._meta.concrete_fields}
        unknown = [name for name in columns if name not in fields]
        if unknown:
            raise MissingColumn(f"{model._meta.label} has no column {unknown}")
        tail_names: list[str] = []
        tail: list[Any] = []
        for name, field in fields.items():
            if name in columns or getattr(field, "generated", False) \
                    or field.db_default is not NOT_PROVIDED:
                continue  # the database computes or fills it
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value: Any = now
            elif field.has_default() or field.null or field.blank:
                value = field.get_default()
            else:
                raise MissingColumn(f"the generator does not fill {model._meta.label}.{name}, "
                                    "which has no default")
            tail_names.append(name)
            tail.append(field.get_db_prep_save(value, connection))
        self.columns = [fields[name].column for name in (*columns, *tail_names)]
        self.tail = tuple(tail)
        self.table = model._meta.db_table

    def write(self, rows: list[tuple]) -> None:
        if not rows:
            return
        tail = self.tail
        quote = connection.ops.quote_name
        names = ", ".join(quote(column) for column in self.columns)
        with connection.cursor() as cursor:
            raw = cursor.cursor
            if connection.vendor == "postgresql" and hasattr(raw, "copy"):
                with raw.copy(f"COPY {quote(self.table)} ({names}) FROM STDIN") as copy:
                    write_row = copy.write_row
                    for row in rows:
                        write_row(row + tail)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                sql = f"INSERT INTO {quote(self.table)} ({names}) VALUES ({marks})"  # noqa: S608 - names from the model
                cursor.executemany(sql, [row + tail for row in rows])


class Values:
    """Python values in the form the database driver stores directly."""

    def __init__(self) -> None:
        self.sqlite = connection.vendor == "sqlite"
        self._days: dict[int, Any] = {}

    def day(self, ordinal: int | None) -> Any:
        if ordinal is None:
            return None
        value = self._days.get(ordinal)
        if value is None:
            day = datetime.date.fromordinal(ordinal)
            # Django stores dates on SQLite as ISO text; psycopg adapts date objects.
            value = self._days[ordinal] = day.isoformat() if self.sqlite else day
        return value

    def uuid(self, bits: int) -> Any:
        """A version-4 UUID from 128 random bits (Django keeps UUIDs as 32 hex on SQLite)."""
        bits = (bits & ~(0xC000 << 48) | (0x8000 << 48)) & ~(0xF000 << 64) | (4 << 76)
        return f"{bits:032x}" if self.sqlite else uuid.UUID(int=bits)


def run_timestamp() -> datetime.datetime:
    return timezone.now()


def after_bulk_insert(models: Sequence[type[Model]], *, province_code: str | None = None) -> None:
    """After rows were written with their own primary keys: move the sequences past them, and
    give the planner fresh statistics (on SQLite too, which otherwise walks an index that
    matches nearly every row, e.g. the merged-into key, instead of the selective one).
    With `province_code`, only that province's partition of a partitioned table (`analyze`)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
    analyze(models, province_code=province_code)


def analyze(models: Sequence[type[Model]], *, province_code: str | None = None,
            partitions_only: bool = False) -> None:
    """ANALYZE the models' tables; with `province_code`, on PostgreSQL, only the partition
    holding that province's rows of a table partitioned by province (and, `partitions_only`,
    nothing of a table that is not partitioned).

    Provinces generated at once each write their partition in one long transaction. ANALYZE
    of a whole table counts another transaction's uncommitted rows as none: a province that
    finished and analysed everything told the planner that a partition still being written
    held no row, and the reference checks of that province's next statements then read its
    million rows through the wrong index, again and again (2.1 billion index reads, An Giang
    written in 881 s instead of 300). Its own rows are counted by its own ANALYZE."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            target = table
            partitioned = (connection.vendor == "postgresql"
                           and partitioning.is_partitioned(cursor, table))
            if partitions_only and not partitioned:
                continue
            if (province_code is not None and partitioned
                    and any(f.attname == "province_code" for f in model._meta.concrete_fields)):
                leaf = partitioning.partition_holding(cursor, table, "province_code",
                                                      province_code)
                if leaf is None:
                    continue  # no row of the province: nothing to tell
                target = leaf
            cursor.execute(f"ANALYZE {quote(target)}")

"""Turning the large tables into partitions in place (`treem.lib.partitioning`), and keeping
the audit trail's months ahead of time."""

import datetime
from typing import Any

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from treem.audit import triggers
from treem.geo.partition_keys import province_groups
from treem.lib import partitioning
from treem.partitions import references
from treem.partitions.tables import (
    BY_MONTH_AND_PROVINCE,
    BY_PROVINCE,
    MONTHS_AHEAD,
    NATION_KEY,
    PROVINCE_COLUMN,
    UNIQUE_ACROSS_PROVINCES,
)


def partition_by_province(apps: Any, connection: BaseDatabaseWrapper,
                          labels: tuple[str, ...] = BY_PROVINCE) -> list[str]:
    """Partition the tables of these models (a migration names those of its time) not
    partitioned yet; the tables it converted. Nothing on SQLite."""
    if connection.vendor != "postgresql":
        return []
    converted = []
    groups = province_groups()
    for label in labels:
        table = apps.get_model(label)._meta.db_table
        if partitioning.partition_by_list(connection, table, PROVINCE_COLUMN, groups):
            converted.append(table)
        for column in UNIQUE_ACROSS_PROVINCES.get(label, ()):
            partitioning.keep_unique(connection, table, column)
    references.install(apps, connection)
    return converted


def trail_groups() -> dict[str, tuple[str, ...]]:
    return {**province_groups(), NATION_KEY: ("",)}


def months_from(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months = []
    month = first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def _this_month() -> datetime.date:
    return timezone.now().astimezone(datetime.UTC).date().replace(day=1)


def _ahead(month: datetime.date) -> datetime.date:
    return months_from(month, month + datetime.timedelta(days=31 * MONTHS_AHEAD))[-1]


def partition_trail(apps: Any, connection: BaseDatabaseWrapper) -> list[str]:
    """Partition the audit trail by month and province, from the month of its first event to
    `MONTHS_AHEAD` months from now. Nothing on SQLite."""
    if connection.vendor != "postgresql":
        return []
    converted = []
    for label, time_column in BY_MONTH_AND_PROVINCE.items():
        model = apps.get_model(label)
        table = model._meta.db_table
        first = model.objects.order_by(time_column).values_list(time_column, flat=True).first()
        start = first.astimezone(datetime.UTC).date() if first else _this_month()
        months = months_from(start, _ahead(_this_month()))
        if partitioning.partition_by_month_and_list(connection, table, time_column, months,
                                                    PROVINCE_COLUMN, trail_groups()):
            converted.append(table)
    triggers.install(connection)
    return converted


def add_trail_months(connection: BaseDatabaseWrapper, *,
                     ahead: int = MONTHS_AHEAD) -> tuple[list[str], list[str]]:
    """Make the trail's partitions from this month to `ahead` months from now: (made, left)
    (see `treem.lib.partitioning.add_months`)."""
    if connection.vendor != "postgresql":
        return [], []
    made: list[str] = []
    left: list[str] = []
    this = _this_month()
    months = months_from(this, this + datetime.timedelta(days=31 * ahead))
    with connection.cursor() as cursor:
        tables = [(table, column) for table, column in _trail_tables()
                  if partitioning.is_partitioned(cursor, table)]
    for table, time_column in tables:
        new, kept = partitioning.add_months(connection, table, time_column, months,
                                            PROVINCE_COLUMN, trail_groups())
        made += new
        left += kept
    if made:
        triggers.install(connection)
    return made, left


def _trail_tables() -> list[tuple[str, str]]:
    return [(global_apps.get_model(label)._meta.db_table, column)
            for label, column in BY_MONTH_AND_PROVINCE.items()]


def after_migrate(sender: Any, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """At the end of `migrate`: a reference added by a migration gets its check, and the
    trail's coming months their partitions."""
    if sender.name != "treem.partitions":
        return  # once per `migrate`, not once per app
    connection = connections[using]
    if connection.vendor == "postgresql":
        references.install(kwargs.get("apps") or global_apps, connection)
        add_trail_months(connection)


def archive_months(connection: BaseDatabaseWrapper, before: datetime.date) -> list[str]:
    """Detach the trail's months before `before` (a month's first day) for archival: each is a
    table of its own again, still append-only (`triggers.protect`), out of every query. Copying
    it to cold storage and dropping it is the database owner's (docs/scale.md); nothing here
    deletes an event."""
    if connection.vendor != "postgresql":
        return []
    detached = []
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # pending checks forbid a DETACH
        for table, _column in _trail_tables():
            for name, _bound in partitioning.partitions(cursor, table):
                month = partitioning.month_of(name, table)
                if month is None or month >= before:
                    continue
                cursor.execute(f"ALTER TABLE {connection.ops.quote_name(table)} DETACH PARTITION"
                               f" {connection.ops.quote_name(name)}")
                triggers.protect(connection, name)
                detached.append(name)
    return detached


def summary(connection: BaseDatabaseWrapper) -> list[tuple[str, int, int]]:
    """(table, partitions holding rows, rows as PostgreSQL estimates them) of each partitioned
    table."""
    rows = []
    with connection.cursor() as cursor:
        tables = [global_apps.get_model(label)._meta.db_table
                  for label in (*BY_PROVINCE, *BY_MONTH_AND_PROVINCE)]
        for table in tables:
            if not partitioning.is_partitioned(cursor, table):
                continue
            leaves = partitioning.leaf_partitions(cursor, table)
            cursor.execute("SELECT coalesce(sum(greatest(reltuples, 0)), 0)::bigint FROM pg_class"
                           " WHERE oid = ANY(%s::regclass[])", [leaves])
            rows.append((table, len(leaves), cursor.fetchone()[0]))
    return rows

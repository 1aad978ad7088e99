"""The references to partitioned tables, checked by triggers (`treem.lib.partitioning`).

PostgreSQL cannot point a foreign key at a partitioned table unless the key names the
partition column too; Django's foreign keys to these tables are therefore declared with
`db_constraint=False`, and every one of them found in the models gets the triggers that do the
key's work: a row naming a missing row is refused, and so is deleting a row still named.
"""

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

from treem.lib import partitioning
from treem.partitions.tables import BY_PROVINCE


def partitioned_tables(apps: Any, connection: BaseDatabaseWrapper) -> set[str]:
    tables = {apps.get_model(label)._meta.db_table for label in BY_PROVINCE}
    with connection.cursor() as cursor:
        return {table for table in tables if partitioning.is_partitioned(cursor, table)}


def references_to(apps: Any, tables: set[str]) -> list[tuple[str, str, str, str]]:
    """(table, column, referenced table, referenced column) of every foreign key to `tables`."""
    found = []
    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy:
            continue
        for field in model._meta.local_concrete_fields:
            target = field.related_model
            if not field.is_relation or target is None or target == "self":
                continue
            target_table = target._meta.db_table
            if target_table in tables:
                found.append((model._meta.db_table, field.column, target_table,
                              field.target_field.column))
    return sorted(set(found))


def install(apps: Any, connection: BaseDatabaseWrapper) -> int:
    """Check every reference to a partitioned table; the number of references."""
    tables = partitioned_tables(apps, connection)
    if not tables:
        return 0
    partitioning.install_functions(connection)
    references = references_to(apps, tables)
    for table, column, target, target_column in references:
        partitioning.check_references(connection, table, column, target, target_column)
    for target in sorted(tables):
        partitioning.restrict_deletes(
            connection, target, [(table, column) for table, column, to, _ in references
                                 if to == target])
    return len(references)

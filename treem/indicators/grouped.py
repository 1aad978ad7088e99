"""One grouped, filtered count over a population's rows, where some counts test a child's
history (a circumstance, a risk, a support on the day) against that day's set of children.

The test is `child_id IN (the set)`, uncorrelated: PostgreSQL hashes the set once in each
parallel worker and looks each row up in it. A correlated EXISTS in an aggregate's FILTER
is a subplan run per row, and PostgreSQL evaluates those in one process: the whole
aggregation of the nation's 4.5 million children then ran in the leader (12.7 s, against
8.8 s without them). A left join to each set ran in the workers too, but carried every row's
columns through one more join: 7.1 s for the nation's main count at 5 million children,
against 6.4 s with `IN` and FILTER (docs/scale.md).

Grouping in the workers wants more memory than PostgreSQL's default 4 MB for its hashes: the
statement runs with `TREEM_INDICATORS_WORK_MEM_MB` (24 MB, as DHIS2 recommends for its
aggregation).

A child's statuses as they were on the day (schooling, nutrition…) come from one join to
the values held that day (`held`, a row per child whose value has changed since), not from one
join per status field: every join carries all the rows, even with nothing to join. For the
nation at 5 million children, four joins made one took 0.8 s off 2026S1 and 1.8 s off 2025S2
(docs/scale.md).

The rows are a Django queryset compiled as it is (so it keeps its partition pruning and its
router's database); only the tests and the grouping around it are written here, from fixed
fragments and quoted names."""

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.db.models import QuerySet


@dataclass(frozen=True)
class StatusTest:
    """A status on the day among `values` (or, with `among` False, not among them)."""

    field: str
    values: tuple[str, ...]
    among: bool = True


@dataclass(frozen=True)
class Tested:
    """A count: the row's own condition (a yes/no column of the rows, or None for every
    row), the statuses it asks for, and which tested sets (by index) the child must be in
    (True) or not in (False)."""

    condition: str | None
    in_sets: tuple[tuple[int, bool], ...] = ()
    statuses: tuple[StatusTest, ...] = ()


def held_column(field: str) -> str:
    """The column of the held values' queryset (`branch`'s `held`) with a field's value."""
    return f"held_{field}"


def current_column(field: str) -> str:
    """The column of the rows with a field's current value, stored as the past values are."""
    return f"current_{field}"


def branch(rows: QuerySet, keys: Sequence[str], child: str, counts: Sequence[Tested],
           tested_sets: Sequence[QuerySet], held: QuerySet | None = None
           ) -> tuple[str, list[Any]]:
    """SQL and parameters of one SELECT: `rows` (whose columns are `keys`, `child` and the
    counts' conditions) grouped by `keys`, a count per `counts` as `n0`, `n1`…, a count's
    test of a set (a queryset of `child_id` values) as `child IN (set)`, of a status as the
    value held on the day, else the current one, among the values asked for. `held` is one
    row per child whose statuses have changed since the day: `child_id` and a
    `held_column` per field, None where that field has not; the rows then carry a
    `current_column` per field."""
    connection = connections[rows.db]
    quote = connection.ops.quote_name
    sql, rows_params = rows.query.get_compiler(using=rows.db).as_sql()
    params: list[Any] = []  # in the order of the text: the counts', the rows', the held's
    sets = [children.query.get_compiler(using=rows.db).as_sql() for children in tested_sets]
    selected = [f"{quote('r')}.{quote(key)}" for key in keys]
    for i, tested in enumerate(counts):
        tests = [f"{quote('r')}.{quote(tested.condition)}"] if tested.condition else []
        for status in tested.statuses:
            if held is None:
                raise ValueError(f"a count tests {status.field} and no held values were given")
            value = (f"COALESCE({quote('h')}.{quote(held_column(status.field))}, "
                     f"{quote('r')}.{quote(current_column(status.field))})")
            among = f"{value} IN ({', '.join(['%s'] * len(status.values))})"
            tests.append(among if status.among else f"NOT ({among})")
            params += list(status.values)
        for j, wanted in tested.in_sets:
            # A set two counts test is written out twice, hashed twice: as one CTE read twice
            # it would be materialized, and a CTE's scan keeps the grouping out of the workers.
            set_sql, set_params = sets[j]
            test = f"{quote('r')}.{quote(child)} IN ({set_sql})"
            tests.append(test if wanted else f"NOT ({test})")
            params += list(set_params)
        selected.append(f"{_count(connection, tests)} AS {quote(f'n{i}')}")
    source = f"({sql}) {quote('r')}"
    held_params: tuple[Any, ...] = ()
    if held is not None:
        # A join to a grouped subquery: PostgreSQL hashes it in each worker, privately.
        held_sql, held_params = held.query.get_compiler(using=rows.db).as_sql()
        source += (f" LEFT OUTER JOIN ({held_sql}) {quote('h')} "
                   f"ON {quote('h')}.{quote('child_id')} = {quote('r')}.{quote(child)}")
    grouped = ", ".join(f"{quote('r')}.{quote(key)}" for key in keys)
    return (f"SELECT {', '.join(selected)} FROM {source} "  # noqa: S608 - compiled querysets, quoted names
            f"GROUP BY {grouped}", [*params, *rows_params, *held_params])


def _count(connection: Any, tests: list[str]) -> str:
    """COUNT of the rows passing every test. FILTER where the database has it: it skips the
    rows that fail where CASE would hand each to the aggregate."""
    if not tests:
        return "COUNT(*)"
    condition = " AND ".join(tests)
    if connection.features.supports_aggregate_filter_clause:
        return f"COUNT(*) FILTER (WHERE {condition})"
    return f"COUNT(CASE WHEN {condition} THEN 1 END)"


def run(database: str, branches: Sequence[tuple[str, list[Any]]],
        columns: Sequence[str]) -> list[dict[str, Any]]:
    """The branches as one statement (UNION ALL: one snapshot) on `database`, each row as a
    dict of `columns`. On PostgreSQL with `TREEM_INDICATORS_WORK_MEM_MB` for its sorts and
    hashes, set for this statement alone."""
    sql = "\nUNION ALL\n".join(branch_sql for branch_sql, _params in branches)
    params = [param for _sql, branch_params in branches for param in branch_params]
    with (transaction.atomic(using=database), connections[database].cursor() as cursor,
          _work_mem(cursor)):
        cursor.execute(sql, params)
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


@contextlib.contextmanager
def _work_mem(cursor: Any) -> Iterator[None]:
    """`work_mem` as the setting asks, inside the transaction, then back as it was for what
    follows in an enclosing one."""
    megabytes = settings.TREEM_INDICATORS_WORK_MEM_MB
    if cursor.db.vendor != "postgresql" or not megabytes:
        yield
        return
    cursor.execute("SELECT current_setting('work_mem'), set_config('work_mem', %s, true)",
                   [f"{megabytes}MB"])
    previous = cursor.fetchone()[0]
    yield
    cursor.execute("SELECT set_config('work_mem', %s, true)", [previous])

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
class Tested:
    """A count: the row's own condition (a yes/no column of the rows, or None for every
    row), and which tested sets (by index) the child must be in (True) or not in (False)."""

    condition: str | None
    in_sets: tuple[tuple[int, bool], ...] = ()


def branch(rows: QuerySet, keys: Sequence[str], child: str, counts: Sequence[Tested],
           tested_sets: Sequence[QuerySet]) -> tuple[str, list[Any]]:
    """SQL and parameters of one SELECT: `rows` (whose columns are `keys`, `child` and the
    counts' conditions) grouped by `keys`, a count per `counts` as `n0`, `n1`…, a count's
    test of a set (a queryset of `child_id` values) as `child IN (set)`."""
    connection = connections[rows.db]
    quote = connection.ops.quote_name
    sql, rows_params = rows.query.get_compiler(using=rows.db).as_sql()
    params: list[Any] = []  # in the order of the text: the counts' sets', then the rows'
    sets = [children.query.get_compiler(using=rows.db).as_sql() for children in tested_sets]
    selected = [f"{quote('r')}.{quote(key)}" for key in keys]
    for i, tested in enumerate(counts):
        tests = [f"{quote('r')}.{quote(tested.condition)}"] if tested.condition else []
        for j, wanted in tested.in_sets:
            # A set two counts test is written out twice, hashed twice: as one CTE read twice
            # it would be materialized, and a CTE's scan keeps the grouping out of the workers.
            set_sql, set_params = sets[j]
            test = f"{quote('r')}.{quote(child)} IN ({set_sql})"
            tests.append(test if wanted else f"NOT ({test})")
            params += list(set_params)
        selected.append(f"{_count(connection, tests)} AS {quote(f'n{i}')}")
    grouped = ", ".join(f"{quote('r')}.{quote(key)}" for key in keys)
    return (f"SELECT {', '.join(selected)} FROM ({sql}) {quote('r')} "  # noqa: S608 - compiled querysets, quoted names
            f"GROUP BY {grouped}", [*params, *rows_params])


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

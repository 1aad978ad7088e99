"""One grouped, filtered count over a population's rows, where some counts test a child's
history (a circumstance, a risk, a support on the day) by a join rather than by EXISTS.

An EXISTS in an aggregate's FILTER is a subplan, and PostgreSQL evaluates subplans in one
process: the whole aggregation of the nation's 4.5 million children then ran in the leader
(12.7 s, against 8.8 s without them). Left-joined to each tested set of children (one row per
child: DISTINCT), the rows are grouped in the parallel workers.

With the joins, grouping in the workers wants more memory than PostgreSQL's default 4 MB
for its hashes: the statement runs with `TREEM_INDICATORS_WORK_MEM_MB` (24 MB, as DHIS2
recommends for its aggregation). At 5 million children: 10.7–12.6 s for the nation's
indicators, against 14.4–15.1 s with EXISTS and 4 MB (docs/scale.md).

The rows are a Django queryset compiled as it is (so it keeps its partition pruning and its
router's database); only the join and the grouping around it are written here, from fixed
fragments and quoted names.
"""

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
    row), and which joined sets the child must be in (True) or not in (False)."""

    condition: str | None
    joined: tuple[tuple[int, bool], ...] = ()


def branch(rows: QuerySet, keys: Sequence[str], child: str, counts: Sequence[Tested],
           joined: Sequence[QuerySet]) -> tuple[str, list[Any]]:
    """SQL and parameters of one SELECT: `rows` (whose columns are `keys`, `child` and the
    counts' conditions) left-joined to each of `joined` (querysets of `child_id` values,
    distinct) on the child, grouped by `keys`, a count per `counts` as `n0`, `n1`…"""
    quote = connections[rows.db].ops.quote_name
    sql, params = rows.query.get_compiler(using=rows.db).as_sql()
    params = list(params)
    joins = []
    for i, children in enumerate(joined):
        set_sql, set_params = children.query.get_compiler(using=rows.db).as_sql()
        joins.append(f"LEFT OUTER JOIN ({set_sql}) {quote(f'h{i}')} "
                     f"ON {quote(f'h{i}')}.{quote('child_id')} = {quote('r')}.{quote(child)}")
        params += list(set_params)
    selected = [f"{quote('r')}.{quote(key)}" for key in keys]
    for i, tested in enumerate(counts):
        tests = [f"{quote('r')}.{quote(tested.condition)}"] if tested.condition else []
        tests += [f"{quote(f'h{j}')}.{quote('child_id')} IS {'NOT ' if wanted else ''}NULL"
                  for j, wanted in tested.joined]
        counted = f"CASE WHEN {' AND '.join(tests)} THEN 1 END" if tests else "*"
        selected.append(f"COUNT({counted}) AS {quote(f'n{i}')}")
    grouped = ", ".join(f"{quote('r')}.{quote(key)}" for key in keys)
    return (f"SELECT {', '.join(selected)} FROM ({sql}) {quote('r')} {' '.join(joins)} "  # noqa: S608 - compiled querysets, quoted names
            f"GROUP BY {grouped}", params)


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

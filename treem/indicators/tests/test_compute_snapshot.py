"""A province's indicators read in one snapshot: a child moved to another province while they
are computed is counted once, in the part that held it when the reading began (PostgreSQL:
two transactions at once)."""

import datetime
import threading
from typing import Any

import pytest
from django.db import connection, connections, transaction

from treem.indicators import periods
from treem.indicators.compute import Cell, compute
from treem.indicators.spec import parse
from treem.registry.tests.factories import make_child, relocate
from treem.testing import load_migration_data, postgresql_marker

pytestmark = [
    postgresql_marker("two transactions at once need PostgreSQL (the test SQLite database is "
                      "in memory, shared by the threads' connections)"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def committed(committed: None) -> None:
    """The catalogues again: a transactional test before this one emptied them."""
    load_migration_data()


def test_a_child_moved_away_while_its_province_is_counted_is_counted_once(
        tree, committed) -> None:
    """The stayers and the movers are two parts of one statement. Were they two, a move
    committed between them would find the child in both: the first read it as living in the
    province, the second as moved out of it."""
    child = make_child(commune=tree.commune_a, birth_date=datetime.date(2022, 1, 1))
    make_child(commune=tree.commune_a, birth_date=datetime.date(2019, 4, 1))
    moved: list[str] = []

    def move_after_first_read(execute: Any, sql: str, params: Any, many: bool,
                              context: Any) -> Any:
        result = execute(sql, params, many, context)
        if "registry_childresidence" in sql and not moved:
            thread = threading.Thread(target=move_to_hanoi)
            thread.start()
            thread.join(30)
            assert moved == ["committed"]
        return result

    def move_to_hanoi() -> None:
        try:
            with transaction.atomic():
                relocate(child, commune=tree.commune_c, on=datetime.date(2026, 9, 1))
            moved.append("committed")
        finally:
            connections.close_all()

    spec = parse({"numerator": {"population": "children"}}, unit_kind="count", breakdowns=[])
    with connection.execute_wrapper(move_after_first_read):
        values = compute({"x": spec}, periods.parse("2026S1"), tree.province.path)
    assert moved == ["committed"]
    assert values[("x", tree.commune_a.pk, "")] == Cell(2, None)
    # And read afresh, the moved child is still counted where it lived on 30/06/2026.
    again = compute({"x": spec}, periods.parse("2026S1"), tree.province.path)
    assert again[("x", tree.commune_a.pk, "")] == Cell(2, None)

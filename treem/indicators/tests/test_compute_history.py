"""The counts that test a child's history on the period's last day (a circumstance, a risk, a
support), computed by `IN` the set of children who had one (`treem.indicators.grouped`),
or by EXISTS among the movers: equal to a recount child by child, for a province (read in two
parts) and for the nation, with children who moved to another province, who lived in a
commune dissolved in July 2025, and who have several rows on the day."""

import datetime
import random

import pytest
from django.db import connection, transaction
from django.db.models import Q

from treem.geo.models import Unit
from treem.indicators import periods
from treem.indicators.compute import Cell, compute
from treem.indicators.spec import parse
from treem.registry.models import (
    ChildCircumstance,
    ChildResidence,
    ChildRisk,
    ChildSupport,
    years_before,
)
from treem.registry.tests.factories import (
    make_child,
    make_circumstance,
    make_risk,
    make_support,
    relocate,
)
from treem.testing import postgresql_marker

pytestmark = pytest.mark.django_db

CHILDREN = {"population": "children"}
UNDER_11 = {"population": "children", "where": {"age": [0, 10]}}
SPECIAL = {"population": "children", "where": {"circumstance": ["*"]}}
SPECS = {
    "special": {"numerator": SPECIAL, "denominator": CHILDREN},
    # "a" takes its subgroups a1 and a2 (Nghị định 56/2017 Điều 3).
    "orphans": {"numerator": {"population": "children", "where": {"circumstance": ["a"]}},
                "denominator": CHILDREN},
    "violence": {"numerator": {"population": "children", "where": {
        "age": [0, 10], "risk": ["violence", "drowning"]}}, "denominator": UNDER_11},
    # The denominator's test is shared by both counts: it goes to WHERE, as EXISTS.
    "supported": {"numerator": {"population": "children", "where": {
        "circumstance": ["*"], "supported": True}}, "denominator": SPECIAL},
    "unsupported": {"numerator": {"population": "children", "where": {
        "risk": ["*"], "supported": False}}, "denominator": CHILDREN},
}
CODES = ["a", "a1", "a2", "d", "l"]
FLAGS = ["violence", "drowning", "child_labour"]


def _span(rng: random.Random) -> tuple[datetime.date, datetime.date | None]:
    start = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randint(0, 900))
    end = None if rng.random() < 0.4 else start + datetime.timedelta(days=rng.randint(0, 400))
    return start, end


def _register(tree) -> None:
    rng = random.Random(11)  # noqa: S311 - test data
    communes = (tree.commune_a, tree.commune_b, tree.commune_c)
    for n in range(60):
        # Some of commune A's children lived in the commune it took over in July 2025.
        merged = n % 3 == 0 and n % 5 == 1
        child = make_child(commune=tree.old_commune if merged else communes[n % 3],
                           full_name=f"Trẻ {n}",
                           birth_date=datetime.date(2011 + n % 15, 1 + n % 12, 3))
        if merged:
            relocate(child, commune=tree.commune_a, on=datetime.date(2025, 7, 1))
        for _ in range(rng.randint(0, 3)):  # several on one day, sometimes
            start, end = _span(rng)
            make_circumstance(child=child, code=rng.choice(CODES), start_date=start,
                              end_date=end)
        for _ in range(rng.randint(0, 2)):
            start, end = _span(rng)
            make_risk(child=child, flag=rng.choice(FLAGS), start_date=start, end_date=end)
        for _ in range(rng.randint(0, 2)):
            start, end = _span(rng)
            make_support(child=child, start_date=start, end_date=end)
        if n % 3 != 2 and n % 4 == 0:  # to Hà Nội: a mover for Cao Bằng's 2025
            relocate(child, commune=tree.commune_c, on=datetime.date(2026, 1, 1))


def _on(rows, day: datetime.date) -> set[int]:
    return set(rows.filter(start_date__lte=day).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day)).values_list("child_id", flat=True))


def _recount(day: datetime.date, scope: Unit) -> dict:
    """Each spec's cells, child by child, from the rows each child had on `day`."""
    special = _on(ChildCircumstance.objects, day)
    orphans = _on(ChildCircumstance.objects.filter(group__code__in=["a", "a1", "a2"]), day)
    violence = _on(ChildRisk.objects.filter(flag__in=["violence", "drowning"]), day)
    risk = _on(ChildRisk.objects, day)
    supported = _on(ChildSupport.objects, day)
    expected: dict = {}

    def add(key: str, commune: int, counted: bool) -> None:
        n, d = expected.get((key, commune, ""), (0, 0))
        expected[(key, commune, "")] = (n + counted, d + 1)

    residences = ChildResidence.objects.filter(
        unit_path__startswith=scope.path, start_date__lte=day).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day)).select_related("child")
    for residence in residences:
        child = residence.child
        if not years_before(day, 16) < child.birth_date <= day:
            continue
        commune, pk = residence.commune_id, child.pk
        add("special", commune, pk in special)
        add("orphans", commune, pk in orphans)
        if child.birth_date > years_before(day, 11):
            add("violence", commune, pk in violence)
        if pk in special:
            add("supported", commune, pk in supported)
        add("unsupported", commune, pk in risk and pk not in supported)
    return expected


@pytest.mark.parametrize("code", ["2025S1", "2025", "2026S1"])
def test_the_history_counts_equal_a_child_by_child_recount(tree, code) -> None:
    _register(tree)
    period = periods.parse(code)
    specs = {key: parse(data, unit_kind="percent") for key, data in SPECS.items()}
    # Before July 2025 the province of the day is the one dissolved then.
    province = tree.old_province if code == "2025S1" else tree.province
    for scope in (province, tree.nation):
        found = compute(specs, period, scope.path)
        expected = _recount(period.reference_date, scope)
        got = {slot: (cell.numerator, cell.denominator) for slot, cell in found.items()
               if cell.denominator or cell.numerator}
        assert got == {slot: pair for slot, pair in expected.items() if any(pair)}, (
            code, scope.name)
        if code == "2025S1":  # the dissolved commune's children, counted in it
            assert ("special", tree.old_commune.pk, "") in got
        # Computed alone, each spec gives the same cells: the shared joins change nothing.
        for key, spec in specs.items():
            alone = compute({key: spec}, period, scope.path)
            assert alone == {slot: cell for slot, cell in found.items() if slot[0] == key}


def test_a_child_with_two_circumstances_on_the_day_counts_once(tree) -> None:
    child = make_child(commune=tree.commune_a, birth_date=datetime.date(2015, 5, 5))
    for code in ("a1", "d"):
        make_circumstance(child=child, code=code, start_date=datetime.date(2024, 1, 1))
    make_support(child=child, start_date=datetime.date(2025, 1, 1))
    make_support(child=child, start_date=datetime.date(2025, 3, 1))
    specs = {key: parse(SPECS[key], unit_kind="percent")
             for key in ("special", "orphans", "supported")}
    found = compute(specs, periods.parse("2026S1"), tree.province.path)
    for key in specs:
        assert found[(key, tree.commune_a.pk, "")] == Cell(1, 1), key


@postgresql_marker("work_mem is PostgreSQL's")
def test_the_grouped_statement_runs_with_the_indicators_work_mem_then_puts_it_back(
        tree, settings) -> None:
    settings.TREEM_INDICATORS_WORK_MEM_MB = 48
    make_child(commune=tree.commune_a)
    seen: list[str] = []

    def watch(execute, sql, params, many, context):
        if "UNION ALL" in sql or '"r"."commune_id"' in sql:
            with connection.cursor() as cursor:
                cursor.execute("SHOW work_mem")
                seen.append(cursor.fetchone()[0])
        return execute(sql, params, many, context)

    with transaction.atomic():
        before = _work_mem()
        with connection.execute_wrapper(watch):
            compute({"x": parse(SPECS["special"], unit_kind="percent")},
                    periods.parse("2026S1"), tree.province.path)
        assert seen and set(seen) == {"48MB"}
        assert _work_mem() == before != "48MB"


def _work_mem() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        return cursor.fetchone()[0]

"""Every computed indicator of the shipped catalogue, for one period and all the communes of a
province of 1,000,000 children (with its cases), and three of them side by side with one
hand-written SQL query each.

Targets (the indicators issue): all computed indicators of a period ≤ 5 s on PostgreSQL,
≤ 15 s on SQLite; treem within 2× of the hand-written query.

Runs on the database of `python -m benchmarks cases` (register and cases of Cao Bằng), which
it generates first unless --reuse.
"""

from collections.abc import Callable
from typing import Any

from benchmarks.common import database_url, report, timed

PERIOD = "2026S1"
PROVINCE = "04"


def main(*, children: int, reuse: bool) -> int:
    if not reuse:
        from benchmarks import cases

        cases.main(children=children, per_thousand=2.0, reuse=False)
    import os

    import django

    os.environ["DATABASE_URL"] = database_url("cases")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "treem.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from treem.geo.models import Level, Unit
    from treem.indicators.catalogue import current_versions
    from treem.indicators.compute import compute, roll_up
    from treem.indicators.periods import parse
    from treem.indicators.values import spec_of

    call_command("migrate", verbosity=0)
    call_command("load_indicators", verbosity=0)
    province = Unit.objects.current().get(level=Level.PROVINCE, code=PROVINCE)
    period = parse(PERIOD)
    versions = [v for v in current_versions() if v.source == "computed"]
    specs = {v.pk: spec_of(v) for v in versions}
    counts = {c for spec in specs.values() for c in spec.counts()}
    print(f"database: {connection.vendor}; {len(specs)} computed indicators "
          f"({len(counts)} distinct counts), period {PERIOD}, province {province.name}",
          flush=True)

    def build_all() -> object:
        return roll_up(compute(specs, period, province.path), province.path)

    report("every computed indicator, all communes + roll-up", timed(build_all, 5))

    for label, code_of, hand in _HAND_WRITTEN:
        chosen = [v for v in versions if code_of(v)]
        if not chosen:
            print(f"{label}: not in the catalogue", flush=True)
            continue
        one = {chosen[0].pk: specs[chosen[0].pk]}
        ours = timed(lambda one=one: compute(one, period, province.path), 5)  # type: ignore[misc]
        theirs = timed(lambda hand=hand: hand(connection, period, province.path), 5)  # type: ignore[misc]
        mine = compute(one, period, province.path)
        expected = hand(connection, period, province.path)
        same = all(mine.get((chosen[0].pk, commune, "")) is not None
                   and (mine[(chosen[0].pk, commune, "")].numerator,
                        mine[(chosen[0].pk, commune, "")].denominator) == pair
                   for commune, pair in expected.items())
        report(f"{label}: treem", ours)
        report(f"{label}: hand-written SQL", theirs)
        print(f"  ratio of medians {_median(ours) / _median(theirs):.2f}×, "
              f"same figures for {len(expected)} communes: {same}", flush=True)
    _dashboard(province, period)
    return 0


def _dashboard(province: Any, period: Any) -> None:
    """The province's dashboard (every indicator of every set, the period and the one
    before): computed, then served from the values kept for the next request."""
    from django.core.cache import cache

    from treem.indicators import dashboard
    from treem.indicators.models import IndicatorSet

    sets = IndicatorSet.objects.all()

    def cold() -> object:
        cache.clear()
        return dashboard.dashboard(sets=sets, unit=province, period=period)

    report("province dashboard, computed", timed(cold, 3))
    report("province dashboard, kept values", timed(
        lambda: dashboard.dashboard(sets=sets, unit=province, period=period), 5))


def _median(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[len(ordered) // 2]


def _children_where(period: Any) -> tuple[str, list[Any]]:
    from treem.registry.models import years_before

    day = period.end
    return ("r.start_date <= %s AND (r.end_date IS NULL OR r.end_date >= %s) "
            "AND c.merged_into_id IS NULL AND c.birth_date > %s AND c.birth_date <= %s "
            "AND (c.death_date IS NULL OR c.death_date > %s)",
            [day, day, years_before(day, 16), day, day])


def _run(connection: Any, sql: str, params: list[Any]) -> dict[int, tuple[int, int | None]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0]: (row[1], row[2] if len(row) > 2 else None) for row in cursor.fetchall()}


def _scope(path: str) -> tuple[str, list[str]]:
    from treem.geo.paths import subtree_upper_bound

    return "r.unit_path >= %s AND r.unit_path < %s", [path, subtree_upper_bound(path)]


def _hand_children(connection: Any, period: Any, path: str) -> dict[int, tuple[int, int | None]]:
    where, params = _children_where(period)
    scope, scope_params = _scope(path)
    return _run(connection, "SELECT r.commune_id, COUNT(*) FROM registry_childresidence r "  # noqa: S608 - fixed fragments
                "JOIN registry_child c ON c.id = r.child_id "
                f"WHERE {scope} AND {where} GROUP BY r.commune_id", scope_params + params)


def _hand_special(connection: Any, period: Any, path: str) -> dict[int, tuple[int, int | None]]:
    where, params = _children_where(period)
    scope, scope_params = _scope(path)
    day = period.end
    return _run(connection,
                "SELECT r.commune_id, SUM(CASE WHEN EXISTS (SELECT 1 FROM "  # noqa: S608
                "registry_childcircumstance s WHERE s.child_id = c.id AND s.start_date <= %s "
                "AND (s.end_date IS NULL OR s.end_date >= %s)) THEN 1 ELSE 0 END), COUNT(*) "
                "FROM registry_childresidence r JOIN registry_child c ON c.id = r.child_id "
                f"WHERE {scope} AND {where} GROUP BY r.commune_id",
                [day, day] + scope_params + params)


def _hand_registered(connection: Any, period: Any,
                     path: str) -> dict[int, tuple[int, int | None]]:
    from treem.registry.models import years_before

    where, params = _children_where(period)
    scope, scope_params = _scope(path)
    day = period.end
    # Registered on the period's last day: the past value covering it (at most one: the spans
    # of a field never overlap), else the current one; the few past rows joined once.
    return _run(connection,
                "SELECT r.commune_id, SUM(CASE WHEN COALESCE(p.value, CASE WHEN "  # noqa: S608
                "c.birth_registered THEN '1' ELSE '0' END) = '1' THEN 1 ELSE 0 END), COUNT(*) "
                "FROM registry_childresidence r JOIN registry_child c ON c.id = r.child_id "
                "LEFT JOIN registry_childstatuspast p ON p.child_id = c.id "
                "AND p.field = 'birth_registered' AND p.end_date >= %s "
                "AND (p.start_date IS NULL OR p.start_date <= %s) "
                f"WHERE {scope} AND {where} AND c.birth_date > %s GROUP BY r.commune_id",
                [day, day] + scope_params + params + [years_before(period.end, 5)])


def _is(population: str, where: dict[str, Any] | None, denominator: bool) -> Callable[[Any], bool]:
    def test(version: Any) -> bool:
        spec = version.spec
        numerator = spec.get("numerator", {})
        return (numerator.get("population") == population
                and (numerator.get("where") or {}) == (where or {})
                and bool(spec.get("denominator")) == denominator)
    return test


_HAND_WRITTEN: list[tuple[str, Callable[[Any], bool], Callable[..., dict]]] = [
    ("children (count)", _is("children", None, False), _hand_children),
    ("children in special circumstances (%)", _is("children", {"circumstance": ["*"]}, True),
     _hand_special),
    ("children under 5 with a birth registration (%)",
     _is("children", {"age": [0, 4], "birth_registered": True}, True), _hand_registered),
]


if __name__ == "__main__":
    raise SystemExit(main(children=1_000_000, reuse=True))

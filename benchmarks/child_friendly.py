"""The child-friendly assessment of every commune of a province, prefilled from the register,
the cases and a year of activities (issue 14: ≤ 10 s on PostgreSQL), and three prefilled
items side by side with one hand-written SQL query each (≤ 2×).

Runs on the database of `python -m benchmarks plans --plan-children N` (a province's register
and a year of activities in every commune), left as it was: run that first.
"""

import os
import statistics
from typing import Any

from benchmarks.common import database_url, report, timed

PROVINCE = "04"


def main() -> int:
    import django

    os.environ["DATABASE_URL"] = database_url("plans")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "treem.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from treem.accounts.models import User
    from treem.geo.models import Level, Unit
    from treem.plans.child_friendly import prefill, services
    from treem.plans.child_friendly.models import Assessment, Item
    from treem.registry.models import Child

    call_command("load_child_friendly", verbosity=0)
    province = Unit.objects.current().get(level=Level.PROVINCE, code=PROVINCE)
    communes = list(Unit.objects.current().filter(level=Level.COMMUNE).within(province))
    year = timezone.localdate().year
    officer = User.objects.get(username="bench.province")
    keys = set(Item.objects.exclude(prefill="").values_list("prefill", flat=True))
    print(f"database: {connection.vendor}; {Child.objects.count():,} children, "
          f"{len(communes)} communes, {len(keys)} items filled from data, year {year}",
          flush=True)

    report("figures of every prefilled item, all communes", timed(
        lambda: prefill.figures(keys, year, province.path), 3))

    def start_all() -> object:
        Assessment.objects.filter(year=year).delete()
        return services.assessments_start_all(actor=officer, units=communes, year=year,
                                              scope_path=province.path)

    report("every commune's assessment begun and prefilled", timed(start_all, 3))
    for key, hand in (("vaccination_under_1", _hand_vaccination),
                      ("preschool", _hand_preschool), ("board_meetings", _hand_meetings)):
        ours = timed(lambda key=key: prefill.figures({key}, year, province.path), 5)  # type: ignore[misc]
        theirs = timed(lambda hand=hand: hand(connection, year, province.path), 5)  # type: ignore[misc]
        mine = {commune: (cell.numerator, cell.denominator)
                for (k, commune), cell in prefill.figures({key}, year, province.path).items()
                if cell.numerator or cell.denominator}
        expected = {commune: pair for commune, pair in hand(connection, year, province.path)
                    .items() if pair[0] or pair[1]}
        report(f"{key}: treem", ours)
        report(f"{key}: hand-written SQL", theirs)
        print(f"  ratio of medians {statistics.median(ours) / statistics.median(theirs):.2f}×, "
              f"same figures for {len(expected)} communes: {mine == expected}", flush=True)
    return 0


def _run(connection: Any, sql: str, params: list[Any]) -> dict[int, tuple[int, int | None]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0]: (int(row[1]), None if len(row) < 3 else int(row[2]))
                for row in cursor.fetchall()}


def _status_share(connection: Any, year: int, path: str, field: str, values: list[str],
                  youngest: int, oldest: int) -> dict[int, tuple[int, int | None]]:
    """Children of an age on 31 December living in each commune, and those whose status
    (as it was that day: the past value covering it, else the current one) is in `values`."""
    import datetime

    from treem.geo.paths import subtree_upper_bound
    from treem.registry.models import years_before

    day = datetime.date(year, 12, 31)
    marks = ", ".join(["%s"] * len(values))
    sql = ("SELECT r.commune_id, SUM(CASE WHEN COALESCE(p.value, c." + field + ") IN ("  # noqa: S608 - fixed fragments
           + marks + ") THEN 1 ELSE 0 END), COUNT(*) "
           "FROM registry_childresidence r JOIN registry_child c ON c.id = r.child_id "
           "LEFT JOIN registry_childstatuspast p ON p.child_id = c.id AND p.field = %s "
           "AND p.end_date >= %s AND (p.start_date IS NULL OR p.start_date <= %s) "
           "WHERE r.unit_path >= %s AND r.unit_path < %s AND r.start_date <= %s "
           "AND (r.end_date IS NULL OR r.end_date >= %s) AND c.merged_into_id IS NULL "
           "AND (c.death_date IS NULL OR c.death_date > %s) "
           "AND c.birth_date > %s AND c.birth_date <= %s GROUP BY r.commune_id")
    return _run(connection, sql, [*values, field, day, day, path, subtree_upper_bound(path),
                                  day, day, day, years_before(day, oldest + 1),
                                  years_before(day, youngest)])


def _hand_vaccination(connection: Any, year: int, path: str) -> dict[int, tuple[int, int | None]]:
    return _status_share(connection, year, path, "vaccination_status", ["full"], 0, 0)


def _hand_preschool(connection: Any, year: int, path: str) -> dict[int, tuple[int, int | None]]:
    return _status_share(connection, year, path, "school_status", ["in_school"], 5, 5)


def _hand_meetings(connection: Any, year: int, path: str) -> dict[int, tuple[int, int | None]]:
    import datetime

    from treem.geo.paths import subtree_upper_bound

    rows = _run(connection,
                "SELECT a.unit_id, COUNT(*) FROM plans_activity a "
                "JOIN plans_activitytype t ON t.id = a.type_id "
                "JOIN geo_unit u ON u.id = a.unit_id "
                "WHERE t.code = 'board-meeting' AND a.status = 'held' AND u.level = 'commune' "
                "AND a.end_date >= %s AND a.end_date <= %s "
                "AND a.unit_path >= %s AND a.unit_path < %s GROUP BY a.unit_id",
                [datetime.date(year, 1, 1), datetime.date(year, 12, 31), path,
                 subtree_upper_bound(path)])
    return {commune: (n, None) for commune, (n, _d) in rows.items()}


if __name__ == "__main__":
    raise SystemExit(main())

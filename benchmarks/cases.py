"""Protection cases at province scale: generating them for the register of N children, and the
statistics of the periodic reports over them.

Target: the cases of 1,000,000 children (about 6,000 at 2 a year per 1,000 over 3 years) in
well under a minute on PostgreSQL; the statistics at interactive speed.
"""

import datetime
import time
from collections.abc import Callable

from benchmarks.common import database_url, fresh_database, generate_register, report, timed

SEED = 20261123
PROVINCE = "04"  # Cao Bằng


def main(*, children: int, per_thousand: float, reuse: bool = False) -> int:
    url = database_url("cases")
    if reuse:  # keep the register a previous run generated, generate the cases again
        import os

        import django

        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "treem.settings")
        django.setup()
    else:
        fresh_database(url)
    from django.db import connection

    from treem.cases import statistics
    from treem.cases.synthetic import YEARS, generate_cases
    from treem.geo.models import Level, Unit
    from treem.registry.models import Child
    from treem.registry.synthetic import REFERENCE_DATE

    if reuse:
        _wipe_cases()
    else:
        generate_register(children=children, seed=SEED, province_code=PROVINCE)
    province = Unit.objects.current().get(level=Level.PROVINCE, code=PROVINCE)
    print(f"database: {connection.vendor} ({url.split('@')[-1]}), "
          f"{Child.objects.count():,} children", flush=True)

    start = time.perf_counter()
    result = generate_cases(province=province, seed=SEED, per_thousand=per_thousand)
    elapsed = time.perf_counter() - start
    print(f"{'generate the cases':<52} {elapsed:8.1f} s  {result.cases:,} cases, "
          f"{result.rows:,} rows, {result.rows / elapsed:,.0f} rows/s", flush=True)
    print(f"  by step: {result.by_status}")
    print(f"  notifications {result.notifications:,}, not confirmed {result.not_confirmed:,}, "
          f"events {result.events:,}, limits {result.deadlines:,} "
          f"({result.overdue:,} overdue), protections {result.protections:,}, "
          f"referrals {result.referrals:,}, assessments {result.assessments:,}, "
          f"plans {result.plans:,}, circumstances added {result.circumstances:,}", flush=True)

    last = REFERENCE_DATE
    whole = (last - datetime.timedelta(days=round(365.25 * YEARS) - 1), last)
    one_year = (datetime.date(last.year - 1, 1, 1), datetime.date(last.year - 1, 12, 31))
    commune = Unit.objects.get(pk=Child.objects.values("commune_id").order_by("commune_id")
                               .first()["commune_id"])  # type: ignore[index]
    scopes = (("province", [province.path]), ("one commune", [commune.path]))

    def count(paths: list[str], period: tuple[datetime.date, datetime.date],
              by: str) -> Callable[[], object]:
        return lambda: statistics.case_counts(paths=paths, start=period[0], end=period[1],
                                              by=by)

    for scope, paths in scopes:
        for label, period in (("3 years", whole), ("one year", one_year)):
            for by in statistics.BREAKDOWNS:
                report(f"cases by {by}, {scope}, {label}", timed(count(paths, period, by), 20))
        report(f"injury deaths, {scope}, 3 years",
               timed(lambda paths=paths: statistics.injury_deaths(  # type: ignore[misc]
                   paths=paths, start=whole[0], end=whole[1]), 20))
    return 0


def _wipe_cases() -> None:
    """Empty the case tables (and the circumstances cases added) of the benchmark database."""
    from django.db import connection

    from treem.cases.synthetic.generator import COLUMNS
    from treem.registry.models import ChildCircumstance

    ChildCircumstance.objects.filter(source="case").delete()
    tables = [model._meta.db_table for model in COLUMNS if model is not ChildCircumstance]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        else:
            for table in reversed(tables):
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - names from the models

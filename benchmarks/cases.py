"""Protection cases at province scale: generating them for the register of N children, and the
statistics of the periodic reports over them.

Target: the cases of 1,000,000 children (about 6,000 at 2 a year per 1,000 over 3 years) in
well under a minute on PostgreSQL; the statistics at interactive speed.
"""

import datetime
import time
from collections.abc import Callable
from typing import Any

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
    _deadlines(province)
    return 0


def _deadlines(province: Any) -> None:
    """The overdue marks at the reference moment: the case list's filter (the busiest commune
    officer's list, and every case of the province as the widest list there could be), the
    officer's due list, the province's counts per commune, the timeliness statistics, and
    counting the running limits again after a calendar change (rolled back)."""
    import datetime

    from django.db import connection, transaction
    from django.db.models import Count, QuerySet

    from treem.accounts.models import RoleAssignment, User
    from treem.accounts.roles import Role
    from treem.cases import calendar_services, selectors, statistics
    from treem.cases.models import Case, CaseDeadline
    from treem.cases.workdays import LOCAL
    from treem.geo.models import Level, Unit
    from treem.registry.synthetic import REFERENCE_DATE

    now = datetime.datetime.combine(REFERENCE_DATE, datetime.time(17), LOCAL)
    busiest = (Case.workers.through.objects.values("user_id").annotate(n=Count("id"))
               .order_by("-n").first() or {})
    officer = User.objects.get(pk=busiest["user_id"])
    area, _created = User.objects.get_or_create(username="bench_province",
                                                defaults={"full_name": "Sở (benchmark)"})
    RoleAssignment.objects.get_or_create(user=area, role=Role.AREA_OFFICER, unit=province)
    print(f"time limits {CaseDeadline.objects.count():,}, running "
          f"{CaseDeadline.objects.running().count():,}, overdue at the reference moment "
          f"{CaseDeadline.objects.overdue(now).count():,}; the busiest officer works on "
          f"{busiest['n']:,} cases", flush=True)
    overdue = selectors.CaseFilter(overdue=True)
    province_cases = (Case.objects.within(province).select_related("child", "commune")
                      .order_by("-received_at", "-id"))

    def listing(cases: QuerySet[Case]) -> tuple[int, list[Case]]:
        found = selectors.filter_cases(cases, overdue, now=now)
        return found.count(), list(found[:25])

    report("overdue cases, busiest officer's list, count + page",
           timed(lambda: listing(selectors.case_list(user=officer)), 20))
    report("overdue cases, every case of the province, count + page",
           timed(lambda: listing(province_cases), 20))
    report("due list of the busiest officer (home page)",
           timed(lambda: list(selectors.deadlines_due(
               user=officer, within=datetime.timedelta(days=2), now=now)[:20]), 20))
    report("overdue counts per commune, province officer (home page)",
           timed(lambda: list(selectors.overdue_counts(user=area, now=now)[:50]), 20))
    last = REFERENCE_DATE
    report("timeliness per step, province, one year",
           timed(lambda: statistics.deadline_timeliness(
               paths=[province.path], start=last - datetime.timedelta(days=364), end=last,
               now=now), 20))
    changed = last + datetime.timedelta(days=1)  # a day the running limits still count
    national, _created = User.objects.get_or_create(username="bench_national",
                                                    defaults={"full_name": "Quản trị"})
    RoleAssignment.objects.get_or_create(user=national, role=Role.SYSTEM_ADMIN,
                                         unit=Unit.objects.get(level=Level.NATION))

    def day_off() -> None:
        """The administrator adds a day off: saved, audited, running limits counted again."""
        with transaction.atomic():
            calendar_services.calendar_day_add(actor=national, day=changed, kind="holiday",
                                               name="Ngày nghỉ (benchmark)")
            transaction.set_rollback(True)

    report("calendar change: add a day off, count the limits again", timed(day_off, 10))
    print(f"  limits a day off on {changed:%d/%m/%Y} moves: {deadlines_moved(changed)}",
          flush=True)
    if connection.vendor == "postgresql":
        plan = selectors.filter_cases(province_cases, overdue, now=now).explain(analyze=True)
        print("plan of the overdue filter (every case of the province):")
        print("  " + plan.replace("\n", "\n  "), flush=True)


def deadlines_moved(day: Any) -> int:
    """How many running limits a day off on `day` moves (counted, then rolled back)."""
    from django.db import transaction

    from treem.cases import deadlines
    from treem.cases.models import CalendarDay

    with transaction.atomic():
        CalendarDay.objects.create(day=day, name="Ngày nghỉ (benchmark)")
        moved = deadlines.recount([day])
        transaction.set_rollback(True)
    return moved


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

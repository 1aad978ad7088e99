"""Periodic reports of generated provinces (`manage.py generate_nation --reports`, the national
benchmark): every current commune's officer sends the half-year report, its figures frozen
from the generated register and cases, and the province approves it — through the services
the pages use, so each report is what an officer's would be. Never used in production.

Run after the register and the cases: the communes' officers are the case generator's
(`treem.cases.synthetic.staff`); the province's reviewer is made here."""

import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from django.db import connections, transaction

from treem.accounts.models import RoleAssignment, User
from treem.accounts.roles import Role
from treem.geo.models import Level, Unit
from treem.reports import figures, services
from treem.reports.demo import DIFFICULTIES, HALF_YEAR, RESULTS
from treem.reports.loading import load_schedules
from treem.reports.models import Report, Schedule


@dataclass(frozen=True)
class ProvinceReports:
    code: str
    sent: int
    seconds: float


def reviewer_of(province: Unit) -> User:
    """The province's reviewer of reports (an area officer of the province)."""
    user, _created = User.objects.get_or_create(
        username=f"synthetic-reviewer-{province.code}",
        defaults={"full_name": f"Cán bộ tỉnh {province.code}"})
    RoleAssignment.objects.get_or_create(user=user, role=Role.AREA_OFFICER, unit=province)
    return user


def send_reports(*, province: Unit, period: str) -> ProvinceReports:
    """Every current commune of `province` that has a generated officer and no report of
    `period` yet sends its half-year report, and the province approves it."""
    started = time.perf_counter()
    schedule = Schedule.objects.get(code=HALF_YEAR)
    reviewer = reviewer_of(province)
    communes = (Unit.objects.current().filter(level=Level.COMMUNE).within(province)
                .exclude(pk__in=Report.objects.filter(schedule=schedule, period=period)
                         .values("unit_id"))
                .order_by("code"))
    officers = dict(RoleAssignment.objects.active()
                    .filter(role=Role.COMMUNE_OFFICER, unit__in=communes,
                            user__username__startswith="synthetic-officer-")
                    .values_list("unit_id", "user_id"))
    users = User.objects.in_bulk(officers.values())
    sent = 0
    with figures.computed_together(province):
        for commune in communes:
            if commune.pk not in officers:
                continue
            officer = users[officers[commune.pk]]
            with transaction.atomic():
                report = services.report_open(actor=officer, schedule=schedule, unit=commune,
                                              period=period)
                services.report_write(actor=officer, report=report, results=RESULTS,
                                      difficulties=DIFFICULTIES)
                report = services.report_submit(actor=officer, report=report)
                services.report_approve(actor=reviewer, report=report)
            sent += 1
    return ProvinceReports(code=province.code, sent=sent,
                           seconds=time.perf_counter() - started)


def _one(province_id: int, period: str) -> ProvinceReports:
    try:
        return send_reports(province=Unit.objects.get(pk=province_id), period=period)
    finally:
        connections.close_all()


def send_nation_reports(*, province_codes: tuple[str, ...], period: str,
                        jobs: int = 1) -> list[ProvinceReports]:
    """`send_reports` for each province, `jobs` provinces at once in worker processes."""
    load_schedules(national_only=True)
    provinces = [Unit.objects.current().get(level=Level.PROVINCE, code=code)
                 for code in province_codes]
    if jobs <= 1 or connections["default"].vendor == "sqlite":
        return [send_reports(province=province, period=period) for province in provinces]
    connections.close_all()  # a forked worker opens its own
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(_one, [p.pk for p in provinces], [period] * len(provinces)))

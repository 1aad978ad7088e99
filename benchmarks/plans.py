"""A province's plan page with the progress of every task (issue 14: p95 ≤ 300 ms), with a
year of activities in every commune of the province.

The plan has `--tasks` tasks (default 200) given to 25 agencies of the province, each agency
with a focal point, and every task reported each quarter of the year so far by its lead and
one co-operating agency (a year of progress: about 1,600 reports at 200 tasks). Timed: the
plan's page as the province officer opens it (selectors, progress, due dates, the template),
the page filtered to one agency, the focal point's "my tasks", and the Excel task table.

Then a year of activities in every commune of the province (`plans.activities.synthetic`:
26 a commune, half of them under the plan's tasks, forums with two recommendations, trainings
with trainees, each with its budget): timed again, the plan page (now counting each task's
activities), a task's page, the province's list of activities with its totals, and the
indicators computed from activities for the province and the year (children consulted, officers
trained). With `--plan-children N` the province's synthetic register is generated first, so that
"share of children 7+ consulted" divides by a real count of children.
"""

import datetime
import random
from typing import Any

from benchmarks.common import database_url, fresh_database, report, timed

SEED = 20261205
PROVINCE = "04"


def main(*, tasks: int = 200, children: int = 0, activity_years: int = 1) -> int:
    url = database_url("plans")
    fresh_database(url)
    if children:
        from benchmarks.common import generate_register

        generate_register(children=children, seed=SEED, province_code=PROVINCE)
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from treem.accounts.models import RoleAssignment, User
    from treem.accounts.roles import Role, Sector
    from treem.geo.loading import load_official_units
    from treem.geo.models import Level, Unit
    from treem.plans import services
    from treem.plans.models import AgencyKind, FocalPoint, ProgressStatus, TaskProgress, TimeFrame
    from treem.testing import login

    print(f"database: {connection.vendor} ({url.split('@')[-1]}), {tasks} tasks")
    if not children:
        load_official_units()
    province = Unit.objects.current().get(level=Level.PROVINCE, code=PROVINCE)
    officer = User.objects.create(username="bench.province", full_name="Bench")
    RoleAssignment.objects.create(user=officer, role=Role.AREA_OFFICER, unit=province)
    focal = User.objects.create(username="bench.police", full_name="Bench police")
    RoleAssignment.objects.create(user=focal, role=Role.SECTOR_FOCAL, unit=province,
                                  sector=Sector.POLICE)
    rng = random.Random(SEED)  # noqa: S311 - reproducible data, not a secret
    today = timezone.localdate()
    agencies = [services.agency_create(actor=None, unit=province, name=f"Cơ quan số {n}",
                                       kind=AgencyKind.DEPARTMENT) for n in range(1, 26)]
    for agency in agencies:
        FocalPoint.objects.create(agency=agency, user=focal)
    plan = services.plan_create(actor=None, unit=province, title="Kế hoạch đo tốc độ",
                                start_year=today.year, end_year=today.year + 4)
    frames = [TimeFrame.YEARLY, TimeFrame.QUARTER, TimeFrame.DATES, TimeFrame.UNSPECIFIED]
    quarters = [q for q in range(1, 5) if datetime.date(today.year, 3 * q - 2, 1) <= today]
    rows: list[Any] = []
    for number in range(1, tasks + 1):
        lead, partner = rng.sample(agencies, 2)
        frame = rng.choice(frames)
        task = services.task_create(
            actor=None, plan=plan, section=f"IV.{number}", lead=lead, cooperating=[partner],
            text=f"Nhiệm vụ số {number}: tuyên truyền, phòng ngừa xâm hại trẻ em. " * 3,
            time_frame=frame, year=today.year if frame == TimeFrame.QUARTER else None,
            quarter=rng.randint(1, 4) if frame == TimeFrame.QUARTER else None,
            end_date=datetime.date(today.year, rng.randint(1, 12), 28)
            if frame == TimeFrame.DATES else None)
        for agency in (lead, partner):
            for quarter in quarters:
                done = quarter == quarters[-1] and rng.random() < 0.3
                rows.append(TaskProgress(
                    task=task, agency=agency, period=f"{today.year}Q{quarter}",
                    status=ProgressStatus.DONE if done else ProgressStatus.IN_PROGRESS,
                    percent_done=100 if done else 25 * quarter, done_text="Đã thực hiện.",
                    reported_by=focal))
    TaskProgress.objects.bulk_create(rows, batch_size=1000)
    print(f"{len(rows):,} progress reports of {len(agencies)} agencies", flush=True)

    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # the test client's host
    client = Client()
    login(client, officer)
    page = f"/plans/{plan.public_id}/"
    agency_page = f"{page}?agency={agencies[0].public_id}"
    police = Client()
    login(police, focal)

    def get(c: Client, path: str) -> Any:
        def run() -> object:
            response = c.get(path)
            assert response.status_code == 200, response.status_code
            return response
        return run

    get(client, page)()  # warm the templates and the scope
    report("plan page, every task with its progress", timed(get(client, page), 50))
    report("plan page, one agency's tasks", timed(get(client, agency_page), 50))
    report("a focal point's tasks (25 agencies)", timed(get(police, "/plans/tasks/"), 30))
    report("the plan's task table as Excel", timed(get(client, f"/plans/{plan.public_id}/excel/"),
                                                   20))

    import time

    from treem.indicators import periods
    from treem.indicators.compute import compute
    from treem.indicators.spec import parse
    from treem.plans.activities import synthetic
    from treem.plans.activities.models import Activity

    started = time.perf_counter()
    made = synthetic.generate(province=province, year=today.year, by=officer,
                              tasks=list(plan.tasks.all()), agencies=agencies, rng=rng,
                              scale=activity_years)
    print(f"{made:,} activities generated in "
          f"{time.perf_counter() - started:.1f} s", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    task = plan.tasks.order_by("position").first()
    assert task is not None
    report("plan page, with the tasks' activities", timed(get(client, page), 50))
    report("a task's page with its activities", timed(
        get(client, f"/plans/tasks/{task.public_id}/"), 30))
    report("the province's activities, first page and totals", timed(
        get(client, "/plans/activities/"), 30))
    specs = {
        "0601": parse({"numerator": {"population": "activity_children",
                                     "where": {"kind": ["consultation"]}},
                       "denominator": {"population": "children", "where": {"age": [7, 15]}}},
                      unit_kind="percent"),
        "BS11": parse({"numerator": {"population": "commune_staff",
                                     "where": {"role": ["commune_officer"],
                                               "trained": ["child-database"]}},
                       "denominator": {"population": "commune_staff",
                                       "where": {"role": ["commune_officer"]}}},
                      unit_kind="percent"),
    }
    year = periods.parse(str(today.year))
    report("indicators from activities, province, a year", timed(
        lambda: compute(specs, year, province.path), 10))
    print(f"activities held: {Activity.objects.count():,}")
    return 0

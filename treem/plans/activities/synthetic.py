"""Synthetic activities for benchmarks: a year of activities in every commune of a province,
written in bulk (not through the services: millions of checks would time the checks, not the
pages). Every row satisfies the services' rules (counts within totals, ages adding up,
consultations from 7, forums' report due 15 days after). Never used in production."""

import datetime
import random
from typing import Any

from treem.geo.models import Level, Unit
from treem.lib.text import fold
from treem.plans.activities.models import (
    Activity,
    ActivityBudget,
    ActivityKind,
    ActivityStatus,
    ActivityType,
    Attendee,
    ForumLevel,
    FundingSource,
    Recommendation,
)
from treem.plans.models import Agency, Task

# A commune's year: (type code, how many).
YEAR = [("communication", 8), ("play-culture-sport", 4), ("board-meeting", 4),
        ("children-forum", 1), ("consultation", 2), ("training", 2), ("support-delivery", 3),
        ("action-month", 1), ("other", 1)]


def _counts(rng: random.Random, kind: str) -> dict[str, int]:
    children = rng.randint(15, 120)
    girls = rng.randint(0, children)
    young = 0 if kind == ActivityKind.CONSULTATION else rng.randint(0, children // 3)
    middle = rng.randint(0, children - young)
    adults = rng.randint(2, 40)
    return {"adults": adults, "adult_women": rng.randint(0, adults), "children": children,
            "girls": girls, "children_0_6": young, "children_7_10": middle,
            "children_11_15": children - young - middle,
            "children_minority": rng.randint(0, children),
            "children_special": rng.randint(0, children // 10)}


def generate(*, province: Unit, year: int, by: Any, tasks: list[Task], agencies: list[Agency],
             rng: random.Random, scale: int = 1) -> int:
    """`scale` commune-years of activities (`YEAR`) in each current commune of `province`,
    half of them under one of `tasks`; recommendations of forums given to `agencies`; a few
    trainees a training. Returns the number of activities."""
    types = {t.code: t for t in ActivityType.objects.all()}
    communes = list(Unit.objects.current().filter(level=Level.COMMUNE,
                                                  path__startswith=province.path))
    rows: list[Activity] = []
    last = min(datetime.date(year, 12, 31), datetime.date.today())
    span = (last - datetime.date(year, 1, 1)).days
    for commune in communes:
        for _round in range(scale):
            for code, many in YEAR:
                kind_type = types[code]
                for _n in range(many):
                    day = datetime.date(year, 1, 1) + datetime.timedelta(rng.randint(0, span))
                    counts = _counts(rng, kind_type.kind)
                    forum = kind_type.kind == ActivityKind.FORUM
                    rows.append(Activity(
                        type=kind_type, unit=commune, unit_path=commune.path,
                        task=rng.choice(tasks) if tasks and rng.random() < 0.5 else None,
                        title=f"{kind_type.name} — {commune.name}",
                        title_folded=fold(f"{kind_type.name} — {commune.name}"), start_date=day,
                        end_date=day, status=ActivityStatus.HELD, created_by=by,
                        forum_level=ForumLevel.COMMUNE if forum else "",
                        report_due_on=day + datetime.timedelta(days=15) if forum else None,
                        reported_on=(day + datetime.timedelta(days=rng.randint(5, 25))
                                     if forum and rng.random() < 0.7 else None),
                        subject="Dự thảo kế hoạch" if kind_type.kind == ActivityKind.CONSULTATION
                        else "", **counts))
    Activity.objects.bulk_create(rows, batch_size=2000)
    saved = list(Activity.objects.filter(unit_path__startswith=province.path,
                                         start_date__year=year).select_related("type"))
    budgets: list[ActivityBudget] = []
    recommendations: list[Recommendation] = []
    trainees: list[Attendee] = []
    for activity in saved:
        source = rng.choice(FundingSource.values)
        planned = rng.randint(1, 50) * 500_000
        budgets.append(ActivityBudget(activity=activity, source=source, planned=planned,
                                      spent=rng.randint(0, planned // 1000) * 1000))
        if activity.type.kind == ActivityKind.FORUM and agencies:
            recommendations.extend(Recommendation(
                activity=activity, position=n, text=f"Kiến nghị số {n} của trẻ em",
                agency=rng.choice(agencies)) for n in (1, 2))
        if activity.type.kind == ActivityKind.TRAINING:
            trainees.extend(Attendee(activity=activity, name=f"Học viên {n}")
                            for n in range(1, 4))
    ActivityBudget.objects.bulk_create(budgets, batch_size=2000)
    Recommendation.objects.bulk_create(recommendations, batch_size=2000)
    Attendee.objects.bulk_create(trainees, batch_size=2000)
    return len(rows)

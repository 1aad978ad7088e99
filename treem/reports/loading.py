"""The report schedules shipped as data (`data/schedules.json`), loaded after the indicator
sets they name. Idempotent: a schedule's due dates and sets are updated in place."""

import json
from pathlib import Path

from treem.indicators.models import IndicatorSet
from treem.reports.models import Schedule

DATA = Path(__file__).resolve().parent / "data" / "schedules.json"


def load_schedules(path: Path = DATA) -> list[Schedule]:
    loaded = []
    for row in json.loads(path.read_text(encoding="utf-8"))["schedules"]:
        schedule, _created = Schedule.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "period_kind": row["period_kind"],
                                        "due": row["due"], "source": row.get("source", ""),
                                        "window": row.get("window", "calendar")})
        schedule.indicator_sets.set(IndicatorSet.objects.filter(code__in=row.get("sets", [])))
        loaded.append(schedule)
    return loaded

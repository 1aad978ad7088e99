"""The report schedules shipped as data (`data/schedules.json`), loaded after the indicator
sets they name. Idempotent: a schedule's due dates, sets and owner are updated in place."""

import json
from pathlib import Path

from django.db import transaction

from treem.indicators.catalogue import owner_of
from treem.indicators.models import IndicatorSet
from treem.reports.models import Schedule
from treem.reports.services import check_due

DATA = Path(__file__).resolve().parent / "data" / "schedules.json"


@transaction.atomic
def load_schedules(path: Path = DATA, *, national_only: bool = False) -> list[Schedule]:
    """Every schedule (a plan's needs its unit loaded: CatalogueError otherwise), or the
    national ones only; a due date that is not a "MM-DD" day refuses the file."""
    loaded = []
    rows = json.loads(path.read_text(encoding="utf-8"))["schedules"]
    for row in rows:
        check_due(row["code"], row["due"])
    for row in rows:
        if national_only and row.get("owner"):
            continue
        owner = owner_of(row)  # a plan's unit, or none for a national schedule
        schedule, _created = Schedule.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "period_kind": row["period_kind"],
                                        "due": row["due"], "source": row.get("source", ""),
                                        "window": row.get("window", "calendar"),
                                        "owner": owner,
                                        "first_year": row.get("first_year"),
                                        "last_year": row.get("last_year"),
                                        "owner_path": owner.path if owner else ""})
        schedule.indicator_sets.set(IndicatorSet.objects.filter(code__in=row.get("sets", [])))
        loaded.append(schedule)
    return loaded

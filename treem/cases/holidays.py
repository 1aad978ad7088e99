"""The days off and the Saturdays worked, loaded from `data/holidays.json` (sources there).

Only entries marked verified are loaded: a day off announced by the Government is data an
administrator adds when it is announced, never a guess (2027 is not announced yet)."""

import datetime
import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "holidays.json"


def verified_days(path: Path = DATA) -> list[tuple[datetime.date, str, str, str]]:
    """(day, kind, name, source) of every verified entry."""
    data = json.loads(path.read_text(encoding="utf-8"))
    found = []
    for key, kind in (("years", "holiday"), ("working_saturdays", "working")):
        for entries in data[key].values():
            for entry in entries:
                if entry.get("verified"):
                    found.append((datetime.date.fromisoformat(entry["date"]), kind,
                                  entry["name"][:120], entry.get("source", "")[:300]))
    return found


def load_calendar(model: Any, path: Path = DATA) -> int:
    """Add the verified days missing from the table `model` (CalendarDay or its historical
    version); days already there, perhaps edited by an administrator, are left alone."""
    existing = set(model.objects.values_list("day", flat=True))
    rows = [model(day=day, kind=kind, name=name, source=source)
            for day, kind, name, source in verified_days(path) if day not in existing]
    model.objects.bulk_create(rows)
    return len(rows)

"""The activity types and training topics kept as data (`treem/plans/data/activity_types.json`):
loaded by the migration that made their tables, and again by `load_activity_types` when the
list changes (a province's new type), without a release."""

import json
from pathlib import Path
from typing import Any

from treem.plans.activities.models import ActivityType, Topic

DATA = Path(__file__).resolve().parent.parent / "data" / "activity_types.json"


def load_types(*, path: Path = DATA, type_model: Any = ActivityType,
               topic_model: Any = Topic) -> tuple[int, int]:
    """Upsert the types and topics of `path` by code (a migration passes its historical
    models); a type or topic missing from the file is kept (activities name it). Returns the
    numbers of types and topics in the file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    for position, row in enumerate(data["types"]):
        type_model.objects.update_or_create(code=row["code"], defaults={
            "name": row["name"], "kind": row["kind"], "position": position,
            "active": row.get("active", True)})
    for position, row in enumerate(data["topics"]):
        topic_model.objects.update_or_create(code=row["code"], defaults={
            "name": row["name"], "position": position})
    return len(data["types"]), len(data["topics"])

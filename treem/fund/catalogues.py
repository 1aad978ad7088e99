"""The kinds of need kept as data (`treem/fund/data/need_kinds.json`): loaded by the migration
that made their table, and again by `load_need_kinds` when a province adds one, without a
release."""

import json
from pathlib import Path
from typing import Any

from treem.fund.models import NeedKind

DATA = Path(__file__).resolve().parent / "data" / "need_kinds.json"


def load_need_kinds(*, path: Path = DATA, model: Any = NeedKind) -> int:
    """Upsert the kinds of `path` by code (a migration passes its historical model); a kind
    missing from the file is kept (needs name it). Returns the number of kinds in the file."""
    kinds = json.loads(path.read_text(encoding="utf-8"))["kinds"]
    for position, row in enumerate(kinds):
        model.objects.update_or_create(code=row["code"], defaults={
            "label": row["label"], "support_kind": row["support_kind"],
            "for_child": row["for_child"], "position": position,
            "active": row.get("active", True)})
    return len(kinds)

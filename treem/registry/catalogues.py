"""Loads the register's catalogues (ethnic groups, special-circumstance groups) from data/.

The files carry their legal basis and sources (data/README.md). Loading is an upsert by code:
names may be corrected by a new release, codes never change meaning, and nothing is deleted
(a group no longer in the file is marked inactive, since children's history points at it).
"""

import json
from importlib import resources
from typing import Any

from django.db import transaction

from treem.lib.text import fold
from treem.registry.models import CircumstanceGroup, Ethnicity


def _read(name: str) -> Any:
    return json.loads((resources.files("treem.registry") / "data" / name).read_text("utf-8"))


@transaction.atomic
def load_catalogues(*, ethnicity_model: Any = Ethnicity,
                    group_model: Any = CircumstanceGroup) -> dict[str, int]:
    """Upsert both catalogues. A migration passes its historical models, so that this keeps
    working when the models grow fields the migration's schema does not have yet."""
    ethnicities = _read("ethnicities.json")["items"]
    for item in ethnicities:
        ethnicity_model.objects.update_or_create(code=item["code"], defaults={
            "name": item["name"], "name_folded": fold(item["name"]),
            "aliases": ",".join(fold(alias) for alias in
                                [*item.get("aliases", []), *item.get("spelling_variants", [])]),
        })
    seen: set[str] = set()
    order = 0
    for group in _read("special_circumstances.json"):
        order += 1
        parent, _ = group_model.objects.update_or_create(code=group["code"], defaults={
            "parent": None, "name": group["name"], "name_en": group.get("name_en", ""),
            "article": group.get("article", ""), "sort_order": order, "active": True,
        })
        seen.add(parent.code)
        for sub in group.get("subgroups", []):
            order += 1
            group_model.objects.update_or_create(code=sub["code"], defaults={
                "parent": parent, "name": sub["name"], "name_en": sub.get("name_en", ""),
                "article": sub.get("article", ""), "sort_order": order, "active": True,
            })
            seen.add(sub["code"])
    group_model.objects.exclude(code__in=seen).update(active=False)
    return {"ethnicities": len(ethnicities), "circumstance_groups": len(seen)}

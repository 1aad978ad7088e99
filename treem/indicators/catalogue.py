"""Loading indicator sets shipped as data (`treem/indicators/data/*.json`) and reading the
current definitions.

A file holds one set: {"set": {code, name, source}, "indicators": [{code, group, name,
name_en, unit_kind, source, agency, period_kind, direction, numerator, denominator, spec,
disaggregations, entry_levels, verified, reference, targets: [{year, kind, value, direction,
wording}]}]}; a target's `wording` is the plan's own words ("xuống dưới 8%"), whose direction
and figure it must agree with.
Loading is idempotent: an indicator whose definition changed gets a new version, the old one stays for
the reports built with it; targets of a plan's own set go to the set's owner unit.
"""

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import F, OuterRef, QuerySet, Subquery

from treem.geo.models import Unit
from treem.indicators import comparisons
from treem.indicators.models import Indicator, IndicatorSet, IndicatorVersion, Source, Target
from treem.indicators.spec import parse

DATA = Path(__file__).resolve().parent / "data"
DEFINITION = ("name", "name_en", "unit_kind", "source", "agency", "period_kind", "direction",
              "numerator", "denominator", "spec", "disaggregations", "entry_levels", "verified",
              "reference")


# The levels whose own figures may be entered: villages report through their commune.
ENTRY_LEVELS = ("province", "district", "commune")


class CatalogueError(ValueError):
    pass


DEFAULTS: dict[str, Any] = {"name_en": "", "agency": "", "period_kind": "half",
                            "direction": "at_least", "numerator": "", "denominator": "",
                            "spec": {}, "disaggregations": [], "entry_levels": ["commune"],
                            "verified": False,
                            "reference": ""}


def _definition(row: dict[str, Any]) -> dict[str, Any]:
    missing = [field for field in ("name", "unit_kind", "source") if not row.get(field)]
    if missing:
        raise CatalogueError(f"{row.get('code')}: missing {', '.join(missing)}")
    found = {field: row.get(field, DEFAULTS.get(field)) for field in DEFINITION}
    levels = found["entry_levels"]
    if (not isinstance(levels, list) or not levels
            or any(level not in ENTRY_LEVELS for level in levels)):
        raise CatalogueError(f"{row.get('code')}: entry_levels must be a non-empty list of "
                             f"{', '.join(ENTRY_LEVELS)}")
    if found["source"] == Source.COMPUTED:
        # Refuse a file whose definition would not compile, before anything is written.
        try:
            parse(found["spec"], unit_kind=str(found["unit_kind"]),
                  breakdowns=found["disaggregations"])
        except ValueError as error:
            raise CatalogueError(f"{row.get('code')}: {error}") from error
    return found


def owner_of(head: dict[str, Any]) -> Any:
    """The unit a plan's set belongs to (a district of before July 2025, a province…), or
    None for a national set; CatalogueError when the unit is not loaded."""
    wanted = head.get("owner")
    if not wanted:
        return None
    # Today's unit when the code lives on (a province kept its code through the merger),
    # else the latest of its time; NULLs placed alike on every database.
    unit = (Unit.objects.filter(level=wanted["level"], code=wanted["code"],
                                province_code=wanted.get("province_code", ""))
            .order_by(F("valid_to").desc(nulls_first=True)).first())
    if unit is None:
        raise CatalogueError(f"{head['code']}: owner unit {wanted} is not loaded "
                             "(load the administrative units first)")
    return unit


@transaction.atomic
def load_set(data: dict[str, Any], *, owner: Any = None) -> IndicatorSet:
    head = data["set"]
    owner = owner or owner_of(head)
    indicator_set, _created = IndicatorSet.objects.get_or_create(
        code=head["code"], defaults={"name": head["name"], "source": head.get("source", ""),
                                     "owner": owner, "owner_path": owner.path if owner else ""})
    for order, row in enumerate(data["indicators"], start=1):
        definition = _definition(row)
        indicator, _created = Indicator.objects.get_or_create(
            indicator_set=indicator_set, code=row["code"],
            defaults={"group": row.get("group", ""), "sort_order": order})
        latest = indicator.versions.order_by("-number").first()
        if latest is None or any(getattr(latest, k) != v for k, v in definition.items()):
            IndicatorVersion.objects.create(indicator=indicator,
                                            number=(latest.number + 1) if latest else 1,
                                            **definition)
        for target in row.get("targets", []):
            direction = _target_direction(row["code"], target, definition["direction"])
            if owner is None:
                continue  # a national set has no unit to aim for
            Target.objects.update_or_create(
                indicator=indicator, unit=owner, year=target["year"],
                kind=target.get("kind", Target.Kind.TARGET),
                defaults={"value": Decimal(str(target["value"])), "direction": direction})
    return indicator_set


def _target_direction(code: str, target: dict[str, Any], default: str) -> str:
    """The target's direction: what its plan's words say ("dưới 8%" is strictly below,
    `treem.indicators.comparisons`), else the indicator's; CatalogueError when the file's
    direction or value contradicts the words."""
    direction = target.get("direction", default)
    wording = target.get("wording")
    if not wording:
        return direction
    said, number = comparisons.parse_goal(wording)
    if number != Decimal(str(target["value"])):
        raise CatalogueError(f"{code} {target['year']}: value {target['value']} is not the "
                             f"figure of “{wording}”")
    if direction != (said or default):
        raise CatalogueError(f"{code} {target['year']}: “{wording}” means {said or default}, "
                             f"not {direction}")
    return direction


def load_file(path: Path, *, owner: Any = None) -> IndicatorSet:
    return load_set(json.loads(path.read_text(encoding="utf-8")), owner=owner)


def current_versions(sets: QuerySet[IndicatorSet] | None = None) -> QuerySet[IndicatorVersion]:
    """The latest version of every active indicator (of `sets`, or of all)."""
    newest = (IndicatorVersion.objects.filter(indicator=OuterRef("indicator"))
              .order_by("-number").values("number")[:1])
    versions = (IndicatorVersion.objects.filter(indicator__active=True, number=Subquery(newest))
                .select_related("indicator", "indicator__indicator_set")
                .order_by("indicator__indicator_set__code", "indicator__sort_order"))
    if sets is not None:
        versions = versions.filter(indicator__indicator_set__in=sets)
    return versions


def national_files() -> list[Path]:
    return [path for path in sorted(DATA.glob("*.json"))
            if not json.loads(path.read_text(encoding="utf-8"))["set"].get("owner")]


def load_all() -> list[IndicatorSet]:
    """Every shipped set; the plans' sets need their owner units loaded."""
    return [load_file(path) for path in sorted(DATA.glob("*.json"))]

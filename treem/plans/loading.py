"""The plans the project ships (`data/seeds/*.json`: the five local plans treem was built from,
with every task as the plan assigns it), loaded through the services. Loading again changes
nothing: a plan is known by its code (the file's name), an agency by its unit and name, a task
by its plan and section."""

import datetime
import json
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from treem.geo.models import Unit
from treem.indicators.models import IndicatorSet
from treem.plans import services
from treem.plans.models import Agency, Plan, PlanReference, PlanStatus, Task

SEEDS = Path(__file__).resolve().parent / "data" / "seeds"


class PlanFileError(ValueError):
    pass


def _unit(wanted: dict[str, Any]) -> Unit:
    """The issuing unit: today's when its code lives on, else the latest of its time (a
    district dissolved on 30 June 2025 issued its plans before)."""
    unit = (Unit.objects.filter(level=wanted["level"], code=wanted["code"],
                                province_code=wanted.get("province_code", ""))
            .order_by(F("valid_to").desc(nulls_first=True)).first())
    if unit is None:
        raise PlanFileError(f"unit {wanted} is not loaded (load the administrative units first)")
    return unit


def _day(text: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


@transaction.atomic
def load_plan(data: dict[str, Any], *, code: str) -> Plan:
    head = data["plan"]
    unit = _unit(head["issuer"])
    plan = Plan.objects.filter(code=code).first()
    if plan is None:
        plan = services.plan_create(
            actor=None, unit=unit, code=code, title=head["title"],
            issuer_name=head.get("issuer_name", ""), number=head.get("number", ""),
            issued_on=_day(head.get("issued_on")), legal_basis=head.get("legal_basis", ""),
            start_year=head["start_year"], end_year=head["end_year"],
            # A plan whose years are over has ended: its tasks are history, not work waiting.
            status=PlanStatus.ENDED if head["end_year"] < timezone.localdate().year
            else PlanStatus.IN_FORCE,
            indicator_set=IndicatorSet.objects.filter(code=code).first())
        for position, reference in enumerate(head.get("references", []), start=1):
            PlanReference.objects.create(
                plan=plan, position=position, number=(reference.get("number") or "")[:60],
                issued_on=_day(reference.get("issued_on")),
                issuer=(reference.get("issuer") or "")[:200],
                title=(reference.get("title") or "")[:500])
    agencies: dict[str, Agency] = {}
    for row in data["agencies"]:
        agency = Agency.objects.filter(unit=unit, name=row["name"]).first()
        if agency is None:
            agency = services.agency_create(actor=None, unit=unit, name=row["name"],
                                            short_name=row.get("short", ""), kind=row["kind"])
        agencies[row["key"]] = agency
    known = set(Task.objects.filter(plan=plan).values_list("section", flat=True))
    for row in data["tasks"]:
        if row["section"] in known:
            continue
        timing = row.get("time_frame") or {}
        try:
            services.task_create(
                actor=None, plan=plan, section=row["section"], heading=row.get("heading", ""),
                text=row["text"], lead=agencies[row["lead"]],
                cooperating=[agencies[key] for key in row.get("cooperating", [])],
                time_frame=timing.get("kind", "unspecified"), year=timing.get("year"),
                quarter=timing.get("quarter"), month=timing.get("month"),
                start_date=_day(timing.get("start")), end_date=_day(timing.get("end")),
                time_text=timing.get("text", ""),
                report_to=agencies[row["report_to"]] if row.get("report_to") else None,
                report_due_text=row.get("report_due", ""),
                expected_output=row.get("expected_output", ""))
        except Exception as error:
            raise PlanFileError(f"{code} {row['section']}: {error}") from error
    return plan


def load_file(path: Path) -> Plan:
    return load_plan(json.loads(path.read_text(encoding="utf-8")), code=path.stem)


def load_seeds() -> list[Plan]:
    return [load_file(path) for path in sorted(SEEDS.glob("*.json"))]

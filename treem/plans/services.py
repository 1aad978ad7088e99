"""The writes of a unit's plans, their tasks and the agencies that carry them out (with the
focal points who report for an agency): one function a change, keyword-only arguments, one
transaction, a ValidationError naming the field (in Vietnamese) on bad input, nothing written
then. Scope: a unit's plans and agencies are kept by who may manage plans over that unit.
Beside them, as their sub-domains: the progress reports of tasks and their evidence
(`plans.progress_services`), a plan's documents (`plans.attachment_services`) and its
implementation report (`plans.implementation_services`)."""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from treem.accounts.capabilities import Capability
from treem.accounts.models import User
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.edits import conflicts
from treem.geo.models import Unit
from treem.geo.paths import ancestor_paths
from treem.indicators import periods
from treem.plans import exceptions as exc
from treem.plans import texts as free_text
from treem.plans.models import (
    Agency,
    AgencyKind,
    FocalPoint,
    Plan,
    PlanStatus,
    Task,
    TaskProgress,
    TimeFrame,
)

YEAR_MIN, YEAR_MAX = 2000, 2100
LIMITS = {"name": 200, "short_name": 60, "issuer_name": 200, "number": 60, "title": 500,
          "legal_basis": 20_000, "section": 30, "heading": 2_000, "text": 10_000,
          "time_text": 200, "report_due_text": 200, "expected_output": 5_000,
          "done_text": 10_000, "difficulties": 5_000}


def _require_manager(actor: User, unit: Unit) -> None:
    if not actor.in_scope(unit.path, capability=Capability.MANAGE_PLANS):
        raise PermissionDenied(exc.UNIT_OUT_OF_SCOPE)


def _texts(values: dict[str, Any]) -> dict[str, str]:
    return free_text.clean(values, LIMITS, exc.TOO_LONG)


@transaction.atomic
def agency_create(*, actor: User | None, unit: Unit, name: str, kind: str,
                  short_name: str = "") -> Agency:
    if actor is not None:
        _require_manager(actor, unit)
    texts = _texts({"name": name, "short_name": short_name})
    if not texts["name"]:
        raise ValidationError({"name": exc.AGENCY_NAME_REQUIRED})
    if kind not in AgencyKind.values:
        raise ValidationError({"kind": exc.CHOICE_UNKNOWN})
    if Agency.objects.filter(unit=unit, name=texts["name"]).exists():
        raise ValidationError({"name": exc.AGENCY_NAME_TAKEN % {"name": texts["name"]}})
    agency = Agency.objects.create(unit=unit, unit_path=unit.path, kind=kind, **texts)
    if actor is not None:
        event_record(actor=actor, action=Action.CREATE, obj=agency, unit=unit,
                     fields=["name", "short_name", "kind"])
    return agency


@transaction.atomic
def focal_point_add(*, actor: User, agency: Agency, user: User) -> FocalPoint:
    """Make `user` (a sector focal point or plan officer over the agency's unit) report for
    `agency`."""
    _require_manager(actor, agency.unit)
    if not (user.in_scope(agency.unit_path, capability=Capability.REPORT_TASK_PROGRESS)
            or user.in_scope(agency.unit_path, capability=Capability.MANAGE_PLANS)):
        raise ValidationError({"user": exc.FOCAL_NOT_IN_SCOPE})
    if FocalPoint.objects.filter(agency=agency, user=user, revoked_at__isnull=True).exists():
        raise ValidationError({"user": exc.FOCAL_ALREADY})
    focal = FocalPoint.objects.create(agency=agency, user=user)
    event_record(actor=actor, action=Action.CREATE, obj=agency, unit=agency.unit,
                 fields=["focal_points"], reason=f"+{user.get_username()}")
    return focal


@transaction.atomic
def focal_point_remove(*, actor: User, focal: FocalPoint) -> None:
    _require_manager(actor, focal.agency.unit)
    if focal.revoked_at is None:
        focal.revoked_at = timezone.now()
        focal.save(update_fields=["revoked_at"])
        event_record(actor=actor, action=Action.UPDATE, obj=focal.agency,
                     unit=focal.agency.unit, fields=["focal_points"],
                     reason=f"-{focal.user.get_username()}")


def _check_years(start_year: int, end_year: int) -> None:
    if not (YEAR_MIN <= start_year <= YEAR_MAX and YEAR_MIN <= end_year <= YEAR_MAX):
        raise ValidationError({"start_year": exc.YEARS_RANGE})
    if end_year < start_year:
        raise ValidationError({"end_year": exc.YEARS_ORDER})


@transaction.atomic
def plan_create(*, actor: User | None, unit: Unit, title: str, start_year: int, end_year: int,
                issuer_name: str = "", number: str = "",
                issued_on: datetime.date | None = None, legal_basis: str = "",
                status: str = PlanStatus.IN_FORCE, implements: Plan | None = None,
                code: str | None = None, indicator_set: Any = None) -> Plan:
    """A plan of `unit`. `actor` None: loaded from the project's data (`loading`), the unit
    may be one dissolved in 2025 (the plan was issued before)."""
    if actor is not None:
        _require_manager(actor, unit)
        if not unit.is_current:
            raise ValidationError({"unit": exc.UNIT_NOT_CURRENT})
    texts = _texts({"title": title, "issuer_name": issuer_name or f"Ủy ban nhân dân {unit.name}",
                    "number": number, "legal_basis": legal_basis})
    if not texts["title"]:
        raise ValidationError({"title": exc.TITLE_REQUIRED})
    _check_years(start_year, end_year)
    if issued_on is not None and issued_on.year > end_year:
        raise ValidationError({"issued_on": exc.ISSUED_OUTSIDE % {"year": end_year}})
    if status not in PlanStatus.values:
        raise ValidationError({"status": exc.CHOICE_UNKNOWN})
    if implements is not None and implements.unit_path not in ancestor_paths(unit.path):
        raise ValidationError({"implements": exc.IMPLEMENTS_NOT_HIGHER})
    plan = Plan.objects.create(unit=unit, unit_path=unit.path, start_year=start_year,
                               end_year=end_year, issued_on=issued_on, status=status,
                               implements=implements, code=code, indicator_set=indicator_set,
                               created_by=actor, **texts)
    if actor is not None:
        event_record(actor=actor, action=Action.CREATE, obj=plan, unit=unit,
                     fields=sorted([*texts, "start_year", "end_year", "status"]))
    return plan


def _check_time(plan: Plan, values: dict[str, Any]) -> None:
    kind = values["time_frame"]
    year, quarter, month = values.get("year"), values.get("quarter"), values.get("month")
    start, end = values.get("start_date"), values.get("end_date")
    if kind not in TimeFrame.values:
        raise ValidationError({"time_frame": exc.CHOICE_UNKNOWN})
    if kind in (TimeFrame.YEAR, TimeFrame.QUARTER, TimeFrame.MONTH) and year is None:
        raise ValidationError({"year": exc.TIME_FRAME_YEAR})
    if kind == TimeFrame.QUARTER and quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": exc.TIME_FRAME_QUARTER})
    if kind == TimeFrame.MONTH and month not in range(1, 13):
        raise ValidationError({"month": exc.TIME_FRAME_MONTH})
    if kind == TimeFrame.DATES and end is None:
        raise ValidationError({"end_date": exc.TIME_FRAME_DATES})
    years = {"start": plan.start_year, "end": plan.end_year}
    if year is not None and not plan.start_year <= year <= plan.end_year:
        raise ValidationError({"year": exc.YEAR_OUTSIDE_PLAN % {"year": year, **years}})
    for name, day in (("start_date", start), ("end_date", end)):
        if day is not None and not plan.start_year <= day.year <= plan.end_year:
            raise ValidationError({name: exc.DATE_OUTSIDE_PLAN % {
                "day": day.strftime("%d/%m/%Y"), **years}})
    if start is not None and end is not None and start > end:
        raise ValidationError({"start_date": exc.DATES_ORDER})


def _plan_agencies_q(plan: Plan) -> Any:
    """Agencies a plan may assign: those of its unit and of the units under it."""
    return Agency.objects.within(plan.unit)


TASK_TEXTS = ("section", "text", "time_text", "report_due_text", "expected_output", "heading")
TIMING = ("time_frame", "year", "quarter", "month", "start_date", "end_date")
# The fields of a task an edit may change (`task_update`), in the order of its form.
TASK_FIELDS = ("section", "heading", "text", "lead", "cooperating", *TIMING, "time_text",
               "report_to", "report_due_text", "expected_output")


def _clean_task(plan: Plan, values: dict[str, Any], *, task: Task | None = None
                ) -> dict[str, Any]:
    """Every field of a task (`TASK_FIELDS`) normalised and checked together, as a new task
    (`task` None) or as `task` will be once edited."""
    texts = _texts({name: values[name] for name in TASK_TEXTS})
    if not texts["section"]:
        raise ValidationError({"section": exc.SECTION_REQUIRED})
    if not texts["text"]:
        raise ValidationError({"text": exc.TEXT_REQUIRED})
    lead, report_to = values["lead"], values["report_to"]
    if lead is None:
        raise ValidationError({"lead": exc.LEAD_REQUIRED})
    allowed = _plan_agencies_q(plan)
    cooperating = list(dict.fromkeys(values["cooperating"]))
    others = [agency for agency in (lead, *cooperating, report_to) if agency is not None]
    if allowed.filter(pk__in=[a.pk for a in others]).count() != len({a.pk for a in others}):
        raise ValidationError({"lead": exc.LEAD_NOT_OF_PLAN})
    if lead in cooperating:
        raise ValidationError({"cooperating": exc.COOPERATING_IS_LEAD})
    taken = Task.objects.filter(plan=plan, section=texts["section"])
    if task is not None:
        taken = taken.exclude(pk=task.pk)
    if taken.exists():
        raise ValidationError({"section": exc.SECTION_TAKEN % {"section": texts["section"]}})
    timing = {name: values[name] for name in TIMING}
    _check_time(plan, timing)
    return {**texts, **timing, "lead": lead, "cooperating": cooperating, "report_to": report_to}


@transaction.atomic
def task_create(*, actor: User | None, plan: Plan, section: str, text: str,
                lead: Agency | None, cooperating: Iterable[Agency] = (),
                time_frame: str = TimeFrame.UNSPECIFIED, year: int | None = None,
                quarter: int | None = None, month: int | None = None,
                start_date: datetime.date | None = None, end_date: datetime.date | None = None,
                time_text: str = "", report_to: Agency | None = None,
                report_due_text: str = "", expected_output: str = "", heading: str = "",
                indicators: Iterable[Any] = ()) -> Task:
    if actor is not None:
        _require_manager(actor, plan.unit)
    # The plan locked first: two tasks added at once neither take the same section nor the
    # same position (the second waits, then sees the first).
    Plan.objects.select_for_update().filter(pk=plan.pk).values_list("pk", flat=True).get()
    values = _clean_task(plan, {
        "section": section, "text": text, "lead": lead, "cooperating": cooperating,
        "time_frame": time_frame, "year": year, "quarter": quarter, "month": month,
        "start_date": start_date, "end_date": end_date, "time_text": time_text,
        "report_to": report_to, "report_due_text": report_due_text,
        "expected_output": expected_output, "heading": heading})
    partners = values.pop("cooperating")
    position = (Task.objects.filter(plan=plan).order_by("-position")
                .values_list("position", flat=True).first() or 0) + 1
    task = Task.objects.create(plan=plan, position=position, **values)
    # A new task has no links yet: written at once, not compared first (`set`).
    Task.cooperating.through.objects.bulk_create(
        [Task.cooperating.through(task=task, agency=agency) for agency in partners])
    Task.indicators.through.objects.bulk_create(
        [Task.indicators.through(task=task, indicator=indicator)
         for indicator in dict.fromkeys(indicators)])
    if actor is not None:
        event_record(actor=actor, action=Action.CREATE, obj=task, unit=plan.unit,
                     fields=sorted([*TASK_TEXTS, "lead", "cooperating", *TIMING]))
    return task


@transaction.atomic
def plan_set_status(*, actor: User, plan: Plan, status: str,
                    replaced_by: Plan | None = None) -> Plan:
    """A plan put in force, ended, or replaced by another plan of the same unit or above (its
    tasks then wait for nobody: `selectors.tasks_of_agencies`)."""
    _require_manager(actor, plan.unit)
    if status not in PlanStatus.values:
        raise ValidationError({"status": exc.CHOICE_UNKNOWN})
    if status == PlanStatus.REPLACED:
        if replaced_by is None or replaced_by.pk == plan.pk:
            raise ValidationError({"replaced_by": exc.REPLACEMENT_REQUIRED})
        if replaced_by.unit_path not in ancestor_paths(plan.unit_path) and \
                replaced_by.unit_path != plan.unit_path:
            raise ValidationError({"replaced_by": exc.REPLACEMENT_NOT_OURS})
    else:
        replaced_by = None
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    changed = [name for name, value in (("status", status), ("replaced_by_id", getattr(
        replaced_by, "pk", None))) if getattr(plan, name) != value]
    if not changed:
        return plan
    plan.status, plan.replaced_by = status, replaced_by
    plan.save(update_fields=["status", "replaced_by", "updated_at"])
    event_record(actor=actor, action=Action.UPDATE, obj=plan, unit=plan.unit,
                 fields=[name.removesuffix("_id") for name in changed])
    return plan


# --- Editing a plan or a task once made (`treem.edits.conflicts`) ------------------------------

PLAN_TEXTS = ("title", "issuer_name", "number", "legal_basis")
# The fields of a plan an edit may change (its status has `plan_set_status`).
PLAN_FIELDS = ("title", "number", "issued_on", "issuer_name", "start_year", "end_year",
               "implements", "legal_basis")


def _check_years_hold(plan: Plan, start_year: int, end_year: int) -> None:
    """A plan's years may not leave out a year its tasks or progress reports already have."""
    errors: dict[str, Any] = {}
    years = {"start": start_year, "end": end_year}
    for name, outside in (
            ("start_year", Q(year__lt=start_year) | Q(start_date__year__lt=start_year)
             | Q(end_date__year__lt=start_year)),
            ("end_year", Q(year__gt=end_year) | Q(start_date__year__gt=end_year)
             | Q(end_date__year__gt=end_year))):
        sections = list(Task.objects.filter(outside, plan=plan).order_by("position")
                        .values_list("section", flat=True)[:10])
        if sections:
            errors[name] = exc.YEARS_EXCLUDE_TASKS % {"sections": ", ".join(sections), **years}
    if errors:
        raise ValidationError(errors)
    # Periods are codes that begin with their year ("2026", "2026S1", "2026Q3").
    report = (TaskProgress.objects.filter(task__plan=plan)
              .filter(Q(period__lt=str(start_year)) | Q(period__gte=str(end_year + 1)))
              .order_by("period").first())
    if report is not None:
        name = "start_year" if report.period < str(start_year) else "end_year"
        raise ValidationError({name: exc.YEARS_EXCLUDE_REPORTS % {
            "period": periods.parse(report.period).label, **years}})


@transaction.atomic
def plan_update(*, actor: User, plan: Plan, base_version: int | None,
                base: Mapping[str, Any] | None = None, **changes: Any) -> Plan:
    """Change fields of a plan (`PLAN_FIELDS`) as an edit read at `base_version` with the
    values `base`: a field someone else changed since is refused with both values
    (`EditConflict`, nothing written), other fields merge. The same rules as a new plan, and
    its years may not shrink to leave out a task's or a report's year. `base_version` None
    writes whatever the version (an API client's `If-Match: *`)."""
    unknown = set(changes) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"not a field of a plan: {sorted(unknown)}")
    _require_manager(actor, plan.unit)
    plan = conflicts.locked(plan)
    conflicts.check(plan, version=plan.version, base_version=base_version, changes=changes,
                    base=base)
    values = {name: getattr(plan, name) for name in PLAN_FIELDS} | changes
    texts = _texts({name: values[name] for name in PLAN_TEXTS})
    if not texts["title"]:
        raise ValidationError({"title": exc.TITLE_REQUIRED})
    texts["issuer_name"] = texts["issuer_name"] or f"Ủy ban nhân dân {plan.unit.name}"
    start_year, end_year = values["start_year"], values["end_year"]
    _check_years(start_year, end_year)
    issued_on, implements = values["issued_on"], values["implements"]
    if issued_on is not None and issued_on.year > end_year:
        raise ValidationError({"issued_on": exc.ISSUED_OUTSIDE % {"year": end_year}})
    if implements is not None:
        if implements.pk == plan.pk:
            raise ValidationError({"implements": exc.IMPLEMENTS_ITSELF})
        if implements.unit_path not in ancestor_paths(plan.unit_path):
            raise ValidationError({"implements": exc.IMPLEMENTS_NOT_HIGHER})
    _check_years_hold(plan, start_year, end_year)
    new = {**texts, "start_year": start_year, "end_year": end_year, "issued_on": issued_on,
           "implements": implements}
    changed = [name for name in PLAN_FIELDS if not conflicts.same(getattr(plan, name), new[name])]
    if not changed:
        return plan
    for name in changed:
        setattr(plan, name, new[name])
    conflicts.save_new_version(plan, [*changed, "updated_at"])
    event_record(actor=actor, action=Action.UPDATE, obj=plan, unit=plan.unit, fields=changed)
    return plan


def _agency_ids(agencies: Iterable[Agency]) -> list[str]:
    """Co-operating agencies as an edit compares them: by their public ids, in any order."""
    return sorted(str(agency.public_id) for agency in agencies)


def _describe_task(name: str, value: Any) -> tuple[str, str]:
    """(label, text) of a task's field for a conflict: the co-operating agencies by name."""
    if name != "cooperating":
        return conflicts.describe_model(Task)(name, value)
    label = str(Task._meta.get_field("cooperating").verbose_name)
    names = sorted(Agency.objects.filter(public_id__in=value).values_list("name", flat=True))
    return label.capitalize(), "; ".join(names) or str(conflicts.EMPTY)


@transaction.atomic
def task_update(*, actor: User, task: Task, base_version: int | None,
                base: Mapping[str, Any] | None = None, **changes: Any) -> Task:
    """Change fields of a task (`TASK_FIELDS`) as an edit read at `base_version` (see
    `plan_update`): the same rules as a new task (its section unique in the plan, its lead
    and partners of the plan's unit, its time within the plan's years)."""
    unknown = set(changes) - set(TASK_FIELDS)
    if unknown:
        raise TypeError(f"not a field of a task: {sorted(unknown)}")
    _require_manager(actor, task.plan.unit)
    task = conflicts.locked(task)
    plan = Plan.objects.select_related("unit").get(pk=task.plan_id)
    if "cooperating" in changes:
        changes["cooperating"] = list(changes["cooperating"] or ())
    current = {name: getattr(task, name) for name in TASK_FIELDS if name != "cooperating"}
    current["cooperating"] = list(task.cooperating.order_by("pk"))

    def compared(values: Mapping[str, Any]) -> dict[str, Any]:
        return {name: _agency_ids(value) if name == "cooperating" else value
                for name, value in values.items()}

    conflicts.check(task, version=task.version, base_version=base_version,
                    changes=compared(changes), base=compared(base or {}),
                    current=compared({name: current[name] for name in changes}),
                    describe=_describe_task)
    values = _clean_task(plan, current | changes, task=task)
    old, new = compared(current), compared(values)
    changed = [name for name in TASK_FIELDS if not conflicts.same(old[name], new[name])]
    if not changed:
        return task
    plain = [name for name in changed if name != "cooperating"]
    for name in plain:
        setattr(task, name, values[name])
    if "cooperating" in changed:
        task.cooperating.set(values["cooperating"])
    conflicts.save_new_version(task, [*plain, "updated_at"])
    event_record(actor=actor, action=Action.UPDATE, obj=task, unit=plan.unit, fields=changed)
    return task

"""The report's moves: open a draft, write its narrative, submit (the values are frozen then),
return with a comment or approve (the level above), correct an approved report (a new version
with its reason). Each move is one transaction, checked first, audited."""

import datetime
import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from treem.accounts.models import User
from treem.accounts.permissions import Capability
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.edits import conflicts
from treem.geo.models import Unit
from treem.indicators import periods
from treem.indicators.catalogue import current_versions
from treem.indicators.values import indicator_values
from treem.reports import exceptions as exc
from treem.reports.counting import count_case_tables, data_window
from treem.reports.models import Report, ReportEvent, ReportValue, Schedule, Status


def _period_key(period: periods.Period) -> str:
    return "Y" if period.kind == "year" else period.code[-2:]


# [0-9], not \d or int() alone: both also take digits of other scripts ("٠٥-١٥").
_MONTH_DAY = re.compile(r"^([0-9]{2})-([0-9]{2})\Z")


def month_day(text: Any) -> tuple[int, int] | None:
    """(month, day) of a due date written "MM-DD", or None when it is not a day of every year
    (29 February is not: a due date must exist in the years it is used)."""
    found = _MONTH_DAY.match(text) if isinstance(text, str) else None
    if found is None:
        return None
    month, day = int(found[1]), int(found[2])
    try:
        datetime.date(2001, month, day)
    except ValueError:
        return None
    return month, day


def check_due(code: str, due: Any) -> None:
    """ValidationError naming every due date of a schedule that is not a "MM-DD" day."""
    bad = [exc.BAD_DUE_DATE % {"code": code, "day": day, "level": level}
           for level, dates in (due or {}).items() for day in (dates or {}).values()
           if month_day(day) is None]
    if bad:
        raise ValidationError(bad)


def due_on(schedule: Schedule, unit: Unit, period: periods.Period) -> datetime.date:
    """The day the unit's report for the period is due, from the schedule's data."""
    text = (schedule.due.get(unit.level) or {}).get(_period_key(period))
    if not text:
        raise ValidationError(exc.NO_DUE_DATE % {"level": unit.get_level_display()})
    found = month_day(text)
    if found is None:
        raise ValidationError(exc.BAD_DUE_DATE % {"code": schedule.code, "day": text,
                                                  "level": unit.get_level_display()})
    return datetime.date(period.end.year, *found)


def may_write(actor: User, unit: Unit) -> bool:
    """The unit's own officers write its report (an assignment on the unit itself)."""
    return unit.path in actor.scope_paths(capability=Capability.WRITE_REPORTS)


def may_review(actor: User, unit: Unit) -> bool:
    """Officers of a unit above review it."""
    return any(unit.path.startswith(path) and unit.path != path
               for path in actor.scope_paths(capability=Capability.REVIEW_REPORTS))


def _event(report: Report, actor: User, status: str, comment: str = "") -> None:
    ReportEvent.objects.create(report=report, to_status=status, at=timezone.now(), by=actor,
                               comment=comment)
    event_record(actor=actor, action=Action.UPDATE, obj=report, unit=report.unit,
                 fields=["status"], reason=comment[:300])


@transaction.atomic
def report_open(*, actor: User, schedule: Schedule, unit: Unit, period: str) -> Report:
    if not may_write(actor, unit):
        raise PermissionDenied(exc.NOT_YOUR_REPORT)
    if not Schedule.objects.applying_to(unit).filter(pk=schedule.pk).exists():
        raise ValidationError({"schedule": exc.NOT_FOR_UNIT})
    try:
        parsed = periods.parse(period)
    except periods.PeriodError as error:
        raise ValidationError({"period": str(error)}) from error
    if parsed.kind != schedule.period_kind:
        raise ValidationError({"period": exc.PERIOD_KIND})
    if parsed.start > timezone.localdate():
        raise ValidationError({"period": exc.PERIOD_NOT_STARTED})
    if not schedule.runs_in(parsed.end.year):
        raise ValidationError({"period": exc.OUTSIDE_YEARS % {"year": parsed.end.year}})
    # Two officers opening the same report at once: the second waits, then finds the first's
    # (without the lock both found none, and the second got the unique constraint's error).
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    if Report.objects.current().filter(schedule=schedule, unit=unit, period=parsed.code).exists():
        raise ValidationError(exc.ALREADY_OPEN)
    report = Report.objects.create(schedule=schedule, unit=unit, unit_path=unit.path,
                                   period=parsed.code, due_on=due_on(schedule, unit, parsed),
                                   created_by=actor)
    _event(report, actor, Status.DRAFT)
    return report


NARRATIVE = ("results", "difficulties", "proposals")


@transaction.atomic
def report_write(*, actor: User, report: Report, base_version: int | None = None,
                 base: Mapping[str, Any] | None = None, **texts: str) -> Report:
    """Write the report's texts (of `NARRATIVE`; the others stay as saved), as an edit read
    at `base_version` of the texts with the values `base` (`treem.edits.conflicts`): a text
    someone else changed since is refused (`EditConflict`, nothing written), others merge."""
    if set(texts) - set(NARRATIVE):
        raise TypeError(f"not a text of the report: {sorted(set(texts) - set(NARRATIVE))}")
    report = conflicts.locked(report)
    if not may_write(actor, report.unit):
        raise PermissionDenied(exc.NOT_YOUR_REPORT)
    if report.status not in (Status.DRAFT, Status.RETURNED):
        raise ValidationError(exc.NOT_EDITABLE)
    texts = {name: (text or "").strip() for name, text in texts.items()}
    conflicts.check(report, version=report.narrative_version, base_version=base_version,
                      changes=texts, base=base)
    changed = [name for name, text in texts.items() if getattr(report, name) != text]
    if not changed:
        return report
    for name in changed:
        setattr(report, name, texts[name])
    conflicts.save_new_version(report, changed, version_field="narrative_version")
    event_record(actor=actor, action=Action.UPDATE, obj=report, unit=report.unit,
                 fields=changed)
    return report


def child_reports(report: Report) -> list[Report]:
    """The latest reports, for the same schedule and period, of the units directly under the
    report's unit."""
    return list(Report.objects.current().filter(
        schedule=report.schedule, period=report.period, unit__parent=report.unit)
        .select_related("unit"))


def approved_child_reports(report: Report) -> list[Report]:
    """Per unit directly under the report's, its latest approved version (a correction being
    written does not take the approved figures out of the consolidation)."""
    found: dict[int, Report] = {}
    for child in (Report.objects.filter(schedule=report.schedule, period=report.period,
                                        unit__parent=report.unit, status=Status.APPROVED)
                  .order_by("unit_id", "-version")):
        found.setdefault(child.unit_id, child)
    return list(found.values())


def _freeze(report: Report) -> int:
    """Write the report's values: computed and entered values for a unit with no unit under it
    reporting; for the others, the sums of their units' approved reports, with each unit's own
    rows kept for the annex tables. The days counted and the case tables are frozen too."""
    report.values.all().delete()
    rows: dict[tuple[int, int, str], list[int | None]] = {}
    approved = approved_child_reports(report)
    window = data_window(report)
    report.data_from, report.data_until = window.start, window.end
    if approved:  # a consolidation counts the days its units' reports counted
        report.data_from = min(child.data_from or window.start for child in approved)
        report.data_until = max(child.data_until or window.end for child in approved)
    report.case_tables = count_case_tables(report.unit.path, report.data_from,
                                           report.data_until)
    if approved or child_reports(report):
        own = ReportValue.objects.filter(report__in=approved, unit=F("report__unit"))
        for value in own:
            for unit_id in (value.unit_id, report.unit_id):
                slot = rows.setdefault((value.indicator_version_id, unit_id, value.breakdown),
                                       [0, None])
                slot[0] = (slot[0] or 0) + value.numerator
                if value.denominator is not None:
                    slot[1] = (slot[1] or 0) + value.denominator
    else:
        versions = list(current_versions(report.schedule.indicator_sets.all()))
        for (version_id, unit_id, breakdown), cell in indicator_values(
                versions, window, report.unit).items():
            if unit_id == report.unit_id:
                rows[(version_id, unit_id, breakdown)] = [cell.numerator, cell.denominator]
    ReportValue.objects.bulk_create(
        ReportValue(report=report, indicator_version_id=version_id, unit_id=unit_id,
                    breakdown=breakdown, numerator=int(n or 0), denominator=d)
        for (version_id, unit_id, breakdown), (n, d) in rows.items())
    return len(rows)


@transaction.atomic
def report_submit(*, actor: User, report: Report) -> Report:
    report = Report.objects.select_for_update().select_related("unit").get(pk=report.pk)
    if not may_write(actor, report.unit):
        raise PermissionDenied(exc.NOT_YOUR_REPORT)
    if report.status not in (Status.DRAFT, Status.RETURNED):
        raise ValidationError(exc.NOT_EDITABLE)
    if any(child.status == Status.SUBMITTED for child in child_reports(report)):
        raise ValidationError(exc.CHILDREN_WAITING)
    if not report.results.strip():
        raise ValidationError({"results": exc.RESULTS_REQUIRED})
    _freeze(report)
    now = timezone.now()
    report.status, report.submitted_at = Status.SUBMITTED, now
    report.first_submitted_at = report.first_submitted_at or now
    report.save(update_fields=["status", "submitted_at", "first_submitted_at", "data_from",
                               "data_until", "case_tables"])
    _event(report, actor, Status.SUBMITTED)
    return report


@transaction.atomic
def report_return(*, actor: User, report: Report, comment: str) -> Report:
    report = Report.objects.select_for_update().select_related("unit").get(pk=report.pk)
    if not may_review(actor, report.unit):
        raise PermissionDenied(exc.NOT_YOURS_TO_REVIEW)
    if report.status != Status.SUBMITTED:
        raise ValidationError(exc.NOT_SUBMITTED)
    if not comment.strip():
        raise ValidationError({"comment": exc.COMMENT_REQUIRED})
    report.status, report.decided_at, report.decided_by = Status.RETURNED, timezone.now(), actor
    report.save(update_fields=["status", "decided_at", "decided_by"])
    _event(report, actor, Status.RETURNED, comment.strip())
    return report


@transaction.atomic
def report_approve(*, actor: User, report: Report) -> Report:
    report = Report.objects.select_for_update().select_related("unit").get(pk=report.pk)
    if not may_review(actor, report.unit):
        raise PermissionDenied(exc.NOT_YOURS_TO_REVIEW)
    if report.status != Status.SUBMITTED:
        raise ValidationError(exc.NOT_SUBMITTED)
    report.status, report.decided_at, report.decided_by = Status.APPROVED, timezone.now(), actor
    report.save(update_fields=["status", "decided_at", "decided_by"])
    _event(report, actor, Status.APPROVED)
    return report


@transaction.atomic
def report_correct(*, actor: User, report: Report, reason: str) -> Report:
    """A new version of an approved report, opened as a draft with the old narrative. The
    approved version keeps its values and stays in the consolidation above until the
    correction is approved in its turn."""
    report = Report.objects.select_for_update().select_related("unit").get(pk=report.pk)
    if not may_write(actor, report.unit):
        raise PermissionDenied(exc.NOT_YOUR_REPORT)
    if report.status != Status.APPROVED or not report.is_latest:
        raise ValidationError(exc.ONLY_APPROVED_CORRECTED)
    if not reason.strip():
        raise ValidationError({"reason": exc.REASON_REQUIRED})
    report.is_latest = False
    report.save(update_fields=["is_latest"])
    draft = Report.objects.create(
        schedule=report.schedule, unit=report.unit, unit_path=report.unit_path,
        period=report.period, version=report.version + 1, due_on=report.due_on,
        results=report.results, difficulties=report.difficulties, proposals=report.proposals,
        correction_reason=reason.strip(), corrects=report,
        first_submitted_at=report.first_submitted_at, created_by=actor)
    _event(draft, actor, Status.DRAFT, reason.strip())
    return draft

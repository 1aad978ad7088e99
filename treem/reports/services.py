"""The report's moves: open a draft, write its narrative, submit (the values are frozen then),
return with a comment or approve (the level above), correct an approved report (a new version
with its reason). Each move is one transaction, checked first, audited."""

import datetime
import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from treem.accounts.models import User
from treem.accounts.permissions import Capability
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.edits import conflicts
from treem.geo.models import Unit
from treem.indicators import periods
from treem.reports import exceptions as exc
from treem.reports.figures import Figures, child_reports, report_figures
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


def _freeze(report: Report, figures: Figures) -> int:
    """Write the report's values, days counted and case tables as `figures` computed them."""
    report.values.all().delete()
    report.data_from, report.data_until = figures.data_from, figures.data_until
    report.case_tables = figures.case_tables
    ReportValue.objects.bulk_create(
        ReportValue(report=report, indicator_version_id=version_id, unit_id=unit_id,
                    breakdown=breakdown, numerator=n, denominator=d)
        for (version_id, unit_id, breakdown), (n, d) in figures.rows.items())
    return len(figures.rows)


def check_sendable(*, actor: User, report: Report) -> None:
    """Raise what would stop `actor` sending `report` now; the confirmation page asks first,
    so that nobody confirms figures of a report that cannot go."""
    if not may_write(actor, report.unit):
        raise PermissionDenied(exc.NOT_YOUR_REPORT)
    if report.status not in (Status.DRAFT, Status.RETURNED):
        raise ValidationError(exc.NOT_EDITABLE)
    if any(child.status == Status.SUBMITTED for child in child_reports(report)):
        raise ValidationError(exc.CHILDREN_WAITING)
    if not report.results.strip():
        raise ValidationError({"results": exc.RESULTS_REQUIRED})


@transaction.atomic
def report_submit(*, actor: User, report: Report, figures_seen: str | None = None) -> Report:
    """Send the report up, freezing its figures. From the pages `figures_seen` is the
    fingerprint of the figures the officer confirmed: when they changed since (the register or
    a sector's figure edited meanwhile, a day more counted), nothing is frozen or sent and
    `FiguresChanged` carries the new figures to confirm."""
    report = Report.objects.select_for_update().select_related("unit").get(pk=report.pk)
    check_sendable(actor=actor, report=report)
    figures = report_figures(report)
    if figures_seen is not None and figures_seen != figures.fingerprint:
        raise exc.FiguresChanged(figures)
    _freeze(report, figures)
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

"""The writes of the progress of a plan's tasks: an agency's report on a task for a period
(edited as `treem.edits.conflicts` merges), and the files shown as its evidence. Who may
report for an agency: its active focal points, and who keeps the plans of its unit. Beside
`plans.services` (plans, tasks, agencies), as its sub-domain: one transaction a call,
audited, nothing written on a refusal."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from treem.accounts.capabilities import Capability
from treem.accounts.models import User
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.edits import conflicts
from treem.indicators import periods
from treem.plans import evidence
from treem.plans import exceptions as exc
from treem.plans.models import (
    Agency,
    Evidence,
    FocalPoint,
    ProgressStatus,
    Task,
    TaskProgress,
)
from treem.plans.services import _texts
from treem.ui import uploads


def may_report_for(actor: User, agency: Agency) -> bool:
    """An agency's active focal point reports for it; so may the office that keeps the plans
    of its unit (typing in what an agency sent on paper)."""
    return (FocalPoint.objects.filter(agency=agency, user=actor,
                                      revoked_at__isnull=True).exists()
            and actor.has_capability(Capability.REPORT_TASK_PROGRESS)) or actor.in_scope(
        agency.unit_path, capability=Capability.MANAGE_PLANS)


def _check_period(task: Task, code: str, *, today: datetime.date) -> str:
    try:
        period = periods.parse(code)
    except periods.PeriodError as error:
        raise ValidationError({"period": str(error)}) from error
    plan = task.plan
    if not plan.start_year <= period.start.year <= plan.end_year:
        raise ValidationError({"period": exc.PERIOD_OUTSIDE_PLAN % {
            "period": period.label, "start": plan.start_year, "end": plan.end_year}})
    if period.start > today:
        raise ValidationError({"period": exc.PERIOD_NOT_STARTED % {"period": period.label}})
    return period.code


PROGRESS_FIELDS = ("status", "percent_done", "done_text", "difficulties")
NO_REPORT_READ = 0  # the version an edit names when it read no report (versions start at 1)


def _check_progress(values: dict[str, Any]) -> dict[str, Any]:
    """The report's values normalised and checked together (a status with its percentage)."""
    status, percent = values.get("status"), values.get("percent_done")
    if status not in ProgressStatus.values:
        raise ValidationError({"status": exc.CHOICE_UNKNOWN})
    if type(percent) is not int or not 0 <= percent <= 100:
        raise ValidationError({"percent_done": exc.PERCENT_RANGE})
    if status == ProgressStatus.DONE and percent != 100:
        raise ValidationError({"percent_done": exc.DONE_NOT_100})
    if status == ProgressStatus.NOT_STARTED and percent != 0:
        raise ValidationError({"percent_done": exc.NOT_STARTED_NOT_0})
    texts = _texts({"done_text": values.get("done_text", ""),
                    "difficulties": values.get("difficulties", "")})
    if status in (ProgressStatus.DONE, ProgressStatus.IN_PROGRESS) and not texts["done_text"]:
        raise ValidationError({"done_text": exc.DONE_TEXT_REQUIRED})
    return {"status": status, "percent_done": percent, **texts}


@transaction.atomic
def progress_report(*, actor: User, task: Task, agency: Agency, period: str,
                    base_version: int | None = None, base: dict[str, Any] | None = None,
                    **changes: Any) -> TaskProgress:
    """What `agency` did of `task` in `period` (`PROGRESS_FIELDS`). The first report of an
    agency, task and period gives them all; a later one is an edit read at `base_version`
    giving the fields it changes: a change someone else saved since is refused with both
    values (`EditConflict`, nothing written), other fields merge. `base_version` None says
    the caller read no report: one saved meanwhile is a conflict on every field it differs in."""
    if set(changes) - set(PROGRESS_FIELDS):
        raise TypeError(f"not a field of a report: {sorted(set(changes) - set(PROGRESS_FIELDS))}")
    if agency.pk != task.lead_id and not task.cooperating.filter(pk=agency.pk).exists():
        raise ValidationError({"agency": exc.NOT_OF_TASK})
    if not may_report_for(actor, agency):
        raise PermissionDenied(exc.NOT_YOUR_AGENCY)
    code = _check_period(task, period, today=timezone.localdate())
    progress = (TaskProgress.objects.select_for_update()
                .filter(task=task, agency=agency, period=code).first())
    if progress is None:
        values = _check_progress(changes)
        try:
            with transaction.atomic():
                progress = TaskProgress.objects.create(task=task, agency=agency, period=code,
                                                       reported_by=actor, **values)
        except IntegrityError:
            # Another report of the same agency, task and period was saved a moment ago: this
            # one is compared with it as an edit that never saw it.
            progress = conflicts.locked(TaskProgress.objects.get(task=task, agency=agency,
                                                                 period=code))
            changes = values
        else:
            event_record(actor=actor, action=Action.CREATE, obj=progress, unit=task.plan.unit,
                         fields=sorted(["period", *values]))
            return progress
    # An edit that read no report (`base_version` None: a first report, typed while another
    # was saved) is compared field by field with it, never written over it.
    conflicts.check(progress, version=progress.version,
                    base_version=NO_REPORT_READ if base_version is None else base_version,
                    changes=changes, base=base)
    values = _check_progress({**{name: getattr(progress, name) for name in PROGRESS_FIELDS},
                              **changes})
    changed = [name for name in PROGRESS_FIELDS if getattr(progress, name) != values[name]]
    if not changed:
        return progress
    for name in changed:
        setattr(progress, name, values[name])
    progress.reported_by = actor
    conflicts.save_new_version(progress, [*changed, "reported_by", "reported_at"])
    event_record(actor=actor, action=Action.UPDATE, obj=progress, unit=task.plan.unit,
                 fields=changed)
    return progress


@transaction.atomic
def evidence_add(*, actor: User, progress: TaskProgress, data: bytes, name: str) -> Evidence:
    """A file shown as evidence of an agency's report, added by who may report for it."""
    if not may_report_for(actor, progress.agency):
        raise PermissionDenied(exc.NOT_YOUR_AGENCY)
    if progress.evidence.count() >= evidence.MAX_FILES:
        raise ValidationError({"file": evidence.TOO_MANY % {"n": evidence.MAX_FILES}})
    checked = uploads.check(data=data, name=name)
    item = Evidence(progress=progress, name=checked.name, content_type=checked.content_type,
                    size=len(checked.content), uploaded_by=actor)
    item.file.save(checked.name, ContentFile(checked.content), save=False)
    # The file is on disk before its row: a row never points at no file. A failed insert
    # removes the file; a transaction rolled back after it would leave an orphan file only.
    try:
        item.save()
    except Exception:
        item.file.delete(save=False)
        raise
    event_record(actor=actor, action=Action.CREATE, obj=item, unit=progress.task.plan.unit,
                 fields=["file", "name"])
    return item


@transaction.atomic
def evidence_remove(*, actor: User, item: Evidence) -> None:
    if not may_report_for(actor, item.progress.agency):
        raise PermissionDenied(exc.NOT_YOUR_AGENCY)
    stored = item.file.name
    event_record(actor=actor, action=Action.DELETE, obj=item, unit=item.progress.task.plan.unit,
                 fields=["file"], reason=item.name)
    item.delete()
    storage = Evidence._meta.get_field("file").storage  # type: ignore[attr-defined]
    transaction.on_commit(lambda: storage.delete(stored))

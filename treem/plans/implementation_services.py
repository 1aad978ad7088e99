"""The writes of a plan's implementation report (`plans.implementation`): attached to the
unit's periodic report of the period, frozen as it stands then, and detached while that report
may still change. Beside `plans.services` (the plans' other writes), as its sub-domain: one
transaction a call, audited, nothing written on a refusal."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from treem.accounts.models import User
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.plans import exceptions as exc
from treem.plans import implementation
from treem.plans.models import ImplementationReport, Plan
from treem.plans.services import _require_manager


def _check_report(*, actor: User, plan: Plan, period: str, report: Any) -> None:
    if report.unit_id not in {unit.pk for unit in implementation.report_units(plan)}:
        raise ValidationError({"report": exc.REPORT_OTHER_UNIT % {"unit": report.unit.name}})
    if report.period != period:
        raise ValidationError({"report": exc.REPORT_OTHER_PERIOD % {
            "report": report.period, "period": period}})
    if not implementation.is_editable(report):
        raise ValidationError({"report": exc.REPORT_NOT_EDITABLE})
    if not implementation.reports_for(user=actor).filter(pk=report.pk).exists():
        raise PermissionDenied(exc.REPORT_NOT_YOURS)


@transaction.atomic
def implementation_attach(*, actor: User, plan: Plan, period: str,
                          report: Any) -> ImplementationReport:
    """Attach the plan's implementation report of `period` to `report` (a `reports.Report`):
    the periodic report of the plan's unit (or of a unit that took over its area in 2025) for
    that period, still a draft or returned. The content is assembled now and frozen."""
    _require_manager(actor, plan.unit)
    code = implementation.check_period(plan, period, today=timezone.localdate()).code
    # The report's status is read locked: a report submitted meanwhile is not attached to.
    report = type(report).objects.select_for_update().select_related("unit").get(pk=report.pk)
    _check_report(actor=actor, plan=plan, period=code, report=report)
    if ImplementationReport.objects.filter(plan=plan, report=report).exists():
        raise ValidationError({"report": exc.REPORT_ALREADY_ATTACHED})
    content = implementation.assemble(user=actor, plan=plan, period=code).content()
    item = ImplementationReport.objects.create(plan=plan, period=code, report=report,
                                               content=content, attached_by=actor)
    event_record(actor=actor, action=Action.CREATE, obj=item, unit=plan.unit,
                 fields=["report", "period", "content"], reason=f"{code} → {report.public_id}")
    return item


@transaction.atomic
def implementation_detach(*, actor: User, item: ImplementationReport) -> None:
    """Take the implementation report off its periodic report, while that may still change."""
    _require_manager(actor, item.plan.unit)
    report = type(item.report).objects.select_for_update().get(pk=item.report_id)
    if not implementation.is_editable(report):
        raise ValidationError({"report": exc.REPORT_NOT_EDITABLE})
    event_record(actor=actor, action=Action.DELETE, obj=item, unit=item.plan.unit,
                 fields=["report"], reason=f"{item.period} → {report.public_id}")
    item.delete()

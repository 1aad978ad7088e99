"""The pages of a plan's implementation report for a period (`plans.implementation`): the
report as it stands, printable and as a PDF; attaching it to the unit's periodic report of the
period and taking it off; the report as it was frozen when attached."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability, require_capability
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.plans import implementation, implementation_services, selectors
from treem.plans.models import Plan
from treem.ui.forms import error_text


def _page(plan: Plan, period: str | None) -> str:
    url = reverse("plans:plan_implementation", args=[plan.public_id])
    return f"{url}?period={period}" if period else url


def _shown(request: AuthedRequest, plan: Plan) -> tuple[str | None, Any, str]:
    """(period asked, the report assembled or None, the error to show)."""
    code = request.GET.get("period") or implementation.default_period(
        plan, today=timezone.localdate())
    if not code:
        return None, None, _("Kế hoạch chưa bắt đầu: chưa có kỳ báo cáo nào.")
    try:
        return code, implementation.assemble(user=request.user, plan=plan, period=code), ""
    except ValidationError as error:
        return code, None, error_text(error)


@require_capability(Capability.VIEW_PLANS)
def implementation_view(request: AuthedRequest, plan_id: str) -> HttpResponse:
    plan = selectors.get_plan_for_user(user=request.user, plan_id=plan_id)
    code, shown, error = _shown(request, plan)
    can_manage = request.user.in_scope(plan.unit_path, capability=Capability.MANAGE_PLANS)
    return render(request, "plans/implementation.html", {
        "plan": plan, "shown": shown, "error": error, "period": code,
        "periods": implementation.period_choices(plan, today=timezone.localdate()),
        "can_manage": can_manage,
        "candidates": implementation.candidate_reports(user=request.user, plan=plan,
                                                       period=shown.period)
        if can_manage and shown else [],
        "attached": implementation.plan_attachments(plan=plan)},
        status=400 if error and request.GET.get("period") else 200)


@require_capability(Capability.VIEW_PLANS)
def implementation_pdf_view(request: AuthedRequest, plan_id: str) -> HttpResponse:
    # Imported on the first PDF: WeasyPrint loads Pango, which no other page needs.
    from treem.ui.pdf import render_pdf

    plan = selectors.get_plan_for_user(user=request.user, plan_id=plan_id)
    code, shown, error = _shown(request, plan)
    if shown is None:
        messages.error(request, error)
        return redirect(_page(plan, None))
    event_record(actor=request.user, action=Action.EXPORT, obj=plan, unit=plan.unit,
                 fields=["implementation", "pdf"], reason=shown.period)
    return render_pdf(request, "plans/implementation_print.html", {"shown": shown},
                      filename=f"thuc-hien-{shown.period}-{str(plan.public_id)[:8]}.pdf")


@require_capability(Capability.MANAGE_PLANS)
@require_POST
def implementation_attach_view(request: AuthedRequest, plan_id: str) -> HttpResponse:
    plan = selectors.get_plan_for_user(user=request.user, plan_id=plan_id)
    period = request.POST.get("period", "")
    report = implementation.get_report_for_user(user=request.user,
                                                report_id=request.POST.get("report", ""))
    try:
        implementation_services.implementation_attach(actor=request.user, plan=plan,
                                                      period=period, report=report)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Đã đính kèm báo cáo kết quả thực hiện kế hoạch vào %(report)s "
                                    "của %(unit)s.") % {"report": report.schedule.name,
                                                       "unit": report.unit.name})
    return redirect(_page(plan, period))


@require_capability(Capability.MANAGE_PLANS)
@require_POST
def implementation_detach_view(request: AuthedRequest, attachment_id: str) -> HttpResponse:
    item = implementation.get_attachment_for_user(user=request.user,
                                                  attachment_id=attachment_id)
    try:
        implementation_services.implementation_detach(actor=request.user, item=item)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
        return redirect("plans:implementation_frozen", attachment_id=item.public_id)
    messages.success(request, _("Đã gỡ báo cáo kết quả thực hiện kế hoạch khỏi báo cáo định kỳ."))
    return redirect(_page(item.plan, item.period))


@require_capability(Capability.VIEW_PLANS)
def implementation_frozen_view(request: AuthedRequest, attachment_id: str) -> HttpResponse:
    """The implementation report as attached: what the periodic report carries."""
    item = implementation.get_attachment_for_user(user=request.user,
                                                  attachment_id=attachment_id)
    plan = item.plan
    return render(request, "plans/implementation_frozen.html", {
        "item": item, "plan": plan,
        "shown": implementation.Implementation.from_content(item.content),
        "can_detach": request.user.in_scope(plan.unit_path,
                                            capability=Capability.MANAGE_PLANS)
        and implementation.is_editable(item.report)})

"""The report pages: the list with who has reported, opening a report, its page (values,
narrative, moves, history) and its Excel and PDF files."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability, require_capability
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.edits.conflicts import EditConflict
from treem.edits.forms import initial_of
from treem.geo.models import Unit
from treem.indicators.dashboard import default_period
from treem.reports import exceptions as exc
from treem.reports import forms, rendering, selectors, services
from treem.reports.figures import report_figures
from treem.reports.models import Schedule, Status
from treem.ui.downloads import attachment
from treem.ui.forms import attempt, error_text, form_errors_text
from treem.ui.pagination import CappedPaginator

PAGE_SIZE = 50


def _own_units(request: AuthedRequest) -> list[Unit]:
    """The units whose report the user writes (its own assignments, as they are today)."""
    return list(Unit.objects.filter(
        path__in=request.user.scope_paths(capability=Capability.WRITE_REPORTS),
        valid_to__isnull=True))


@require_capability(Capability.WRITE_REPORTS)
def report_list_view(request: AuthedRequest) -> HttpResponse:
    page = CappedPaginator(selectors.report_list(user=request.user),
                           PAGE_SIZE).get_page(request.GET.get("page"))
    schedules = Schedule.objects.for_paths(
        request.user.scope_paths(capability=Capability.WRITE_REPORTS))
    schedule = schedules.filter(code=request.GET.get("schedule") or "").first() \
        or schedules.order_by("code").first()
    picker = forms.ListForm(request.GET, schedules=schedules)
    picker.is_valid()
    # The period asked for, else the latest one a report of the user's scope was opened for,
    # else the last one ended.
    period = picker.cleaned_data.get("period") or (
        selectors.latest_period(user=request.user, schedule=schedule) if schedule else None
    ) or default_period(schedule.period_kind if schedule else "half")
    picker.offer(schedule=schedule, period=period, today=timezone.localdate())
    # Who has reported: for each unit the user reviews (its units with units under them).
    boards = []
    if schedule is not None and period.kind == schedule.period_kind:
        for unit in _own_units(request):
            if services.may_write(request.user, unit) and selectors.expected_units(
                    unit, period, schedule):
                found = selectors.completeness(schedule=schedule, unit=unit, period=period.code)
                rows = [(u, found.received.get(u.pk), u.pk in found.on_time)
                        for u in found.expected]
                boards.append((unit, found, rows, rendering.completeness_chart(
                    unit=unit, period=period, found=found)))
    return render(request, "reports/report_list.html", {
        "page": page, "schedules": schedules, "schedule": schedule, "picker": picker,
        "period": period, "boards": boards, "own_units": _own_units(request),
        "open_form": forms.OpenForm(schedules=schedules, initial={
            "period": period.code, "schedule": schedule.code if schedule else ""})})


@require_capability(Capability.WRITE_REPORTS)
@require_POST
def report_open_view(request: AuthedRequest) -> HttpResponse:
    form = forms.OpenForm(request.POST, schedules=Schedule.objects.for_paths(
        request.user.scope_paths(capability=Capability.WRITE_REPORTS)))
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("reports:report_list")
    unit = next((u for u in _own_units(request) if u.public_id == form.cleaned_data["unit"]),
                None)
    if unit is None:
        raise Http404
    try:
        report = services.report_open(actor=request.user, schedule=form.cleaned_data["schedule"],
                                      unit=unit, period=form.cleaned_data["period"])
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
        return redirect("reports:report_list")
    return redirect("reports:report_detail", report_id=report.public_id)


@require_capability(Capability.WRITE_REPORTS)
def report_detail_view(request: AuthedRequest, report_id: str) -> HttpResponse:
    report = selectors.get_report_for_user(user=request.user, report_id=report_id)
    editable = report.status in (Status.DRAFT, Status.RETURNED)
    writable = services.may_write(request.user, report.unit) and editable
    if editable:
        # Not sent yet: the figures it would freeze now, marked as not final.
        figures = report_figures(report)
        lines = rendering.figure_lines(report, figures)
        days = (figures.data_from, figures.data_until, False)
    else:
        lines, days = rendering.lines(report), rendering.days_counted(report)
    return render(request, "reports/report_detail.html", {
        "report": report, "lines": lines, "writable": writable, "live": editable,
        "computed_at": timezone.now(),
        "may_review": services.may_review(request.user, report.unit)
        and report.status == Status.SUBMITTED,
        "may_correct": services.may_write(request.user, report.unit)
        and report.status == Status.APPROVED and report.is_latest,
        "narrative": forms.NarrativeEditForm(initial=_narrative_of(report)),
        "events": report.events.select_related("by"),
        "children": services.child_reports(report),
        # The list of children in special circumstances goes with the report's workbook as
        # an export of the register: its capability on the report's unit, a reason, an audit.
        "may_list_children": request.user.in_scope(report.unit.path,
                                      capability=Capability.EXPORT_CHILDREN),
        "days": days})


def _act(request: AuthedRequest, report: Any, action: Callable[[], object],
         success: str) -> HttpResponse:
    attempt(request, action, success)
    return redirect("reports:report_detail", report_id=report.public_id)


def _narrative_of(report: Any) -> dict[str, Any]:
    return initial_of(report, services.NARRATIVE, version=report.narrative_version)


@require_capability(Capability.WRITE_REPORTS)
@require_POST
def report_write_view(request: AuthedRequest, report_id: str) -> HttpResponse:
    """Save the texts, and send the report if asked. When another officer saved the same text
    since the form was read, the form comes back on a page of its own with both to choose
    from; nothing is saved or sent until the officer chooses."""
    report = selectors.get_report_for_user(user=request.user, report_id=report_id)
    form = forms.NarrativeEditForm(request.POST, initial=_narrative_of(report))
    if not form.is_valid():
        if form.pending:  # the choice asked for was not made: ask again
            return render(request, "reports/report_narrative.html",
                          {"report": report, "form": form})
        messages.error(request, form_errors_text(form))
        return redirect("reports:report_detail", report_id=report.public_id)
    try:
        # Saved even when sending is then refused (a text still missing): nothing typed is lost.
        services.report_write(actor=request.user, report=report, **form.edit())
    except EditConflict as conflict:
        # `report` now holds the texts as saved (read again under its lock).
        form = forms.NarrativeEditForm(form.after_conflict(conflict, _narrative_of(report)),
                                       asking=True)
        return render(request, "reports/report_narrative.html",
                      {"report": report, "form": form})
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        if "submit" in request.POST:
            # Sending freezes the figures for good: they are shown first, and sent only once
            # the officer confirms them (`report_send_view`).
            return redirect("reports:report_send", report_id=report.public_id)
        messages.success(request, _("Đã lưu báo cáo."))
    return redirect("reports:report_detail", report_id=report.public_id)


@require_capability(Capability.WRITE_REPORTS)
@require_http_methods(["GET", "POST"])
def report_send_view(request: AuthedRequest, report_id: str) -> HttpResponse:
    """The figures the report will freeze, and their confirmation. A POST sends the report
    only if its figures are still those the page showed; otherwise the page shows the new
    ones and asks again, nothing sent."""
    report = selectors.get_report_for_user(user=request.user, report_id=report_id)
    if not services.may_write(request.user, report.unit):
        raise PermissionDenied
    try:
        services.check_sendable(actor=request.user, report=report)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("reports:report_detail", report_id=report.public_id)
    changed = None
    if request.method == "POST":
        form = forms.SendForm(request.POST)
        if not form.is_valid():
            messages.error(request, str(exc.CONFIRM_FIRST))
            return redirect("reports:report_send", report_id=report.public_id)
        try:
            services.report_submit(actor=request.user, report=report,
                                   figures_seen=form.cleaned_data["figures"])
        except exc.FiguresChanged as error:
            changed = error.figures
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, error_text(error))
            return redirect("reports:report_detail", report_id=report.public_id)
        else:
            messages.success(request, _("Đã gửi báo cáo lên cấp trên."))
            return redirect("reports:report_detail", report_id=report.public_id)
    figures = changed or report_figures(report)
    return render(request, "reports/report_send.html", {
        "report": report, "changed": changed is not None, "computed_at": timezone.now(),
        "lines": rendering.figure_lines(report, figures),
        "case_tables": rendering.figure_case_tables(figures),
        "days": (figures.data_from, figures.data_until, False),
        "form": forms.SendForm(initial={"figures": figures.fingerprint})},
        status=409 if changed is not None else 200)


@require_capability(Capability.REVIEW_REPORTS)
@require_POST
def report_decide_view(request: AuthedRequest, report_id: str) -> HttpResponse:
    report = selectors.get_report_for_user(user=request.user, report_id=report_id)
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("reports:report_detail", report_id=report.public_id)
    if form.cleaned_data["action"] == "approve":
        return _act(request, report,
                    lambda: services.report_approve(actor=request.user, report=report),
                    _("Đã duyệt báo cáo."))
    return _act(request, report,
                lambda: services.report_return(actor=request.user, report=report,
                                               comment=form.cleaned_data["comment"]),
                _("Đã trả lại báo cáo kèm ý kiến."))


@require_capability(Capability.WRITE_REPORTS)
@require_POST
def report_correct_view(request: AuthedRequest, report_id: str) -> HttpResponse:
    report = selectors.get_report_for_user(user=request.user, report_id=report_id)
    form = forms.CorrectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("reports:report_detail", report_id=report.public_id)
    draft = attempt(request, lambda: services.report_correct(
        actor=request.user, report=report, reason=form.cleaned_data["reason"]),
        _("Đã mở phiên bản sửa đổi của báo cáo."))
    return redirect("reports:report_detail", report_id=(draft or report).public_id)


@require_capability(Capability.WRITE_REPORTS)
@require_http_methods(["GET", "POST"])
def report_excel_view(request: AuthedRequest, report_id: str) -> HttpResponse:
    """The report's workbook; a POST with a reason adds the list of children in special
    circumstances (an export of the register: its capability, its audit)."""
    report = selectors.get_report_for_user(user=request.user, report_id=report_id)
    reason = request.POST.get("reason", "") if request.method == "POST" else None
    try:
        content = rendering.workbook(actor=request.user, report=report, children_reason=reason)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
        return redirect("reports:report_detail", report_id=report.public_id)
    return attachment(content,
                      filename=f"bao-cao-{report.period}-{str(report.public_id)[:8]}.xlsx")


@require_capability(Capability.WRITE_REPORTS)
def report_pdf_view(request: AuthedRequest, report_id: str) -> HttpResponse:
    # Imported on the first PDF: WeasyPrint loads Pango, which no other page needs.
    from treem.ui.pdf import render_pdf

    report = selectors.get_report_for_user(user=request.user, report_id=report_id)
    event_record(actor=request.user, action=Action.EXPORT, obj=report, unit=report.unit,
                 fields=["report", "pdf"])
    return render_pdf(request, "reports/report_print.html", rendering.printed(report),
                      filename=f"bao-cao-{report.period}-{str(report.public_id)[:8]}.pdf")

"""The plan pages: the plans a user sees, a plan with its tasks by agency, a task with its
progress reports; for the office keeping a unit's plans, a new plan, a task given to an
agency, the agencies and their focal points; for focal points, their agencies' tasks."""

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability, require_capability
from treem.edits.conflicts import EditConflict
from treem.edits.forms import initial_of
from treem.geo.models import Unit
from treem.indicators import periods
from treem.plans import (
    attachment_services,
    exporting,
    forms,
    progress_services,
    selectors,
    services,
    task_import,
    task_template,
)
from treem.plans.activities import selectors as activity_selectors
from treem.plans.models import ProgressStatus
from treem.ui import uploads
from treem.ui.downloads import attachment
from treem.ui.forms import add_service_errors, error_text, form_errors_text
from treem.ui.pagination import CappedPaginator

PAGE_SIZE = 30
ACTIVITIES_SHOWN = 10  # on a task's page; its link lists them all
# The form of an agency's first report of a period.
NEW_REPORT = {"status": ProgressStatus.IN_PROGRESS, "percent_done": 0, "done_text": "",
              "difficulties": ""}


@require_capability(Capability.VIEW_PLANS)
def plan_list_view(request: AuthedRequest) -> HttpResponse:
    picker = forms.PlanFilterForm(request.GET)
    plans = selectors.plan_list(user=request.user, filters=picker.filters())
    page = CappedPaginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "plans/plan_list.html", {
        "page": page, "picker": picker, "query": query.urlencode(),
        "can_manage": bool(selectors.units_to_plan(user=request.user)),
        "filtered": any(request.GET.get(name) for name in ("q", "status", "year"))})


@require_capability(Capability.VIEW_PLANS)
def plan_detail_view(request: AuthedRequest, plan_id: str) -> HttpResponse:
    plan = selectors.get_plan_for_user(user=request.user, plan_id=plan_id)
    agencies = selectors.plan_agencies(plan=plan)
    chosen = next((a for a in agencies if str(a.public_id) == request.GET.get("agency")), None)
    tasks = selectors.plan_tasks(plan=plan, agency_id=chosen.public_id if chosen else None)
    states = selectors.task_states(tasks, today=timezone.localdate())
    held = activity_selectors.held_counts(tasks=list(tasks), user=request.user)
    for state in states:
        task = state.task
        task.state = state  # type: ignore[attr-defined]
        task.activity_count = held.get(task.pk, 0)  # type: ignore[attr-defined]
        # Cut here, once: the template's filter costs a tenth of a 200-task page.
        task.summary = task.text if len(task.text) <= 140 else f"{task.text[:139]}…"  # type: ignore[attr-defined]
    return render(request, "plans/plan_detail.html", {
        "plan": plan, "tasks": tasks, "groups": selectors.tasks_by_agency(tasks),
        "overdue": sum(1 for s in states if s.overdue),
        "can_manage": request.user.in_scope(plan.unit_path, capability=Capability.MANAGE_PLANS)
        and plan.unit.valid_to is None,
        "status_form": forms.PlanStatusForm(
            initial={"status": plan.status},
            plans=selectors.plans_for(user=request.user).exclude(pk=plan.pk)),
        "agencies": agencies, "chosen": chosen,
        "references": plan.references.select_related("linked_plan"),
        "documents": list(plan.attachments.all()),
        "implemented_by": selectors.plans_for(user=request.user).filter(implements=plan)})


@require_capability(Capability.REPORT_TASK_PROGRESS)
def my_tasks_view(request: AuthedRequest) -> HttpResponse:
    """The tasks of the agencies the user reports for: overdue first, then by due date."""
    agencies = selectors.my_agencies(user=request.user)
    tasks = selectors.tasks_of_agencies(agencies=agencies)
    states = selectors.task_states(tasks, today=timezone.localdate())
    states.sort(key=lambda s: (not s.overdue, s.due_on or datetime.date.max, s.task.position))
    # A few dozen tasks an agency: their states are computed for all, then paged.
    page = Paginator(states, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "plans/my_tasks.html", {"agencies": agencies, "page": page})


def _reporting(request: AuthedRequest, task: Any) -> list[Any]:
    """The agencies of `task` (lead, co-operating) the user may report for."""
    agencies = [task.lead, *task.cooperating.all()]
    return [agency for agency in agencies if progress_services.may_report_for(request.user, agency)]


def _periods(task: Any) -> list[periods.Period]:
    """The periods a report may be for: the years, halves and quarters of the plan's years
    begun by today, latest first."""
    today = timezone.localdate()
    found = []
    for year in range(min(task.plan.end_year, today.year), task.plan.start_year - 1, -1):
        for code in (f"{year}", f"{year}S2", f"{year}S1", f"{year}Q4", f"{year}Q3", f"{year}Q2",
                     f"{year}Q1"):
            period = periods.parse(code)
            if period.start <= today:
                found.append(period)
    return found


@require_capability(Capability.VIEW_PLANS)
@require_http_methods(["GET", "POST"])
def task_detail_view(request: AuthedRequest, task_id: str) -> HttpResponse:
    """A task, every agency's reports of it, and for its focal points the report of a period:
    chosen by agency and period, new or edited at the version read."""
    task = selectors.get_task_for_user(user=request.user, task_id=task_id)
    reporting = _reporting(request, task)
    choices = _periods(task)
    agency = next((a for a in reporting if str(a.public_id) == request.GET.get("agency")),
                  reporting[0] if reporting else None)
    codes = [p.code for p in choices]
    period = request.GET.get("period") if request.GET.get("period") in codes else (
        codes[0] if codes else None)
    existing = None
    if agency is not None and period is not None:
        existing = selectors.progress_of(task=task, agency=agency, period=period)
    form: Any = None
    if agency is not None and period is not None:
        if existing is not None:
            initial = initial_of(existing, progress_services.PROGRESS_FIELDS,
                                 version=existing.version)
            form = forms.ProgressEditForm(request.POST or None, initial=initial)
        else:
            form = forms.ProgressForm(request.POST or None, initial=NEW_REPORT)
    if request.method == "POST":
        if form is None or agency is None or period is None:
            raise PermissionDenied  # nobody of the task's agencies reports here
        if form.is_valid():
            edit = form.edit() if existing is not None else dict(form.cleaned_data)
            try:
                progress_services.progress_report(actor=request.user, task=task, agency=agency,
                                                  period=period, **edit)
            except EditConflict as conflict:
                # `existing` may be None: another first report of the period was saved while
                # this one was typed. Either way, the report as saved now is compared.
                existing = selectors.progress_of(task=task, agency=agency, period=period)
                assert existing is not None  # a conflict is always with a saved report
                if not isinstance(form, forms.ProgressEditForm):
                    # This first report is taken as an edit of the empty form it started from.
                    posted = request.POST.copy()
                    posted["version"] = str(conflict.version)
                    form = forms.ProgressEditForm(posted, initial={**NEW_REPORT,
                                                                   "version": conflict.version})
                    form.is_valid()
                form = forms.ProgressEditForm(form.after_conflict(conflict, initial_of(
                    existing, progress_services.PROGRESS_FIELDS, version=existing.version)),
                    asking=True)
            except (ValidationError, PermissionDenied) as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Đã lưu báo cáo tiến độ."))
                return redirect(f"{request.path}?agency={agency.public_id}&period={period}")
    return render(request, "plans/task_detail.html", {
        "task": task, "state": selectors.task_states([task], today=timezone.localdate())[0],
        "reports": selectors.task_reports(task=task), "reporting": reporting,
        "reporting_ids": {a.pk for a in reporting},
        "agency": agency, "periods": choices, "period": period, "existing": existing,
        "form": form, "can_manage": selectors.may_manage(user=request.user, plan=task.plan),
        # The activities held under the task in the user's area (a commune sees its own).
        "activities": list(activity_selectors.task_activities(task=task, user=request.user)
                           .order_by("-start_date")[:ACTIVITIES_SHOWN]),
        "activity_totals": activity_selectors.totals(
            activity_selectors.task_activities(task=task, user=request.user)),
        "can_record": bool(activity_selectors.units_to_record(user=request.user))})


@require_capability(Capability.MANAGE_PLANS)
@require_http_methods(["GET", "POST"])
def plan_create_view(request: AuthedRequest) -> HttpResponse:
    units = selectors.units_to_plan(user=request.user)
    unit_ids = [unit.pk for unit in units]
    form = forms.PlanCreateForm(
        request.POST or None, units=Unit.objects.filter(pk__in=unit_ids).order_by("path"),
        plans=selectors.plans_to_implement(user=request.user, units=units),
        initial={"start_year": timezone.localdate().year, "end_year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã tạo kế hoạch. Hãy thêm các nhiệm vụ."))
            return redirect("plans:plan_detail", plan_id=plan.public_id)
    return render(request, "plans/plan_form.html", {"form": form, "units": units})


@require_capability(Capability.MANAGE_PLANS)
@require_http_methods(["GET", "POST"])
def task_create_view(request: AuthedRequest, plan_id: str) -> HttpResponse:
    """Give a plan a task: its lead agency, those co-operating, its time."""
    # A plan above the user's units, or of a unit dissolved in 2025: read, not kept, here.
    plan = selectors.get_plan_for_user(user=request.user, plan_id=plan_id, for_write=True)
    form = forms.TaskCreateForm(request.POST or None,
                                agencies=selectors.agencies_of_plan(plan=plan))
    if request.method == "POST" and form.is_valid():
        try:
            task = services.task_create(actor=request.user, plan=plan, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã giao nhiệm vụ %(section)s cho %(lead)s.") % {
                "section": task.section, "lead": task.lead.name})
            return redirect(f"{reverse('plans:plan_detail', args=[plan.public_id])}"
                            f"#task-{task.public_id}")
    return render(request, "plans/task_form.html", {"form": form, "plan": plan})


@require_capability(Capability.MANAGE_PLANS)
@require_http_methods(["GET", "POST"])
def agency_list_view(request: AuthedRequest) -> HttpResponse:
    """The agencies of the user's units with their focal points; a new agency."""
    units = selectors.units_to_plan(user=request.user)
    form = forms.AgencyCreateForm(request.POST or None)
    unit = next((u for u in units if str(u.public_id) == request.POST.get("unit")), None)
    if request.method == "POST":
        if unit is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.agency_create(actor=request.user, unit=unit, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Đã thêm cơ quan."))
                return redirect("plans:agency_list")
    agencies = selectors.agencies_kept_by(user=request.user)
    by_unit: dict[str, list[Any]] = {}  # the candidates depend on the unit only
    for agency in agencies:
        if agency.unit_path not in by_unit:
            by_unit[agency.unit_path] = list(selectors.focal_point_candidates(agency=agency))
        agency.candidates = by_unit[agency.unit_path]  # type: ignore[attr-defined]
    return render(request, "plans/agency_list.html", {
        "form": form, "units": units, "agencies": agencies})


@require_capability(Capability.MANAGE_PLANS)
@require_POST
def focal_point_view(request: AuthedRequest, agency_id: str) -> HttpResponse:
    """Add or remove an agency's focal point."""
    agency = next((a for a in selectors.agencies_kept_by(user=request.user)
                   if str(a.public_id) == str(agency_id)), None)
    if agency is None:
        raise Http404
    if request.POST.get("remove"):
        focal = agency.focal_points.filter(revoked_at__isnull=True,
                                           user__username=request.POST["remove"]).first()
        if focal is None:
            raise Http404
        services.focal_point_remove(actor=request.user, focal=focal)
        messages.success(request, _("Đã bỏ đầu mối %(name)s.") % {"name": focal.user.full_name})
        return redirect("plans:agency_list")
    form = forms.FocalPointForm(request.POST,
                                users=selectors.focal_point_candidates(agency=agency))
    if form.is_valid():
        try:
            services.focal_point_add(actor=request.user, agency=agency,
                                     user=form.cleaned_data["user"])
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Đã giao %(name)s làm đầu mối của %(agency)s.") % {
                "name": form.cleaned_data["user"].full_name, "agency": agency.name})
    else:
        messages.error(request, form_errors_text(form))
    return redirect("plans:agency_list")


@require_capability(Capability.VIEW_PLANS)
def plan_excel_view(request: AuthedRequest, plan_id: str) -> HttpResponse:
    plan = selectors.get_plan_for_user(user=request.user, plan_id=plan_id)
    content = exporting.task_table(actor=request.user, plan=plan, today=timezone.localdate())
    return attachment(content, filename=f"nhiem-vu-{str(plan.public_id)[:8]}.xlsx")


@require_capability(Capability.VIEW_PLANS)
@require_POST
def evidence_add_view(request: AuthedRequest, progress_id: str) -> HttpResponse:
    progress = selectors.get_progress_for_user(user=request.user, progress_id=progress_id)
    back = (f"{reverse('plans:task_detail', args=[progress.task.public_id])}"
            f"?agency={progress.agency.public_id}&period={progress.period}")
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Hãy chọn tệp minh chứng."))
        return redirect(back)
    if (too_large := uploads.size_refusal(upload.size)) is not None:
        messages.error(request, too_large)
        return redirect(back)
    try:
        progress_services.evidence_add(actor=request.user, progress=progress, data=upload.read(),
                                       name=upload.name or "")
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Đã thêm tệp minh chứng."))
    return redirect(back)


@require_capability(Capability.VIEW_PLANS)
@require_POST
def evidence_remove_view(request: AuthedRequest, evidence_id: str) -> HttpResponse:
    item = selectors.get_evidence_for_user(user=request.user, evidence_id=evidence_id)
    progress = item.progress
    try:
        progress_services.evidence_remove(actor=request.user, item=item)
    except PermissionDenied as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Đã xóa tệp minh chứng."))
    return redirect(f"{reverse('plans:task_detail', args=[progress.task.public_id])}"
                    f"?agency={progress.agency.public_id}&period={progress.period}")


@require_capability(Capability.VIEW_PLANS)
def evidence_file_view(request: AuthedRequest, evidence_id: str) -> FileResponse:
    """The file, to whoever may read the plan; never from a public address."""
    item = selectors.get_evidence_for_user(user=request.user, evidence_id=evidence_id)
    return uploads.file_response(item)


@require_capability(Capability.MANAGE_PLANS)
@require_POST
def plan_status_view(request: AuthedRequest, plan_id: str) -> HttpResponse:
    plan = selectors.get_plan_for_user(user=request.user, plan_id=plan_id)
    form = forms.PlanStatusForm(request.POST, plans=selectors.plans_for(user=request.user))
    if form.is_valid():
        try:
            services.plan_set_status(actor=request.user, plan=plan, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Đã cập nhật tình trạng kế hoạch."))
    else:
        messages.error(request, form_errors_text(form))
    return redirect("plans:plan_detail", plan_id=plan.public_id)


@require_capability(Capability.MANAGE_PLANS)
@require_http_methods(["GET", "POST"])
def plan_edit_view(request: AuthedRequest, plan_id: str) -> HttpResponse:
    """A plan's texts and years, edited at the version read: a field someone else saved
    meanwhile is shown with both values to choose from, nothing written."""
    plan = selectors.get_plan_for_user(user=request.user, plan_id=plan_id, for_write=True)
    higher = selectors.plans_to_implement(user=request.user, units=[plan.unit]).exclude(
        pk=plan.pk)

    def initial() -> dict[str, Any]:
        return initial_of(plan, services.PLAN_FIELDS, version=plan.version)

    form = forms.PlanEditForm(request.POST or None, initial=initial(), plans=higher)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(actor=request.user, plan=plan, **form.edit())
        except EditConflict as conflict:
            plan = selectors.get_plan_for_user(user=request.user, plan_id=plan_id)
            form = forms.PlanEditForm(form.after_conflict(conflict, initial()), plans=higher,
                                      asking=True)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu kế hoạch."))
            return redirect("plans:plan_detail", plan_id=plan.public_id)
    return render(request, "plans/plan_edit.html", {"form": form, "plan": plan})


@require_capability(Capability.MANAGE_PLANS)
@require_http_methods(["GET", "POST"])
def task_edit_view(request: AuthedRequest, task_id: str) -> HttpResponse:
    """A task edited at the version read (as `plan_edit_view`)."""
    task = selectors.get_task_for_user(user=request.user, task_id=task_id, for_write=True)
    agencies = selectors.agencies_of_plan(plan=task.plan)

    def initial() -> dict[str, Any]:
        values = initial_of(task, [name for name in services.TASK_FIELDS
                                   if name != "cooperating"], version=task.version)
        return values | {"cooperating": list(task.cooperating.all())}

    form = forms.TaskEditForm(request.POST or None, initial=initial(), agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_update(actor=request.user, task=task, **form.edit())
        except EditConflict as conflict:
            task = selectors.get_task_for_user(user=request.user, task_id=task_id)
            form = forms.TaskEditForm(form.after_conflict(conflict, initial()),
                                      agencies=agencies, asking=True)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu nhiệm vụ %(section)s.") % {
                "section": task.section})
            return redirect(f"{reverse('plans:plan_detail', args=[task.plan.public_id])}"
                            f"#task-{task.public_id}")
    return render(request, "plans/task_edit.html", {"form": form, "task": task,
                                                    "plan": task.plan})


@require_capability(Capability.MANAGE_PLANS)
def task_template_view(request: AuthedRequest, plan_id: str) -> HttpResponse:
    """The Excel template of the plan's tasks, with its unit's agencies to choose from."""
    plan = selectors.get_plan_for_user(user=request.user, plan_id=plan_id, for_write=True)
    return attachment(task_template.task_template(plan=plan),
                      filename=task_template.filename(plan))


@require_capability(Capability.MANAGE_PLANS)
@require_http_methods(["GET", "POST"])
def task_import_view(request: AuthedRequest, plan_id: str) -> HttpResponse:
    """The plan's tasks from the filled template: all written, or none and every error by
    row and column."""
    plan = selectors.get_plan_for_user(user=request.user, plan_id=plan_id, for_write=True)
    form = forms.TaskImportForm(request.POST or None, request.FILES or None)
    errors: list[task_import.RowError] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            created = task_import.tasks_import(actor=request.user, plan=plan,
                                               data=upload.read())
        except task_import.ImportRefused as refused:
            errors = refused.errors
        except PermissionDenied as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã nhập %(n)s nhiệm vụ.") % {"n": len(created)})
            return redirect("plans:plan_detail", plan_id=plan.public_id)
    return render(request, "plans/task_import.html", {
        "form": form, "plan": plan, "errors": errors,
        "rows": len({error.row for error in errors if error.row}),
        "max_rows": task_import.MAX_ROWS, "max_mb": task_import.MAX_BYTES // (1024 * 1024)})



@require_capability(Capability.MANAGE_PLANS)
@require_POST
def attachment_add_view(request: AuthedRequest, plan_id: str) -> HttpResponse:
    """The signed plan (or an annex) uploaded by the office keeping the plan's unit."""
    plan = selectors.get_plan_for_user(user=request.user, plan_id=plan_id, for_write=True)
    back = f"{reverse('plans:plan_detail', args=[plan.public_id])}#documents"
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Hãy chọn tệp."))
        return redirect(back)
    if (too_large := uploads.size_refusal(upload.size)) is not None:
        messages.error(request, too_large)
        return redirect(back)
    try:
        attachment_services.attachment_add(actor=request.user, plan=plan, data=upload.read(),
                                           name=upload.name or "",
                                           title=request.POST.get("title", ""))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Đã đính kèm tài liệu."))
    return redirect(back)


@require_capability(Capability.VIEW_PLANS)
def attachment_file_view(request: AuthedRequest, attachment_id: str) -> FileResponse:
    item = selectors.get_attachment_for_user(user=request.user, attachment_id=attachment_id)
    return uploads.file_response(item)


@require_capability(Capability.MANAGE_PLANS)
@require_POST
def attachment_remove_view(request: AuthedRequest, attachment_id: str) -> HttpResponse:
    item = selectors.get_attachment_for_user(user=request.user, attachment_id=attachment_id)
    plan = item.plan
    try:
        attachment_services.attachment_remove(actor=request.user, item=item)
    except PermissionDenied as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Đã xóa tài liệu."))
    return redirect(f"{reverse('plans:plan_detail', args=[plan.public_id])}#documents")

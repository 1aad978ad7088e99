"""The activity pages: the activities a user sees; one activity with its people, money, files,
trainees and the children's recommendations; a new or edited activity; the answers an
agency owes and the forums whose report is due."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
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
from treem.geo.paths import ancestor_paths
from treem.plans import selectors as plan_selectors
from treem.plans.activities import (
    forms,
    named,
    recommendation_services,
    selectors,
    services,
    trainee_services,
)
from treem.plans.activities.models import (
    Activity,
    ActivityKind,
    Attendee,
    FundingSource,
)
from treem.plans.models import Agency, PlanStatus, Task
from treem.ui import uploads
from treem.ui.forms import add_service_errors, error_text, form_errors_text
from treem.ui.pagination import CappedPaginator

PAGE_SIZE = 30


def _tasks(request: AuthedRequest) -> Any:
    """The tasks an activity may be recorded under: those of the plans in force the user
    sees."""
    return (Task.objects.filter(plan__in=plan_selectors.plans_for(user=request.user),
                                plan__status=PlanStatus.IN_FORCE)
            .select_related("plan").order_by("plan__unit_path", "plan_id", "position"))


@require_capability(Capability.VIEW_PLANS)
def activity_list_view(request: AuthedRequest) -> HttpResponse:
    picker = forms.ActivityFilterForm(request.GET)
    task = None
    if request.GET.get("task"):
        task = plan_selectors.get_task_for_user(user=request.user, task_id=request.GET["task"])
    rows = selectors.activity_list(user=request.user, filters=picker.filters(task))
    page = CappedPaginator(selectors.with_recommendation_counts(rows), PAGE_SIZE).get_page(
        request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "plans/activities/activity_list.html", {
        "page": page, "picker": picker, "query": query.urlencode(), "task": task,
        "totals": selectors.totals(rows),
        "can_record": bool(selectors.units_to_record(user=request.user)),
        "filtered": any(request.GET.get(name) for name in ("q", "type", "status", "year"))})


@require_capability(Capability.MANAGE_PLANS)
@require_http_methods(["GET", "POST"])
def activity_create_view(request: AuthedRequest) -> HttpResponse:
    """First the type (a page of links), then the form of that type's kind."""
    # The type and task chosen come in the address, and again in the form posted.
    chosen = request.POST.get("type") or request.GET.get("type", "")
    kind_type = selectors.activity_types().filter(code=chosen).first()
    task_id = request.GET.get("task", "")
    if kind_type is None:
        return render(request, "plans/activities/activity_type_pick.html", {
            "types": selectors.activity_types(), "task": task_id})
    units = selectors.units_to_record(user=request.user)
    if not units:
        raise PermissionDenied
    initial: dict[str, Any] = {"unit": units[-1].public_id if len(units) == 1 else None}
    if task_id:
        task = plan_selectors.get_task_for_user(user=request.user, task_id=task_id)
        initial["task"] = task.public_id
    form = forms.ActivityForm(request.POST or None, initial=initial, kind=kind_type.kind,
                              units=units, tasks=_tasks(request),
                              agencies=_agencies(request, units))
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(actor=request.user,
                                                unit=form.cleaned_data["unit"],
                                                type=kind_type, **form.service_values())
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã ghi hoạt động."))
            return redirect("plans:activity_detail", activity_id=activity.public_id)
    return render(request, "plans/activities/activity_form.html", {
        "form": form, "type": kind_type, "creating": True})


def _agencies(request: AuthedRequest, units: list[Any]) -> Any:
    """The agencies of the user's units and of the units above them (an organiser)."""
    paths = {path for unit in units for path in ancestor_paths(unit.path)}
    return Agency.objects.filter(unit_path__in=paths).order_by("unit_path", "name")


@require_capability(Capability.VIEW_PLANS)
def activity_detail_view(request: AuthedRequest, activity_id: str) -> HttpResponse:
    activity = selectors.get_activity_for_user(user=request.user, activity_id=activity_id)
    can_manage = services.may_manage(request.user, activity.unit)
    parts = selectors.activity_parts(activity)
    context: dict[str, Any] = {"activity": activity, "can_manage": can_manage, **parts,
                               "kind": activity.type.kind, "kinds": ActivityKind,
                               "today": timezone.localdate(),
                               "budget_rows": _budget_rows(parts["budget"]),
                               "named": named.named_for(user=request.user, activity=activity),
                               "can_name": named.may_name(request.user, activity)}
    if can_manage:
        agencies = selectors.agencies_for(activity.unit)
        if activity.type.kind == ActivityKind.TRAINING:
            context["attendee_form"] = forms.AttendeeForm(
                users=trainee_services.attendee_candidates(activity, request.user),
                agencies=agencies)
        if activity.type.kind in (ActivityKind.FORUM, ActivityKind.CONSULTATION):
            context["recommendation_form"] = forms.RecommendationForm(agencies=agencies)
        context["file_form"] = forms.FileForm()
    return render(request, "plans/activities/activity_detail.html", context)


def _budget_rows(budget: list[Any]) -> list[dict[str, Any]]:
    labels = dict(FundingSource.choices)
    rows = [{"label": labels[row.source], "planned": row.planned, "spent": row.spent}
            for row in budget]
    if rows:
        rows.append({"label": _("Tổng"), "planned": sum(r["planned"] for r in rows),
                     "spent": sum(r["spent"] for r in rows), "total": True})
    return rows


@require_capability(Capability.MANAGE_PLANS)
@require_http_methods(["GET", "POST"])
def activity_edit_view(request: AuthedRequest, activity_id: str) -> HttpResponse:
    activity = selectors.get_activity_for_user(user=request.user, activity_id=activity_id,
                                               for_write=True)
    kind = activity.type.kind
    budget = services.budget_of(activity)
    initial = {**initial_of(activity, [*services.FIELDS], version=activity.version),
               "topics": list(activity.topics.all())}
    for source in FundingSource.values:
        planned, spent = budget.get(source, (0, 0))
        initial[f"planned_{source}"], initial[f"spent_{source}"] = planned, spent
    initial["task"] = activity.task.public_id if activity.task else None
    initial["organiser"] = activity.organiser.public_id if activity.organiser else None
    units = [activity.unit]
    options = {"kind": kind, "units": units, "tasks": _tasks(request),
               "agencies": _agencies(request, units)}
    form = forms.ActivityEditForm(request.POST or None, initial=initial, **options)
    if request.method == "POST" and form.is_valid():
        edit = form.edit()
        money = {source: (edit.pop(f"planned_{source}", 0) or 0,
                          edit.pop(f"spent_{source}", 0) or 0)
                 for source in FundingSource.values}
        topics = edit.pop("topics", None)
        try:
            services.activity_update(actor=request.user, activity=activity, budget=money,
                                     topics=topics if kind == ActivityKind.TRAINING else None,
                                     **edit)
        except EditConflict as conflict:
            activity.refresh_from_db()
            form = forms.ActivityEditForm(form.after_conflict(conflict, initial_of(
                activity, [*services.FIELDS], version=activity.version)), asking=True,
                **options)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu hoạt động."))
            return redirect("plans:activity_detail", activity_id=activity.public_id)
    return render(request, "plans/activities/activity_form.html", {
        "form": form, "type": activity.type, "activity": activity})


@require_capability(Capability.MANAGE_PLANS)
@require_POST
def attendee_add_view(request: AuthedRequest, activity_id: str) -> HttpResponse:
    activity = selectors.get_activity_for_user(user=request.user, activity_id=activity_id,
                                               for_write=True)
    form = forms.AttendeeForm(request.POST,
                              users=trainee_services.attendee_candidates(activity, request.user),
                              agencies=selectors.agencies_for(activity.unit))
    if form.is_valid():
        try:
            trainee_services.attendee_add(actor=request.user, activity=activity,
                                          **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Đã thêm học viên."))
    else:
        messages.error(request, form_errors_text(form))
    return redirect(f"{reverse('plans:activity_detail', args=[activity.public_id])}#attendees")


@require_capability(Capability.MANAGE_PLANS)
@require_POST
def attendee_remove_view(request: AuthedRequest, activity_id: str,
                         attendee_id: int) -> HttpResponse:
    activity = selectors.get_activity_for_user(user=request.user, activity_id=activity_id,
                                               for_write=True)
    attendee = Attendee.objects.filter(activity=activity, pk=attendee_id).first()
    if attendee is None:
        raise Http404
    trainee_services.attendee_remove(actor=request.user, attendee=attendee)
    messages.success(request, _("Đã bỏ học viên khỏi danh sách."))
    return redirect(f"{reverse('plans:activity_detail', args=[activity.public_id])}#attendees")


@require_capability(Capability.MANAGE_PLANS)
@require_POST
def recommendation_add_view(request: AuthedRequest, activity_id: str) -> HttpResponse:
    activity = selectors.get_activity_for_user(user=request.user, activity_id=activity_id,
                                               for_write=True)
    form = forms.RecommendationForm(request.POST,
                                    agencies=selectors.agencies_for(activity.unit))
    if form.is_valid():
        try:
            recommendation_services.recommendation_add(actor=request.user, activity=activity,
                                                       **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Đã ghi kiến nghị."))
    else:
        messages.error(request, form_errors_text(form))
    return redirect(
        f"{reverse('plans:activity_detail', args=[activity.public_id])}#recommendations")


@require_capability(Capability.VIEW_PLANS)
@require_http_methods(["GET", "POST"])
def recommendation_detail_view(request: AuthedRequest, recommendation_id: str
                               ) -> HttpResponse:
    """A recommendation with its answer; the agency's focal point (or the office keeping the
    place's plans) answers it."""
    item = selectors.get_recommendation_for_user(user=request.user,
                                                 recommendation_id=recommendation_id)
    consultation = item.activity.type.kind == ActivityKind.CONSULTATION
    form = None
    if recommendation_services.may_answer(request.user, item):
        initial = initial_of(item, recommendation_services.ANSWER_FIELDS, version=item.version)
        form = forms.AnswerForm(request.POST or None, initial=initial,
                                consultation=consultation)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                recommendation_services.recommendation_answer(actor=request.user, item=item,
                                                              **form.edit())
            except EditConflict as conflict:
                item.refresh_from_db()
                form = forms.AnswerForm(form.after_conflict(conflict, initial_of(
                    item, recommendation_services.ANSWER_FIELDS, version=item.version)),
                    asking=True, consultation=consultation)
            except (ValidationError, PermissionDenied) as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Đã lưu trả lời."))
                return redirect("plans:recommendation_detail",
                                recommendation_id=item.public_id)
    return render(request, "plans/activities/recommendation_detail.html", {
        "item": item, "form": form,
        "may_see_activity": selectors.activities_for(user=request.user).filter(
            pk=item.activity_id).exists()})


@require_capability(Capability.VIEW_PLANS)
def waiting_view(request: AuthedRequest) -> HttpResponse:
    """What is owed: recommendations given to the user's agencies and not answered yet; the
    forums held whose report to the province is not sent (overdue first)."""
    today = timezone.localdate()
    return render(request, "plans/activities/waiting.html", {
        "recommendations": selectors.recommendations_waiting(user=request.user)[:200],
        "forums": selectors.forums_to_report(user=request.user, today=today)[:200],
        "today": today})


@require_capability(Capability.MANAGE_PLANS)
@require_POST
def file_add_view(request: AuthedRequest, activity_id: str) -> HttpResponse:
    activity = selectors.get_activity_for_user(user=request.user, activity_id=activity_id,
                                               for_write=True)
    back = f"{reverse('plans:activity_detail', args=[activity.public_id])}#files"
    upload = request.FILES.get("file")
    form = forms.FileForm(request.POST)
    if upload is None or not form.is_valid():
        messages.error(request, _("Hãy chọn tệp và loại tệp."))
        return redirect(back)
    if (too_large := uploads.size_refusal(upload.size)) is not None:
        messages.error(request, too_large)
        return redirect(back)
    try:
        services.activity_file_add(actor=request.user, activity=activity, data=upload.read(),
                                   name=upload.name or "", kind=form.cleaned_data["kind"])
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Đã thêm tệp."))
    return redirect(back)


@require_capability(Capability.VIEW_PLANS)
def file_view(request: AuthedRequest, file_id: str) -> FileResponse:
    item = selectors.get_file_for_user(user=request.user, file_id=file_id)
    return uploads.file_response(item)


@require_capability(Capability.MANAGE_PLANS)
@require_POST
def file_remove_view(request: AuthedRequest, file_id: str) -> HttpResponse:
    item = selectors.get_file_for_user(user=request.user, file_id=file_id)
    activity: Activity = item.activity
    try:
        services.activity_file_remove(actor=request.user, item=item)
    except PermissionDenied as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Đã xóa tệp."))
    return redirect(f"{reverse('plans:activity_detail', args=[activity.public_id])}#files")

"""Pages of intake and case management. Thin: the rules are in services and selectors."""

import datetime
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from treem.accounts.http import AuthedRequest
from treem.accounts.models import User
from treem.accounts.permissions import Capability, require_capability
from treem.accounts.selectors import default_unit_for
from treem.audit.services import read_record
from treem.cases import (
    assessments,
    calendar_selectors,
    calendar_services,
    decisions,
    exporting,
    forms,
    selectors,
    services,
    statistics,
)
from treem.cases.choices import Status
from treem.cases.models import CalendarDay
from treem.cases.statistics import BREAKDOWN_TITLES
from treem.cases.workflow import MOVES
from treem.edits.conflicts import EditConflict
from treem.geo.models import Level, Unit
from treem.lib.routing import replica_reads
from treem.registry import selectors as registry_selectors
from treem.registry.models import Child
from treem.ui.dates import DAY_FORMAT
from treem.ui.downloads import attachment
from treem.ui.forms import add_service_errors, attempt, error_text, form_errors_text
from treem.ui.pagination import CappedPaginator
from treem.ui.pickers import PICK_MAX, picker_results

PAGE_SIZE = 25
# The years the calendar page shows: the lunar calendar of the rule is known for these.
CALENDAR_YEARS = (2000, 2100)
# The reason of the audited read of a form: printed from the browser, or downloaded as a PDF.
READ_AS_PRINT, READ_AS_PDF = "print", "pdf"
MOVE_LABELS = {
    "verify": gettext_lazy("Bắt đầu xác minh, đánh giá ban đầu"),
    "confirm": gettext_lazy("Xác minh có vụ việc: đánh giá nguy cơ, nhu cầu"),
    "not_confirmed": gettext_lazy("Xác minh không có vụ việc: kết thúc"),
    "plan": gettext_lazy("Xây dựng kế hoạch hỗ trợ, can thiệp"),
    "submit_plan": gettext_lazy("Trình Chủ tịch UBND xã phê duyệt"),
    "approve_plan": gettext_lazy("Phê duyệt kế hoạch"),
    "return_plan": gettext_lazy("Trả lại để sửa kế hoạch"),
    "review": gettext_lazy("Rà soát, đánh giá kết quả"),
    "new_plan": gettext_lazy("Trẻ còn nguy cơ: xây dựng kế hoạch mới"),
    "close": gettext_lazy("Trẻ đã an toàn: kết thúc"),
    "hand_over": gettext_lazy("Kết thúc vì chuyển đi, chuyển cơ quan khác"),
    "reopen": gettext_lazy("Mở lại hồ sơ"),
}


def _own_commune(user: User) -> Unit | None:
    """The commune of a commune's own staff; nothing for the hotline, which serves many."""
    communes = list(Unit.objects.visible_to(user, capability=Capability.RECEIVE_NOTIFICATIONS)
                    .current().filter(level=Level.COMMUNE).select_related("parent")[:2])
    return communes[0] if len(communes) == 1 else None


@require_capability(Capability.RECEIVE_NOTIFICATIONS)
def notification_create_view(request: AuthedRequest) -> HttpResponse:
    initial = {"received_at": timezone.localtime().replace(second=0, microsecond=0)}
    form = forms.NotificationForm(request.POST or None, initial=initial, user=request.user,
                                  commune=_own_commune(request.user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["forms"] = data.pop("abuse_forms")
        commune = data.pop("commune")
        try:
            notification = services.notification_record(actor=request.user, commune=commune,
                                                        **data)
        except PermissionDenied as error:
            form.add_error("commune", str(error))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã ghi nhận thông báo và chuyển đến %(commune)s.")
                             % {"commune": commune.name})
            return redirect("cases:notification_detail", notification_id=notification.public_id)
    return render(request, "cases/notification_form.html", {"form": form})


@require_capability(Capability.RECEIVE_NOTIFICATIONS)
def commune_search_view(request: AuthedRequest) -> HttpResponse:
    """The communes a notification may go to, matching what is typed (the intake form's
    picker): those of the user's scope only, as the form itself accepts."""
    return picker_results(request, forms.CommuneSource(request.user))


@require_capability(Capability.RECEIVE_NOTIFICATIONS)
def notification_list_view(request: AuthedRequest) -> HttpResponse:
    notifications = selectors.with_emergency_clock(selectors.notification_list(user=request.user))
    page = CappedPaginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/notification_list.html", {"page": page})


def _notification_page(request: AuthedRequest, notification_id: Any,
                       search: forms.ChildSearchForm) -> HttpResponse:
    view = selectors.get_notification_for_user(user=request.user,
                                               notification_id=notification_id)
    notification = view.notification
    # As one types, htmx asks for the children found only (the notification is not shown
    # again, so not read again: one read recorded for the page, not one a keystroke).
    partial = request.headers.get("HX-Request") == "true" and request.method == "POST"
    if not partial:
        read_record(actor=request.user, obj=notification, unit=notification.commune)
    may_open = notification.case_id is None and request.user.in_scope(
        notification.unit_path, capability=Capability.MANAGE_CASES)
    children: list[Child] = []
    q = search.cleaned_data.get("q", "") if search.is_valid() and may_open else ""
    if q:
        found = registry_selectors.child_list(
            user=request.user, filters=registry_selectors.ChildFilters(q=q))
        children = list(found.filter(commune=notification.commune)[:PICK_MAX])
    template = "cases/_child_results.html" if partial else "cases/notification_detail.html"
    return render(request, template, {
        "n": notification, "shows_reporter": view.shows_reporter, "may_open": may_open,
        "search": search, "q": q, "children": children})


@require_capability(Capability.RECEIVE_NOTIFICATIONS)
def notification_detail_view(request: AuthedRequest, notification_id: str) -> HttpResponse:
    return _notification_page(request, notification_id, forms.ChildSearchForm(request.POST or None))


@require_capability(Capability.MANAGE_CASES)
@require_POST
def case_open_view(request: AuthedRequest, notification_id: str) -> HttpResponse:
    view = selectors.get_notification_for_user(user=request.user,
                                               notification_id=notification_id)
    child = (Child.objects.visible_to(request.user, capability=Capability.MANAGE_CHILDREN)
             .on_record().filter(public_id=request.POST.get("child") or None).first()
             if _is_uuid(request.POST.get("child")) else None)
    if child is None:
        messages.error(request, _("Hãy tìm và chọn trẻ trong sổ theo dõi."))
        return redirect("cases:notification_detail", notification_id=notification_id)
    try:
        case = services.case_open(actor=request.user, notification=view.notification,
                                  child=child)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("cases:notification_detail", notification_id=notification_id)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("Đã mở hồ sơ trường hợp."))
    return redirect("cases:case_detail", case_id=case.public_id)


def _is_uuid(value: str | None) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


@require_capability(Capability.VIEW_CASES)
def case_list_view(request: AuthedRequest) -> HttpResponse:
    """The cases the user may see, narrowed by step, form, place, perpetrator, period or
    being overdue (none of which names anyone, so the filters travel in the URL)."""
    filters = forms.CaseFilterForm(request.GET or None)
    now = timezone.now()
    cases = selectors.filter_cases(selectors.case_list(user=request.user), filters.where(),
                                   now=now)
    rows, sort = selectors.case_page_rows(cases, sort=request.GET.get("sort"))
    page = CappedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("sort", None)
    if sort != selectors.DEFAULT_CASE_SORT:
        query["sort"] = sort
    # The sort links keep the filters and start again at page 1.
    unsorted = request.GET.copy()
    for key in ("page", "sort"):
        unsorted.pop(key, None)
    return render(request, "cases/case_list.html", {
        "page": page, "filters": filters, "query": query.urlencode(), "now": now,
        "sort": sort, "sorts": _sort_links(unsorted.urlencode(), sort),
        "filtered": any(v for k, v in request.GET.items() if k not in ("page", "sort")),
        "export": forms.CaseExportForm(initial=dict(request.GET.items()))})


# The columns the case list sorts by, with the direction a first click sorts in.
SORT_COLUMNS = {"number": "-number", "received": "-received", "deadline": "deadline"}


def _sort_links(query: str, current: str) -> dict[str, dict[str, str]]:
    """For each sortable column: the link that sorts by it (a second click reverses), and its
    state for `aria-sort`."""
    links = {}
    for column, first in SORT_COLUMNS.items():
        if current.lstrip("-") == column:
            target = current[1:] if current.startswith("-") else f"-{current}"
            state = "descending" if current.startswith("-") else "ascending"
        else:
            target, state = first, "none"
        links[column] = {"href": "?" + (f"{query}&" if query else "") + f"sort={target}",
                         "state": state}
    return links


@require_capability(Capability.VIEW_CASES)
@require_POST
def case_export_view(request: AuthedRequest) -> HttpResponse:
    """The filtered list as .xlsx, with the reason in the audit log."""
    form = forms.CaseExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("cases:case_list")
    cases = selectors.filter_cases(selectors.case_list(user=request.user), form.where(),
                                   now=timezone.now())
    unit = default_unit_for(user=request.user, capability=Capability.VIEW_CASES)
    data = exporting.case_list_workbook(actor=request.user, cases=cases,
                                        reason=form.cleaned_data["reason"], unit=unit)
    return attachment(data, filename=f"ho-so-truong-hop-{timezone.localdate():%Y%m%d}.xlsx")


@require_capability(Capability.VIEW_CASES)
def case_detail_view(request: AuthedRequest, case_id: str) -> HttpResponse:
    case = selectors.get_case_for_user(user=request.user, case_id=case_id)
    read_record(actor=request.user, obj=case, unit=case.commune)
    moves = [(name, MOVE_LABELS[name], bool(MOVES[name].close_reasons))
             for name in selectors.moves_for(user=request.user, case=case)]
    workers = list(selectors.case_workers(case=case))
    abuses = list(case.abuses.all())
    is_worker = any(w.pk == request.user.pk for w in workers)
    may_approve = selectors.may_approve(user=request.user, case=case)
    may_assign = (is_worker or may_approve) and case.status != Status.CLOSED
    return render(request, "cases/case_detail.html", {
        "case": case, "moves": moves, "events": case.events.select_related("by"),
        "deadlines": case.deadlines.all(), "abuses": abuses,
        "protections": case.protections.all(),
        "assessments": case.assessments.select_related("done_by"),
        "plans": case.plans.prefetch_related("items"),
        "assessment_form": (forms.AssessmentForm(kind=ASSESSMENT_AT[case.status],
                                                 initial={"done_on": timezone.localdate()})
                            if case.status in ASSESSMENT_AT else None),
        "assessment_kind": ASSESSMENT_AT.get(case.status, ""),
        "plan_form": (forms.PlanEditForm(initial=_plan_initial(case))
                      if case.status == Status.PLANNING else None),
        "shares": case.shares.filter(withdrawn_at__isnull=True).select_related("unit"),
        "units_above": _units_above(case) if case.status != Status.CLOSED else [],
        "referrals": [(r, selectors.may_answer(user=request.user, referral=r))
                      for r in case.referrals.select_related("case")],
        "referral_form": forms.ReferralForm(),
        "is_worker": is_worker, "may_approve": may_approve,
        "workers": workers, "may_assign": may_assign,
        "assignable": selectors.assignable_workers(case=case) if may_assign else [],
        "facts_form": forms.FactsEditForm(initial=_facts_of(case)),
        "measure_form": forms.MeasureForm(initial={"taken_at": timezone.localtime()}),
        "separation_form": forms.SeparationForm(initial={"taken_at": timezone.localtime()}),
        "now": timezone.now(), "closed": case.status == Status.CLOSED})


@require_capability(Capability.VIEW_CASES)
@require_POST
def case_move_view(request: AuthedRequest, case_id: str) -> HttpResponse:
    case = selectors.get_case_for_user(user=request.user, case_id=case_id)
    return _act_on_case(
        request, case, forms.MoveForm(request.POST),
        lambda data: services.case_move(actor=request.user, case=case, **data),
        _("Đã chuyển hồ sơ sang bước mới."), invalid=_("Thao tác không hợp lệ."))


@require_capability(Capability.VIEW_CASES)
@require_POST
def protection_add_view(request: AuthedRequest, case_id: str, kind: str) -> HttpResponse:
    """An emergency measure (the case's workers) or a temporary separation (the chairman)."""
    case = selectors.get_case_for_user(user=request.user, case_id=case_id)
    separation = kind == "separation"
    if kind not in ("measure", "separation"):
        raise Http404
    if separation:
        return _act_on_case(
            request, case, forms.SeparationForm(request.POST),
            lambda data: services.separation_decide(actor=request.user, case=case, **data),
            _("Đã ghi quyết định tạm thời cách ly."))
    return _act_on_case(
        request, case, forms.MeasureForm(request.POST),
        lambda data: services.protection_measure(actor=request.user, case=case, **data),
        _("Đã ghi biện pháp can thiệp khẩn cấp."))


@require_capability(Capability.VIEW_CASES)
@require_POST
def separation_change_view(request: AuthedRequest, protection_id: str) -> HttpResponse:
    protection = selectors.get_protection_for_user(user=request.user,
                                                   protection_id=protection_id)

    def change(data: dict[str, Any]) -> object:
        if data["action"] == "extend":
            return services.separation_extend(actor=request.user, protection=protection,
                                              days=data["days"] or 0,
                                              authority_request=data["authority_request"])
        return services.separation_end(actor=request.user, protection=protection,
                                       reason=data["reason"])

    return _act_on_case(request, protection.case, forms.SeparationChangeForm(request.POST),
                        change, _("Đã cập nhật việc tạm thời cách ly."))


def _facts_of(case: Any) -> dict[str, Any]:
    """The facts form's initial values: the facts as saved, at their version."""
    facts = services.case_facts_of(case)
    return {"abuse_forms": facts.pop("forms"), **facts, "version": case.facts_version}


def _act_on_case(request: AuthedRequest, case: Any, form: Any,
                 action: Callable[[dict[str, Any]], object], success: str,
                 invalid: str | None = None) -> HttpResponse:
    """The pattern of every small form of the case page: check the form, run the service,
    say in a message what was refused or done, and go back to the case."""
    if not form.is_valid():
        messages.error(request, invalid or form_errors_text(form))
    else:
        attempt(request, lambda: action(form.cleaned_data), success)
    return redirect("cases:case_detail", case_id=case.public_id)


@require_capability(Capability.VIEW_CASES)
@require_POST
def referral_add_view(request: AuthedRequest, case_id: str) -> HttpResponse:
    case = selectors.get_case_for_user(user=request.user, case_id=case_id)
    return _act_on_case(
        request, case, forms.ReferralForm(request.POST),
        lambda data: services.referral_create(actor=request.user, case=case, **data),
        _("Đã chuyển gửi yêu cầu dịch vụ."))


@require_capability(Capability.VIEW_CASES)
@require_POST
def referral_answer_view(request: AuthedRequest, referral_id: str) -> HttpResponse:
    referral = selectors.get_referral_for_user(user=request.user, referral_id=referral_id)

    def answer(data: dict[str, Any]) -> object:
        if data["action"] == "result":
            return services.referral_result(actor=request.user, referral=referral,
                                            result=data["text"])
        return services.referral_answer(actor=request.user, referral=referral,
                                        accept=data["action"] == "accept", note=data["text"])

    return _act_on_case(request, referral.case, forms.ReferralAnswerForm(request.POST),
                        answer, _("Đã cập nhật yêu cầu dịch vụ."))


def _case_form(request: AuthedRequest, template: str, context: dict[str, Any], *, audited: Any,
               unit: Unit, numbers: str, ref: uuid.UUID, as_pdf: bool) -> HttpResponse:
    """One of the annex forms of Nghị định 56/2017: the page to print from the browser or, as_pdf,
    the same page as a PDF made on the server. Either is a read of `audited`, its audit event
    saying which.

    The PDF is named by the form's numbers and the start of the printed row's public id (`ref`),
    never by the child: a download's name stays in the browser's history and in folders."""
    read_record(actor=request.user, obj=audited, unit=unit,
                reason=READ_AS_PDF if as_pdf else READ_AS_PRINT)
    if not as_pdf:
        return render(request, template, context)
    # Imported on the first PDF: WeasyPrint loads Pango, which no other page needs.
    from treem.ui.pdf import render_pdf

    return render_pdf(request, template, context, filename=f"mau-{numbers}-{ref.hex[:8]}.pdf")


@require_capability(Capability.RECEIVE_NOTIFICATIONS)
def notification_print_view(request: AuthedRequest, notification_id: str, *,
                            as_pdf: bool = False) -> HttpResponse:
    """The receipt form (Mẫu số 01), to print from the browser or download as a PDF."""
    view = selectors.get_notification_for_user(user=request.user,
                                               notification_id=notification_id)
    notification = view.notification
    return _case_form(request, "cases/notification_print.html", {
        "n": notification, "shows_reporter": view.shows_reporter,
        "receiving_unit": _("Tổng đài điện thoại quốc gia bảo vệ trẻ em 111")
        if notification.channel == "hotline_111" else notification.commune.name},
        audited=notification, unit=notification.commune, numbers="01",
        ref=notification.public_id, as_pdf=as_pdf)


# The assessment each step asks for, offered on the case page to its workers.
ASSESSMENT_AT: dict[str, str] = {Status.VERIFYING: "initial", Status.ASSESSING: "detailed",
                                 Status.REVIEWING: "review"}


@require_capability(Capability.VIEW_CASES)
@require_POST
def assessment_add_view(request: AuthedRequest, case_id: str, kind: str) -> HttpResponse:
    case = selectors.get_case_for_user(user=request.user, case_id=case_id)
    if kind not in assessments.ITEMS:
        raise Http404
    form = forms.AssessmentForm(request.POST, kind=kind)
    return _act_on_case(
        request, case, form,
        lambda _data: services.assessment_record(actor=request.user, case=case,
                                                 **form.values()),
        _("Đã ghi đánh giá."))


@require_capability(Capability.VIEW_CASES)
@require_POST
def plan_save_view(request: AuthedRequest, case_id: str) -> HttpResponse:
    """Save the plan being built. When another worker saved the same part of it (its goal, or
    its items) since the form was read, the form comes back on a page of its own with both
    to choose from, the worker's input kept; nothing is written until the worker chooses."""
    case = selectors.get_case_for_user(user=request.user, case_id=case_id)
    form = forms.PlanEditForm(request.POST, initial=_plan_initial(case))
    if not form.is_valid():
        if form.pending:  # the choice asked for was not made: ask again
            return render(request, "cases/plan_form.html", {"case": case, "form": form})
        messages.error(request, form_errors_text(form))
        return redirect("cases:case_detail", case_id=case.public_id)
    try:
        services.plan_save(actor=request.user, case=case, **form.edit())
    except EditConflict as conflict:
        form = forms.PlanEditForm(form.after_conflict(conflict, _plan_initial(case)),
                                  asking=True)
        return render(request, "cases/plan_form.html", {"case": case, "form": form})
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Đã lưu kế hoạch."))
    return redirect("cases:case_detail", case_id=case.public_id)


@require_capability(Capability.VIEW_CASES)
def assessment_print_view(request: AuthedRequest, assessment_id: str, *,
                          as_pdf: bool = False) -> HttpResponse:
    """An assessment in the order of its form (Mẫu 02, 03 or 06), to print or as a PDF."""
    assessment = selectors.get_assessment_for_user(user=request.user,
                                                   assessment_id=assessment_id)
    case = assessment.case
    code, title = assessments.FORMS[assessment.kind]
    levels = dict(assessments.LEVELS)
    rows = [(item.label, levels.get(assessment.ratings.get(item.key, ""), "—") if item.rated
             else assessment.answers.get(item.key) or "—", item.rated)
            for item in assessments.ITEMS[assessment.kind]]
    totals = assessments.totals(assessment.ratings)
    return _case_form(request, "cases/assessment_print.html", {
        "a": assessment, "case": case, "code": code, "title": title, "rows": rows,
        "totals": [(levels[level], count) for level, count in totals.items()]
        if assessment.ratings else []},
        audited=case, unit=case.commune, numbers=code.split()[-1], ref=assessment.public_id,
        as_pdf=as_pdf)


@require_capability(Capability.VIEW_CASES)
def plan_print_view(request: AuthedRequest, plan_id: str, *, as_pdf: bool = False) -> HttpResponse:
    """The plan (Mẫu 04) with, once approved, the chairman's decision (Mẫu 05) before it."""
    plan = selectors.get_plan_for_user(user=request.user, plan_id=plan_id)
    items = list(plan.items.all())
    return _case_form(request, "cases/plan_print.html", {
        "plan": plan, "case": plan.case, "items": items,
        "total": sum((item.cost for item in items), start=0),
        "grounds": decisions.plan_grounds(), "recipients": decisions.plan_recipients(items)},
        audited=plan.case, unit=plan.case.commune,
        numbers="05-04" if plan.approved_at else "04", ref=plan.public_id, as_pdf=as_pdf)


def _plan_initial(case: Any) -> dict[str, Any]:
    """The plan being built as saved (its draft, or the copy of the plan returned), at its
    version: 0 when there is no draft yet."""
    draft = case.plans.filter(submitted_at__isnull=True).prefetch_related("items").first()
    initial: dict[str, Any] = {name: None for name in forms.PlanEditForm.groups["items"]}
    initial.update({"goal": draft.goal if draft else "",
                    "version": draft.version if draft else 0})
    if draft is not None:
        for row, item in enumerate(draft.items.all(), start=1):
            initial.update({f"task_{row}": item.task, f"starts_on_{row}": item.starts_on,
                            f"ends_on_{row}": item.ends_on,
                            f"responsible_{row}": item.responsible,
                            f"provider_{row}": item.provider, f"cost_{row}": item.cost})
    return initial


def _period(request: AuthedRequest) -> forms.PeriodForm:
    today = timezone.localdate()
    data = request.GET if "start" in request.GET else {
        "start": today.replace(month=1, day=1).strftime(DAY_FORMAT),
        "end": today.strftime(DAY_FORMAT)}
    return forms.PeriodForm(data)


@replica_reads()
def _tables(user: User, start: Any, end: Any) -> list[tuple[str, list[tuple[str, int]]]]:
    paths = user.scope_paths(capability=Capability.VIEW_CASE_STATISTICS)
    tables = [(str(BREAKDOWN_TITLES[by]),
               statistics.case_counts(paths=paths, start=start, end=end, by=by))
              for by in statistics.BREAKDOWNS]
    tables.append((str(_("Trẻ em tử vong do tai nạn, thương tích")),
                   statistics.injury_deaths(paths=paths, start=start, end=end)))
    tables += statistics.timeliness_tables(paths=paths, start=start, end=end)
    return tables


@require_capability(Capability.VIEW_CASE_STATISTICS)
def statistics_view(request: AuthedRequest) -> HttpResponse:
    """Counts for the period and the user's scope; the period travels in the URL (no names)."""
    period = _period(request)
    tables = _tables(request.user, period.cleaned_data["start"], period.cleaned_data["end"]) \
        if period.is_valid() else []
    return render(request, "cases/statistics.html", {
        "period": period, "tables": tables,
        "export": forms.StatisticsExportForm(initial=dict(period.data.items()))})


@require_capability(Capability.VIEW_CASE_STATISTICS)
@require_POST
def statistics_export_view(request: AuthedRequest) -> HttpResponse:
    form = forms.StatisticsExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("cases:statistics")
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    unit = default_unit_for(user=request.user, capability=Capability.VIEW_CASE_STATISTICS)
    data = exporting.statistics_workbook(
        actor=request.user, tables=_tables(request.user, start, end),
        period=f"{start:%d/%m/%Y}–{end:%d/%m/%Y}", reason=form.cleaned_data["reason"],
        unit=unit)
    return attachment(data, filename=f"so-lieu-{start:%Y%m%d}.xlsx")


@require_capability(Capability.VIEW_CASES)
def separation_print_view(request: AuthedRequest, protection_id: str, *,
                          as_pdf: bool = False) -> HttpResponse:
    """The chairman's separation decision (Mẫu số 07), to print or as a PDF."""
    protection = selectors.get_protection_for_user(user=request.user,
                                                   protection_id=protection_id)
    if protection.kind != protection.Kind.SEPARATION:
        raise Http404
    case = protection.case
    return _case_form(request, "cases/separation_print.html", {
        "p": protection, "case": case, "grounds": decisions.separation_grounds(),
        "end_grounds": decisions.separation_end_grounds(),
        "recipients": decisions.separation_recipients(protection)},
                      audited=case, unit=case.commune, numbers="07", ref=protection.public_id,
                      as_pdf=as_pdf)


@require_capability(Capability.VIEW_CASES)
@require_POST
def case_share_view(request: AuthedRequest, case_id: str) -> HttpResponse:
    """Show the case to the province (or district) above the commune."""
    case = selectors.get_case_for_user(user=request.user, case_id=case_id)
    above = {str(unit.public_id): unit for unit in _units_above(case)}
    unit = above.get(request.POST.get("unit", ""))
    if unit is None:
        messages.error(request, _("Hãy chọn tỉnh, huyện để chia sẻ."))
        return redirect("cases:case_detail", case_id=case.public_id)
    try:
        services.case_share(actor=request.user, case=case, unit=unit,
                            reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Đã chia sẻ hồ sơ với %(unit)s.") % {"unit": unit.name})
    return redirect("cases:case_detail", case_id=case.public_id)


@require_capability(Capability.VIEW_CASES)
@require_POST
def case_facts_view(request: AuthedRequest, case_id: str) -> HttpResponse:
    """Save a correction of the facts. When another worker corrected the same facts since
    the form was read, the form comes back on a page of its own with both values to choose
    from; nothing is written until the worker chooses."""
    case = selectors.get_case_for_user(user=request.user, case_id=case_id)
    form = forms.FactsEditForm(request.POST, initial=_facts_of(case))
    if not form.is_valid():
        if form.pending:  # the choice asked for was not made: ask again
            return render(request, "cases/case_facts.html", {"case": case, "form": form})
        messages.error(request, form_errors_text(form))
        return redirect("cases:case_detail", case_id=case.public_id)
    try:
        services.case_facts(actor=request.user, case=case, **form.edit())
    except EditConflict as conflict:
        # `case` now holds the facts as saved (read again under its lock).
        form = forms.FactsEditForm(form.after_conflict(conflict, _facts_of(case)),
                                   asking=True)
        return render(request, "cases/case_facts.html", {"case": case, "form": form})
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Đã cập nhật thông tin vụ việc."))
    return redirect("cases:case_detail", case_id=case.public_id)


@require_capability(Capability.VIEW_CASES)
@require_POST
def case_workers_view(request: AuthedRequest, case_id: str) -> HttpResponse:
    """Add a worker to the case, or take one off (the chairman or a worker)."""
    case = selectors.get_case_for_user(user=request.user, case_id=case_id)
    form = forms.WorkerForm(request.POST, case=case)

    def change(data: dict[str, Any]) -> object:
        action = services.case_assign if data["action"] == "add" else services.case_unassign
        return action(actor=request.user, case=case, worker=data["worker"])

    return _act_on_case(request, case, form, change, _("Đã cập nhật người phụ trách hồ sơ."))


def _units_above(case: Any) -> list[Unit]:
    """The province and district units whose subtree holds the case's commune."""
    prefixes = [case.unit_path[:end + 1] for end, char in enumerate(case.unit_path)
                if char == "."]
    return list(Unit.objects.filter(path__in=prefixes,
                                    level__in=[Level.PROVINCE, Level.DISTRICT]).order_by("path"))


YEAR_OUT_OF_RANGE = gettext_lazy("Năm phải từ %(min)s đến %(max)s.")


@require_capability(Capability.MANAGE_CALENDAR)
def calendar_view(request: AuthedRequest) -> HttpResponse:
    """The days off and Saturdays worked of a year, and their keeping (national data)."""
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    if not CALENDAR_YEARS[0] <= year <= CALENDAR_YEARS[1]:
        messages.error(request, YEAR_OUT_OF_RANGE % {"min": CALENDAR_YEARS[0],
                                                     "max": CALENDAR_YEARS[1]})
        year = today.year
    form = forms.CalendarDayForm(request.POST if request.POST.get("action") == "add" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "remove":
                text = request.POST.get("day", "")
                row = (CalendarDay.objects.filter(day=datetime.date.fromisoformat(text)).first()
                       if _is_date(text) else None)
                if row is None:
                    raise Http404
                calendar_services.calendar_day_remove(actor=request.user, row=row,
                                                      reason=request.POST.get("reason", ""))
                messages.success(request, _("Đã bỏ ngày khỏi lịch."))
                return redirect(f"{request.path}?year={row.day.year}")
            if form.is_valid():
                row = calendar_services.calendar_day_add(actor=request.user, **form.cleaned_data)
                messages.success(request, _("Đã thêm ngày vào lịch."))
                return redirect(f"{request.path}?year={row.day.year}")
        except PermissionDenied as error:
            messages.error(request, str(error))
        except ValidationError as error:
            add_service_errors(form, error)
    return render(request, "cases/calendar.html", {
        "year": year, "days": calendar_selectors.calendar_year(year),
        "form": form, "years": [year - 1, year, year + 1]})


def _is_date(value: str | None) -> bool:
    try:
        datetime.date.fromisoformat(str(value))
    except ValueError:
        return False
    return True

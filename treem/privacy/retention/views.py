"""The retention pages: the rules (the installation's administrators), what reached its end
and its review (the province's office), the legal holds (the reviewers and the auditors)."""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from treem.accounts.capabilities import Capability
from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import require_capability
from treem.edits.conflicts import EditConflict
from treem.privacy.models import DueStatus, RetentionDue
from treem.privacy.retention import selectors, services
from treem.privacy.retention.forms import DecisionForm, DueFilterForm, HoldForm, LiftForm, RuleForm
from treem.ui.forms import add_service_errors
from treem.ui.pagination import CappedPaginator

PAGE_SIZE = 30


@require_capability(Capability.MANAGE_RETENTION)
def rule_list_view(request: AuthedRequest) -> HttpResponse:
    return render(request, "privacy/retention/rule_list.html",
                  {"rules": selectors.rule_list()})


@require_capability(Capability.MANAGE_RETENTION)
@require_http_methods(["GET", "POST"])
def rule_edit_view(request: AuthedRequest, kind: str) -> HttpResponse:
    rule = selectors.get_rule(record_kind=kind)
    initial = {name: getattr(rule, name) for name in services.RULE_FIELDS}
    form = RuleForm(request.POST or None, record_kind=rule.record_kind,
                    initial=initial | {"base_version": rule.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_update(actor=request.user, rule=rule, **form.cleaned_data)
        except EditConflict as conflict:
            form.add_error(None, conflict.message)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu quy tắc lưu trữ (phiên bản mới)."))
            return redirect("privacy:retention_rule_list")
    return render(request, "privacy/retention/rule_edit.html", {
        "rule": rule, "form": form, "versions": rule.versions.select_related("changed_by")})


@require_capability(Capability.REVIEW_RETENTION)
def due_list_view(request: AuthedRequest) -> HttpResponse:
    picker = DueFilterForm(request.GET if request.GET.keys() - {"page"} else None)
    rows = selectors.due_list(user=request.user,
                              filters=selectors.DueFilters(**picker.filters()))
    page = CappedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "privacy/retention/due_list.html", {
        "page": page, "picker": picker, "query": query.urlencode()})


def _due_page(request: AuthedRequest, due: RetentionDue, form: DecisionForm | None = None,
              status: int = 200) -> HttpResponse:
    return render(request, "privacy/retention/due_detail.html", {
        "due": due, "form": form or (DecisionForm() if due.status == DueStatus.DUE else None),
        "record": due.child or due.case or due.notification}, status=status)


@require_capability(Capability.REVIEW_RETENTION)
def due_detail_view(request: AuthedRequest, due_id: uuid.UUID) -> HttpResponse:
    return _due_page(request, selectors.get_due_for_user(user=request.user, due_id=due_id))


@require_capability(Capability.REVIEW_RETENTION)
@require_POST
def due_decide_view(request: AuthedRequest, due_id: uuid.UUID) -> HttpResponse:
    due = selectors.get_due_for_user(user=request.user, due_id=due_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.due_decide(actor=request.user, due=due, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã ghi quyết định về hồ sơ %(ref)s.")
                             % {"ref": due.reference})
            return redirect("privacy:retention_due_list")
    return _due_page(request, due, form)


def _holder(view: Any) -> Any:
    """The hold pages' gate: a reviewer or an auditor (`selectors.may_hold`)."""

    def wrapped(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not selectors.may_hold(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _hold_page(request: AuthedRequest, form: HoldForm | None = None,
               status: int = 200) -> HttpResponse:
    rows = selectors.hold_list(user=request.user)
    page = CappedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "privacy/retention/hold_list.html", {
        "page": page, "form": form or HoldForm(), "lift_form": LiftForm()}, status=status)


@_holder
def hold_list_view(request: AuthedRequest) -> HttpResponse:
    return _hold_page(request)


@_holder
@require_POST
def hold_place_view(request: AuthedRequest) -> HttpResponse:
    form = HoldForm(request.POST)
    if form.is_valid():
        record = selectors.held_record(user=request.user, record_id=form.cleaned_data["record"])
        try:
            hold = services.hold_place(actor=request.user, reason=form.cleaned_data["reason"],
                                       **record)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã tạm giữ hồ sơ (%(ref)s).") % {"ref": hold.reference})
            return redirect("privacy:retention_hold_list")
    return _hold_page(request, form)


@_holder
@require_POST
def hold_lift_view(request: AuthedRequest, hold_id: uuid.UUID) -> HttpResponse:
    hold = selectors.get_hold_for_user(user=request.user, hold_id=hold_id)
    form = LiftForm(request.POST)
    if form.is_valid():
        try:
            services.hold_lift(actor=request.user, hold=hold, reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("Đã chấm dứt tạm giữ %(ref)s.") % {"ref": hold.reference})
    else:
        messages.error(request, " ".join(str(e) for e in form.errors.get("reason", [])))
    return redirect("privacy:retention_hold_list")

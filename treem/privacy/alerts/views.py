"""The auditors' pages: unusual access flagged by the detection, and breaches of personal
data with their notification to the specialised agency (docs/access-alerts.md)."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability, has_capability, require_capability
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.auditlog import labels
from treem.privacy.alerts import law, selectors, services
from treem.privacy.alerts.forms import AlertFilterForm, BreachForm, DecisionForm
from treem.privacy.models import AccessAlert, AlertStatus, Breach, DataCategory, Rule
from treem.privacy.models.alerts import ALLOWED
from treem.ui.forms import add_service_errors, error_text, form_errors_text
from treem.ui.pagination import CappedPaginator

PAGE_SIZE = 50


@require_capability(Capability.VIEW_ACCESS_ALERTS)
@require_safe
def alert_list_view(request: AuthedRequest) -> HttpResponse:
    form = AlertFilterForm(request.GET or None)
    alerts: QuerySet[AccessAlert]
    if form.is_bound and not form.is_valid():
        alerts = AccessAlert.objects.none()  # a filter that cannot apply shows nothing
    else:
        alerts = selectors.alert_list(user=request.user,
                                      **(form.cleaned_data if form.is_bound else {}))
    page = CappedPaginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "privacy/alerts/alert_list.html", {
        "form": form, "page": page, "query": query.urlencode(), "filtered": form.is_bound,
        "open_status": AlertStatus.OPEN})


def _audit_log_link(request: AuthedRequest, alert: AccessAlert) -> str:
    """The audit log's page of the same events, for an auditor who reads it."""
    if not has_capability(request.user, Capability.VIEW_AUDIT):
        return ""
    query: dict[str, str] = {"date_from": f"{alert.day:%d/%m/%Y}",
                             "date_to": f"{alert.day:%d/%m/%Y}"}
    if alert.username:
        query["username"] = alert.username
    query["action"] = {Rule.HEAVY_READING: Action.VIEW, Rule.OUTSIDE_AREA: Action.VIEW,
                       Rule.NIGHT_EXPORT: Action.EXPORT,
                       Rule.FAILED_SIGN_INS: Action.LOGIN_FAILED}[Rule(alert.rule)]
    return f"{reverse('audit:event_list')}?{urlencode(query)}"


@require_capability(Capability.VIEW_ACCESS_ALERTS)
@require_safe
def alert_detail_view(request: AuthedRequest, alert_id: str) -> HttpResponse:
    alert = selectors.get_alert_for_user(user=request.user, alert_id=alert_id)
    events = selectors.alert_events(user=request.user, alert=alert)
    page = CappedPaginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "privacy/alerts/alert_detail.html", {
        "alert": alert, "page": page,
        "sentences": labels.sentences(reader=request.user, events=page.object_list),
        "form": DecisionForm(current=alert.status), "may_decide": bool(ALLOWED[alert.status]),
        "audit_link": _audit_log_link(request, alert)})


@require_capability(Capability.VIEW_ACCESS_ALERTS)
@require_POST
def alert_decide_view(request: AuthedRequest, alert_id: str) -> HttpResponse:
    alert = selectors.get_alert_for_user(user=request.user, alert_id=alert_id)
    form = DecisionForm(request.POST, current=alert.status)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("privacy:alert_detail", alert_id=alert.public_id)
    try:
        alert = services.alert_decide(actor=request.user, alert=alert, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Đã ghi kết luận: %(status)s.")
                         % {"status": alert.get_status_display()})
    return redirect("privacy:alert_detail", alert_id=alert.public_id)


# --- Breaches ----------------------------------------------------------------------------------

def _law() -> dict[str, Any]:
    return {"deadline_hours": law.NOTIFICATION_HOURS, "article": law.NOTIFICATION_ARTICLE,
            "authority": law.AUTHORITY, "notice_form": law.NOTICE_FORM}


@require_capability(Capability.RECORD_BREACHES)
@require_safe
def breach_list_view(request: AuthedRequest) -> HttpResponse:
    page = CappedPaginator(selectors.breach_list(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "privacy/alerts/breach_list.html", {"page": page, **_law()})


@require_capability(Capability.RECORD_BREACHES)
def breach_create_view(request: AuthedRequest) -> HttpResponse:
    form = BreachForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            breach = services.breach_record(actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã ghi nhận vi phạm."))
            return redirect("privacy:breach_detail", breach_id=breach.public_id)
    return render(request, "privacy/alerts/breach_form.html", {"form": form, **_law()})


@require_capability(Capability.RECORD_BREACHES)
@require_safe
def breach_detail_view(request: AuthedRequest, breach_id: str) -> HttpResponse:
    breach = selectors.get_breach_for_user(user=request.user, breach_id=breach_id)
    return render(request, "privacy/alerts/breach_detail.html", {
        "breach": breach, "categories": _categories(breach), **_law()})


@require_capability(Capability.RECORD_BREACHES)
def breach_edit_view(request: AuthedRequest, breach_id: str) -> HttpResponse:
    breach = selectors.get_breach_for_user(user=request.user, breach_id=breach_id)
    initial = {field: getattr(breach, field) for field in services.BREACH_FIELDS}
    form = BreachForm(request.POST or None, initial=initial, user=request.user, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.breach_update(actor=request.user, breach=breach, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("privacy:breach_detail", breach_id=breach.public_id)
    return render(request, "privacy/alerts/breach_form.html", {
        "form": form, "breach": breach, **_law()})


def _categories(breach: Breach) -> list[str]:
    return [str(DataCategory(c).label) for c in breach.categories]


@require_capability(Capability.RECORD_BREACHES)
@require_safe
def breach_print_view(request: AuthedRequest, breach_id: str, *,
                      as_pdf: bool = False) -> HttpResponse:
    """The notification to the specialised agency, to print or download as a PDF (audited: it
    says how many children and which of their data)."""
    breach = selectors.get_breach_for_user(user=request.user, breach_id=breach_id)
    context = {"breach": breach, "categories": _categories(breach),
               "today": timezone.localdate(), **_law()}
    event_record(actor=request.user, action=Action.EXPORT, obj=breach, unit=breach.unit,
                 fields=["notification"], reason="pdf" if as_pdf else "print")
    if as_pdf:
        from treem.ui.pdf import render_pdf  # WeasyPrint loads Pango: only when asked

        return render_pdf(request, "privacy/alerts/breach_print.html", context,
                          filename=f"thong-bao-vi-pham-{str(breach.public_id)[:8]}.pdf")
    return render(request, "privacy/alerts/breach_print.html", context)

"""The data subject's requests: logged by the commune's officer from the child's page, handled
to their answer (first reply, extension, corrections through the register, decision with its
legal ground, "what treem holds" export), listed with what is overdue."""

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability, has_capability, require_capability
from treem.accounts.roles import Role
from treem.cases.selectors import case_list
from treem.edits.conflicts import EditConflict
from treem.privacy.models import RequestKind, Status, SubjectRequest
from treem.privacy.requests import carrying, forms, holdings, selectors, services
from treem.registry import selectors as registry
from treem.ui.downloads import JSON, attachment
from treem.ui.forms import add_service_errors, error_text
from treem.ui.pagination import CappedPaginator

PAGE_SIZE = 30


@require_capability(Capability.VIEW_DATA_REQUESTS)
def request_list_view(request: AuthedRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    overdue = request.GET.get("overdue") == "1"
    rows = selectors.request_list(user=request.user, filters=selectors.RequestFilters(
        status=status, overdue=overdue))
    page = CappedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "privacy/requests/list.html", {
        "page": page, "query": query.urlencode(), "status": status, "overdue": overdue,
        "statuses": Status.choices,
        "overdue_count": selectors.overdue_for(user=request.user).count()
        if has_capability(request.user, Capability.HANDLE_DATA_REQUESTS) else 0})


@require_capability(Capability.HANDLE_DATA_REQUESTS)
def request_new_view(request: AuthedRequest, child_id: str) -> HttpResponse:
    view = registry.get_child_for_user(user=request.user, child_id=child_id)
    if view.until is not None:  # a child who moved away: the commune of today receives it
        raise PermissionDenied
    child = view.child
    form = forms.ReceiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.request_receive(actor=request.user, child=child, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, gettext("Đã ghi nhận yêu cầu. Hạn phản hồi %(reply)s, hạn "
                                              "giải quyết %(due)s.") % {
                "reply": f"{made.first_reply_due_on:%d/%m/%Y}", "due": f"{made.due_on:%d/%m/%Y}"})
            return redirect("privacy:request_detail", made.public_id)
    return render(request, "privacy/requests/new.html", {"child": child, "form": form})


def _case_choices(request: AuthedRequest, subject: SubjectRequest) -> list[tuple[str, str]]:
    cases = case_list(user=request.user).filter(child=subject.child).order_by("received_at")
    return [(str(c.public_id), gettext("Hồ sơ %(n)s, tiếp nhận %(d)s (%(s)s)") % {
        "n": f"{c.number}/{c.number_year}" if c.number else "—",
        "d": f"{c.received_at:%d/%m/%Y}", "s": c.get_status_display()}) for c in cases]


def _consent_choices(subject: SubjectRequest) -> list[tuple[str, str]]:
    return [(str(c.public_id), gettext("%(p)s — %(who)s, ngày %(d)s") % {
        "p": c.get_purpose_display(), "who": c.representative_name,
        "d": f"{c.given_on:%d/%m/%Y}"}) for c in carrying.consents_to_withdraw(subject)]


def _detail(request: AuthedRequest, subject: SubjectRequest, **bound: Any) -> HttpResponse:
    handle = selectors.may_handle(user=request.user, request=subject)
    child = subject.child
    open_ = subject.status != Status.ANSWERED
    granted = subject.status == Status.DECIDED and subject.decision in services.GRANTING
    restriction = carrying.restriction_of(subject)
    consent_choices = (_consent_choices(subject) if subject.kind == RequestKind.WITHDRAW
                       else [])
    context = {
        "r": subject, "child": child, "may_handle": handle and open_,
        "corrections": subject.corrections.select_related("applied_by"),
        "may_correct": handle and open_ and subject.kind == RequestKind.CORRECT
        and request.user.in_scope(child.unit_path, capability=Capability.MANAGE_CHILDREN),
        "may_export": handle and subject.kind in (RequestKind.KNOW, RequestKind.ACCESS),
        "restriction": restriction,
        "restriction_roles": [Role(role).label for role in restriction.role_list
                              if role in Role.values] if restriction else [],
        "may_restrict": handle and open_ and granted and restriction is None
        and subject.kind in carrying.RESTRICTING,
        "may_lift": handle and restriction is not None,
        "may_erase": handle and open_ and granted and subject.kind == RequestKind.DELETE
        and subject.carried_out_at is None,
        "must_carry_out": services.must_carry_out(subject),
        "may_withdraw": handle and open_ and granted and subject.kind == RequestKind.WITHDRAW
        and subject.carried_out_at is None and bool(consent_choices),
        "forms": {
            "first_reply": forms.FirstReplyForm(),
            "extend": forms.ExtendForm(initial={"base_version": subject.version}),
            "correct": forms.CorrectionForm.for_child(child),
            "decide": forms.DecideForm(initial={"base_version": subject.version}),
            "answer": forms.AnswerForm(initial={"base_version": subject.version}),
            "restrict": forms.RestrictForm(),
            "lift": forms.LiftForm(),
            "erase": forms.EraseForm(),
            "withdraw": forms.WithdrawConsentsForm(consent_choices=consent_choices),
            "export": forms.ExportForm(case_choices=_case_choices(request, subject),
                                       initial={"cases": subject.exported_cases,
                                                "format": "pdf"}),
        } | bound,
    }
    return render(request, "privacy/requests/detail.html", context,
                  status=400 if bound else 200)


@require_capability(Capability.VIEW_DATA_REQUESTS)
def request_detail_view(request: AuthedRequest, request_id: str) -> HttpResponse:
    subject = selectors.get_request_for_user(user=request.user, request_id=request_id)
    return _detail(request, subject)


def _act(request: AuthedRequest, request_id: str, name: str, form: Any,
         act: Any) -> HttpResponse:
    """One action of the detail page: the form valid, the service called; its refusal shown on
    the form, the page otherwise back at the request. `form` may be a callable given the
    request read (a form whose choices depend on it), so that it is read and audited once."""
    subject = selectors.get_request_for_user(user=request.user, request_id=request_id,
                                             for_write=True)
    if callable(form):
        form = form(subject)
    if form.is_valid():
        try:
            act(subject, form)
        except EditConflict as conflict:
            form.add_error(None, conflict.message)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, gettext("Đã lưu."))
            return redirect("privacy:request_detail", subject.public_id)
    subject.refresh_from_db()
    return _detail(request, subject, **{name: form})


@require_POST
@require_capability(Capability.HANDLE_DATA_REQUESTS)
def request_first_reply_view(request: AuthedRequest, request_id: str) -> HttpResponse:
    return _act(request, request_id, "first_reply", forms.FirstReplyForm(request.POST),
                lambda r, f: services.request_first_reply(
                    actor=request.user, request=r, replied_on=f.cleaned_data["replied_on"]))


@require_POST
@require_capability(Capability.HANDLE_DATA_REQUESTS)
def request_extend_view(request: AuthedRequest, request_id: str) -> HttpResponse:
    return _act(request, request_id, "extend", forms.ExtendForm(request.POST),
                lambda r, f: services.request_extend(
                    actor=request.user, request=r, base_version=f.cleaned_data["base_version"],
                    reason=f.cleaned_data["extension_reason"]))


@require_POST
@require_capability(Capability.HANDLE_DATA_REQUESTS)
def request_correct_view(request: AuthedRequest, request_id: str) -> HttpResponse:
    return _act(request, request_id, "correct", forms.CorrectionForm(request.POST),
                lambda r, f: services.correction_apply(
                    actor=request.user, request=r, field=f.cleaned_data["field"],
                    value=f.value(), child_version=f.cleaned_data["child_version"]))


@require_POST
@require_capability(Capability.HANDLE_DATA_REQUESTS)
def request_decide_view(request: AuthedRequest, request_id: str) -> HttpResponse:
    return _act(request, request_id, "decide", forms.DecideForm(request.POST),
                lambda r, f: services.request_decide(
                    actor=request.user, request=r, base_version=f.cleaned_data["base_version"],
                    decision=f.cleaned_data["decision"],
                    refusal_ground=f.cleaned_data["refusal_ground"],
                    reason=f.cleaned_data["decision_reason"]))


@require_POST
@require_capability(Capability.HANDLE_DATA_REQUESTS)
def request_answer_view(request: AuthedRequest, request_id: str) -> HttpResponse:
    return _act(request, request_id, "answer", forms.AnswerForm(request.POST),
                lambda r, f: services.request_answer(
                    actor=request.user, request=r, base_version=f.cleaned_data["base_version"],
                    answered_on=f.cleaned_data["answered_on"],
                    channel=f.cleaned_data["answer_channel"], note=f.cleaned_data["answer_note"]))


@require_POST
@require_capability(Capability.HANDLE_DATA_REQUESTS)
def request_restrict_view(request: AuthedRequest, request_id: str) -> HttpResponse:
    return _act(request, request_id, "restrict", forms.RestrictForm(request.POST),
                lambda r, f: carrying.request_restrict(
                    actor=request.user, request=r, roles=f.cleaned_data["roles"],
                    reason=f.cleaned_data["reason"]))


@require_POST
@require_capability(Capability.HANDLE_DATA_REQUESTS)
def request_lift_view(request: AuthedRequest, request_id: str) -> HttpResponse:
    """Allowed on an answered request too: the restriction outlives the request."""
    return _act(request, request_id, "lift", forms.LiftForm(request.POST),
                lambda r, f: carrying.request_lift_restriction(
                    actor=request.user, request=r, reason=f.cleaned_data["lift_reason"]))


@require_POST
@require_capability(Capability.HANDLE_DATA_REQUESTS)
def request_erase_view(request: AuthedRequest, request_id: str) -> HttpResponse:
    return _act(request, request_id, "erase", forms.EraseForm(request.POST),
                lambda r, _f: carrying.request_erase(actor=request.user, request=r))


@require_POST
@require_capability(Capability.HANDLE_DATA_REQUESTS)
def request_withdraw_view(request: AuthedRequest, request_id: str) -> HttpResponse:
    return _act(request, request_id, "withdraw",
                lambda subject: forms.WithdrawConsentsForm(
                    request.POST, consent_choices=_consent_choices(subject)),
                lambda r, f: carrying.request_withdraw_consents(
                    actor=request.user, request=r, consent_ids=f.cleaned_data["consents"]))


@require_POST
@require_capability(Capability.HANDLE_DATA_REQUESTS)
def request_export_view(request: AuthedRequest, request_id: str) -> HttpResponse:
    """"What treem holds on this child", as PDF or JSON: the cases the officer ticks are the
    only ones it names (each one the officer may see)."""
    subject = selectors.get_request_for_user(user=request.user, request_id=request_id,
                                             for_write=True)
    form = forms.ExportForm(request.POST, case_choices=_case_choices(request, subject))
    if not form.is_valid():
        return _detail(request, subject, export=form)
    chosen = form.cleaned_data["cases"]
    cases = list(case_list(user=request.user).filter(child=subject.child,
                                                     public_id__in=chosen))
    kind = form.cleaned_data["format"]
    try:
        subject = services.export_recorded(actor=request.user, request=subject,
                                           cases=[str(c.public_id) for c in cases], kind=kind)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("privacy:request_detail", subject.public_id)
    content = holdings.assemble(request=subject, cases=cases)
    name = f"du-lieu-tre-em-{str(subject.public_id)[:8]}"
    if kind == "json":
        body = json.dumps(content.as_json(), ensure_ascii=False, indent=2)
        return attachment(body, filename=f"{name}.json", content_type=JSON)
    # Imported on the first PDF: WeasyPrint loads Pango, which no other page needs.
    from treem.ui.pdf import render_pdf

    return render_pdf(request, "privacy/requests/holdings.html", {"h": content},
                      filename=f"{name}.pdf")

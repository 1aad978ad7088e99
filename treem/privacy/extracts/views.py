"""The extracts' pages: the requests of the user's area, a new request, one request with its
decision (another officer than the one who asked) and its download (the one who asked)."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from treem.accounts.capabilities import Capability
from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import require_capability
from treem.privacy.extracts import selectors, services
from treem.privacy.extracts.forms import ExtractDecisionForm, ExtractRequestForm
from treem.privacy.models import ExtractRequest, ExtractStatus
from treem.ui.downloads import attachment
from treem.ui.forms import add_service_errors, error_text
from treem.ui.pagination import CappedPaginator

PAGE_SIZE = 30
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8"}


@require_capability(Capability.REQUEST_EXTRACTS)
def extract_list_view(request: AuthedRequest) -> HttpResponse:
    rows = selectors.extract_list(user=request.user)
    page = CappedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "privacy/extracts/extract_list.html", {"page": page})


@require_capability(Capability.REQUEST_EXTRACTS)
@require_http_methods(["GET", "POST"])
def extract_request_view(request: AuthedRequest) -> HttpResponse:
    form = ExtractRequestForm(request.POST or None,
                              units=selectors.units_to_request(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            extract = services.extract_request(actor=request.user, **form.service_values())
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã gửi đề nghị %(ref)s: chờ một cán bộ khác duyệt.")
                             % {"ref": extract.reference})
            return redirect("privacy:extract_detail", extract_id=extract.public_id)
    return render(request, "privacy/extracts/extract_request.html", {"form": form})


def _detail(request: AuthedRequest, extract: ExtractRequest,
            form: ExtractDecisionForm | None = None) -> HttpResponse:
    user = request.user
    can_decide = (extract.status == ExtractStatus.REQUESTED and extract.requester_id != user.pk
                  and user.in_scope(extract.unit_path, capability=Capability.APPROVE_EXTRACTS))
    return render(request, "privacy/extracts/extract_detail.html", {
        "extract": extract, "form": form or (ExtractDecisionForm() if can_decide else None),
        "can_download": (extract.requester_id == user.pk and extract.status in (
            ExtractStatus.APPROVED, ExtractStatus.PRODUCED))})


@require_capability(Capability.REQUEST_EXTRACTS)
def extract_detail_view(request: AuthedRequest, extract_id: uuid.UUID) -> HttpResponse:
    return _detail(request, selectors.get_extract_for_user(user=request.user,
                                                           extract_id=extract_id))


@require_capability(Capability.APPROVE_EXTRACTS)
@require_POST
def extract_decide_view(request: AuthedRequest, extract_id: uuid.UUID) -> HttpResponse:
    extract = selectors.get_extract_for_user(user=request.user, extract_id=extract_id)
    form = ExtractDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.extract_decide(actor=request.user, extract=extract,
                                    approve=form.cleaned_data["decision"] == "approve",
                                    reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã ghi quyết định."))
            return redirect("privacy:extract_detail", extract_id=extract.public_id)
    return _detail(request, extract, form)


@require_capability(Capability.REQUEST_EXTRACTS)
@require_POST
def extract_download_view(request: AuthedRequest, extract_id: uuid.UUID) -> HttpResponse:
    extract = selectors.get_extract_for_user(user=request.user, extract_id=extract_id)
    try:
        content, name = services.extract_produce(actor=request.user, extract=extract)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
        return redirect("privacy:extract_detail", extract_id=extract.public_id)
    if name.endswith(".csv"):
        return attachment(content, filename=name, content_type=CONTENT_TYPES["csv"])
    return attachment(content, filename=name)

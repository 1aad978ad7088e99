"""The population-database pages: a commune's children to check with their counts and the
export of the file for the police; the batches; one batch with the import of the police's
answer and each row's result; what is left; the online lookup of a child's id.

Every page needs CHECK_POPULATION_DATA; a batch or commune outside the user's scope is 404,
a child the user may read but not change is 403 (`get_child_for_user(for_write=True)`)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability, require_capability
from treem.privacy.models import PopulationAnswer, PopulationCheck
from treem.privacy.population import exporting, forms, lookup, selectors, services
from treem.registry.selectors import get_child_for_user
from treem.ui.downloads import attachment
from treem.ui.forms import add_service_errors, error_text
from treem.ui.pagination import CappedPaginator

CAPABILITY = Capability.CHECK_POPULATION_DATA
PAGE_SIZE = 50


def _home_url(commune_id: Any) -> str:
    return f"{reverse('privacy:population_home')}?commune={commune_id}"


@require_capability(CAPABILITY)
@require_GET
def population_home_view(request: AuthedRequest) -> HttpResponse:
    """The commune's children whose personal id needs the police's check, counted by why,
    the export of their file, and the commune's batches."""
    communes = selectors.communes_to_check(user=request.user)
    if not communes:
        raise PermissionDenied
    chosen = request.GET.get("commune", "")
    commune = next((c for c in communes if str(c.public_id) == chosen), communes[0])
    summary = selectors.commune_summary(commune=commune)
    page, children = selectors.children_page(commune=commune, page=request.GET.get("page"),
                                             size=PAGE_SIZE)
    return render(request, "privacy/population/home.html", {
        "communes": communes, "commune": commune, "summary": summary, "page": page,
        "children": children,
        "export_form": forms.ExportForm(initial={"commune": commune.public_id}),
        "checks": selectors.check_list(user=request.user, commune=commune)[:20],
        "query": f"commune={commune.public_id}"})


@require_capability(CAPABILITY)
@require_POST
def population_export_view(request: AuthedRequest) -> HttpResponse:
    """Make a batch and hand out its file (.xlsx). The commune is posted (404 outside the
    user's scope); a dissolved one, or one with nothing to check, is told why."""
    form = forms.ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn xã, phường để xuất danh sách."))
        return redirect("privacy:population_home")
    commune = selectors.get_commune_for_user(user=request.user,
                                             commune_id=form.cleaned_data["commune"])
    try:
        check, content = services.population_check_create(
            actor=request.user, commune=commune,
            include_unverified=form.cleaned_data["include_unverified"])
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
        return redirect(_home_url(commune.public_id) if commune.is_current
                        else reverse("privacy:population_home"))
    return attachment(content, filename=exporting.export_filename(check))


def _batch_context(request: AuthedRequest, check: PopulationCheck,
                   form: forms.AnswerForm) -> dict[str, Any]:
    rows = CappedPaginator(selectors.check_rows(check=check), PAGE_SIZE).get_page(
        request.GET.get("page"))
    answers = list(check.answers.select_related("created_by")[:10])
    shown: PopulationAnswer | None = None
    wanted = request.GET.get("answer")
    if wanted:
        shown = next((a for a in answers if str(a.public_id) == wanted), None)
    return {"check": check, "rows": rows, "answers": answers, "report": shown,
            "counts": selectors.state_counts(check=check), "form": form,
            "dissolved": not check.commune.is_current}


@require_capability(CAPABILITY)
@require_GET
def population_batch_view(request: AuthedRequest, check_id: Any) -> HttpResponse:
    check = selectors.get_check_for_user(user=request.user, check_id=check_id)
    return render(request, "privacy/population/batch.html",
                  _batch_context(request, check, forms.AnswerForm()))


@require_capability(CAPABILITY)
@require_GET
def population_batch_file_view(request: AuthedRequest, check_id: Any) -> HttpResponse:
    """The batch's file again (audited as an export)."""
    check = selectors.get_check_for_user(user=request.user, check_id=check_id)
    content = services.population_check_file(actor=request.user, check=check)
    return attachment(content, filename=exporting.export_filename(check))


@require_capability(CAPABILITY)
@require_POST
def population_import_view(request: AuthedRequest, check_id: Any) -> HttpResponse:
    check = selectors.get_check_for_user(user=request.user, check_id=check_id)
    form = forms.AnswerForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            answer = services.population_answer_import(
                actor=request.user, check=check, data=form.cleaned_data["file"].read(),
                mode=form.cleaned_data["mode"])
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            url = reverse("privacy:population_batch", args=[check.public_id])
            return redirect(f"{url}?answer={answer.public_id}#report")
    return render(request, "privacy/population/batch.html",
                  _batch_context(request, check, form))


@require_capability(CAPABILITY)
@require_GET
def population_left_view(request: AuthedRequest, check_id: Any) -> HttpResponse:
    """What is left of a batch: children not answered yet, not found, or refused."""
    check = selectors.get_check_for_user(user=request.user, check_id=check_id)
    rows = CappedPaginator(selectors.check_rows(check=check, left_only=True), PAGE_SIZE
                           ).get_page(request.GET.get("page"))
    return render(request, "privacy/population/left.html", {"check": check, "rows": rows})


@require_capability(CAPABILITY)
@require_http_methods(["GET", "POST"])
def population_lookup_view(request: AuthedRequest, child_id: Any) -> HttpResponse:
    """Ask the population database about a child's personal id (the adapter of the
    installation; the fake one by default), with a purpose recorded in the audit trail."""
    view = get_child_for_user(user=request.user, child_id=child_id, for_write=True)
    form = forms.LookupForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = lookup.population_lookup(actor=request.user, child=view.child,
                                              purpose=form.cleaned_data["purpose"])
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
    return render(request, "privacy/population/lookup.html", {
        "child": view.child, "form": form, "result": result,
        "verification": selectors.verification_of(child=view.child),
        "fake": lookup.is_fake()})

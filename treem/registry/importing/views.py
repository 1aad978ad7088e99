"""Pages of the Excel import: the template, the upload, the job's progress and preview, commit."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability, require_capability
from treem.registry.importing import forms, jobs, selectors, template
from treem.registry.views import _chosen_commune, _communes_to_register
from treem.ui.downloads import attachment
from treem.ui.forms import add_service_errors, error_text

ERRORS_PER_PAGE = 50


@require_capability(Capability.MANAGE_CHILDREN)
@require_GET
def import_template_view(request: AuthedRequest, commune_id: str) -> HttpResponse:
    commune = next((c for c in _communes_to_register(request.user)
                    if str(c.public_id) == str(commune_id)), None)
    if commune is None:
        raise Http404
    return attachment(template.import_template(commune=commune), filename=template.FILENAME)


@require_capability(Capability.MANAGE_CHILDREN)
def import_upload_view(request: AuthedRequest) -> HttpResponse:
    communes = _communes_to_register(request.user)
    if not communes:
        raise PermissionDenied
    commune = _chosen_commune(request, communes)
    form = forms.ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = jobs.import_job_create(actor=request.user, commune=commune,
                                         data=upload.read(), file_name=upload.name or "")
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            return redirect("registry:import_detail", job_id=job.public_id)
    return render(request, "registry/import_upload.html", {
        "form": form, "commune": commune, "communes": communes,
        "jobs": selectors.import_job_list(user=request.user)})


@require_capability(Capability.MANAGE_CHILDREN)
@require_GET
def import_detail_view(request: AuthedRequest, job_id: str) -> HttpResponse:
    """The job's progress while it runs (the status part polls itself through htmx), then the
    errors by row and column and the two ways to commit."""
    job = selectors.get_import_job_for_user(user=request.user, job_id=job_id)
    errors = Paginator(job.errors, ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "job": job, "errors": errors, "commit_form": forms.ImportCommitForm(),
        "interrupted": jobs.interrupted_message(job) if job.is_interrupted else "",
        "more_errors": max(0, job.error_count - len(job.errors)),
    }
    partial = request.htmx  # type: ignore[attr-defined]
    name = "registry/_import_status.html" if partial else "registry/import_detail.html"
    return render(request, name, context)


@require_capability(Capability.MANAGE_CHILDREN)
@require_POST
def import_commit_view(request: AuthedRequest, job_id: str) -> HttpResponse:
    job = selectors.get_import_job_for_user(user=request.user, job_id=job_id)
    form = forms.ImportCommitForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Hãy chọn cách nhập."))
        jobs.import_job_commit(actor=request.user, job=job, mode=form.cleaned_data["mode"])
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    return redirect("registry:import_detail", job_id=job.public_id)


@require_capability(Capability.MANAGE_CHILDREN)
@require_POST
def import_retry_view(request: AuthedRequest, job_id: str) -> HttpResponse:
    """Start again the work of a job whose worker died (nothing of it is in the register)."""
    job = selectors.get_import_job_for_user(user=request.user, job_id=job_id)
    try:
        jobs.import_job_retry(actor=request.user, job=job)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    return redirect("registry:import_detail", job_id=job.public_id)


@require_capability(Capability.MANAGE_CHILDREN)
@require_POST
def import_cancel_view(request: AuthedRequest, job_id: str) -> HttpResponse:
    job = selectors.get_import_job_for_user(user=request.user, job_id=job_id)
    try:
        jobs.import_job_cancel(actor=request.user, job=job)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    return redirect("registry:import_detail", job_id=job.public_id)

"""The child-friendly commune pages: the assessments a user sees with the year's summary; one
assessment with its criteria, items, figures from treem's data and the verdict explained; the
commune's scoring and submission; the recognising level's decision; its PDF."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
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
from treem.geo.models import Level, Unit
from treem.plans.child_friendly import forms, selectors, services
from treem.plans.child_friendly.models import Assessment, AssessmentStatus
from treem.ui.forms import add_service_errors, error_text, form_errors_text


def _summary_unit(request: AuthedRequest) -> Unit | None:
    """The unit whose year is summed up: the user's own unit above the communes (a province
    officer's province), if any."""
    paths = request.user.scope_paths(capability=Capability.VIEW_PLANS)
    return (Unit.objects.filter(path__in=paths, valid_to__isnull=True)
            .exclude(level__in=[Level.COMMUNE, Level.VILLAGE]).order_by("path").first())


@require_capability(Capability.VIEW_PLANS)
@require_http_methods(["GET", "POST"])
def assessment_list_view(request: AuthedRequest) -> HttpResponse:
    picker = forms.YearForm(request.GET)
    year = picker.year_or(timezone.localdate().year - 1)
    communes = selectors.communes_to_assess(user=request.user)
    start = forms.StartForm(request.POST or None, units=communes) if communes else None
    if request.method == "POST":
        if start is None:
            raise PermissionDenied
        if start.is_valid():
            try:
                made = services.assessment_start(actor=request.user,
                                                 unit=start.cleaned_data["unit"],
                                                 year=start.cleaned_data["year"])
            except (ValidationError, PermissionDenied) as error:
                add_service_errors(start, error)
            else:
                messages.success(request, _("Đã lập bản tự đánh giá; các mục có dữ liệu đã được "
                                            "điền sẵn."))
                return redirect("plans:assessment_detail", assessment_id=made.public_id)
    unit = _summary_unit(request)
    return render(request, "plans/child_friendly/assessment_list.html", {
        "picker": picker, "year": year, "start": start,
        "rows": selectors.assessment_list(user=request.user, year=year)[:500],
        "summary": selectors.summary(user=request.user, unit=unit, year=year)
        if unit else None, "summary_unit": unit})


def _context(request: AuthedRequest, assessment: Assessment, **extra: Any) -> dict[str, Any]:
    keeper = request.user.in_scope(assessment.unit_path, capability=Capability.MANAGE_PLANS)
    editable = keeper and assessment.status in (AssessmentStatus.DRAFT,
                                                AssessmentStatus.RETURNED)
    scores = selectors.scores_of(assessment)
    posted, errors = extra.get("posted") or {}, extra.get("errors") or {}
    criteria: list[dict[str, Any]] = []
    for score in scores:
        # A refused form shows what was typed, with each item's message beside it.
        score.shown_points = posted.get(f"points_{score.pk}",  # type: ignore[attr-defined]
                                        "" if score.points is None else score.points)
        score.shown_evidence = posted.get(f"evidence_{score.pk}",  # type: ignore[attr-defined]
                                          score.evidence)
        score.errors = [*errors.get(f"points_{score.pk}", []),  # type: ignore[attr-defined]
                        *errors.get(f"evidence_{score.pk}", [])]
        score.conflicted = (  # type: ignore[attr-defined]
            f"points_{score.pk}" in (extra.get("conflicted") or ()))
        criterion = score.item.criterion
        if not criteria or criteria[-1]["criterion"].pk != criterion.pk:
            criteria.append({"criterion": criterion, "scores": []})
        criteria[-1]["scores"].append(score)
    verdict = services.verdict_of(assessment)
    results = {result.number: result for result in verdict.criteria}
    for group in criteria:
        group["result"] = results.get(group["criterion"].number)
    recogniser = services.may_recognise(request.user, assessment.unit)
    return {"assessment": assessment, "criteria": criteria, "verdict": verdict,
            "editable": editable, "keeper": keeper,
            "details": forms.DetailsForm(initial=initial_of(
                assessment, ["scored_by_text", "meeting_on", "minutes"],
                version=assessment.edit_version)) if editable else None,
            "decide": forms.DecideForm() if recogniser
            and assessment.status == AssessmentStatus.SUBMITTED else None,
            "events": list(assessment.events.select_related("by")), **extra}


@require_capability(Capability.VIEW_PLANS)
@require_http_methods(["GET", "POST"])
def assessment_detail_view(request: AuthedRequest, assessment_id: str) -> HttpResponse:
    """The assessment; its keeper saves the items' points and evidence (all or nothing)."""
    assessment = selectors.get_assessment_for_user(user=request.user,
                                                   assessment_id=assessment_id)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if not request.user.in_scope(assessment.unit_path,
                                     capability=Capability.MANAGE_PLANS):
            raise PermissionDenied
        changes, errors = _posted_scores(request, assessment)
        if not errors:
            version = request.POST.get("version", "")
            read = _posted_scores(request, assessment, prefix="initial-")[0]
            # The page posts every item: only those the officer changed are saved, so that
            # an item untouched here never undoes a colleague's save of it.
            changes = {pk: value for pk, value in changes.items()
                       if pk not in read or _same(read[pk]) != _same(value)}
            try:
                count = services.scores_save(
                    actor=request.user, assessment=assessment, changes=changes,
                    base_version=int(version) if version.isdigit() else None, base=read)
            except EditConflict as conflict:
                # Nothing saved: the page shows what was typed beside the message naming
                # both values; read again at the new version, saving again keeps it.
                assessment.refresh_from_db()
                messages.error(request, str(conflict))
                return render(request, "plans/child_friendly/assessment_detail.html",
                              _context(request, assessment, posted=request.POST,
                                       conflicted=[f"points_{pk}" for pk in changes]),
                              status=409)
            except ValidationError as error:
                errors = error.message_dict
            else:
                messages.success(request, _("Đã lưu điểm (%(n)s mục thay đổi).") % {"n": count})
                return redirect("plans:assessment_detail", assessment_id=assessment.public_id)
        messages.error(request, _("Chưa lưu gì: hãy sửa các ô được đánh dấu."))
    return render(request, "plans/child_friendly/assessment_detail.html",
                  _context(request, assessment, errors=errors, posted=request.POST),
                  status=400 if errors else 200)


def _same(value: tuple[int | None, str]) -> tuple[int | None, str]:
    return value[0], " ".join(value[1].split())


def _posted_scores(request: AuthedRequest, assessment: Assessment, prefix: str = ""
                   ) -> tuple[dict[int, tuple[int | None, str]], dict[str, list[str]]]:
    """The points and evidence posted for each item (`prefix` "initial-": those the page
    was read with)."""
    changes: dict[int, tuple[int | None, str]] = {}
    errors: dict[str, list[str]] = {}
    for score in selectors.scores_of(assessment):
        name = f"{prefix}points_{score.pk}"
        if name not in request.POST:
            continue
        raw = request.POST.get(name, "").strip()
        evidence = request.POST.get(f"{prefix}evidence_{score.pk}", "")
        if raw == "":
            changes[score.pk] = (None, evidence)
        elif raw.isdigit() and len(raw) <= 4:
            changes[score.pk] = (int(raw), evidence)
        else:
            errors[f"points_{score.pk}"] = [_("Hãy ghi điểm bằng chữ số.")]
    return changes, errors


@require_capability(Capability.MANAGE_PLANS)
@require_POST
def assessment_details_view(request: AuthedRequest, assessment_id: str) -> HttpResponse:
    assessment = selectors.get_assessment_for_user(user=request.user,
                                                   assessment_id=assessment_id,
                                                   for_write=True)
    form = forms.DetailsForm(request.POST)
    if form.is_valid():
        edit = form.edit()
        values = {name: edit.get(name, getattr(assessment, name))
                  for name in ("scored_by_text", "meeting_on", "minutes")}
        try:
            services.assessment_details(actor=request.user, assessment=assessment,
                                        base_version=edit["base_version"], **values)
        except EditConflict as conflict:
            messages.error(request, str(conflict))
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Đã lưu thông tin cuộc họp đánh giá."))
    else:
        messages.error(request, form_errors_text(form))
    return redirect("plans:assessment_detail", assessment_id=assessment.public_id)


@require_capability(Capability.MANAGE_PLANS)
@require_POST
def assessment_submit_view(request: AuthedRequest, assessment_id: str) -> HttpResponse:
    assessment = selectors.get_assessment_for_user(user=request.user,
                                                   assessment_id=assessment_id,
                                                   for_write=True)
    try:
        services.assessment_submit(actor=request.user, assessment=assessment)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Đã gửi bản tự đánh giá để thẩm định."))
    return redirect("plans:assessment_detail", assessment_id=assessment.public_id)


@require_capability(Capability.MANAGE_PLANS)
@require_POST
def assessment_decide_view(request: AuthedRequest, assessment_id: str) -> HttpResponse:
    assessment = selectors.get_assessment_for_user(user=request.user,
                                                   assessment_id=assessment_id,
                                                   for_write=True)
    form = forms.DecideForm(request.POST)
    if form.is_valid():
        try:
            services.assessment_decide(actor=request.user, assessment=assessment,
                                       **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Đã ghi kết quả thẩm định."))
    else:
        messages.error(request, form_errors_text(form))
    return redirect("plans:assessment_detail", assessment_id=assessment.public_id)


@require_capability(Capability.VIEW_PLANS)
def assessment_pdf_view(request: AuthedRequest, assessment_id: str) -> HttpResponse:
    from treem.ui.pdf import render_pdf  # WeasyPrint loads Pango: only for a PDF

    assessment = selectors.get_assessment_for_user(user=request.user,
                                                   assessment_id=assessment_id)
    event_record(actor=request.user, action=Action.EXPORT, obj=assessment,
                 unit=assessment.unit, fields=["pdf"], reason=str(assessment.year))
    return render_pdf(request, "plans/child_friendly/assessment_print.html",
                      _context(request, assessment, printing=True),
                      filename=f"xa-phu-hop-voi-tre-em-{assessment.year}-"
                               f"{assessment.unit.code}.pdf")

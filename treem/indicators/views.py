"""The indicators' pages: a unit's dashboard for a period, and one indicator across the units
below (ranked, with its breakdowns and its definition's versions)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability, require_capability
from treem.accounts.selectors import UnitToOpen, unit_to_open
from treem.cases.charting import step_chart
from treem.cases.selectors import case_counts_by_step
from treem.edits.conflicts import EditConflict
from treem.geo.models import Unit
from treem.geo.paths import ancestor_paths
from treem.indicators import charting, dashboard, editing, forms, targets
from treem.indicators.caching import cached_values
from treem.indicators.catalogue import current_versions
from treem.indicators.models import Indicator, IndicatorVersion, Target
from treem.ui.downloads import attachment
from treem.ui.forms import error_text, form_errors_text
from treem.ui.pagination import CappedPaginator

PAGE_SIZE = 50


def _unit_and_period(request: AuthedRequest) -> tuple[forms.ViewForm, Unit, Any, UnitToOpen]:
    """The unit asked for if it is in the user's scope (404 otherwise), else the user's own
    unit of today (`unit_to_open`); and the period asked for, else the last one that ended.
    The form comes back with its pickers filled."""
    form = forms.ViewForm(request.GET)
    wanted, period = form.chosen(dashboard.default_period())
    opened = UnitToOpen(None)
    if wanted is not None:
        unit = (Unit.objects.visible_to(request.user, capability=Capability.VIEW_INDICATORS)
                .filter(public_id=wanted).first())
    else:
        opened = unit_to_open(user=request.user, capability=Capability.VIEW_INDICATORS)
        unit = opened.unit
    if unit is None:
        raise Http404
    form.offer(user=request.user, capability=Capability.VIEW_INDICATORS, unit=unit,
               period=period, today=timezone.localdate())
    return form, unit, period, opened


@require_capability(Capability.VIEW_INDICATORS)
@require_http_methods(["GET", "POST"])
def dashboard_view(request: AuthedRequest) -> HttpResponse:
    """The unit's indicators; a POST computes them again now (they are kept a while)."""
    form, unit, period, opened = _unit_and_period(request)
    sets = dashboard.sets_for(user=request.user, capability=Capability.VIEW_INDICATORS)
    shown = dashboard.dashboard(sets=sets, unit=unit, period=period,
                                fresh=request.method == "POST")
    if request.method == "POST":
        return redirect(request.get_full_path())
    steps = case_counts_by_step(user=request.user, unit=unit, now=timezone.now())
    return render(request, "indicators/dashboard.html", {
        "form": form, "unit": unit, "period": period, "groups": shown.groups,
        "computed_at": shown.computed_at, "above": _ancestors_in_scope(request, unit),
        "became": opened.became, "status_chart": charting.status_chart(shown.groups),
        "cases_chart": step_chart(steps) if steps else None})


@require_capability(Capability.VIEW_INDICATORS)
@require_http_methods(["GET", "POST"])
def indicator_view(request: AuthedRequest, indicator_id: str) -> HttpResponse:
    """One indicator of a unit; a POST computes it again now (it is kept a while)."""
    form, unit, period, opened = _unit_and_period(request)
    sets = dashboard.sets_for(user=request.user, capability=Capability.VIEW_INDICATORS)
    version = current_versions(sets).filter(indicator__public_id=indicator_id).first()
    if version is None:
        raise Http404
    fresh = request.method == "POST"
    computed = cached_values([version], period, unit, fresh=fresh)
    trend = dashboard.trend(version=version, unit=unit, period=period, fresh=fresh)
    if fresh:
        return redirect(request.get_full_path())
    values = computed.values
    parts = dashboard.ranked_parts(version=version, unit=unit, values=values)
    own = dashboard.own_cell(version=version, unit=unit, values=values, parts=parts)
    cells = dashboard.breakdown_cells(version=version, unit=unit, values=values)
    goal = dashboard.goals_for(unit, [version], period.end.year).get(version.indicator_id)
    return render(request, "indicators/indicator.html", {
        "form": form, "unit": unit, "period": period, "version": version,
        "cell": values.get((version.pk, unit.pk, "")),
        "value": dashboard.value_of(values.get((version.pk, unit.pk, "")), version),
        "parts": parts, "own": own, "own_value": dashboard.value_of(own, version),
        "breakdowns": cells,
        "versions": IndicatorVersion.objects.filter(indicator=version.indicator),
        "trend": trend, "computed_at": computed.at, "became": opened.became,
        "above": _ancestors_in_scope(request, unit),
        "trend_chart": charting.trend_chart(version=version, trend=trend, goal=goal),
        "ranked_chart": charting.ranked_chart(version=version, parts=parts, period=period),
        "breakdown_charts": charting.breakdown_charts(version=version, cells=cells)})


def _ancestors_in_scope(request: AuthedRequest, unit: Unit) -> list[Unit]:
    """The units above `unit` that the user may also open: the way back up a drill-down."""
    return list(Unit.objects.visible_to(request.user, capability=Capability.VIEW_INDICATORS)
                .filter(path__in=ancestor_paths(unit.path)).exclude(pk=unit.pk)
                .order_by("path"))


def _target_choices(request: AuthedRequest) -> tuple[Any, Any, Any]:
    sets = dashboard.sets_for(user=request.user, capability=Capability.MANAGE_TARGETS)
    indicators = Indicator.objects.filter(indicator_set__in=sets, active=True).select_related(
        "indicator_set").order_by("indicator_set__code", "sort_order")
    units = Unit.objects.visible_to(request.user, capability=Capability.MANAGE_TARGETS).filter(
        level__in=["province", "district", "commune"]).order_by("path")
    return sets, indicators, units


@require_capability(Capability.MANAGE_TARGETS)
def target_list_view(request: AuthedRequest) -> HttpResponse:
    sets, indicators, units = _target_choices(request)
    # Two forms on the page: the button pressed says which was sent (the other stays unbound,
    # without the errors of a form nobody filled).
    importing = request.method == "POST" and ("import" in request.POST or "file" in request.FILES)
    form = forms.TargetForm(request.POST if request.method == "POST" and not importing else None,
                            indicators=indicators, units=units)
    upload = forms.TargetImportForm(request.POST if importing else None,
                                    request.FILES if importing else None)
    errors: list[str] = []
    if importing and upload.is_valid():
        written, errors = targets.import_sheet(actor=request.user,
                                               content=upload.cleaned_data["file"].read(),
                                               sets=sets)
        if written:
            messages.success(request, _("Đã nhập %(n)s mục tiêu.") % {"n": written})
            return redirect("indicators:target_list")
    elif request.method == "POST" and not importing:
        if form.is_valid():
            try:
                row = targets.check(actor=request.user, sets=sets, **form.target())
                targets.targets_save(actor=request.user, rows=[row], known={
                    targets.key_of(row): targets.replaced(form.cleaned_data["replaces"])})
            except targets.TargetExists as error:
                messages.error(request, error_text(error))
                # Shown again with the target found: saving again replaces that one only.
                form = forms.TargetForm({**request.POST.dict(), "replaces": error.replaces},
                                        indicators=indicators, units=units)
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, error_text(error))
            else:
                messages.success(request, _("Đã lưu mục tiêu."))
                return redirect("indicators:target_list")
        else:
            messages.error(request, form_errors_text(form))
    page = CappedPaginator(
        Target.objects.visible_to(request.user, capability=Capability.MANAGE_TARGETS)
        .filter(indicator__indicator_set__in=sets)
        .select_related("indicator__indicator_set", "unit").order_by("unit__path", "indicator",
                                                                     "year"),
        PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "indicators/targets.html", {
        "page": page, "form": form, "upload": upload, "errors": errors})


@require_capability(Capability.MANAGE_TARGETS)
def target_template_view(request: AuthedRequest) -> HttpResponse:
    return attachment(targets.template_workbook(), filename="mau-muc-tieu.xlsx")


def _catalogue_units(request: AuthedRequest) -> Any:
    return Unit.objects.visible_to(request.user, capability=Capability.MANAGE_CATALOGUE).filter(
        level__in=["province", "district", "commune"], valid_to__isnull=True).order_by("path")


@require_capability(Capability.MANAGE_CATALOGUE)
def catalogue_view(request: AuthedRequest) -> HttpResponse:
    """The sets the administrator's area works to, and a new local set."""
    form = forms.SetForm(request.POST or None, units=_catalogue_units(request))
    if request.method == "POST":
        if form.is_valid():
            try:
                created = editing.set_create(actor=request.user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, error_text(error))
            else:
                messages.success(request, _("Đã tạo bộ chỉ tiêu."))
                return redirect("indicators:set_detail", set_id=created.public_id)
        else:
            messages.error(request, form_errors_text(form))
    sets = dashboard.sets_for(user=request.user, capability=Capability.MANAGE_CATALOGUE)
    return render(request, "indicators/catalogue.html", {"sets": sets, "form": form})


@require_capability(Capability.MANAGE_CATALOGUE)
def set_detail_view(request: AuthedRequest, set_id: str) -> HttpResponse:
    sets = dashboard.sets_for(user=request.user, capability=Capability.MANAGE_CATALOGUE)
    indicator_set = sets.filter(public_id=set_id).first()
    if indicator_set is None:
        raise Http404
    editable = indicator_set.owner is not None and editing.may_edit(request.user, indicator_set)
    versions = current_versions(sets.filter(pk=indicator_set.pk))
    editing_code = request.GET.get("edit", "")
    shown = next((v for v in versions if v.indicator.code == editing_code), None)
    form = (forms.IndicatorEditForm(request.POST) if request.method == "POST"
            else forms.IndicatorEditForm.of(shown) if shown is not None
            else forms.IndicatorEditForm(initial={"base_number": 0}))
    if request.method == "POST":
        if form.is_valid():
            data = {**form.cleaned_data}
            if data["base_number"] is None:  # a page of before the check: its version unknown
                data["base_number"] = 0
            try:
                editing.indicator_save(actor=request.user, indicator_set=indicator_set, **data)
            except EditConflict as conflict:
                messages.error(request, conflict.message)
                # Shown again as typed, now read at the version saved: saving again writes it.
                form = forms.IndicatorEditForm({**request.POST.dict(),
                                                "base_number": conflict.version})
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, error_text(error))
            else:
                messages.success(request, _("Đã lưu chỉ tiêu (phiên bản mới nếu định nghĩa "
                                            "thay đổi)."))
                return redirect("indicators:set_detail", set_id=indicator_set.public_id)
        else:
            messages.error(request, form_errors_text(form))
    return render(request, "indicators/set_detail.html", {
        "set": indicator_set, "versions": versions, "form": form, "editable": editable,
        "editing": shown})

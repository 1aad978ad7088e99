"""The indicators' pages: a unit's dashboard for a period, and one indicator across the units
below (ranked, with its breakdowns and its definition's versions)."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from treem.accounts.permissions import Capability, require_capability
from treem.geo.models import Unit
from treem.indicators import dashboard, forms
from treem.indicators.catalogue import current_versions
from treem.indicators.models import IndicatorVersion
from treem.indicators.values import indicator_values


def _unit_and_period(request: HttpRequest) -> tuple[forms.ViewForm, Unit, Any]:
    """The unit asked for if it is in the user's scope (404 otherwise), else the user's own
    top unit; and the period asked for, else the last one that ended."""
    form = forms.ViewForm(request.GET)
    wanted, period = form.chosen(dashboard.default_period())
    units = Unit.objects.visible_to(request.user, capability=Capability.VIEW_INDICATORS)
    if wanted is not None:
        unit = units.filter(public_id=wanted).first()
        if unit is None:
            raise Http404
    else:
        unit = units.order_by("path").first()
        if unit is None:
            raise Http404
    return form, unit, period


@require_capability(Capability.VIEW_INDICATORS)
def dashboard_view(request: HttpRequest) -> HttpResponse:
    form, unit, period = _unit_and_period(request)
    sets = dashboard.sets_for(user=request.user, capability=Capability.VIEW_INDICATORS)
    return render(request, "indicators/dashboard.html", {
        "form": form, "unit": unit, "period": period,
        "groups": dashboard.dashboard(sets=sets, unit=unit, period=period),
        "above": _ancestors_in_scope(request, unit)})


@require_capability(Capability.VIEW_INDICATORS)
def indicator_view(request: HttpRequest, indicator_id: str) -> HttpResponse:
    form, unit, period = _unit_and_period(request)
    sets = dashboard.sets_for(user=request.user, capability=Capability.VIEW_INDICATORS)
    version = current_versions(sets).filter(indicator__public_id=indicator_id).first()
    if version is None:
        raise Http404
    values = indicator_values([version], period, unit)
    return render(request, "indicators/indicator.html", {
        "form": form, "unit": unit, "period": period, "version": version,
        "cell": values.get((version.pk, unit.pk, "")),
        "value": dashboard.value_of(values.get((version.pk, unit.pk, "")), version),
        "parts": dashboard.ranked_parts(version=version, unit=unit, values=values),
        "breakdowns": dashboard.breakdown_cells(version=version, unit=unit, values=values),
        "versions": IndicatorVersion.objects.filter(indicator=version.indicator),
        "above": _ancestors_in_scope(request, unit)})


def _ancestors_in_scope(request: HttpRequest, unit: Unit) -> list[Unit]:
    """The units above `unit` that the user may also open: the way back up a drill-down."""
    from treem.geo.paths import ancestor_paths

    return list(Unit.objects.visible_to(request.user, capability=Capability.VIEW_INDICATORS)
                .filter(path__in=ancestor_paths(unit.path)).exclude(pk=unit.pk)
                .order_by("path"))

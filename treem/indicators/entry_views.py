"""The sectors' entry of their figures, and a figure's history. Thin: the rules are in
services, selectors and permissions."""

import uuid
from collections import Counter
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability, require_capability
from treem.accounts.roles import Role
from treem.edits.conflicts import EditConflict
from treem.geo.models import Unit
from treem.indicators import breakdowns, periods, selectors, services
from treem.indicators import entry_forms as forms
from treem.indicators.compute import TOTAL
from treem.indicators.exceptions import EntryRefused
from treem.indicators.models import IndicatorVersion, SectorFigure


def _unit(request: AuthedRequest, units: list[Unit],
          unit_id: str | None) -> tuple[Unit | None, list[IndicatorVersion] | None]:
    """The unit asked for (404 when it is not one the user enters for), else the user's own
    commune, else the first of its area with indicators to enter at its level; with that
    unit's indicators when finding it read them already."""
    if unit_id:
        try:
            uuid.UUID(unit_id)
        except ValueError:
            unit_id = "00000000-0000-0000-0000-000000000000"  # 404 like any unknown unit
        return selectors.get_entry_unit_for_user(user=request.user, unit_id=unit_id), None
    own = request.user.role_paths({Role.COMMUNE_OFFICER})
    mine = [u for u in units if any(u.path.startswith(p) for p in own)]
    found = mine or units
    tried: set[str] = set()
    for unit in found:
        if unit.level not in tried:  # the indicators depend on the level only: one per level
            tried.add(unit.level)
            versions = selectors.entry_versions(user=request.user, unit=unit)
            if versions:
                return unit, versions
    return (found[0] if found else None), None


def _period(choose: forms.ChooseForm, versions: list[IndicatorVersion]) -> periods.Period | None:
    """The period asked for, else the current one of the kind asked for, else of the kind
    most of the user's indicators are reported by; None when the code asked for is wrong."""
    code = kind = ""
    if choose.is_bound:
        if not choose.is_valid() and "period" in choose.errors:
            return None
        code = choose.cleaned_data.get("period", "")
        kind = choose.cleaned_data.get("kind", "")
    if code:
        return periods.parse(code)
    usual = Counter(v.period_kind for v in versions).most_common(1)
    return periods.of_kind(kind or (usual[0][0] if usual else "year"), timezone.localdate())


def _figure_forms(request: AuthedRequest, unit: Unit, period: periods.Period,
                  versions: list[IndicatorVersion], data: Any = None) -> list[forms.FigureForm]:
    if data is None and request.method == "POST":
        data = request.POST
    revisions = selectors.figure_revisions(user=request.user, unit=unit, period=period.code,
                                           versions=versions)
    now = {(f.version_id, f.breakdown): f
           for f in selectors.figures(user=request.user, unit=unit, period=period.code,
                                      versions=versions)}
    before = {(f.version_id, f.breakdown): f
              for f in selectors.figures(user=request.user, unit=unit,
                                         period=periods.previous(period).code,
                                         versions=versions)}
    made = []
    for version in versions:
        previous = {key: services.display(services.value_of(version.unit_kind, f.numerator,
                                                            f.denominator))
                    for (version_id, key), f in before.items() if version_id == version.pk}
        current = {key: f for (version_id, key), f in now.items() if version_id == version.pk}
        form = forms.FigureForm(data, version=version, current=current, previous=previous,
                                revision=revisions[version.pk])
        form.history = current.get(TOTAL)  # type: ignore[attr-defined]
        made.append(form)
    return made


@require_capability(Capability.ENTER_SECTOR_FIGURES)
def entry_view(request: AuthedRequest) -> HttpResponse:
    """Choose a commune and a period, then enter the figures of the indicators of your
    sector(s) for it; a POST saves them all or none."""
    source = request.POST if request.method == "POST" else request.GET
    units = list(selectors.entry_units(user=request.user))
    unit, found = _unit(request, units, source.get("unit"))
    versions = found if found is not None else selectors.entry_versions(user=request.user,
                                                                        unit=unit)
    period = None
    choose = forms.ChooseForm(source or None, units=units)
    if unit is not None:
        period = _period(choose, versions)
        if not choose.is_bound and period is not None:
            choose = forms.ChooseForm(units=units, initial={
                "unit": str(unit.public_id), "kind": period.kind, "period": period.code})
    shown = [v for v in versions if period is not None and v.period_kind == period.kind]
    figure_forms = (_figure_forms(request, unit, period, shown)
                    if unit is not None and period is not None else [])
    if (request.method == "POST" and unit is not None and period is not None
            and all([form.is_valid() for form in figure_forms])):
        done = _save(request, unit, period, figure_forms)
        if isinstance(done, HttpResponse):
            return done
        if done:
            figure_forms = _after_conflict(request, unit, period, shown, figure_forms, done)
    return render(request, "indicators/entry.html", {
        "choose": choose, "unit": unit, "period": period, "forms": figure_forms,
        "has_versions": bool(versions), "units": units,
        "threshold": int(services.CHANGE_THRESHOLD * 100),
        "previous": periods.previous(period) if period else None})


def _after_conflict(request: AuthedRequest, unit: Unit, period: periods.Period,
                    versions: list[IndicatorVersion], figure_forms: list[forms.FigureForm],
                    stale: dict[int, EditConflict]) -> list[forms.FigureForm]:
    """The forms shown again after a conflict: the officer's numbers kept, those of an
    indicator saved since read again at its revision now, with both values shown."""
    data = request.POST.copy()
    for form in figure_forms:
        if form.version.pk in stale:
            form.read_again(data, stale[form.version.pk])
    shown = _figure_forms(request, unit, period, versions, data=data)
    for form in shown:
        form.is_valid()
        if form.version.pk in stale:
            form.add_error(None, stale[form.version.pk].message)
            form.add_error(None, forms.AFTER_CONFLICT)
    return shown


def _save(request: AuthedRequest, unit: Unit, period: periods.Period,
          figure_forms: list[forms.FigureForm]
          ) -> HttpResponse | dict[int, EditConflict] | None:
    """Save the page: a redirect when saved, the conflicts by version id when figures were
    saved since the page was read, None when refused otherwise."""
    entries = [services.Entry(version=form.version, rows=form.rows(), comments=form.comments(),
                              base_revision=form.cleaned_data[forms.REVISION],
                              base=form.base())
               for form in figure_forms if not form.is_blank()]
    try:
        saved = services.figures_save_many(actor=request.user, unit=unit, period=period.code,
                                           entries=entries)
    except EntryRefused as refused:
        for form in figure_forms:
            if form.version.pk in refused.by_version:
                form.add_service_errors(refused.by_version[form.version.pk])
        if refused.conflicts and not refused.by_version:
            messages.error(request, _("Chưa lưu: người khác đã lưu số liệu của chỉ tiêu này "
                                      "sau khi bạn mở trang. Hãy xem hai giá trị rồi lưu lại."))
            return refused.conflicts
        messages.error(request, _("Chưa lưu: hãy sửa các chỉ tiêu có lỗi."))
        for form in figure_forms:
            if form.version.pk in refused.conflicts:
                form.add_error(None, refused.conflicts[form.version.pk].message)
        return None
    except PermissionDenied as error:
        messages.error(request, str(error))
        return None
    messages.success(request, _("Đã lưu số liệu kỳ %(period)s của %(unit)s (%(count)s chỉ "
                                "tiêu).") % {"period": period.code, "unit": unit.name,
                                             "count": len({f.version_id for f in saved})})
    query = urlencode({"unit": str(unit.public_id), "period": period.code})
    return redirect(f"{reverse('indicators:entry')}?{query}")


@require_capability(Capability.VIEW_INDICATORS)
def figure_history_view(request: AuthedRequest, figure_id: uuid.UUID) -> HttpResponse:
    figure = selectors.get_figure_for_user(user=request.user, figure_id=figure_id)
    rows = [_history_row(f) for f in selectors.figure_history(user=request.user, figure=figure)]
    return render(request, "indicators/figure_history.html",
                  {"figure": figure, "rows": rows})


def _history_row(figure: SectorFigure) -> dict[str, Any]:
    return {"figure": figure, "breakdown": breakdowns.label_of(figure.breakdown),
            "value": services.display(services.value_of(figure.version.unit_kind,
                                                        figure.numerator, figure.denominator))}

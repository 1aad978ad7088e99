from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_htmx.middleware import HtmxDetails

from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability, has_capability, require_capability
from treem.edits.conflicts import EditConflict
from treem.geo import selectors
from treem.geo.models import Level, Unit
from treem.ui.forms import add_service_errors
from treem.units import services
from treem.units.forms import UnitSearchForm, VillageEditForm, VillageForm

PAGE_SIZE = 50


class HtmxHttpRequest(AuthedRequest):
    htmx: HtmxDetails  # set by django_htmx's middleware


@require_capability(Capability.VIEW_UNITS)
def unit_browse_view(request: HtmxHttpRequest) -> HttpResponse:
    """Start of browsing: the user's own units, or search results across the whole scope."""
    form = UnitSearchForm(request.GET or None)
    context: dict = {"form": form}
    if form.is_valid() and (form.cleaned_data["q"] or form.cleaned_data["level"]):
        units = selectors.unit_search(
            user=request.user, q=form.cleaned_data["q"], level=form.cleaned_data["level"],
            include_former=form.cleaned_data["former"],
        )
        context["page"] = Paginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
        context["searching"] = True
        query = request.GET.copy()
        query.pop("page", None)
        context["query"] = query.urlencode()
    else:
        context["roots"] = selectors.unit_roots(user=request.user)
    template = "units/_unit_results.html" if request.htmx else "units/unit_browse.html"
    return render(request, template, context)


@require_capability(Capability.VIEW_UNITS)
def unit_detail_view(request: AuthedRequest, unit_id: str) -> HttpResponse:
    unit = selectors.get_unit_for_user(user=request.user, unit_id=unit_id)
    children = Paginator(selectors.unit_children(user=request.user, unit=unit), PAGE_SIZE)
    return render(request, "units/unit_detail.html", {
        "unit": unit,
        "breadcrumbs": selectors.unit_breadcrumbs(user=request.user, unit=unit),
        "page": children.get_page(request.GET.get("page")),
        "predecessors": selectors.unit_predecessors(user=request.user, unit=unit),
        "successors": selectors.unit_successors(user=request.user, unit=unit),
        "can_add_village": unit.level == Level.COMMUNE and unit.is_current
        and request.user.in_scope(unit.path, capability=Capability.MANAGE_VILLAGES),
        "can_edit_village": unit.level == Level.VILLAGE
        and has_capability(request.user, Capability.MANAGE_VILLAGES)
        and request.user.in_scope(unit.path, capability=Capability.MANAGE_VILLAGES),
    })


@require_capability(Capability.MANAGE_VILLAGES)
def village_create_view(request: AuthedRequest, unit_id: str) -> HttpResponse:
    commune = selectors.get_unit_for_user(user=request.user, unit_id=unit_id,
                                          capability=Capability.MANAGE_VILLAGES)
    if commune.level != Level.COMMUNE or not commune.is_current:
        raise Http404  # villages are added to current communes only
    form = VillageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            village = services.village_create(actor=request.user, commune=commune,
                                              **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã thêm %(name)s.") % {"name": village.name})
            return redirect("geo:unit_detail", unit_id=commune.public_id)
    return render(request, "units/village_form.html", {"form": form, "commune": commune})


@require_capability(Capability.MANAGE_VILLAGES)
def village_edit_view(request: AuthedRequest, unit_id: str) -> HttpResponse:
    village = selectors.get_unit_for_user(user=request.user, unit_id=unit_id,
                                          capability=Capability.MANAGE_VILLAGES)
    if village.level != Level.VILLAGE:
        raise Http404
    form = VillageEditForm(request.POST or None, initial=_read(village))
    if request.method == "POST" and form.is_valid():
        try:
            services.village_rename(actor=request.user, village=village, **form.edit())
        except EditConflict as conflict:
            # Renamed meanwhile: the form again, the officer's input kept, both values of each
            # field changed twice to choose from; `village` holds what is saved now.
            form = VillageEditForm(form.after_conflict(conflict, _read(village)), asking=True)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("geo:unit_detail", unit_id=village.public_id)
    return render(request, "units/village_form.html", {"form": form, "village": village,
                                                     "commune": village.parent})


def _read(village: Unit) -> dict[str, str]:
    """What the edit form shows, and what it is compared with."""
    return {"name": village.name, "kind": village.kind}

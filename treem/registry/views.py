"""Web pages of the child register. Names never travel in URLs: the name search is posted."""

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from treem.accounts.http import AuthedRequest
from treem.accounts.models import RoleAssignment, User
from treem.accounts.permissions import Capability, has_capability, require_capability
from treem.audit.services import read_record
from treem.edits.conflicts import EditConflict
from treem.edits.forms import initial_of
from treem.geo.models import Level, Unit
from treem.geo.selectors import get_unit_for_user
from treem.registry import child_links, exporting, forms, selectors, services
from treem.registry.consent import forms as consent_forms
from treem.registry.consent import selectors as consent_selectors
from treem.registry.dedup import selectors as dedup_selectors
from treem.registry.models import (
    Caregiver,
    Child,
    ChildCircumstance,
    ChildRisk,
    ChildSupport,
)
from treem.ui.downloads import attachment
from treem.ui.forms import add_service_errors, error_text
from treem.ui.pagination import CappedPaginator
from treem.ui.pickers import picker_results

PAGE_SIZE = 50


def _villages_in_scope(user: User) -> list[Unit]:
    return list(Unit.objects.visible_to(user, capability=Capability.VIEW_CHILDREN)
                .filter(level=Level.VILLAGE).order_by("name_folded")[:500])


def _communes_to_register(user: User) -> list[Unit]:
    return selectors.communes_to_register(user=user)


def _chosen_commune(request: AuthedRequest, communes: list[Unit]) -> Unit:
    """The commune named in the request, else the user's first. One the user may not record
    in is not found: silently recording in another commune than the form named is worse."""
    chosen = request.GET.get("commune") or request.POST.get("commune") or ""
    if not chosen:
        return communes[0]
    commune = next((c for c in communes if str(c.public_id) == chosen), None)
    if commune is None:
        raise Http404
    return commune


def _filtered_children(request: AuthedRequest) -> tuple[Any, Any, str, QuerySet[Child]]:
    """The list's filters (in the URL) and name search (posted) applied to the register."""
    filters_form = forms.ChildFilterForm(request.GET or None,
                                         villages=_villages_in_scope(request.user))
    search = forms.NameSearchForm(request.POST or None)
    q = search.cleaned_data.get("q", "") if search.is_valid() else ""
    if filters_form.is_bound and not filters_form.is_valid():
        # A filter that cannot be applied shows nothing rather than everything.
        return filters_form, search, q, Child.objects.none()
    f = filters_form.cleaned_data if filters_form.is_bound else {}
    ethnicity = f.get("ethnicity")
    children = selectors.child_list(user=request.user, filters=selectors.ChildFilters(
        q=q, village_id=f.get("village") or None, age_group=f.get("age_group", ""),
        sex=f.get("sex", ""), ethnicity_id=ethnicity.pk if ethnicity else None,
        circumstance=f.get("circumstance", ""), support=f.get("support", ""),
        school_status=f.get("school_status", ""), sort=f.get("sort") or "name",
    ))
    return filters_form, search, q, children


@require_capability(Capability.VIEW_CHILDREN)
def child_list_view(request: AuthedRequest) -> HttpResponse:
    filters_form, search, q, children = _filtered_children(request)
    page_number = (search.cleaned_data.get("page") if search.is_valid() else None) \
        or request.GET.get("page")
    page = CappedPaginator(children, PAGE_SIZE).get_page(page_number)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filters": filters_form, "search": search, "q": q, "page": page,
               "query": query.urlencode(), "today": timezone.localdate(),
               "can_add": bool(_communes_to_register(request.user)),
               "can_export": has_capability(request.user, Capability.EXPORT_CHILDREN)}
    htmx = request.headers.get("HX-Request") == "true"
    template = "registry/_child_results.html" if htmx else "registry/child_list.html"
    return render(request, template, context)


@require_capability(Capability.EXPORT_CHILDREN)
def child_export_view(request: AuthedRequest) -> HttpResponse:
    """Asks why (the reason goes to the audit trail), then sends the filtered list as .xlsx."""
    form = forms.ExportForm(request.POST or None)
    _filters, _search, q, children = _filtered_children(request)
    if request.method == "POST" and form.is_valid():
        try:
            content = exporting.children_export(
                actor=request.user, children=children, reason=form.cleaned_data["reason"],
                unit=_scope_unit(request.user))
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            return attachment(content, filename=exporting.export_filename())
    return render(request, "registry/child_export.html", {
        "form": form, "q": q, "count": children.count(), "preview": children[:5]})


def _scope_unit(user: User) -> Unit | None:
    """Where an export of the user's lists belongs in the audit trail: its first unit."""
    assignment = (RoleAssignment.objects.active().filter(user_id=user.pk)
                  .select_related("unit").order_by("unit__path").first())
    return assignment.unit if assignment else None


@require_capability(Capability.VIEW_CHILDREN)
def child_detail_view(request: AuthedRequest, child_id: str) -> HttpResponse:
    view = selectors.get_child_for_user(user=request.user, child_id=child_id)
    child = view.child
    read_record(actor=request.user, obj=child, unit=child.village or child.commune)
    day = view.until or timezone.localdate()
    timeline = selectors.child_timeline(view=view, user=request.user)
    # Seen from a commune the child has left: where it lived there, not where it lives now,
    # and no death recorded after the move (the timeline stops at `until` the same way).
    former_place = next((e.label for e in reversed(timeline) if e.kind == "residence"),
                        "") if view.until else ""
    show_death = child.death_date is not None and (view.until is None
                                                   or child.death_date <= view.until)
    return render(request, "registry/child_detail.html", {
        "view": view, "child": child, "age": child.age_on(day), "today": day,
        "timeline": timeline, "former_place": former_place, "show_death": show_death,
        "circumstances": selectors.current_circumstances(user=request.user, child=child,
                                                         on=day),
        "hidden_circumstance": selectors.has_hidden_circumstance(user=request.user,
                                                                 child=child, on=day),
        "caregivers": selectors.caregivers_of(child=child),
        "restriction": selectors.active_restriction(child=child)
        if getattr(child, "restricted", False) else None,
        "merges": [] if view.until else dedup_selectors.merges_of_child(child=child),
        "links": [] if view.until else child_links.links_for(user=request.user, child=child),
        "consents": list(consent_selectors.consents_of(view=view)),
        "forms": {"consent": consent_forms.ConsentRecordForm(
                      initial={"given_on": timezone.localdate()}),
                  "circumstance": forms.CircumstanceForm(), "risk": forms.RiskForm(),
                  "support": forms.SupportForm(), "caregiver": forms.CaregiverForm(),
                  "end": forms.EndForm(initial={"end_date": timezone.localdate()})},
    })


@require_capability(Capability.MANAGE_CHILDREN)
def child_create_view(request: AuthedRequest) -> HttpResponse:
    communes = _communes_to_register(request.user)
    if not communes:
        raise PermissionDenied
    commune = _chosen_commune(request, communes)
    form = forms.ChildForm(request.POST or None, commune=commune, user=request.user)
    confirm = forms.DuplicateConfirmForm(request.POST or None)
    duplicates: list = []
    if request.method == "POST" and form.is_valid() and confirm.is_valid():
        data = dict(form.cleaned_data)
        village = data.pop("village")
        duplicates = selectors.possible_duplicates(
            user=request.user, full_name=data["full_name"], birth_date=data["birth_date"],
            sex=data["sex"], province_code=commune.province_code,
            personal_id=data.get("personal_id") or None)
        if not duplicates or confirm.cleaned_data["confirm_new"]:
            try:
                child = services.child_register(actor=request.user, commune=commune,
                                                village=village, **data)
            except (ValidationError, PermissionDenied) as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Đã ghi %(name)s vào sổ.") % {"name": child.full_name})
                return redirect("registry:child_detail", child_id=child.public_id)
    return render(request, "registry/child_form.html", {
        "form": form, "confirm": confirm, "duplicates": duplicates, "commune": commune,
        "communes": communes})


EDIT_FIELDS = [name for name in services.EDITABLE_FIELDS
               if name not in ("death_date", "death_cause")]


@require_capability(Capability.MANAGE_CHILDREN)
def child_edit_view(request: AuthedRequest, child_id: str) -> HttpResponse:
    view = selectors.get_child_for_user(user=request.user, child_id=child_id, for_write=True)
    child = view.child

    def initial() -> dict[str, Any]:
        return initial_of(child, EDIT_FIELDS, version=child.version)

    form = forms.ChildEditForm(request.POST or None, initial=initial(), commune=child.commune,
                               user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.child_update(actor=request.user, child=child, **form.edit())
        except EditConflict as conflict:
            # `child` now holds the record as saved (read again under its lock).
            form = forms.ChildEditForm(form.after_conflict(conflict, initial()), user=request.user,
                                       commune=child.commune, asking=True)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("registry:child_detail", child_id=child.public_id)
    return render(request, "registry/child_form.html", {"form": form, "child": child,
                                                        "commune": child.commune})


@require_capability(Capability.MANAGE_CHILDREN)
def child_move_view(request: AuthedRequest, child_id: str) -> HttpResponse:
    view = selectors.get_child_for_user(user=request.user, child_id=child_id, for_write=True)
    form = forms.MoveForm(request.POST or None,
                          initial={"moved_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.child_move(actor=request.user, child=view.child, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã ghi việc chuyển nơi cư trú."))
            if request.user.in_scope(view.child.unit_path,
                        capability=Capability.VIEW_CHILDREN):
                return redirect("registry:child_detail", child_id=view.child.public_id)
            return redirect("registry:child_list")
    return render(request, "registry/child_move.html", {"form": form, "child": view.child})


def _submit(request: AuthedRequest, form: Any, action: Callable[[dict], object],
            success: str) -> None:
    """For the small forms of the child page: run `action` on the valid form and report the
    outcome as a message on the page the user returns to."""
    try:
        if not form.is_valid():
            raise ValidationError(form.errors)
        action(form.cleaned_data)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, success)


_HISTORY_FORMS: dict[str, tuple[type[forms.forms.Form], Callable[..., Any]]] = {
    "circumstance": (forms.CircumstanceForm, services.circumstance_add),
    "risk": (forms.RiskForm, services.risk_add),
    "support": (forms.SupportForm, services.support_add),
}
_HISTORY_MODELS = {"circumstance": ChildCircumstance, "risk": ChildRisk, "support": ChildSupport}


@require_capability(Capability.MANAGE_CHILDREN)
@require_POST
def history_add_view(request: AuthedRequest, child_id: str, kind: str) -> HttpResponse:
    if kind not in _HISTORY_FORMS:
        raise Http404
    view = selectors.get_child_for_user(user=request.user, child_id=child_id, for_write=True)
    form_class, service = _HISTORY_FORMS[kind]
    _submit(request, form_class(request.POST),
            lambda data: service(actor=request.user, child=view.child, **data),
            _("Đã ghi vào lịch sử của trẻ."))
    return redirect("registry:child_detail", child_id=view.child.public_id)


@require_capability(Capability.MANAGE_CHILDREN)
@require_POST
def history_end_view(request: AuthedRequest, kind: str, row_id: str) -> HttpResponse:
    model = _HISTORY_MODELS.get(kind)
    if model is None:
        raise Http404
    rows = model.objects.visible_to(request.user, capability=Capability.MANAGE_CHILDREN)
    if model is ChildCircumstance:
        # A group revealing abuse that the user may not read is not there for it either.
        rows = rows.filter(selectors.circumstances_seen_by(request.user))
    row = rows.select_related("child").filter(public_id=row_id).first()
    if row is None:
        raise Http404
    _submit(request, forms.EndForm(request.POST),
            lambda data: services.history_end(actor=request.user, row=row, **data),
            _("Đã ghi ngày kết thúc."))
    return redirect("registry:child_detail", child_id=row.child.public_id)


@require_capability(Capability.MANAGE_CHILDREN)
@require_POST
def caregiver_add_view(request: AuthedRequest, child_id: str) -> HttpResponse:
    view = selectors.get_child_for_user(user=request.user, child_id=child_id, for_write=True)
    _submit(request, forms.CaregiverForm(request.POST),
            lambda data: services.caregiver_add(actor=request.user, child=view.child, **data),
            _("Đã thêm người chăm sóc."))
    return redirect("registry:child_detail", child_id=view.child.public_id)


@require_capability(Capability.MANAGE_CHILDREN)
def caregiver_edit_view(request: AuthedRequest, caregiver_id: str) -> HttpResponse:
    caregiver = selectors.get_caregiver_for_user(user=request.user, caregiver_id=caregiver_id,
                                                 for_write=True)

    def initial() -> dict[str, Any]:
        return initial_of(caregiver, services.CAREGIVER_FIELDS, version=caregiver.version)

    form = forms.CaregiverEditForm(request.POST or None, initial=initial())
    if request.method == "POST" and form.is_valid():
        try:
            services.caregiver_update(actor=request.user, caregiver=caregiver, **form.edit())
        except EditConflict as conflict:
            form = forms.CaregiverEditForm(form.after_conflict(conflict, initial()),
                                           asking=True)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("registry:child_detail", child_id=caregiver.child.public_id)
    return render(request, "registry/caregiver_form.html", {"form": form,
                                                            "caregiver": caregiver})


@require_capability(Capability.MANAGE_CHILDREN)
@require_POST
def caregiver_remove_view(request: AuthedRequest, caregiver_id: str) -> HttpResponse:
    caregiver = (Caregiver.objects.filter(public_id=caregiver_id).select_related("child")
                 .first())
    if caregiver is None or not request.user.in_scope(caregiver.child.unit_path,
                                         capability=Capability.VIEW_CHILDREN):
        raise Http404
    try:
        services.caregiver_remove(actor=request.user, caregiver=caregiver)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Đã xóa người chăm sóc."))
    return redirect("registry:child_detail", child_id=caregiver.child.public_id)


# --- Households ---------------------------------------------------------------------------------

@require_capability(Capability.VIEW_CHILDREN)
def household_list_view(request: AuthedRequest) -> HttpResponse:
    search = forms.NameSearchForm(request.POST or None)
    q = search.cleaned_data.get("q", "") if search.is_valid() else ""
    page_number = (search.cleaned_data.get("page") if search.is_valid() else None) \
        or request.GET.get("page")
    page = CappedPaginator(selectors.household_list(user=request.user, q=q), PAGE_SIZE).get_page(
        page_number)
    return render(request, "registry/household_list.html", {
        "search": search, "page": page, "q": q,
        "can_add": bool(_communes_to_register(request.user))})


@require_capability(Capability.MANAGE_CHILDREN)
def household_search_view(request: AuthedRequest) -> HttpResponse:
    """The households matching what is typed, for the child form's picker: those of the
    form's commune (`commune`, 404 outside the user's scope) that the user may record a
    child in."""
    commune_id = request.GET.get("commune")
    commune = None
    if commune_id:
        try:
            unit_id = uuid.UUID(commune_id)
        except ValueError:
            raise Http404 from None
        commune = get_unit_for_user(user=request.user, unit_id=unit_id,
                                    capability=Capability.MANAGE_CHILDREN)
    return picker_results(request, forms.HouseholdSource(user=request.user, commune=commune))


@require_capability(Capability.MANAGE_CHILDREN)
def household_create_view(request: AuthedRequest) -> HttpResponse:
    communes = _communes_to_register(request.user)
    if not communes:
        raise PermissionDenied
    commune = _chosen_commune(request, communes)
    form = forms.HouseholdForm(request.POST or None, commune=commune)
    if request.method == "POST" and form.is_valid():
        try:
            household = services.household_create(actor=request.user, commune=commune,
                                                  **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã thêm hộ gia đình."))
            return redirect("registry:household_detail", household_id=household.public_id)
    return render(request, "registry/household_form.html", {
        "form": form, "commune": commune, "communes": communes})


@require_capability(Capability.VIEW_CHILDREN)
def household_detail_view(request: AuthedRequest, household_id: str) -> HttpResponse:
    """The household child-tracking book (Sổ theo dõi trẻ em trong gia đình), printable."""
    household = selectors.get_household_for_user(user=request.user, household_id=household_id)
    read_record(actor=request.user, obj=household, unit=household.village or household.commune)
    today = timezone.localdate()
    return render(request, "registry/household_book.html", {
        "household": household,
        "children": selectors.household_book(user=request.user, household=household, on=today),
        "today": today, "can_edit": request.user.in_scope(
            household.unit_path, capability=Capability.MANAGE_CHILDREN)})


@require_capability(Capability.MANAGE_CHILDREN)
def household_edit_view(request: AuthedRequest, household_id: str) -> HttpResponse:
    household = selectors.get_household_for_user(user=request.user, household_id=household_id,
                                                 for_write=True)

    def initial() -> dict[str, Any]:
        return initial_of(household, services.HOUSEHOLD_FIELDS, version=household.version)

    form = forms.HouseholdEditForm(request.POST or None, initial=initial(),
                                   commune=household.commune)
    if request.method == "POST" and form.is_valid():
        try:
            services.household_update(actor=request.user, household=household, **form.edit())
        except EditConflict as conflict:
            form = forms.HouseholdEditForm(form.after_conflict(conflict, initial()),
                                           commune=household.commune, asking=True)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("registry:household_detail", household_id=household.public_id)
    return render(request, "registry/household_form.html", {
        "form": form, "household": household, "commune": household.commune})

"""The fund's areas (named sets of communes a gift may be earmarked for, the mountain ones
counted by the priority rule) and its priority rules, kept as data by the manager; the fund's
readers see them, since they decide who is helped first."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability, require_capability
from treem.edits.conflicts import EditConflict
from treem.fund import gifts, needs
from treem.fund import ledger_forms as forms
from treem.fund import ledger_selectors as reads
from treem.fund.ledger_forms_more import AreaEditForm
from treem.fund.ledger_views import base, fund_for
from treem.fund.models import Area, Fund
from treem.ui.forms import error_text, form_errors_text


@require_capability(Capability.VIEW_FUND)
def area_list_view(request: AuthedRequest, fund_id: str) -> HttpResponse:
    fund = fund_for(request, fund_id)
    return render(request, "fund/ledger/area_list.html", {
        **base(request, fund), "areas": reads.areas_of(fund)})


@require_capability(Capability.MANAGE_FUND)
@require_http_methods(["GET", "POST"])
def area_create_view(request: AuthedRequest, fund_id: str) -> HttpResponse:
    fund = fund_for(request, fund_id, for_write=True)
    form = forms.AreaForm(request.POST or None, fund=fund)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            area = gifts.area_create(actor=request.user, fund=fund, name=data["name"],
                                     units=list(data["units"]), mountain=data["mountain"])
        except (ValidationError, PermissionDenied) as error:
            forms.service_errors(form, error)
        else:
            messages.success(request, _("Đã tạo địa bàn %(name)s.") % {"name": area.name})
            return redirect("fund:area_list", fund_id=fund.public_id)
    return render(request, "fund/ledger/simple_form.html", {
        **base(request, fund), "form": form, "title": _("Địa bàn mới"),
        "back": "fund:area_list", "back_label": _("Địa bàn"), "submit": _("Tạo địa bàn")})


def _area_of(fund: Fund, area_id: int) -> Area:
    """An area of the fund (read in the user's scope first): 404 for another fund's."""
    area = reads.areas_of(fund).filter(pk=area_id).first()
    if area is None:
        raise Http404
    return area


@require_capability(Capability.MANAGE_FUND)
@require_http_methods(["GET", "POST"])
def area_update_view(request: AuthedRequest, fund_id: str, area_id: int) -> HttpResponse:
    """An area renamed, its communes or mountain flag changed; when an earmark names it, the
    page says what a change of communes does to that money and asks to confirm it. The form
    sends back the values it read: a field another manager changed since is refused, shown
    with both values to choose from (`treem.edits.forms`)."""
    fund = fund_for(request, fund_id, for_write=True)
    area = _area_of(fund, area_id)
    earmarks = list(gifts.area_earmarks(area))
    form = AreaEditForm(request.POST or None, fund=fund, earmarked=bool(earmarks),
                        initial=_read(area))
    if request.method == "POST" and form.is_valid():
        try:
            area = gifts.area_update(actor=request.user, area=area, **form.edit())
        except EditConflict as conflict:
            # Changed meanwhile: the form again, the manager's input kept, the other fields as
            # saved now and both values of each field changed twice to choose from.
            area = _area_of(fund, area_id)
            form = AreaEditForm(form.after_conflict(conflict, _read(area)), fund=fund,
                                earmarked=bool(earmarks), asking=True)
        except (ValidationError, PermissionDenied) as error:
            forms.service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu địa bàn %(name)s.") % {"name": area.name})
            return redirect("fund:area_list", fund_id=fund.public_id)
    return render(request, "fund/ledger/area_form.html", {
        **base(request, fund), "form": form, "area": area, "earmarks": earmarks,
        "gone": [unit for unit in area.units.all() if unit.valid_to is not None]})


def _read(area: Area) -> dict[str, Any]:
    """What the edit form shows, and what it is compared with."""
    return {"name": area.name, "mountain": area.mountain, "units": list(area.units.all())}


@require_capability(Capability.VIEW_FUND)
def rule_list_view(request: AuthedRequest, fund_id: str) -> HttpResponse:
    """The rules ordering the needs list, each editable in place by the manager, and a new
    one."""
    fund = fund_for(request, fund_id)
    return render(request, "fund/ledger/rule_list.html", {
        **base(request, fund), "rules": reads.rules_of(fund),
        "form": forms.RuleForm(initial={"active": True})})


@require_capability(Capability.MANAGE_FUND)
@require_POST
def rule_set_view(request: AuthedRequest, fund_id: str) -> HttpResponse:
    """A rule's points and state set (or a new rule), then every open need reordered."""
    fund = fund_for(request, fund_id, for_write=True)
    form = forms.RuleForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("fund:rule_list", fund_id=fund.public_id)
    data = form.cleaned_data
    try:
        needs.rule_set(actor=request.user, fund=fund, criterion=data["criterion"],
                       points=data["points"], active=data["active"],
                       group_id=data["group"].pk if data["group"] else None)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Đã lưu tiêu chí ưu tiên; danh sách nhu cầu đã được xếp "
                                    "lại."))
    return redirect("fund:rule_list", fund_id=fund.public_id)

"""The page where an officer names a child in an activity (`treem.plans.activities.named`):
a name searched (posted, never in the address), a child chosen among those found, a reason."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability, require_capability
from treem.plans.activities import forms, named, selectors
from treem.ui.forms import add_service_errors, error_text


@require_capability(Capability.MANAGE_PLANS)
@require_http_methods(["GET", "POST"])
def named_add_view(request: AuthedRequest, activity_id: str) -> HttpResponse:
    activity = selectors.get_activity_for_user(user=request.user, activity_id=activity_id,
                                               for_write=True)
    if not named.may_name(request.user, activity):
        raise PermissionDenied
    naming = request.method == "POST" and "child" in request.POST
    search = forms.ChildSearchForm(request.POST if request.method == "POST" else None)
    q = search.cleaned_data.get("q", "") if search.is_valid() else ""
    found = (named.candidates(actor=request.user, activity=activity, q=q,
                              limit=named.SHOWN + 1) if q else [])
    more, found = len(found) > named.SHOWN, found[:named.SHOWN]
    form = forms.NamedChildForm(request.POST if naming else None, children=found,
                                initial={"q": q})
    if naming and form.is_valid():
        try:
            named.named_add(actor=request.user, activity=activity,
                            child_id=form.cleaned_data["child"],
                            reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã nêu tên trẻ em trong hoạt động."))
            return redirect(
                f"{reverse('plans:activity_detail', args=[activity.public_id])}#named")
    return render(request, "plans/activities/named_add.html", {
        "activity": activity, "search": search, "q": q, "found": found, "more": more, "form": form})


@require_capability(Capability.MANAGE_PLANS)
@require_POST
def named_remove_view(request: AuthedRequest, activity_id: str, named_id: str) -> HttpResponse:
    activity = selectors.get_activity_for_user(user=request.user, activity_id=activity_id,
                                               for_write=True)
    item = named.get_named_for_user(user=request.user, activity=activity, named_id=named_id)
    try:
        named.named_remove(actor=request.user, item=item)
    except PermissionDenied as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Đã bỏ tên trẻ em khỏi hoạt động."))
    return redirect(f"{reverse('plans:activity_detail', args=[activity.public_id])}#named")

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from treem.accounts.permissions import Capability, require_capability
from treem.audit import selectors
from treem.audit.forms import EventFilterForm


@require_capability(Capability.VIEW_AUDIT)
def event_list_view(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.event_list(user=request.user, **filters)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/event_list.html",
                  {"form": form, "page": page, "query": query.urlencode()})

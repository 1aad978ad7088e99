from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability, require_capability
from treem.audit.models import AuditEvent
from treem.auditlog import labels, selectors
from treem.auditlog.forms import EventFilterForm


@require_capability(Capability.VIEW_AUDIT)
@require_safe
def event_list_view(request: AuthedRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None)
    events: QuerySet[AuditEvent]
    if form.is_bound and not form.is_valid():
        # A filter that cannot be applied shows nothing rather than everything.
        events = AuditEvent.objects.none()
    else:
        events = selectors.event_list(user=request.user, **(form.cleaned_data if form.is_bound
                                                            else {}))
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "auditlog/event_list.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "sentences": labels.sentences(reader=request.user, events=page.object_list)})

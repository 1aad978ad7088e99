import datetime

from django.db.models import QuerySet

from treem.accounts.models import User
from treem.accounts.permissions import Capability
from treem.audit.models import AuditEvent


def event_list(*, user: User, action: str = "", username: str = "", object_type: str = "",
               object_id: str = "", date_from: datetime.date | None = None,
               date_to: datetime.date | None = None) -> QuerySet[AuditEvent]:
    """Events that happened in the auditor's scope, newest first."""
    events = AuditEvent.objects.visible_to(user, capability=Capability.VIEW_AUDIT).select_related(
        "unit")
    if action:
        events = events.filter(action=action)
    if username:
        events = events.filter(actor_username__iexact=username.strip())
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id.strip())
    if date_from:
        events = events.filter(at__date__gte=date_from)
    if date_to:
        events = events.filter(at__date__lte=date_to)
    return events.order_by("-at", "-id")

"""Every read of alerts and breaches, limited to the reader's scope: an alert belongs to the
smallest unit holding the events it counts, a breach to the unit it was recorded for; both are
read through `visible_to`, so the auditor of a province today also reads what happened on the
units of before July 2025 that became it."""

import datetime
import uuid

from django.db.models import Q, QuerySet
from django.http import Http404

from treem.accounts.capabilities import roles_with
from treem.accounts.models import RoleAssignment, User
from treem.accounts.permissions import Capability
from treem.audit.models import AuditEvent
from treem.geo.models import Unit
from treem.privacy.alerts.detection import events_behind
from treem.privacy.models import AccessAlert, Breach


def alert_list(*, user: User, rule: str = "", status: str = "", subject: str = "",
               date_from: datetime.date | None = None,
               date_to: datetime.date | None = None) -> QuerySet[AccessAlert]:
    alerts = AccessAlert.objects.visible_to(user, capability=Capability.VIEW_ACCESS_ALERTS)
    if rule:
        alerts = alerts.filter(rule=rule)
    if status:
        alerts = alerts.filter(status=status)
    if subject := subject.strip():
        alerts = alerts.filter(Q(username__iexact=subject) | Q(subject_key=f"ip:{subject}"))
    if date_from:
        alerts = alerts.filter(day__gte=date_from)
    if date_to:
        alerts = alerts.filter(day__lte=date_to)
    return alerts.select_related("unit", "decided_by").order_by("-day", "-id")


def get_alert_for_user(*, user: User, alert_id: uuid.UUID | str) -> AccessAlert:
    found = alert_list(user=user).filter(public_id=alert_id).first()
    if found is None:
        raise Http404
    return found


def alert_events(*, user: User, alert: AccessAlert) -> QuerySet[AuditEvent]:
    """The events behind an alert that the reader may see, newest first."""
    return (events_behind(alert).visible_to(user, capability=Capability.VIEW_ACCESS_ALERTS)
            .select_related("unit").order_by("-at", "-id"))


def breach_list(*, user: User) -> QuerySet[Breach]:
    return (Breach.objects.visible_to(user, capability=Capability.RECORD_BREACHES)
            .select_related("unit", "created_by").order_by("-found_at", "-id"))


def get_breach_for_user(*, user: User, breach_id: uuid.UUID | str) -> Breach:
    found = breach_list(user=user).filter(public_id=breach_id).first()
    if found is None:
        raise Http404
    return found


def breach_units(*, user: User) -> QuerySet[Unit]:
    """The units the user records breaches for: those of its auditor's assignments."""
    ids = RoleAssignment.objects.active().filter(
        user_id=user.pk, role__in=roles_with(Capability.RECORD_BREACHES)).values("unit_id")
    return Unit.objects.filter(pk__in=ids).order_by("path")

"""Alerts and breaches made directly, for the tests of alerts and the scope-coverage rows (the
detection and the services are what their own tests exercise)."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from treem.accounts.models import User
from treem.audit.models import Action, AuditEvent
from treem.geo.models import Unit
from treem.privacy.alerts.detection import PROVINCE_PATH_LENGTH
from treem.privacy.models import AccessAlert, Breach, Rule

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
DAY = datetime.date(2026, 11, 10)


def make_alert(*, user: User, unit: Unit, rule: str = Rule.NIGHT_EXPORT, day: datetime.date = DAY,
               events: int = 2, hour: int = 23) -> AccessAlert:
    """An alert of `user`'s exports (or reads, by `rule`) on `unit`, with its events."""
    moment = datetime.datetime.combine(day, datetime.time(hour), tzinfo=HANOI)
    action = Action.EXPORT if rule == Rule.NIGHT_EXPORT else Action.VIEW
    AuditEvent.objects.bulk_create([AuditEvent(
        at=moment + datetime.timedelta(minutes=i), actor=user, actor_username=user.username,
        unit=unit, unit_path=unit.path, action=action,
        object_type="" if action == Action.EXPORT else "registry.child",
        object_id=f"obj-{i}") for i in range(events)])
    return AccessAlert.objects.create(
        rule=rule, subject_key=f"user:{user.pk}", user=user, username=user.username, day=day,
        province_path=unit.path[:PROVINCE_PATH_LENGTH], unit=unit, unit_path=unit.path,
        count=events, baseline=Decimal("1.0") if rule == Rule.HEAVY_READING else None,
        first_at=moment, last_at=moment + datetime.timedelta(minutes=events - 1))


def make_breach(*, unit: Unit, by: User, title: str,
                found_at: datetime.datetime | None = None) -> Breach:
    found_at = found_at or timezone.now() - datetime.timedelta(hours=10)
    return Breach.objects.create(unit=unit, unit_path=unit.path, title=title,
                                 description="Máy tính bị mất", found_at=found_at,
                                 children_affected=3, created_by=by)

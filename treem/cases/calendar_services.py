"""Keeping the calendar of days off: national data, changed by a nation-wide administrator
when the Government announces the year's days (Tết, swapped days, Saturdays worked)."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from treem.accounts.permissions import Capability
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.cases import exceptions as exc
from treem.cases.models import CalendarDay
from treem.geo.models import Level, Unit


def _require_national(actor: Any) -> Unit:
    nation = Unit.objects.filter(level=Level.NATION).first()
    if nation is None or not actor.in_scope(nation.path, capability=Capability.MANAGE_CALENDAR):
        raise PermissionDenied(exc.CALENDAR_NATIONAL)
    return nation


@transaction.atomic
def calendar_day_add(*, actor: Any, day: datetime.date, kind: str, name: str,
                     source: str = "") -> CalendarDay:
    nation = _require_national(actor)
    if not name.strip():
        raise ValidationError({"name": exc.CALENDAR_NAME_REQUIRED})
    if kind == CalendarDay.Kind.WORKING and day.weekday() < 5:
        raise ValidationError({"day": exc.CALENDAR_WEEKDAY_WORKING})
    if CalendarDay.objects.filter(day=day).exists():
        raise ValidationError({"day": exc.CALENDAR_DAY_TAKEN})
    row = CalendarDay(day=day, kind=kind, name=name.strip(), source=source.strip())
    row.full_clean()
    row.save()
    event_record(actor=actor, action=Action.CREATE, obj=row, unit=nation,
                 fields=["day", "kind", "name"], reason=row.source)
    return row


@transaction.atomic
def calendar_day_remove(*, actor: Any, row: CalendarDay, reason: str) -> None:
    """A day entered by mistake; deadlines already set keep their date (they are not
    recomputed behind the officers' backs)."""
    nation = _require_national(actor)
    event_record(actor=actor, action=Action.DELETE, obj=row, unit=nation, fields=["day"],
                 reason=reason.strip() or row.name)
    row.delete()

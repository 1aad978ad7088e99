"""Keeping the calendar of days off: national data, changed by a nation-wide administrator
when the Government announces the year's days (Tết, swapped days, Saturdays worked).

The statutory days off of every year come by rule (`holidays.statutory_days_off`); what is
kept here is what the announcements add or move. A change counts again, in the same
transaction, the running limits in working days it can move (`deadlines.recount`), and the
audit trail says how many moved."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from treem.accounts.models import User
from treem.accounts.permissions import Capability
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.cases import deadlines
from treem.cases import exceptions as exc
from treem.cases.models import CalendarDay
from treem.cases.workdays import SATURDAY, WorkCalendar
from treem.geo.models import Level, Unit

# The audit reason of a change that moved running limits (a count and a day, no names): the
# trail's own record, kept in Vietnamese whatever the language of the page.
RECOUNTED = "Tính lại %(count)d thời hạn đang chạy do thay đổi ngày %(day)s"


def _require_national(actor: User) -> Unit:
    nation = Unit.objects.filter(level=Level.NATION).first()
    if nation is None or not actor.in_scope(nation.path, capability=Capability.MANAGE_CALENDAR):
        raise PermissionDenied(exc.CALENDAR_NATIONAL)
    return nation


def _check_kind(day: datetime.date, kind: str) -> None:
    """An entry must change something: a day worked on a day that is off by the week or by
    the rule, a day off on a day that is a working one."""
    rule = WorkCalendar.from_database()
    off_anyway = day.weekday() >= SATURDAY or rule.is_statutory_day_off(day)
    if kind == CalendarDay.Kind.WORKING and not off_anyway:
        raise ValidationError({"day": exc.CALENDAR_WEEKDAY_WORKING})
    if kind == CalendarDay.Kind.HOLIDAY and off_anyway:
        raise ValidationError({"day": exc.CALENDAR_ALREADY_OFF})


def _recount(actor: User, nation: Unit, day: datetime.date) -> int:
    moved = deadlines.recount([day])
    if moved:  # the limits are many cases' own: the event names the day, not a case
        event_record(actor=actor, action=Action.UPDATE, unit=nation, fields=["due_at"],
                     reason=RECOUNTED % {"count": moved, "day": f"{day:%d/%m/%Y}"})
    return moved


@transaction.atomic
def calendar_day_add(*, actor: User, day: datetime.date, kind: str, name: str,
                     source: str = "") -> CalendarDay:
    nation = _require_national(actor)
    if not name.strip():
        raise ValidationError({"name": exc.CALENDAR_NAME_REQUIRED})
    if CalendarDay.objects.filter(day=day).exists():
        raise ValidationError({"day": exc.CALENDAR_DAY_TAKEN})
    _check_kind(day, kind)
    row = CalendarDay(day=day, kind=kind, name=name.strip(), source=source.strip())
    row.full_clean()
    row.save()
    event_record(actor=actor, action=Action.CREATE, obj=row, unit=nation,
                 fields=["day", "kind", "name"], reason=row.source)
    _recount(actor, nation, row.day)
    return row


@transaction.atomic
def calendar_day_remove(*, actor: User, row: CalendarDay, reason: str) -> None:
    """A day entered by mistake, or an announcement withdrawn: the running limits it moved
    are counted again without it."""
    nation = _require_national(actor)
    event_record(actor=actor, action=Action.DELETE, obj=row, unit=nation, fields=["day"],
                 reason=reason.strip() or row.name)
    row.delete()
    _recount(actor, nation, row.day)

"""The four rules of unusual access, as set-based SQL over the audit trail (docs/access-alerts.md).

Each rule reads one local day (Asia/Ho_Chi_Minh) of events with GROUP BY and writes its alerts
with one upsert keyed by (rule, subject, day, province): running it again, hourly or nightly,
updates the counts of the day and creates nothing twice. Python only sees grouped rows (a user's
count of the day, a candidate's daily counts for the median), never the events themselves.

The audit trail is the largest table: every query names the actor (a user, or NULL for failed
sign-ins) and a range of `at`, so the (actor, at) index answers it; the per-user queries are
driven from the users table so that PostgreSQL probes that index once per user.
"""

import datetime
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import ExtractHour, Substr, TruncDate, TruncHour
from django.db.models.lookups import StartsWith

from treem.accounts.models import RoleAssignment, User
from treem.accounts.roles import Role
from treem.audit.models import Action, AuditEvent, AuditEventQuerySet
from treem.geo.models import LEVEL_DEPTH, Level, UnitSuccession
from treem.geo.paths import SEGMENT_WIDTH
from treem.privacy.models import AccessAlert, Rule

# What "a child's record" is in the trail: the register's child and the case files about a child.
CHILD_RECORDS = ("registry.child", "cases.case", "cases.notification")
# The roles tied to an area whose every read must fall inside it (the scope layer ensures it, so
# a read outside is either a scope bug or a record read by another way).
AREA_ROLES = (Role.VILLAGE_COLLABORATOR, Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER,
              Role.AREA_OFFICER)
PROVINCE_PATH_LENGTH = (LEVEL_DEPTH[Level.PROVINCE] + 1) * (SEGMENT_WIDTH + 1)


def zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=zone())
    return start, start + datetime.timedelta(days=1)


def common_path(low: str, high: str) -> str:
    """The path of the smallest unit above both (the lowest and highest paths of a group hold,
    between them, every path of the group: their common prefix is the group's)."""
    step = SEGMENT_WIDTH + 1
    common = 0
    for end in range(step, min(len(low), len(high)) + 1, step):
        if low[:end] != high[:end]:
            break
        common = end
    return low[:common]


def unit_id_of(path: str) -> int | None:
    return int(path[-SEGMENT_WIDTH - 1:-1]) if path else None


# --- What each rule reads ------------------------------------------------------------------------

def _events(start: datetime.datetime, end: datetime.datetime) -> AuditEventQuerySet:
    return AuditEvent.objects.filter(at__gte=start, at__lt=end)  # type: ignore[return-value]


def _by_people(events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
    return events.filter(actor_id__in=Subquery(User.objects.order_by().values("pk")))


def _reads(events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
    return events.filter(action=Action.VIEW, object_type__in=CHILD_RECORDS)


def _held_at_event(**outer: Any) -> QuerySet[RoleAssignment]:
    """The assignments the event's actor held when the event happened."""
    at = outer.get("at", OuterRef("at"))
    return RoleAssignment.objects.filter(
        Q(revoked_at__isnull=True) | Q(revoked_at__gt=at),
        user_id=outer.get("actor", OuterRef("actor_id")), created_at__lte=at)


def outside_area(events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
    """Reads by an area role of a record under none of the actor's units, nor under a unit of
    before July 2025 that became one of them (the scope layer's own rule: User.scope_paths)."""
    covering = _held_at_event().filter(StartsWith(OuterRef("unit_path"), F("unit__path")))
    inherited = UnitSuccession.objects.filter(
        StartsWith(OuterRef("unit_path"), F("predecessor__path")),
        successor_id__in=_held_at_event(actor=OuterRef(OuterRef("actor_id")),
                                        at=OuterRef(OuterRef("at"))).values("unit_id"))
    return (_reads(events)
            .filter(Exists(_held_at_event().filter(role__in=AREA_ROLES)))
            .exclude(Exists(covering)).exclude(Exists(inherited)))


def _night_hours() -> Q:
    start, end = settings.TREEM_ALERT_NIGHT_START_HOUR, settings.TREEM_ALERT_NIGHT_END_HOUR
    if start > end:  # the night runs over midnight: 22:00–06:00
        return Q(hour__gte=start) | Q(hour__lt=end)
    return Q(hour__gte=start, hour__lt=end)


def night_exports(events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
    return (events.filter(action=Action.EXPORT)
            .annotate(hour=ExtractHour("at", tzinfo=zone())).filter(_night_hours()))


def failed_sign_ins(events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
    # A failed sign-in has no actor (nobody signed in): the (actor, at) index's NULL range.
    return events.filter(actor__isnull=True, action=Action.LOGIN_FAILED, ip__isnull=False)


# --- Grouping and writing ------------------------------------------------------------------------

@dataclass
class Found:
    """What one run wrote: per rule, the alerts of the day (new or updated)."""

    day: datetime.date
    per_rule: dict[str, int]
    created: int


def _groups(events: QuerySet[AuditEvent], key: str) -> Iterable[dict[str, Any]]:
    """The events per subject and province: how many, the lowest and highest unit paths, the
    first and last moments — one GROUP BY."""
    return (events.annotate(province=Substr("unit_path", 1, PROVINCE_PATH_LENGTH))
            .values(key, "province")
            .annotate(n=Count("id"), low=Min("unit_path"), high=Max("unit_path"),
                      first=Min("at"), last=Max("at"))
            .order_by(key, "province"))


def _alerts(rule: str, day: datetime.date, rows: Iterable[dict[str, Any]], *,
            baselines: dict[int, Decimal] | None = None) -> list[AccessAlert]:
    usernames: dict[int, str] = {}
    rows = list(rows)
    if "actor_id" in (rows[0] if rows else {}):
        usernames = dict(User.objects.filter(pk__in={r["actor_id"] for r in rows})
                         .values_list("pk", "username"))
    made = []
    for row in rows:
        path = common_path(row["low"], row["high"])
        user_id, ip = row.get("actor_id"), row.get("ip")
        made.append(AccessAlert(
            rule=rule, subject_key=f"user:{user_id}" if user_id is not None else f"ip:{ip}",
            user_id=user_id, username=usernames.get(user_id, "") if user_id else "", ip=ip,
            day=day, province_path=row["province"], unit_id=unit_id_of(path), unit_path=path,
            count=row["n"], baseline=(baselines or {}).get(user_id) if user_id else None,
            first_at=row["first"], last_at=row["last"]))
    return made


def _write(alerts: list[AccessAlert]) -> None:
    AccessAlert.objects.bulk_create(
        alerts, update_conflicts=True,
        unique_fields=["rule", "subject_key", "day", "province_path"],
        update_fields=["count", "baseline", "unit", "unit_path", "first_at", "last_at"])


def median_reads(users: list[int], day: datetime.date) -> dict[int, Decimal]:
    """Each user's median count of child records read per day over the TREEM_ALERT_READS_DAYS
    days before `day`, counting the days they read any (a day off is not a usual day)."""
    start, _ = day_bounds(day - datetime.timedelta(days=settings.TREEM_ALERT_READS_DAYS))
    end, _ = day_bounds(day)
    rows = (_reads(_events(start, end)).filter(actor_id__in=users)
            .annotate(local_day=TruncDate("at", tzinfo=zone()))
            .values("actor_id", "local_day").annotate(n=Count("id")).order_by())
    daily: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        daily[row["actor_id"]].append(row["n"])
    return {user: Decimal(str(statistics.median(daily[user]))).quantize(Decimal("0.1"))
            if daily[user] else Decimal(0) for user in users}


def heavy_reading(day: datetime.date) -> list[AccessAlert]:
    start, end = day_bounds(day)
    reads = _reads(_by_people(_events(start, end)))
    floor = settings.TREEM_ALERT_READS_FLOOR
    counts = dict(reads.values("actor_id").annotate(n=Count("id")).filter(n__gte=floor)
                  .order_by().values_list("actor_id", "n"))
    if not counts:
        return []
    baselines = median_reads(list(counts), day)
    factor = settings.TREEM_ALERT_READS_FACTOR
    heavy = [user for user, n in counts.items() if n > factor * baselines[user]]
    if not heavy:
        return []
    return _alerts(Rule.HEAVY_READING, day,
                   _groups(reads.filter(actor_id__in=heavy), "actor_id"), baselines=baselines)


def reads_outside_area(day: datetime.date) -> list[AccessAlert]:
    start, end = day_bounds(day)
    return _alerts(Rule.OUTSIDE_AREA, day,
                   _groups(outside_area(_by_people(_events(start, end))), "actor_id"))


def exports_at_night(day: datetime.date) -> list[AccessAlert]:
    start, end = day_bounds(day)
    return _alerts(Rule.NIGHT_EXPORT, day,
                   _groups(night_exports(_by_people(_events(start, end))), "actor_id"))


def sign_in_span(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The moments a day's failed sign-ins are read over: the day, and the hours before it
    that a window ending in the day reaches (a burst from 23:30 to 00:30 is one burst)."""
    start, end = day_bounds(day)
    lead = settings.TREEM_ALERT_FAILED_SIGN_IN_WINDOW_HOURS - 1
    return start - datetime.timedelta(hours=lead), end


def sign_in_attacks(day: datetime.date) -> list[AccessAlert]:
    """Addresses with TREEM_ALERT_FAILED_SIGN_INS failures or more within some
    TREEM_ALERT_FAILED_SIGN_IN_WINDOW_HOURS consecutive hours ending in the day (a window may
    begin the evening before); the alert counts the address's failures over those hours and
    the day (`sign_in_span`). The database counts per address and hour (at most 24 + the
    window's rows an address); the sliding window runs over those counts."""
    since, end = sign_in_span(day)
    window = settings.TREEM_ALERT_FAILED_SIGN_IN_WINDOW_HOURS
    hours = 24 + window - 1
    failures = failed_sign_ins(_events(since, end))
    hourly: dict[str, list[int]] = defaultdict(lambda: [0] * hours)
    rows = (failures.annotate(hour=TruncHour("at", tzinfo=zone())).values("ip", "hour")
            .annotate(n=Count("id")).order_by().values_list("ip", "hour", "n"))
    for ip, hour, n in rows:
        hourly[str(ip)][int((hour - since).total_seconds() // 3600)] += n
    threshold = settings.TREEM_ALERT_FAILED_SIGN_INS
    addresses = [ip for ip, counts in hourly.items()
                 if max(sum(counts[h:h + window]) for h in range(24)) >= threshold]
    if not addresses:
        return []
    return _alerts(Rule.FAILED_SIGN_INS, day, _groups(failures.filter(ip__in=addresses), "ip"))


RULES = {
    Rule.HEAVY_READING: heavy_reading,
    Rule.OUTSIDE_AREA: reads_outside_area,
    Rule.NIGHT_EXPORT: exports_at_night,
    Rule.FAILED_SIGN_INS: sign_in_attacks,
}


def detect(*, day: datetime.date) -> Found:
    """Run every rule over `day` and write its alerts, in one transaction."""
    per_rule: dict[str, int] = {}
    with transaction.atomic():
        before = AccessAlert.objects.filter(day=day).count()
        for rule, find in RULES.items():
            alerts = find(day)
            if alerts:
                _write(alerts)
            per_rule[rule] = len(alerts)
        created = AccessAlert.objects.filter(day=day).count() - before
    return Found(day=day, per_rule=per_rule, created=created)


def events_behind(alert: AccessAlert) -> AuditEventQuerySet:
    """The events an alert counts (unscoped: the selector limits them to the reader)."""
    start, end = (sign_in_span(alert.day) if alert.rule == Rule.FAILED_SIGN_INS
                  else day_bounds(alert.day))
    events = _events(start, end)
    if len(alert.province_path) == PROVINCE_PATH_LENGTH:
        events = events.filter(unit_path__startswith=alert.province_path)
    else:  # events of the nation (or of no unit): that path only, not every province under it
        events = events.filter(unit_path=alert.province_path)
    found: QuerySet[AuditEvent]
    if alert.rule == Rule.FAILED_SIGN_INS:
        found = failed_sign_ins(events).filter(ip=alert.ip)
    elif alert.rule == Rule.HEAVY_READING:
        found = _reads(events.filter(actor_id=alert.user_id))
    elif alert.rule == Rule.OUTSIDE_AREA:
        found = outside_area(events.filter(actor_id=alert.user_id))
    else:
        found = night_exports(events.filter(actor_id=alert.user_id))
    return found  # type: ignore[return-value]

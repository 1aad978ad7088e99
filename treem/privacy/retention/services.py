"""Retention's writes: a rule changed (versioned, with its reason), the daily job that lists
what reached its end, an officer's decision on a record found (anonymise, erase, or hold), and
legal holds placed and lifted. Each is one transaction with its audit event."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from treem.accounts.capabilities import Capability
from treem.accounts.models import User
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.cases import anonymise as case_anonymising
from treem.cases import choices as case_choices
from treem.cases.models import Case, Notification
from treem.edits import conflicts
from treem.privacy.models import (
    DueStatus,
    LegalHold,
    RecordKind,
    RetentionAction,
    RetentionDue,
    RetentionEvent,
    RetentionRule,
    RetentionRuleVersion,
)
from treem.privacy.models.retention import JOB_KINDS
from treem.privacy.requests import services as request_services
from treem.privacy.retention import exceptions as exc
from treem.privacy.retention.selectors import hold_paths
from treem.registry import anonymise as child_anonymising
from treem.registry.models import CHILD_AGE_LIMIT, Child, years_before

ADULT_AGE = 18  # the age a case's period may count from (Bộ luật Dân sự 2015 Điều 20)
REASON_MIN = 10
RULE_FIELDS = ("counts_from", "years", "action", "legal_basis", "verified", "active")


def _reason(text: str, field: str = "reason") -> str:
    text = (text or "").strip()
    if len(text) < REASON_MIN:
        raise ValidationError({field: exc.REASON_REQUIRED})
    return text


# --- Rules ---------------------------------------------------------------------------------------

@transaction.atomic
def rule_update(*, actor: User, rule: RetentionRule, counts_from: str, years: int,
                action: str, legal_basis: str, verified: bool, active: bool,
                reason: str, base_version: int | None) -> RetentionRule:
    """Change a rule: a new version with who and why; the old one stays in its history. An
    edit read at `base_version` that another saved over since is refused (`EditConflict`,
    with both values); None: no precondition."""
    if not actor.has_capability(Capability.MANAGE_RETENTION):
        raise PermissionDenied(exc.NOT_YOURS)
    errors: dict[str, Any] = {}
    if counts_from not in JOB_KINDS.get(rule.record_kind, tuple(RetentionEvent.values)):
        errors["counts_from"] = exc.EVENT_NOT_FOR_KIND
    if not isinstance(years, int) or isinstance(years, bool) or not 0 <= years <= 100:
        errors["years"] = exc.YEARS_RANGE
    if action not in RetentionAction.values:
        errors["action"] = exc.BAD_DECISION
    if not (legal_basis or "").strip():
        errors["legal_basis"] = exc.REASON_REQUIRED
    if len((reason or "").strip()) < REASON_MIN:
        errors["reason"] = exc.REASON_REQUIRED
    if errors:
        raise ValidationError(errors)
    rule = RetentionRule.objects.select_for_update().get(pk=rule.pk)
    values = {"counts_from": counts_from, "years": years, "action": action,
              "legal_basis": legal_basis.strip(), "verified": bool(verified),
              "active": bool(active)}
    if base_version is not None:
        conflicts.check(rule, version=rule.version, base_version=base_version, changes=values)
    changed = [name for name, value in values.items() if getattr(rule, name) != value]
    if not changed:
        return rule
    for name in changed:
        setattr(rule, name, values[name])
    rule.version += 1
    rule.updated_by = actor
    rule.save(update_fields=[*changed, "version", "updated_by", "updated_at"])
    RetentionRuleVersion.objects.create(rule=rule, version=rule.version, changed_by=actor,
                                        reason=reason.strip(), **values)
    event_record(actor=actor, action=Action.UPDATE, obj=rule, fields=changed,
                 reason=reason.strip())
    return rule


# --- The daily job -------------------------------------------------------------------------------

def _held_child() -> Q:
    return Q(child=OuterRef("pk")) | Q(case__child=OuterRef("pk"))


def _candidates(rule: RetentionRule, today: datetime.date) -> QuerySet[Any]:
    """The records of `rule`'s kind whose period has ended by `today`, not held, not found
    before: (id, unit_path, province_code) rows, a query, never read into Python."""
    holds = LegalHold.objects.active()
    found = RetentionDue.objects.filter(record_kind=rule.record_kind)
    years = rule.years
    if rule.record_kind == RecordKind.CHILD:
        rows: QuerySet[Any] = Child.objects.exclude(Exists(
            Case.objects.filter(child=OuterRef("pk")).exclude(
                status=case_choices.Status.CLOSED)))
        if rule.counts_from == RetentionEvent.CHILD_ADULT:
            rows = rows.filter(birth_date__lte=years_before(today, ADULT_AGE + years))
        else:  # the last update; a child still under 16 is never due
            rows = rows.filter(updated_at__date__lte=years_before(today, years),
                               birth_date__lte=years_before(today, CHILD_AGE_LIMIT))
        rows = rows.exclude(Exists(holds.filter(_held_child())))
        rows = rows.exclude(Exists(found.filter(child=OuterRef("pk"))))
    elif rule.record_kind == RecordKind.CASE:
        rows = Case.objects.filter(status=case_choices.Status.CLOSED)
        if rule.counts_from == RetentionEvent.CHILD_ADULT:
            rows = rows.filter(child__birth_date__lte=years_before(today, ADULT_AGE + years))
        else:
            rows = rows.filter(closed_at__date__lte=years_before(today, years))
        rows = rows.exclude(Exists(holds.filter(Q(case=OuterRef("pk"))
                                                | Q(child=OuterRef("child_id")))))
        rows = rows.exclude(Exists(found.filter(case=OuterRef("pk"))))
    else:
        rows = Notification.objects.filter(case__isnull=True,
                                           received_at__date__lte=years_before(today, years))
        rows = rows.exclude(Exists(holds.filter(child=OuterRef("child_id"))))
        rows = rows.exclude(Exists(found.filter(notification=OuterRef("pk"))))
    # Named columns: the INSERT … SELECT reads them by name from the subquery.
    return rows.order_by().annotate(r_id=F("pk"), r_path=F("unit_path"),
                                    r_province=F("province_code")).values_list(
        "r_id", "r_path", "r_province")


def _insert_due(rule: RetentionRule, today: datetime.date) -> int:
    """INSERT … SELECT of the rule's records found today: one statement whatever their number;
    ON CONFLICT DO NOTHING makes a second run (or two at once) add nothing twice."""
    sql, params = _candidates(rule, today).query.sql_with_params()
    column = {RecordKind.CHILD: "child_id", RecordKind.CASE: "case_id",
              RecordKind.NOTIFICATION: "notification_id"}[RecordKind(rule.record_kind)]
    if connection.vendor == "postgresql":
        new_id, day = "gen_random_uuid()", "%s::date"
    else:  # SQLite keeps a UUID as 32 hexadecimal digits
        new_id, day = "lower(hex(randomblob(16)))", "%s"
    table = RetentionDue._meta.db_table
    # "WHERE true": SQLite reads an ON after FROM as a join's without it. Every name put in
    # the text is ours (the table, a column of a fixed map, the compiled query); values go as
    # parameters.
    statement = " ".join((
        f"INSERT INTO {table} (public_id, record_kind, {column}, unit_path, province_code,",
        "found_on, status, decision_reason)",
        f"SELECT {new_id}, %s, src.r_id, src.r_path, src.r_province, {day}, %s, ''",
        f"FROM ({sql}) AS src WHERE true ON CONFLICT DO NOTHING"))
    with connection.cursor() as cursor:
        cursor.execute(statement, [rule.record_kind, today.isoformat(), DueStatus.DUE, *params])
        return max(cursor.rowcount, 0)


def _hold_q() -> Any:
    """Active holds on a due row's record (a hold on the child or on one of its cases)."""
    holds = LegalHold.objects.active()
    return (Exists(holds.filter(Q(child=OuterRef("child_id"))
                                | Q(case__child=OuterRef("child_id"))))
            | Exists(holds.filter(Q(case=OuterRef("case_id"))
                                  | Q(child=OuterRef("case__child_id"))))
            | Exists(holds.filter(child=OuterRef("notification__child_id"))))


@transaction.atomic
def retention_run(*, today: datetime.date | None = None) -> dict[str, int]:
    """The daily job: the records each active rule has brought to its end, listed for review;
    rows whose record was put under a hold since are set aside, those whose holds were all
    lifted come back. Returns how many were found by kind, and how many moved."""
    today = today or timezone.localdate()
    found: dict[str, int] = {}
    for rule in RetentionRule.objects.filter(active=True,
                                             record_kind__in=list(JOB_KINDS)).order_by("pk"):
        found[rule.record_kind] = _insert_due(rule, today)
    held = RetentionDue.objects.filter(status=DueStatus.DUE).filter(_hold_q()).update(
        status=DueStatus.HELD)
    released = RetentionDue.objects.filter(status=DueStatus.HELD).exclude(_hold_q()).update(
        status=DueStatus.DUE)
    counts = {**found, "held": held, "released": released}
    event_record(actor=None, action=Action.CREATE, actor_username="privacy_retention",
                 reason="; ".join(f"{key}={value}" for key, value in counts.items()))
    return counts


# --- Review --------------------------------------------------------------------------------------

def _check_reviewer(actor: User, due: RetentionDue) -> None:
    if not actor.in_scope(due.unit_path, capability=Capability.REVIEW_RETENTION):
        raise PermissionDenied(exc.NOT_YOURS)


def _mark(rows: Iterable[RetentionDue] | QuerySet[RetentionDue], *, actor: User, status: str,
          reason: str) -> None:
    ids = [row.pk for row in rows]
    RetentionDue.objects.filter(pk__in=ids).update(status=status, decided_by=actor,
                                                   decided_at=timezone.now(),
                                                   decision_reason=reason)


@transaction.atomic
def due_decide(*, actor: User, due: RetentionDue, decision: str, reason: str) -> RetentionDue:
    """The reviewer's decision on a record found: anonymise or erase its personal fields
    (through the register's and the cases' own services, which audit each record), or hold it
    (a legal hold: nothing happens to it until the hold is lifted)."""
    due = RetentionDue.objects.select_for_update().get(pk=due.pk)
    _check_reviewer(actor, due)
    if decision not in (*RetentionAction.values, "hold"):
        raise ValidationError({"decision": exc.BAD_DECISION})
    reason = _reason(reason)
    if due.status != DueStatus.DUE:
        raise ValidationError(exc.NOT_DUE)
    if decision == "hold":
        hold_place(actor=actor, child=due.child if due.child_id else None,
                   case=due.case if due.case_id else None,
                   notification_child=due.notification.child if due.notification else None,
                   reason=reason)
        due.refresh_from_db()
        return due
    if RetentionDue.objects.filter(pk=due.pk).filter(_hold_q()).exists():
        raise ValidationError(exc.HELD)
    erase = decision == RetentionAction.ERASE
    status = DueStatus.ERASED if erase else DueStatus.ANONYMISED
    if due.record_kind == RecordKind.CHILD:
        child = due.child
        assert child is not None
        if child.cases.exclude(status=case_choices.Status.CLOSED).exists():
            raise ValidationError(exc.OPEN_CASE)
        # The child's cases and reports name it: they go with it.
        cases = list(child.cases.all())
        for case in cases:
            case_anonymising.case_anonymise(actor=actor, case=case, erase=erase, reason=reason)
        for notification in Notification.objects.filter(child=child, case__isnull=True):
            case_anonymising.notification_anonymise(actor=actor, notification=notification,
                                                    erase=erase, reason=reason)
        child_anonymising.child_anonymise(actor=actor, child=child, erase=erase, reason=reason)
        # The duplicates merged into it are the same child under the names it was recorded by.
        for duplicate in Child.objects.filter(merged_into=child):
            child_anonymising.child_anonymise(actor=actor, child=duplicate, erase=erase,
                                              reason=reason)
        # The requests about the child name their requester and keep the values corrected.
        request_services.requests_anonymise(child=child)
        _mark(RetentionDue.objects.filter(case__in=cases, status=DueStatus.DUE), actor=actor,
              status=status, reason=reason)
    elif due.record_kind == RecordKind.CASE:
        assert due.case is not None
        case_anonymising.case_anonymise(actor=actor, case=due.case, erase=erase, reason=reason)
    else:
        assert due.notification is not None
        case_anonymising.notification_anonymise(actor=actor, notification=due.notification,
                                                erase=erase, reason=reason)
    _mark([due], actor=actor, status=status, reason=reason)
    event_record(actor=actor, action=Action.UPDATE, obj=due, fields=["status"], reason=reason,
                 unit=_unit_of(due))
    due.refresh_from_db()
    return due


def _unit_of(due: RetentionDue) -> Any:
    record = due.child or due.case or due.notification
    return getattr(record, "commune", None)


# --- Legal holds ---------------------------------------------------------------------------------

@transaction.atomic
def hold_place(*, actor: User, reason: str, child: Child | None = None,
               case: Case | None = None, notification_child: Child | None = None) -> LegalHold:
    """Hold a child's record (and its cases) or a case (and its child): the daily job skips
    them, the review may not anonymise them. `notification_child`: the child a held report
    names (a report that led to no case is held through its child)."""
    child = child or notification_child
    if (child is None) == (case is None):
        raise ValidationError(exc.HOLD_NEEDS_RECORD)
    reason = _reason(reason)
    record: Any = child or case
    if not any(record.unit_path.startswith(path) for path in hold_paths(actor)):
        raise PermissionDenied(exc.NOT_YOURS)
    hold = LegalHold.objects.create(child=child, case=case, unit_path=record.unit_path,
                                    province_code=record.province_code, reason=reason,
                                    placed_by=actor, placed_at=timezone.now())
    RetentionDue.objects.filter(status=DueStatus.DUE).filter(_hold_q()).update(
        status=DueStatus.HELD)
    event_record(actor=actor, action=Action.CREATE, obj=hold, unit=record.commune,
                 fields=["reason"], reason=reason)
    return hold


@transaction.atomic
def hold_lift(*, actor: User, hold: LegalHold, reason: str) -> LegalHold:
    """End a hold; its records come back to review at the next run of the job."""
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if not any(hold.unit_path.startswith(path) for path in hold_paths(actor)):
        raise PermissionDenied(exc.NOT_YOURS)
    reason = _reason(reason)
    if hold.lifted_at is not None:
        raise ValidationError(exc.ALREADY_LIFTED)
    hold.lifted_by, hold.lifted_at, hold.lift_reason = actor, timezone.now(), reason
    hold.save(update_fields=["lifted_by", "lifted_at", "lift_reason"])
    RetentionDue.objects.filter(status=DueStatus.HELD).exclude(_hold_q()).update(
        status=DueStatus.DUE)
    record: Any = hold.child or hold.case
    event_record(actor=actor, action=Action.UPDATE, obj=hold, unit=record.commune,
                 fields=["lifted_at"], reason=reason)
    return hold


"""Reading cases and notifications: scope first, then need-to-know.

A case is seen by its workers and by the chairman of its commune; the levels above count
cases without seeing whose they are. A notification is seen by who recorded it and by the
commune it was routed to; the reporter's identity only by who recorded it."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from treem.accounts.capabilities import roles_with
from treem.accounts.models import User
from treem.accounts.permissions import Capability
from treem.audit.models import Action, AuditEvent
from treem.cases.choices import Status
from treem.cases.models import (
    Assessment,
    Case,
    CaseAbuse,
    CaseDeadline,
    Notification,
    Plan,
    Protection,
    Referral,
)
from treem.cases.workflow import MOVES, moves_from
from treem.geo.models import Level, Unit
from treem.geo.paths import ancestor_paths, any_subtree_q, subtree_q


def _cases_seen_by(user: User) -> Q:
    """Workers and the chairman of the commune (within their scope), and the sectors a case
    was referred to (within theirs)."""
    seen = Q(workers=user) & any_subtree_q(user.scope_paths(capability=Capability.MANAGE_CASES),
                                          field="unit_path")
    seen |= any_subtree_q(user.scope_paths(capability=Capability.APPROVE_CASE_PLANS),
                          field="unit_path")
    for sector, path in user.sector_paths():
        seen |= Q(referrals__sector=sector) & subtree_q(path, field="unit_path")
    # A level above sees the cases a commune shared with a unit of its scope.
    area = user.scope_paths(capability=Capability.SEE_SHARED_CASES)
    if area:
        seen |= Q(shares__withdrawn_at__isnull=True) & any_subtree_q(
            area, field="shares__unit_path")
    return seen


def case_list(*, user: User) -> QuerySet[Case]:
    cases = Case.objects.all()
    if not user.scope_paths(capability=Capability.SEE_SHARED_CASES):
        # Every other way of seeing a case lies in the user's scope: its provinces only (a
        # case shared with a unit of the scope may be of any province).
        cases = cases.in_provinces_of(user.scope_paths())
    ids = cases.filter(_cases_seen_by(user)).values("pk")
    return (cases.filter(pk__in=ids).select_related("child", "commune")
            .order_by("-received_at", "-id"))


# How the case list may be sorted (`?sort=`): the next deadline first by default, since what is
# due soonest is what the officer must do next; cases with no running limit come last.
CASE_SORTS: dict[str, tuple[Any, ...]] = {
    "deadline": (F("next_due_at").asc(nulls_last=True), "-received_at", "-id"),
    "-deadline": (F("next_due_at").desc(nulls_last=True), "-received_at", "-id"),
    "number": ("number_year", "number", "id"),
    "-number": ("-number_year", "-number", "-id"),
    "received": ("received_at", "id"),
    "-received": ("-received_at", "-id"),
}
DEFAULT_CASE_SORT = "deadline"


def case_page_rows(cases: QuerySet[Case], *, sort: str | None) -> tuple[QuerySet[Case], str]:
    """The list's rows with what tells them apart — the next running deadline (finished or
    cancelled steps never count) and the forms of abuse — sorted by `sort` (an unknown value
    sorts by the default, never fails). One query for the page plus one for its forms."""
    sort = sort if sort in CASE_SORTS else DEFAULT_CASE_SORT
    running = CaseDeadline.objects.running().filter(case=OuterRef("pk")).order_by("due_at", "id")
    rows = (cases.annotate(next_due_at=Subquery(running.values("due_at")[:1]),
                           next_due_step=Subquery(running.values("step")[:1]))
            .prefetch_related(Prefetch("abuses", queryset=CaseAbuse.objects.order_by("form")
                                       .only("case_id", "form")))
            .order_by(*CASE_SORTS[sort]))
    return rows, sort


def children_of_visible_cases(user: User) -> QuerySet:
    """The ids of the children of the cases `user` may see (a subquery)."""
    return Case.objects.filter(_cases_seen_by(user)).values("child_id")


@dataclass(frozen=True)
class CaseFilter:
    """What a list of cases may be narrowed by: none of it names a person, so it may travel in
    a URL."""

    status: str = ""
    form: str = ""
    place: str = ""
    perpetrator: str = ""
    start: datetime.date | None = None  # received on or after (local day)
    end: datetime.date | None = None
    overdue: bool = False


def filter_cases(cases: QuerySet[Case], where: CaseFilter, *,
                 now: datetime.datetime) -> QuerySet[Case]:
    if where.status:
        cases = cases.filter(status=where.status)
    if where.perpetrator:
        cases = cases.filter(perpetrator=where.perpetrator)
    if where.form or where.place:
        abuses = CaseAbuse.objects.all()
        if where.form:
            abuses = abuses.filter(form=where.form)
        if where.place:
            abuses = abuses.filter(place=where.place)
        cases = cases.filter(pk__in=abuses.values("case_id"))
    if where.start:
        cases = cases.filter(received_at__date__gte=where.start)
    if where.end:
        cases = cases.filter(received_at__date__lte=where.end)
    if where.overdue:
        cases = cases.filter(pk__in=CaseDeadline.objects.overdue(now).values("case_id"))
    return cases


def get_case_for_user(*, user: User, case_id: Any) -> Case:
    case = case_list(user=user).filter(public_id=case_id).first()
    if case is None:
        raise Http404
    return case


def notification_list(*, user: User) -> QuerySet[Notification]:
    """What the user recorded; what was routed to the communes it handles cases for, while
    no case is open on it; and the notifications of the cases it may see.

    Once a notification is a case, it tells what the case tells (the child, the form of
    abuse, what happened), so the case's need-to-know decides who reads it: an officer of the
    commune not working on the case gets 404 on both (Nghị định 56/2017 Điều 25 on keeping
    case information confidential). Before that the commune's officers all read it: one of
    them must act within 12 hours. Who recorded it keeps reading what it wrote."""
    routed = any_subtree_q(user.scope_paths(capability=Capability.MANAGE_CASES)
                           + user.scope_paths(capability=Capability.APPROVE_CASE_PLANS),
                           field="unit_path")
    seen = (Q(received_by=user) | (Q(case__isnull=True) & routed)
            | Q(case__in=case_list(user=user).values("pk")))
    return (Notification.objects.filter(seen)
            .select_related("commune", "case__child").order_by("-received_at", "-id"))


@dataclass(frozen=True)
class NotificationView:
    notification: Notification
    shows_reporter: bool  # only who recorded it reads the reporter's identity


def get_notification_for_user(*, user: User, notification_id: Any) -> NotificationView:
    notification = notification_list(user=user).filter(public_id=notification_id).first()
    if notification is None:
        raise Http404
    return NotificationView(notification, notification.received_by_id == user.pk)


def get_intake_commune_for_user(*, user: User, code: str) -> Unit:
    """The current commune of `code` a report may be routed to by the user (the hotline: any;
    a commune's officer: its own); 404 when there is none or it is not the user's, alike."""
    commune = (Unit.objects.visible_to(user, capability=Capability.RECEIVE_NOTIFICATIONS)
               .current().filter(level=Level.COMMUNE, code=code).first() if code else None)
    if commune is None:
        raise Http404
    return commune


def deadlines_due(*, user: User, within: datetime.timedelta,
                  now: datetime.datetime) -> QuerySet[CaseDeadline]:
    """Running limits that are overdue or fall within `within`: those of the user's cases, and
    the 12 hours of the urgent notifications routed to the user that no case was opened for
    yet (they run from receipt)."""
    return (CaseDeadline.objects.running().filter(due_at__lte=now + within)
            .filter(_limits_of(user))
            .select_related("case__child", "notification__commune").order_by("due_at"))


def _limits_of(user: User) -> Q:
    """The limits of the user's cases and of the notifications routed to it without a case."""
    waiting = notification_list(user=user).filter(case__isnull=True).values("pk")
    return (Q(case__in=case_list(user=user).values("pk"))
            | Q(case__isnull=True, notification__in=waiting))


def overdue_counts(*, user: User, now: datetime.datetime) -> QuerySet:
    """For the level above: overdue limits per commune of its subtree (cases, and urgent
    notifications no case was opened for yet), without names."""
    paths = user.scope_paths(capability=Capability.VIEW_CHILDREN)
    return (CaseDeadline.objects.overdue(now).under(paths)
            .annotate(commune=Coalesce("case__commune__name", "notification__commune__name"))
            .values("commune").annotate(overdue=Count("id"))
            .order_by("-overdue", "commune"))


def with_emergency_clock(notifications: QuerySet[Notification]) -> QuerySet[Notification]:
    """The notifications with their 12-hour limit (`Notification.emergency`) in one query."""
    return notifications.prefetch_related(Prefetch(
        "deadlines", queryset=CaseDeadline.objects.filter(step=CaseDeadline.Step.EMERGENCY),
        to_attr="emergency_deadlines"))


def moves_for(*, user: User, case: Case) -> list[str]:
    """The moves from the case's step that this user may make (the service checks again)."""
    is_worker = case.workers.filter(pk=user.pk).exists()
    allowed = []
    for name in moves_from(case.status):
        capability = MOVES[name].capability
        if not user.in_scope(case.unit_path, capability=capability):
            continue
        if capability == Capability.MANAGE_CASES and not is_worker:
            continue
        allowed.append(name)
    return allowed


def may_approve(*, user: User, case: Case) -> bool:
    return user.in_scope(case.unit_path, capability=Capability.APPROVE_CASE_PLANS)


def _on_a_visible_case(rows: QuerySet[Any], *, user: User, public_id: Any) -> Any:
    """A row of a case the user may see (need-to-know of `case_list`); 404 otherwise."""
    found = rows.filter(public_id=public_id, case__in=case_list(user=user).values("pk")).first()
    if found is None:
        raise Http404
    return found


def get_protection_for_user(*, user: User, protection_id: Any) -> Protection:
    return _on_a_visible_case(
        Protection.objects.select_related("case__child", "case__commune", "decided_by"),
        user=user, public_id=protection_id)


def get_referral_for_user(*, user: User, referral_id: Any) -> Referral:
    return _on_a_visible_case(Referral.objects.select_related("case"), user=user,
                              public_id=referral_id)


def may_answer(*, user: User, referral: Referral) -> bool:
    return any(sector == referral.sector and referral.case.unit_path.startswith(path)
               for sector, path in user.sector_paths())


def get_assessment_for_user(*, user: User, assessment_id: Any) -> Assessment:
    return _on_a_visible_case(
        Assessment.objects.select_related("case__child", "case__commune", "done_by"),
        user=user, public_id=assessment_id)


def get_plan_for_user(*, user: User, plan_id: Any) -> Plan:
    return _on_a_visible_case(
        Plan.objects.select_related("case__child", "case__commune", "approved_by"),
        user=user, public_id=plan_id)


def case_workers(*, case: Case) -> QuerySet[User]:
    return case.workers.order_by("full_name", "username")


def assignable_workers(*, case: Case) -> QuerySet[User]:
    """Officers who handle cases where the case is (its commune or a unit above it) and do not
    work on it yet: whom the chairman or a worker may add."""
    return (User.objects.filter(
        is_active=True, assignments__revoked_at__isnull=True,
        assignments__role__in=roles_with(Capability.MANAGE_CASES),
        assignments__unit__path__in=ancestor_paths(case.unit_path))
        .exclude(pk__in=case.workers.values("pk")).distinct().order_by("full_name", "username"))


DUE_SOON = datetime.timedelta(days=2)  # a limit ending within two days is shown as near
DEADLINE_STATES = ("overdue", "soon", "running", "none")


@dataclass(frozen=True)
class StepCount:
    """The open cases of a step, by where their earliest running limit stands."""

    status: str
    label: Any
    overdue: int
    soon: int
    running: int
    none: int

    @property
    def total(self) -> int:
        return self.overdue + self.soon + self.running + self.none


def case_counts_by_step(*, user: User, unit: Unit, now: datetime.datetime,
                        soon: datetime.timedelta = DUE_SOON) -> list[StepCount] | None:
    """The open cases under `unit` per step and deadline state (overdue, due within `soon`,
    running, no limit running), counted without names for whoever may read the case
    statistics of the unit; None when the user may not (the page leaves the chart out).
    One query: each case's worst running limit, then counts by step."""
    if not user.in_scope(unit.path, capability=Capability.VIEW_CASE_STATISTICS):
        return None
    running = CaseDeadline.objects.running().filter(case=OuterRef("pk"))
    rows = (Case.objects.within(unit)
            .exclude(status=Status.CLOSED)
            .annotate(late=Exists(running.filter(due_at__lt=now)),
                      near=Exists(running.filter(due_at__gte=now, due_at__lt=now + soon)),
                      open_limit=Exists(running))
            .values("status")
            .annotate(overdue=Count("pk", filter=Q(late=True)),
                      soon=Count("pk", filter=Q(late=False, near=True)),
                      running=Count("pk", filter=Q(late=False, near=False, open_limit=True)),
                      none=Count("pk", filter=Q(open_limit=False))))
    found = {row["status"]: row for row in rows}
    return [StepCount(status, label, *(found.get(status, {}).get(key, 0)
                                       for key in DEADLINE_STATES))
            for status, label in Status.choices if status != Status.CLOSED]


# --- What waits on the home pages -------------------------------------------------------------
# Every list is bounded (`limit`) and comes with its full count from one aggregate, so a page
# says "5 of 37" instead of loading 37 rows.


def _emergency_due() -> Subquery:
    """The due moment of a notification's running 12-hour limit (none once met or ended)."""
    return Subquery(CaseDeadline.objects.running()
                    .filter(notification=OuterRef("pk"), step=CaseDeadline.Step.EMERGENCY)
                    .values("due_at")[:1])


def notifications_waiting(*, user: User) -> QuerySet[Notification]:
    """Notifications routed to the communes the user handles cases for that no case was opened
    for yet: the urgent ones first, the least time left on their 12 hours first, then the
    others oldest first (who waited longest). Each carries `emergency_due`."""
    return (notification_list(user=user).filter(case__isnull=True)
            .annotate(emergency_due=_emergency_due())
            .order_by("-urgent", F("emergency_due").asc(nulls_last=True), "received_at", "id"))


def cases_by_next_deadline(*, user: User) -> QuerySet[Case]:
    """The open cases the user may see, the one whose next running limit comes first on top
    (`next_due`; cases without a running limit last, newest first). A limit met or cancelled
    is no deadline (`RUNNING`)."""
    running = Q(deadlines__met_at__isnull=True, deadlines__cancelled_at__isnull=True)
    return (case_list(user=user).exclude(status=Status.CLOSED)
            .annotate(next_due=Min("deadlines__due_at", filter=running))
            .order_by(F("next_due").asc(nulls_last=True), "-received_at", "-id"))


def overdue_steps(*, user: User, now: datetime.datetime) -> QuerySet[CaseDeadline]:
    """The user's limits past due and neither met nor cancelled, the longest overdue first."""
    return (CaseDeadline.objects.overdue(now).filter(_limits_of(user))
            .select_related("case__child", "notification__commune").order_by("due_at", "id"))


def plans_awaiting_approval(*, user: User) -> QuerySet[Case]:
    """Cases of the communes the user approves plans for whose plan waits for the decision,
    the approval limit (2 working days) closest first (`approval_due`)."""
    approval = Subquery(CaseDeadline.objects.running()
                        .filter(case=OuterRef("pk"), step=CaseDeadline.Step.APPROVAL)
                        .values("due_at")[:1])
    return (Case.objects.filter(any_subtree_q(
        user.scope_paths(capability=Capability.APPROVE_CASE_PLANS), field="unit_path"))
        .filter(status__in=(Status.AWAITING_APPROVAL, Status.REVIEWING))
        .select_related("child", "commune").annotate(approval_due=approval)
        .order_by(F("approval_due").asc(nulls_last=True), "received_at", "id"))


def emergencies_for_decision(*, user: User) -> QuerySet[CaseDeadline]:
    """The running limits that ask for the chairman's decision in the communes it approves
    for: the 12 hours of a child in danger (temporary separation, Nghị định 56/2017 Điều 32
    khoản 2, is his) and the end of a separation (extend or end it), closest first."""
    paths = user.scope_paths(capability=Capability.APPROVE_CASE_PLANS)
    if not paths:
        return CaseDeadline.objects.none()
    return (CaseDeadline.objects.running().under(paths)
            .filter(step__in=(CaseDeadline.Step.EMERGENCY, CaseDeadline.Step.SEPARATION_END))
            .select_related("case__child", "notification__commune").order_by("due_at", "id"))


@dataclass(frozen=True)
class Recorded:
    """A notification the operator recorded, and whether its commune has received it."""

    notification: Notification
    case_opened: bool
    opened_at: datetime.datetime | None  # first read by someone else (the commune)


def notifications_recorded(*, user: User, limit: int) -> list[Recorded]:
    """The latest notifications the user recorded, and whether the commune opened a case on
    them or read them (its reads are in the audit trail): two queries, whatever `limit`."""
    rows = list(Notification.objects.filter(received_by=user).select_related("commune")
                .annotate(emergency_due=_emergency_due())
                .order_by("-received_at", "-id")[:limit])
    reads = dict(AuditEvent.objects.filter(
        action=Action.VIEW, object_type=Notification._meta.label_lower,
        object_id__in=[str(n.public_id) for n in rows])
        .exclude(actor=user).values("object_id").annotate(first=Min("at"))
        .values_list("object_id", "first")) if rows else {}
    return [Recorded(n, n.case_id is not None, reads.get(str(n.public_id))) for n in rows]

"""The needs list: proposed by the commune, ordered by the fund's priority rules (data),
approved by the province.

A child's need follows the register: the commune's officer proposes it for a child they may
read now; whoever reads the list sees the names of the children they may read in the
register (an audited read), and a reference for the others — a fund manager matches needs
by kind, place and amount, not by name."""

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from treem.accounts.capabilities import Capability
from treem.accounts.models import User
from treem.audit.models import Action
from treem.audit.services import event_record, read_record
from treem.cases.choices import Status as CaseStatus
from treem.cases.models import Case as ProtectionCase
from treem.fund import exceptions as exc
from treem.fund.models import (
    Area,
    Beneficiary,
    Criterion,
    Fund,
    Need,
    NeedKind,
    NeedStatus,
    PriorityRule,
)
from treem.fund.services import MAX_AMOUNT, require_manager
from treem.geo.models import Level, Unit
from treem.geo.paths import ancestor_paths
from treem.registry.choices import PovertyStatus
from treem.registry.models import Child, ChildCircumstance, Household

DESCRIPTION_MAX = 500
REASON_MIN = 10
MAX_RULES = 20

def fund_of(unit: Unit) -> Fund | None:
    """The fund a commune's needs go to: the nearest fund above it (the province's)."""
    return (Fund.objects.filter(unit_path__in=ancestor_paths(unit.path))
            .order_by("-unit_path").first())


def _condition(rule: PriorityRule, today: datetime.date) -> Q | Exists:
    """Whether a need (the outer row) meets `rule`: a child's need by the child, a household's
    by any of its children."""
    # Subqueries, not joins: the priority is written by one UPDATE, which cannot join.
    if rule.criterion == Criterion.POOR_HOUSEHOLD:
        return Exists(Household.objects.filter(pk=OuterRef("household"),
                                               poverty_status=PovertyStatus.POOR))
    if rule.criterion == Criterion.NEAR_POOR_HOUSEHOLD:
        return Exists(Household.objects.filter(pk=OuterRef("household"),
                                               poverty_status=PovertyStatus.NEAR_POOR))
    if rule.criterion == Criterion.MOUNTAIN_COMMUNE:
        return Exists(Area.units.through.objects.filter(
            area__fund=OuterRef("fund"), area__mountain=True, unit_id=OuterRef("commune_id")))
    if rule.criterion == Criterion.OPEN_CASE:
        cases = ProtectionCase.objects.exclude(status=CaseStatus.CLOSED)
        return (Exists(cases.filter(child=OuterRef("child")))
                | Exists(cases.filter(child__household=OuterRef("household"),
                                      child__household__isnull=False)))
    circumstances = ChildCircumstance.objects.on(today)
    if rule.group_id is not None:
        circumstances = circumstances.filter(group_id=rule.group_id)
    return (Exists(circumstances.filter(child=OuterRef("child")))
            | Exists(circumstances.filter(child__household=OuterRef("household"),
                                          child__household__isnull=False)))


def _points(fund: Fund, today: datetime.date) -> Any:
    rules = list(PriorityRule.objects.filter(fund=fund, active=True))
    total: Any = Value(0)
    for rule in rules:
        total = total + Case(When(_condition(rule, today), then=Value(rule.points)),
                             default=Value(0))
    return total


def priorities_refresh(fund: Fund, needs: QuerySet[Need] | None = None) -> int:
    """The priority of the fund's open needs (or of `needs`) from today's rules and facts:
    one UPDATE, whatever the number of needs."""
    open_needs = needs if needs is not None else Need.objects.filter(
        fund=fund, status__in=[NeedStatus.PROPOSED, NeedStatus.APPROVED])
    return open_needs.update(priority=_points(fund, timezone.localdate()))


def priority_reasons(need: Need) -> list[str]:
    """The rules a need meets, for the officer reading why it comes first."""
    today = timezone.localdate()
    met = []
    for rule in PriorityRule.objects.filter(fund=need.fund, active=True).select_related("group"):
        if Need.objects.filter(pk=need.pk).filter(_condition(rule, today)).exists():
            label = rule.get_criterion_display()
            met.append(f"{label}: {rule.group.name}" if rule.group else str(label))
    return met


@transaction.atomic
def rule_set(*, actor: User, fund: Fund, criterion: str, points: int,
             group_id: int | None = None, active: bool = True) -> PriorityRule:
    """A priority rule set (made, or its points and state changed), then every open need's
    priority recomputed."""
    require_manager(actor, fund)
    if criterion not in Criterion.values:
        raise ValidationError({"criterion": exc.CHOICE_UNKNOWN})
    if type(points) is not int or not 0 <= points <= 1000:
        raise ValidationError({"points": exc.POINTS_INVALID})
    if group_id is not None and criterion != Criterion.SPECIAL_CIRCUMSTANCE:
        raise ValidationError({"group": exc.GROUP_ONLY_FOR_CIRCUMSTANCE})
    rule = PriorityRule.objects.filter(fund=fund, criterion=criterion, group_id=group_id).first()
    if rule is None:
        if PriorityRule.objects.filter(fund=fund).count() >= MAX_RULES:
            raise ValidationError({"criterion": exc.TOO_MANY_RULES % {"n": MAX_RULES}})
        rule = PriorityRule(fund=fund, criterion=criterion, group_id=group_id)
    rule.points, rule.active = points, active
    rule.save()
    event_record(actor=actor, action=Action.UPDATE, obj=rule, unit=fund.unit,
                 fields=["points", "active"])
    priorities_refresh(fund)
    return rule


@dataclass(frozen=True)
class Target:
    """Whom a need is for, as resolved for the proposer."""

    beneficiary: str
    commune: Unit
    child: Child | None = None
    household: Household | None = None
    facility: str = ""


def _target(actor: User, *, beneficiary: str, child_id: Any, household_id: Any,
            commune_id: Any, facility: str) -> Target:
    """The beneficiary, read the way the register reads it for `actor`; anything the actor
    may not read is "not found", alike."""
    if beneficiary == Beneficiary.CHILD:
        child = (Child.objects.visible_to(actor, capability=Capability.VIEW_CHILDREN)
                 .on_record().select_related("commune", "household")
                 .filter(public_id=_uuid(child_id)).first())
        if child is None:
            raise ValidationError({"child": exc.CHILD_NOT_FOUND})
        if not child.is_child_on(timezone.localdate()):
            raise ValidationError({"child": exc.NOT_A_CHILD})
        return Target(beneficiary, child.commune, child=child, household=child.household)
    if beneficiary == Beneficiary.HOUSEHOLD:
        household = (Household.objects.visible_to(actor, capability=Capability.VIEW_CHILDREN)
                     .select_related("commune").filter(public_id=_uuid(household_id)).first())
        if household is None:
            raise ValidationError({"household": exc.HOUSEHOLD_NOT_FOUND})
        return Target(beneficiary, household.commune, household=household)
    if beneficiary in (Beneficiary.COMMUNE, Beneficiary.FACILITY):
        commune = (Unit.objects.current().filter(level=Level.COMMUNE, public_id=_uuid(commune_id))
                   .first())
        if commune is None:
            raise ValidationError({"commune": exc.COMMUNE_NOT_FOUND})
        facility = " ".join(facility.split())
        if beneficiary == Beneficiary.FACILITY and not 0 < len(facility) <= 200:
            raise ValidationError({"facility": exc.FACILITY_REQUIRED})
        return Target(beneficiary, commune, facility=facility)
    raise ValidationError({"beneficiary": exc.CHOICE_UNKNOWN})


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


@transaction.atomic
def need_propose(*, actor: User, kind: NeedKind, beneficiary: str, description: str,
                 amount: int, year: int, child_id: Any = None, household_id: Any = None,
                 commune_id: Any = None, facility: str = "", programme: str = "") -> Need:
    """A need proposed by the commune's officer, for a child or household they may read, or
    for their commune or one of its facilities; its priority from the fund's rules."""
    target = _target(actor, beneficiary=beneficiary, child_id=child_id,
                     household_id=household_id, commune_id=commune_id, facility=facility)
    commune = target.commune
    if not actor.in_scope(commune.path, capability=Capability.PROPOSE_NEEDS):
        raise PermissionDenied(exc.NEED_OUT_OF_SCOPE)
    if commune.valid_to is not None:
        raise ValidationError({"commune": exc.COMMUNE_DISSOLVED})
    fund = fund_of(commune)
    if fund is None:
        raise ValidationError({"commune": exc.NO_FUND})
    errors: dict[str, Any] = {}
    description = " ".join(description.split())
    if not 0 < len(description) <= DESCRIPTION_MAX:
        errors["description"] = exc.DESCRIPTION_REQUIRED
    if type(amount) is not int or not 0 < amount <= MAX_AMOUNT:
        errors["amount"] = exc.AMOUNT_INVALID
    this_year = timezone.localdate().year
    if type(year) is not int or year not in (this_year, this_year + 1):
        errors["year"] = exc.YEAR_INVALID % {"this": this_year, "next": this_year + 1}
    for_child = beneficiary in (Beneficiary.CHILD, Beneficiary.HOUSEHOLD)
    if not kind.active or kind.for_child != for_child:
        errors["kind"] = exc.KIND_NOT_FOR_BENEFICIARY
    if len(programme) > 120:
        errors["programme"] = exc.TEXT_TOO_LONG % {"n": 120}
    if errors:
        raise ValidationError(errors)
    programme = " ".join(programme.split())
    # The same need listed twice (a programme's scholarship and another's are two needs; the
    # double-beneficiary check weighs them when money is allocated).
    same = Need.objects.filter(fund=fund, kind=kind, year=year, beneficiary=beneficiary,
                               programme__iexact=programme,
                               status__in=[NeedStatus.PROPOSED, NeedStatus.APPROVED])
    same = (same.filter(child=target.child) if target.child else
            same.filter(household=target.household, child__isnull=True) if target.household
            else same.filter(commune=commune, facility=target.facility))
    if same.exists():
        raise ValidationError({"kind": exc.NEED_ALREADY_LISTED % {"ref": same[0].reference}})
    need = Need.objects.create(
        fund=fund, kind=kind, beneficiary=beneficiary, child=target.child,
        household=target.household, facility=target.facility, commune=commune,
        unit_path=commune.path, programme=programme,
        description=description, amount=amount, year=year, proposed_by=actor)
    priorities_refresh(fund, Need.objects.filter(pk=need.pk))
    need.refresh_from_db(fields=["priority"])
    event_record(actor=actor, action=Action.CREATE, obj=need, unit=commune,
                 fields=["kind", "beneficiary", "amount", "year"])
    return need


@transaction.atomic
def need_decide(*, actor: User, need: Need, approve: bool, reason: str = "") -> Need:
    """The province's decision on a proposed need; a refusal says why."""
    need = Need.objects.select_for_update().select_related("commune").get(pk=need.pk)
    if not actor.in_scope(need.unit_path, capability=Capability.APPROVE_NEEDS):
        raise PermissionDenied(exc.NEED_OUT_OF_SCOPE)
    if need.status != NeedStatus.PROPOSED:
        raise ValidationError({"need": exc.NEED_ALREADY_DECIDED})
    reason = " ".join(reason.split())
    if not approve and len(reason) < REASON_MIN:
        raise ValidationError({"reason": exc.REASON_TOO_SHORT % {"n": REASON_MIN}})
    need.status = NeedStatus.APPROVED if approve else NeedStatus.REJECTED
    need.decided_by, need.decided_at = actor, timezone.now()
    need.decision_reason = reason[:500]
    need.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    event_record(actor=actor, action=Action.UPDATE, obj=need, unit=need.commune,
                 fields=["status"], reason=need.decision_reason)
    return need


@transaction.atomic
def need_cancel(*, actor: User, need: Need, reason: str) -> Need:
    """A need withdrawn by the commune (the child moved, the need was met otherwise) while no
    allocation answers it."""
    need = Need.objects.select_for_update().select_related("commune").get(pk=need.pk)
    if not actor.in_scope(need.unit_path, capability=Capability.PROPOSE_NEEDS):
        raise PermissionDenied(exc.NEED_OUT_OF_SCOPE)
    if need.status not in (NeedStatus.PROPOSED, NeedStatus.APPROVED):
        raise ValidationError({"need": exc.NEED_ALREADY_DECIDED})
    if need.allocations.exclude(status="cancelled").exists():
        raise ValidationError({"need": exc.NEED_HAS_ALLOCATIONS})
    reason = " ".join(reason.split())
    if len(reason) < REASON_MIN:
        raise ValidationError({"reason": exc.REASON_TOO_SHORT % {"n": REASON_MIN}})
    need.status, need.decision_reason = NeedStatus.CANCELLED, reason[:500]
    need.save(update_fields=["status", "decision_reason"])
    event_record(actor=actor, action=Action.UPDATE, obj=need, unit=need.commune,
                 fields=["status"], reason=need.decision_reason)
    return need


def needs_for(*, user: User) -> QuerySet[Need]:
    """The needs of the user's area, in priority order."""
    return (Need.objects.visible_to(user, capability=Capability.VIEW_NEEDS)
            .select_related("kind", "commune", "fund"))


def get_need_for_user(*, user: User, need_id: Any) -> Need:
    key = _uuid(need_id)
    need = needs_for(user=user).filter(public_id=key).first() if key else None
    if need is None:
        raise Http404
    return need


def names_shown(*, user: User, needs: list[Need], audit: bool = True) -> dict[int, str]:
    """need id → the child's name, for the needs whose child `user` may read in the register
    now (each name shown an audited read of that child); the others show their reference."""
    child_ids = {need.child_id for need in needs if need.child_id}
    readable = {child.pk: child for child in Child.objects.visible_to(
        user, capability=Capability.VIEW_CHILDREN).filter(pk__in=child_ids)}
    shown = {}
    for need in needs:
        child = readable.get(need.child_id) if need.child_id else None
        if child is not None:
            shown[need.pk] = child.full_name
            if audit:
                read_record(actor=user, obj=child, unit=need.commune,
                            reason=f"fund need {need.public_id}")
    return shown

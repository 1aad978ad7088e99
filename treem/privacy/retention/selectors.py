"""Retention's reads, scoped: the rules (installation-wide data), the records found by the
job (the reviewer's scope: the province's office), the legal holds (the reviewers' and the
auditors' scope). A row outside the reader's scope is a 404, as one that does not exist."""

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from treem.accounts.capabilities import Capability
from treem.cases.models import Case
from treem.geo.paths import any_subtree_q, collapse
from treem.privacy.models import DueStatus, LegalHold, RetentionDue, RetentionRule
from treem.registry.models import Child


def rule_list() -> QuerySet[RetentionRule]:
    return RetentionRule.objects.all().order_by("record_kind")


def get_rule(*, record_kind: str) -> RetentionRule:
    rule = RetentionRule.objects.filter(record_kind=record_kind).first()
    if rule is None:
        raise Http404
    return rule


def review_paths(user: Any) -> list[str]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(user.scope_paths(capability=Capability.REVIEW_RETENTION))


def hold_paths(user: Any) -> list[str]:
    """Where `user` may place and lift holds: as a reviewer, or as an auditor (an auditor
    who learns of an investigation stops the erasure of its evidence)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return collapse([*user.scope_paths(capability=Capability.REVIEW_RETENTION),
                     *user.scope_paths(capability=Capability.VIEW_AUDIT)])


def may_hold(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (
        user.has_capability(Capability.REVIEW_RETENTION)
        or user.has_capability(Capability.VIEW_AUDIT)))


@dataclass(frozen=True)
class DueFilters:
    status: str = DueStatus.DUE
    record_kind: str = ""


def due_list(*, user: Any, filters: DueFilters | None = None) -> QuerySet[RetentionDue]:
    filters = filters or DueFilters()
    rows = RetentionDue.objects.within_paths(review_paths(user))
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.record_kind:
        rows = rows.filter(record_kind=filters.record_kind)
    return rows.select_related("child", "case", "notification").order_by("found_on", "id")


def get_due_for_user(*, user: Any, due_id: uuid.UUID) -> RetentionDue:
    due = (RetentionDue.objects.within_paths(review_paths(user))
           .select_related("child", "case", "notification").filter(public_id=due_id).first())
    if due is None:
        raise Http404
    return due


def hold_list(*, user: Any, active_only: bool = False) -> QuerySet[LegalHold]:
    rows = LegalHold.objects.filter(any_subtree_q(hold_paths(user), field="unit_path"))
    if active_only:
        rows = rows.active()
    return rows.select_related("placed_by", "lifted_by").order_by("-placed_at", "-id")


def get_hold_for_user(*, user: Any, hold_id: uuid.UUID) -> LegalHold:
    hold = hold_list(user=user).filter(public_id=hold_id).first()
    if hold is None:
        raise Http404
    return hold


def held_record(*, user: Any, record_id: uuid.UUID) -> dict[str, Any]:
    """The child or case a hold names, found within the user's hold scope (404 otherwise)."""
    paths = hold_paths(user)
    child = Child.objects.within_paths(paths).filter(public_id=record_id).first()
    if child is not None:
        return {"child": child}
    case = Case.objects.within_paths(paths).filter(public_id=record_id).first()
    if case is not None:
        return {"case": case}
    raise Http404

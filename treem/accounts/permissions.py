"""Capabilities: what each role may do, in one central map.

Views and API operations are gated by a capability (`require_capability`); rows are then
limited by the user's scope in selectors. Nothing else checks roles.
"""

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from treem.accounts.roles import Role


class Capability(StrEnum):
    VIEW_UNITS = "view_units"
    MANAGE_VILLAGES = "manage_villages"
    MANAGE_USERS = "manage_users"
    VIEW_AUDIT = "view_audit"
    VIEW_CHILDREN = "view_children"
    MANAGE_CHILDREN = "manage_children"
    EXPORT_CHILDREN = "export_children"
    MERGE_CHILDREN = "merge_children"
    UNMERGE_CHILDREN = "unmerge_children"
    RECEIVE_NOTIFICATIONS = "receive_notifications"
    MANAGE_CASES = "manage_cases"
    APPROVE_CASE_PLANS = "approve_case_plans"
    VIEW_CASES = "view_cases"
    HANDLE_REFERRALS = "handle_referrals"
    VIEW_CASE_STATISTICS = "view_case_statistics"
    SEE_SHARED_CASES = "see_shared_cases"
    MANAGE_CALENDAR = "manage_calendar"
    VIEW_INDICATORS = "view_indicators"
    ENTER_SECTOR_FIGURES = "enter_sector_figures"
    MANAGE_TARGETS = "manage_targets"
    MANAGE_CATALOGUE = "manage_catalogue"
    WRITE_REPORTS = "write_reports"
    REVIEW_REPORTS = "review_reports"


ALL_ROLES = frozenset(Role)

CAPABILITIES: dict[Capability, frozenset[str]] = {
    Capability.VIEW_UNITS: ALL_ROLES,
    # Villages are kept by the commune (DESIGN.md: commune officers create them).
    Capability.MANAGE_VILLAGES: frozenset({Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER}),
    Capability.MANAGE_USERS: frozenset({Role.SYSTEM_ADMIN}),
    Capability.VIEW_AUDIT: frozenset({Role.AUDITOR}),
    # The register: kept by the commune and its village collaborators; read by the levels
    # above (lists of children in special circumstances go up every quarter) and auditors.
    # Hotline operators, sector focal points, fund managers and administrators see no register.
    Capability.VIEW_CHILDREN: frozenset({Role.VILLAGE_COLLABORATOR, Role.COMMUNE_OFFICER,
                                         Role.COMMUNE_LEADER, Role.AREA_OFFICER, Role.AUDITOR}),
    Capability.MANAGE_CHILDREN: frozenset({Role.VILLAGE_COLLABORATOR, Role.COMMUNE_OFFICER,
                                           Role.COMMUNE_LEADER}),
    Capability.EXPORT_CHILDREN: frozenset({Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER,
                                           Role.AREA_OFFICER}),
    Capability.MERGE_CHILDREN: frozenset({Role.COMMUNE_OFFICER, Role.AREA_OFFICER}),
    # Undoing a merge is the administrator's: it sees the merge log (references, dates, who
    # and why), not the children's records.
    Capability.UNMERGE_CHILDREN: frozenset({Role.SYSTEM_ADMIN}),
    # Cases (Nghị định 56/2017 Điều 25–32): a report is received by the hotline or by the
    # commune; the commune's child-protection officer handles the case; the chairman of the
    # commune approves its support plan.
    Capability.RECEIVE_NOTIFICATIONS: frozenset({Role.INTAKE_OPERATOR, Role.COMMUNE_OFFICER,
                                                 Role.COMMUNE_LEADER}),
    Capability.MANAGE_CASES: frozenset({Role.COMMUNE_OFFICER}),
    Capability.APPROVE_CASE_PLANS: frozenset({Role.COMMUNE_LEADER}),
    # Opens the case pages; which cases a user sees is need-to-know (treem/cases/selectors).
    Capability.VIEW_CASES: frozenset({Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER,
                                      Role.SECTOR_FOCAL, Role.AREA_OFFICER}),
    # A sector's focal point answers the referrals sent to its sector in its area.
    Capability.HANDLE_REFERRALS: frozenset({Role.SECTOR_FOCAL}),
    # The days off that deadlines skip are national data, kept by a nation-wide administrator
    # (the services check the level).
    Capability.MANAGE_CALENDAR: frozenset({Role.SYSTEM_ADMIN}),
    # The levels above see a case only when the commune shares it with them.
    Capability.SEE_SHARED_CASES: frozenset({Role.AREA_OFFICER}),
    # Counts of cases and of deaths by injury, never names: the commune for itself, the levels
    # above for their subtree (the periodic and ad-hoc reports of the plans).
    Capability.VIEW_CASE_STATISTICS: frozenset({Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER,
                                                Role.AREA_OFFICER, Role.AUDITOR}),
    # Indicators are aggregates, never names: every level that plans or reports reads them
    # for its area.
    Capability.VIEW_INDICATORS: frozenset({Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER,
                                           Role.AREA_OFFICER, Role.SECTOR_FOCAL, Role.AUDITOR}),
    # The figures a sector holds (vaccination, enrolment, violations…): entered by the
    # sector's focal point for its area, or by the commune officer who collects them.
    Capability.ENTER_SECTOR_FIGURES: frozenset({Role.SECTOR_FOCAL, Role.COMMUNE_OFFICER}),
    # Each unit's targets: the commune's leader for the commune, the levels above for theirs.
    Capability.MANAGE_TARGETS: frozenset({Role.COMMUNE_LEADER, Role.AREA_OFFICER}),
    # Local indicator sets (a plan's own targets) are kept by the province's administrators.
    Capability.MANAGE_CATALOGUE: frozenset({Role.SYSTEM_ADMIN}),
    # A unit's periodic report is written by its own officers (the commune's officer and
    # leader, a province's or district's officers) and reviewed by the officers of the unit
    # above (services.may_write / may_review compare the assignment's unit).
    Capability.WRITE_REPORTS: frozenset({Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER,
                                         Role.AREA_OFFICER}),
    Capability.REVIEW_REPORTS: frozenset({Role.AREA_OFFICER}),
}


def roles_with(capability: str) -> frozenset[str]:
    return CAPABILITIES[Capability(capability)]


def has_capability(user: Any, capability: str) -> bool:
    from treem.accounts.scope import active_roles

    if not getattr(user, "is_authenticated", False):
        return False
    return bool(active_roles(user) & roles_with(capability))


def requires_two_factor(user: Any) -> bool:
    """Staff roles need a second factor; a user whose every role is exempt does not."""
    from treem.accounts.scope import active_roles

    roles = active_roles(user)
    exempt = set(settings.TREEM_TWO_FACTOR_EXEMPT_ROLES)
    return not roles or not roles <= exempt


def require_capability(capability: Capability) -> Callable:
    """View decorator: log in first, then 403 unless one of the user's roles grants it."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_capability(request.user, capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_capability = capability  # type: ignore[attr-defined]
        return wrapped

    return decorator


# --- Circumstances that reveal abuse ------------------------------------------------------------
#
# Five of the fourteen groups of Luật Trẻ em 2016 Điều 10 khoản 1 say that the child was abused,
# in the forms of abuse of Điều 4 khoản 5: b (bị bỏ rơi: abandoned), i (bị tổn hại nghiêm trọng
# do bị bạo lực: violence), k (bị bóc lột: exploitation), l (bị xâm hại tình dục: sexual abuse),
# m (bị mua bán: trafficking); their sub-groups (b1–b2, i1, k1–k5, l1–l5, m1–m2) with them. Such
# a group is case information: it is shown only to those who may see the child's cases (the
# need-to-know rule of treem.cases.selectors applied to that child: its cases' workers, the
# chairman of the commune, the sectors a case was referred to, the levels a case was shared
# with) and to who recorded it; every other register reader (village collaborator, the
# commune's other officers, province officer, auditor) sees only that a restricted
# circumstance exists, without group or date, and a filter by such a group finds for it only
# the children it may see. Counts (indicators, report tables) are aggregates and count them all.
#
# Why (articles checked against public copies of the texts; docs/restricted-circumstances.md):
# - Luật Trẻ em 2016 Điều 21: the child's right to the secrecy of private life (đời sống riêng
#   tư, bí mật cá nhân, bí mật gia đình), in the child's best interest; Điều 6 khoản 11 forbids
#   disclosing it without the consent of the child (from 7) and of the parent or guardian.
# - Nghị định 56/2017/NĐ-CP Điều 33: what counts as the child's private information (name, age,
#   identifying features, health, family, address, services provided to the child…).
#   That the case-management articles (Điều 25–32) bind the people handling a case to keep its
#   information confidential: UNVERIFIED.
# - Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15 Điều 2: sensitive personal data, tied to privacy,
#   whose breach directly harms the person (the list is the Government's: Nghị định
#   356/2025/NĐ-CP; that it names data on abuse of a child: UNVERIFIED); processed only within
#   a specific purpose (Điều 3, UNVERIFIED as to the clause).
RESTRICTED_CIRCUMSTANCE_GROUPS: frozenset[str] = frozenset({"b", "i", "k", "l", "m"})

# Registered by treem.cases (a higher layer) when it starts: the children of the cases a user
# may see. Without it (an installation without cases) only the chairman's rule applies.
_CHILDREN_OF_VISIBLE_CASES: list[Callable[[Any], Any]] = []


def register_children_of_visible_cases(provider: Callable[[Any], Any]) -> None:
    _CHILDREN_OF_VISIBLE_CASES[:] = [provider]


def restricted_circumstance_readers(user: Any, *, child: str = "") -> Any:
    """A Q on children (through the lookup prefix `child`, e.g. "child__") whose restricted
    circumstances `user` may read: those of the communes it approves cases for (the chairman
    sees every case of the commune) and those of the cases it may see."""
    from django.db.models import Q

    from treem.accounts.scope import scope_paths
    from treem.geo.paths import any_subtree_q

    readers = any_subtree_q(scope_paths(user, capability=Capability.APPROVE_CASE_PLANS),
                            field=f"{child}unit_path")
    for provider in _CHILDREN_OF_VISIBLE_CASES:
        readers |= Q(**{f"{child}pk__in": provider(user)})
    return readers

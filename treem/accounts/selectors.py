"""Reads about users, limited to the administrator's scope."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.http import Http404
from django.utils import timezone

from treem.accounts.capabilities import roles_with
from treem.accounts.models import ApiToken, RoleAssignment, SignInThrottle, User
from treem.accounts.permissions import Capability
from treem.geo import lineage
from treem.geo.models import LEVEL_DEPTH, Unit
from treem.geo.paths import any_subtree_q
from treem.lib.text import fold


def default_unit_for(*, user: User, capability: str | None = None) -> Unit | None:
    """The unit a page or an API operation works on when none is asked for: the highest unit
    of the user's role assignments (those granting `capability`) that exists today.

    Never a unit dissolved on 1 July 2025: the scope also holds the old units that became the
    user's (to read their history), and the first unit of the scope by path was the old
    province, whose values all end before it did. A user assigned only to a dissolved unit has
    no default (its administrator assigns the unit of today); the caller answers 404."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    assignments = RoleAssignment.objects.active().filter(user_id=user.pk)
    if capability is not None:
        assignments = assignments.filter(role__in=roles_with(capability))
    units = Unit.objects.current().filter(pk__in=assignments.values("unit_id"))
    return min(units, key=lambda unit: (LEVEL_DEPTH[unit.level], unit.path), default=None)


@dataclass(frozen=True)
class UnitToOpen:
    """The unit a page of figures opens on, and for a unit dissolved in 2025 the unit of today
    that took it over (`became`, named on the page) when the user's scope does not reach it."""

    unit: Unit | None
    became: Unit | None = None


def unit_to_open(*, user: User, capability: str | None = None) -> UnitToOpen:
    """The user's own unit of today (`default_unit_for`); for a user assigned only to a unit
    dissolved in 2025, the unit it became when the user's scope reaches it, else the dissolved
    unit itself with the unit it became named: its history is what the user may read, and
    the unit of today's figures stay behind the scope until an administrator assigns it."""
    unit = default_unit_for(user=user, capability=capability)
    if unit is not None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return UnitToOpen(unit)
    assignments = RoleAssignment.objects.active().filter(user_id=user.pk)
    if capability is not None:
        assignments = assignments.filter(role__in=roles_with(capability))
    dissolved = min(Unit.objects.filter(pk__in=assignments.values("unit_id"),
                                        valid_to__isnull=False),
                    key=lambda u: (LEVEL_DEPTH[u.level], u.path), default=None)
    if dissolved is None:
        return UnitToOpen(None)
    heir = lineage.heir_of(dissolved)
    if heir is not None and user.in_scope(heir.path, capability=capability):
        return UnitToOpen(heir)
    return UnitToOpen(dissolved, heir)


def user_list(*, user: User, q: str = "") -> QuerySet[User]:
    """Users holding at least one active role inside the administrator's scope."""
    paths = user.scope_paths(capability=Capability.MANAGE_USERS)
    in_scope = RoleAssignment.objects.active().filter(
        any_subtree_q(paths, field="unit__path"), user_id=OuterRef("pk")
    )
    # Only the roles inside the administrator's scope are shown: a user's roles elsewhere are
    # another administrator's business.
    users = User.objects.filter(Exists(in_scope)).prefetch_related(
        Prefetch(
            "assignments",
            queryset=RoleAssignment.objects.active().filter(any_subtree_q(paths, field="unit__path"))
            .select_related("unit").order_by("created_at"),
            to_attr="active_assignments",
        )
    )
    text = q.strip()
    if text:
        users = users.filter(
            Q(username__icontains=text) | Q(full_name__icontains=text)
            | Q(full_name__icontains=fold(text))
        )
    # Locked: some address is locked out of the username, or the username is waiting.
    locks = SignInThrottle.objects.filter(username=Lower(OuterRef("username")),
                                          locked_until__gt=timezone.now())
    return users.annotate(is_locked=Exists(locks)).order_by("username")


def get_user_for_user(*, user: User, user_id: Any) -> User:
    found = user_list(user=user).filter(public_id=user_id).first()
    if found is None:
        raise Http404
    return found


def get_assignment_for_user(*, user: User, assignment_id: Any) -> RoleAssignment:
    paths = user.scope_paths(capability=Capability.MANAGE_USERS)
    assignment = (
        RoleAssignment.objects.active().filter(any_subtree_q(paths, field="unit__path"))
        .select_related("unit", "user").filter(public_id=assignment_id).first()
    )
    if assignment is None:
        raise Http404
    return assignment


def assignment_list(*, user: User) -> QuerySet[RoleAssignment]:
    """The user's own active roles."""
    return RoleAssignment.objects.active().filter(user_id=user.pk).select_related("unit")


def token_list(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user_id=user.pk)


def get_token_for_user(*, user: User, token_id: Any) -> ApiToken:
    token = ApiToken.objects.filter(user_id=user.pk, public_id=token_id).first()
    if token is None:
        raise Http404
    return token

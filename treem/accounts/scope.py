"""A user's geographic scope: the one mechanism through which every read is limited.

The scope is the set of unit paths of the user's active role assignments, restricted to the
roles that grant a capability when one is asked for. A unit of the current structure also
brings the units of the old structure that became it (a province officer of today sees the
records of the provinces merged into hers), so that history stays readable after July 2025.
"""

from typing import Any

from treem.accounts.models import RoleAssignment
from treem.geo.models import UnitSuccession
from treem.geo.paths import collapse

_CACHE = "_treem_scope_cache"


def _assignments(user: Any) -> list[tuple[str, int, str]]:
    cache = user.__dict__.setdefault(_CACHE, {})
    if "assignments" not in cache:
        rows = list(
            RoleAssignment.objects.active()
            .filter(user_id=user.pk)
            .values_list("role", "unit_id", "unit__path")
        )
        cache["assignments"] = rows
    return cache["assignments"]


def active_roles(user: Any) -> set[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    return {role for role, _, _ in _assignments(user)}


def _predecessor_paths(user: Any) -> dict[int, list[str]]:
    """Paths of the old units that became each assigned unit, in one query for all roles."""
    cache = user.__dict__.setdefault(_CACHE, {})
    if "predecessors" not in cache:
        unit_ids = {unit_id for _, unit_id, _ in _assignments(user)}
        found: dict[int, list[str]] = {}
        if unit_ids:
            rows = UnitSuccession.objects.filter(successor_id__in=unit_ids).values_list(
                "successor_id", "predecessor__path")
            for successor_id, path in rows:
                found.setdefault(successor_id, []).append(path)
        cache["predecessors"] = found
    return cache["predecessors"]


def scope_paths(user: Any, *, capability: str | None = None) -> list[str]:
    """Paths under which `user` may read (with `capability`, only via roles that grant it)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cache = user.__dict__.setdefault(_CACHE, {})
    key = f"paths:{capability or ''}"
    if key not in cache:
        rows = _assignments(user)
        if capability is not None:
            from treem.accounts.permissions import roles_with

            allowed = roles_with(capability)
            rows = [row for row in rows if row[0] in allowed]
        predecessors = _predecessor_paths(user)
        paths = [path for _, _, path in rows]
        for _, unit_id, _ in rows:
            paths += predecessors.get(unit_id, [])
        cache[key] = collapse(paths)
    return cache[key]


def in_scope(user: Any, path: str, *, capability: str | None = None) -> bool:
    return any(path.startswith(prefix) for prefix in scope_paths(user, capability=capability))


def forget(user: Any) -> None:
    """Drop the cached scope after the user's assignments changed."""
    user.__dict__.pop(_CACHE, None)


def sector_paths(user: Any) -> list[tuple[str, str]]:
    """(sector, path) of the user's active sector focal-point roles."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cache = user.__dict__.setdefault(_CACHE, {})
    if "sectors" not in cache and "sector_focal" not in active_roles(user):
        cache["sectors"] = []  # no query: most users hold no sector role
    if "sectors" not in cache:
        cache["sectors"] = list(
            RoleAssignment.objects.active()
            .filter(user_id=user.pk, role="sector_focal").exclude(sector="")
            .values_list("sector", "unit__path"))
    return cache["sectors"]


def role_paths(user: Any, roles: Any) -> list[str]:
    """Paths of the user's active assignments of any of `roles` (no predecessors: for what is
    done on units of today, where a role's own units are what counts)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    return collapse([path for role, _, path in _assignments(user) if role in roles])

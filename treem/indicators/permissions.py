"""Who may enter which sector figures where.

A sector's focal point enters the indicators its sector answers for (`agency`), on the
communes of its area; the commune's child-protection officer, who collects the figures from
every sector in the commune, enters any of them for its own commune.
"""


from treem.accounts.capabilities import roles_with
from treem.accounts.models import User
from treem.accounts.permissions import Capability, has_capability
from treem.accounts.roles import Role


def _every_sector_paths(user: User) -> list[str]:
    """Where the user enters figures of any sector: the roles granting entry other than a
    sector's focal point (today: the commune officer)."""
    roles = roles_with(Capability.ENTER_SECTOR_FIGURES) - {Role.SECTOR_FOCAL}
    return user.role_paths(roles)


def entry_paths(user: User, agency: str | None = None) -> list[str]:
    """Paths under which `user` may enter figures of `agency` (of any sector's when None)."""
    if not has_entry(user):
        return []
    return _every_sector_paths(user) + [path for sector, path in user.sector_paths()
                                        if agency is None or sector == agency]


def entry_agencies(user: User, path: str | None = None) -> set[str] | None:
    """The sectors whose figures `user` may enter on the unit at `path` (anywhere, without
    one): None for every sector."""
    if not has_entry(user):
        return set()
    every = _every_sector_paths(user)
    if path is None:
        return None if every else {sector for sector, _prefix in user.sector_paths()}
    if any(path.startswith(prefix) for prefix in every):
        return None
    return {sector for sector, prefix in user.sector_paths() if path.startswith(prefix)}


def has_entry(user: User) -> bool:
    return has_capability(user, Capability.ENTER_SECTOR_FIGURES)


def may_enter(user: User, *, agency: str, path: str) -> bool:
    if not has_entry(user) or not user.in_scope(path, capability=Capability.ENTER_SECTOR_FIGURES):
        return False
    return any(path.startswith(prefix) for prefix in entry_paths(user, agency))

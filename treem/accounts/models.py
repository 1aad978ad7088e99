import datetime
import secrets
import uuid
from collections.abc import Iterable

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from treem.accounts.capabilities import roles_with
from treem.accounts.roles import Role, Sector
from treem.geo.models import ScopedQuerySet, UnitSuccession
from treem.geo.paths import collapse


def _new_stamp() -> str:
    return secrets.token_hex(16)


class User(AbstractUser):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    full_name = models.CharField(_("họ và tên"), max_length=150)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    # Rotated by "log out everywhere": it is part of the session hash, so every existing
    # session of the user stops validating at once, whatever the session backend.
    security_stamp = models.CharField(max_length=32, default=_new_stamp)
    created_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    REQUIRED_FIELDS = ["full_name"]
    # Administrators reading a colleague's contact details and roles leave a trace.
    audit_reads = True

    class Meta:
        ordering = ["username"]
        constraints = [
            models.UniqueConstraint(
                Lower("username"), name="accounts_user_username_unique_ci",
                violation_error_message=_("Tên đăng nhập này đã được dùng."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        key_salt = "treem.accounts.User.session_auth_hash"
        return salted_hmac(
            key_salt, f"{self.password}:{self.security_stamp}", secret=secret, algorithm="sha256"
        ).hexdigest()

    # The user's geographic scope: the one mechanism through which every read is limited
    # (`ScopedQuerySet.visible_to` calls `scope_paths`). The scope is the set of unit paths of
    # the user's active role assignments, restricted to the roles that grant a capability when
    # one is asked for. A unit of the current structure also brings the units of the old
    # structure that became it (a province officer of today sees the records of the provinces
    # merged into hers), so that history stays readable after July 2025. Computed once per
    # request: the cache lives on this instance, which a request builds anew.

    def _scope_cache(self) -> dict:
        return self.__dict__.setdefault("_treem_scope_cache", {})

    def _assignments(self) -> list[tuple[str, int, str]]:
        cache = self._scope_cache()
        if "assignments" not in cache:
            cache["assignments"] = list(
                RoleAssignment.objects.active().filter(user_id=self.pk)
                .values_list("role", "unit_id", "unit__path"))
        return cache["assignments"]

    def _predecessor_paths(self) -> dict[int, list[str]]:
        """Paths of the old units that became each assigned unit, in one query for all roles."""
        cache = self._scope_cache()
        if "predecessors" not in cache:
            unit_ids = {unit_id for _, unit_id, _ in self._assignments()}
            found: dict[int, list[str]] = {}
            if unit_ids:
                rows = UnitSuccession.objects.filter(successor_id__in=unit_ids).values_list(
                    "successor_id", "predecessor__path")
                for successor_id, path in rows:
                    found.setdefault(successor_id, []).append(path)
            cache["predecessors"] = found
        return cache["predecessors"]

    def active_roles(self) -> set[str]:
        if not self.is_active:
            return set()
        return {role for role, _, _ in self._assignments()}

    def has_capability(self, capability: str) -> bool:
        """Whether one of the user's roles grants `capability`."""
        return bool(self.active_roles() & roles_with(capability))

    def scope_paths(self, *, capability: str | None = None) -> list[str]:
        """Paths under which the user may read (with `capability`, only via roles granting it)."""
        if not self.is_active:
            return []
        cache = self._scope_cache()
        key = f"paths:{capability or ''}"
        if key not in cache:
            allowed = roles_with(capability) if capability is not None else None
            cache[key] = self._paths_of(allowed)
        return cache[key]

    def read_paths_of_role(self, role: str) -> list[str]:
        """Paths under which the user reads as `role` (its units and the units they took
        over): who a record restricted to named roles is still shown to."""
        if not self.is_active:
            return []
        cache = self._scope_cache()
        key = f"role:{role}"
        if key not in cache:
            cache[key] = self._paths_of({role})
        return cache[key]

    def _paths_of(self, roles: "set[str] | frozenset[str] | None") -> list[str]:
        rows = self._assignments()
        if roles is not None:
            rows = [row for row in rows if row[0] in roles]
        predecessors = self._predecessor_paths()
        paths = [path for _role, _unit, path in rows]
        for _role, unit_id, _path in rows:
            paths += predecessors.get(unit_id, [])
        return collapse(paths)

    def in_scope(self, path: str, *, capability: str | None = None) -> bool:
        return any(path.startswith(prefix) for prefix in self.scope_paths(capability=capability))

    def in_role_scope(self, path: str, role: str) -> bool:
        return any(path.startswith(prefix) for prefix in self.read_paths_of_role(role))

    def role_paths(self, roles: Iterable[str]) -> list[str]:
        """Paths of the active assignments of any of `roles` (no predecessors: for what is done
        on units of today, where a role's own units are what counts)."""
        if not self.is_active:
            return []
        wanted = set(roles)
        return collapse([path for role, _, path in self._assignments() if role in wanted])

    def sector_paths(self) -> list[tuple[str, str]]:
        """(sector, path) of the user's active sector focal-point roles."""
        if not self.is_active:
            return []
        cache = self._scope_cache()
        if "sectors" not in cache and Role.SECTOR_FOCAL not in self.active_roles():
            cache["sectors"] = []  # no query: most users hold no sector role
        if "sectors" not in cache:
            cache["sectors"] = list(
                RoleAssignment.objects.active()
                .filter(user_id=self.pk, role=Role.SECTOR_FOCAL).exclude(sector="")
                .values_list("sector", "unit__path"))
        return cache["sectors"]

    def assigned_unit_ids(self) -> set[int]:
        return {unit_id for _, unit_id, _ in self._assignments()} if self.is_active else set()

    def forget_scope(self) -> None:
        """Drop the cached scope after the user's assignments changed."""
        self.__dict__.pop("_treem_scope_cache", None)


class AssignmentQuerySet(ScopedQuerySet):
    def active(self) -> "AssignmentQuerySet":
        return self.filter(revoked_at__isnull=True)


class RoleAssignment(models.Model):
    """A user holds `role` over `unit` and everything under it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    sector = models.CharField(_("ngành"), max_length=16, choices=Sector.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                condition=models.Q(revoked_at__isnull=True),
                name="accounts_assignment_unique_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.unit}"


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, at: datetime.datetime | None = None) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True, expires_at__gt=at or timezone.now())


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored: the token is shown once, at creation."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(_("tên"), max_length=100)
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, at: datetime.datetime | None = None) -> bool:
        return self.revoked_at is None and self.expires_at > (at or timezone.now())


class SignInThrottle(models.Model):
    """Failed sign-ins of one username from one client address, or (`address` empty) from
    every address together.

    Keyed by the username as typed (lower-cased), not by the user, so that a name nobody has is
    counted, locked and answered exactly like a real one. On an address row `locked_until`
    locks that address out for that username and `last_success_at` makes the address one the
    user signs in from; on the username row `locked_until` is the end of the current wait."""

    EVERY_ADDRESS = ""

    username = models.CharField(max_length=150)
    address = models.CharField(max_length=45, blank=True)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["username", "address"],
                                    name="accounts_throttle_one_per_address"),
        ]

    def __str__(self) -> str:
        return f"{self.username}@{self.address or '*'}"

    def is_locked(self, at: datetime.datetime) -> bool:
        return self.locked_until is not None and self.locked_until > at


class UnlockLink(models.Model):
    """A one-time link, sent by e-mail, that lifts the sign-in locks of its user. Only the
    SHA-256 of its secret is stored; it expires and is spent by its first use."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"

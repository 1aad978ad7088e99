import datetime
import secrets
import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from treem.accounts.roles import Role, Sector
from treem.geo.models import ScopedQuerySet


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

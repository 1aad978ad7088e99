"""Every write about users: sign-in, second factor, role assignments, API tokens."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from treem.accounts import exceptions as exc
from treem.accounts.models import ApiToken, RoleAssignment, User
from treem.accounts.permissions import Capability, requires_two_factor
from treem.accounts.roles import ALLOWED_LEVELS, Role, Sector
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.geo.models import Level, Unit

TOKEN_PREFIX = "treem_"


def _home_unit(user: User) -> Unit | None:
    """The unit an event about `user` belongs to: that of the first active assignment."""
    assignment = (
        RoleAssignment.objects.active().filter(user=user).select_related("unit")
        .order_by("created_at").first()
    )
    return assignment.unit if assignment else None


# --- Sign-in ------------------------------------------------------------------------------------

def login_attempt(*, username: str, password: str) -> User:
    """Check a password, counting failures; the same error whatever went wrong."""
    now = timezone.now()
    # Case-insensitive, as the database keeps usernames unique: phones capitalise first letters.
    user = User.objects.filter(username__iexact=username.strip()).first()
    if user is None:
        make_password(password)  # spend the same time as a real check: no user enumeration
        event_record(actor=None, action=Action.LOGIN_FAILED)
        raise exc.LoginFailed
    # The password is checked first, whatever the state of the account, so that the time an
    # answer takes does not tell an inactive or locked account from the others.
    password_ok = user.check_password(password)
    if not password_ok or not user.is_active or user.is_locked(now):
        _count_failure(user, now)
        raise exc.LoginFailed
    if not requires_two_factor(user):
        # Staff users are cleared only once the second factor is right too (otp_verify):
        # otherwise the password alone would buy an endless supply of guesses at the code.
        _reset_failures(user)
    event_record(actor=user, action=Action.LOGIN, obj=user, unit=_home_unit(user))
    return user


def _reset_failures(user: User) -> None:
    # Filtered in SQL: the caller's instance may hold a stale count (request.user).
    User.objects.filter(pk=user.pk, failed_login_count__gt=0).update(failed_login_count=0)
    user.failed_login_count = 0


def _count_failure(user: User, now: datetime.datetime) -> None:
    # Attempts during a lock are recorded but not counted: otherwise the first mistake after
    # the lock ends would lock the account again at once.
    # F() keeps the count right when attempts arrive in parallel.
    User.objects.filter(pk=user.pk).exclude(locked_until__gt=now).update(
        failed_login_count=F("failed_login_count") + 1)
    user.refresh_from_db(fields=["failed_login_count", "locked_until"])
    unit = _home_unit(user)
    event_record(actor=None, action=Action.LOGIN_FAILED, obj=user, unit=unit,
                 actor_username=user.username)
    if user.failed_login_count >= settings.TREEM_LOCKOUT_THRESHOLD and not user.is_locked(now):
        user.locked_until = now + datetime.timedelta(minutes=settings.TREEM_LOCKOUT_MINUTES)
        user.failed_login_count = 0
        user.save(update_fields=["locked_until", "failed_login_count"])
        event_record(actor=None, action=Action.LOCKED, obj=user, unit=unit,
                     actor_username=user.username, fields=["locked_until"])


def user_unlock(*, actor: User, user: User) -> None:
    _require_manageable(actor, user)
    with transaction.atomic():
        user.locked_until = None
        user.failed_login_count = 0
        user.save(update_fields=["locked_until", "failed_login_count"])
        event_record(actor=actor, action=Action.UPDATE, obj=user, unit=_home_unit(user),
                     fields=["locked_until"])


def logout_everywhere(*, user: User) -> None:
    with transaction.atomic():
        user.security_stamp = secrets.token_hex(16)
        user.save(update_fields=["security_stamp"])
        event_record(actor=user, action=Action.LOGOUT_ALL, obj=user, unit=_home_unit(user))


def logout_record(*, user: User) -> None:
    event_record(actor=user, action=Action.LOGOUT, obj=user, unit=_home_unit(user))


def password_change(*, user: User, old_password: str, new_password: str) -> None:
    if not user.check_password(old_password):
        raise ValidationError({"old_password": exc.LOGIN_FAILED})
    validate_password(new_password, user)
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        event_record(actor=user, action=Action.UPDATE, obj=user, unit=_home_unit(user),
                     fields=["password"])


# --- Second factor (TOTP, RFC 6238) -------------------------------------------------------------

def otp_device_start(*, user: User) -> TOTPDevice:
    """The unconfirmed device whose secret the user is adding to an authenticator app."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="treem", confirmed=False)
    return device


def otp_device_confirm(*, user: User, token: str) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or _is_locked_now(user) or not device.verify_token(token.strip()):
        _otp_failure(user)
        raise exc.OtpInvalid
    _reset_failures(user)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        event_record(actor=user, action=Action.OTP_ENROLLED, obj=user, unit=_home_unit(user))
    return device


def otp_verify(*, user: User, token: str) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        raise ValidationError(exc.OTP_NOT_SET_UP, code="otp_not_set_up")
    if _is_locked_now(user) or not device.verify_token(token.strip()):
        _otp_failure(user)
        raise exc.OtpInvalid
    _reset_failures(user)
    event_record(actor=user, action=Action.OTP_VERIFIED, obj=user, unit=_home_unit(user))
    return device


def has_confirmed_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def _is_locked_now(user: User) -> bool:
    # Read from the database: `user` is often request.user, loaded before the lock was set.
    user.refresh_from_db(fields=["locked_until", "failed_login_count"])
    return user.is_locked()


def _otp_failure(user: User) -> None:
    # A wrong second factor counts towards the same lockout as a wrong password.
    _count_failure(user, timezone.now())


# --- Users and assignments ----------------------------------------------------------------------

def _require_unit_assignable(actor: User, *, role: str, unit: Unit, sector: str) -> None:
    # Forms offer only valid choices, but services are also called from the API and commands.
    if role not in Role.values:
        raise ValidationError({"role": exc.ROLE_UNKNOWN})
    if sector and sector not in Sector.values:
        raise ValidationError({"sector": exc.SECTOR_UNKNOWN})
    if not actor.in_scope(unit.path, capability=Capability.MANAGE_USERS):
        raise ValidationError({"unit": exc.UNIT_OUT_OF_SCOPE})
    if not unit.is_current:
        raise ValidationError({"unit": exc.UNIT_NOT_CURRENT})
    if unit.level not in ALLOWED_LEVELS[role]:
        raise ValidationError({"role": ValidationError(
            exc.ROLE_LEVEL_MISMATCH,
            params={"role": Role(role).label, "level": Level(unit.level).label},
        )})
    if role == Role.SECTOR_FOCAL and not sector:
        raise ValidationError({"sector": exc.SECTOR_REQUIRED})
    if role != Role.SECTOR_FOCAL and sector:
        raise ValidationError({"sector": exc.SECTOR_NOT_ALLOWED})


def _require_manageable(actor: User, user: User) -> None:
    """An administrator changes a user only when every active role of it is in its scope."""
    if actor.pk == user.pk:
        raise ValidationError(exc.CANNOT_CHANGE_SELF)
    paths = RoleAssignment.objects.active().filter(user=user).values_list("unit__path", flat=True)
    if not paths or not all(
        actor.in_scope(path, capability=Capability.MANAGE_USERS) for path in paths
    ):
        raise ValidationError(exc.UNIT_OUT_OF_SCOPE)


def _holds_role_in_scope(actor: User, user: User) -> bool:
    paths = RoleAssignment.objects.active().filter(user=user).values_list("unit__path", flat=True)
    return any(actor.in_scope(path, capability=Capability.MANAGE_USERS) for path in paths)


def user_create(
    *,
    actor: User,
    username: str,
    full_name: str,
    password: str,
    role: str,
    unit: Unit,
    sector: str = "",
    email: str = "",
    phone: str = "",
) -> User:
    username = username.strip()
    _require_unit_assignable(actor, role=role, unit=unit, sector=sector)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": exc.USERNAME_TAKEN})
    user = User(username=username, full_name=full_name.strip(), email=email.strip(),
                phone=phone.strip(), created_by=actor)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error
    user.full_clean(exclude=["password"])
    with transaction.atomic():
        user.set_password(password)
        user.save()
        assignment = RoleAssignment.objects.create(
            user=user, role=role, unit=unit, sector=sector, created_by=actor
        )
        event_record(actor=actor, action=Action.CREATE, obj=user, unit=unit,
                     fields=["username", "full_name", "email", "phone", "password"])
        event_record(actor=actor, action=Action.CREATE, obj=assignment, unit=unit,
                     fields=["role", "unit", "sector"])
    return user


def assignment_add(*, actor: User, user: User, role: str, unit: Unit,
                   sector: str = "") -> RoleAssignment:
    # Separation of duties: an administrator cannot widen its own rights (say, to read the
    # audit trail or children's records); another administrator has to.
    if actor.pk == user.pk:
        raise ValidationError(exc.CANNOT_CHANGE_SELF)
    _require_unit_assignable(actor, role=role, unit=unit, sector=sector)
    if not _holds_role_in_scope(actor, user):
        raise ValidationError(exc.UNIT_OUT_OF_SCOPE)
    if RoleAssignment.objects.active().filter(user=user, role=role, unit=unit).exists():
        raise ValidationError(exc.ASSIGNMENT_EXISTS)
    with transaction.atomic():
        assignment = RoleAssignment.objects.create(
            user=user, role=role, unit=unit, sector=sector, created_by=actor
        )
        event_record(actor=actor, action=Action.CREATE, obj=assignment, unit=unit,
                     fields=["role", "unit", "sector"])
    user.forget_scope()
    return assignment


def assignment_revoke(*, actor: User, assignment: RoleAssignment) -> None:
    if actor.pk == assignment.user_id:
        raise ValidationError(exc.CANNOT_CHANGE_SELF)
    if assignment.revoked_at is not None:
        raise ValidationError(exc.ASSIGNMENT_ALREADY_REVOKED)
    if not actor.in_scope(assignment.unit.path, capability=Capability.MANAGE_USERS):
        raise ValidationError(exc.UNIT_OUT_OF_SCOPE)
    if RoleAssignment.objects.active().filter(user_id=assignment.user_id).count() <= 1:
        raise ValidationError(exc.LAST_ASSIGNMENT)
    with transaction.atomic():
        assignment.revoked_at = timezone.now()
        assignment.save(update_fields=["revoked_at"])
        event_record(actor=actor, action=Action.UPDATE, obj=assignment, unit=assignment.unit,
                     fields=["revoked_at"])


def user_password_set(*, actor: User, user: User, password: str) -> None:
    """An administrator gives a user who forgot it a new password (passed on in person)."""
    _require_manageable(actor, user)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error
    with transaction.atomic():
        user.set_password(password)
        user.security_stamp = secrets.token_hex(16)
        user.failed_login_count = 0
        user.locked_until = None
        user.save(update_fields=["password", "security_stamp", "failed_login_count",
                                 "locked_until"])
        event_record(actor=actor, action=Action.UPDATE, obj=user, unit=_home_unit(user),
                     fields=["password"])


def user_otp_reset(*, actor: User, user: User) -> None:
    """Forget a user's authenticator (a lost phone): the next sign-in enrols a new one."""
    _require_manageable(actor, user)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        # Sessions verified with the old device end too.
        user.security_stamp = secrets.token_hex(16)
        user.save(update_fields=["security_stamp"])
        event_record(actor=actor, action=Action.UPDATE, obj=user, unit=_home_unit(user),
                     fields=["otp_device"])


def user_set_active(*, actor: User, user: User, active: bool) -> None:
    _require_manageable(actor, user)
    with transaction.atomic():
        user.is_active = active
        # Deactivation also ends every session and token at once.
        user.security_stamp = secrets.token_hex(16)
        user.save(update_fields=["is_active", "security_stamp"])
        if not active:
            ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
                revoked_at=timezone.now()
            )
        event_record(actor=actor, action=Action.UPDATE, obj=user, unit=_home_unit(user),
                     fields=["is_active"])


# --- API tokens ---------------------------------------------------------------------------------

def _digest(raw: str) -> str:
    # Tokens carry 256 random bits, so a fast hash is enough: nothing to brute-force.
    return hashlib.sha256(raw.encode()).hexdigest()


def token_create(*, user: User, name: str, days: int) -> tuple[ApiToken, str]:
    """Create a token; the raw value is returned once and never stored."""
    maximum = settings.TREEM_API_TOKEN_MAX_DAYS
    if not 1 <= days <= maximum:
        raise ValidationError(
            {"days": ValidationError(exc.TOKEN_DAYS_RANGE, params={"max": maximum})}
        )
    secret = secrets.token_urlsafe(32)
    raw = f"{TOKEN_PREFIX}{secret}"
    token = ApiToken(user=user, name=name.strip(), prefix=secret[:8], token_hash=_digest(raw),
                     expires_at=timezone.now() + datetime.timedelta(days=days))
    token.full_clean()
    with transaction.atomic():
        token.save()
        event_record(actor=user, action=Action.TOKEN_CREATED, obj=token, unit=_home_unit(user))
    return token, raw


def token_revoke(*, actor: User, token: ApiToken) -> None:
    if token.revoked_at is not None:
        raise ValidationError(exc.TOKEN_ALREADY_REVOKED)
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        event_record(actor=actor, action=Action.TOKEN_REVOKED, obj=token,
                     unit=_home_unit(token.user), fields=["revoked_at"])


def token_authenticate(raw: str) -> User | None:
    """The active user behind a usable token, or None."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    token = ApiToken.objects.usable(now).select_related("user").filter(
        token_hash=_digest(raw)
    ).first()
    # A lock stops password guessing; it does not stop a token, a credential of its own, so
    # that whoever knows a username cannot cut a province's integrations off by mistyping.
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.user._treem_api_token = token  # type: ignore[attr-defined]
    return token.user


def admin_bootstrap(*, username: str, full_name: str, password: str, unit: Unit) -> User:
    """First administrator of an installation, from the command line (no actor exists yet)."""
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": exc.USERNAME_TAKEN})
    user = User(username=username, full_name=full_name)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error
    with transaction.atomic():
        user.set_password(password)
        user.save()
        assignment = RoleAssignment.objects.create(user=user, role=Role.SYSTEM_ADMIN, unit=unit)
        event_record(actor=None, action=Action.CREATE, obj=user, unit=unit,
                     fields=["username", "full_name", "password"], reason="bootstrap")
        event_record(actor=None, action=Action.CREATE, obj=assignment, unit=unit,
                     fields=["role", "unit"], reason="bootstrap")
    return user

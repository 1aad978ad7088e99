"""Every write about users: sign-in, second factor, role assignments, API tokens."""

import datetime
import hashlib
import secrets
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from treem.accounts import exceptions as exc
from treem.accounts.models import ApiToken, RoleAssignment, SignInThrottle, UnlockLink, User
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
#
# Modelled on django-axes with AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]] for the
# lock, and on Keycloak's brute-force detection (failure count, wait increment, maximum wait,
# failure reset time) for the slowdown: whoever knows a username can lock only the address it
# types from, never the user at theirs. A username tried from many addresses waits longer and
# longer between attempts, except at an address its user already signed in from (OWASP's
# advice against account lockout as a denial of service, with known clients instead of device
# cookies). The user lifts every lock with a link sent by e-mail, or an administrator does.

# The client address when the request has none that parses: all such attempts share one.
UNKNOWN_ADDRESS = "unknown"
# One unlock e-mail at most this often for a user, whoever asks: no mailbox flooding.
UNLOCK_MAIL_INTERVAL = datetime.timedelta(minutes=5)


def _username_key(username: str) -> str:
    # Case-insensitive, as the database keeps usernames unique: phones capitalise first letters.
    return username.strip().lower()[:150]


def _throttles(key: str, address: str | None) -> tuple[SignInThrottle, SignInThrottle]:
    """The rows of this username at this address and at every address, locked for the update
    (parallel attempts count one by one on PostgreSQL)."""
    rows = []
    for where in (address or UNKNOWN_ADDRESS, SignInThrottle.EVERY_ADDRESS):
        SignInThrottle.objects.get_or_create(username=key, address=where)
        rows.append(SignInThrottle.objects.select_for_update().get(username=key, address=where))
    return rows[0], rows[1]


def _is_known(pair: SignInThrottle, now: datetime.datetime) -> bool:
    known_for = datetime.timedelta(days=settings.TREEM_KNOWN_ADDRESS_DAYS)
    return pair.last_success_at is not None and pair.last_success_at > now - known_for


def _refused_now(pair: SignInThrottle, wide: SignInThrottle, now: datetime.datetime) -> bool:
    """Whether this address is locked for the username, or the username is waiting and this is
    not an address its user signs in from."""
    return pair.is_locked(now) or (wide.is_locked(now) and not _is_known(pair, now))


def login_attempt(*, username: str, password: str, address: str | None) -> User:
    """Check a password from a client `address`, counting failures; the same error whatever
    went wrong (unknown name, wrong password, inactive account, locked address, waiting)."""
    now = timezone.now()
    key = _username_key(username)
    user = User.objects.filter(username__iexact=username.strip()).first()
    # The password is checked first, whatever the state of the account, so that the time an
    # answer takes does not tell an unknown, inactive or locked account from the others.
    if user is None:
        make_password(password)  # spend the same time as a real check: no user enumeration
        password_ok = False
    else:
        password_ok = user.check_password(password)
    with transaction.atomic():
        pair, wide = _throttles(key, address)
        refused = _refused_now(pair, wide, now)
        if refused or not password_ok or user is None or not user.is_active:
            _count_failure(user, key, pair, wide, now, counted=not refused)
            failed = True
        else:
            failed = False
            if not requires_two_factor(user):
                # Staff users are cleared only once the second factor is right too
                # (otp_verify): otherwise the password alone would buy an endless supply of
                # guesses at the code.
                _record_success(pair, now)
            event_record(actor=user, action=Action.LOGIN, obj=user, unit=_home_unit(user))
    if failed:
        raise exc.LoginFailed
    return user  # type: ignore[return-value]


def throttle_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the sign-in counters that no longer hold anything: no lock in force, no failure
    and no success within TREEM_KNOWN_ADDRESS_DAYS (a row is kept as long as it makes its
    address a known one). One row is made per username and address tried, so without this
    the table grows with every name an attacker sprays. Returns how many were deleted."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=settings.TREEM_KNOWN_ADDRESS_DAYS)
    stale = (SignInThrottle.objects
             .exclude(locked_until__gt=now)
             .exclude(last_failure_at__gte=since)
             .exclude(last_success_at__gte=since))
    deleted, _ = stale.delete()
    return deleted


def _record_success(pair: SignInThrottle, now: datetime.datetime) -> None:
    pair.failures = 0
    pair.last_success_at = now
    pair.save(update_fields=["failures", "last_success_at"])


def _count_failure(user: User | None, key: str, pair: SignInThrottle, wide: SignInThrottle,
                   now: datetime.datetime, *, counted: bool) -> None:
    """Record a failure; unless the attempt was refused by a lock or a wait (`counted` false:
    otherwise the first mistake after a lock ends would lock again at once), count it at the
    address and for the username, and lock or slow down past the thresholds."""
    unit = _home_unit(user) if user is not None else None
    event_record(actor=None, action=Action.LOGIN_FAILED, obj=user, unit=unit,
                 actor_username=user.username if user is not None else "")
    if not counted:
        return
    pair.failures += 1
    pair.last_failure_at = now
    if pair.failures >= settings.TREEM_LOCKOUT_THRESHOLD:
        pair.locked_until = now + datetime.timedelta(minutes=settings.TREEM_LOCKOUT_MINUTES)
        pair.failures = 0
        _record_lock(user, key, unit, reason="address")
    pair.save(update_fields=["failures", "last_failure_at", "locked_until"])
    window = datetime.timedelta(hours=settings.TREEM_SLOWDOWN_WINDOW_HOURS)
    if wide.last_failure_at is None or wide.last_failure_at <= now - window:
        wide.failures = 0  # Keycloak's "failure reset time"
    wide.failures += 1
    wide.last_failure_at = now
    past = wide.failures - settings.TREEM_SLOWDOWN_THRESHOLD
    if past >= 0:
        wait = min(datetime.timedelta(seconds=settings.TREEM_SLOWDOWN_STEP_SECONDS * (past + 1)),
                   datetime.timedelta(minutes=settings.TREEM_SLOWDOWN_MAX_MINUTES))
        wide.locked_until = now + wait
        if past == 0:
            _record_lock(user, key, unit, reason="username")
    wide.save(update_fields=["failures", "last_failure_at", "locked_until"])


def _record_lock(user: User | None, key: str, unit: Unit | None, *, reason: str) -> None:
    # A name nobody has leaves a trace too (by the name typed): a spray shows in the audit.
    event_record(actor=None, action=Action.LOCKED, obj=user, unit=unit,
                 actor_username=user.username if user is not None else key,
                 fields=["locked_until"], reason=reason)


def _lift_locks(user: User) -> int:
    return SignInThrottle.objects.filter(username=_username_key(user.username)).update(
        failures=0, locked_until=None)


def user_unlock(*, actor: User, user: User) -> None:
    """An administrator lifts every lock and wait on the user's sign-in."""
    _require_manageable(actor, user)
    with transaction.atomic():
        _lift_locks(user)
        event_record(actor=actor, action=Action.UNLOCKED, obj=user, unit=_home_unit(user),
                     fields=["locked_until"], reason="admin")


def unlock_link_request(*, username: str, link_base: str) -> None:
    """E-mail a one-time unlock link to the user of `username`, if there is one, active, with an
    e-mail address and no link sent in the last minutes. Says nothing either way: the page
    answers the same, so it tells no one whether an account exists."""
    user = User.objects.filter(username__iexact=username.strip(), is_active=True).first()
    if user is None or not user.email:
        return
    now = timezone.now()
    if UnlockLink.objects.filter(user=user, created_at__gt=now - UNLOCK_MAIL_INTERVAL).exists():
        return
    secret = secrets.token_urlsafe(32)
    minutes = settings.TREEM_UNLOCK_LINK_MINUTES
    with transaction.atomic():
        UnlockLink.objects.create(user=user, token_hash=_digest(secret), created_at=now,
                                  expires_at=now + datetime.timedelta(minutes=minutes))
        url = f"{link_base.rstrip('/')}{reverse('accounts:unlock', args=[secret])}"
        body = exc.UNLOCK_MAIL_BODY % {"name": user.full_name or user.username, "url": url,
                                       "minutes": minutes}
        address = user.email
        transaction.on_commit(lambda: send_mail(
            str(exc.UNLOCK_MAIL_SUBJECT), str(body), None, [address], fail_silently=True))


def unlock_link_use(*, secret: str, address: str | None) -> User:
    """Spend an unlock link: lift the user's locks and waits, and take the address it was
    opened from as one the user signs in from. Raises the same error for a link unknown, used
    or expired."""
    now = timezone.now()
    with transaction.atomic():
        link = (UnlockLink.objects.select_for_update().select_related("user")
                .filter(token_hash=_digest(secret), used_at__isnull=True, expires_at__gt=now)
                .first())
        if link is None or not link.user.is_active:
            raise ValidationError(exc.UNLOCK_LINK_INVALID, code="unlock_link_invalid")
        link.used_at = now
        link.save(update_fields=["used_at"])
        user = link.user
        _lift_locks(user)
        pair, _wide = _throttles(_username_key(user.username), address)
        pair.last_success_at = now
        pair.save(update_fields=["last_success_at"])
        event_record(actor=None, action=Action.UNLOCKED, obj=user, unit=_home_unit(user),
                     actor_username=user.username, fields=["locked_until"], reason="link")
    return user


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


def otp_device_confirm(*, user: User, token: str, address: str | None) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    _otp_check(user, address, lambda: device is not None and device.verify_token(token.strip()))
    assert device is not None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        event_record(actor=user, action=Action.OTP_ENROLLED, obj=user, unit=_home_unit(user))
    return device


def otp_verify(*, user: User, token: str, address: str | None) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        raise ValidationError(exc.OTP_NOT_SET_UP, code="otp_not_set_up")
    _otp_check(user, address, lambda: device.verify_token(token.strip()))
    event_record(actor=user, action=Action.OTP_VERIFIED, obj=user, unit=_home_unit(user))
    return device


def has_confirmed_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def _otp_check(user: User, address: str | None, verify: Callable[[], bool]) -> None:
    """Verify a code unless the address is locked or the username waiting; a wrong code counts
    towards the same locks as a wrong password, and the right one completes the sign-in (the
    address becomes one the user signs in from)."""
    now = timezone.now()
    with transaction.atomic():
        pair, wide = _throttles(_username_key(user.username), address)
        refused = _refused_now(pair, wide, now)
        # Not tried while refused: the device's own throttle would count it.
        if refused or not verify():
            _count_failure(user, pair.username, pair, wide, now, counted=not refused)
            failed = True
        else:
            _record_success(pair, now)
            failed = False
    if failed:
        raise exc.OtpInvalid


# --- Users and assignments ----------------------------------------------------------------------

def _require_unit_assignable(actor: User, *, role: str, unit: Unit, sector: str) -> None:
    # Forms offer only valid choices, but services are also called from the API and commands.
    if role not in Role.values:
        raise ValidationError({"role": exc.ROLE_UNKNOWN})
    if sector and sector not in Sector.values:
        raise ValidationError({"sector": exc.SECTOR_UNKNOWN})
    if not actor.in_scope(unit.path, capability=Capability.MANAGE_USERS):
        raise PermissionDenied(exc.UNIT_OUT_OF_SCOPE)
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
        raise PermissionDenied(exc.UNIT_OUT_OF_SCOPE)


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
        raise PermissionDenied(exc.UNIT_OUT_OF_SCOPE)
    with transaction.atomic():
        _lock_assignments_of(user.pk)
        if RoleAssignment.objects.active().filter(user=user, role=role, unit=unit).exists():
            raise ValidationError(exc.ASSIGNMENT_EXISTS)
        assignment = RoleAssignment.objects.create(
            user=user, role=role, unit=unit, sector=sector, created_by=actor
        )
        event_record(actor=actor, action=Action.CREATE, obj=assignment, unit=unit,
                     fields=["role", "unit", "sector"])
    user.forget_scope()
    return assignment


def _lock_assignments_of(user_id: int) -> None:
    """Hold the user's row to the end of the transaction: the changes of one user's roles
    wait for each other, so that a check of them (the last role, a role held twice) reads
    what the other committed, not what both read before either wrote."""
    list(User.objects.select_for_update().filter(pk=user_id).values_list("pk", flat=True))


def assignment_revoke(*, actor: User, assignment: RoleAssignment) -> None:
    if actor.pk == assignment.user_id:
        raise ValidationError(exc.CANNOT_CHANGE_SELF)
    if not actor.in_scope(assignment.unit.path, capability=Capability.MANAGE_USERS):
        raise PermissionDenied(exc.UNIT_OUT_OF_SCOPE)
    with transaction.atomic():
        # Two administrators revoking a user's last two roles at once both counted two and
        # left the user with none; one revoking from a stale page revoked twice.
        _lock_assignments_of(assignment.user_id)
        assignment = RoleAssignment.objects.select_related("unit").get(pk=assignment.pk)
        if assignment.revoked_at is not None:
            raise ValidationError(exc.ASSIGNMENT_ALREADY_REVOKED)
        if RoleAssignment.objects.active().filter(user_id=assignment.user_id).count() <= 1:
            raise ValidationError(exc.LAST_ASSIGNMENT)
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
        user.save(update_fields=["password", "security_stamp"])
        _lift_locks(user)
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

"""Collaborators' phones: enrolment, the wipe rule, a phone reported lost.

A phone must wipe what it keeps of treem when it was reported lost, when its user's account is
deactivated, or when the user no longer holds the village collaborator's role. Checked at every
contact; `contact` answers it with the phone's own secret, so a phone whose session has gone
(as it has once the account is deactivated) still learns it. A sign-in lockout after wrong
passwords is not a wipe: it is lifted after a wait, and wiping would lose what the collaborator
recorded but has not sent."""

import base64
import datetime
import hashlib
import hmac
import secrets
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from treem.accounts.models import User
from treem.accounts.roles import Role
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.offline import messages as msg
from treem.offline.models import Device
from treem.offline.selectors import devices_for

LABEL_MAX = Device._meta.get_field("label").max_length or 100


def _digest(secret: str) -> str:
    # 256 random bits: a fast hash is enough, nothing to brute-force.
    return hashlib.sha256(secret.encode()).hexdigest()


def is_collaborator(user: User) -> bool:
    return Role.VILLAGE_COLLABORATOR in user.active_roles()


@transaction.atomic
def device_enrol(*, user: User, device_id: uuid.UUID, label: str = "") -> tuple[Device, str]:
    """Enrol the phone `device_id` for `user`; returns the device and its secret (shown once).
    The same phone enrolled again keeps its salt (the key of what it keeps stays the same) and
    gets a new secret."""
    if not is_collaborator(user):
        raise PermissionDenied(msg.NOT_A_COLLABORATOR)
    secret = secrets.token_urlsafe(32)
    device = Device.objects.select_for_update().filter(pk=device_id).first()
    if device is not None and (device.user_id != user.pk or device.lost_at is not None):
        raise ValidationError({"id": msg.DEVICE_OF_ANOTHER})
    if device is None:
        device = Device(id=device_id, user=user,
                        salt=base64.b64encode(secrets.token_bytes(16)).decode())
    device.label = label.strip()[:LABEL_MAX]
    device.secret_hash = _digest(secret)
    device.last_seen_at = timezone.now()
    device.save()
    event_record(actor=user, action=Action.CREATE, obj=device, fields=["device"])
    return device, secret


def must_wipe(device: Device) -> bool:
    user = device.user
    return (device.lost_at is not None or not user.is_active
            or Role.VILLAGE_COLLABORATOR not in user.active_roles())


def device_of(user: User, device_id: uuid.UUID | None) -> Device:
    """The phone `user` calls from (the `X-Treem-Device` header), seen now."""
    device = (Device.objects.select_related("user").filter(pk=device_id, user=user).first()
              if device_id is not None else None)
    if device is None:
        raise PermissionDenied(msg.DEVICE_UNKNOWN)
    _seen(device)
    return device


def _seen(device: Device) -> None:
    now = timezone.now()
    if device.last_seen_at is None or now - device.last_seen_at > datetime.timedelta(minutes=1):
        Device.objects.filter(pk=device.pk).update(last_seen_at=now)
        device.last_seen_at = now


def contact(*, device_id: uuid.UUID, secret: str) -> bool:
    """Whether the phone that knows `secret` must wipe itself. An unknown phone or a wrong
    secret is told to wipe too: whatever it keeps is not a phone treem knows."""
    device = Device.objects.select_related("user").filter(pk=device_id).first()
    if device is None or not hmac.compare_digest(device.secret_hash, _digest(secret)):
        return True
    _seen(device)
    wipe = must_wipe(device)
    if wipe and device.wiped_at is None:
        Device.objects.filter(pk=device.pk).update(wiped_at=timezone.now())
    return wipe


def wiped(device: Device) -> None:
    """The phone was told to wipe (on a call with its session)."""
    if device.wiped_at is None:
        Device.objects.filter(pk=device.pk).update(wiped_at=timezone.now())


@transaction.atomic
def device_report_lost(*, actor: User, device: Device) -> Device:
    """The phone was lost: its next contact wipes it, and it can no longer sync. The
    collaborator itself, or a commune officer of its village."""
    if not (device.user_id == actor.pk or devices_for(actor).filter(pk=device.pk).exists()):
        raise PermissionDenied(msg.NOT_YOURS_TO_DECIDE)
    device = Device.objects.select_for_update().get(pk=device.pk)
    if device.lost_at is None:
        device.lost_at, device.lost_by = timezone.now(), actor
        device.save(update_fields=["lost_at", "lost_by"])
        event_record(actor=actor, action=Action.UPDATE, obj=device, fields=["lost_at"])
    return device

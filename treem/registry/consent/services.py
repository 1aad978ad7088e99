"""Writes of consents: recorded with its signed form, withdrawn (after which the processing
that rested on it stops: the plans and the fund hide what they showed). Each write is one
transaction with its audit events, on the consent and on the child (its access log)."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from treem.accounts.capabilities import Capability
from treem.accounts.models import User
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.edits import conflicts
from treem.registry.consent import messages as msg
from treem.registry.consent.models import (
    ChildConsent,
    ConsentForm,
    ConsentPurpose,
    ConsentRelation,
)
from treem.registry.consent.selectors import is_seven_on
from treem.registry.models import Child
from treem.ui import uploads

NAME_MAX = 150
NOTE_MAX = 500


def _today() -> datetime.date:
    return timezone.localdate()


def may_manage(actor: User, child: Child) -> bool:
    """Who changes the child's record records and withdraws its consents."""
    return (child.merged_into_id is None
            and actor.in_scope(child.unit_path, capability=Capability.MANAGE_CHILDREN))


def _text(errors: dict[str, Any], field: str, value: str, limit: int, *,
          required: bool = False) -> str:
    value = " ".join(value.split())
    if required and not value:
        errors[field] = msg.REQUIRED
    elif len(value) > limit:
        errors[field] = msg.TOO_LONG % {"n": limit}
    return value


def consent_record(*, actor: User, child: Child, purpose: str, representative_name: str,
                   relation: str, child_agreed: bool, given_on: datetime.date,
                   form_data: bytes, form_name: str, note: str = "") -> ChildConsent:
    """Record a consent to `purpose` given on `given_on`, with its signed form. From 7 the
    child's own agreement is required (Luật 91/2025/QH15 Điều 24 khoản 2)."""
    if not may_manage(actor, child):
        if child.merged_into_id is not None:
            raise ValidationError({"child": msg.CHILD_MERGED})
        raise PermissionDenied(msg.OUT_OF_SCOPE)
    errors: dict[str, Any] = {}
    if purpose not in ConsentPurpose.values:
        errors["purpose"] = msg.CHOICE_UNKNOWN
    if relation not in ConsentRelation.values:
        errors["relation"] = msg.CHOICE_UNKNOWN
    name = _text(errors, "representative_name", representative_name, NAME_MAX, required=True)
    note = _text(errors, "note", note, NOTE_MAX)
    if given_on > _today():
        errors["given_on"] = msg.DAY_IN_FUTURE
    elif given_on < child.birth_date:
        errors["given_on"] = msg.BEFORE_BIRTH
    elif is_seven_on(child, given_on) and not child_agreed:
        errors["child_agreed"] = msg.CHILD_MUST_AGREE
    if not form_data:
        errors["form"] = msg.FORM_REQUIRED
    if errors:
        raise ValidationError(errors)
    try:
        checked = uploads.check(data=form_data, name=form_name)
    except ValidationError as error:
        raise ValidationError({"form": error.message_dict["file"]}) from error
    commune = child.commune
    with transaction.atomic():
        form = ConsentForm(name=checked.name, content_type=checked.content_type,
                           size=len(checked.content), uploaded_by=actor)
        form.file.save(checked.name, ContentFile(checked.content), save=False)
        form.save()
        consent = ChildConsent.objects.create(
            child=child, unit_path=child.unit_path, province_code=child.province_code,
            purpose=purpose, representative_name=name, relation=relation,
            child_agreed=child_agreed, given_on=given_on, note=note, form=form,
            recorded_by=actor)
        event_record(actor=actor, action=Action.CREATE, obj=consent, unit=commune,
                     fields=["purpose", "representative_name", "relation", "child_agreed",
                             "given_on", "form"])
        # On the child too, where its access log looks.
        event_record(actor=actor, action=Action.UPDATE, obj=child, unit=commune,
                     fields=["consents"], reason=f"{consent.public_id}: {purpose}")
    return consent


def consent_withdraw(*, actor: User, consent: ChildConsent, base_version: int | None,
                     withdrawn_on: datetime.date, note: str = "") -> ChildConsent:
    """Record that whoever consented took it back on `withdrawn_on` (Luật 91/2025/QH15 Điều
    24 khoản 3 điểm a): from then on nothing rests on it; what was published under it is
    hidden (the named children of activities, the delivery photos), the files are kept."""
    child = consent.child
    if not may_manage(actor, child):
        raise PermissionDenied(msg.OUT_OF_SCOPE)
    errors: dict[str, Any] = {}
    note = _text(errors, "withdrawal_note", note, NOTE_MAX)
    if withdrawn_on > _today():
        errors["withdrawn_on"] = msg.DAY_IN_FUTURE
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        consent = conflicts.locked(consent)
        changes = {"withdrawn_on": withdrawn_on, "withdrawal_note": note}
        if base_version is not None:
            conflicts.check(consent, version=consent.version, base_version=base_version,
                            changes=changes)
        if consent.withdrawn_on is not None:
            raise ValidationError(msg.ALREADY_WITHDRAWN)
        if withdrawn_on < consent.given_on:
            raise ValidationError({"withdrawn_on": msg.WITHDRAWN_BEFORE_GIVEN})
        consent.withdrawn_on, consent.withdrawn_by = withdrawn_on, actor
        consent.withdrawal_note = note
        conflicts.save_new_version(consent, ["withdrawn_on", "withdrawn_by", "withdrawal_note"])
        event_record(actor=actor, action=Action.UPDATE, obj=consent, unit=child.commune,
                     fields=["withdrawn_on", "withdrawal_note"])
        event_record(actor=actor, action=Action.UPDATE, obj=child, unit=child.commune,
                     fields=["consents"], reason=f"{consent.public_id}: withdrawn")
    return consent

"""Writes of the data subject's requests: received (with the identity check and the legal
deadline), corrections applied through the register's own service, decided (a refusal with
its legal ground), answered. Each write is one transaction with its audit event."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from treem.accounts.capabilities import Capability
from treem.accounts.models import User
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.edits import conflicts
from treem.privacy.models import (
    AnswerChannel,
    Correction,
    Decision,
    IdentityCheck,
    RefusalGround,
    Requester,
    RequestKind,
    Status,
    SubjectRequest,
)
from treem.privacy.requests import deadlines
from treem.privacy.requests import messages as msg
from treem.registry import services as registry
from treem.registry.models import Child, ChildConsent, Ethnicity

# A child asks alone from this age (Luật 91/2025/QH15 Điều 24: the child of 7 or more is heard
# on its own data; below, only the legal representative acts for it).
CHILD_OWN_REQUEST_AGE = 7
# The register's fields a request may correct: who the child is. Statuses change through the
# register's own pages, where their history is kept.
CORRECTABLE = ("full_name", "birth_date", "sex", "personal_id", "ethnicity")


def _today() -> datetime.date:
    return timezone.localdate()


def _require_handler(actor: User, request: SubjectRequest) -> None:
    if not actor.in_scope(request.unit_path, capability=Capability.HANDLE_DATA_REQUESTS):
        raise PermissionDenied(msg.OUT_OF_SCOPE)


def request_receive(*, actor: User, child: Child, kind: str, requester_name: str,
                    requester: str, identity_check: str, received_on: datetime.date,
                    details: str = "", requester_contact: str = "",
                    identity_note: str = "") -> SubjectRequest:
    """Log a request received about `child`, with the identity check made and the deadline
    the law sets for its kind."""
    errors: dict[str, Any] = {}
    if kind not in RequestKind.values:
        errors["kind"] = msg.CHOICE_UNKNOWN
    if requester not in Requester.values:
        errors["requester"] = msg.CHOICE_UNKNOWN
    if identity_check not in IdentityCheck.values:
        errors["identity_check"] = msg.CHOICE_UNKNOWN
    requester_name = requester_name.strip()
    if not requester_name:
        errors["requester_name"] = msg.REQUIRED
    today = _today()
    if received_on > today:
        errors["received_on"] = msg.DAY_IN_FUTURE
    elif received_on < child.birth_date:
        errors["received_on"] = msg.BEFORE_BIRTH
    if kind == RequestKind.CORRECT and not details.strip():
        errors["details"] = msg.CORRECTION_DETAILS
    if requester == Requester.CHILD and child.age_on(received_on) < CHILD_OWN_REQUEST_AGE:
        errors["requester"] = msg.CHILD_TOO_YOUNG
    if identity_check == IdentityCheck.KNOWN and not identity_note.strip():
        errors["identity_note"] = msg.IDENTITY_NOTE
    if child.merged_into_id is not None:
        errors["child"] = msg.CHILD_MERGED
    if errors:
        raise ValidationError(errors)
    commune = child.commune
    if not actor.in_scope(commune.path, capability=Capability.HANDLE_DATA_REQUESTS):
        raise PermissionDenied(msg.OUT_OF_SCOPE)
    with transaction.atomic():
        request = SubjectRequest.objects.create(
            child=child, unit=commune, unit_path=commune.path,
            province_code=child.province_code, kind=kind, details=details.strip(),
            requester_name=requester_name, requester=requester,
            requester_contact=requester_contact.strip(), identity_check=identity_check,
            identity_note=identity_note.strip(), received_on=received_on,
            first_reply_due_on=deadlines.first_reply_due_on(received_on),
            due_on=deadlines.due_on(kind, received_on), created_by=actor)
        event_record(actor=actor, action=Action.CREATE, obj=request, unit=commune,
                     fields=["kind", "child"])
    return request


def locked_open(actor: User, request: SubjectRequest, base_version: int | None,
                 changes: dict[str, Any] | None = None) -> SubjectRequest:
    """The request read again under its lock, still open; an edit read at `base_version`
    that another saved over since is refused (`EditConflict`, with both values)."""
    _require_handler(actor, request)
    request = conflicts.locked(request)
    if base_version is not None:
        conflicts.check(request, version=request.version, base_version=base_version,
                        changes=changes or {})
    if request.status == Status.ANSWERED:
        raise ValidationError(msg.ALREADY_ANSWERED)
    return request


def request_first_reply(*, actor: User, request: SubjectRequest, replied_on: datetime.date
                        ) -> SubjectRequest:
    """Record the first reply to the requester (Nghị định 356/2025/NĐ-CP Điều 5: within 2
    working days of receipt)."""
    if replied_on > _today():
        raise ValidationError({"replied_on": msg.DAY_IN_FUTURE})
    if replied_on < request.received_on:
        raise ValidationError({"replied_on": msg.ANSWER_BEFORE_REQUEST})
    with transaction.atomic():
        request = locked_open(actor, request, None)
        if request.first_reply_on is not None:
            raise ValidationError(msg.ALREADY_REPLIED)
        request.first_reply_on = replied_on
        conflicts.save_new_version(request, ["first_reply_on"])
        event_record(actor=actor, action=Action.UPDATE, obj=request, unit=request.unit,
                     fields=["first_reply_on"])
    return request


def request_extend(*, actor: User, request: SubjectRequest, base_version: int | None,
                   reason: str) -> SubjectRequest:
    """Extend the deadline once, by what the decree allows for the request's kind; the reason
    is what the requester is told."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"extension_reason": msg.REASON_REQUIRED})
    with transaction.atomic():
        request = locked_open(actor, request, base_version,
                               {"extension_reason": reason})
        if request.extended_at is not None:
            raise ValidationError(msg.ALREADY_EXTENDED)
        if request.status != Status.RECEIVED:
            raise ValidationError(msg.EXTEND_BEFORE_DECISION)
        request.due_on = deadlines.extended(request.kind, request.due_on)
        request.extended_at = timezone.now()
        request.extension_reason = reason
        conflicts.save_new_version(request, ["due_on", "extended_at", "extension_reason"])
        event_record(actor=actor, action=Action.UPDATE, obj=request, unit=request.unit,
                     fields=["due_on", "extension_reason"])
    return request


def correction_apply(*, actor: User, request: SubjectRequest, field: str, value: Any,
                     child_version: int | None) -> Correction:
    """Correct one field of the child as the request asks, through the register's service (its
    version check, history and audit); the value that was wrong is kept on the request."""
    if request.kind != RequestKind.CORRECT:
        raise ValidationError(msg.NOT_A_CORRECTION)
    if field not in CORRECTABLE:
        raise ValidationError({"field": msg.CHOICE_UNKNOWN})
    with transaction.atomic():
        request = locked_open(actor, request, None)
        if request.decision == Decision.REFUSED:
            raise ValidationError(msg.REFUSED_NO_CORRECTION)
        child = request.child
        old = _text(getattr(child, field))
        changed = registry.child_update(actor=actor, child=child, base_version=child_version,
                                        **{field: value})
        new = _text(getattr(changed, field))
        if old == new:
            raise ValidationError({"value": msg.SAME_VALUE})
        correction = Correction.objects.create(request=request, field=field, old_value=old,
                                               new_value=new, applied_by=actor)
        event_record(actor=actor, action=Action.UPDATE, obj=request, unit=request.unit,
                     fields=["corrections"], reason=field)
    return correction


def _text(value: Any) -> str:
    if isinstance(value, Ethnicity):
        return value.name
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


def request_decide(*, actor: User, request: SubjectRequest, base_version: int | None,
                   decision: str, refusal_ground: str = "", reason: str = "") -> SubjectRequest:
    """Decide a request. A refusal, whole or in part, names its legal ground and a reason the
    requester will read."""
    errors: dict[str, Any] = {}
    if decision not in Decision.values:
        errors["decision"] = msg.CHOICE_UNKNOWN
    reason = reason.strip()
    if decision in (Decision.REFUSED, Decision.PARTLY):
        if refusal_ground not in RefusalGround.values:
            errors["refusal_ground"] = msg.GROUND_REQUIRED
        if not reason:
            errors["decision_reason"] = msg.REASON_REQUIRED
    elif refusal_ground:
        errors["refusal_ground"] = msg.GROUND_ONLY_ON_REFUSAL
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        request = locked_open(actor, request, base_version,
                               {"decision": decision, "decision_reason": reason})
        if (decision == Decision.GRANTED and request.kind == RequestKind.CORRECT
                and not request.corrections.exists()):
            raise ValidationError({"decision": msg.GRANTED_WITHOUT_CORRECTION})
        request.decision = decision
        request.refusal_ground = refusal_ground if decision != Decision.GRANTED else ""
        request.decision_reason = reason
        request.decided_at = timezone.now()
        request.decided_by = actor
        request.status = Status.DECIDED
        conflicts.save_new_version(request, ["decision", "refusal_ground", "decision_reason",
                                             "decided_at", "decided_by", "status"])
        event_record(actor=actor, action=Action.UPDATE, obj=request, unit=request.unit,
                     fields=["decision"], reason=decision)
    return request


GRANTING = (Decision.GRANTED, Decision.PARTLY)


def must_carry_out(request: SubjectRequest) -> bool:
    """Whether the answer to `request` waits for a change on the register: a restriction, a
    deletion or a withdrawal of consents granted (treem.privacy.requests.carrying) and not yet
    made."""
    if request.decision not in GRANTING or request.carried_out_at is not None:
        return False
    if request.kind == RequestKind.WITHDRAW:
        # Nothing to withdraw when no consent of the child stands (nothing rests on one).
        return ChildConsent.objects.standing().filter(child_id=request.child_id).exists()
    return request.kind in (RequestKind.RESTRICT, RequestKind.DELETE)


def request_answer(*, actor: User, request: SubjectRequest, base_version: int | None,
                   answered_on: datetime.date, channel: str, note: str) -> SubjectRequest:
    """Record the answer sent to the requester: the request is then closed."""
    errors: dict[str, Any] = {}
    if channel not in AnswerChannel.values:
        errors["answer_channel"] = msg.CHOICE_UNKNOWN
    if answered_on > _today():
        errors["answered_on"] = msg.DAY_IN_FUTURE
    elif answered_on < request.received_on:
        errors["answered_on"] = msg.ANSWER_BEFORE_REQUEST
    note = note.strip()
    if not note:
        errors["answer_note"] = msg.REQUIRED
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        request = locked_open(actor, request, base_version,
                               {"answer_channel": channel, "answer_note": note})
        if request.status != Status.DECIDED:
            raise ValidationError(msg.DECIDE_FIRST)
        if (request.kind in (RequestKind.KNOW, RequestKind.ACCESS)
                and request.decision != Decision.REFUSED and request.exported_at is None):
            raise ValidationError(msg.EXPORT_FIRST)
        if must_carry_out(request):
            raise ValidationError(msg.CARRY_OUT_FIRST)
        request.answered_on = answered_on
        request.answer_channel = channel
        request.answer_note = note
        request.status = Status.ANSWERED
        conflicts.save_new_version(request, ["answered_on", "answer_channel", "answer_note",
                                             "status"])
        event_record(actor=actor, action=Action.UPDATE, obj=request, unit=request.unit,
                     fields=["answer"])
    return request


def export_recorded(*, actor: User, request: SubjectRequest, cases: list[str],
                    kind: str) -> SubjectRequest:
    """Note on the request that "what treem holds" was exported for it, with the cases the
    officer judged the requester may know of; audited as an export of the child's record."""
    if request.kind not in (RequestKind.KNOW, RequestKind.ACCESS):
        raise ValidationError(msg.NOT_AN_ACCESS)
    with transaction.atomic():
        request = locked_open(actor, request, None)
        if request.decision == Decision.REFUSED:
            raise ValidationError(msg.REFUSED_NO_EXPORT)
        request.exported_at = timezone.now()
        request.exported_cases = cases
        request.save(update_fields=["exported_at", "exported_cases"])
        event_record(actor=actor, action=Action.EXPORT, obj=request.child, unit=request.unit,
                     fields=["subject_export", kind], reason=str(request.public_id))
    return request


ANONYMOUS_REQUESTER = "Đã ẩn danh"


def requests_anonymise(*, child: Child) -> int:
    """At the end of the child's retention (called by the retention review, which audits it):
    the requests about the child keep their kind, dates and decision (what the controller
    must be able to show it did), not who asked nor the values corrected."""
    requests = SubjectRequest.objects.filter(child=child)
    Correction.objects.filter(request__in=requests).update(old_value="", new_value="")
    return requests.update(requester_name=ANONYMOUS_REQUESTER, requester_contact="",
                           identity_note="", details="")

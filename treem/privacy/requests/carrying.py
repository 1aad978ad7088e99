"""Carrying out a granted request on the register: a restriction of processing (the record
then read only by the roles named), an objection met the same way, a deletion (the child's
identifying fields erased as at the end of its retention, what indicators count kept), or a
withdrawal of consents (what rested on them hidden). The answer to a granted restriction,
deletion or withdrawal waits until it is carried out."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from treem.accounts.capabilities import Capability
from treem.accounts.models import User
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.edits import conflicts
from treem.privacy.models import RequestKind, Status, SubjectRequest
from treem.privacy.requests import messages as msg
from treem.privacy.requests.services import GRANTING, locked_open
from treem.registry import restriction
from treem.registry.anonymise import child_anonymise
from treem.registry.consent import services as consents
from treem.registry.models import ChildConsent, ChildRestriction

RESTRICTING = (RequestKind.RESTRICT, RequestKind.OBJECT)


def basis_of(request: SubjectRequest) -> str:
    return f"privacy-request:{request.public_id}"


def _granted(actor: User, request: SubjectRequest, kinds: Iterable[str]) -> SubjectRequest:
    locked = locked_open(actor, request, None)
    if locked.kind not in kinds:
        raise ValidationError(msg.NOT_THIS_KIND)
    if locked.status != Status.DECIDED or locked.decision not in GRANTING:
        raise ValidationError(msg.GRANT_FIRST)
    return locked


def _carried_out(actor: User, request: SubjectRequest, field: str, reason: str) -> None:
    request.carried_out_at = timezone.now()
    request.carried_out_by = actor
    conflicts.save_new_version(request, ["carried_out_at", "carried_out_by"])
    event_record(actor=actor, action=Action.UPDATE, obj=request, unit=request.unit,
                 fields=[field], reason=reason)


def request_restrict(*, actor: User, request: SubjectRequest, roles: Iterable[str],
                     reason: str) -> ChildRestriction:
    """Restrict the child's record to `roles`, for a granted request to restrict (or an
    objection granted)."""
    with transaction.atomic():
        locked = _granted(actor, request, RESTRICTING)
        made = restriction.restriction_apply(actor=actor, child=locked.child, roles=roles,
                                             reason=reason, basis=basis_of(locked))
        _carried_out(actor, locked, "restriction", made.reason)
    return made


def request_lift_restriction(*, actor: User, request: SubjectRequest,
                             reason: str) -> ChildRestriction:
    """Lift the restriction this request set (the requester withdrew it, or its reason has
    ended). Allowed after the answer too: the request is closed, the restriction is not."""
    restriction.require_handler(actor, request.child)
    active = restriction_of(request)
    if active is None:
        raise ValidationError(msg.NOT_RESTRICTED)
    with transaction.atomic():
        lifted = restriction.restriction_lift(actor=actor, restriction=active, reason=reason)
        event_record(actor=actor, action=Action.UPDATE, obj=request, unit=request.unit,
                     fields=["restriction_lifted"], reason=lifted.lift_reason)
    return lifted


def request_erase(*, actor: User, request: SubjectRequest) -> SubjectRequest:
    """Erase the child's identifying fields for a granted deletion: the register's
    anonymisation with its caregivers' rows deleted, audited on the child and the request."""
    with transaction.atomic():
        locked = _granted(actor, request, (RequestKind.DELETE,))
        if locked.carried_out_at is not None:
            raise ValidationError(msg.ALREADY_CARRIED_OUT)
        child_anonymise(actor=actor, child=locked.child, erase=True,
                        reason=basis_of(locked), capability=Capability.HANDLE_DATA_REQUESTS)
        _carried_out(actor, locked, "erased", basis_of(locked))
    return locked


def restriction_of(request: SubjectRequest) -> ChildRestriction | None:
    """The active restriction this request set, if any."""
    return (ChildRestriction.objects.active()
            .filter(child_id=request.child_id, basis=basis_of(request)).first())


def consents_to_withdraw(request: SubjectRequest) -> list[ChildConsent]:
    """The child's consents still standing, for a request to withdraw them."""
    return list(ChildConsent.objects.standing().filter(child_id=request.child_id)
                .order_by("-given_on", "-id"))


def request_withdraw_consents(*, actor: User, request: SubjectRequest,
                              consent_ids: Iterable[str]) -> list[ChildConsent]:
    """Withdraw the consents the requester took back, as of the day they asked (what was
    published under them is hidden from then on; the register audits each)."""
    wanted = {str(consent_id) for consent_id in consent_ids}
    if not wanted:
        raise ValidationError({"consents": msg.CONSENTS_REQUIRED})
    with transaction.atomic():
        locked = _granted(actor, request, (RequestKind.WITHDRAW,))
        standing = [c for c in consents_to_withdraw(locked) if str(c.public_id) in wanted]
        if len(standing) != len(wanted):
            raise ValidationError({"consents": msg.CONSENT_UNKNOWN})
        withdrawn = [consents.consent_withdraw(
            actor=actor, consent=consent, base_version=None,
            withdrawn_on=max(locked.received_on, consent.given_on),
            note=msg.WITHDRAWN_BY_REQUEST % {"ref": str(locked.public_id)[:8]})
            for consent in standing]
        _carried_out(actor, locked, "consents", ", ".join(sorted(wanted)))
    return withdrawn

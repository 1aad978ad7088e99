"""Allocations and deliveries: the fund's money or goods reserved for an approved need, then
handed over with proof.

An allocation moves its amount from `available` to `allocated` at once, whether or not it
waits for the approver (above the fund's threshold), so that the money cannot be promised
twice; a cancelled or refused one moves it back; a delivery moves it to `disbursed`. All of it
happens under the fund's row lock, after which the earmark's balance and the
double-beneficiary check are read: two officers allocating the last money of an earmark, or
two supports to one child, at the same moment cannot both succeed."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from treem.accounts.capabilities import Capability
from treem.accounts.models import User
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.fund import exceptions as exc
from treem.fund.beneficiaries import DoubleBeneficiary, describe, overlaps
from treem.fund.matching import fits
from treem.fund.models import (
    Account,
    Allocation,
    AllocationStatus,
    Beneficiary,
    Delivery,
    DeliveryProof,
    JournalKind,
    Need,
    NeedStatus,
    ProofKind,
)
from treem.fund.services import (
    Bucket,
    Line,
    bucket_balance,
    checked_amount,
    lock,
    post,
    require_manager,
)
from treem.registry.consent.selectors import consent_required
from treem.registry.models import ConsentPurpose
from treem.ui import uploads

REASON_MIN = 10
MAX_PROOFS = 5


@transaction.atomic
def allocate(*, actor: User, need: Need, bucket: Bucket, amount: int = 0, quantity: int = 0,
             override_reason: str = "") -> Allocation:
    """Money (`amount`) or goods of a lot (`quantity`, valued at their share of what is left
    of the lot) of one bucket for an approved need."""
    fund = need.fund
    require_manager(actor, fund)
    restriction = bucket.restriction
    if restriction.fund_id != fund.pk or any(
            part is not None and part.fund_id != fund.pk for part in (bucket.campaign, bucket.lot)):
        raise ValidationError({"restriction": exc.RESTRICTION_OF_ANOTHER_FUND})
    fund = lock(fund)
    need = Need.objects.select_related("kind", "child", "household", "commune").get(pk=need.pk)
    if need.status != NeedStatus.APPROVED:
        raise ValidationError({"need": exc.NEED_NOT_APPROVED})
    if not fits(restriction, need):
        raise ValidationError({"restriction": exc.RESTRICTION_DOES_NOT_FIT % {
            "restriction": str(restriction)}})
    held, held_quantity = bucket_balance(fund, bucket)
    if bucket.lot is not None:
        if type(quantity) is not int or not 0 < quantity <= held_quantity:
            raise ValidationError({"quantity": exc.OVER_QUANTITY % {
                "left": held_quantity, "measure": bucket.lot.measure}})
        # The share of what is left: the last items take the remainder, nothing drifts.
        amount = held * quantity // held_quantity
        if amount <= 0:
            raise ValidationError({"quantity": exc.QUANTITY_INVALID})
    else:
        quantity = 0
        checked_amount(amount)
        if amount > held:
            raise ValidationError({"amount": exc.OVER_BALANCE % {
                "restriction": str(restriction), "balance": held, "amount": amount}})
    given = (need.allocations.exclude(status=AllocationStatus.CANCELLED)
             .aggregate(total=Sum("amount"))["total"] or 0)
    if given + amount > need.amount:
        raise ValidationError({"amount": exc.OVER_NEED % {"need": need.amount, "given": given}})
    start, end = datetime.date(need.year, 1, 1), datetime.date(need.year, 12, 31)
    household = need.household if need.beneficiary == Beneficiary.HOUSEHOLD else None
    found = overlaps(kind=need.kind, start=start, end=end, child=need.child,
                     household=household, need=need)
    override_reason = " ".join(override_reason.split())[:500]
    if found and len(override_reason) < REASON_MIN:
        raise DoubleBeneficiary(found)
    status = (AllocationStatus.AWAITING_APPROVAL if amount > fund.approval_threshold
              else AllocationStatus.APPROVED)
    journal = post(actor=actor, fund=fund, kind=JournalKind.ALLOCATION,
                   day=timezone.localdate(),
                   lines=[Line(bucket, Account.AVAILABLE, -amount, -quantity),
                          Line(bucket, Account.ALLOCATED, amount, quantity)])
    allocation = Allocation.objects.create(
        fund=fund, need=need, restriction=restriction, campaign=bucket.campaign,
        lot=bucket.lot, amount=amount, quantity=quantity, child=need.child,
        household=household, kind=need.kind, period_start=start, period_end=end,
        commune=need.commune, unit_path=need.unit_path, status=status, journal=journal,
        override_reason=override_reason if found else "", created_by=actor)
    event_record(actor=actor, action=Action.CREATE, obj=allocation, unit=need.commune,
                 fields=["need", "amount", "quantity", "status"],
                 reason=allocation.override_reason)
    if found:
        # A second support given anyway is its own event, with the overlaps it was shown.
        event_record(actor=actor, action=Action.UPDATE, obj=allocation, unit=need.commune,
                     fields=["override_reason"],
                     reason=f"{override_reason} | {describe(found)}"[:1000])
    return allocation


def _release(*, actor: User, allocation: Allocation, reason: str) -> None:
    bucket = Bucket(allocation.restriction, allocation.campaign, allocation.lot)
    allocation.release = post(
        actor=actor, fund=allocation.fund, kind=JournalKind.RELEASE, day=timezone.localdate(),
        reason=reason, lines=[Line(bucket, Account.ALLOCATED, -allocation.amount,
                                   -allocation.quantity),
                              Line(bucket, Account.AVAILABLE, allocation.amount,
                                   allocation.quantity)])
    allocation.status, allocation.cancel_reason = AllocationStatus.CANCELLED, reason


def _locked(allocation: Allocation) -> Allocation:
    lock(allocation.fund)
    return (Allocation.objects.select_related("fund", "restriction", "campaign", "lot",
                                              "commune").get(pk=allocation.pk))


def _reason(reason: str) -> str:
    reason = " ".join(reason.split())
    if len(reason) < REASON_MIN:
        raise ValidationError({"reason": exc.REASON_TOO_SHORT % {"n": REASON_MIN}})
    return reason[:500]


@transaction.atomic
def allocation_decide(*, actor: User, allocation: Allocation, approve: bool,
                      reason: str = "") -> Allocation:
    """The approver's decision on an allocation above the threshold; never the allocation's
    own maker's. A refusal gives the money back to its bucket."""
    allocation = _locked(allocation)
    if not actor.in_scope(allocation.fund.unit_path,
                          capability=Capability.APPROVE_ALLOCATIONS):
        raise PermissionDenied(exc.OUT_OF_SCOPE)
    if allocation.created_by_id == actor.pk:
        raise PermissionDenied(exc.OWN_ALLOCATION)
    if allocation.status != AllocationStatus.AWAITING_APPROVAL:
        raise ValidationError({"allocation": exc.ALLOCATION_NOT_AWAITING})
    if approve:
        allocation.status = AllocationStatus.APPROVED
    else:
        _release(actor=actor, allocation=allocation, reason=_reason(reason))
    allocation.decided_by, allocation.decided_at = actor, timezone.now()
    allocation.save(update_fields=["status", "decided_by", "decided_at", "release",
                                   "cancel_reason"])
    event_record(actor=actor, action=Action.UPDATE, obj=allocation, unit=allocation.commune,
                 fields=["status"], reason=reason.strip())
    return allocation


@transaction.atomic
def allocation_cancel(*, actor: User, allocation: Allocation, reason: str) -> Allocation:
    """An allocation not yet delivered, cancelled by the fund manager: its money or goods go
    back to their bucket."""
    allocation = _locked(allocation)
    require_manager(actor, allocation.fund)
    if allocation.status not in (AllocationStatus.AWAITING_APPROVAL, AllocationStatus.APPROVED):
        raise ValidationError({"allocation": exc.ALLOCATION_NOT_CANCELLABLE})
    _release(actor=actor, allocation=allocation, reason=_reason(reason))
    allocation.save(update_fields=["status", "release", "cancel_reason"])
    event_record(actor=actor, action=Action.UPDATE, obj=allocation, unit=allocation.commune,
                 fields=["status"], reason=allocation.cancel_reason)
    return allocation


@dataclass(frozen=True)
class Proof:
    kind: str
    data: bytes
    name: str


def may_deliver(actor: User, allocation: Allocation) -> bool:
    return actor.in_scope(allocation.unit_path, capability=Capability.RECORD_DELIVERIES)


@transaction.atomic
def delivery_record(*, actor: User, allocation: Allocation, delivered_on: datetime.date,
                    proofs: list[Proof], note: str = "") -> Delivery:
    """The support handed over, with at least one proof (a signed receipt or a photo): the
    commune's officer of the beneficiary's commune, or the fund's manager."""
    if not may_deliver(actor, allocation):
        raise PermissionDenied(exc.NEED_OUT_OF_SCOPE)
    allocation = _locked(allocation)
    errors: dict[str, Any] = {}
    if allocation.status == AllocationStatus.CANCELLED:
        raise ValidationError({"allocation": exc.DELIVERY_CANCELLED})
    if allocation.status == AllocationStatus.AWAITING_APPROVAL:
        raise ValidationError({"allocation": exc.DELIVERY_NOT_APPROVED})
    if allocation.status == AllocationStatus.DELIVERED:
        raise ValidationError({"allocation": exc.ALREADY_DELIVERED})
    if delivered_on > timezone.localdate():
        errors["delivered_on"] = exc.DAY_IN_FUTURE
    elif delivered_on < timezone.localtime(allocation.created_at).date():
        errors["delivered_on"] = exc.DELIVERY_BEFORE_ALLOCATION
    if not proofs:
        errors["proofs"] = exc.PROOF_REQUIRED
    elif len(proofs) > MAX_PROOFS:
        errors["proofs"] = exc.TOO_MANY_PROOFS % {"n": MAX_PROOFS}
    elif any(proof.kind not in ProofKind.values for proof in proofs):
        errors["proofs"] = exc.CHOICE_UNKNOWN
    note = " ".join(note.split())
    if len(note) > 500:
        errors["note"] = exc.TEXT_TOO_LONG % {"n": 500}
    if errors:
        raise ValidationError(errors)
    checked = [(proof.kind, uploads.check(data=proof.data, name=proof.name))
               for proof in proofs]
    consent = None
    child = allocation.child
    if child is not None and any(p.kind == ProofKind.PHOTO for p in proofs):
        # A photo of a child handed support is published to whoever reads the fund: it rests
        # on a consent (Luật 91/2025/QH15 Điều 24 khoản 2), valid on the day of the photo.
        consent = consent_required(child=child, purpose=ConsentPurpose.PHOTO_EVIDENCE,
                                   on=delivered_on, field="proofs")
    bucket = Bucket(allocation.restriction, allocation.campaign, allocation.lot)
    journal = post(actor=actor, fund=allocation.fund, kind=JournalKind.DELIVERY,
                   day=delivered_on,
                   lines=[Line(bucket, Account.ALLOCATED, -allocation.amount,
                               -allocation.quantity),
                          Line(bucket, Account.DISBURSED, allocation.amount,
                               allocation.quantity)])
    delivery = Delivery.objects.create(allocation=allocation, delivered_on=delivered_on,
                                       note=note, journal=journal, recorded_by=actor)
    for kind, file in checked:
        proof = DeliveryProof(delivery=delivery, kind=kind, name=file.name,
                              content_type=file.content_type, size=len(file.content),
                              uploaded_by=actor,
                              consent=consent if kind == ProofKind.PHOTO else None)
        proof.file.save(file.name, ContentFile(file.content), save=False)
        proof.save()
    allocation.status = AllocationStatus.DELIVERED
    allocation.save(update_fields=["status"])
    event_record(actor=actor, action=Action.CREATE, obj=delivery, unit=allocation.commune,
                 fields=["delivered_on", "proofs"])
    return delivery

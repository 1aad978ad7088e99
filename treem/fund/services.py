"""Every write of the fund's ledger: one transaction a call, a balanced journal of postings,
audited; bad input is a ValidationError in Vietnamese and nothing is written.

Money leaves a restriction (a return, and later an allocation) only under the fund's row
lock, so that two officers spending the last đồng of a restriction at once cannot both
succeed: the second waits, then sees the first's postings."""

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from treem.accounts.capabilities import Capability
from treem.accounts.models import User
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.fund import balances
from treem.fund import exceptions as exc
from treem.fund.models import (
    Account,
    Campaign,
    Channel,
    Criterion,
    Donor,
    DonorKind,
    Fund,
    GoodsLot,
    Journal,
    JournalKind,
    Pledge,
    PledgeStatus,
    Posting,
    PriorityRule,
    Receipt,
    Restriction,
    RestrictionKind,
)
from treem.geo.models import Unit
from treem.lib.text import fold

MAX_AMOUNT = 1_000_000_000_000  # 1,000 billion đồng: above any gift a province receives


def require_manager(actor: User, fund: Fund) -> None:
    if not actor.in_scope(fund.unit_path, capability=Capability.MANAGE_FUND):
        raise PermissionDenied(exc.OUT_OF_SCOPE)


def checked_amount(value: Any) -> int:
    if type(value) is not int or not 0 < value <= MAX_AMOUNT:
        raise ValidationError({"amount": exc.AMOUNT_INVALID})
    return value


def lock(fund: Fund) -> Fund:
    return Fund.objects.select_for_update().get(pk=fund.pk)


def unrestricted(fund: Fund) -> Restriction:
    restriction, _created = Restriction.objects.get_or_create(
        fund=fund, key="unrestricted", defaults={"kind": RestrictionKind.UNRESTRICTED})
    return restriction


@dataclass(frozen=True)
class Bucket:
    """Where money or goods sit: an earmark, the campaign that raised them, the goods lot."""

    restriction: Restriction
    campaign: Campaign | None = None
    lot: GoodsLot | None = None


@dataclass(frozen=True)
class Line:
    bucket: Bucket
    account: str
    amount: int
    quantity: int = 0


def balance(fund: Fund, restriction: Restriction, account: str = Account.AVAILABLE, *,
            campaign: Campaign | None = None, lot: GoodsLot | None = None) -> int:
    """The đồng in one bucket's account (the campaign and lot as given, None for none)."""
    return bucket_balance(fund, Bucket(restriction, campaign, lot), account)[0]


def bucket_balance(fund: Fund, bucket: Bucket, account: str = Account.AVAILABLE
                   ) -> tuple[int, int]:
    """(đồng, quantity) in one bucket's account."""
    found = balances.sums(fund, by=("account",), where=Q(
        restriction=bucket.restriction, campaign=bucket.campaign, lot=bucket.lot,
        account=account))
    return found.get((account,), (0, 0))


def post(*, actor: User, fund: Fund, kind: str, day: datetime.date, lines: list[Line],
         reason: str = "", reverses: Journal | None = None) -> Journal:
    """A journal and its postings (the callers hold the fund's lock when money leaves)."""
    journal = open_journal(actor=actor, fund=fund, kind=kind, day=day, reason=reason,
                           reverses=reverses)
    add_postings(actor=actor, journal=journal, lines=lines)
    return journal


def open_journal(*, actor: User, fund: Fund, kind: str, day: datetime.date, reason: str = "",
                 reverses: Journal | None = None) -> Journal:
    """A journal without its postings yet: for a goods lot, which names its journal and is
    named by its postings. `add_postings` must follow in the same transaction."""
    balances.hold_for_posting(fund)  # before the journal's id is drawn: see `balances`
    return Journal.objects.create(fund=fund, kind=kind, day=day, reason=reason,
                                  reverses=reverses, created_by=actor)


def add_postings(*, actor: User, journal: Journal, lines: list[Line]) -> None:
    if sum(line.amount for line in lines) != 0 or sum(line.quantity for line in lines) != 0:
        raise AssertionError("a journal's postings must add up to zero")
    fund = journal.fund
    Posting.objects.bulk_create([  # under the lock `open_journal` took
        Posting(journal=journal, fund=fund, restriction=line.bucket.restriction,
                campaign=line.bucket.campaign, lot=line.bucket.lot, account=line.account,
                amount=line.amount, quantity=line.quantity) for line in lines])
    event_record(actor=actor, action=Action.CREATE, obj=journal, unit=fund.unit,
                 fields=["postings"], reason=journal.reason)


def check_gift_links(*, fund: Fund, donor: Donor, campaign: Campaign | None,
                     pledge: Pledge | None) -> None:
    """A gift's campaign and pledge are the fund's, and the pledge is this donor's, open."""
    if campaign is not None and campaign.fund_id != fund.pk:
        raise ValidationError({"campaign": exc.CAMPAIGN_OF_ANOTHER_FUND})
    if pledge is not None and (pledge.fund_id != fund.pk or pledge.donor_id != donor.pk):
        raise ValidationError({"pledge": exc.PLEDGE_OF_ANOTHER_DONOR})
    if pledge is not None and pledge.status != PledgeStatus.OPEN:
        raise ValidationError({"pledge": exc.PLEDGE_CLOSED})


# The rules a new fund starts with (Hải Phòng's plan: children in special circumstances, poor
# and near-poor households, mountain communes; an open protection case first). Points are data:
# the fund manager changes them.
DEFAULT_RULES = [
    (Criterion.OPEN_CASE, 50),
    (Criterion.SPECIAL_CIRCUMSTANCE, 40),
    (Criterion.POOR_HOUSEHOLD, 30),
    (Criterion.MOUNTAIN_COMMUNE, 20),
    (Criterion.NEAR_POOR_HOUSEHOLD, 15),
]


def _default_rules(fund: Fund) -> None:
    PriorityRule.objects.bulk_create([PriorityRule(fund=fund, criterion=criterion, points=points)
                                      for criterion, points in DEFAULT_RULES])


@transaction.atomic
def fund_open(*, actor: User | None, unit: Unit, name: str) -> Fund:
    """The fund of `unit` (a system's own set-up: by the administrator or a command); a unit
    dissolved in the 2025 reorganisation has none (its successor's fund takes over)."""
    if unit.valid_to is not None:
        raise ValidationError({"unit": exc.UNIT_DISSOLVED})
    fund = Fund.objects.create(unit=unit, unit_path=unit.path, name=name.strip())
    unrestricted(fund)
    _default_rules(fund)
    return fund


TAX_CODE = re.compile(r"\d{10}(-\d{3})?")  # a business's 10 digits, a branch's -3 more
PHONE = re.compile(r"0\d{9,10}")
SIMILAR_NAME = 85  # rapidfuzz token-sort ratio of folded names: word order and accents aside


def phone_digits(phone: str) -> str:
    """A phone number as its digits, "+84 91…" and "091…" alike."""
    digits = re.sub(r"\D", "", phone)
    return "0" + digits[2:] if digits.startswith("84") and len(digits) in (11, 12) else digits


def similar_donors(*, fund: Fund, name: str, phone: str) -> list[Donor]:
    """Donors of `fund` with the same phone and a similar name: likely the same giver."""
    from rapidfuzz import fuzz

    digits = phone_digits(phone)
    if not digits:
        return []
    folded = fold(name)
    return [donor for donor in Donor.objects.filter(fund=fund, phone=digits).order_by("id")
            if fuzz.token_sort_ratio(folded, donor.name_folded) >= SIMILAR_NAME]


@transaction.atomic
def donor_create(*, actor: User, fund: Fund, kind: str, name: str, tax_code: str = "",
                 phone: str = "", named_publicly: bool = False,
                 distinct_from_similar: bool = False) -> Donor:
    """A donor of the fund. One already there is caught on entry: the same tax code is
    refused; the same phone with a similar name is refused until the officer confirms it is
    someone else (`distinct_from_similar`)."""
    require_manager(actor, fund)
    errors: dict[str, Any] = {}
    name, tax_code, digits = " ".join(name.split()), tax_code.strip(), phone_digits(phone)
    if kind not in DonorKind.values:
        errors["kind"] = exc.CHOICE_UNKNOWN
    if not name or len(name) > 200:
        errors["name"] = exc.DONOR_NAME_REQUIRED
    if tax_code and not TAX_CODE.fullmatch(tax_code):
        errors["tax_code"] = exc.TAX_CODE_INVALID
    if phone.strip() and not PHONE.fullmatch(digits):
        errors["phone"] = exc.PHONE_INVALID
    if errors:
        raise ValidationError(errors)
    same = Donor.objects.filter(fund=fund, tax_code=tax_code).first() if tax_code else None
    if same is not None:
        raise ValidationError({"tax_code": exc.TAX_CODE_TAKEN % {"name": same.name}})
    similar = similar_donors(fund=fund, name=name, phone=digits)
    if similar and not distinct_from_similar:
        raise ValidationError({"name": exc.DONOR_SIMILAR % {
            "names": "; ".join(donor.name for donor in similar)}})
    donor = Donor.objects.create(fund=fund, kind=kind, name=name, name_folded=fold(name),
                                 tax_code=tax_code, phone=digits,
                                 named_publicly=named_publicly, created_by=actor)
    event_record(actor=actor, action=Action.CREATE, obj=donor, unit=fund.unit,
                 fields=["kind", "name", "tax_code", "phone", "named_publicly"])
    return donor


@transaction.atomic
def receipt_record(*, actor: User, fund: Fund, donor: Donor, amount: int,
                   received_on: datetime.date, channel: str, receipt_number: str = "",
                   bank_reference: str = "", restriction: Restriction | None = None,
                   campaign: Campaign | None = None, pledge: Pledge | None = None) -> Receipt:
    """Money received: into `available`, under the donor's restriction (none: unrestricted)."""
    require_manager(actor, fund)
    amount = checked_amount(amount)
    if donor.fund_id != fund.pk:
        raise ValidationError({"donor": exc.DONOR_OF_ANOTHER_FUND})
    if restriction is not None and restriction.fund_id != fund.pk:
        raise ValidationError({"restriction": exc.RESTRICTION_OF_ANOTHER_FUND})
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": exc.DAY_IN_FUTURE})
    receipt_number, bank_reference = receipt_number.strip(), bank_reference.strip()
    if channel == Channel.CASH and not receipt_number:
        raise ValidationError({"receipt_number": exc.RECEIPT_NUMBER_REQUIRED})
    if channel == Channel.BANK and not bank_reference:
        raise ValidationError({"bank_reference": exc.BANK_REFERENCE_REQUIRED})
    taken = exc.BANK_REFERENCE_TAKEN % {"reference": bank_reference}
    if bank_reference and Receipt.objects.filter(fund=fund,
                                                 bank_reference=bank_reference).exists():
        raise ValidationError({"bank_reference": taken})
    check_gift_links(fund=fund, donor=donor, campaign=campaign, pledge=pledge)
    bucket = Bucket(restriction or (pledge.restriction if pledge else unrestricted(fund)),
                    campaign or (pledge.campaign if pledge else None))
    journal = post(actor=actor, fund=fund, kind=JournalKind.RECEIPT, day=received_on,
                   lines=[Line(bucket, Account.AVAILABLE, amount),
                          Line(bucket, Account.DONATIONS, -amount)])
    try:
        with transaction.atomic():  # the same reference saved at this moment by another
            return Receipt.objects.create(fund=fund, donor=donor, journal=journal,
                                          amount=amount, channel=channel,
                                          receipt_number=receipt_number,
                                          bank_reference=bank_reference,
                                          received_on=received_on, pledge=pledge)
    except IntegrityError as error:
        raise ValidationError({"bank_reference": taken}) from error


@transaction.atomic
def money_return(*, actor: User, fund: Fund, restriction: Restriction, amount: int,
                 day: datetime.date, reason: str, campaign: Campaign | None = None
                 ) -> Journal:
    """Money given back to a donor (a gift that cannot be used as it was earmarked)."""
    require_manager(actor, fund)
    amount = checked_amount(amount)
    if day > timezone.localdate():
        raise ValidationError({"day": exc.DAY_IN_FUTURE})
    if not reason.strip():
        raise ValidationError({"reason": exc.REASON_REQUIRED})
    if restriction.fund_id != fund.pk:
        raise ValidationError({"restriction": exc.RESTRICTION_OF_ANOTHER_FUND})
    fund = lock(fund)
    bucket = Bucket(restriction, campaign)
    left = bucket_balance(fund, bucket)[0]
    if amount > left:
        raise ValidationError({"amount": exc.OVER_BALANCE % {
            "restriction": str(restriction), "balance": left, "amount": amount}})
    return post(actor=actor, fund=fund, kind=JournalKind.RETURN, day=day,
                reason=reason.strip(),
                lines=[Line(bucket, Account.AVAILABLE, -amount),
                       Line(bucket, Account.RETURNED, amount)])


@transaction.atomic
def journal_reverse(*, actor: User, journal: Journal, reason: str) -> Journal:
    """A mistake corrected: the same postings with the opposite signs, and the reason. Never
    when the money it brought in has been spent since (a balance would go below zero)."""
    fund = journal.fund
    require_manager(actor, fund)
    if not reason.strip():
        raise ValidationError({"reason": exc.REASON_REQUIRED})
    fund = lock(fund)
    journal = Journal.objects.get(pk=journal.pk)
    if journal.kind == JournalKind.REVERSAL:
        raise ValidationError({"journal": exc.REVERSAL_NOT_REVERSIBLE})
    if journal.kind not in (JournalKind.RECEIPT, JournalKind.GOODS, JournalKind.RETURN):
        # An allocation is undone by cancelling it, a delivery is a fact: neither reversed.
        raise ValidationError({"journal": exc.REVERSAL_KIND})
    if Journal.objects.filter(reverses=journal).exists():
        raise ValidationError({"journal": exc.ALREADY_REVERSED})
    lines = [Line(Bucket(p.restriction, p.campaign, p.lot), p.account, -p.amount, -p.quantity)
             for p in journal.postings.select_related("restriction", "campaign", "lot")]
    for line in lines:
        if line.account != Account.AVAILABLE:
            continue
        amount, quantity = bucket_balance(fund, line.bucket)
        if amount + line.amount < 0 or quantity + line.quantity < 0:
            raise ValidationError({"journal": exc.REVERSAL_OVER_BALANCE % {
                "restriction": str(line.bucket.restriction)}})
    return post(actor=actor, fund=fund, kind=JournalKind.REVERSAL, day=timezone.localdate(),
                 reason=reason.strip(), lines=lines, reverses=journal)

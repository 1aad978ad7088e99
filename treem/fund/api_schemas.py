"""The shapes of the fund's API (`treem.fund.api`, `api_ledger`, `api_needs`): what each answer
holds and what each write takes. Money is always a JSON integer of đồng (never a float or a
string: a 422); an earmark written by a gift is named by what it is for (`RestrictionIn`), one
already held by its `id` (from the fund's balances or holdings). Objects are named by their
public ids (`id`), read through their relations (`ref`)."""

import datetime
import uuid
from typing import Annotated, Any

from ninja import Field, Schema

from treem.api_support import BodyBool, Day, ErrorOut, Input, Text, Whole
from treem.fund.models import (
    Allocation,
    Beneficiary,
    CampaignKind,
    DonorKind,
    Need,
    NeedStatus,
    Restriction,
    RestrictionKind,
)
from treem.fund.services import MAX_AMOUNT

# A restriction's id: its row of the fund (it has no public id; it names no one).
RESTRICTION_ID_MAX = 2**53
QUANTITY_MAX = 1_000_000

Money = Annotated[int, Whole(1, MAX_AMOUNT)]
Quantity = Annotated[int, Whole(1, QUANTITY_MAX)]
Reason = Annotated[str, Text(500)]
Year = Annotated[int, Whole(2000, 2100)]
YearQuery = Annotated[int, Whole(2000, 2100, query=True)]


def ref(path: str = "", *, optional: bool = False) -> Any:
    """The public id of the object (or of the one at `path` from it: "donor", "need")."""
    alias = f"{path}.public_id" if path else "public_id"
    return Field(None, alias=alias) if optional else Field(alias=alias)


def public(obj: Any) -> uuid.UUID | None:
    return obj.public_id if obj is not None else None


# --- Earmarks ------------------------------------------------------------------------------

class RestrictionOut(Schema):
    """An earmark: what its money may pay for. A child's names no one (its label is a
    reference)."""

    id: int = Field(alias="pk")
    kind: str
    label: str
    programme: str
    unit: str | None = Field(None, alias="unit.code")  # a place: the unit's code
    area: int | None = Field(None, alias="area_id")    # a place: the fund's named area
    need_kind: str | None = Field(None, alias="need_kind.code")

    @staticmethod
    def resolve_label(r: Restriction) -> str:
        return str(r)


class RestrictionIn(Input):
    """What a gift is earmarked for: `kind` and its target — `programme` (its name), `unit`
    (a commune's or the province's code) or `area` (the fund's area id) for a place,
    `need_kind` (a kind's code), `need` (an approved child's need, for a gift to that child:
    the child is never picked from the register). Nothing else for `unrestricted`."""

    kind: RestrictionKind
    programme: Annotated[str, Text(120)] = ""
    unit: Annotated[str, Text(16)] = ""
    area: Annotated[int, Whole(1, RESTRICTION_ID_MAX)] | None = None
    need_kind: Annotated[str, Text(30)] = ""
    need: uuid.UUID | None = None


# --- Funds and donors ----------------------------------------------------------------------------

class FundOut(Schema):
    id: uuid.UUID = ref()
    name: str
    unit: str = Field(alias="unit.code")
    regime: str
    approval_threshold: int


class TotalsOut(Schema):
    """Sums of postings per account, in đồng (`donations` is negative: what came in)."""

    donations: int
    available: int
    allocated: int
    disbursed: int
    returned: int


class BalanceOut(TotalsOut):
    """What one bucket (earmark, campaign, goods lot) holds; `quantity_available`: the lot's
    items not yet allocated."""

    restriction: RestrictionOut
    campaign: uuid.UUID | None
    lot: uuid.UUID | None
    quantity_available: int


class FundDetailOut(FundOut):
    totals: TotalsOut
    balances: list[BalanceOut]


class DonorOut(Schema):
    id: uuid.UUID = ref()
    kind: str
    name: str
    tax_code: str
    phone: str
    named_publicly: bool
    created_at: datetime.datetime


class DonorListOut(DonorOut):
    received: int = Field(alias="money")     # money received, less what was reversed
    goods_value: int = Field(alias="goods")  # goods at their estimated value, less reversals


class DonorDetailOut(DonorOut):
    fund: uuid.UUID = ref("fund")
    received: int = Field(alias="totals.money")
    goods_value: int = Field(alias="totals.goods")
    pledged_open: int = Field(alias="totals.pledged_open")  # promised, not yet received


class DonorIn(Input):
    kind: DonorKind
    name: Annotated[str, Text(200)]
    tax_code: Annotated[str, Text(14)] = ""
    phone: Annotated[str, Text(20)] = ""
    named_publicly: BodyBool = False
    # The same phone with a similar name is refused until the officer confirms it is
    # someone else.
    distinct_from_similar: BodyBool = False


class DonorFilter(Input):
    q: Annotated[str, Text(100)] = ""


# --- Gifts: receipts, goods, campaigns, pledges --------------------------------------------------

class GiftOut(Schema):
    """What a receipt and a goods lot share: their donor, earmark, campaign (those of their
    posting into `available`), pledge and journal, and whether it was reversed."""

    id: uuid.UUID = ref()
    donor: uuid.UUID = ref("donor")
    donor_name: str = Field(alias="donor.name")
    restriction: RestrictionOut
    campaign: uuid.UUID | None
    pledge: uuid.UUID | None = ref("pledge", optional=True)
    journal: uuid.UUID = ref("journal")
    reversed: bool

    @staticmethod
    def resolve_restriction(g: Any) -> Restriction:
        return g.journal.entry[0].restriction

    @staticmethod
    def resolve_campaign(g: Any) -> uuid.UUID | None:
        return public(g.journal.entry[0].campaign)


class GoodsLotOut(GiftOut):
    description: str
    quantity: int
    measure: str
    value: int
    valuation: str
    received_on: datetime.date
    quantity_left: int = Field(alias="left_quantity")  # not yet allocated
    value_left: int = Field(alias="left_value")


class GiftIn(Input):
    donor: uuid.UUID  # a donor of this fund
    received_on: Day
    restriction: RestrictionIn | None = None  # none: the pledge's, else unrestricted
    campaign: uuid.UUID | None = None
    pledge: uuid.UUID | None = None  # an open pledge of the same donor


class GoodsIn(GiftIn):
    description: Annotated[str, Text(300)]
    quantity: Quantity
    measure: Annotated[str, Text(30)]
    value: Money  # the estimated value in đồng
    valuation: Annotated[str, Text(200)]


class GiftFilter(Input):
    donor: uuid.UUID | None = None
    year: YearQuery | None = None


class CampaignOut(Schema):
    id: uuid.UUID = ref()
    kind: str
    name: str
    starts_on: datetime.date
    ends_on: datetime.date
    goal: int
    raised: int    # money and goods' value received naming it, less reversals
    percent: int   # of the goal, rounded down

    @staticmethod
    def resolve_percent(c: Any) -> int:
        return int(c.raised) * 100 // c.goal


class CampaignIn(Input):
    kind: CampaignKind
    name: Annotated[str, Text(200)]
    starts_on: Day
    ends_on: Day
    goal: Money


class PledgeOut(Schema):
    id: uuid.UUID = ref()
    donor: uuid.UUID = ref("donor")
    donor_name: str = Field(alias="donor.name")
    campaign: uuid.UUID | None = ref("campaign", optional=True)
    restriction: RestrictionOut
    amount: int
    goods: str
    pledged_on: datetime.date
    due_on: datetime.date | None
    status: str


class PledgeIn(Input):
    donor: uuid.UUID
    pledged_on: Day
    amount: Annotated[int, Whole(0, MAX_AMOUNT)] = 0
    goods: Annotated[str, Text(300)] = ""
    restriction: RestrictionIn | None = None
    campaign: uuid.UUID | None = None
    due_on: Day | None = None


# --- Needs and allocations ----------------------------------------------------------------

class NeedOut(Schema):
    """A need of the list. `child` and `child_name` are given only to who may read the child in
    the register now (each an audited read); everyone has the `reference`."""

    id: uuid.UUID = ref()
    reference: str
    fund: uuid.UUID = ref("fund")
    kind: str = Field(alias="kind.code")
    kind_label: str = Field(alias="kind.label")
    beneficiary: str
    child: uuid.UUID | None
    child_name: str | None = Field(None, alias="shown_name")
    facility: str
    commune: str = Field(alias="commune.code")
    commune_name: str = Field(alias="commune.name")
    programme: str
    description: str
    amount: int
    allocated: int
    remaining: int
    year: int
    status: str
    priority: int
    proposed_at: datetime.datetime
    decided_at: datetime.datetime | None
    decision_reason: str

    @staticmethod
    def resolve_child(n: Any) -> uuid.UUID | None:
        return n.child.public_id if getattr(n, "shown_name", None) else None


class NeedAllocationOut(Schema):
    id: uuid.UUID = ref()
    reference: str
    amount: int
    quantity: int
    status: str


class NeedDetailOut(NeedOut):
    priority_reasons: list[str]
    allocations: list[NeedAllocationOut]

    @staticmethod
    def resolve_allocations(n: Need) -> list[Allocation]:
        return list(n.allocations.order_by("-created_at", "-id"))


class NeedFilter(Input):
    status: NeedStatus | None = None
    kind: Annotated[str, Text(30)] = ""
    year: YearQuery | None = None


class NeedIn(Input):
    """A need for a `child` or a `household` (public ids, of the register you read), or for a
    `commune` (its code) or one of its `facility`s."""

    kind: Annotated[str, Text(30)]  # a kind of need's code
    beneficiary: Beneficiary
    child: uuid.UUID | None = None
    household: uuid.UUID | None = None
    commune: Annotated[str, Text(16)] = ""
    facility: Annotated[str, Text(200)] = ""
    programme: Annotated[str, Text(120)] = ""
    description: Annotated[str, Text(500)]
    amount: Money
    year: Year


class ReasonIn(Input):
    reason: Reason


class AllocationOut(Schema):
    id: uuid.UUID = ref()
    reference: str
    fund: uuid.UUID = ref("fund")
    need: uuid.UUID = ref("need")
    need_reference: str = Field(alias="need.reference")
    restriction: RestrictionOut
    campaign: uuid.UUID | None = ref("campaign", optional=True)
    lot: uuid.UUID | None = ref("lot", optional=True)
    amount: int
    quantity: int
    kind: str = Field(alias="kind.code")
    commune: str = Field(alias="commune.code")
    period_start: datetime.date
    period_end: datetime.date
    status: str
    override_reason: str
    cancel_reason: str
    created_at: datetime.datetime
    decided_at: datetime.datetime | None
    delivery: uuid.UUID | None

    @staticmethod
    def resolve_delivery(a: Allocation) -> uuid.UUID | None:
        return public(getattr(a, "delivery", None))


class OverlapOut(Schema):
    source: str  # "fund" or "register"
    reference: str
    kind: str
    provider: str
    start: datetime.date
    end: datetime.date | None


class DoubleBeneficiaryOut(ErrorOut):
    """409: the same beneficiary already has a support of this kind in the period; nothing was
    written. Send `override_reason` (10 characters or more) to give it anyway."""

    overlaps: list[OverlapOut] = []


class ProofOut(Schema):
    """A proof of a delivery; its file is read at /delivery-proofs/{id}."""

    id: uuid.UUID = ref()
    kind: str
    name: str
    content_type: str
    size: int


class DeliveryOut(Schema):
    id: uuid.UUID = ref()
    allocation: uuid.UUID = ref("allocation")
    delivered_on: datetime.date
    note: str
    recorded_at: datetime.datetime
    proofs: list[ProofOut]

    @staticmethod
    def resolve_proofs(d: Any) -> list[Any]:
        return list(d.proofs.shown())  # a photo whose consent was withdrawn is not listed

"""The fund's ledger over the API: money received (by hand, or from a bank statement), the
journals and their reversal, what each bucket holds and the needs it may pay for."""

import datetime
import uuid
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import QuerySet, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, File, Form, Query, Router, Schema, UploadedFile
from ninja.errors import HttpError
from ninja.pagination import paginate

from treem.accounts.authentication import API_AUTH
from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability
from treem.api_support import (
    Day,
    Input,
    Page,
    QueryBool,
    Text,
    Whole,
    invalid,
    not_found,
    refusal,
    require,
)
from treem.fund import exceptions as exc
from treem.fund import importing, ledger_selectors, matching, selectors, services
from treem.fund.api import (
    conflict,
    earmark,
    fund_to_keep,
    fund_to_read,
    gifts_of,
    of_fund,
)
from treem.fund.api_schemas import (
    RESTRICTION_ID_MAX,
    DonorOut,
    GiftFilter,
    GiftIn,
    GiftOut,
    Money,
    NeedOut,
    Reason,
    ReasonIn,
    RestrictionOut,
    public,
    ref,
)
from treem.fund.models import (
    Campaign,
    Channel,
    Donor,
    Fund,
    GoodsLot,
    Journal,
    JournalKind,
    Pledge,
    Posting,
    Receipt,
    Restriction,
    RestrictionKind,
)
from treem.fund.services import Bucket

router = Router(tags=["fund"], auth=API_AUTH)
FILE_REQUIRED = _("Hãy chọn tệp sao kê (Excel .xlsx) để tải lên.")
# The file is optional to the schema so that a call without one gets its own message after
# the fund's scope (404, 403), as the register's import does.
NO_FILE = File(None)
ALL_OR_NOTHING = Form(importing.Mode.ALL)
NO_NEW_DONORS = Form(False)


# --- Receipts ----------------------------------------------------------------------------------

class ReceiptOut(GiftOut):
    amount: int
    channel: str
    receipt_number: str
    bank_reference: str
    received_on: datetime.date


class ReceiptIn(GiftIn):
    amount: Money
    channel: Channel
    receipt_number: Annotated[str, Text(40)] = ""   # cash
    bank_reference: Annotated[str, Text(60)] = ""   # bank transfer: received once a fund


def receipts_of(fund: Fund, filters: GiftFilter | None = None) -> QuerySet[Receipt]:
    donor = of_fund(Donor, fund, filters.donor) if filters else None
    year = filters.year if filters else None
    return gifts_of(ledger_selectors.receipt_list(fund=fund, year=year, donor=donor))


@router.get("/funds/{fund_id}/receipts", response=list[ReceiptOut],
            summary="Các khoản tiền quỹ đã nhận")
@paginate(Page, page_size=50)
def receipt_list(request: AuthedRequest, fund_id: uuid.UUID, filters: Query[GiftFilter]) -> Any:
    """Newest first, of a `donor` or a `year`; a receipt corrected since has `reversed` true
    (its reversal is a journal of its own)."""
    return receipts_of(fund_to_read(request, fund_id), filters)


@router.post("/funds/{fund_id}/receipts", response={201: ReceiptOut},
             summary="Ghi nhận một khoản tiền tài trợ")
def receipt_create(request: AuthedRequest, fund_id: uuid.UUID, data: ReceiptIn) -> Receipt:
    """Cash with its `receipt_number`, a bank transfer with its `bank_reference` (received
    once a fund: a second time is refused). Earmarked by `restriction` (none: the pledge's,
    else unrestricted)."""
    fund = fund_to_keep(request, fund_id)
    fields = data.dict(exclude={"donor", "campaign", "pledge", "restriction"})
    with transaction.atomic():
        donor = of_fund(Donor, fund, data.donor)
        try:
            receipt = services.receipt_record(
                actor=request.user, fund=fund, donor=donor,  # type: ignore[arg-type]
                restriction=earmark(request.user, fund, data.restriction),
                campaign=of_fund(Campaign, fund, data.campaign),
                pledge=of_fund(Pledge, fund, data.pledge), **fields)
        except (ValidationError, PermissionDenied) as error:
            raise refusal(error) from error
    return receipts_of(fund).get(pk=receipt.pk)


# --- The bank-statement import -------------------------------------------------------------------

class RowNoteOut(Schema):
    row: int
    column: str
    message: str


class ImportedRowOut(Schema):
    row: int
    receipt: uuid.UUID = ref("receipt")
    donor: uuid.UUID = ref("receipt.donor")
    amount: int = Field(alias="receipt.amount")


class StatementReportOut(Schema):
    """What the import did, row by row: with `written` false (mode `all` met an error)
    nothing was written, and `imported` and `donors_created` are empty."""

    mode: importing.Mode
    written: bool
    imported: list[ImportedRowOut]
    already_recorded: list[RowNoteOut]
    passed_over: list[RowNoteOut]
    errors: list[RowNoteOut]
    donors_created: list[DonorOut]
    valid_rows: list[int]


@router.post("/funds/{fund_id}/statement", response=StatementReportOut,
             summary="Nhập sao kê ngân hàng (Excel): mỗi khoản ghi có thành một khoản tiếp nhận")
def statement_upload(request: AuthedRequest, fund_id: uuid.UUID,
                     mode: importing.Mode = ALL_OR_NOTHING,
                     create_donors: QueryBool = NO_NEW_DONORS,
                     file: UploadedFile | None = NO_FILE) -> importing.StatementReport:
    """multipart/form-data: `file` (.xlsx, at most 5 MB and 5,000 rows), `mode` (`all`: any
    error and nothing is written; `valid`: the valid rows), `create_donors` (a donor not found
    by tax code or name is created, not named publicly). A bank reference already received is
    reported, not written twice. The answer is the report, row by row."""
    fund = fund_to_keep(request, fund_id)
    if file is None:
        raise HttpError(422, str(FILE_REQUIRED))
    try:
        # The file itself, not its bytes: its declared size is refused before it is read.
        report = importing.statement_import(actor=request.user, fund=fund, file=file, mode=mode,
                                            create_donors=create_donors)
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error
    return report


# --- Journals ------------------------------------------------------------------------------------

class PostingOut(Schema):
    restriction: RestrictionOut
    campaign: uuid.UUID | None = ref("campaign", optional=True)
    lot: uuid.UUID | None = ref("lot", optional=True)
    account: str
    amount: int
    quantity: int


class JournalOut(Schema):
    """One movement of money or goods; its postings add up to zero."""

    id: uuid.UUID = ref()
    fund: uuid.UUID = ref("fund")
    kind: JournalKind
    day: datetime.date
    reason: str
    reverses: uuid.UUID | None = ref("reverses", optional=True)
    reversed_by: uuid.UUID | None
    created_at: datetime.datetime
    donor_name: str | None  # who gave it, for money or goods received
    postings: list[PostingOut]

    @staticmethod
    def resolve_reversed_by(j: Any) -> uuid.UUID | None:
        return public(getattr(j, "reversed_by", None))

    @staticmethod
    def resolve_donor_name(j: Any) -> str | None:
        gift = getattr(j, "receipt", None) or getattr(j, "lot", None)
        return gift.donor.name if gift is not None else None


class JournalFilter(Input):
    fund: uuid.UUID | None = None  # absent: every fund you read
    kind: JournalKind | None = None


def journals_of(journals: QuerySet[Journal]) -> QuerySet[Journal]:
    postings = Posting.objects.select_related(
        "restriction__unit", "restriction__need_kind", "campaign", "lot").order_by("id")
    return (journals.select_related("fund", "reverses", "reversed_by", "receipt__donor",
                                    "lot__donor")
            .prefetch_related(models.Prefetch("postings", queryset=postings)))


@router.get("/journals", response=list[JournalOut], summary="Sổ nhật ký của một quỹ")
@paginate(Page, page_size=50)
def journal_list(request: AuthedRequest, filters: Query[JournalFilter]) -> Any:
    """The journals of `fund` (a fund you read; absent, of every fund you read), newest
    first, each with its postings."""
    if filters.fund is not None:
        journals = Journal.objects.filter(fund=fund_to_read(request, filters.fund))
    else:
        require(request, Capability.VIEW_FUND)
        journals = Journal.objects.filter(fund__in=selectors.funds_for(user=request.user))
    if filters.kind is not None:
        journals = journals.filter(kind=filters.kind)
    return journals_of(journals).order_by("-day", "-id")


@router.post("/journals/{journal_id}/reversal", response={201: JournalOut},
             summary="Đảo một bút toán (kèm lý do)")
def journal_reversal(request: AuthedRequest, journal_id: uuid.UUID, data: ReasonIn) -> Journal:
    """A receipt, goods received or a return corrected by the same postings with opposite
    signs; the original stays. 409 when it was reversed already, is a reversal, an allocation
    or a delivery, or its money has been spent since."""
    require(request, Capability.MANAGE_FUND)
    journal = ledger_selectors.get_journal_for_user(user=request.user, journal_id=journal_id,
                                                    for_write=True)
    try:
        reversal = services.journal_reverse(actor=request.user, journal=journal,
                                            reason=data.reason)
    except (ValidationError, PermissionDenied) as error:
        raise conflict(error, "journal") from error
    return journals_of(Journal.objects.filter(pk=reversal.pk)).get()


# --- Matching: what the fund holds, the needs a bucket may pay for -------------------------------

class HeldOut(Schema):
    """A bucket with money or goods available: name it in an allocation's `bucket` by its
    `restriction` id, `campaign` and `lot`."""

    restriction: RestrictionOut
    campaign: uuid.UUID | None = ref("campaign", optional=True)
    campaign_name: str | None = Field(None, alias="campaign.name")
    lot: uuid.UUID | None = ref("lot", optional=True)
    lot_description: str | None = Field(None, alias="lot.description")
    measure: str | None = Field(None, alias="lot.measure")
    amount: int
    quantity: int


class SuggestionOut(NeedOut):
    fits_in_full: bool  # the bucket's balance pays what the need still lacks


class SuggestionsOut(Schema):
    available: int  # đồng the bucket holds
    quantity: int   # items of its lot
    items: list[SuggestionOut]


class BucketQuery(Input):
    # The earmark's id (from the fund's holdings or balances); absent: unrestricted money.
    restriction: Annotated[int, Whole(1, RESTRICTION_ID_MAX, query=True)] | None = None
    campaign: uuid.UUID | None = None
    lot: uuid.UUID | None = None


def bucket_of(fund: Fund, restriction_id: int | None, campaign_id: uuid.UUID | None,
              lot_id: uuid.UUID | None) -> Bucket:
    """A bucket of the fund, by its earmark's id (None: the unrestricted one) and its
    campaign's and lot's public ids: 404 when any of them is not the fund's."""
    earmarks = Restriction.objects.filter(fund=fund).select_related("unit", "need_kind", "area")
    restriction = (earmarks.filter(kind=RestrictionKind.UNRESTRICTED) if restriction_id is None
                   else earmarks.filter(pk=restriction_id)).first()
    if restriction is None:
        raise not_found()
    return Bucket(restriction, of_fund(Campaign, fund, campaign_id),
                  of_fund(GoodsLot, fund, lot_id))


@router.get("/funds/{fund_id}/holdings", response=list[HeldOut],
            summary="Tiền, hàng quỹ đang có theo từng nguồn (chưa phân bổ)")
@paginate(Page, page_size=100)
def holdings_list(request: AuthedRequest, fund_id: uuid.UUID) -> Any:
    """Every bucket with money or goods available: goods lots last."""
    held = matching.holdings(fund_to_read(request, fund_id))
    prefetch_related_objects([h.restriction for h in held], "unit", "need_kind")
    return held


@router.get("/funds/{fund_id}/suggestions", response=SuggestionsOut,
            summary="Gợi ý nhu cầu cho một nguồn tiền, hàng (người quản lý quỹ quyết định)")
def suggestion_list(request: AuthedRequest, fund_id: uuid.UUID,
                    bucket: Query[BucketQuery]) -> dict[str, Any]:
    """Approved needs the bucket may pay for that still lack money: the highest priority
    first, then those it can pay in full, then the oldest (at most 20). Needs are named by
    their reference: matching goes by kind, place and amount, not by name."""
    fund = fund_to_keep(request, fund_id)
    found = bucket_of(fund, bucket.restriction, bucket.campaign, bucket.lot)
    available, quantity = services.bucket_balance(fund, found)
    items = matching.suggestions(fund=fund, bucket=found, available=available)
    for need in items:
        need.fund = fund
    return {"available": available, "quantity": quantity, "items": items}


# --- Money given back to a donor -------------------------------------------------------------------

class ReturnIn(Input):
    """The bucket the money leaves: its earmark's `restriction` id (from the fund's balances or
    holdings; absent: unrestricted money) and the `campaign` that raised it, if any."""

    restriction: Annotated[int, Whole(1, RESTRICTION_ID_MAX)] | None = None
    campaign: uuid.UUID | None = None
    amount: Money
    day: Day
    reason: Reason  # whom it is given back to, and why


@router.post("/funds/{fund_id}/returns", response={201: JournalOut},
             summary="Hoàn trả tiền cho nhà tài trợ")
def money_return(request: AuthedRequest, fund_id: uuid.UUID, data: ReturnIn) -> Journal:
    """Money of one bucket moved from `available` to `returned`, under the fund's lock: more
    than the bucket holds is 422 at `amount` naming its balance, and nothing is written. A
    return made by mistake is reversed (`/journals/{journal_id}/reversal`)."""
    fund = fund_to_keep(request, fund_id)
    bucket = bucket_of(fund, data.restriction, data.campaign, None)
    if data.day > timezone.localdate():  # the service takes any day; a return is not planned
        raise invalid("day", exc.DAY_IN_FUTURE)
    try:
        journal = services.money_return(actor=request.user, fund=fund,
                                        restriction=bucket.restriction,
                                        campaign=bucket.campaign, amount=data.amount,
                                        day=data.day, reason=data.reason)
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error
    return journals_of(Journal.objects.filter(pk=journal.pk)).get()

"""The fund's accounts for a month or a year: the reconciliation of each earmark (what it held
at the start, what came in and went out, what it holds at the end), and the journal as .xlsx
for the accountant, one row per posting.

Both are sums of postings grouped in SQL, by the day of their journal. What an earmark holds is
its money and goods not yet handed over or given back (`available` plus `allocated`): an
allocation only moves money inside the fund, so the check is
opening + received − disbursed − returned = closing, the closing summed on its own."""

import datetime
import io
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from treem.accounts.models import User
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.fund.models import Account, Fund, Journal, JournalKind, Posting, Restriction
from treem.lib.spreadsheet import safe_cell

HELD = (Account.AVAILABLE, Account.ALLOCATED)
CHUNK = 2000  # postings read at a time: a year of a province's ledger is never in memory


@dataclass(frozen=True)
class Period:
    year: int
    month: int | None = None

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.month or 1, 1)

    @property
    def end(self) -> datetime.date:
        if self.month is None:
            return datetime.date(self.year, 12, 31)
        following = datetime.date(self.year + self.month // 12, self.month % 12 + 1, 1)
        return following - datetime.timedelta(days=1)

    @property
    def label(self) -> str:
        if self.month is None:
            return _("Năm %(year)s") % {"year": self.year}
        return _("Tháng %(month)s/%(year)s") % {"month": f"{self.month:02d}", "year": self.year}

    @property
    def slug(self) -> str:
        return f"{self.year}-{self.month:02d}" if self.month else str(self.year)


@dataclass
class Reconciled:
    restriction: Restriction | None  # None: the fund's total
    opening: int = 0
    received: int = 0
    allocated: int = 0  # moved into `allocated` by allocations, less releases (inside the fund)
    disbursed: int = 0
    returned: int = 0
    closing: int = 0
    closing_allocated: int = 0  # of the closing: allocated, not yet handed over

    @property
    def expected(self) -> int:
        return self.opening + self.received - self.disbursed - self.returned

    @property
    def balances(self) -> bool:
        return self.expected == self.closing

    @property
    def closing_available(self) -> int:
        return self.closing - self.closing_allocated

    def add(self, other: "Reconciled") -> None:
        for name in ("opening", "received", "allocated", "disbursed", "returned", "closing",
                     "closing_allocated"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def reconciliation(fund: Fund, period: Period) -> tuple[list[Reconciled], Reconciled]:
    """Each earmark's accounts over `period`, and the fund's total: one grouped query."""
    before, during = Q(journal__day__lt=period.start), Q(journal__day__gte=period.start)
    sums = (Posting.objects.filter(fund=fund, journal__day__lte=period.end)
            .values("restriction_id")
            .annotate(opening=Sum("amount", filter=before & Q(account__in=HELD)),
                      donations=Sum("amount", filter=during & Q(account=Account.DONATIONS)),
                      allocated=Sum("amount", filter=during & Q(account=Account.ALLOCATED)
                                    & ~Q(journal__kind=JournalKind.DELIVERY)),
                      disbursed=Sum("amount", filter=during & Q(account=Account.DISBURSED)),
                      returned=Sum("amount", filter=during & Q(account=Account.RETURNED)),
                      closing=Sum("amount", filter=Q(account__in=HELD)),
                      closing_allocated=Sum("amount", filter=Q(account=Account.ALLOCATED)))
            .order_by())
    restrictions = Restriction.objects.in_bulk({row["restriction_id"] for row in sums})
    rows, total = [], Reconciled(None)
    for row in sums:
        item = Reconciled(restrictions[row["restriction_id"]],
                          opening=row["opening"] or 0, received=-(row["donations"] or 0),
                          allocated=row["allocated"] or 0, disbursed=row["disbursed"] or 0,
                          returned=row["returned"] or 0, closing=row["closing"] or 0,
                          closing_allocated=row["closing_allocated"] or 0)
        if any((item.opening, item.received, item.allocated, item.disbursed, item.returned,
                item.closing)):
            rows.append(item)
            total.add(item)
    rows.sort(key=lambda item: str(item.restriction).casefold())
    return rows, total


# --- The journal for the accountant -----------------------------------------------------------

def journal_reference(journal: Journal) -> str:
    """The short name of a journal, as the pages and the workbook write it."""
    return f"BT-{str(journal.public_id)[:8].upper()}"


def _voucher(journal: Journal) -> str:
    """What the journal's entry rests on: a bank reference or receipt number, a goods lot, an
    allocation's reference, a reversal's original."""
    # A reverse one-to-one without its row raises an AttributeError: getattr's default.
    receipt = getattr(journal, "receipt", None)
    if receipt is not None:
        return receipt.bank_reference or _("Biên lai %(n)s") % {"n": receipt.receipt_number}
    lot = getattr(journal, "lot", None)
    if lot is not None:
        return f"{lot.description} ({lot.quantity} {lot.measure})"
    allocation = getattr(journal, "allocation", None) or getattr(
        journal, "released_allocation", None)
    delivery = getattr(journal, "delivery", None)
    if delivery is not None:
        allocation = delivery.allocation
    if allocation is not None:
        return allocation.reference
    if journal.reverses is not None:
        return _("Đảo %(ref)s") % {"ref": journal_reference(journal.reverses)}
    return journal.reason


def _donor(journal: Journal) -> str:
    for source in (journal, journal.reverses):
        if source is None:
            continue
        for name in ("receipt", "lot"):
            gift = getattr(source, name, None)
            if gift is not None:
                return gift.donor.name
    return ""


def export_postings(fund: Fund, period: Period) -> Iterator[Posting]:
    related = ["receipt__donor", "lot__donor", "allocation", "released_allocation",
               "delivery__allocation", "reverses__receipt__donor", "reverses__lot__donor"]
    return (Posting.objects.filter(fund=fund, journal__day__gte=period.start,
                                   journal__day__lte=period.end)
            .select_related("journal", "journal__reverses", "restriction", "campaign",
                            *(f"journal__{name}" for name in related))
            .order_by("journal__day", "journal_id", "id").iterator(chunk_size=CHUNK))


def headers() -> list[str]:
    return [_("Ngày"), _("Loại bút toán"), _("Số bút toán"), _("Chứng từ"), _("Nhà tài trợ"),
            _("Nội dung chỉ định"), _("Đợt vận động"), _("Tài khoản"), _("Số tiền (đồng)"),
            _("Số lượng")]


WIDTHS = (12, 22, 14, 30, 30, 30, 24, 24, 16, 10)


def journal_workbook(*, actor: User, fund: Fund, period: Period) -> bytes:
    """The postings of `period`, one a row (header on the first row, to filter and pivot),
    and a second sheet naming the fund, the period and each account's total. Audited."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Nhật ký")[:31])
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)

    def header_cell(text: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        return cell

    sheet.append([header_cell(text) for text in headers()])
    totals: dict[str, int] = {}
    for posting in export_postings(fund, period):
        journal = posting.journal
        totals[posting.account] = totals.get(posting.account, 0) + posting.amount
        day = WriteOnlyCell(sheet, value=journal.day)
        day.number_format = "DD/MM/YYYY"
        amount = WriteOnlyCell(sheet, value=posting.amount)
        amount.number_format = "#,##0"
        sheet.append([
            day, journal.get_kind_display(), journal_reference(journal),
            safe_cell(_voucher(journal)), safe_cell(_donor(journal)),
            safe_cell(str(posting.restriction)),
            safe_cell(posting.campaign.name) if posting.campaign else "",
            posting.get_account_display(), amount, posting.quantity or None])
    about = book.create_sheet(_("Thông tin")[:31])
    about.append([header_cell(_("Quỹ")), safe_cell(fund.name)])
    about.append([header_cell(_("Kỳ")), period.label])
    about.append([header_cell(_("Xuất lúc")),
                  timezone.localtime().strftime("%d/%m/%Y %H:%M")])
    about.append([])
    about.append([header_cell(_("Tài khoản")), header_cell(_("Tổng số tiền (đồng)"))])
    for account, label in Account.choices:
        about.append([str(label), totals.get(account, 0)])
    buffer = io.BytesIO()
    book.save(buffer)
    event_record(actor=actor, action=Action.EXPORT, obj=fund, unit=fund.unit,
                 fields=["journal", "xlsx"], reason=period.label)
    return buffer.getvalue()

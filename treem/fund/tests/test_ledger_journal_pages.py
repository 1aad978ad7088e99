"""The journal's pages: the journal newest first and paged, a journal's postings, a reversal
(with its reason; refused once the money was spent, nothing written); the bank statement's
import and its report; the accountant's workbook, whose sums are the postings'; and the
reconciliation of a year and a month, worked out by hand."""

import datetime
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from treem.fund import allocations, gifts, services
from treem.fund import exceptions as exc
from treem.fund.allocations import Proof
from treem.fund.ledger_reports import Period, reconciliation
from treem.fund.models import (
    Account,
    Channel,
    Donor,
    Fund,
    Journal,
    JournalKind,
    Posting,
    Receipt,
    RestrictionKind,
)
from treem.fund.services import Bucket
from treem.fund.templatetags.fund_money import money
from treem.fund.tests.conftest import DAY, approved_need
from treem.fund.tests.test_importing import GOOD, statement
from treem.fund.tests.test_ledger_pages import written
from treem.registry.models import Child
from treem.testing import Personas, login, writes_nothing

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% bien nhan\n"


@pytest.fixture
def donor(fund: Fund, manager: Any) -> Donor:
    return services.donor_create(actor=manager, fund=fund, kind="business",
                                 name="Công ty Sông Hiến")


def give(manager: Any, fund: Fund, donor: Donor, amount: int, day: datetime.date,
         number: str, **links: Any) -> Receipt:
    return services.receipt_record(actor=manager, fund=fund, donor=donor, amount=amount,
                                   received_on=day, channel=Channel.CASH,
                                   receipt_number=number, **links)


# --- The journal and its reversals ---------------------------------------------------------

def test_the_journal_lists_the_newest_first_page_by_page(
        client: Client, manager: Any, fund: Fund, donor: Donor) -> None:
    for n in range(31):
        give(manager, fund, donor, 1_000 + n, DAY - datetime.timedelta(days=n), f"BL-{n}")
    login(client, manager)
    url = reverse("fund:journal_list", args=[fund.public_id])
    first = client.get(url).content.decode()
    assert first.index("01/06/2026") < first.index("31/05/2026")
    assert "Trang 1/2" in first and "02/05/2026" not in first
    second = client.get(url, {"page": 2}).content.decode()
    assert "02/05/2026" in second and money(1_030) in second
    only = client.get(url, {"kind": JournalKind.RETURN}).content.decode()
    assert "Không có bút toán nào thuộc loại này." in only


def test_a_receipt_is_reversed_with_its_reason_and_the_original_kept(
        client: Client, manager: Any, fund: Fund, donor: Donor) -> None:
    receipt = give(manager, fund, donor, 2_000_000, DAY, "BL-1")
    login(client, manager)
    page = client.get(reverse("fund:journal_detail", args=[receipt.journal.public_id]))
    assert "Đảo bút toán" in page.content.decode() and money(2_000_000) in \
        page.content.decode()
    url = reverse("fund:journal_reverse", args=[receipt.journal.public_id])
    with writes_nothing(written):
        empty = client.post(url, {"reason": "  "})
    assert "Hãy ghi lý do đảo bút toán." in empty.content.decode()
    done = client.post(url, {"reason": "Ghi nhầm nhà tài trợ"})
    reversal = Journal.objects.get(kind=JournalKind.REVERSAL)
    assert done["Location"] == reverse("fund:journal_detail", args=[reversal.public_id])
    assert reversal.reverses == receipt.journal and reversal.reason == "Ghi nhầm nhà tài trợ"
    shown = client.get(done["Location"]).content.decode()
    assert money(-2_000_000) in shown and "Ghi nhầm nhà tài trợ" in shown
    again = client.get(reverse("fund:journal_detail", args=[receipt.journal.public_id]))
    assert "Đã được đảo bởi" in again.content.decode()
    assert f'action="{url}"' not in again.content.decode()


def test_a_reversal_is_refused_once_the_money_was_spent_and_nothing_is_written(
        client: Client, personas: Personas, manager: Any, fund: Fund, donor: Donor,
        child: Child) -> None:
    receipt = give(manager, fund, donor, 2_000_000, DAY, "BL-1")
    allocations.allocate(actor=manager, need=approved_need(personas, child),
                         bucket=Bucket(services.unrestricted(fund)), amount=1_500_000)
    login(client, manager)
    with writes_nothing(written):
        page = client.post(reverse("fund:journal_reverse", args=[receipt.journal.public_id]),
                           {"reason": "Ghi nhầm số tiền"})
    assert page.status_code == 200
    assert str(exc.REVERSAL_OVER_BALANCE % {"restriction": "Không chỉ định"}) in \
        page.content.decode()


# --- The bank statement ------------------------------------------------------------------------

def test_a_statement_is_imported_and_a_second_import_adds_nothing(
        client: Client, manager: Any, fund: Fund) -> None:
    url = reverse("fund:statement_import", args=[fund.public_id])
    login(client, manager)
    assert "5 MB và 5.000 dòng" in client.get(url).content.decode()

    def upload() -> str:
        file = SimpleUploadedFile("sao-ke.xlsx", statement(*GOOD))
        return client.post(url, {"file": file, "mode": "valid", "create_donors": "on",
                                 "earmark": "unrestricted"}).content.decode()

    first = upload()
    assert Receipt.objects.count() == 3 and "FT26152002" in first
    with writes_nothing(written):
        second = upload()
    assert "đã được ghi nhận trước đây" in second


def test_a_statement_with_a_wrong_row_writes_nothing_in_all_or_nothing_mode(
        client: Client, manager: Any, fund: Fund) -> None:
    from treem.fund.tests.test_importing import line

    file = SimpleUploadedFile("sao-ke.xlsx", statement(GOOD[0], line("FT26152009", "abc")))
    login(client, manager)
    with writes_nothing(written):
        page = client.post(reverse("fund:statement_import", args=[fund.public_id]),
                           {"file": file, "mode": "all", "earmark": "unrestricted"})
    text = page.content.decode()
    assert "Chưa ghi khoản nào" in text and "Số tiền ghi có" in text
    with writes_nothing(written):
        bad = client.post(reverse("fund:statement_import", args=[fund.public_id]),
                          {"file": SimpleUploadedFile("a.xlsx", b"not excel"), "mode": "all",
                           "earmark": "unrestricted"})
    assert "Đây không phải tệp Excel" in bad.content.decode()


# --- The accountant's files --------------------------------------------------------------------

@pytest.fixture
def year_of_ledger(personas: Personas, manager: Any, fund: Fund, donor: Donor,
                   child: Child) -> dict[str, Any]:
    """Last year: 10,000,000 and 3,000,000 received unrestricted. This year (today): the 3
    million reversed, 6,000,000 received for a programme, 1,000,000 returned, 2,000,000
    allocated and handed over, 500,000 allocated and not yet handed over."""
    today = timezone.localdate()
    last_year = datetime.date(today.year - 1, 3, 15)
    give(manager, fund, donor, 10_000_000, last_year, "BL-1")
    mistaken = give(manager, fund, donor, 3_000_000, last_year, "BL-2")
    services.journal_reverse(actor=manager, journal=mistaken.journal, reason="Ghi nhầm")
    programme = gifts.restriction_for(actor=manager, fund=fund,
                                      kind=RestrictionKind.PROGRAMME, programme="Học bổng")
    give(manager, fund, donor, 6_000_000, today, "BL-3", restriction=programme)
    unrestricted = services.unrestricted(fund)
    services.money_return(actor=manager, fund=fund, restriction=unrestricted,
                          amount=1_000_000, day=today, reason="Nhà tài trợ xin lại")
    bucket = Bucket(unrestricted)
    handed = allocations.allocate(actor=manager, need=approved_need(personas, child),
                                  bucket=bucket, amount=2_000_000)
    allocations.delivery_record(actor=manager, allocation=handed, delivered_on=today,
                                proofs=[Proof("signed_receipt", PDF, "bn.pdf")])
    allocations.allocate(actor=manager, bucket=bucket, amount=500_000,
                         need=approved_need(personas, child, code="meals", amount=500_000))
    return {"today": today, "programme": programme, "unrestricted": unrestricted}


def test_the_reconciliation_is_worked_out_by_hand(year_of_ledger: dict[str, Any],
                                                  fund: Fund) -> None:
    today = year_of_ledger["today"]
    rows, total = reconciliation(fund, Period(today.year))
    by = {row.restriction: row for row in rows}
    free = by[year_of_ledger["unrestricted"]]
    assert (free.opening, free.received, free.allocated, free.disbursed, free.returned,
            free.closing, free.closing_allocated) == (
        13_000_000, -3_000_000, 2_500_000, 2_000_000, 1_000_000, 7_000_000, 500_000)
    scholarship = by[year_of_ledger["programme"]]
    assert (scholarship.opening, scholarship.received, scholarship.closing) == (
        0, 6_000_000, 6_000_000)
    assert (total.opening, total.received, total.disbursed, total.returned, total.closing) == (
        13_000_000, 3_000_000, 2_000_000, 1_000_000, 13_000_000)
    assert all(row.balances for row in rows) and total.balances
    before, before_total = reconciliation(fund, Period(today.year - 1))
    assert [(r.opening, r.received, r.closing) for r in before] == [(0, 13_000_000, 13_000_000)]
    month = reconciliation(fund, Period(today.year, today.month))[1]
    assert (month.opening, month.closing) == (13_000_000, 13_000_000)


def test_the_reconciliation_page_shows_each_earmark_and_that_it_balances(
        client: Client, personas: Personas, year_of_ledger: dict[str, Any],
        fund: Fund) -> None:
    today = year_of_ledger["today"]
    page = login(client, personas.auditor).get(
        reverse("fund:reconciliation", args=[fund.public_id]),
        {"year": today.year, "month": today.month}).content.decode()
    for text in ("Học bổng", money(13_000_000), money(7_000_000), money(-3_000_000),
                 "khớp"):
        assert text in page, text
    assert "lệch" not in page
    bad = client.get(reverse("fund:reconciliation", args=[fund.public_id]), {"year": "20x6"})
    assert "Hãy ghi năm bằng chữ số" in bad.content.decode()


def test_the_accountants_workbook_sums_to_the_postings(
        client: Client, personas: Personas, year_of_ledger: dict[str, Any],
        fund: Fund) -> None:
    today = year_of_ledger["today"]
    response = login(client, personas.auditor).get(
        reverse("fund:journal_export", args=[fund.public_id]), {"year": today.year})
    assert response["Content-Disposition"] == \
        f'attachment; filename="nhat-ky-quy-{today.year}.xlsx"'
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    header, lines = rows[0], rows[1:]
    assert header[0] == "Ngày" and header[8] == "Số tiền (đồng)"
    postings = Posting.objects.filter(fund=fund, journal__day__year=today.year)
    assert len(lines) == postings.count()
    for account in Account.values:
        expected = postings.filter(account=account).aggregate(s=Sum("amount"))["s"] or 0
        label = str(Account(account).label)
        assert sum(line[8] for line in lines if line[7] == label) == expected, account
    assert sum(line[8] for line in lines) == 0
    assert any(line[4] == "Công ty Sông Hiến" and line[3] == "Biên lai BL-3"
               for line in lines)
    assert any(str(line[3]).startswith("Đảo BT-") for line in lines)

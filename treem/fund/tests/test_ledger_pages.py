"""The fund ledger's pages: each renders for its readers (the manager, the approver, the
province's officer, the auditor) with its empty state; each form records through its service,
and its refusals (a bad amount, a bank reference received twice, a similar donor until
confirmed, a reversal after the money was spent) come back in Vietnamese with nothing written;
readers get 403 on every write, another province's manager 404 on everything of this fund."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from treem.accounts.roles import Role
from treem.audit.models import AuditEvent
from treem.fund import exceptions as exc
from treem.fund import gifts, services
from treem.fund.models import (
    Campaign,
    Channel,
    Donor,
    Fund,
    GoodsLot,
    Journal,
    Pledge,
    Posting,
    Receipt,
    Restriction,
)
from treem.fund.templatetags.fund_money import money
from treem.fund.tests.conftest import DAY
from treem.testing import Personas, Tree, login, make_user, writes_nothing

pytestmark = pytest.mark.django_db

READERS = ("manager", "approver", "province_officer", "auditor")


def written() -> tuple[int, ...]:
    return (Journal.objects.count(), Posting.objects.count(), Receipt.objects.count(),
            Donor.objects.count(), Restriction.objects.count(), GoodsLot.objects.count(),
            Pledge.objects.count(), Campaign.objects.count(), AuditEvent.objects.count())


@pytest.fixture
def donor(fund: Fund, manager: Any) -> Donor:
    return services.donor_create(actor=manager, fund=fund, kind="business",
                                 name="Công ty Sông Hiến", tax_code="0101234567",
                                 phone="0912345678", named_publicly=True)


@pytest.fixture
def receipt(fund: Fund, manager: Any, donor: Donor) -> Receipt:
    return services.receipt_record(actor=manager, fund=fund, donor=donor, amount=90_000_000,
                                   received_on=DAY, channel=Channel.BANK,
                                   bank_reference="FT26152001")


@pytest.fixture
def other(tree: Tree) -> dict[str, Any]:
    """The other province's fund, its manager, a donor, a receipt, a pledge."""
    manager_c = make_user("quy_c", role=Role.FUND_MANAGER, unit=tree.other_province)
    fund_c = services.fund_open(actor=None, unit=tree.other_province, name="Quỹ Hà Nội")
    donor_c = services.donor_create(actor=manager_c, fund=fund_c, kind="business",
                                    name="Công ty Hồ Gươm")
    receipt_c = services.receipt_record(actor=manager_c, fund=fund_c, donor=donor_c,
                                        amount=5_000_000, received_on=DAY,
                                        channel=Channel.CASH, receipt_number="BL-1")
    pledge_c = gifts.pledge_create(actor=manager_c, fund=fund_c, donor=donor_c,
                                   pledged_on=DAY, amount=1_000_000)
    return {"manager": manager_c, "fund": fund_c, "donor": donor_c, "receipt": receipt_c,
            "pledge": pledge_c}


def person(name: str, personas: Personas, manager: Any, approver: Any) -> Any:
    return {"manager": manager, "approver": approver}.get(name) or getattr(personas, name)


def reads_of(fund: Fund, donor: Donor, receipt: Receipt) -> list[str]:
    f = fund.public_id
    return [reverse("fund:fund_detail", args=[f]), reverse("fund:donor_list", args=[f]),
            reverse("fund:donor_detail", args=[donor.public_id]),
            reverse("fund:donor_search", args=[f]) + "?q=song",
            reverse("fund:receipt_list", args=[f]), reverse("fund:lot_list", args=[f]),
            reverse("fund:campaign_list", args=[f]), reverse("fund:pledge_list", args=[f]),
            reverse("fund:journal_list", args=[f]),
            reverse("fund:journal_detail", args=[receipt.journal.public_id]),
            reverse("fund:area_list", args=[f]), reverse("fund:rule_list", args=[f]),
            reverse("fund:reconciliation", args=[f]) + "?year=2026",
            reverse("fund:journal_export", args=[f]) + "?year=2026"]


def writes_of(fund: Fund, receipt: Receipt, pledge: Pledge | None = None) -> list[str]:
    f = fund.public_id
    urls = [reverse(f"fund:{name}", args=[f]) for name in (
        "donor_create", "receipt_create", "lot_create", "campaign_create", "pledge_create",
        "statement_import", "area_create", "rule_set")]
    urls.append(reverse("fund:journal_reverse", args=[receipt.journal.public_id]))
    if pledge is not None:
        urls.append(reverse("fund:pledge_close", args=[pledge.public_id]))
    return urls


# --- Who reads, who writes -------------------------------------------------------------------

@pytest.mark.parametrize("name", READERS)
def test_every_page_renders_for_each_reader(client: Client, personas: Personas, manager: Any,
                                            approver: Any, fund: Fund, donor: Donor,
                                            receipt: Receipt, name: str) -> None:
    login(client, person(name, personas, manager, approver))
    home = client.get(reverse("fund:home"))
    assert home.status_code == 302
    assert home["Location"] == reverse("fund:fund_detail", args=[fund.public_id])
    for url in reads_of(fund, donor, receipt):
        assert client.get(url).status_code == 200, url
    detail = client.get(reverse("fund:fund_detail", args=[fund.public_id])).content.decode()
    assert money(90_000_000) in detail
    assert ("Ghi nhận tiền" in detail) is (name == "manager")
    # The yearly report and the public page from the fund's page; letters for its manager.
    from django.utils import timezone
    this_year = timezone.localdate().year
    for linked in (reverse("fund:yearly", args=[fund.public_id, this_year]),
                   reverse("fund:public", args=[fund.unit.code, this_year])):
        assert f'href="{linked}"' in detail
        assert client.get(linked).status_code == 200, linked
    assert (f'href="{reverse("fund:letters", args=[fund.public_id])}"' in detail) is (
        name == "manager")


@pytest.mark.parametrize("name", ("approver", "province_officer", "auditor"))
def test_a_reader_gets_403_on_every_write_and_nothing_is_written(
        client: Client, personas: Personas, manager: Any, approver: Any, fund: Fund,
        receipt: Receipt, name: str) -> None:
    pledge = gifts.pledge_create(actor=manager, fund=fund, donor=receipt.donor, pledged_on=DAY,
                                 amount=1_000_000)
    login(client, person(name, personas, manager, approver))
    with writes_nothing(written):
        for url in writes_of(fund, receipt, pledge):
            assert client.post(url, {"reason": "Ghi nhầm", "name": "X"}).status_code == 403, url
            assert client.get(url).status_code in (403, 405), url


def test_a_commune_officer_reads_no_fund(client: Client, personas: Personas, fund: Fund,
                                         donor: Donor, receipt: Receipt) -> None:
    login(client, personas.officer)
    assert client.get(reverse("fund:home")).status_code == 403
    for url in reads_of(fund, donor, receipt):
        assert client.get(url).status_code == 403, url


def test_another_provinces_manager_gets_404_on_everything_of_this_fund(
        client: Client, manager: Any, fund: Fund, donor: Donor, receipt: Receipt,
        other: dict[str, Any]) -> None:
    pledge = gifts.pledge_create(actor=manager, fund=fund, donor=donor, pledged_on=DAY,
                                 amount=1_000_000)
    login(client, other["manager"])
    home = client.get(reverse("fund:home"))
    assert home["Location"] == reverse("fund:fund_detail", args=[other["fund"].public_id])
    with writes_nothing(written):
        for url in reads_of(fund, donor, receipt):
            assert client.get(url).status_code == 404, url
        for url in writes_of(fund, receipt, pledge):
            assert client.post(url, {"reason": "Ghi nhầm", "name": "X"}).status_code == 404, url


def test_a_nation_wide_auditor_chooses_among_the_funds(client: Client, tree: Tree, fund: Fund,
                                                        other: dict[str, Any]) -> None:
    auditor = make_user("kiem_tra_tw", role=Role.AUDITOR, unit=tree.nation)
    page = login(client, auditor).get(reverse("fund:home")).content.decode()
    assert fund.name in page and other["fund"].name in page


def test_a_province_without_a_fund_says_so(client: Client, tree: Tree) -> None:
    officer = make_user("tinh_c", role=Role.AREA_OFFICER, unit=tree.other_province)
    page = login(client, officer).get(reverse("fund:home")).content.decode()
    assert "Chưa có quỹ nào trong phạm vi của bạn." in page


def test_empty_lists_say_so(client: Client, manager: Any, fund: Fund) -> None:
    login(client, manager)
    f = fund.public_id
    empty = {"fund:fund_detail": "Quỹ chưa nhận khoản tài trợ nào.",
             "fund:donor_list": "Quỹ chưa có nhà tài trợ nào.",
             "fund:receipt_list": "Chưa nhận khoản tiền nào.",
             "fund:lot_list": "Chưa nhận hiện vật nào.",
             "fund:campaign_list": "Quỹ chưa có đợt vận động nào.",
             "fund:pledge_list": "Chưa có cam kết tài trợ nào.",
             "fund:journal_list": "Quỹ chưa có bút toán nào.",
             "fund:area_list": "Quỹ chưa có địa bàn nào."}
    for name, text in empty.items():
        assert text in client.get(reverse(name, args=[f])).content.decode(), name


# --- Donors --------------------------------------------------------------------------------------

def test_a_donor_with_a_known_tax_code_is_refused_naming_the_one_listed(
        client: Client, manager: Any, fund: Fund, donor: Donor) -> None:
    url = reverse("fund:donor_create", args=[fund.public_id])
    login(client, manager)
    with writes_nothing(written):
        page = client.post(url, {"kind": "business", "name": "Công ty TNHH Sông Hiến mới",
                                 "tax_code": "0101234567"})
    assert page.status_code == 200
    assert str(exc.TAX_CODE_TAKEN % {"name": donor.name}) in page.content.decode()


def test_a_similar_donor_is_refused_with_its_name_until_the_officer_confirms(
        client: Client, manager: Any, fund: Fund, donor: Donor) -> None:
    url = reverse("fund:donor_create", args=[fund.public_id])
    login(client, manager)
    typed = {"kind": "individual", "name": "Cong ty Song Hien", "phone": "+84 912 345 678"}
    with writes_nothing(written):
        page = client.post(url, typed).content.decode()
    assert "Có thể trùng với nhà tài trợ đã có" in page
    assert reverse("fund:donor_detail", args=[donor.public_id]) in page
    assert 'type="checkbox" name="distinct_from_similar"' in page
    done = client.post(url, {**typed, "distinct_from_similar": "on"})
    added = Donor.objects.get(name="Cong ty Song Hien")
    assert done["Location"] == reverse("fund:donor_detail", args=[added.public_id])
    assert added.phone == "0912345678" and not added.named_publicly


def test_the_donor_list_and_picker_find_a_donor_by_name_without_accents(
        client: Client, manager: Any, fund: Fund, donor: Donor, other: dict[str, Any]) -> None:
    login(client, manager)
    found = client.get(reverse("fund:donor_list", args=[fund.public_id]),
                       {"q": "SONG HIEN"}).content.decode()
    assert donor.name in found
    none = client.get(reverse("fund:donor_list", args=[fund.public_id]),
                      {"q": "ho guom"}).content.decode()
    assert other["donor"].name not in none and "Không có nhà tài trợ nào tên khớp" in none
    picked = client.get(reverse("fund:donor_search", args=[fund.public_id]),
                        {"donor_q": "song"}).content.decode()
    assert f'value="{donor.public_id}"' in picked


def test_a_donors_page_shows_its_gifts_and_totals_without_what_was_reversed(
        client: Client, manager: Any, fund: Fund, donor: Donor, receipt: Receipt) -> None:
    mistaken = services.receipt_record(actor=manager, fund=fund, donor=donor, amount=700_000,
                                       received_on=DAY, channel=Channel.CASH,
                                       receipt_number="BL-7")
    services.journal_reverse(actor=manager, journal=mistaken.journal, reason="Ghi nhầm")
    gifts.goods_receive(actor=manager, fund=fund, donor=donor, description="Xe đạp",
                        quantity=4, measure="chiếc", value=6_000_000, valuation="Hóa đơn",
                        received_on=DAY)
    gifts.pledge_create(actor=manager, fund=fund, donor=donor, pledged_on=DAY,
                        amount=3_000_000)
    page = login(client, manager).get(
        reverse("fund:donor_detail", args=[donor.public_id])).content.decode()
    for text in (money(90_000_000), money(6_000_000), money(3_000_000), "Xe đạp", "BL-7",
                 "đã đảo"):
        assert text in page, text


# --- Money received ----------------------------------------------------------------------------

def receipt_form(giver: Donor, **fields: Any) -> dict[str, Any]:
    return {"donor": str(giver.public_id), "amount": "1.500.000", "received_on": "01/06/2026",
            "channel": "bank", "bank_reference": "FT26152999", "earmark": "unrestricted",
            **fields}


def test_money_is_received_under_a_new_earmark_for_a_commune(
        client: Client, manager: Any, fund: Fund, donor: Donor, tree: Tree) -> None:
    campaign = gifts.campaign_create(actor=manager, fund=fund, kind="june_first",
                                     name="Vì trẻ em 1/6", starts_on=DAY, ends_on=DAY,
                                     goal=10_000_000)
    login(client, manager)
    done = client.post(reverse("fund:receipt_create", args=[fund.public_id]), receipt_form(
        donor, earmark="new:place", commune="01279", campaign=str(campaign.public_id)))
    assert done["Location"] == reverse("fund:receipt_list", args=[fund.public_id])
    posting = Receipt.objects.get(bank_reference="FT26152999").journal.postings.get(
        account="available")
    assert (posting.amount, posting.restriction.unit, posting.campaign) == (
        1_500_000, tree.commune_b, campaign)
    listed = client.get(done["Location"], {"campaign": str(campaign.public_id),
                                           "month": "6", "year": "2026"}).content.decode()
    assert money(1_500_000) in listed and "Xã Hòa An" in listed


@pytest.mark.parametrize("amount", ["-5", "1,5", "mười nghìn", "0", "1.000.000.000.000.001"])
def test_a_bad_amount_is_refused_in_vietnamese_and_nothing_is_written(
        client: Client, manager: Any, fund: Fund, donor: Donor, amount: str) -> None:
    login(client, manager)
    with writes_nothing(written):
        page = client.post(reverse("fund:receipt_create", args=[fund.public_id]),
                           receipt_form(donor, amount=amount, earmark="new:programme",
                                        programme="Học bổng"))
    assert page.status_code == 200
    assert str(exc.AMOUNT_INVALID) in page.content.decode()


def test_a_bank_reference_received_twice_is_refused_and_its_new_earmark_not_kept(
        client: Client, manager: Any, fund: Fund, donor: Donor, receipt: Receipt) -> None:
    login(client, manager)
    with writes_nothing(written):
        page = client.post(reverse("fund:receipt_create", args=[fund.public_id]),
                           receipt_form(donor, bank_reference="FT26152001",
                                        earmark="new:programme", programme="Học bổng Tết"))
    assert str(exc.BANK_REFERENCE_TAKEN % {"reference": "FT26152001"}) in \
        page.content.decode()


def test_cash_needs_its_receipt_number_and_a_new_earmark_its_target(
        client: Client, manager: Any, fund: Fund, donor: Donor) -> None:
    login(client, manager)
    url = reverse("fund:receipt_create", args=[fund.public_id])
    with writes_nothing(written):
        cash = client.post(url, receipt_form(donor, channel="cash", bank_reference=""))
        place = client.post(url, receipt_form(donor, earmark="new:place"))
        nobody = client.post(url, receipt_form(donor, donor=""))
    assert str(exc.RECEIPT_NUMBER_REQUIRED) in cash.content.decode()
    assert "Hãy chọn xã, phường được chỉ định." in place.content.decode()
    assert "Hãy gõ tên nhà tài trợ rồi chọn trong danh sách." in nobody.content.decode()


def test_a_receipt_honours_an_open_pledge_of_its_own_donor_only(
        client: Client, manager: Any, fund: Fund, donor: Donor) -> None:
    pledge = gifts.pledge_create(actor=manager, fund=fund, donor=donor, pledged_on=DAY,
                                 amount=5_000_000)
    someone = services.donor_create(actor=manager, fund=fund, kind="individual", name="Lò Văn A")
    login(client, manager)
    url = reverse("fund:receipt_create", args=[fund.public_id])
    assert f"Công ty Sông Hiến — 01/06/2026 — {money(5_000_000)}".replace("\u00a0", " ") in \
        client.get(url).content.decode()
    with writes_nothing(written):
        wrong = client.post(url, receipt_form(someone, pledge=str(pledge.public_id)))
    assert str(exc.PLEDGE_OF_ANOTHER_DONOR) in wrong.content.decode()
    client.post(url, receipt_form(donor, pledge=str(pledge.public_id)))
    assert Receipt.objects.get(bank_reference="FT26152999").pledge == pledge


def add_gifts(manager: Any, fund: Fund, n: int) -> None:
    """`n` donors, each with a receipt, a goods lot, a pledge and a campaign."""
    for k in range(n):
        giver = services.donor_create(actor=manager, fund=fund, kind="individual",
                                      name=f"Người tặng {Donor.objects.count()}")
        campaign = gifts.campaign_create(actor=manager, fund=fund, kind="tet", name=f"Tết {k}",
                                         starts_on=DAY, ends_on=DAY, goal=1_000_000)
        services.receipt_record(actor=manager, fund=fund, donor=giver, amount=1_000 + k,
                                received_on=DAY, channel=Channel.CASH,
                                receipt_number=f"BL-{giver.pk}", campaign=campaign)
        gifts.goods_receive(actor=manager, fund=fund, donor=giver, description="Sách",
                            quantity=3, measure="cuốn", value=90_000, valuation="Hóa đơn",
                            received_on=DAY)
        gifts.pledge_create(actor=manager, fund=fund, donor=giver, pledged_on=DAY,
                            amount=500_000, campaign=campaign)


@pytest.mark.parametrize("name", ["donor_list", "receipt_list", "lot_list", "campaign_list",
                                  "pledge_list", "journal_list"])
def test_a_list_reads_as_many_queries_for_twelve_rows_as_for_one(
        client: Client, manager: Any, fund: Fund, name: str) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, manager)
    url = reverse(f"fund:{name}", args=[fund.public_id])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    add_gifts(manager, fund, 1)
    one = count()
    add_gifts(manager, fund, 11)
    assert count() == one

"""Money given back to a donor, on the page and over the API: the buckets holding money (earmark,
and campaign if any) offered with their balances, goods never; a return recorded moves money
from `available` to `returned` and leads to its journal; above the balance, a future day, a
bad amount or no reason is refused in Vietnamese with nothing written. The fund's manager
only: readers get 403, another province 404."""

import datetime
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from treem.accounts.roles import Role
from treem.audit.models import AuditEvent
from treem.fund import exceptions as exc
from treem.fund import gifts, services
from treem.fund.ledger_reports import journal_reference
from treem.fund.models import (
    Account,
    Campaign,
    Fund,
    Journal,
    JournalKind,
    Posting,
    Restriction,
    RestrictionKind,
)
from treem.fund.templatetags.fund_money import money
from treem.fund.tests.conftest import DAY, give
from treem.testing import Personas, Tree, login, make_user, writes_nothing

pytestmark = pytest.mark.django_db
API = "/api/v1"
REASON = "Hoàn trả Công ty 5000000 theo công văn số 12/CV"


def written() -> tuple[int, int, int]:
    return Journal.objects.count(), Posting.objects.count(), AuditEvent.objects.count()


@pytest.fixture
def programme(fund: Fund, manager: Any) -> Restriction:
    return gifts.restriction_for(actor=manager, fund=fund, kind=RestrictionKind.PROGRAMME,
                                 programme="Học bổng vùng cao")


@pytest.fixture
def campaign(fund: Fund, manager: Any) -> Campaign:
    return gifts.campaign_create(actor=manager, fund=fund, kind="mid_autumn",
                                 name="Trung thu 2026", starts_on=DAY,
                                 ends_on=DAY + datetime.timedelta(days=60), goal=50_000_000)


@pytest.fixture
def held(fund: Fund, manager: Any, programme: Restriction, campaign: Campaign) -> None:
    """5,000,000 đ of the programme with no campaign, 3,000,000 raised for it by the campaign,
    and a box of school supplies of the programme (goods: not given back here)."""
    receipt = give(manager, fund, 5_000_000, restriction=programme)
    give(manager, fund, 3_000_000, restriction=programme, campaign=campaign)
    gifts.goods_receive(actor=manager, fund=fund, donor=receipt.donor, description="Vở viết",
                        quantity=100, measure="quyển", value=1_000_000,
                        valuation="Theo hóa đơn", received_on=DAY, restriction=programme)


def url(fund: Fund) -> str:
    return reverse("fund:money_return", args=[fund.public_id])


def post(client: Client, fund: Fund, bucket: str, amount: str = "1.000.000",
         day: str = "01/06/2026", reason: str = REASON) -> Any:
    return client.post(url(fund), {"bucket": bucket, "amount": amount, "day": day,
                                   "reason": reason})


def available(fund: Fund, restriction: Restriction, campaign: Campaign | None = None) -> int:
    return services.balance(fund, restriction, campaign=campaign)


@pytest.mark.usefixtures("held")
class ReturnPageTests:
    def test_the_page_offers_each_bucket_holding_money_with_its_balance(
            self, client: Client, manager: Any, fund: Fund, programme: Restriction,
            campaign: Campaign) -> None:
        login(client, manager)
        page = client.get(url(fund)).content.decode()
        assert f'<option value="{programme.pk}">Học bổng vùng cao — còn {money(5_000_000)}' \
            in page
        assert (f'<option value="{programme.pk}:{campaign.public_id}">Học bổng vùng cao · '
                f'Trung thu 2026 — còn {money(3_000_000)}') in page
        assert "Vở viết" not in page and money(1_000_000) not in page  # goods: not here
        assert "Số dư có thể hoàn trả" not in page  # nothing chosen yet

    def test_the_fund_page_links_each_money_line_to_its_return(
            self, client: Client, personas: Personas, manager: Any, fund: Fund,
            programme: Restriction, campaign: Campaign) -> None:
        login(client, manager)
        detail = client.get(reverse("fund:fund_detail", args=[fund.public_id])).content.decode()
        link = f"{url(fund)}?bucket={programme.pk}:{campaign.public_id}"
        assert f'href="{link}"' in detail and f'href="{url(fund)}?bucket={programme.pk}"' \
            in detail and f'href="{url(fund)}"' in detail
        chosen = client.get(link).content.decode()
        assert f'value="{programme.pk}:{campaign.public_id}" selected' in chosen
        assert f"Số dư có thể hoàn trả của nguồn đã chọn: <strong>{money(3_000_000)}" in chosen
        reader = login(Client(), personas.auditor)
        page = reader.get(reverse("fund:fund_detail", args=[fund.public_id])).content.decode()
        assert url(fund) not in page

    def test_a_return_moves_money_to_returned_and_leads_to_its_journal(
            self, client: Client, manager: Any, fund: Fund, programme: Restriction,
            campaign: Campaign) -> None:
        login(client, manager)
        done = post(client, fund, f"{programme.pk}:{campaign.public_id}", "2.500.000 đ")
        journal = Journal.objects.get(kind=JournalKind.RETURN)
        assert done.status_code == 302
        assert done["Location"] == reverse("fund:journal_detail", args=[journal.public_id])
        assert (journal.day, journal.reason, journal.created_by) == (DAY, REASON, manager)
        assert available(fund, programme, campaign) == 500_000
        assert available(fund, programme) == 5_000_000  # the other bucket is untouched
        assert services.balance(fund, programme, Account.RETURNED, campaign=campaign) == 2_500_000
        shown = client.get(done["Location"]).content.decode()
        assert f"Đã ghi hoàn trả {money(2_500_000)} từ “Học bổng vùng cao” " \
               f"({journal_reference(journal)})." in shown and REASON in shown

    def test_the_whole_balance_may_go_back_but_not_a_dong_more(
            self, client: Client, manager: Any, fund: Fund, programme: Restriction) -> None:
        login(client, manager)
        with writes_nothing(written):
            refused = post(client, fund, str(programme.pk), "5.000.001")
        assert refused.status_code == 200
        assert str(exc.OVER_BALANCE % {"restriction": "Học bổng vùng cao",
                                       "balance": 5_000_000, "amount": 5_000_001}) \
            in refused.content.decode()
        assert post(client, fund, str(programme.pk), "5.000.000").status_code == 302
        assert available(fund, programme) == 0

    @pytest.mark.parametrize(("field", "value", "message"), [
        ("amount", "10,5", exc.AMOUNT_INVALID), ("amount", "0", exc.AMOUNT_INVALID),
        ("amount", "-1000", exc.AMOUNT_INVALID), ("reason", "", exc.REASON_REQUIRED),
        ("day", "tomorrow", exc.DAY_IN_FUTURE), ("bucket", "", "Hãy chọn nguồn tiền hoàn trả."),
        ("bucket", "goods", "Hãy chọn nguồn tiền hoàn trả.")])
    def test_bad_input_is_refused_in_vietnamese_with_nothing_written(
            self, client: Client, manager: Any, fund: Fund, programme: Restriction,
            field: str, value: str, message: Any) -> None:
        login(client, manager)
        if value == "tomorrow":
            value = f"{timezone.localdate() + datetime.timedelta(days=1):%d/%m/%Y}"
        if value == "goods":  # the lot's bucket is never a choice
            value = f"{programme.pk}:lot"
        form = {"bucket": str(programme.pk), "amount": "1.000.000", "day": "01/06/2026",
                "reason": REASON, field: value}
        with writes_nothing(written):
            refused = client.post(url(fund), form)
        assert refused.status_code == 200 and str(message) in refused.content.decode()

    def test_readers_get_403_and_another_province_404(
            self, client: Client, tree: Tree, personas: Personas, approver: Any, fund: Fund,
            programme: Restriction) -> None:
        with writes_nothing(written):
            for reader in (personas.province_officer, personas.auditor, approver):
                login(client, reader)
                assert client.get(url(fund)).status_code == 403
                assert post(client, fund, str(programme.pk)).status_code == 403
            login(client, personas.officer)  # the commune reads needs, not the ledger
            assert client.get(url(fund)).status_code == 403
            login(client, make_user("quy_c", role=Role.FUND_MANAGER, unit=tree.other_province))
            assert client.get(url(fund)).status_code == 404
            assert post(client, fund, str(programme.pk)).status_code == 404


def test_a_fund_without_money_says_so(client: Client, manager: Any, fund: Fund) -> None:
    login(client, manager)
    page = client.get(url(fund)).content.decode()
    assert "Quỹ không còn tiền chưa sử dụng để hoàn trả." in page
    assert 'name="bucket"' not in page  # no form to fill in


def send(client: Client, fund: Fund, body: dict[str, Any]) -> Any:
    return client.post(f"{API}/funds/{fund.public_id}/returns", json.dumps(body),
                       content_type="application/json")


@pytest.mark.usefixtures("held")
class ReturnApiTests:
    def test_a_return_is_a_journal_of_the_bucket(self, client: Client, manager: Any,
                                                 fund: Fund, programme: Restriction,
                                                 campaign: Campaign) -> None:
        login(client, manager)
        made = send(client, fund, {"restriction": programme.pk,
                                   "campaign": str(campaign.public_id), "amount": 3_000_000,
                                   "day": "2026-06-01", "reason": REASON})
        assert made.status_code == 201
        body = made.json()
        assert (body["kind"], body["reason"], body["day"]) == ("return", REASON, "2026-06-01")
        assert sorted((p["account"], p["amount"]) for p in body["postings"]) == [
            ("available", -3_000_000), ("returned", 3_000_000)]
        assert available(fund, programme, campaign) == 0

    def test_above_the_balance_or_a_future_day_is_a_422_writing_nothing(
            self, client: Client, manager: Any, fund: Fund, programme: Restriction) -> None:
        login(client, manager)
        body = {"restriction": programme.pk, "amount": 5_000_001, "day": "2026-06-01",
                "reason": REASON}
        tomorrow = f"{timezone.localdate() + datetime.timedelta(days=1):%Y-%m-%d}"
        with writes_nothing(written):
            over = send(client, fund, body)
            assert over.status_code == 422
            assert over.json()["errors"][0]["loc"] == ["body", "amount"]
            for bad in ({"day": tomorrow}, {"amount": "1000"}, {"amount": 1.5},
                        {"reason": ""}, {"restriction": None}):
                # No restriction: the unrestricted money, of which this fund has none.
                assert send(client, fund, {**body, "amount": 1_000, **bad}).status_code == 422

    def test_readers_get_403_and_another_funds_records_404(
            self, tree: Tree, personas: Personas, manager: Any, fund: Fund,
            programme: Restriction) -> None:
        body = {"restriction": programme.pk, "amount": 1_000, "day": "2026-06-01",
                "reason": REASON}
        manager_c = make_user("quy_c", role=Role.FUND_MANAGER, unit=tree.other_province)
        fund_c = services.fund_open(actor=None, unit=tree.other_province, name="Quỹ Hà Nội")
        with writes_nothing(written):
            assert send(login(Client(), personas.auditor), fund, body).status_code == 403
            assert send(login(Client(), manager_c), fund, body).status_code == 404
            # This fund's earmark named in the other fund's return.
            assert send(login(Client(), manager_c), fund_c, body).status_code == 404
            assert send(login(Client(), manager), fund, {
                **body, "campaign": "00000000-0000-4000-8000-000000000000"}).status_code == 404

"""The pages of goods, campaigns, pledges, areas and priority rules: each form records through
its service and shows its refusals in Vietnamese with nothing written; the goods list shows
what is left of each lot; a campaign its progress toward its goal."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from treem.fund import allocations, services
from treem.fund import exceptions as exc
from treem.fund.models import (
    Area,
    Campaign,
    Channel,
    Donor,
    Fund,
    GoodsLot,
    Pledge,
    PledgeStatus,
    PriorityRule,
)
from treem.fund.services import Bucket
from treem.fund.templatetags.fund_money import money
from treem.fund.tests.conftest import DAY, approved_need
from treem.fund.tests.test_ledger_pages import written
from treem.registry.models import Child
from treem.testing import Personas, Tree, login, writes_nothing

pytestmark = pytest.mark.django_db


@pytest.fixture
def donor(fund: Fund, manager: Any) -> Donor:
    return services.donor_create(actor=manager, fund=fund, kind="business",
                                 name="Công ty Sông Hiến")


def lot_form(donor: Donor, **fields: Any) -> dict[str, Any]:
    return {"donor": str(donor.public_id), "description": "Bộ đồ dùng học tập",
            "quantity": "20", "measure": "bộ", "value": "4.000.000",
            "valuation": "Theo hóa đơn", "received_on": "01/06/2026",
            "earmark": "new:need", "need_kind": "school", **fields}


def test_goods_are_received_and_the_list_shows_what_is_left_of_the_lot(
        client: Client, personas: Personas, manager: Any, fund: Fund, donor: Donor,
        child: Child) -> None:
    login(client, manager)
    url = reverse("fund:lot_create", args=[fund.public_id])
    with writes_nothing(written):
        refused = client.post(url, lot_form(donor, quantity="0", measure=""))
    text = refused.content.decode()
    assert str(exc.QUANTITY_INVALID) in text and str(exc.MEASURE_REQUIRED) in text
    done = client.post(url, lot_form(donor))
    assert done["Location"] == reverse("fund:lot_list", args=[fund.public_id])
    lot = GoodsLot.objects.get()
    earmark = lot.journal.postings.get(account="available").restriction
    assert earmark.need_kind is not None and earmark.need_kind.code == "school"
    allocations.allocate(actor=manager, need=approved_need(personas, child, code="school"),
                         bucket=Bucket(earmark, None, lot), quantity=5)
    listed = client.get(done["Location"]).content.decode()
    assert "15 bộ" in listed and money(3_000_000) in listed and money(4_000_000) in listed


def test_a_campaign_is_created_and_shows_its_progress(client: Client, manager: Any,
                                                      fund: Fund, donor: Donor) -> None:
    login(client, manager)
    url = reverse("fund:campaign_create", args=[fund.public_id])
    form = {"kind": "june_first", "name": "Vì trẻ em 1/6", "starts_on": "01/05/2026",
            "ends_on": "30/06/2026", "goal": "10.000.000"}
    with writes_nothing(written):
        backwards = client.post(url, {**form, "ends_on": "01/04/2026"})
    assert str(exc.CAMPAIGN_DATES) in backwards.content.decode()
    done = client.post(url, form)
    assert done["Location"] == reverse("fund:campaign_list", args=[fund.public_id])
    campaign = Campaign.objects.get()
    services.receipt_record(actor=manager, fund=fund, donor=donor, amount=2_500_000,
                            received_on=DAY, channel=Channel.CASH, receipt_number="BL-1",
                            campaign=campaign)
    page = client.get(done["Location"]).content.decode()
    assert "<strong>25 %</strong>" in page
    assert 'max="10000000" value="2500000"' in page and money(2_500_000) in page


def test_a_pledge_is_made_then_cancelled_only_with_a_reason(
        client: Client, manager: Any, fund: Fund, donor: Donor) -> None:
    login(client, manager)
    with writes_nothing(written):
        empty = client.post(reverse("fund:pledge_create", args=[fund.public_id]),
                            {"donor": str(donor.public_id), "pledged_on": "01/06/2026",
                             "earmark": "unrestricted"})
    assert str(exc.PLEDGE_EMPTY) in empty.content.decode()
    done = client.post(reverse("fund:pledge_create", args=[fund.public_id]),
                       {"donor": str(donor.public_id), "pledged_on": "01/06/2026",
                        "amount": "5.000.000", "goods": "Áo ấm", "earmark": "unrestricted"})
    assert done["Location"] == reverse("fund:pledge_list", args=[fund.public_id])
    pledge = Pledge.objects.get()
    close = reverse("fund:pledge_close", args=[pledge.public_id])
    refused = client.post(close, {"status": "cancelled"}, follow=True)
    assert str(exc.REASON_REQUIRED) in refused.content.decode()
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.OPEN
    client.post(close, {"status": "cancelled", "reason": "Doanh nghiệp giải thể"})
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.CANCELLED
    closed = client.get(done["Location"], {"status": "cancelled"}).content.decode()
    assert "Áo ấm" in closed and "Đã hủy" in closed


def test_an_area_of_the_provinces_communes_is_created(client: Client, manager: Any,
                                                      fund: Fund, tree: Tree) -> None:
    login(client, manager)
    url = reverse("fund:area_create", args=[fund.public_id])
    with writes_nothing(lambda: Area.objects.count()):
        outside = client.post(url, {"name": "Xã vùng cao", "units": ["00070"]})
        empty = client.post(url, {"name": "Xã vùng cao"})
    assert str(exc.AREA_UNIT_INVALID) in outside.content.decode()
    assert str(exc.AREA_EMPTY) in empty.content.decode()
    client.post(url, {"name": "Xã vùng cao", "units": ["01273", "01279"], "mountain": "on"})
    area = Area.objects.get()
    assert area.mountain and set(area.units.all()) == {tree.commune_a, tree.commune_b}
    page = client.get(reverse("fund:area_list", args=[fund.public_id])).content.decode()
    assert "Xã vùng cao" in page and "Xã Hòa An" in page


def test_a_priority_rule_is_set_by_the_manager_and_read_by_the_auditor(
        client: Client, personas: Personas, manager: Any, fund: Fund) -> None:
    login(client, manager)
    url = reverse("fund:rule_set", args=[fund.public_id])
    rule = PriorityRule.objects.get(fund=fund, criterion="poor_household")
    refused = client.post(url, {"criterion": "poor_household", "points": "2000"}, follow=True)
    assert str(exc.POINTS_INVALID) in refused.content.decode()
    group = client.post(url, {"criterion": "poor_household", "group": "a", "points": "5"},
                        follow=True)
    assert str(exc.GROUP_ONLY_FOR_CIRCUMSTANCE) in group.content.decode()
    rule.refresh_from_db()
    assert (rule.points, rule.active) == (30, True)
    client.post(url, {"criterion": "poor_household", "points": "45"})
    rule.refresh_from_db()
    assert (rule.points, rule.active) == (45, False)
    page = login(Client(), personas.auditor).get(
        reverse("fund:rule_list", args=[fund.public_id])).content.decode()
    assert "Hộ nghèo" in page and ">45<" in page and 'name="points"' not in page

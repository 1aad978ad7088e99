"""The fund over the API: each operation for its actor, with a Bearer token and with a browser
session; bad input a Vietnamese 422 that writes nothing (money a JSON integer of đồng, never a
float or a string); another province's fund, donor or journal and another commune's need or
allocation 404; a reader writing 403; a second support of the same kind for one child a 409
listing what was found."""

import datetime
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from treem.accounts.roles import Role
from treem.accounts.services import token_create
from treem.audit.models import Action, AuditEvent
from treem.fund import allocations, gifts, needs, services
from treem.fund.models import (
    Allocation,
    AllocationStatus,
    Campaign,
    Delivery,
    DeliveryProof,
    Donor,
    Fund,
    GoodsLot,
    Journal,
    Need,
    NeedStatus,
    Pledge,
    Posting,
    Receipt,
    Restriction,
)
from treem.fund.services import Bucket
from treem.fund.tests.conftest import YEAR, approved_need, give, kind
from treem.fund.tests.test_importing import line, statement
from treem.registry.choices import SupportKind
from treem.registry.models import Child, ChildSupport
from treem.registry.tests.factories import make_child
from treem.testing import Personas, Tree, login, make_user

pytestmark = pytest.mark.django_db
JSON = "application/json"
API = "/api/v1"
PDF = b"%PDF-1.4\n% bien nhan co chu ky\n"
TODAY = timezone.localdate()


def bearer(user: Any) -> Client:
    _token, raw = token_create(user=user, name="thử quỹ", days=1)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def session(user: Any) -> Client:
    return login(Client(), user)


VIAS: dict[str, Callable[[Any], Client]] = {"token": bearer, "session": session}


@pytest.fixture(params=list(VIAS))
def via(request: pytest.FixtureRequest) -> Callable[[Any], Client]:
    """Each test using it runs with a Bearer token and with a signed-in browser's session."""
    return VIAS[request.param]


def post(client: Client, url: str, body: Any) -> Any:
    return client.post(f"{API}{url}", json.dumps(body), content_type=JSON)


def get(client: Client, url: str, **query: Any) -> Any:
    return client.get(f"{API}{url}", query)


def written() -> tuple[int, ...]:
    """Every row an operation of the fund could write, its audit events included (not the
    tokens the tests make): nothing changes when it refuses."""
    return (*(model.objects.count() for model in (
        Donor, Receipt, GoodsLot, Campaign, Pledge, Journal, Posting, Restriction, Need,
        Allocation, Delivery, DeliveryProof)),
        AuditEvent.objects.exclude(action=Action.TOKEN_CREATED).count())


def refused_with(response: Any, status: int) -> dict[str, Any]:
    """The error of `status`, in the API's one shape and in Vietnamese."""
    assert response.status_code == status, response.content[:600]
    body = response.json()
    assert {"detail", "code", "errors"} <= set(body)
    assert any("À" <= ch <= "ỹ" for ch in body["detail"]), body["detail"]
    return body


def locations(body: dict[str, Any]) -> list[list[Any]]:
    return [error["loc"] for error in body["errors"]]


@pytest.fixture
def fund_c(tree: Tree) -> Fund:
    return services.fund_open(actor=None, unit=tree.other_province, name="Quỹ Hà Nội")


@pytest.fixture
def manager_c(tree: Tree) -> Any:
    return make_user("quy_c", role=Role.FUND_MANAGER, unit=tree.other_province)


def donor_of(manager: Any, fund: Fund, name: str = "Công ty Sông Hiến", **fields: Any) -> Donor:
    return services.donor_create(actor=manager, fund=fund, kind="business", name=name, **fields)


MONEY = {"amount": 5_000_000, "received_on": "2026-06-01", "channel": "bank",
         "bank_reference": "FT26152001"}


# --- Funds ----------------------------------------------------------------------------------------

class FundTests:
    def test_the_manager_reads_the_balances_worked_out_by_hand(
            self, via: Callable[[Any], Client], fund: Fund, manager: Any, fund_c: Fund) -> None:
        give(manager, fund, 10_000_000)
        lot = gifts.goods_receive(actor=manager, fund=fund, donor=donor_of(manager, fund),
                                  description="Bộ đồ dùng học tập", quantity=20, measure="bộ",
                                  value=4_000_000, valuation="Theo hóa đơn",
                                  received_on=datetime.date(2026, 6, 1))
        client = via(manager)
        listed = get(client, "/funds").json()
        assert [item["id"] for item in listed["items"]] == [str(fund.public_id)]
        body = get(client, f"/funds/{fund.public_id}").json()
        assert body["totals"] == {"donations": -14_000_000, "available": 14_000_000,
                                  "allocated": 0, "disbursed": 0, "returned": 0}
        by_lot = {row["lot"]: row for row in body["balances"]}
        assert by_lot[None]["available"] == 10_000_000
        assert by_lot[None]["restriction"]["kind"] == "unrestricted"
        assert (by_lot[str(lot.public_id)]["available"],
                by_lot[str(lot.public_id)]["quantity_available"]) == (4_000_000, 20)
        assert get(client, f"/funds/{fund_c.public_id}").status_code == 404

    def test_a_reader_reads_and_a_commune_officer_may_not(
            self, fund: Fund, personas: Personas) -> None:
        assert get(bearer(personas.auditor), f"/funds/{fund.public_id}").status_code == 200
        refused_with(get(bearer(personas.officer), "/funds"), 403)


# --- Donors ---------------------------------------------------------------------------------------

class DonorTests:
    def test_the_manager_adds_a_donor_and_reads_what_it_gave(
            self, via: Callable[[Any], Client], fund: Fund, manager: Any) -> None:
        client = via(manager)
        made = post(client, f"/funds/{fund.public_id}/donors",
                    {"kind": "business", "name": "Công ty Sông Hiến", "tax_code": "0101234567"})
        assert made.status_code == 201, made.content
        donor_id = made.json()["id"]
        assert post(client, f"/funds/{fund.public_id}/receipts",
                    {**MONEY, "donor": donor_id}).status_code == 201
        gifts.pledge_create(actor=manager, fund=fund, donor=Donor.objects.get(public_id=donor_id),
                            pledged_on=datetime.date(2026, 6, 1), amount=3_000_000)
        detail = get(client, f"/donors/{donor_id}").json()
        assert (detail["received"], detail["pledged_open"], detail["named_publicly"]) == (
            5_000_000, 3_000_000, False)
        listed = get(client, f"/funds/{fund.public_id}/donors", q="song hien").json()
        assert [(item["id"], item["received"]) for item in listed["items"]] == [
            (donor_id, 5_000_000)]

    def test_a_similar_donor_is_refused_naming_it_until_confirmed(
            self, fund: Fund, manager: Any) -> None:
        donor_of(manager, fund, "Nguyễn Văn Tâm", phone="0912345678")
        client = bearer(manager)
        twin = {"kind": "individual", "name": "Nguyen Van Tam", "phone": "+84 912 345 678"}
        before = written()
        body = refused_with(post(client, f"/funds/{fund.public_id}/donors", twin), 422)
        assert "Nguyễn Văn Tâm" in body["detail"]
        assert locations(body) == [["body", "name"]]
        assert written() == before
        confirmed = post(client, f"/funds/{fund.public_id}/donors",
                         {**twin, "distinct_from_similar": True})
        assert confirmed.status_code == 201

    def test_a_reader_writing_is_403_and_another_provinces_manager_404(
            self, fund: Fund, manager: Any, manager_c: Any, personas: Personas) -> None:
        donor = donor_of(manager, fund)
        body = {"kind": "business", "name": "Công ty Mới"}
        before = written()
        refused_with(post(bearer(personas.province_officer), f"/funds/{fund.public_id}/donors",
                          body), 403)
        refused_with(post(bearer(manager_c), f"/funds/{fund.public_id}/donors", body), 404)
        refused_with(get(bearer(manager_c), f"/donors/{donor.public_id}"), 404)
        assert written() == before


# --- Receipts, goods, campaigns, pledges -----------------------------------------------------------

class ReceiptTests:
    @pytest.mark.parametrize("amount", [5_000_000.0, 5_000_000.5, "5000000", True, -1, 0,
                                        10**13])
    def test_money_is_a_json_integer_of_dong(self, fund: Fund, manager: Any,
                                             amount: Any) -> None:
        donor = donor_of(manager, fund)
        before = written()
        body = refused_with(post(bearer(manager), f"/funds/{fund.public_id}/receipts",
                                 {**MONEY, "donor": str(donor.public_id), "amount": amount}),
                            422)
        assert locations(body) == [["body", "amount"]]
        assert written() == before

    def test_an_earmarked_transfer_is_received_once(self, via: Callable[[Any], Client],
                                                    fund: Fund, manager: Any) -> None:
        donor = donor_of(manager, fund)
        client = via(manager)
        campaign = gifts.campaign_create(actor=manager, fund=fund, kind="june_first",
                                         name="Vì trẻ em 1/6", starts_on=datetime.date(2026, 6, 1),
                                         ends_on=datetime.date(2026, 6, 30), goal=20_000_000)
        body = {**MONEY, "donor": str(donor.public_id), "campaign": str(campaign.public_id),
                "restriction": {"kind": "need", "need_kind": "scholarship"}}
        made = post(client, f"/funds/{fund.public_id}/receipts", body)
        assert made.status_code == 201, made.content
        assert made.json()["restriction"]["need_kind"] == "scholarship"
        assert made.json()["campaign"] == str(campaign.public_id)
        before = written()
        again = refused_with(post(client, f"/funds/{fund.public_id}/receipts", body), 422)
        assert "FT26152001" in again["detail"]
        assert written() == before
        progress = get(client, f"/funds/{fund.public_id}/campaigns").json()["items"][0]
        assert (progress["raised"], progress["percent"]) == (5_000_000, 25)
        listed = get(client, f"/funds/{fund.public_id}/receipts",
                     donor=str(donor.public_id)).json()
        assert [item["amount"] for item in listed["items"]] == [5_000_000]

    def test_an_earmark_that_cannot_be_read_is_refused_where_it_is_and_leaves_nothing(
            self, fund: Fund, manager: Any) -> None:
        donor = donor_of(manager, fund)
        client = bearer(manager)
        before = written()
        for restriction, where in (({"kind": "need", "need_kind": "khong-co"}, "need_kind"),
                                   ({"kind": "programme"}, "programme"),
                                   ({"kind": "place", "unit": "99999"}, "unit")):
            body = refused_with(post(client, f"/funds/{fund.public_id}/receipts",
                                     {**MONEY, "donor": str(donor.public_id),
                                      "restriction": restriction}), 422)
            assert locations(body) == [["body", "restriction", where]]
        # A refusal after the earmark was made takes the new earmark back with it.
        refused_with(post(client, f"/funds/{fund.public_id}/receipts",
                          {**MONEY, "donor": str(donor.public_id), "received_on": "2199-01-01",
                           "restriction": {"kind": "programme", "programme": "Mùa hè"}}), 422)
        assert written() == before

    def test_a_donor_or_campaign_of_another_fund_is_not_found(
            self, fund: Fund, manager: Any, fund_c: Fund, manager_c: Any) -> None:
        donor, donor_c = donor_of(manager, fund), donor_of(manager_c, fund_c, "Công ty Hồ Gươm")
        campaign_c = gifts.campaign_create(actor=manager_c, fund=fund_c, kind="tet",
                                           name="Tết", starts_on=datetime.date(2026, 1, 1),
                                           ends_on=datetime.date(2026, 2, 1), goal=1_000_000)
        client = bearer(manager)
        before = written()
        refused_with(post(client, f"/funds/{fund.public_id}/receipts",
                          {**MONEY, "donor": str(donor_c.public_id)}), 404)
        refused_with(post(client, f"/funds/{fund.public_id}/receipts",
                          {**MONEY, "donor": str(donor.public_id),
                           "campaign": str(campaign_c.public_id)}), 404)
        assert written() == before

    def test_goods_and_pledges_are_recorded_and_listed(
            self, via: Callable[[Any], Client], fund: Fund, manager: Any) -> None:
        donor = donor_of(manager, fund)
        client = via(manager)
        pledge = post(client, f"/funds/{fund.public_id}/pledges",
                      {"donor": str(donor.public_id), "pledged_on": "2026-06-01",
                       "goods": "100 bộ sách giáo khoa"})
        assert pledge.status_code == 201, pledge.content
        lot = post(client, f"/funds/{fund.public_id}/goods",
                   {"donor": str(donor.public_id), "received_on": "2026-06-02",
                    "description": "Sách giáo khoa", "quantity": 100, "measure": "bộ",
                    "value": 15_000_000, "valuation": "Theo hóa đơn",
                    "pledge": pledge.json()["id"]})
        assert lot.status_code == 201, lot.content
        assert (lot.json()["quantity_left"], lot.json()["value_left"],
                lot.json()["pledge"]) == (100, 15_000_000, pledge.json()["id"])
        assert get(client, f"/funds/{fund.public_id}/goods").json()["count"] == 1
        assert get(client, f"/funds/{fund.public_id}/pledges").json()["items"][0]["goods"] == (
            "100 bộ sách giáo khoa")
        empty = refused_with(post(client, f"/funds/{fund.public_id}/pledges",
                                  {"donor": str(donor.public_id), "pledged_on": "2026-06-01"}),
                             422)
        assert locations(empty) == [["body", "amount"]]

    def test_a_campaign_ending_before_it_starts_is_refused(self, fund: Fund,
                                                           manager: Any) -> None:
        before = written()
        body = refused_with(post(bearer(manager), f"/funds/{fund.public_id}/campaigns",
                                 {"kind": "tet", "name": "Tết", "starts_on": "2027-02-01",
                                  "ends_on": "2027-01-01", "goal": 10_000_000}), 422)
        assert locations(body) == [["body", "ends_on"]]
        assert written() == before


# --- Needs ----------------------------------------------------------------------------------------

NEW_NEED = {"kind": "scholarship", "beneficiary": "child", "description": "Học bổng năm học",
            "amount": 2_000_000, "year": YEAR}


class NeedTests:
    def test_the_commune_proposes_and_the_province_approves(
            self, via: Callable[[Any], Client], fund: Fund, personas: Personas,
            child: Child) -> None:
        made = post(via(personas.officer), "/needs", {**NEW_NEED, "child": str(child.public_id)})
        assert made.status_code == 201, made.content
        need = made.json()
        assert (need["child_name"], need["status"], need["fund"]) == (
            "Lục Thị Mai", "proposed", str(fund.public_id))
        assert "Hộ nghèo" in need["priority_reasons"]
        decided = post(via(personas.province_officer), f"/needs/{need['id']}/decision",
                       {"approve": True})
        assert decided.json()["status"] == "approved"
        again = refused_with(post(via(personas.province_officer),
                                  f"/needs/{need['id']}/decision", {"approve": False,
                                                                    "reason": "Không đủ điều kiện"}),
                             409)
        assert again["code"] == "conflict"

    def test_a_fund_manager_reads_the_reference_not_the_childs_name(
            self, personas: Personas, manager: Any, fund: Fund, child: Child) -> None:
        need = approved_need(personas, child)
        items = get(bearer(manager), "/needs").json()["items"]
        assert [(item["reference"], item["child"], item["child_name"]) for item in items] == [
            (need.reference, None, None)]
        officer = get(bearer(personas.officer), "/needs", status="approved", kind="scholarship",
                      year=YEAR).json()["items"]
        assert officer[0]["child_name"] == "Lục Thị Mai"
        assert officer[0]["child"] == str(child.public_id)
        assert get(bearer(personas.officer), "/needs", kind="meals").json()["count"] == 0

    def test_another_communes_child_or_need_is_not_found(
            self, fund: Fund, personas: Personas, child: Child) -> None:
        before = written()
        refused_with(post(bearer(personas.outsider), "/needs",
                          {**NEW_NEED, "child": str(child.public_id)}), 404)
        refused_with(post(bearer(personas.officer), "/needs",
                          {**NEW_NEED, "beneficiary": "commune", "kind": "playground",
                           "commune": "01279"}), 404)
        assert written() == before
        need = approved_need(personas, child)
        refused_with(get(bearer(personas.outsider), f"/needs/{need.public_id}"), 404)
        before = written()
        refused_with(post(bearer(personas.outsider), f"/needs/{need.public_id}/cancel",
                          {"reason": "Em đã chuyển đi nơi khác"}), 404)
        assert written() == before

    def test_bad_input_is_refused_in_vietnamese_and_writes_nothing(
            self, fund: Fund, personas: Personas, child: Child) -> None:
        client = bearer(personas.officer)
        before = written()
        for body, where in (({**NEW_NEED, "child": str(child.public_id), "amount": 1.5},
                             ["body", "amount"]),
                            ({**NEW_NEED, "child": str(child.public_id), "kind": "khong-co"},
                             ["body", "kind"]),
                            ({**NEW_NEED, "child": str(child.public_id), "year": 2020},
                             ["body", "year"]),
                            ({**NEW_NEED, "child": "khong-phai-uuid"}, ["body", "child"])):
            assert locations(refused_with(post(client, "/needs", body), 422)) == [where]
        assert written() == before

    def test_an_auditor_proposing_or_deciding_is_forbidden(
            self, fund: Fund, personas: Personas, child: Child) -> None:
        need = needs.need_propose(actor=personas.officer, kind=kind("scholarship"),
                                  beneficiary="child", child_id=child.public_id,
                                  description="Học bổng", amount=2_000_000, year=YEAR)
        before = written()
        refused_with(post(bearer(personas.auditor), "/needs",
                          {**NEW_NEED, "child": str(child.public_id)}), 403)
        refused_with(post(bearer(personas.auditor), f"/needs/{need.public_id}/decision",
                          {"approve": True}), 403)
        assert written() == before

    def test_the_commune_withdraws_a_need_with_its_reason(
            self, fund: Fund, personas: Personas, child: Child) -> None:
        need = approved_need(personas, child)
        client = bearer(personas.officer)
        short = refused_with(post(client, f"/needs/{need.public_id}/cancel", {"reason": "đi"}),
                             422)
        assert locations(short) == [["body", "reason"]]
        done = post(client, f"/needs/{need.public_id}/cancel",
                    {"reason": "Em đã chuyển đi tỉnh khác"})
        assert done.json()["status"] == NeedStatus.CANCELLED


# --- Allocations, the double-beneficiary check, deliveries ----------------------------------------

def free(fund: Fund) -> int:
    return services.unrestricted(fund).pk


def bucket(fund: Fund, **fields: Any) -> dict[str, Any]:
    return {"restriction": free(fund), **fields}


class AllocationTests:
    def test_the_manager_allocates_and_a_second_support_is_a_409_listing_it(
            self, via: Callable[[Any], Client], fund: Fund, manager: Any,
            personas: Personas, child: Child) -> None:
        give(manager, fund, 10_000_000)
        ChildSupport.objects.create(child=child, kind=SupportKind.EDUCATION,
                                    start_date=datetime.date(YEAR, 1, 1),
                                    provider="Hội Khuyến học")
        need = approved_need(personas, child)
        client = via(manager)
        body = {"need": str(need.public_id), "bucket": bucket(fund), "amount": 1_000_000}
        before = written()
        conflict = refused_with(post(client, "/allocations", body), 409)
        assert written() == before
        assert conflict["code"] == "conflict"
        assert conflict["overlaps"] == [{
            "source": "register", "reference": conflict["overlaps"][0]["reference"],
            "kind": str(SupportKind.EDUCATION.label), "provider": "Hội Khuyến học",
            "start": f"{YEAR}-01-01", "end": None}]
        assert locations(conflict) == [["body", "override_reason"]]
        made = post(client, "/allocations",
                    {**body, "override_reason": "Học bổng của hội chỉ đủ học phí"})
        assert made.status_code == 201, made.content
        assert (made.json()["status"], made.json()["amount"]) == ("approved", 1_000_000)
        assert get(client, f"/allocations/{made.json()['id']}").json()["need"] == str(
            need.public_id)

    def test_above_the_threshold_the_approver_decides_never_the_maker(
            self, fund: Fund, manager: Any, approver: Any, personas: Personas,
            child: Child) -> None:
        give(manager, fund, 50_000_000)
        need = approved_need(personas, child, code="treatment", amount=30_000_000)
        made = post(bearer(manager), "/allocations",
                    {"need": str(need.public_id), "bucket": bucket(fund), "amount": 25_000_000})
        assert made.json()["status"] == AllocationStatus.AWAITING_APPROVAL
        url = f"/allocations/{made.json()['id']}/decision"
        refused_with(post(bearer(manager), url, {"approve": True}), 403)
        assert post(session(approver), url, {"approve": True}).json()["status"] == "approved"
        refused_with(post(bearer(approver), url, {"approve": True}), 409)

    def test_an_allocation_over_the_balance_or_of_another_fund_writes_nothing(
            self, fund: Fund, manager: Any, personas: Personas, child: Child,
            fund_c: Fund) -> None:
        give(manager, fund, 1_000_000)
        need = approved_need(personas, child)
        client = bearer(manager)
        before = written()
        over = refused_with(post(client, "/allocations", {"need": str(need.public_id),
                                                          "bucket": bucket(fund),
                                                          "amount": 2_000_000}), 422)
        assert locations(over) == [["body", "amount"]]
        refused_with(post(client, "/allocations", {"need": str(need.public_id),
                                                   "bucket": {"restriction": free(fund_c)},
                                                   "amount": 500_000}), 404)
        refused_with(post(client, "/allocations", {"need": str(need.public_id),
                                                   "bucket": bucket(fund),
                                                   "amount": 500_000.0}), 422)
        refused_with(post(bearer(personas.province_officer), "/allocations",
                          {"need": str(need.public_id), "bucket": bucket(fund),
                           "amount": 500_000}), 403)
        assert written() == before

    def test_a_cancelled_allocation_is_not_cancelled_twice_nor_delivered(
            self, fund: Fund, manager: Any, personas: Personas, child: Child) -> None:
        give(manager, fund, 5_000_000)
        need = approved_need(personas, child)
        allocation = allocations.allocate(actor=manager, need=need,
                                          bucket=Bucket(services.unrestricted(fund)),
                                          amount=1_000_000)
        client = bearer(manager)
        url = f"/allocations/{allocation.public_id}"
        assert post(client, f"{url}/cancel", {"reason": "Nhầm nguồn tiền chỉ định"}).json()[
            "status"] == "cancelled"
        before = written()
        refused_with(post(client, f"{url}/cancel", {"reason": "Nhầm nguồn tiền chỉ định"}), 409)
        proof = SimpleUploadedFile("bien-nhan.pdf", PDF)
        refused_with(bearer(personas.officer).post(
            f"{API}{url}/delivery", {"delivered_on": str(TODAY), "signed_receipt": proof}), 409)
        assert written() == before

    def test_the_commune_delivers_with_proof_read_by_who_reads_the_allocation(
            self, via: Callable[[Any], Client], fund: Fund, manager: Any,
            personas: Personas, child: Child) -> None:
        give(manager, fund, 5_000_000)
        allocation = allocations.allocate(actor=manager, need=approved_need(personas, child),
                                          bucket=Bucket(services.unrestricted(fund)),
                                          amount=1_000_000)
        listed = get(via(personas.officer), "/allocations").json()
        assert [item["id"] for item in listed["items"]] == [str(allocation.public_id)]
        made = via(personas.officer).post(
            f"{API}/allocations/{allocation.public_id}/delivery",
            {"delivered_on": str(TODAY), "note": "Trao tại nhà văn hóa",
             "signed_receipt": SimpleUploadedFile("bien-nhan.pdf", PDF)})
        assert made.status_code == 201, made.content
        delivery = made.json()
        assert [proof["kind"] for proof in delivery["proofs"]] == ["signed_receipt"]
        assert get(bearer(personas.auditor), f"/deliveries/{delivery['id']}").status_code == 200
        proof_url = f"/delivery-proofs/{delivery['proofs'][0]['id']}"
        read: Any = get(bearer(manager), proof_url)
        assert read.status_code == 200 and b"".join(read.streaming_content) == PDF
        refused_with(get(bearer(personas.outsider), proof_url), 404)
        refused_with(get(bearer(personas.outsider), f"/deliveries/{delivery['id']}"), 404)
        assert get(client_of(manager), "/allocations", status="delivered").json()["count"] == 1

    def test_a_delivery_without_proof_or_with_too_large_a_file_writes_nothing(
            self, fund: Fund, manager: Any, personas: Personas, child: Child) -> None:
        give(manager, fund, 5_000_000)
        allocation = allocations.allocate(actor=manager, need=approved_need(personas, child),
                                          bucket=Bucket(services.unrestricted(fund)),
                                          amount=1_000_000)
        url = f"{API}/allocations/{allocation.public_id}/delivery"
        client = bearer(personas.officer)
        before = written()
        none = refused_with(client.post(url, {"delivered_on": str(TODAY)}), 422)
        assert locations(none) == [["body", "proofs"]]
        with override_settings(TREEM_EVIDENCE_MAX_BYTES=10):
            big = refused_with(client.post(url, {"delivered_on": str(TODAY),
                                                 "photo": SimpleUploadedFile("a.pdf", PDF)}),
                               422)
        assert locations(big) == [["body", "photo"]]
        exe = refused_with(client.post(url, {"delivered_on": str(TODAY),
                                             "photo": SimpleUploadedFile("a.exe", b"MZ\x90")}),
                           422)
        assert "JPEG" in exe["detail"]
        refused_with(client.post(url, {"delivered_on": "01/06/2026",
                                       "photo": SimpleUploadedFile("a.pdf", PDF)}), 422)
        refused_with(bearer(personas.outsider).post(
            url, {"delivered_on": str(TODAY), "photo": SimpleUploadedFile("a.pdf", PDF)}), 404)
        refused_with(bearer(personas.province_officer).post(
            url, {"delivered_on": str(TODAY), "photo": SimpleUploadedFile("a.pdf", PDF)}), 403)
        assert written() == before


def client_of(user: Any) -> Client:
    return bearer(user)


# --- Matching, the statement import, journals -----------------------------------------------------

class MatchingTests:
    def test_holdings_and_the_needs_a_bucket_may_pay_for(
            self, fund: Fund, manager: Any, personas: Personas, child: Child,
            tree: Tree) -> None:
        give(manager, fund, 3_000_000)
        need = approved_need(personas, child, amount=2_000_000)
        other = make_child(commune=tree.commune_b, full_name="Hà Văn Sơn")
        needs.need_decide(actor=personas.province_officer, approve=True, need=needs.need_propose(
            actor=personas.outsider, kind=kind("meals"), beneficiary="child",
            child_id=other.public_id, description="Bữa ăn", amount=5_000_000, year=YEAR))
        client = bearer(manager)
        held = get(client, f"/funds/{fund.public_id}/holdings").json()["items"]
        assert [(h["restriction"]["id"], h["amount"]) for h in held] == [(free(fund), 3_000_000)]
        found = get(client, f"/funds/{fund.public_id}/suggestions", restriction=free(fund)).json()
        assert found["available"] == 3_000_000
        assert [(item["reference"], item["fits_in_full"], item["child_name"])
                for item in found["items"]][0] == (need.reference, True, None)
        refused_with(get(bearer(personas.province_officer),
                         f"/funds/{fund.public_id}/suggestions", restriction=free(fund)), 403)
        refused_with(get(client, f"/funds/{fund.public_id}/suggestions", restriction=10**9), 404)


class StatementTests:
    def test_a_statement_is_imported_once_and_reported_row_by_row(
            self, via: Callable[[Any], Client], fund: Fund, manager: Any) -> None:
        data = statement(line("FT26152001", 1_500_000), line("FT26152002", 2_000_000))
        url = f"{API}/funds/{fund.public_id}/statement"
        client = via(manager)
        first = client.post(url, {"mode": "all", "create_donors": "true",
                                  "file": SimpleUploadedFile("sao-ke.xlsx", data)})
        assert first.status_code == 200, first.content
        report = first.json()
        assert (report["written"], [row["amount"] for row in report["imported"]],
                len(report["donors_created"])) == (True, [1_500_000, 2_000_000], 1)
        again = client.post(url, {"mode": "all", "file": SimpleUploadedFile("sao-ke.xlsx", data)})
        assert [note["row"] for note in again.json()["already_recorded"]] == [6, 7]
        assert Receipt.objects.count() == 2

    def test_a_wrong_file_or_row_writes_nothing(self, fund: Fund, manager: Any,
                                                personas: Personas) -> None:
        url = f"{API}/funds/{fund.public_id}/statement"
        client = bearer(manager)
        before = written()
        not_xlsx = refused_with(client.post(url, {"file": SimpleUploadedFile("a.xlsx", PDF)}),
                                422)
        assert locations(not_xlsx) == [["body", "file"]]
        refused_with(client.post(url, {"mode": "all"}), 422)
        refused_with(client.post(url, {"mode": "sometimes",
                                       "file": SimpleUploadedFile("a.xlsx", PDF)}), 422)
        report = client.post(url, {"mode": "all", "file": SimpleUploadedFile(
            "a.xlsx", statement(line("FT1", 1_000), line("FT2", "hai nghìn")))}).json()
        assert report["written"] is False and report["errors"]
        refused_with(bearer(personas.auditor).post(
            url, {"file": SimpleUploadedFile("a.xlsx", PDF)}), 403)
        assert written() == before


class JournalTests:
    def test_a_receipt_is_corrected_by_its_reversal_once(
            self, via: Callable[[Any], Client], fund: Fund, manager: Any, fund_c: Fund,
            manager_c: Any) -> None:
        receipt = give(manager, fund, 1_000_000)
        client = via(manager)
        listed = get(client, "/journals", fund=str(fund.public_id)).json()["items"]
        assert [(j["kind"], sum(p["amount"] for p in j["postings"])) for j in listed] == [
            ("receipt", 0)]
        url = f"/journals/{receipt.journal.public_id}/reversal"
        refused_with(post(bearer(manager_c), url, {"reason": "Ghi nhầm số tiền"}), 404)
        refused_with(get(bearer(manager_c), "/journals", fund=str(fund.public_id)), 404)
        reversal = post(client, url, {"reason": "Ghi nhầm số tiền"})
        assert reversal.status_code == 201, reversal.content
        assert reversal.json()["reverses"] == str(receipt.journal.public_id)
        before = written()
        refused_with(post(client, url, {"reason": "Ghi nhầm số tiền"}), 409)
        refused_with(post(client, url, {"reason": ""}), 422)
        assert written() == before
        body = get(client, f"/funds/{fund.public_id}/receipts").json()["items"][0]
        assert body["reversed"] is True


# --- Lists read a fixed number of queries -----------------------------------------------------------

LISTS = ("/funds/{fund}/donors", "/funds/{fund}/receipts", "/funds/{fund}/goods",
         "/funds/{fund}/campaigns", "/funds/{fund}/pledges", "/funds/{fund}/holdings",
         "/funds/{fund}/suggestions", "/funds/{fund}", "/journals", "/needs", "/allocations")


def a_round(n: int, fund: Fund, manager: Any, personas: Personas, tree: Tree) -> None:
    """One of everything a list shows: a donor's earmarked, campaign's receipt, a goods lot, a
    pledge, a commune's approved need and an allocation to it."""
    donor = donor_of(manager, fund, f"Công ty số {n}")
    campaign = gifts.campaign_create(actor=manager, fund=fund, kind="other", name=f"Đợt {n}",
                                     starts_on=datetime.date(2026, 6, 1),
                                     ends_on=datetime.date(2026, 6, 30), goal=1_000_000)
    earmark = gifts.restriction_for(actor=manager, fund=fund, kind="place",
                                    unit=tree.commune_a)
    services.receipt_record(actor=manager, fund=fund, donor=donor, amount=1_000_000,
                            received_on=datetime.date(2026, 6, 1), channel="cash",
                            receipt_number=f"BL-{n}", campaign=campaign, restriction=earmark)
    gifts.goods_receive(actor=manager, fund=fund, donor=donor, description="Sách", quantity=5,
                        measure="bộ", value=500_000, valuation="Theo hóa đơn",
                        received_on=datetime.date(2026, 6, 1))
    gifts.pledge_create(actor=manager, fund=fund, donor=donor, campaign=campaign,
                        pledged_on=datetime.date(2026, 6, 1), amount=1_000_000)
    need = needs.need_decide(actor=personas.province_officer, approve=True,
                             need=needs.need_propose(
                                 actor=personas.officer, kind=kind("playground"),
                                 beneficiary="facility", commune_id=tree.commune_a.public_id,
                                 facility=f"Điểm vui chơi {n}", description="Cầu trượt",
                                 amount=2_000_000, year=YEAR))
    allocations.allocate(actor=manager, need=need, bucket=Bucket(earmark, campaign),
                         amount=100_000)


class QueryCountTests:
    def test_every_list_reads_the_same_number_of_queries_whatever_its_length(
            self, fund: Fund, manager: Any, personas: Personas, tree: Tree) -> None:
        a_round(0, fund, manager, personas, tree)
        client = bearer(manager)
        urls = [f"{API}{url.format(fund=fund.public_id)}" for url in LISTS]

        def counts() -> list[int]:
            found = []
            for url in urls:
                assert client.get(url).status_code == 200, url
                with CaptureQueriesContext(connection) as queries:
                    client.get(url)
                found.append(len(queries))
            return found

        few = counts()
        for n in range(1, 6):
            a_round(n, fund, manager, personas, tree)
        assert dict(zip(LISTS, counts(), strict=True)) == dict(zip(LISTS, few, strict=True))

"""The fund's rows of the scope-coverage test, and the fund records they call.

`fund_world` makes, for the province of commune A and for the other province, a fund with
money and goods, donors, a campaign and a pledge, an approved need of a child of each commune
(A, B, the other province's), an allocation of each, one delivered with its signed receipt,
and one waiting for the approver. Rows name them as "fund.<attribute>" and the fund's people
as "fund.manager" (the province's fund manager), "fund.approver", "fund.manager_c" (the other
province's manager)."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from treem.accounts.models import User
from treem.accounts.roles import Role
from treem.fund import allocations, gifts, needs, services
from treem.fund.allocations import Proof
from treem.fund.models import (
    Allocation,
    Campaign,
    Channel,
    Delivery,
    DeliveryProof,
    Donor,
    Fund,
    GoodsLot,
    Journal,
    Need,
    NeedKind,
    Pledge,
    Receipt,
)
from treem.fund.services import Bucket
from treem.registry.models import Child
from treem.registry.tests.factories import make_child
from treem.testing import Personas, Tree, make_user
from treem.web.tests.scope_rows import Case

DAY = datetime.date(2026, 6, 1)
PDF = b"%PDF-1.4\n% bien nhan co chu ky\n"

# Names only one side's records carry, for the rows' `shows` and `hides`.
DONOR_OF_A = "Công ty Sông Hiến"
DONOR_OF_C = "Công ty Hồ Gươm"
NEED_OF_A = "Học bổng cho em ở Thục Phán"
NEED_OF_B = "Học bổng cho em ở Hòa An"
NEED_OF_C = "Học bổng cho em ở Hoàn Kiếm"


@dataclass
class FundWorld:
    manager: User            # the fund manager of commune A's province
    approver: User           # its approver (the province's leader)
    manager_c: User          # the other province's fund manager
    fund: Fund
    fund_c: Fund
    donor_a: Donor
    donor_c: Donor
    receipt_a: Receipt
    receipt_c: Receipt
    journal_a: Journal       # receipt_a's journal
    journal_c: Journal
    lot_a: GoodsLot          # a box of school supplies
    lot_c: GoodsLot
    campaign_a: Campaign
    campaign_c: Campaign
    pledge_a: Pledge
    pledge_c: Pledge
    need_a: Need             # approved, a child of commune A
    need_b: Need             # approved, a child of commune B
    need_c: Need             # approved, a child of the other province
    proposed_a: Need         # proposed by commune A, not decided
    proposed_b: Need
    allocation_a: Allocation  # approved, not delivered (need_a)
    allocation_b: Allocation
    allocation_c: Allocation
    awaiting_a: Allocation    # above the threshold, waiting for the approver
    awaiting_c: Allocation
    delivery_a: Delivery      # of a second allocation of commune A, with its proof
    delivery_b: Delivery
    proof_a: DeliveryProof
    proof_b: DeliveryProof
    yearly_a: "YearlyFundReport"  # the 2026 report attached to its province's yearly report
    yearly_c: "YearlyFundReport"  # the other province's
    area_a: "Area"            # "Các xã vùng biên": commune A, named by no earmark
    area_c: "Area"            # the other province's


def _need(officer: User, approver: User, child: Child, code: str, text: str,
          amount: int = 2_000_000, *, approve: bool = True) -> Need:
    need = needs.need_propose(actor=officer, kind=NeedKind.objects.get(code=code),
                              beneficiary="child", child_id=child.public_id, description=text,
                              amount=amount, year=DAY.year)
    return needs.need_decide(actor=approver, need=need, approve=True) if approve else need


def _delivered(manager: User, officer: User, need: Need, fund: Fund) -> Delivery:
    allocation = allocations.allocate(actor=manager, need=need,
                                      bucket=Bucket(services.unrestricted(fund)),
                                      amount=500_000)
    return allocations.delivery_record(actor=officer, allocation=allocation,
                                       delivered_on=timezone.localdate(),
                                       proofs=[Proof("signed_receipt", PDF, "bien-nhan.pdf")])


def _side(tree: Tree, province: Any, manager: User, donor_name: str) -> dict[str, Any]:
    fund = services.fund_open(actor=None, unit=province, name=f"Quỹ {province.name}")
    donor = services.donor_create(actor=manager, fund=fund, kind="business", name=donor_name,
                                  named_publicly=True)
    campaign = gifts.campaign_create(actor=manager, fund=fund, kind="june_first",
                                     name="Vì trẻ em 1/6", starts_on=DAY,
                                     ends_on=DAY + datetime.timedelta(days=30),
                                     goal=100_000_000)
    receipt = services.receipt_record(actor=manager, fund=fund, donor=donor,
                                      amount=90_000_000, received_on=DAY, channel=Channel.BANK,
                                      bank_reference=f"FT{province.code}0001")
    lot = gifts.goods_receive(actor=manager, fund=fund, donor=donor,
                              description="Bộ đồ dùng học tập", quantity=20, measure="bộ",
                              value=4_000_000, valuation="Theo hóa đơn", received_on=DAY,
                              campaign=campaign)
    pledge = gifts.pledge_create(actor=manager, fund=fund, donor=donor, pledged_on=DAY,
                                 amount=10_000_000, campaign=campaign)
    return {"fund": fund, "donor": donor, "campaign": campaign, "receipt": receipt,
            "journal": receipt.journal, "lot": lot, "pledge": pledge}


def fund_world(tree: Tree, personas: Personas, child_a: Child, child_b: Child) -> FundWorld:
    manager = make_user("quy_a", role=Role.FUND_MANAGER, unit=tree.province)
    approver = make_user("lanhdao_a", role=Role.FUND_APPROVER, unit=tree.province)
    manager_c = make_user("quy_c", role=Role.FUND_MANAGER, unit=tree.other_province)
    officer_c = make_user("officer_c_fund", role=Role.COMMUNE_OFFICER, unit=tree.commune_c)
    province_c = make_user("province_c_fund", role=Role.AREA_OFFICER, unit=tree.other_province)
    a = _side(tree, tree.province, manager, DONOR_OF_A)
    c = _side(tree, tree.other_province, manager_c, DONOR_OF_C)
    child_c = make_child(commune=tree.commune_c, full_name="Trần Thị Cúc")
    officer, outsider, province = personas.officer, personas.outsider, personas.province_officer
    need_a = _need(officer, province, child_a, "scholarship", NEED_OF_A)
    need_b = _need(outsider, province, child_b, "scholarship", NEED_OF_B)
    need_c = _need(officer_c, province_c, child_c, "scholarship", NEED_OF_C)

    def allocate(user: User, need: Need, fund: Fund, amount: int = 1_000_000) -> Allocation:
        return allocations.allocate(actor=user, need=need, amount=amount,
                                    bucket=Bucket(services.unrestricted(fund)))

    delivery_a = _delivered(manager, officer, _need(officer, province, child_a, "meals",
                                                    "Bữa ăn"), a["fund"])
    delivery_b = _delivered(manager, outsider, _need(outsider, province, child_b, "meals",
                                                      "Bữa ăn"), a["fund"])
    return FundWorld(
        manager=manager, approver=approver, manager_c=manager_c,
        fund=a["fund"], fund_c=c["fund"], donor_a=a["donor"], donor_c=c["donor"],
        receipt_a=a["receipt"], receipt_c=c["receipt"], journal_a=a["journal"],
        journal_c=c["journal"], lot_a=a["lot"], lot_c=c["lot"], campaign_a=a["campaign"],
        campaign_c=c["campaign"], pledge_a=a["pledge"], pledge_c=c["pledge"],
        need_a=need_a, need_b=need_b, need_c=need_c,
        proposed_a=_need(officer, province, child_a, "health_check", "Khám sức khỏe",
                         approve=False),
        proposed_b=_need(outsider, province, child_b, "health_check", "Khám sức khỏe",
                         approve=False),
        allocation_a=allocate(manager, need_a, a["fund"]),
        allocation_b=allocate(manager, need_b, a["fund"]),
        allocation_c=allocate(manager_c, need_c, c["fund"]),
        awaiting_a=allocate(manager, _need(officer, province, child_a, "treatment",
                                           "Điều trị", 30_000_000), a["fund"], 25_000_000),
        awaiting_c=allocate(manager_c, _need(officer_c, province_c, child_c, "treatment",
                                             "Điều trị", 30_000_000), c["fund"], 25_000_000),
        delivery_a=delivery_a, delivery_b=delivery_b,
        proof_a=delivery_a.proofs.get(), proof_b=delivery_b.proofs.get(),
        yearly_a=_yearly_attached(manager, a["fund"]),
        yearly_c=_yearly_attached(manager_c, c["fund"]),
        area_a=_area(manager, a["fund"], AREA_OF_A, tree.commune_a),
        area_c=_area(manager_c, c["fund"], AREA_OF_C, tree.commune_c),
    )


# One row per URL name of the fund's pages and API operations (see test_scope_coverage's
# docstring for how a row reads). The pages' rows, the API's and the public pages' are kept
# in their own blocks.
FUND_CASES: dict[str, Case] = {}

# --- the ledger's pages (treem/fund/urls_ledger.py) ------------------------------------------
from treem.web.tests.scope_rows import LIST as _LIST  # noqa: E402 - this block's own
from treem.web.tests.scope_rows import OBJECT as _OBJECT  # noqa: E402
from treem.web.tests.scope_rows import Ref as _Ref  # noqa: E402

READS_NO_FUND = ("officer", "collaborator")  # the commune's people: needs, not the ledger
WRITES_NO_FUND = ("province_officer", "auditor", "fund.approver")  # they read the ledger
FUND_A, FUND_C = ("fund.fund.public_id",), ("fund.fund_c.public_id",)
GIFT_OF_A = {"donor": _Ref("fund.donor_a.public_id"), "received_on": "01/06/2026",
             "earmark": "unrestricted"}
LEDGER_PAGES: dict[str, Case] = {
    # A province's people read one fund: straight to it.
    "fund:home": Case(_LIST, "fund.manager", status=302, hides=(DONOR_OF_C,),
                      forbidden=READS_NO_FUND),
    "fund:fund_detail": Case(_OBJECT, "fund.manager", args=FUND_A, outside_args=FUND_C,
                             shows=("94.000.000",), forbidden=READS_NO_FUND),
    "fund:donor_list": Case(_LIST, "fund.manager", args=FUND_A, outside_args=FUND_C,
                            shows=(DONOR_OF_A,), hides=(DONOR_OF_C,), forbidden=READS_NO_FUND),
    # The gift forms' donor picker: a donor's name (never a child's) may be in the address.
    "fund:donor_search": Case(_LIST, "fund.manager", args=FUND_A, outside_args=FUND_C,
                              query={"q": "cong ty"}, shows=(DONOR_OF_A,), hides=(DONOR_OF_C,),
                              forbidden=READS_NO_FUND),
    "fund:donor_create": Case(_OBJECT, "fund.manager", method="post", status=302, args=FUND_A,
                              outside_args=FUND_C, forbidden=WRITES_NO_FUND,
                              data={"kind": "individual", "name": "Nguyễn Văn Tâm"}),
    "fund:donor_detail": Case(_OBJECT, "fund.manager", args=("fund.donor_a.public_id",),
                              outside_args=("fund.donor_c.public_id",), shows=(DONOR_OF_A,),
                              forbidden=READS_NO_FUND),
    "fund:receipt_list": Case(_LIST, "fund.manager", args=FUND_A, outside_args=FUND_C,
                              shows=("FT040001",), hides=("FT010001",),
                              forbidden=READS_NO_FUND),
    "fund:receipt_create": Case(_OBJECT, "fund.manager", method="post", status=302, args=FUND_A,
                                outside_args=FUND_C, forbidden=WRITES_NO_FUND,
                                data={**GIFT_OF_A, "amount": "1.500.000", "channel": "bank",
                                      "bank_reference": "FT-PHAM-VI-1"}),
    "fund:lot_list": Case(_LIST, "fund.manager", args=FUND_A, outside_args=FUND_C,
                          shows=(DONOR_OF_A,), hides=(DONOR_OF_C,), forbidden=READS_NO_FUND),
    "fund:lot_create": Case(_OBJECT, "fund.manager", method="post", status=302, args=FUND_A,
                            outside_args=FUND_C, forbidden=WRITES_NO_FUND,
                            data={**GIFT_OF_A, "description": "Áo ấm", "quantity": "10",
                                  "measure": "chiếc", "value": "2.000.000",
                                  "valuation": "Theo hóa đơn"}),
    # Both provinces call their campaign "Vì trẻ em 1/6": the page names its fund.
    "fund:campaign_list": Case(_LIST, "fund.manager", args=FUND_A, outside_args=FUND_C,
                               shows=("Vì trẻ em 1/6", "4 %"), hides=("Hà Nội",),
                               forbidden=READS_NO_FUND),
    "fund:campaign_create": Case(_OBJECT, "fund.manager", method="post", status=302,
                                 args=FUND_A, outside_args=FUND_C, forbidden=WRITES_NO_FUND,
                                 data={"kind": "tet", "name": "Tết vì trẻ em",
                                       "starts_on": "01/01/2027", "ends_on": "15/02/2027",
                                       "goal": "50.000.000"}),
    "fund:pledge_list": Case(_LIST, "fund.manager", args=FUND_A, outside_args=FUND_C,
                             shows=(DONOR_OF_A,), hides=(DONOR_OF_C,), forbidden=READS_NO_FUND),
    "fund:pledge_create": Case(_OBJECT, "fund.manager", method="post", status=302, args=FUND_A,
                               outside_args=FUND_C, forbidden=WRITES_NO_FUND,
                               data={**GIFT_OF_A, "pledged_on": "01/06/2026",
                                     "amount": "5.000.000"}),
    "fund:pledge_close": Case(_OBJECT, "fund.manager", method="post", status=302,
                              args=("fund.pledge_a.public_id",),
                              outside_args=("fund.pledge_c.public_id",),
                              data={"status": "fulfilled"}, forbidden=WRITES_NO_FUND),
    "fund:journal_list": Case(_LIST, "fund.manager", args=FUND_A, outside_args=FUND_C,
                              shows=(DONOR_OF_A,), hides=(DONOR_OF_C,), forbidden=READS_NO_FUND),
    "fund:journal_detail": Case(_OBJECT, "fund.manager", args=("fund.journal_a.public_id",),
                                outside_args=("fund.journal_c.public_id",),
                                shows=(DONOR_OF_A,), forbidden=READS_NO_FUND),
    # The goods lot's journal: none of it was spent (the receipt's money was), so it reverses.
    "fund:journal_reverse": Case(_OBJECT, "fund.manager", method="post", status=302,
                                 args=("fund.lot_a.journal.public_id",),
                                 outside_args=("fund.lot_c.journal.public_id",),
                                 data={"reason": "Ghi nhầm lô hàng"}, forbidden=WRITES_NO_FUND),
    # Without a file the form comes back with its message (the import: test_ledger_journal_pages).
    "fund:statement_import": Case(_OBJECT, "fund.manager", method="post", args=FUND_A,
                                  outside_args=FUND_C, forbidden=WRITES_NO_FUND,
                                  data={"mode": "valid", "earmark": "unrestricted"},
                                  shows=("Hãy chọn tệp sao kê",)),
    # The workbook's sums: test_ledger_journal_pages.
    "fund:journal_export": Case(_OBJECT, "fund.manager", args=FUND_A, outside_args=FUND_C,
                                query={"year": "2026"}, forbidden=READS_NO_FUND),
    "fund:reconciliation": Case(_OBJECT, "fund.manager", args=FUND_A, outside_args=FUND_C,
                                query={"year": "2026"}, shows=("94.000.000", "khớp"),
                                forbidden=READS_NO_FUND),
    "fund:area_list": Case(_LIST, "fund.manager", args=FUND_A, outside_args=FUND_C,
                           shows=("Quỹ chưa có địa bàn nào.",), hides=("Hà Nội",),
                           forbidden=READS_NO_FUND),
    "fund:area_create": Case(_OBJECT, "fund.manager", method="post", status=302, args=FUND_A,
                             outside_args=FUND_C, forbidden=WRITES_NO_FUND,
                             data={"name": "Xã vùng cao", "units": "01279", "mountain": "on"}),
    "fund:rule_list": Case(_LIST, "fund.manager", args=FUND_A, outside_args=FUND_C,
                           shows=("Hộ nghèo",), hides=("Hà Nội",), forbidden=READS_NO_FUND),
    "fund:rule_set": Case(_OBJECT, "fund.manager", method="post", status=302, args=FUND_A,
                          outside_args=FUND_C, forbidden=WRITES_NO_FUND,
                          data={"criterion": "poor_household", "points": "35", "active": "on"}),
}

# --- the needs' pages (treem/fund/urls_needs.py) ---------------------------------------------
from treem.web.tests.scope_rows import LIST, OBJECT, Ref  # noqa: E402 - this block's own

SEES_NO_NEEDS = ("collaborator", "intake", "admin", "sector_focal")
THIS_YEAR = str(datetime.date.today().year)
NEW_FACILITY_NEED = {"beneficiary": "facility", "commune": Ref("tree.commune_a.public_id"),
                     "facility": "Điểm vui chơi thôn Nà Pồng", "kind": "playground",
                     "description": "Cầu trượt và xích đu", "amount": "30000000",
                     "year": THIS_YEAR}
# need_a's child already has allocation_a for a scholarship this year: given anyway, with why.
SECOND_SCHOLARSHIP = {"restriction": Ref("fund.allocation_a.restriction_id"), "amount": "100000",
                      "override_reason": "Học kỳ hai, đã xác minh với nhà trường"}
NEEDS_PAGES: dict[str, Case] = {
    "fund:need_list": Case(LIST, "officer", shows=(NEED_OF_A,), hides=(NEED_OF_B, NEED_OF_C),
                           forbidden=SEES_NO_NEEDS),
    # The export asks why first; the province's readers of the fund only.
    "fund:need_export": Case(LIST, "province_officer", shows=("Xuất danh sách nhu cầu",),
                             hides=(NEED_OF_C,), forbidden=("officer", "chairman", "collaborator")),
    # The commune is chosen in the form: another commune is not a choice (nothing written).
    "fund:need_propose": Case(OBJECT, "officer", method="post", status=302, data=NEW_FACILITY_NEED,
                              outside_data={**NEW_FACILITY_NEED,
                                            "commune": Ref("tree.commune_b.public_id")},
                              outside_status=200,
                              forbidden=("province_officer", "auditor", "fund.manager")),
    "fund:need_detail": Case(OBJECT, "officer", args=("fund.need_a.public_id",),
                             outside_args=("fund.need_b.public_id",), forbidden=SEES_NO_NEEDS,
                             shows=(NEED_OF_A,)),
    "fund:need_decide": Case(OBJECT, "province_officer", method="post", status=302,
                             data={"decision": "approve"}, args=("fund.proposed_a.public_id",),
                             outside_args=("fund.need_c.public_id",),
                             forbidden=("officer", "auditor", "fund.manager")),
    "fund:need_cancel": Case(OBJECT, "officer", method="post", status=302,
                             data={"reason": "Em đã chuyển đi nơi khác"},
                             args=("fund.proposed_a.public_id",),
                             outside_args=("fund.proposed_b.public_id",),
                             forbidden=("province_officer", "auditor", "fund.manager")),
    "fund:match": Case(LIST, "fund.manager", shows=(NEED_OF_A,), hides=(NEED_OF_C,),
                       forbidden=("officer", "province_officer", "auditor", "fund.approver")),
    "fund:allocate": Case(OBJECT, "fund.manager", method="post", status=302,
                          data=SECOND_SCHOLARSHIP, args=("fund.need_a.public_id",),
                          outside_args=("fund.need_c.public_id",),
                          forbidden=("officer", "province_officer", "auditor", "fund.approver")),
    "fund:allocation_list": Case(LIST, "officer", shows=(NEED_OF_A,),
                                 hides=(NEED_OF_B, NEED_OF_C), forbidden=SEES_NO_NEEDS),
    "fund:allocation_detail": Case(OBJECT, "officer", args=("fund.allocation_a.public_id",),
                                   outside_args=("fund.allocation_b.public_id",),
                                   forbidden=SEES_NO_NEEDS, shows=(NEED_OF_A,)),
    "fund:allocation_decide": Case(OBJECT, "fund.approver", method="post", status=302,
                                   data={"decision": "approve"},
                                   args=("fund.awaiting_a.public_id",),
                                   outside_args=("fund.awaiting_c.public_id",),
                                   forbidden=("fund.manager", "province_officer", "auditor")),
    "fund:allocation_cancel": Case(OBJECT, "fund.manager", method="post", status=302,
                                   data={"reason": "Nhà tài trợ đổi kế hoạch"},
                                   args=("fund.allocation_a.public_id",),
                                   outside_args=("fund.allocation_c.public_id",),
                                   forbidden=("fund.approver", "officer", "auditor")),
    # Posted without a file (the page asks for one; files: treem/fund/tests/test_needs_pages.py).
    "fund:delivery_record": Case(OBJECT, "officer", method="post",
                                 data={"delivered_on": "01/06/2026"},
                                 args=("fund.allocation_a.public_id",),
                                 outside_args=("fund.allocation_b.public_id",),
                                 forbidden=("province_officer", "auditor", "fund.approver"),
                                 shows=("Hãy kèm biên nhận có chữ ký hoặc ảnh trao hỗ trợ.",)),
    "fund:proof_file": Case(OBJECT, "officer", args=("fund.proof_a.public_id",),
                            outside_args=("fund.proof_b.public_id",), forbidden=SEES_NO_NEEDS,
                            shows=("%PDF-",)),
}

# --- the public pages and files (treem/fund/urls_public.py): rows of kind PUBLIC -------------
from treem.web.tests.scope_rows import OBJECT as _OBJECT_ROW  # noqa: E402 - this block's own
from treem.web.tests.scope_rows import PUBLIC as _PUBLIC_ROW  # noqa: E402

# The year of the world's gifts (2026: a year of the fund, up to today's).
_YEAR = ("fund.receipt_a.received_on.year",)
_PROVINCE_YEAR = ("fund.fund.unit.code", *_YEAR)
# The yearly report is read by the fund's readers; letters are written by its manager.
_READS_NO_REPORT = ("officer", "collaborator")
_WRITES_NO_LETTER = ("province_officer", "auditor", "fund.approver")
_GIFTS_OF_2026 = {"start": "01/01/2026", "end": "31/12/2026"}
PUBLIC_PAGES: dict[str, Case] = {
    "fund:public_index": Case(_PUBLIC_ROW),
    "fund:public": Case(_PUBLIC_ROW, args=_PROVINCE_YEAR),
    "fund:public_json": Case(_PUBLIC_ROW, args=_PROVINCE_YEAR),
    # Signed in (rows of kind OBJECT, kept in this block): the yearly report and letters.
    "fund:yearly": Case(_OBJECT_ROW, "fund.manager", args=("fund.fund.public_id", *_YEAR),
                        outside_args=("fund.fund_c.public_id", *_YEAR), shows=(DONOR_OF_A,),
                        hides=(DONOR_OF_C,), forbidden=_READS_NO_REPORT),
    "fund:yearly_xlsx": Case(_OBJECT_ROW, "fund.manager", args=("fund.fund.public_id", *_YEAR),
                             outside_args=("fund.fund_c.public_id", *_YEAR),
                             forbidden=_READS_NO_REPORT),
    "fund:yearly_pdf": Case(_OBJECT_ROW, "fund.manager", args=("fund.fund.public_id", *_YEAR),
                            outside_args=("fund.fund_c.public_id", *_YEAR),
                            forbidden=_READS_NO_REPORT),
    "fund:letters": Case(_OBJECT_ROW, "fund.manager", args=("fund.fund.public_id",),
                         outside_args=("fund.fund_c.public_id",), query=_GIFTS_OF_2026,
                         shows=(DONOR_OF_A,), hides=(DONOR_OF_C,),
                         forbidden=_WRITES_NO_LETTER),
    "fund:letter_pdf": Case(_OBJECT_ROW, "fund.manager", args=("fund.donor_a.public_id",),
                            outside_args=("fund.donor_c.public_id",), query=_GIFTS_OF_2026,
                            forbidden=_WRITES_NO_LETTER),
    "fund:campaign_letters_pdf": Case(_OBJECT_ROW, "fund.manager",
                                      args=("fund.campaign_a.public_id",),
                                      outside_args=("fund.campaign_c.public_id",),
                                      forbidden=_WRITES_NO_LETTER),
}

# --- the API (treem/fund/api.py) ---------------------------------------------------------------
from treem.web.tests import scope_rows as api_rows  # noqa: E402 - this block's own

FUND = ("fund.fund.public_id",)
FUND_C = ("fund.fund_c.public_id",)
READS_NO_FUND = ("officer", "chairman")
KEEPS_NO_FUND = ("province_officer", "auditor", "fund.approver")
READS_NO_NEEDS = ("collaborator", "intake", "admin", "sector_focal")
PROPOSES_NO_NEED = ("province_officer", "auditor", "fund.manager")
DELIVERS_NOTHING = ("province_officer", "auditor", "fund.approver")
FACILITY_NEED_API = {"kind": "playground", "beneficiary": "facility", "commune": "01273",
                     "facility": "Điểm vui chơi thôn Nà Pồng", "description": "Cầu trượt",
                     "amount": 30_000_000, "year": timezone.localdate().year}
# need_a's child has allocation_a (a scholarship this year): given anyway, with why. The
# bucket names no earmark: the fund's unrestricted money.
SECOND_SCHOLARSHIP_API = {"need": api_rows.Ref("fund.need_a.public_id"), "bucket": {},
                          "amount": 100_000,
                          "override_reason": "Học kỳ hai, đã xác minh với nhà trường"}


def _fund_read(*, shows: tuple[str, ...] = (), hides: tuple[str, ...] = ()) -> Case:
    """A read of one fund (or of its donors, gifts, holdings…): the fund's manager."""
    return Case(api_rows.OBJECT, "fund.manager", args=FUND, outside_args=FUND_C,
                forbidden=READS_NO_FUND, shows=shows, hides=hides)


def _fund_write(data: dict[str, Any], status: int = 201, *,
                shows: tuple[str, ...] = ()) -> Case:
    return Case(api_rows.OBJECT, "fund.manager", method="post", args=FUND,
                outside_args=FUND_C, data=data, status=status, forbidden=KEEPS_NO_FUND,
                shows=shows)


def _needs_read(arg: str, outside: str, **fields: Any) -> Case:
    return Case(api_rows.OBJECT, "officer", args=(f"fund.{arg}.public_id",),
                outside_args=(f"fund.{outside}.public_id",), forbidden=READS_NO_NEEDS,
                **fields)


FUND_API: dict[str, Case] = {
    "api:fund_list": Case(api_rows.LIST, "fund.manager", shows=("Quỹ Tỉnh Cao Bằng",),
                          hides=("Quỹ Thành phố Hà Nội",), forbidden=READS_NO_FUND),
    "api:fund_detail": _fund_read(shows=("Quỹ Tỉnh Cao Bằng",)),
    "api:donor_list": _fund_read(shows=(DONOR_OF_A,), hides=(DONOR_OF_C,)),
    "api:donor_create": _fund_write({"kind": "business", "name": "Công ty Bản Giốc"}),
    "api:donor_detail": Case(api_rows.OBJECT, "fund.manager", args=("fund.donor_a.public_id",),
                             outside_args=("fund.donor_c.public_id",),
                             forbidden=READS_NO_FUND, shows=(DONOR_OF_A,)),
    "api:goods_list": _fund_read(shows=(DONOR_OF_A,), hides=(DONOR_OF_C,)),
    "api:goods_create": _fund_write({
        "donor": api_rows.Ref("fund.donor_a.public_id"), "received_on": "2026-06-01",
        "description": "Áo ấm", "quantity": 50, "measure": "chiếc", "value": 5_000_000,
        "valuation": "Theo hóa đơn"}),
    "api:campaign_list": _fund_read(shows=("Vì trẻ em 1/6",)),
    "api:campaign_create": _fund_write({"kind": "tet", "name": "Tết vì trẻ em",
                                        "starts_on": "2026-12-01", "ends_on": "2027-02-28",
                                        "goal": 50_000_000}),
    "api:pledge_list": _fund_read(shows=(DONOR_OF_A,), hides=(DONOR_OF_C,)),
    "api:pledge_create": _fund_write({"donor": api_rows.Ref("fund.donor_a.public_id"),
                                      "pledged_on": "2026-06-01", "amount": 5_000_000}),
    "api:receipt_list": _fund_read(shows=(DONOR_OF_A,), hides=(DONOR_OF_C,)),
    "api:receipt_create": _fund_write({"donor": api_rows.Ref("fund.donor_a.public_id"),
                                       "amount": 1_000_000, "received_on": "2026-06-01",
                                       "channel": "cash", "receipt_number": "BL-0001"}),
    # Sent as JSON, without its file: the scope is answered first, then the file asked for.
    "api:statement_upload": _fund_write({}, 422, shows=("Hãy chọn tệp sao kê",)),
    "api:journal_list": Case(api_rows.LIST, "fund.manager", shows=(DONOR_OF_A,),
                             hides=(DONOR_OF_C,), forbidden=READS_NO_FUND),
    # The goods lot's journal: its goods are all there, so it may be reversed.
    "api:journal_reversal": Case(api_rows.OBJECT, "fund.manager", method="post", status=201,
                                 args=("fund.lot_a.journal.public_id",),
                                 outside_args=("fund.lot_c.journal.public_id",),
                                 data={"reason": "Ghi nhầm số lượng"}, forbidden=KEEPS_NO_FUND),
    "api:holdings_list": _fund_read(shows=("Bộ đồ dùng học tập",)),
    "api:suggestion_list": Case(api_rows.OBJECT, "fund.manager", args=FUND, outside_args=FUND_C,
                                forbidden=KEEPS_NO_FUND, shows=(NEED_OF_A,),
                                hides=(NEED_OF_C,)),
    "api:need_list": Case(api_rows.LIST, "officer", shows=(NEED_OF_A,),
                          hides=(NEED_OF_B, NEED_OF_C), forbidden=READS_NO_NEEDS),
    "api:need_detail": _needs_read("need_a", "need_b", shows=(NEED_OF_A,)),
    "api:need_create": Case(api_rows.OBJECT, "officer", method="post", status=201,
                            data=FACILITY_NEED_API,
                            outside_data={**FACILITY_NEED_API, "commune": "01279"},
                            forbidden=PROPOSES_NO_NEED),
    "api:need_decision": Case(api_rows.OBJECT, "province_officer", method="post",
                              args=("fund.proposed_a.public_id",),
                              outside_args=("fund.need_c.public_id",), data={"approve": True},
                              forbidden=("officer", "auditor", "fund.manager")),
    "api:need_cancel": Case(api_rows.OBJECT, "officer", method="post",
                            args=("fund.proposed_a.public_id",),
                            outside_args=("fund.proposed_b.public_id",),
                            data={"reason": "Em đã chuyển đi nơi khác"},
                            forbidden=PROPOSES_NO_NEED),
    # An allocation names its commune by code, the only text telling A's from B's and C's.
    "api:allocation_list": Case(api_rows.LIST, "officer", shows=('"commune": "01273"',),
                                hides=('"commune": "01279"', '"commune": "00070"'),
                                forbidden=READS_NO_NEEDS),
    "api:allocation_detail": _needs_read("allocation_a", "allocation_b"),
    "api:allocation_create": Case(api_rows.OBJECT, "fund.manager", method="post", status=201,
                                  data=SECOND_SCHOLARSHIP_API,
                                  outside_data={**SECOND_SCHOLARSHIP_API,
                                                "need": api_rows.Ref("fund.need_c.public_id")},
                                  forbidden=("officer",) + KEEPS_NO_FUND),
    "api:allocation_decision": Case(api_rows.OBJECT, "fund.approver", method="post",
                                    args=("fund.awaiting_a.public_id",),
                                    outside_args=("fund.awaiting_c.public_id",),
                                    data={"approve": True},
                                    forbidden=("fund.manager", "province_officer", "auditor")),
    "api:allocation_cancel": Case(api_rows.OBJECT, "fund.manager", method="post",
                                  args=("fund.allocation_a.public_id",),
                                  outside_args=("fund.allocation_c.public_id",),
                                  data={"reason": "Nhà tài trợ đổi kế hoạch"},
                                  forbidden=("fund.approver", "officer", "auditor")),
    # Sent as JSON, without its day and files: the scope first, then what is missing.
    "api:delivery_create": Case(api_rows.OBJECT, "officer", method="post", status=422,
                                args=("fund.allocation_a.public_id",),
                                outside_args=("fund.allocation_b.public_id",),
                                forbidden=DELIVERS_NOTHING, shows=("Hãy ghi ngày trao",)),
    "api:delivery_detail": _needs_read("delivery_a", "delivery_b", shows=("signed_receipt",)),
    "api:delivery_proof_file": _needs_read("proof_a", "proof_b", shows=("%PDF-",)),
}

FUND_CASES.update(LEDGER_PAGES)
FUND_CASES.update(NEEDS_PAGES)
# --- public API (treem/fund/api_public.py): rows of kind PUBLIC, no sign-in nor token ---------
PUBLIC_API: dict[str, Case] = {
    "api:public_fund_list": Case(_PUBLIC_ROW),
    "api:public_fund_figures": Case(_PUBLIC_ROW, args=_PROVINCE_YEAR),
}
FUND_CASES.update(PUBLIC_API)
FUND_CASES.update(PUBLIC_PAGES)
FUND_CASES.update(FUND_API)


# --- yearly report attachment (treem/fund/yearly_attach.py) ----------------------------------
from treem.fund.models import YearlyFundReport  # noqa: E402 - this block's own
from treem.fund.yearly_attach import yearly_attach  # noqa: E402
from treem.reports.models import Report, Schedule  # noqa: E402


def _yearly_attached(manager: User, fund: Fund) -> YearlyFundReport:
    """The fund's report of DAY's year attached to its province's yearly report (a draft)."""
    schedule, _made = Schedule.objects.get_or_create(
        code="test-nam-quy", defaults={"name": "Báo cáo công tác trẻ em năm",
                                       "period_kind": "year", "due": {"province": {"Y": "11-30"}}})
    report = Report.objects.create(schedule=schedule, unit=fund.unit, unit_path=fund.unit.path,
                                   period=str(DAY.year), due_on=DAY.replace(month=11, day=30),
                                   created_by=manager)
    return yearly_attach(actor=manager, fund=fund, year=DAY.year, report=report)


_YEARLY_A, _YEARLY_C = ("fund.yearly_a.public_id",), ("fund.yearly_c.public_id",)
_KEEPS_NO_FUND = ("province_officer", "auditor", "fund.approver")
YEARLY_ATTACHMENT: dict[str, Case] = {
    # yearly_a's report carries the fund's report already: refused with a message (the scope
    # is checked first).
    "fund:yearly_attach": Case(_OBJECT_ROW, "fund.manager", method="post", status=302,
                               args=("fund.fund.public_id", *_YEAR),
                               outside_args=("fund.fund_c.public_id", *_YEAR),
                               data={"report": _Ref("fund.yearly_a.report.public_id")},
                               forbidden=_KEEPS_NO_FUND),
    "fund:yearly_frozen": Case(_OBJECT_ROW, "fund.manager", args=_YEARLY_A,
                               outside_args=_YEARLY_C, shows=(DONOR_OF_A,),
                               hides=(DONOR_OF_C,), forbidden=_READS_NO_REPORT),
    "fund:yearly_detach": Case(_OBJECT_ROW, "fund.manager", method="post", status=302,
                               args=_YEARLY_A, outside_args=_YEARLY_C,
                               forbidden=_KEEPS_NO_FUND),
}
FUND_CASES.update(YEARLY_ATTACHMENT)


# --- area edit and money return (ledger_views_areas, ledger_views_returns, api) ---------------
import dataclasses  # noqa: E402 - this block's own

from treem.fund.models import Area  # noqa: E402
from treem.geo.models import Unit  # noqa: E402

AREA_OF_A, AREA_OF_C = "Các xã vùng biên", "Các phường nội đô"


def _area(manager: User, fund: Fund, name: str, commune: Unit) -> Area:
    return gifts.area_create(actor=manager, fund=fund, name=name, units=[commune])


_AREA_A = ("fund.fund.public_id", "fund.area_a.pk")
_AREA_C = ("fund.fund_c.public_id", "fund.area_c.pk")
_RETURN_REASON = "Hoàn trả Công ty Sông Hiến theo công văn đề nghị"
AREA_EDIT_AND_RETURN: dict[str, Case] = {
    # The world has an area of each fund: A's list shows A's, never C's (this row replaces the
    # one written when the world had no area).
    "fund:area_list": dataclasses.replace(LEDGER_PAGES["fund:area_list"], shows=(AREA_OF_A,),
                                          hides=(AREA_OF_C, "Hà Nội")),
    # Beside each field the value the page read (`treem.edits.forms`): the area as made.
    "fund:area_update": Case(_OBJECT, "fund.manager", method="post", status=302, args=_AREA_A,
                             outside_args=_AREA_C, forbidden=WRITES_NO_FUND,
                             data={"name": "Các xã biên giới", "units": "01279",
                                   "mountain": "on", "initial-name": AREA_OF_A,
                                   "initial-units": "01273", "initial-mountain": "False"}),
    # Fund A's unrestricted money (the receipt's, less what was allocated).
    "fund:money_return": Case(_OBJECT, "fund.manager", method="post", status=302, args=FUND_A,
                              outside_args=FUND_C, forbidden=WRITES_NO_FUND,
                              data={"bucket": _Ref("fund.allocation_a.restriction_id"),
                                    "amount": "1.000.000", "day": "01/06/2026",
                                    "reason": _RETURN_REASON}),
    "api:area_list": _fund_read(shows=(AREA_OF_A,), hides=(AREA_OF_C,)),
    "api:area_create": _fund_write({"name": "Xã vùng cao", "units": ["01279"],
                                    "mountain": True}),
    "api:area_update": Case(api_rows.OBJECT, "fund.manager", method="patch", args=_AREA_A,
                            outside_args=_AREA_C, data={"name": "Các xã biên giới"},
                            forbidden=KEEPS_NO_FUND, shows=("Các xã biên giới",)),
    # No earmark named: the fund's unrestricted money.
    "api:money_return": _fund_write({"amount": 1_000_000, "day": "2026-06-01",
                                     "reason": _RETURN_REASON}, shows=(_RETURN_REASON,)),
}
FUND_CASES.update(AREA_EDIT_AND_RETURN)

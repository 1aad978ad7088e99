"""A province's fund over two years, made through the services, with its figures worked out by
hand (the public account's, the yearly report's and the letters' tests share it).

Last year (`Y0`): a named business gives 10,000,000 đ in February, in the Tết campaign, and a
box of 20 sets of school supplies worth 4,000,000 đ in August; an individual who did not agree
to be named gives 3,000,000 đ in May and 2,500,000 đ in November, the second reversed since
(a mistake); 1,000,000 đ is returned to a donor in December. Nothing is delivered.
    Y0: money 13,000,000 (Q1 10M, Q2 3M), goods 4,000,000 (Q3), returned 1,000,000, closing
    balance 16,000,000.

This year (`Y1`, today's): a named bank gives 20,000,000 đ in this year's campaign; the
business gives 1,500,000 đ earmarked for child a3. Delivered today, from the campaign's money:
- commune A: scholarships of 1,000,000 đ to five children a1…a5, meals of 500,000 đ to a
  second record of a1 (merged into a1 afterwards: the same child), a gift of 300,000 đ to a
  household; a health check of 200,000 đ for a2 is allocated, not delivered;
- commune B: scholarships of 1,000,000 đ to two children b1, b2;
- commune D: a playground of 8,000,000 đ for the commune itself (no child).
    Y1: mobilised 21,500,000; spent 15,800,000 (A 5,800,000, B 2,000,000, D 8,000,000);
    children 7 (a1…a5, b1, b2: the merged record is a1); households 1; closing 21,700,000.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from treem.accounts.roles import Role
from treem.fund import allocations, gifts, needs, services
from treem.fund.allocations import Proof
from treem.fund.models import Campaign, Channel, Donor, Fund, Need, NeedKind, RestrictionKind
from treem.fund.services import Bucket
from treem.geo.models import Level, Unit
from treem.registry.models import Child, Household
from treem.registry.tests.factories import make_child, make_household
from treem.testing import Personas, Tree, make_unit, make_user

PDF = b"%PDF-1.4\n% bien nhan co chu ky\n"
NAMED = "Công ty Sông Hiến"
BANK = "Ngân hàng Bắc Á"
ANONYMOUS = "Nguyễn Văn Kín Tiếng"  # did not agree to be named: never on a public page
CHILDREN = {  # full name → (birth date, personal id)
    "a1": ("Lục Thị Mai", datetime.date(2014, 3, 4), "004314000101"),
    "a2": ("Hoàng Văn Pắn", datetime.date(2015, 7, 19), "004315000102"),
    "a3": ("Nông Thị Dào", datetime.date(2016, 11, 23), "004316000103"),
    "a4": ("Bế Văn Slinh", datetime.date(2017, 1, 30), "004317000104"),
    "a5": ("Đàm Thị Nguyệt", datetime.date(2018, 9, 8), "004318000105"),
    "b1": ("Mã Văn Khuổi", datetime.date(2013, 5, 17), "004313000106"),
    "b2": ("La Thị Phjêng", datetime.date(2019, 12, 2), "004319000107"),
}
HOUSEHOLD_HEAD = "Lý Văn Thèn"


@dataclass
class PublicWorld:
    fund: Fund
    manager: Any
    commune_d: Unit
    y0: int
    y1: int
    named: Donor
    bank: Donor
    anonymous: Donor
    tet: Campaign              # last year's
    campaign: Campaign         # this year's
    children: dict[str, Child]
    duplicate: Child           # a second record of a1, merged into it
    household: Household
    undelivered: Any           # a2's health check, allocated only


def _kind(code: str) -> NeedKind:
    return NeedKind.objects.get(code=code)


def approved(proposer: Any, approver: Any, code: str, amount: int, text: str,
             **target: Any) -> Need:
    need = needs.need_propose(actor=proposer, kind=_kind(code), description=text,
                              amount=amount, year=timezone.localdate().year, **target)
    return needs.need_decide(actor=approver, need=need, approve=True)


def deliver(manager: Any, officer: Any, need: Need, bucket: Bucket, amount: int) -> Any:
    allocation = allocations.allocate(actor=manager, need=need, bucket=bucket, amount=amount)
    allocations.delivery_record(actor=officer, allocation=allocation,
                                delivered_on=timezone.localdate(),
                                proofs=[Proof("signed_receipt", PDF, "bien-nhan.pdf")])
    return allocation


def for_child(child: Child) -> dict[str, Any]:
    return {"beneficiary": "child", "child_id": child.public_id}


def _last_year(manager: Any, fund: Fund, y0: int) -> dict[str, Any]:
    named = services.donor_create(actor=manager, fund=fund, kind="business", name=NAMED,
                                  named_publicly=True, tax_code="0100000001")
    anonymous = services.donor_create(actor=manager, fund=fund, kind="individual",
                                      name=ANONYMOUS, phone="0912000001")
    tet = gifts.campaign_create(actor=manager, fund=fund, kind="tet",
                                name=f"Xuân yêu thương {y0}", starts_on=datetime.date(y0, 2, 1),
                                ends_on=datetime.date(y0, 2, 28), goal=20_000_000)
    services.receipt_record(actor=manager, fund=fund, donor=named, amount=10_000_000,
                            received_on=datetime.date(y0, 2, 10), channel=Channel.BANK,
                            bank_reference="FT-Y0-001", campaign=tet)
    services.receipt_record(actor=manager, fund=fund, donor=anonymous, amount=3_000_000,
                            received_on=datetime.date(y0, 5, 20), channel=Channel.CASH,
                            receipt_number="BL-Y0-002")
    gifts.goods_receive(actor=manager, fund=fund, donor=named, description="Bộ đồ dùng học tập",
                        quantity=20, measure="bộ", value=4_000_000, valuation="Theo hóa đơn",
                        received_on=datetime.date(y0, 8, 1))
    mistake = services.receipt_record(actor=manager, fund=fund, donor=anonymous,
                                      amount=2_500_000, received_on=datetime.date(y0, 11, 15),
                                      channel=Channel.BANK, bank_reference="FT-Y0-003")
    services.journal_reverse(actor=manager, journal=mistake.journal,
                             reason="Ghi nhầm giao dịch của quỹ khác")
    services.money_return(actor=manager, fund=fund, restriction=services.unrestricted(fund),
                          amount=1_000_000, day=datetime.date(y0, 12, 1),
                          reason="Nhà tài trợ đề nghị hoàn lại phần chưa dùng")
    return {"named": named, "anonymous": anonymous, "tet": tet}


def public_world(tree: Tree, personas: Personas) -> PublicWorld:
    today = timezone.localdate()
    y0, y1 = today.year - 1, today.year
    manager = make_user("quy_cong_khai", role=Role.FUND_MANAGER, unit=tree.province)
    fund = services.fund_open(actor=None, unit=tree.province,
                              name="Quỹ Bảo trợ trẻ em tỉnh Cao Bằng")
    old = _last_year(manager, fund, y0)
    commune_d = make_unit(parent=tree.province, level=Level.COMMUNE, code="01282",
                          name="Xã Nguyên Bình")
    officer_d = make_user("officer_d", role=Role.COMMUNE_OFFICER, unit=commune_d)
    bank = services.donor_create(actor=manager, fund=fund, kind="organisation", name=BANK,
                                 named_publicly=True)
    campaign = gifts.campaign_create(actor=manager, fund=fund, kind="month_of_action",
                                     name=f"Vì trẻ em {y1}", starts_on=datetime.date(y1, 1, 1),
                                     ends_on=datetime.date(y1, 12, 31), goal=10_000_000)
    services.receipt_record(actor=manager, fund=fund, donor=bank, amount=20_000_000,
                            received_on=today, channel=Channel.BANK,
                            bank_reference="FT-Y1-001", campaign=campaign)
    household = make_household(commune=tree.commune_a, head_name=HOUSEHOLD_HEAD)
    children = {key: make_child(commune=tree.commune_b if key.startswith("b")
                                else tree.commune_a, full_name=name, birth_date=born,
                                personal_id=number)
                for key, (name, born, number) in CHILDREN.items()}
    earmark = gifts.restriction_for(actor=manager, fund=fund, kind=RestrictionKind.CHILD,
                                    child=children["a3"])
    services.receipt_record(actor=manager, fund=fund, donor=old["named"], amount=1_500_000,
                            received_on=today, channel=Channel.CASH,
                            receipt_number="BL-Y1-002", restriction=earmark)
    bucket = Bucket(services.unrestricted(fund), campaign)
    officer, outsider, province = personas.officer, personas.outsider, personas.province_officer
    for key, child in children.items():
        who = outsider if key.startswith("b") else officer
        deliver(manager, who, approved(who, province, "scholarship", 1_000_000,
                                       f"Học bổng cho em {child.full_name}",
                                       **for_child(child)), bucket, 1_000_000)
    a1 = children["a1"]
    duplicate = make_child(commune=tree.commune_a, full_name=a1.full_name,
                           birth_date=a1.birth_date)
    deliver(manager, officer, approved(officer, province, "meals", 500_000,
                                       f"Bữa ăn cho em {a1.full_name}", **for_child(duplicate)),
            bucket, 500_000)
    Child.objects.filter(pk=duplicate.pk).update(merged_into=a1)  # the register's dedup
    deliver(manager, officer, approved(officer, province, "gift", 300_000,
                                       f"Quà cho hộ {HOUSEHOLD_HEAD}", beneficiary="household",
                                       household_id=household.public_id), bucket, 300_000)
    undelivered = allocations.allocate(
        actor=manager, bucket=bucket, amount=200_000,
        need=approved(officer, province, "health_check", 200_000,
                      f"Khám sức khỏe cho em {children['a2'].full_name}",
                      **for_child(children["a2"])))
    deliver(manager, officer_d, approved(officer_d, province, "playground", 8_000_000,
                                         "Sân chơi cho trẻ em xã", beneficiary="commune",
                                         commune_id=commune_d.public_id), bucket, 8_000_000)
    return PublicWorld(fund=fund, manager=manager, commune_d=commune_d, y0=y0, y1=y1,
                       named=old["named"], bank=bank, anonymous=old["anonymous"],
                       tet=old["tet"], campaign=campaign, children=children,
                       duplicate=duplicate, household=household, undelivered=undelivered)


def laid_out_text(html: str) -> str:
    """The text WeasyPrint lays out on the pages of `html`, as the PDF prints it."""
    from weasyprint import HTML

    from treem.ui.pdf import OnlyStaticFiles

    base = "http://testserver/"
    document = HTML(string=html, base_url=base, url_fetcher=OnlyStaticFiles(base),
                    media_type="print").render()
    found: list[str] = []

    def walk(box: Any) -> None:
        if type(box).__name__ == "TextBox":
            found.append(box.text)
        for child in getattr(box, "children", []) or []:
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return " ".join(" ".join(found).split())

"""The fund of the demo of `make run`: the demo province's Quỹ Bảo trợ trẻ em with its donors,
campaigns, receipts by bank and in cash, a box of school supplies, a pledge, the needs the demo
commune proposed for its children (some approved by the province, some waiting), allocations
(one delivered with its signed receipt, one waiting for the approver) and a state support on
the register that a second scholarship would repeat. Made once, through the services the pages
call, so that the audit trail and the ledger are the real ones. Never used in production.

The donors and their gifts are invented; the children are the demo register's synthetic ones.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from treem.accounts.capabilities import Capability
from treem.accounts.models import User
from treem.fund import allocations, gifts, needs, services
from treem.fund.allocations import Proof
from treem.fund.models import (
    Allocation,
    AllocationStatus,
    Area,
    Beneficiary,
    CampaignKind,
    Channel,
    Donor,
    DonorKind,
    Fund,
    GoodsLot,
    Need,
    NeedKind,
    NeedStatus,
    Receipt,
    RestrictionKind,
)
from treem.fund.services import Bucket
from treem.geo.models import Level, Unit
from treem.registry import services as registry_services
from treem.registry.choices import PovertyStatus, SupportKind
from treem.registry.models import Child, ChildCircumstance, ChildSupport
from treem.ui.demo_pdf import ascii_upper, text_pdf

FUND_NAME = "Quỹ Bảo trợ trẻ em tỉnh Cao Bằng"
AREA_NAME = "Các xã miền núi"
AREA_COMMUNES = 8
MONTH_OF_ACTION = "Tháng hành động vì trẻ em 2026"
MID_AUTUMN = "Tết Trung thu 2026"
STATE_SUPPORT = "Nhà nước: hỗ trợ chi phí học tập (Nghị định 81/2021/NĐ-CP)"
USERS = ("demo.quy", "demo.lanhdao", "demo.xa", "demo.tinh")

# The children's needs the commune proposes, in the order of the children chosen:
# (kind, description, amount in đồng, approved by the province).
CHILD_NEEDS = [
    ("health_check", "Khám sức khỏe, xét nghiệm máu do hay ốm, sút cân", 500_000, True),
    ("school", "Bộ đồ dùng học tập cho năm học mới", 300_000, True),
    ("scholarship", "Học bổng năm học 2026–2027 cho học sinh nghèo vượt khó", 5_000_000, True),
    ("treatment", "Phẫu thuật tim bẩm sinh: phần chi phí bảo hiểm y tế không chi trả",
     25_000_000, True),
    ("scholarship", "Học bổng năm học 2026–2027, mồ côi cha", 3_000_000, True),
    ("gift", "Quà Tết Trung thu cho trẻ em có hoàn cảnh đặc biệt", 300_000, True),
    ("meals", "Hỗ trợ tiền ăn bán trú học kỳ I", 1_800_000, False),
    ("counselling", "Tư vấn tâm lý sau khi bố mẹ ly hôn", 2_000_000, False),
    ("legal_aid", "Trợ giúp pháp lý làm thủ tục nhận cha cho con", 3_000_000, False),
]
DELIVERED, GOODS, WAITING_DELIVERY, ABOVE_THRESHOLD, SUPPORTED = 0, 1, 2, 3, 4


@dataclass(frozen=True)
class DemoFund:
    fund: str
    donors: int
    receipts: int
    lots: int
    needs: int
    approved: int
    allocations: int
    awaiting: int

    def __str__(self) -> str:
        return (f"{self.fund}: {self.donors} donors, {self.receipts} receipts, {self.lots} "
                f"goods lot(s), {self.needs} needs ({self.approved} approved), "
                f"{self.allocations} allocations ({self.awaiting} awaiting the approver)")


def setup_demo_fund() -> DemoFund | None:
    """Once: the demo province's fund and its year so far (None without the demo accounts)."""
    users = {user.username: user for user in User.objects.filter(username__in=USERS)}
    if len(users) < len(USERS):
        return None
    manager = users["demo.quy"]
    province = manager.assignments.get().unit
    with transaction.atomic():
        fund = (Fund.objects.filter(unit=province).first()
                or services.fund_open(actor=None, unit=province, name=FUND_NAME))
        if not fund.campaigns.filter(name=MONTH_OF_ACTION).exists():
            _fill(fund, users)
    return summary(fund)


def summary(fund: Fund) -> DemoFund:
    found = Allocation.objects.filter(fund=fund)
    return DemoFund(
        fund=fund.name, donors=fund.donors.count(),
        receipts=Receipt.objects.filter(fund=fund).count(),
        lots=GoodsLot.objects.filter(fund=fund).count(),
        needs=Need.objects.filter(fund=fund).count(),
        approved=Need.objects.filter(fund=fund, status=NeedStatus.APPROVED).count(),
        allocations=found.count(),
        awaiting=found.filter(status=AllocationStatus.AWAITING_APPROVAL).count())


def _fill(fund: Fund, users: dict[str, User]) -> None:
    manager, officer = users["demo.quy"], users["demo.xa"]
    today = timezone.localdate()
    commune = officer.assignments.get().unit
    area = _area(fund, manager)
    business = services.donor_create(
        actor=manager, fund=fund, kind=DonorKind.BUSINESS,
        name="Công ty TNHH Thương mại Non Nước Cao Bằng (minh họa)", tax_code="4800912345",
        phone="0206 3852 468", named_publicly=True)
    international = services.donor_create(
        actor=manager, fund=fund, kind=DonorKind.INTERNATIONAL,
        name="Tổ chức Highland Children Trust (minh họa)", named_publicly=True)
    person = services.donor_create(actor=manager, fund=fund, kind=DonorKind.INDIVIDUAL,
                                   name="Lê Văn Khánh", phone="0912 345 678")
    month = gifts.campaign_create(
        actor=manager, fund=fund, kind=CampaignKind.MONTH_OF_ACTION, name=MONTH_OF_ACTION,
        starts_on=datetime.date(2026, 6, 1), ends_on=datetime.date(2026, 6, 30),
        goal=500_000_000)
    autumn = gifts.campaign_create(
        actor=manager, fund=fund, kind=CampaignKind.MID_AUTUMN, name=MID_AUTUMN,
        starts_on=datetime.date(2026, 8, 15), ends_on=datetime.date(2026, 9, 30),
        goal=200_000_000)

    def on(month_number: int, day: int) -> datetime.date:
        return min(datetime.date(2026, month_number, day), today)  # never a future receipt

    for_school = gifts.restriction_for(actor=manager, fund=fund, kind=RestrictionKind.NEED,
                                       need_kind=NeedKind.objects.get(code="school"))
    for_commune = gifts.restriction_for(actor=manager, fund=fund, kind=RestrictionKind.PLACE,
                                        unit=commune)
    pledge = gifts.pledge_create(actor=manager, fund=fund, donor=international,
                                 pledged_on=on(8, 15), amount=200_000_000, campaign=autumn,
                                 due_on=datetime.date(2026, 9, 30))
    gifts_received: list[tuple[Donor, int, datetime.date, str, str, dict[str, Any]]] = [
        (business, 150_000_000, on(6, 5), Channel.BANK, "FT26156100234",
         {"restriction": for_school, "campaign": month}),
        (international, 300_000_000, on(6, 20), Channel.BANK, "FT26171300871",
         {"restriction": gifts.restriction_for(actor=manager, fund=fund,
                                               kind=RestrictionKind.PLACE, area=area),
          "campaign": month}),
        (person, 5_000_000, on(6, 1), Channel.CASH, "PT-2026-0001",
         {"restriction": for_commune, "campaign": month}),
        (business, 50_000_000, on(9, 5), Channel.BANK, "FT26248500112", {"campaign": autumn}),
        (international, 100_000_000, on(9, 10), Channel.BANK, "FT26253700405",
         {"pledge": pledge}),
        (person, 2_000_000, on(9, 20), Channel.CASH, "PT-2026-0002", {"campaign": autumn}),
    ]
    for donor, amount, day, channel, reference, links in gifts_received:
        bank = channel == Channel.BANK
        services.receipt_record(actor=manager, fund=fund, donor=donor, amount=amount,
                                received_on=day, channel=channel,
                                bank_reference=reference if bank else "",
                                receipt_number="" if bank else reference, **links)
    lot = gifts.goods_receive(
        actor=manager, fund=fund, donor=business,
        description="Bộ đồ dùng học tập (cặp sách, 10 quyển vở, bút, thước)", quantity=200,
        measure="bộ", value=60_000_000, valuation="Theo hóa đơn mua hàng nhà tài trợ gửi kèm",
        received_on=on(8, 20), restriction=for_school)
    made = _needs(fund, users, commune, today)
    buckets = {
        DELIVERED: Bucket(for_commune, month),
        WAITING_DELIVERY: Bucket(services.unrestricted(fund), autumn),
        ABOVE_THRESHOLD: Bucket(services.unrestricted(fund), autumn),
    }
    for position, bucket in buckets.items():
        if position < len(made):
            allocations.allocate(actor=manager, need=made[position], bucket=bucket,
                                 amount=made[position].amount)
    if len(made) > GOODS:
        allocations.allocate(actor=manager, need=made[GOODS],
                             bucket=Bucket(for_school, lot=lot), quantity=1)
    if len(made) > DELIVERED:
        given = made[DELIVERED].allocations.get()
        allocations.delivery_record(
            actor=officer, allocation=given, delivered_on=today,
            note="Gia đình đã nhận đủ, ký biên nhận tại Ủy ban nhân dân phường.",
            proofs=[Proof("signed_receipt", receipt_pdf(given, fund, today), "bien-nhan.pdf")])
    needs.priorities_refresh(fund)


def _area(fund: Fund, manager: User) -> Area | None:
    """The province's first rural communes (xã) in code order, as its mountain area."""
    communes = list(Unit.objects.current()
                    .filter(level=Level.COMMUNE, path__startswith=fund.unit_path)
                    .filter(name__startswith="Xã ").order_by("code")[:AREA_COMMUNES])
    if not communes:
        return None
    return gifts.area_create(actor=manager, fund=fund, name=AREA_NAME, units=communes,
                             mountain=True)


def _children(officer: User, commune: Unit, today: datetime.date) -> list[Child]:
    """Children of the officer's commune aged 3 to 14 with no support on the register this
    year (so that only the support the demo records is found), in the register's order: first
    some the priority rules rank (a special circumstance, a poor or near-poor household)."""
    supported = ChildSupport.objects.filter(child=OuterRef("pk")).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=datetime.date(today.year, 1, 1)))
    candidates = (Child.objects.visible_to(officer, capability=Capability.VIEW_CHILDREN)
                  .on_record().filter(commune=commune).age_between(today, 3, 14)
                  .filter(death_date__isnull=True).exclude(Exists(supported)).order_by("id"))
    ranked = (Exists(ChildCircumstance.objects.on(today).filter(child=OuterRef("pk")))
              | Q(household__poverty_status__in=[PovertyStatus.POOR, PovertyStatus.NEAR_POOR]))
    first = list(candidates.filter(ranked)[:len(CHILD_NEEDS) // 2])
    rest = candidates.exclude(pk__in=[child.pk for child in first])
    return first + list(rest[:len(CHILD_NEEDS) - len(first)])


def _needs(fund: Fund, users: dict[str, User], commune: Unit, today: datetime.date
           ) -> list[Need]:
    """The commune's needs (the children's in `CHILD_NEEDS` order, then its playground's),
    decided by the province as `CHILD_NEEDS` says; the state support on one child."""
    officer, province_officer = users["demo.xa"], users["demo.tinh"]
    kinds = {kind.code: kind for kind in NeedKind.objects.all()}
    made = []
    for child, (code, description, amount, approve) in zip(
            _children(officer, commune, today), CHILD_NEEDS, strict=False):
        need = needs.need_propose(actor=officer, kind=kinds[code],
                                  beneficiary=Beneficiary.CHILD, child_id=child.public_id,
                                  description=description, amount=amount, year=today.year)
        if approve:
            need = needs.need_decide(actor=province_officer, need=need, approve=True)
        made.append(need)
    needs.need_propose(actor=officer, kind=kinds["playground"], beneficiary=Beneficiary.COMMUNE,
                       commune_id=commune.public_id, amount=45_000_000, year=today.year,
                       description="Thiết bị vui chơi (xích đu, cầu trượt) cho điểm vui chơi "
                                   "trẻ em tổ dân phố 1")
    supported = made[SUPPORTED].child if len(made) > SUPPORTED else None
    if supported is not None:
        registry_services.support_add(
            actor=officer, child=supported, kind=SupportKind.EDUCATION,
            start_date=min(datetime.date(today.year, 9, 5), today),
            end_date=datetime.date(today.year + 1, 5, 31), provider=STATE_SUPPORT,
            note="Hỗ trợ chi phí học tập 150.000 đồng/tháng, 9 tháng")
    return made


def receipt_pdf(allocation: Allocation, fund: Fund, day: datetime.date) -> bytes:
    """A one-page signed receipt (Biên nhận): no child's name, the allocation's reference."""
    return text_pdf(["BIEN NHAN HO TRO (du lieu minh hoa)", ascii_upper(fund.name),
                     f"Ma phan bo: {allocation.reference}", f"So tien: {allocation.amount:,} dong",
                     f"Ngay trao: {day:%d/%m/%Y}",
                     "Nguoi nhan ky, ghi ro ho ten: ..................."])

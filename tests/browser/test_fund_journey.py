"""The fund's journey (issue 15, "Done when"): the fund manager records a business's transfer
earmarked for the mountain communes and a box of school supplies (desktop); the commune officer
proposes three needs, each child found by a name posted (phone); the province approves them
(desktop); the fund manager matches them, and a second support of the same kind for one child
is refused with why, then given with a reason; the commune records the deliveries with proof
(phone); the public page shows the new totals and no child's identity (no sign-in)."""

import datetime
import io
import re
from dataclasses import dataclass

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Browser, FilePayload, Page, ViewportSize, expect

from tests.browser.conftest import PHONE, screenshot
from tests.browser.test_journeys import _no_horizontal_scroll
from tests.browser.test_navigation import DESKTOP
from tests.browser.test_register_journey import _sign_in
from treem.accounts.roles import Role
from treem.audit.models import AuditEvent
from treem.fund import public, selectors, services
from treem.fund.models import (
    Account,
    Allocation,
    AllocationStatus,
    Delivery,
    DeliveryProof,
    Donor,
    Fund,
    GoodsLot,
    Need,
    NeedStatus,
    Receipt,
    Restriction,
    RestrictionKind,
)
from treem.registry.choices import PovertyStatus
from treem.registry.models import Child, ChildSupport
from treem.registry.tests.factories import make_child, make_consent, make_household
from treem.testing import confirmed_device, make_personas, make_tree, make_user

pytestmark = pytest.mark.browser

DONOR = "Công ty Cổ phần Thép Cao Bằng"
AREA = "Các xã vùng cao"
SUPPLIES = "Bộ đồ dùng học tập (cặp, vở, bút)"
PROVIDER = "Trường THCS Thục Phán"  # the state support already recorded on Hà Văn Tùng
PDF = b"%PDF-1.4\n% bien nhan co chu ky\n"
WIDE = ViewportSize(width=DESKTOP["width"], height=DESKTOP["height"])
NARROW = ViewportSize(width=PHONE["width"], height=PHONE["height"])


@dataclass(frozen=True)
class Asked:
    """A need the commune proposes: for whom (searched by `typed`), of which kind, how much."""

    child: Child
    typed: str
    kind: str
    description: str
    amount: int


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), (200, 160, 40)).save(out, "JPEG")
    return out.getvalue()


def _ledger(fund: Fund, restriction: Restriction) -> dict[str, int]:
    """An earmark's balance by account, as `selectors.balances` sums the postings."""
    return {account: total for (rid, account), total in selectors.balances(fund=fund).items()
            if rid == restriction.pk and total}


def _field(label: str) -> re.Pattern[str]:
    """A field's label exactly, with or without the mark of a required field."""
    return re.compile(rf"^{re.escape(label)}( \*)?$")


def _label(child: Child) -> str:
    return f"{child.full_name} — {child.birth_date:%d/%m/%Y} — Phường Thục Phán"


class FundJourneyTests:
    def test_a_gift_reaches_three_children_once_each_and_the_public_sees_only_totals(
        self, journey_db: None, live_server: object, phone: Page
    ) -> None:
        tree = make_tree()
        personas = make_personas(tree)
        fund = services.fund_open(actor=None, unit=tree.province,
                                  name="Quỹ Bảo trợ trẻ em tỉnh Cao Bằng")
        manager = make_user("quy", role=Role.FUND_MANAGER, unit=tree.province)
        poor = make_household(commune=tree.commune_a, head_name="Nông Văn Sình",
                              poverty_status=PovertyStatus.POOR)
        khanh = make_child(commune=tree.commune_a, full_name="Nông Văn Khánh", household=poor,
                           birth_date=datetime.date(2014, 9, 12))
        hoa = make_child(commune=tree.commune_a, full_name="Lý Thị Hoa", sex="f",
                         birth_date=datetime.date(2017, 2, 8))
        tung = make_child(commune=tree.commune_a, full_name="Hà Văn Tùng",
                          birth_date=datetime.date(2013, 11, 20))
        today = timezone.localdate()
        support = ChildSupport.objects.create(
            child=tung, province_code="04", kind="education", provider=PROVIDER,
            start_date=datetime.date(today.year, 1, 1), note="Miễn học phí, hỗ trợ chi phí học tập")
        base = str(live_server)
        browser: Browser = phone.context.browser  # type: ignore[assignment]

        # 1. The fund manager, on a desktop: the area, the donor, its transfer, the supplies.
        desk = browser.new_page(viewport=WIDE)
        desk.set_default_timeout(10_000)
        _sign_in(desk, base, "quy", confirmed_device(manager))
        desk.goto(f"{base}/fund/")
        expect(desk.get_by_role("heading", name=fund.name)).to_be_visible()
        desk.get_by_role("link", name="Địa bàn", exact=True).click()
        desk.get_by_role("link", name="Địa bàn mới").click()
        desk.get_by_label("Tên địa bàn").fill(AREA)
        desk.get_by_label("Xã miền núi, đặc biệt khó khăn").check()
        desk.get_by_label("Phường Thục Phán").check()
        desk.get_by_label("Xã Hòa An").check()
        desk.get_by_role("button", name="Tạo địa bàn").click()
        expect(desk.get_by_role("status")).to_contain_text(f"Đã tạo địa bàn {AREA}.")

        desk.goto(f"{base}/fund/{fund.public_id}/donors/new/")
        desk.get_by_label("Loại nhà tài trợ").select_option(label="Doanh nghiệp")
        desk.get_by_label(_field("Tên")).fill(DONOR)
        desk.get_by_label("Mã số thuế").fill("4800123456")
        desk.get_by_label("Điện thoại").fill("0206 3852 111")
        desk.get_by_label("Đồng ý công khai tên").check()
        desk.get_by_role("button", name="Lưu").click()
        expect(desk.get_by_role("status")).to_contain_text(f"Đã thêm nhà tài trợ {DONOR}.")

        desk.goto(f"{base}/fund/{fund.public_id}/receipts/new/")
        _pick_donor(desk)
        desk.get_by_label("Số tiền (đồng)").fill("10.000.000")
        desk.get_by_role("radio", name="Chuyển khoản").check()
        desk.get_by_label("Mã giao dịch ngân hàng (chuyển khoản)").fill("FT26152098765")
        desk.get_by_label(_field("Nội dung chỉ định")).select_option(
            label="Mới: cho một địa bàn")
        desk.get_by_label("Địa bàn (nếu chỉ định mới)").select_option(label=AREA)
        screenshot(desk, "fund-receipt-desktop")
        desk.get_by_role("button", name="Ghi nhận").click()
        expect(desk.get_by_role("status")).to_contain_text(f"Đã ghi nhận khoản tiền của {DONOR}.")

        desk.goto(f"{base}/fund/{fund.public_id}/goods/new/")
        _pick_donor(desk)
        desk.get_by_label(_field("Hiện vật")).fill(SUPPLIES)
        desk.get_by_label("Số lượng").fill("20")
        desk.get_by_label("Đơn vị tính").fill("bộ")
        desk.get_by_label("Giá trị ước tính (đồng)").fill("4.000.000")
        desk.get_by_label("Cách định giá").fill("Theo hóa đơn mua hàng của doanh nghiệp")
        desk.get_by_label(_field("Nội dung chỉ định")).select_option(
            label="Mới: cho một loại nhu cầu")
        desk.get_by_label("Loại nhu cầu (nếu chỉ định mới)").select_option(
            label="Đồ dùng, chi phí đi học")
        desk.get_by_role("button", name="Ghi nhận").click()
        expect(desk.get_by_role("status")).to_contain_text("Đã ghi nhận hiện vật")

        desk.goto(f"{base}/fund/{fund.public_id}/")
        expect(desk.locator("main table").first).to_contain_text("14.000.000 đ")
        screenshot(desk, "fund-balances-desktop")
        donor = Donor.objects.get()
        assert (donor.name, donor.kind, donor.named_publicly) == (DONOR, "business", True)
        receipt = Receipt.objects.get()
        area_money = Restriction.objects.get(fund=fund, kind=RestrictionKind.PLACE)
        assert (receipt.amount, receipt.bank_reference, area_money.kind) \
            == (10_000_000, "FT26152098765", RestrictionKind.PLACE)
        assert area_money.area is not None and area_money.area.name == AREA
        lot = GoodsLot.objects.get()
        supplies = Restriction.objects.get(fund=fund, kind=RestrictionKind.NEED)
        assert (lot.quantity, lot.value, supplies.kind) == (20, 4_000_000, RestrictionKind.NEED)
        assert supplies.need_kind is not None and supplies.need_kind.code == "school"
        assert _ledger(fund, area_money) == {Account.DONATIONS: -10_000_000,
                                             Account.AVAILABLE: 10_000_000}
        assert _ledger(fund, supplies) == {Account.DONATIONS: -4_000_000,
                                           Account.AVAILABLE: 4_000_000}

        # 2. The commune officer, on a phone: three needs, each child found by a name posted.
        asked = [
            Asked(khanh, "nong van khanh", "Học bổng",
                  "Học bổng năm học cho em học lớp 7, gia đình hộ nghèo.", 3_000_000),
            Asked(hoa, "ly thi hoa", "Đồ dùng, chi phí đi học",
                  "Hai bộ đồ dùng học tập cho em vào lớp 3.", 400_000),
            Asked(tung, "ha van tung", "Học bổng",
                  "Học bổng năm học cho em học lớp 8.", 2_000_000),
        ]
        _sign_in(phone, base, "officer_a", confirmed_device(personas.officer))
        for number, ask in enumerate(asked):
            _propose(phone, base, ask, shot=number == 0)
        screenshot(phone, "fund-need-proposed-phone")
        proposed = {need.child_id: need for need in Need.objects.all()}
        assert sorted(proposed) == sorted(a.child.pk for a in asked)
        assert all(n.status == NeedStatus.PROPOSED and n.year == today.year
                   for n in proposed.values())
        # Priority as data: the mountain area counts for all three, the poor household once.
        assert [proposed[a.child.pk].priority for a in asked] == [50, 20, 20]
        need_khanh, need_hoa, need_tung = (proposed[a.child.pk] for a in asked)

        # 3. The province's area officer, on a desktop: approves the three (it reads names).
        office = browser.new_page(viewport=WIDE)
        office.set_default_timeout(10_000)
        _sign_in(office, base, "province", confirmed_device(personas.province_officer))
        for ask in asked:
            office.goto(f"{base}/fund/needs/")
            office.get_by_role("link", name=re.compile(ask.child.full_name)).click()
            office.locator("#decide").get_by_role("button", name="Duyệt", exact=True).click()
            expect(office.get_by_role("status")).to_contain_text("Đã duyệt nhu cầu.")
        office.goto(f"{base}/fund/needs/")
        screenshot(office, "fund-needs-approved-desktop")
        office.close()
        assert set(Need.objects.values_list("status", flat=True)) == {NeedStatus.APPROVED}

        # 4. The fund manager matches: the area's money to the two scholarships, two sets of
        # supplies to Lý Thị Hoa. It never reads a name: the needs are their references.
        desk.goto(f"{base}/fund/match/")
        expect(desk.locator("main")).not_to_contain_text("Nông Văn Khánh")
        _allocate(desk, base, AREA, need_khanh, "Số tiền phân bổ (đồng)", "3000000")
        _allocate(desk, base, SUPPLIES, need_hoa, "Số lượng", "2")
        desk.goto(f"{base}/fund/match/")
        _choose(desk, AREA)
        screenshot(desk, "fund-match-desktop")
        row = desk.locator("#suggestions tr", has_text=need_tung.reference)
        row.get_by_label("Số tiền phân bổ (đồng)").fill("2000000")
        row.get_by_role("button", name="Phân bổ").click()
        # Refused, and why: the state support the register records for this year.
        overlaps = desk.locator("#overlaps")
        expect(overlaps).to_be_visible()
        expect(overlaps).to_contain_text("Sổ theo dõi trẻ em")
        expect(overlaps).to_contain_text(f"HT-{str(support.public_id)[:8].upper()}")
        expect(overlaps).to_contain_text(PROVIDER)
        expect(desk.locator(".has-error")).to_contain_text(
            "Đối tượng này đã nhận hỗ trợ cùng loại trong cùng kỳ")
        screenshot(desk, "fund-double-beneficiary-desktop")
        assert not Allocation.objects.filter(need=need_tung).exists()
        assert _ledger(fund, area_money) == {Account.DONATIONS: -10_000_000,
                                             Account.AVAILABLE: 7_000_000,
                                             Account.ALLOCATED: 3_000_000}
        # Given anyway, with the officer's reason (audited with what was shown).
        reason = "Miễn học phí của nhà nước không gồm sách vở, đồng phục; đã xác minh với trường."
        desk.get_by_label("Lý do vẫn hỗ trợ").fill(reason)
        desk.get_by_role("button", name="Vẫn phân bổ, với lý do đã ghi").click()
        expect(desk.get_by_role("status")).to_contain_text("xã có thể trao hỗ trợ")
        expect(desk.locator("main")).to_contain_text(reason)

        given = {a.need_id: a for a in Allocation.objects.select_related("lot")}
        assert {need: (a.amount, a.quantity, a.status, a.override_reason)
                for need, a in given.items()} == {
            need_khanh.pk: (3_000_000, 0, AllocationStatus.APPROVED, ""),
            need_hoa.pk: (400_000, 2, AllocationStatus.APPROVED, ""),
            need_tung.pk: (2_000_000, 0, AllocationStatus.APPROVED, reason)}
        assert given[need_hoa.pk].lot == lot
        (override,) = [event for event in AuditEvent.objects.filter(
            object_id=str(given[need_tung.pk].public_id))
            if event.changed_fields == ["override_reason"]]
        assert reason in override.reason and PROVIDER in override.reason  # what was shown
        assert _ledger(fund, area_money) == {Account.DONATIONS: -10_000_000,
                                             Account.AVAILABLE: 5_000_000,
                                             Account.ALLOCATED: 5_000_000}
        assert _ledger(fund, supplies) == {Account.DONATIONS: -4_000_000,
                                           Account.AVAILABLE: 3_600_000,
                                           Account.ALLOCATED: 400_000}
        desk.close()

        # 5. The commune officer, on the phone: each support handed over, with proof. The
        # photos of Hoa and Tùng rest on their families' and their own consent, recorded on
        # their pages (test_consent_journey.py).
        for pictured in (hoa, tung):
            make_consent(child=pictured, purpose="photo_evidence")
        proofs = {need_khanh.pk: [("Biên nhận có chữ ký", "bien-nhan-khanh.pdf", PDF)],
                  need_hoa.pk: [("Ảnh trao hỗ trợ", "trao-do-dung.jpg", _photo())],
                  need_tung.pk: [("Biên nhận có chữ ký", "bien-nhan-tung.pdf", PDF),
                                 ("Ảnh trao hỗ trợ", "trao-hoc-bong.jpg", _photo())]}
        for need in (need_khanh, need_hoa, need_tung):
            _deliver(phone, base, given[need.pk], proofs[need.pk], today,
                     shot=need == need_tung)
        screenshot(phone, "fund-delivered-phone")
        delivered = Delivery.objects.select_related("allocation")
        assert {d.allocation.need_id: d.delivered_on for d in delivered} == {
            need_khanh.pk: today, need_hoa.pk: today, need_tung.pk: today}
        assert DeliveryProof.objects.count() == 4
        assert set(Allocation.objects.values_list("status", flat=True)) == {
            AllocationStatus.DELIVERED}
        assert _ledger(fund, area_money) == {Account.DONATIONS: -10_000_000,
                                             Account.AVAILABLE: 5_000_000,
                                             Account.DISBURSED: 5_000_000}
        assert _ledger(fund, supplies) == {Account.DONATIONS: -4_000_000,
                                           Account.AVAILABLE: 3_600_000,
                                           Account.DISBURSED: 400_000}

        # 6. Anyone, without signing in: the public account of the year, totals only.
        figures = public.public_figures(fund=fund, year=today.year)
        assert (figures.spent, figures.children, figures.balance.closing) \
            == (5_400_000, "< 5", 8_600_000)
        visitor = browser.new_context(viewport=NARROW, locale="vi-VN", is_mobile=True,
                                      has_touch=True)
        citizen = visitor.new_page()
        citizen.set_default_timeout(10_000)
        citizen.goto(f"{base}/fund/public/")
        citizen.get_by_role("link", name="Tỉnh Cao Bằng").click()
        expect(citizen.get_by_role("heading", level=1)).to_contain_text(fund.name)
        facts = citizen.locator("dl.facts")
        expect(facts.locator("dt:has-text('Tiếp nhận trong năm') + dd")).to_contain_text(
            "14.000.000 đ")
        expect(facts.locator("dt:has-text('Đã trao hỗ trợ') + dd")).to_have_text("5.400.000 đ")
        expect(facts.locator("dt:has-text('Số trẻ em được hỗ trợ') + dd")).to_have_text("< 5")
        expect(citizen.locator("main")).to_contain_text(DONOR)  # agreed to be named
        _no_horizontal_scroll(citizen)
        screenshot(citizen, "fund-public-phone")
        citizen.set_viewport_size(WIDE)
        screenshot(citizen, "fund-public-desktop")
        page_text = citizen.content()
        citizen.goto(f"{base}/fund/public/04/{today.year}.json")
        json_text = citizen.content()
        for child in (khanh, hoa, tung):
            for shown in (page_text, json_text):
                for secret in (child.full_name, child.name_folded,
                               f"{child.birth_date:%d/%m/%Y}", child.birth_date.isoformat()):
                    assert secret.casefold() not in shown.casefold(), secret
        visitor.close()


def _pick_donor(page: Page) -> None:
    """The donor, by a few letters of its name without accents (htmx fills the list)."""
    page.get_by_label(_field("Nhà tài trợ")).press_sequentially("thep cao bang", delay=20)
    option = page.locator("#id_donor option", has_text=DONOR)
    expect(option).to_have_count(1)
    page.locator("#id_donor").select_option(label=option.inner_text())


def _propose(phone: Page, base: str, ask: Asked, *, shot: bool) -> None:
    phone.goto(f"{base}/fund/needs/")
    phone.get_by_role("link", name="Đề xuất nhu cầu").click()
    phone.locator("main").get_by_role("link", name="Trẻ em", exact=True).click()
    phone.get_by_label("Tìm theo tên").fill(ask.typed)
    phone.get_by_role("button", name="Tìm").click()
    assert ask.typed.split()[-1] not in phone.url  # the name is posted, never in the address
    phone.get_by_label(_label(ask.child)).check()
    phone.get_by_label("Loại nhu cầu").select_option(label=ask.kind)
    phone.get_by_label("Mô tả nhu cầu").fill(ask.description)
    phone.get_by_label("Kinh phí dự kiến (đồng)").fill(str(ask.amount))
    _no_horizontal_scroll(phone)
    if shot:
        screenshot(phone, "fund-need-propose-phone")
    phone.get_by_role("button", name="Gửi đề xuất").click()
    expect(phone.get_by_role("status")).to_contain_text("chờ tỉnh duyệt")
    expect(phone.locator("main")).to_contain_text(ask.child.full_name)
    _no_horizontal_scroll(phone)


def _choose(page: Page, holding: str) -> None:
    """A holding of the matching page chosen (it is a link unless already chosen)."""
    link = page.locator("main li a", has_text=holding)
    if link.count():
        link.click()
    expect(page.locator("#suggestions > p.muted")).to_contain_text(holding)


def _allocate(page: Page, base: str, holding: str, need: Need, field: str, value: str
              ) -> None:
    page.goto(f"{base}/fund/match/")
    _choose(page, holding)
    row = page.locator("#suggestions tr", has_text=need.reference)
    row.get_by_label(field).fill(value)
    row.get_by_role("button", name="Phân bổ").click()
    expect(page.get_by_role("status")).to_contain_text("xã có thể trao hỗ trợ")


def _deliver(phone: Page, base: str, allocation: Allocation,
             files: list[tuple[str, str, bytes]], day: datetime.date, *, shot: bool) -> None:
    phone.goto(f"{base}/fund/allocations/")
    _no_horizontal_scroll(phone)
    if shot:
        screenshot(phone, "fund-allocations-phone")
    phone.get_by_role("link", name=allocation.reference).click()
    phone.locator("#delivery").get_by_role("link", name="Ghi nhận đã trao").click()
    phone.get_by_label("Ngày trao").fill(f"{day:%d/%m/%Y}")
    phone.get_by_label("Ghi chú").fill("Trao tại UBND phường, có mặt cha mẹ của em.")
    for label in {label for label, _name, _data in files}:
        phone.get_by_label(label).set_input_files([
            FilePayload(name=name, buffer=data, mimeType="application/pdf"
                        if name.endswith(".pdf") else "image/jpeg")
            for kind, name, data in files if kind == label])
    _no_horizontal_scroll(phone)
    if shot:
        screenshot(phone, "fund-delivery-form-phone")
    phone.get_by_role("button", name="Ghi nhận đã trao").click()
    expect(phone.get_by_role("status")).to_contain_text("Đã ghi nhận trao hỗ trợ.")
    for _label_text, name, _data in files:
        expect(phone.get_by_role("link", name=name)).to_be_visible()
    _no_horizontal_scroll(phone)

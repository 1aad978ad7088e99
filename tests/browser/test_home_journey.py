"""From the home page to the work, on a phone (360 px) and on a desktop (1366 px): the commune
officer opens the urgent 111 notification its home lists first, opens the case and records its
next step; the chairman approves the plan its home lists as waiting."""

import datetime
from collections.abc import Iterator

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PHONE, screenshot
from tests.browser.test_register_journey import _sign_in
from treem.cases import services
from treem.cases.choices import AbuseForm, Channel, Place
from treem.cases.tests.test_services import documents_for
from treem.registry.tests.factories import make_child
from treem.testing import confirmed_device, make_personas, make_tree

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}
SIZES = {"phone": PHONE, "desktop": DESKTOP}


@pytest.fixture(params=list(SIZES))
def screen(request: pytest.FixtureRequest, browser: Browser) -> Iterator[tuple[str, Page]]:
    size = request.param
    context = browser.new_context(viewport=SIZES[size], locale="vi-VN",
                                  is_mobile=size == "phone", has_touch=size == "phone")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield size, page
    context.close()


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size
    assert viewport is not None and width <= viewport["width"], f"page is {width}px wide"


class HomeJourneyTests:
    def test_the_officer_goes_from_the_urgent_notification_to_the_next_step_of_its_case(
        self, journey_db: None, live_server: object, screen: tuple[str, Page]
    ) -> None:
        size, page = screen
        tree = make_tree()
        personas = make_personas(tree)
        make_child(commune=tree.commune_a, village=tree.village_a, full_name="Lý Văn Páo")
        services.notification_record(
            actor=personas.intake, commune=tree.commune_a, channel=Channel.HOTLINE,
            received_at=timezone.now() - datetime.timedelta(minutes=30), place=Place.FAMILY,
            description="Người gọi nghe trẻ kêu cứu.", forms=[AbuseForm.VIOLENCE],
            child_description="Bé trai khoảng 9 tuổi", urgent=True, reporter_anonymous=True)
        base = str(live_server)

        _sign_in(page, base, "officer_a", confirmed_device(personas.officer))
        waiting = page.locator("#home-notifications")
        expect(waiting).to_contain_text("Khẩn cấp")
        expect(waiting).to_contain_text("Thời hạn 12 giờ: còn 11 giờ")
        _fits(page)
        screenshot(page, f"home-officer-{size}")
        waiting.get_by_role("link").first.click()
        expect(page.locator("body")).to_contain_text("Người gọi nghe trẻ kêu cứu.")
        page.get_by_label("Tìm trẻ trong sổ theo tên").fill("ly van pao")
        page.get_by_role("button", name="Tìm").click()
        page.get_by_label("Lý Văn Páo").check()
        page.get_by_role("button", name="Mở hồ sơ cho trẻ đã chọn").click()
        expect(page.get_by_role("heading", name="Lý Văn Páo")).to_be_visible()
        page.get_by_role("button", name="Bắt đầu xác minh, đánh giá ban đầu").click()
        expect(page.get_by_role("status")).to_contain_text("Đã chuyển hồ sơ sang bước mới")
        expect(page.locator("body")).to_contain_text("Xác minh, đánh giá ban đầu")
        _fits(page)
        screenshot(page, f"home-officer-case-{size}")

        # Back home, the notification is a case now, listed by its next deadline.
        page.goto(f"{base}/")
        expect(page.locator("#home-notifications")).to_contain_text("Không có thông báo mới.")
        expect(page.locator("#home-cases")).to_contain_text("Lý Văn Páo")

    def test_the_chairman_approves_the_plan_his_home_lists(
        self, journey_db: None, live_server: object, screen: tuple[str, Page]
    ) -> None:
        size, page = screen
        tree = make_tree()
        personas = make_personas(tree)
        child = make_child(commune=tree.commune_a, full_name="Triệu Văn Minh")
        notification = services.notification_record(
            actor=personas.intake, commune=tree.commune_a, channel=Channel.HOTLINE,
            received_at=timezone.now() - datetime.timedelta(days=3), place=Place.SCHOOL,
            description="Trẻ bị nhóm bạn đánh.", forms=[AbuseForm.VIOLENCE],
            reporter_anonymous=True)
        case = services.case_open(actor=personas.officer, notification=notification,
                                  child=child)
        for move in ("verify", "confirm", "plan", "submit_plan"):
            documents_for(case, move)
            services.case_move(actor=personas.officer, case=case, move=move)
        base = str(live_server)

        _sign_in(page, base, "chairman_a", confirmed_device(personas.chairman))
        approvals = page.locator("#home-approvals")
        expect(approvals).to_contain_text("Triệu Văn Minh")
        expect(approvals).to_contain_text("Chờ phê duyệt kế hoạch")
        _fits(page)
        screenshot(page, f"home-chairman-{size}")
        approvals.get_by_role("link", name="Triệu Văn Minh").click()
        page.get_by_role("button", name="Phê duyệt kế hoạch").click()
        expect(page.get_by_role("status")).to_contain_text("Đã chuyển hồ sơ sang bước mới")
        expect(page.locator("body")).to_contain_text("Thực hiện kế hoạch")
        screenshot(page, f"home-chairman-approved-{size}")
        page.goto(f"{base}/")
        expect(page.locator("#home-approvals")).to_contain_text(
            "Không có kế hoạch nào chờ phê duyệt.")

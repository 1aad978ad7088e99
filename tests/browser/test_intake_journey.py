"""The 111 operator records a call on a phone and at a desk: the urgency first, the commune
picked by typing its name without accents, days and times in Vietnamese order."""

import datetime
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PHONE, screenshot
from tests.browser.test_register_journey import _sign_in
from treem.cases.models import Notification
from treem.testing import confirmed_device, make_personas, make_tree

pytestmark = pytest.mark.browser

DESK = {"width": 1366, "height": 900}
MOMENT = re.compile(r"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}$")


@pytest.fixture(params=["phone", "desk"])
def screen(request: pytest.FixtureRequest, browser: Browser) -> Iterator[tuple[str, Page]]:
    """A 360-px phone set to Vietnamese, and a 1366-px desk whose browser is set to American
    English (where Chromium's own date input reads mm/dd/yyyy): the forms read the same."""
    if request.param == "phone":
        context = browser.new_context(viewport=PHONE, locale="vi-VN", is_mobile=True,
                                      has_touch=True)
    else:
        context = browser.new_context(viewport=DESK, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield request.param, page
    context.close()


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size
    assert viewport is not None and width <= viewport["width"], f"page is {width}px wide"


class IntakeJourneyTests:
    def test_the_operator_records_a_call_typing_the_communes_name_without_accents(
        self, journey_db: None, live_server: object, screen: tuple[str, Page],
    ) -> None:
        name, page = screen
        tree = make_tree()
        personas = make_personas(tree)
        base = str(live_server)
        _sign_in(page, base, "intake", confirmed_device(personas.intake))
        page.goto(f"{base}/cases/notifications/new/")

        # The danger question comes first, before anything else of the form.
        form = page.locator("main form")
        first = form.locator("input:not([type=hidden]), select, textarea").first
        expect(first).to_have_attribute("name", "urgent")
        # Days and times in Vietnamese order, whatever the browser's language.
        received = page.get_by_label("Thời điểm tiếp nhận")
        assert MOMENT.match(received.input_value()), received.input_value()
        expect(page.get_by_label("Ngày xảy ra")).to_have_attribute("placeholder", "dd/mm/yyyy")
        expect(page.locator("input[type=date], input[type=datetime-local]")).to_have_count(0)

        page.get_by_label("Trẻ đang gặp nguy hiểm ngay lúc này").check()
        # The commune, by its name typed without accents: htmx fills the list as one types.
        box = page.get_by_label("Xã, phường nơi xảy ra")
        box.press_sequentially("thuc phan", delay=30)
        option = page.locator("#id_commune option[value='01273']")
        expect(option).to_have_text("Phường Thục Phán — Tỉnh Cao Bằng")
        expect(page.locator("#id_commune")).not_to_contain_text("Sông Hiến")  # merged 2025
        screenshot(page, f"intake-commune-picker-{name}")
        # Chosen with the keyboard: Enter in the box goes to the list (the form is not sent
        # half filled), the first commune found is one arrow away.
        box.press("Enter")
        expect(page.locator("#id_commune")).to_be_focused()
        expect(page.locator(".has-error")).to_have_count(0)
        page.keyboard.press("ArrowDown")
        expect(page.locator("#id_commune")).to_have_value("01273")

        page.get_by_label("Nội dung vụ việc").fill("Hàng xóm nghe trẻ bị đánh, kêu khóc.")
        page.get_by_label("Bạo lực").check()
        page.locator("#id_place").select_option(label="Gia đình")
        page.get_by_label("Ngày xảy ra").fill("31/02/2026")
        page.get_by_label("Họ tên người báo tin").fill("Bà Hoa")
        if name == "phone":
            _fits(page)
        page.get_by_role("button", name="Ghi nhận và chuyển xã").click()

        # A day that does not exist is named, and what was typed is kept.
        expect(page.locator(".has-error")).to_contain_text(
            "Tháng 2 năm 2026 chỉ có 28 ngày, không có ngày 31.")
        expect(page.get_by_label("Ngày xảy ra")).to_have_value("31/02/2026")
        expect(page.locator("#id_commune")).to_have_value("01273")
        assert not Notification.objects.exists()
        page.get_by_label("Ngày xảy ra").fill("28/02/2026")
        page.get_by_role("button", name="Ghi nhận và chuyển xã").click()

        expect(page.get_by_role("status")).to_contain_text("Phường Thục Phán")
        if name == "phone":
            _fits(page)
        screenshot(page, f"intake-recorded-{name}")
        notification = Notification.objects.get()
        assert notification.commune == tree.commune_a and notification.urgent
        assert notification.happened_on == datetime.date(2026, 2, 28)


class DisabledButtonTests:
    def test_a_disabled_button_looks_disabled_and_cannot_be_pressed(
        self, live_server: object, phone: Page,
    ) -> None:
        # The site's own stylesheet, on a page of the site (the sign-in page needs no one).
        phone.goto(f"{live_server}/accounts/login/")
        phone.evaluate("""() => {
            const form = document.createElement("form");
            form.action = "/healthz";
            form.innerHTML = '<button class="primary" id="on" type="button">Nhập</button>' +
                '<button class="primary" id="off" disabled>Nhập tất cả</button>';
            document.querySelector("main").append(form);
        }""")
        page_before = phone.url

        def style(selector: str, prop: str) -> str:
            return phone.eval_on_selector(
                selector, f"el => getComputedStyle(el).getPropertyValue('{prop}')")

        assert style("#off", "background-color") != style("#on", "background-color")
        assert style("#off", "cursor") == "not-allowed"
        assert style("#off", "border-top-style") == "dashed"
        expect(phone.locator("#off")).to_be_disabled()
        phone.locator("#off").click(force=True)
        assert phone.url == page_before  # nothing was sent

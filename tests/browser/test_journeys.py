import base64

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, screenshot
from treem.testing import PASSWORD, make_personas, make_tree

pytestmark = pytest.mark.browser


def _code_for(secret: str) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{TOTP(key).token():06d}"


def _no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"page is {width}px wide on a {PHONE['width']}px phone"


class PhoneJourneyTests:
    def test_officer_logs_in_with_two_factor_and_browses_units_on_a_phone(
        self, journey_db: None, live_server: object, phone: Page
    ) -> None:
        tree = make_tree()
        make_personas(tree)
        base = str(live_server)

        phone.goto(f"{base}/")
        expect(phone.get_by_role("heading", name="Đăng nhập")).to_be_visible()
        phone.get_by_label("Tên đăng nhập").fill("officer_a")
        phone.get_by_label("Mật khẩu").fill("sai-mat-khau-1")
        phone.get_by_role("button", name="Đăng nhập").click()
        expect(phone.get_by_role("alert")).to_contain_text("Đăng nhập không thành công")

        phone.get_by_label("Mật khẩu").fill(PASSWORD)
        phone.get_by_role("button", name="Đăng nhập").click()

        # First sign-in of a staff role: enrol an authenticator from the key on the page.
        expect(phone.get_by_role("heading", name="Xác thực hai lớp")).to_be_visible()
        expect(phone.locator(".qr svg")).to_be_visible()
        secret = phone.locator("#otp-secret").inner_text()
        _no_horizontal_scroll(phone)
        screenshot(phone, "otp-enrol-phone")
        phone.get_by_label("Mã xác thực (6 chữ số)").fill(_code_for(secret))
        phone.get_by_role("button", name="Xác nhận").click()

        expect(phone.get_by_role("heading", name="Xin chào, officer_a")).to_be_visible()
        expect(phone.locator("main")).to_contain_text("Phường Thục Phán")
        _no_horizontal_scroll(phone)
        screenshot(phone, "home-phone")

        phone.get_by_text("Trình đơn").click()
        phone.get_by_role("link", name="Đơn vị hành chính", exact=True).click()
        expect(phone.get_by_role("heading", name="Đơn vị hành chính")).to_be_visible()

        # Accent-insensitive search, answered by htmx without a page load.
        phone.get_by_placeholder("Tên hoặc mã, ví dụ: ha noi, 00004").fill("na pong")
        result = phone.locator("#unit-results").get_by_role("link", name="Thôn Nà Pồng")
        expect(result).to_be_visible()
        expect(phone.locator("#unit-results")).not_to_contain_text("Xã Hòa An")

        phone.get_by_placeholder("Tên hoặc mã, ví dụ: ha noi, 00004").fill("thuc phan")
        phone.locator("#unit-results").get_by_role("link", name="Phường Thục Phán").click()
        expect(phone.get_by_role("heading", name="Phường Thục Phán")).to_be_visible()
        expect(phone.locator("main")).to_contain_text("Thôn Nà Pồng")
        expect(phone.locator("main")).to_contain_text("Phường Sông Hiến")  # formed from it
        _no_horizontal_scroll(phone)
        screenshot(phone, "unit-detail-phone")

        # A unit of another commune cannot be reached by guessing its address.
        response = phone.goto(f"{base}/units/{tree.commune_b.public_id}/")
        assert response is not None and response.status == 404

    def test_commune_officer_adds_a_village(
        self, journey_db: None, live_server: object, phone: Page
    ) -> None:
        tree = make_tree()
        personas = make_personas(tree)
        from treem.testing import confirmed_device, totp_now

        device = confirmed_device(personas.officer)
        base = str(live_server)
        phone.goto(f"{base}/accounts/login/")
        phone.get_by_label("Tên đăng nhập").fill("officer_a")
        phone.get_by_label("Mật khẩu").fill(PASSWORD)
        phone.get_by_role("button", name="Đăng nhập").click()
        phone.get_by_label("Mã xác thực (6 chữ số)").fill(totp_now(device))
        phone.get_by_role("button", name="Xác nhận").click()
        expect(phone.get_by_role("heading", name="Xin chào, officer_a")).to_be_visible()

        phone.goto(f"{base}/units/{tree.commune_a.public_id}/")
        phone.get_by_role("link", name="Thêm thôn, tổ dân phố").click()
        phone.get_by_label("Loại").select_option("Bản")
        phone.get_by_label("Tên").fill("thôn nà pồng")
        phone.get_by_role("button", name="Lưu").click()
        expect(phone.get_by_role("alert")).to_contain_text("đã có thôn, tổ dân phố cùng tên")

        phone.get_by_label("Tên").fill("Bản Khuổi Khon")
        phone.get_by_role("button", name="Lưu").click()
        expect(phone.get_by_role("status")).to_contain_text("Đã thêm Bản Khuổi Khon")
        expect(phone.locator("main")).to_contain_text("01273-002")
        _no_horizontal_scroll(phone)


"""The main navigation: a bar on a desktop, a menu button on a phone, the same destinations."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, screenshot
from tests.browser.test_journeys import _no_horizontal_scroll
from tests.browser.test_register_journey import _sign_in
from treem.testing import confirmed_device, make_personas, make_tree

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}
MAIN_NAVIGATION = "Điều hướng chính"


def _destinations(page: Page) -> list[str]:
    return [name.split("\n")[0].strip() for name in page.get_by_role(
        "navigation", name=MAIN_NAVIGATION).get_by_role("link").all_inner_texts()]


class NavigationTests:
    def test_a_phone_shows_a_menu_button_and_a_desktop_a_bar_with_the_same_links(
        self, journey_db: None, live_server: object, phone: Page,
    ) -> None:
        tree = make_tree()
        personas = make_personas(tree)
        _sign_in(phone, str(live_server), "officer_a", confirmed_device(personas.officer))

        # Phone: no bar, the menu button opens the list.
        expect(phone.get_by_role("navigation", name=MAIN_NAVIGATION)).to_be_hidden()
        phone.get_by_text("Trình đơn").click()
        expect(phone.get_by_role("navigation", name=MAIN_NAVIGATION)).to_be_visible()
        on_phone = _destinations(phone)
        assert "Trẻ em" in on_phone and "Hồ sơ trường hợp" in on_phone, on_phone
        _no_horizontal_scroll(phone)
        screenshot(phone, "navigation-menu-phone")

        # Desktop width: every destination on the bar, no button to open first.
        phone.set_viewport_size(DESKTOP)
        expect(phone.get_by_text("Trình đơn")).to_be_hidden()
        bar = phone.get_by_role("navigation", name=MAIN_NAVIGATION)
        expect(bar).to_be_visible()
        assert _destinations(phone) == on_phone
        bar.get_by_role("link", name="Trẻ em", exact=True).click()
        expect(phone.get_by_role("heading", name="Sổ theo dõi trẻ em")).to_be_visible()
        expect(bar.get_by_role("link", name="Trẻ em", exact=True)).to_have_attribute(
            "aria-current", "page")
        expect(bar.get_by_role("button", name="Đăng xuất")).to_be_visible()
        screenshot(phone, "navigation-bar-desktop")

        # Back to a phone's width: the bar gives way to the button again.
        phone.set_viewport_size(PHONE)
        expect(phone.get_by_text("Trình đơn")).to_be_visible()
        expect(phone.get_by_role("navigation", name=MAIN_NAVIGATION)).to_be_hidden()

"""What every page inherits from the frame (base template, navigation, stylesheet) for people
who use a keyboard, a screen reader or a small screen. `make audit` measures the pages with axe
and Lighthouse; these tests keep the frame's fixes in the suite, without npm."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.test_register_journey import _sign_in
from treem.cases import services as case_services
from treem.cases.choices import AbuseForm, Channel, Place
from treem.testing import confirmed_device, make_personas, make_tree

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}
MAIN_NAVIGATION = "Điều hướng chính"

# The text colour of an element and the colour behind it (its and its ancestors' backgrounds,
# translucent ones laid over what is under them, white below all).
_COLOURS = r"""el => {
  const rgba = c => {
    const p = c.match(/[\d.]+/g).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const layers = [];
  for (let n = el; n; n = n.parentElement) {
    const c = rgba(getComputedStyle(n).backgroundColor);
    if (c[3] > 0) layers.push(c);
    if (c[3] === 1) break;
  }
  let bg = [255, 255, 255];
  for (const c of layers.reverse()) bg = bg.map((v, i) => c[i] * c[3] + v * (1 - c[3]));
  const style = getComputedStyle(el);
  const ring = [];
  if (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) {
    ring.push(rgba(style.outlineColor));
  }
  for (const c of style.boxShadow.matchAll(/rgba?\([^)]*\)/g)) ring.push(rgba(c[0]));
  return {fg: rgba(style.color), bg, ring};
}"""


def _luminance(rgb: list[float]) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
    red, green, blue = (channel(v) for v in rgb[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one: list[float], other: list[float]) -> float:
    """WCAG 2 contrast ratio of two opaque colours."""
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _text_contrast(page: Page, selector: str) -> float:
    colours = page.locator(selector).evaluate(_COLOURS)
    return contrast(colours["fg"], colours["bg"])


def _focus_ring_contrast(page: Page) -> float:
    """The best contrast of the focused element's outline or ring against what is behind it."""
    colours = page.evaluate(f"({_COLOURS})(document.activeElement)")
    return max((contrast(ring, colours["bg"]) for ring in colours["ring"] if ring[3] == 1), default=0)


class FrameAccessibilityTests:
    def test_the_bars_current_page_and_a_hovered_link_are_legible(
        self, journey_db: None, live_server: object, phone: Page,
    ) -> None:
        personas = make_personas(make_tree())
        _sign_in(phone, str(live_server), "officer_a", confirmed_device(personas.officer))
        phone.set_viewport_size(DESKTOP)
        bar = f'nav[aria-label="{MAIN_NAVIGATION}"].navbar'
        # WCAG 1.4.3: 4.5:1 for text of this size (axe's color-contrast found 4.2:1 here).
        assert _text_contrast(phone, f'{bar} a[aria-current="page"]') >= 4.5
        phone.locator(f'{bar} a[href="/children/"]').hover()
        assert _text_contrast(phone, f'{bar} a[href="/children/"]') >= 4.5

    def test_the_first_tab_offers_a_skip_link_to_the_main_content(
        self, db: None, live_server: object, phone: Page,
    ) -> None:
        phone.goto(f"{live_server}/accounts/login/")
        phone.keyboard.press("Tab")
        skip = phone.get_by_role("link", name="Chuyển đến nội dung chính")
        expect(skip).to_be_focused()
        expect(skip).to_be_in_viewport()
        box = skip.bounding_box()
        assert box is not None and box["height"] >= 24 and box["width"] >= 24
        phone.keyboard.press("Enter")
        assert phone.evaluate("document.activeElement.id") == "main"
        phone.keyboard.press("Tab")
        expect(phone.get_by_label("Tên đăng nhập")).to_be_focused()

    def test_keyboard_focus_shows_on_a_white_card_and_on_the_green_bar(
        self, db: None, live_server: object, phone: Page,
    ) -> None:
        phone.goto(f"{live_server}/accounts/login/")
        phone.get_by_label("Tên đăng nhập").focus()
        phone.keyboard.press("Shift+Tab")
        phone.keyboard.press("Tab")  # focus from the keyboard, so :focus-visible applies
        expect(phone.get_by_label("Tên đăng nhập")).to_be_focused()
        # WCAG 1.4.11: 3:1 for what shows focus (the yellow ring alone was 1.9:1 on white).
        assert _focus_ring_contrast(phone) >= 3
        phone.get_by_label("Ngôn ngữ").focus()
        phone.keyboard.press("Shift+Tab")
        phone.keyboard.press("Tab")
        expect(phone.get_by_label("Ngôn ngữ")).to_be_focused()
        assert _focus_ring_contrast(phone) >= 3

    def test_the_menu_button_tells_a_screen_reader_how_many_reports_wait(
        self, journey_db: None, live_server: object, phone: Page,
    ) -> None:
        tree = make_tree()
        personas = make_personas(tree)
        case_services.notification_record(
            actor=personas.intake, commune=tree.commune_a, channel=Channel.HOTLINE,
            received_at=timezone.now() - datetime.timedelta(minutes=5), place=Place.FAMILY,
            description="Hàng xóm thấy trẻ bị đánh.", forms=[AbuseForm.VIOLENCE])
        _sign_in(phone, str(live_server), "officer_a", confirmed_device(personas.officer))
        menu = phone.locator("details.menu > summary")
        expect(menu).to_have_accessible_name(re.compile(r"^Trình đơn\b.*\b1\b"))

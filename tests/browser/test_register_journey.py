import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.test_journeys import _no_horizontal_scroll
from treem.registry import choices
from treem.registry.models import Child, Household
from treem.testing import PASSWORD, confirmed_device, make_personas, make_tree, totp_now

pytestmark = pytest.mark.browser


def _sign_in(page: Page, base: str, username: str, device: object) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_label("Mã xác thực (6 chữ số)").fill(totp_now(device))  # type: ignore[arg-type]
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("heading", name=f"Xin chào, {username}")).to_be_visible()


class RegisterJourneyTests:
    def test_officer_registers_a_child_finds_it_unaccented_and_prints_the_household_book(
        self, journey_db: None, live_server: object, phone: Page
    ) -> None:
        tree = make_tree()
        personas = make_personas(tree)
        household = Household.objects.create(
            commune=tree.commune_a, village=tree.village_a, unit_path=tree.village_a.path,
            province_code="04", head_name="Hoàng Văn Bình", head_name_folded="hoang van binh",
            poverty_status=choices.PovertyStatus.POOR)
        base = str(live_server)
        _sign_in(phone, base, "officer_a", confirmed_device(personas.officer))

        phone.goto(f"{base}/children/")
        phone.get_by_role("link", name="Thêm trẻ").click()
        phone.get_by_label("Họ và tên").fill("Hoàng Thị Ánh")
        phone.get_by_label("Nữ").check()
        phone.locator("#id_birth_date").fill("2019-05-12")
        phone.get_by_label("Dân tộc").select_option(label="Tày")
        phone.get_by_label("Thôn, tổ dân phố").select_option(label="Thôn Nà Pồng")
        phone.get_by_label("Hộ gia đình").select_option(label="Hoàng Văn Bình")
        phone.get_by_label("Đã đăng ký khai sinh").check()
        phone.get_by_label("Cấp học").select_option(label="Mầm non")
        phone.get_by_label("Tình trạng đi học").select_option(label="Đang đi học")
        _no_horizontal_scroll(phone)
        phone.get_by_role("button", name="Lưu").click()
        expect(phone.get_by_role("heading", name="Hoàng Thị Ánh")).to_be_visible()
        expect(phone.get_by_role("status")).to_contain_text("Đã ghi Hoàng Thị Ánh vào sổ")
        screenshot(phone, "child-detail-phone")

        # Found by an unaccented name typed on a phone, through the posted search.
        phone.goto(f"{base}/children/")
        phone.get_by_placeholder("Tên, có dấu hoặc không dấu").fill("hoang thi anh")
        result = phone.locator("#child-results").get_by_role("link", name="Hoàng Thị Ánh")
        expect(result).to_be_visible()
        assert "anh" not in phone.url  # the name never travels in the address
        result.click()
        expect(phone.get_by_role("heading", name="Hoàng Thị Ánh")).to_be_visible()

        phone.get_by_role("link", name="Hoàng Văn Bình").click()
        expect(phone.get_by_role("heading", name="Sổ theo dõi trẻ em trong gia đình")).to_be_visible()
        expect(phone.locator("table")).to_contain_text("Hoàng Thị Ánh")
        phone.emulate_media(media="print")
        pdf_page = phone.context.new_page()
        pdf_page.goto(f"{base}/children/households/{household.public_id}/")
        pdf = pdf_page.pdf(format="A4")
        assert pdf.startswith(b"%PDF")
        screenshot(phone, "household-book-print")
        assert Child.objects.get().household == household

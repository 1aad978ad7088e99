"""Two officers edit one child: the second, on a phone, is shown both names and chooses."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.test_journeys import _no_horizontal_scroll
from tests.browser.test_register_journey import _sign_in
from treem.accounts.roles import Role
from treem.registry import services
from treem.registry.models import Child
from treem.registry.tests.factories import make_child
from treem.testing import confirmed_device, make_personas, make_tree, make_user

pytestmark = pytest.mark.browser


class ConflictJourneyTests:
    def test_a_stale_save_on_a_phone_shows_both_values_and_the_officer_chooses(
        self, journey_db: None, live_server: object, phone: Page,
    ) -> None:
        tree = make_tree()
        personas = make_personas(tree)
        colleague = make_user("officer_a2", role=Role.COMMUNE_OFFICER, unit=tree.commune_a,
                              full_name="Lò Thị Hằng")
        child = make_child(commune=tree.commune_a, full_name="Nguyễn Văn Ann")
        base = str(live_server)
        _sign_in(phone, base, "officer_a", confirmed_device(personas.officer))

        phone.goto(f"{base}/children/{child.public_id}/")
        phone.get_by_role("link", name="Sửa thông tin").click()
        # Meanwhile a colleague corrects the name, from the version the phone has open.
        services.child_update(actor=colleague, child=Child.objects.get(pk=child.pk),
                              base_version=1, full_name="Nguyễn Văn An")

        phone.get_by_label("Họ và tên").fill("Nguyễn Văn Anh")
        phone.get_by_label("Tình trạng đi học").select_option(label="Đang đi học")
        phone.get_by_role("button", name="Lưu").click()

        alert = phone.locator(".conflict-notice")
        expect(alert).to_contain_text("Trong lúc bạn sửa, người khác đã lưu hồ sơ này.")
        expect(alert).to_contain_text("Chưa có gì được ghi.")
        choice = phone.locator("div.field.conflict-choice")
        expect(choice).to_contain_text("Giá trị của bạn: Nguyễn Văn Anh")
        expect(choice).to_contain_text("Giá trị do Lò Thị Hằng lưu lúc")
        expect(choice).to_contain_text("Nguyễn Văn An")
        _no_horizontal_scroll(phone)
        choice.scroll_into_view_if_needed()
        screenshot(phone, "conflict-360")
        assert Child.objects.get(pk=child.pk).school_status == "na"  # nothing written yet

        phone.get_by_label("Giá trị của bạn: Nguyễn Văn Anh").check()
        phone.get_by_role("button", name="Lưu").click()

        expect(phone.get_by_role("status")).to_contain_text("Đã lưu.")
        saved = Child.objects.get(pk=child.pk)
        assert (saved.full_name, saved.school_status) == ("Nguyễn Văn Anh", "in_school")

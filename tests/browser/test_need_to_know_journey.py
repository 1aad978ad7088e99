"""Journeys of need-to-know: a sexual-abuse report once it is a case, a circumstance that
reveals abuse on the child's record, and a user unlocking its sign-in by an e-mailed link."""

import datetime
import re

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import screenshot
from tests.browser.test_journeys import _no_horizontal_scroll
from tests.browser.test_register_journey import _sign_in
from treem.accounts.roles import Role
from treem.cases import services as case_services
from treem.cases.tests.test_services import _notify
from treem.registry.tests.factories import make_child, make_circumstance
from treem.testing import PASSWORD, confirmed_device, make_personas, make_tree, make_user

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}


def _page(phone: Page, viewport: dict | None = None) -> Page:
    """Another person on another device: a fresh context, its own cookies."""
    browser: Browser = phone.context.browser  # type: ignore[assignment]
    return browser.new_page(viewport=viewport or phone.viewport_size)


class NeedToKnowJourneyTests:
    def test_a_colleague_not_on_the_case_neither_reads_its_report_nor_the_childs_abuse(
        self, journey_db: None, live_server: object, phone: Page
    ) -> None:
        tree = make_tree()
        personas = make_personas(tree)
        colleague = make_user("officer_a2", role=Role.COMMUNE_OFFICER, unit=tree.commune_a)
        child = make_child(commune=tree.commune_a, village=tree.village_a,
                           full_name="Lường Thị Mơ")
        make_circumstance(child=child, code="l", start_date=datetime.date(2025, 2, 3))
        make_circumstance(child=child, code="d", start_date=datetime.date(2024, 1, 1))
        notification = _notify(personas.intake, tree.commune_a, forms=["sexual_abuse"],
                               description="Giáo viên phát hiện dấu hiệu trẻ bị xâm hại.",
                               child_description="Lường Thị Mơ, 9 tuổi")
        case_services.case_open(actor=personas.officer, notification=notification,
                                child=child)
        waiting = _notify(personas.intake, tree.commune_a,
                          description="Trẻ ở nhà một mình nhiều ngày.")
        base = str(live_server)

        # The officer on the case: the inbox masks the child's name, the page tells all.
        _sign_in(phone, base, "officer_a", confirmed_device(personas.officer))
        phone.goto(f"{base}/cases/notifications/")
        expect(phone.locator("table")).to_contain_text("L***")
        expect(phone.locator("table")).not_to_contain_text("Lường Thị Mơ")
        _no_horizontal_scroll(phone)
        screenshot(phone, "need-to-know-inbox-worker-phone")
        phone.goto(f"{base}/cases/notifications/{notification.public_id}/")
        expect(phone.locator("body")).to_contain_text("Giáo viên phát hiện")

        # A colleague of the same commune, on no case: the report to act on, not the case's.
        other = _page(phone)
        _sign_in(other, base, "officer_a2", confirmed_device(colleague))
        other.goto(f"{base}/cases/notifications/")
        expect(other.locator("table")).to_contain_text("Chờ xã xử lý")
        expect(other.locator("table")).not_to_contain_text("Đã mở hồ sơ")
        expect(other.locator(f"a[href*='{waiting.public_id}']")).to_have_count(1)
        expect(other.locator(f"a[href*='{notification.public_id}']")).to_have_count(0)
        screenshot(other, "need-to-know-inbox-colleague-phone")
        for path in ("", "print/", "pdf/"):
            response = other.goto(f"{base}/cases/notifications/{notification.public_id}/{path}")
            assert response is not None and response.status == 404

        # The child's record: the colleague learns that a restricted circumstance exists.
        other.goto(f"{base}/children/{child.public_id}/")
        expect(other.locator("body")).to_contain_text("Có hoàn cảnh đặc biệt được bảo mật")
        expect(other.locator("section.card").nth(1)).to_contain_text("Trẻ em khuyết tật")
        expect(other.locator("section.card").nth(1)).not_to_contain_text("xâm hại tình dục")
        expect(other.locator("ol.timeline")).not_to_contain_text("03/02/2025")
        _no_horizontal_scroll(other)
        screenshot(other, "need-to-know-record-colleague-phone")
        other.close()

        # The chairman, on a desktop, reads the group and its date.
        chairman = _page(phone, DESKTOP)
        _sign_in(chairman, base, "chairman_a", confirmed_device(personas.chairman))
        chairman.goto(f"{base}/children/{child.public_id}/")
        expect(chairman.locator("section.card").nth(1)).to_contain_text(
            "Trẻ em bị xâm hại tình dục")
        expect(chairman.locator("ol.timeline")).to_contain_text("03/02/2025")
        screenshot(chairman, "need-to-know-record-chairman-desktop")
        chairman.close()

    def test_a_user_locked_out_unlocks_its_sign_in_with_the_emailed_link(
        self, journey_db: None, live_server: object, phone: Page
    ) -> None:
        tree = make_tree()
        personas = make_personas(tree)
        personas.collaborator.email = "ctv_a@example.org"
        personas.collaborator.save(update_fields=["email"])
        base = str(live_server)

        phone.goto(f"{base}/accounts/login/")
        for _ in range(6):
            phone.get_by_label("Tên đăng nhập").fill("ctv_a")
            phone.get_by_label("Mật khẩu").fill("Sai-mat-khau-1")
            phone.get_by_role("button", name="Đăng nhập").click()
        phone.get_by_label("Tên đăng nhập").fill("ctv_a")
        phone.get_by_label("Mật khẩu").fill(PASSWORD)
        phone.get_by_role("button", name="Đăng nhập").click()
        expect(phone.locator("body")).to_contain_text("Đăng nhập không thành công")
        _no_horizontal_scroll(phone)
        screenshot(phone, "lockout-refused-phone")

        phone.get_by_role("link", name=re.compile("Nhận liên kết mở khóa")).click()
        phone.get_by_label("Tên đăng nhập").fill("ctv_a")
        phone.get_by_role("button", name="Gửi liên kết mở khóa").click()
        expect(phone.get_by_role("status")).to_contain_text("Nếu tài khoản này tồn tại")
        screenshot(phone, "lockout-link-requested-phone")
        assert len(mail.outbox) == 1
        found = re.search(r"/accounts/unlock/[A-Za-z0-9_-]+/", str(mail.outbox[0].body))
        assert found is not None

        phone.goto(f"{base}{found.group(0)}")
        phone.get_by_role("button", name="Mở khóa").click()
        expect(phone.get_by_role("status")).to_contain_text("Đã mở khóa đăng nhập")
        phone.get_by_label("Tên đăng nhập").fill("ctv_a")
        phone.get_by_label("Mật khẩu").fill(PASSWORD)
        phone.get_by_role("button", name="Đăng nhập").click()
        expect(phone.get_by_role("heading", name="Xin chào, ctv_a")).to_be_visible()

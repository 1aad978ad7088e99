import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import screenshot
from tests.browser.test_journeys import _no_horizontal_scroll
from tests.browser.test_register_journey import _sign_in
from treem.cases.models import Case, CaseDeadline, Notification
from treem.registry.tests.factories import make_child
from treem.testing import confirmed_device, make_personas, make_tree

pytestmark = pytest.mark.browser


def _page(phone: Page) -> Page:
    """Another person on another phone: a fresh context, its own cookies."""
    browser: Browser = phone.context.browser  # type: ignore[assignment]
    return browser.new_page(viewport=phone.viewport_size)


class CaseJourneyTests:
    def test_a_call_to_111_reaches_the_commune_and_the_case_runs_to_closure(
        self, journey_db: None, live_server: object, phone: Page
    ) -> None:
        tree = make_tree()
        personas = make_personas(tree)
        make_child(commune=tree.commune_a, village=tree.village_a, full_name="Lý Văn Páo")
        base = str(live_server)

        # The hotline operator records the call and routes it to the commune.
        _sign_in(phone, base, "intake", confirmed_device(personas.intake))
        phone.goto(f"{base}/cases/notifications/new/")
        phone.get_by_label("Mã xã, phường nơi xảy ra").fill("01273")
        phone.get_by_label("Bạo lực").check()
        phone.locator("#id_place").select_option(label="Gia đình")
        phone.get_by_label("Nội dung vụ việc").fill("Hàng xóm nghe trẻ bị đánh, kêu khóc.")
        phone.get_by_label("Trẻ đang gặp nguy hiểm").check()
        phone.get_by_label("Họ tên người báo tin").fill("Bà Hoa")
        _no_horizontal_scroll(phone)
        phone.get_by_role("button", name="Ghi nhận và chuyển xã").click()
        expect(phone.get_by_role("status")).to_contain_text("Phường Thục Phán")
        screenshot(phone, "case-intake-phone")
        # The receipt form (Mẫu số 01) prints, with the reporter for the operator who took it.
        phone.get_by_role("link", name="Báo cáo tiếp nhận (Mẫu số 01)").click()
        expect(phone.locator("article")).to_contain_text("Bà Hoa")
        phone.emulate_media(media="print")
        assert phone.pdf(format="A4").startswith(b"%PDF")
        phone.emulate_media(media="screen")

        # The commune officer finds it in the inbox, without the reporter's name.
        officer = _page(phone)
        _sign_in(officer, base, "officer_a", confirmed_device(personas.officer))
        officer.goto(f"{base}/cases/notifications/")
        expect(officer.locator("table")).to_contain_text("Chờ xã xử lý")
        officer.locator("table a").first.click()
        expect(officer.locator("body")).to_contain_text("Được giữ bí mật")
        expect(officer.locator("body")).not_to_contain_text("Bà Hoa")
        officer.get_by_label("Tìm trẻ trong sổ theo tên").fill("ly van pao")
        officer.get_by_role("button", name="Tìm").click()
        officer.get_by_label("Lý Văn Páo").check()
        officer.get_by_role("button", name="Mở hồ sơ cho trẻ đã chọn").click()
        expect(officer.get_by_role("heading", name="Lý Văn Páo")).to_be_visible()
        expect(officer.locator("body")).to_contain_text("Can thiệp khẩn cấp")
        for step in ("Bắt đầu xác minh, đánh giá ban đầu",
                     "Xác minh có vụ việc: đánh giá nguy cơ, nhu cầu",
                     "Xây dựng kế hoạch hỗ trợ, can thiệp", "Trình Chủ tịch UBND xã phê duyệt"):
            officer.get_by_role("button", name=step).click()
            expect(officer.get_by_role("status")).to_contain_text("Đã chuyển hồ sơ sang bước mới")
        expect(officer.locator("body")).to_contain_text("Chờ phê duyệt kế hoạch")
        _no_horizontal_scroll(officer)
        screenshot(officer, "case-detail-phone")

        # The chairman approves the plan.
        chairman = _page(phone)
        _sign_in(chairman, base, "chairman_a", confirmed_device(personas.chairman))
        chairman.goto(f"{base}/cases/")
        chairman.get_by_role("link", name="Lý Văn Páo").click()
        chairman.get_by_role("button", name="Phê duyệt kế hoạch").click()
        expect(chairman.locator("body")).to_contain_text("Thực hiện kế hoạch")

        # The officer reviews the results; on the review the chairman ends the case.
        officer.reload()
        officer.get_by_role("button", name="Rà soát, đánh giá kết quả").click()
        expect(officer.locator("body")).to_contain_text("Rà soát, đánh giá")
        chairman.reload()
        chairman.get_by_role("button", name="Trẻ đã an toàn: kết thúc").click()
        expect(chairman.locator("body")).to_contain_text("Trẻ đã an toàn, không còn nguy cơ")
        case = Case.objects.get()
        assert case.status == "closed" and Notification.objects.get().case == case
        assert set(case.deadlines.values_list("step", flat=True)) == {
            CaseDeadline.Step.EMERGENCY, CaseDeadline.Step.PLAN, CaseDeadline.Step.APPROVAL}

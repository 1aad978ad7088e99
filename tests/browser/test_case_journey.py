import re
from pathlib import Path

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
        phone.get_by_label("Xã, phường nơi xảy ra").fill("01273")  # its code also finds it
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

        def step(name: str, page: Page = officer) -> None:
            page.get_by_role("button", name=name).click()
            expect(page.get_by_role("status")).to_contain_text("Đã chuyển hồ sơ sang bước mới")

        def rate(page: Page, **levels: str) -> None:
            for item, level in levels.items():
                page.locator(f"input[name=rating_{item}][value={level}]").check()

        step("Bắt đầu xác minh, đánh giá ban đầu")
        # Verification rests on the initial assessment (Mẫu 02).
        rate(officer, harm="medium", risk="high")
        officer.locator("input[name=conclusion][value=at_risk]").check()
        officer.get_by_role("button", name="Ghi đánh giá").click()
        expect(officer.get_by_role("status")).to_contain_text("Đã ghi đánh giá")
        step("Xác minh có vụ việc: đánh giá nguy cơ, nhu cầu")
        # The detailed assessment (Mẫu 03): the eight matters of Điều 27.
        for key in ("condition", "family", "factors", "schooling", "community", "needs"):
            officer.locator(f"textarea[name=answer_{key}]").fill("Đã tìm hiểu, ghi nhận")
        officer.get_by_role("button", name="Ghi đánh giá").click()
        step("Xây dựng kế hoạch hỗ trợ, can thiệp")
        officer.get_by_label("Mục tiêu").fill("Trẻ được an toàn, đi học trở lại")
        officer.locator("input[name=task_1]").fill("Tư vấn tâm lý cho trẻ và gia đình")
        officer.locator("input[name=starts_on_1]").fill("2026-12-01")
        officer.locator("input[name=ends_on_1]").fill("2026-12-31")
        officer.locator("input[name=responsible_1]").fill("Công chức văn hóa - xã hội")
        officer.get_by_role("button", name="Lưu kế hoạch").click()
        expect(officer.get_by_role("status")).to_contain_text("Đã lưu kế hoạch")
        step("Trình Chủ tịch UBND xã phê duyệt")
        expect(officer.locator("body")).to_contain_text("Chờ phê duyệt kế hoạch")
        _no_horizontal_scroll(officer)
        screenshot(officer, "case-detail-phone")

        # The chairman approves the plan.
        chairman = _page(phone)
        _sign_in(chairman, base, "chairman_a", confirmed_device(personas.chairman))
        chairman.goto(f"{base}/cases/")
        # The list links each case by its number (a masked name does not tell cases apart).
        number = Case.objects.get(child__full_name="Lý Văn Páo").number_label
        chairman.get_by_role("link", name=number, exact=True).click()
        step("Phê duyệt kế hoạch", chairman)
        expect(chairman.locator("body")).to_contain_text("Thực hiện kế hoạch")
        # The approved plan prints with the chairman's decision (Mẫu 05 and 04).
        chairman.get_by_role("link", name="Kế hoạch lập ngày").first.click()
        expect(chairman.locator("article")).to_contain_text("Tư vấn tâm lý cho trẻ và gia đình")
        expect(chairman.locator("article")).to_contain_text("Mẫu số 05")
        chairman.emulate_media(media="print")
        assert chairman.pdf(format="A4").startswith(b"%PDF")
        chairman.emulate_media(media="screen")
        # Or downloads them as a PDF made on the server, named without the child's name.
        with chairman.expect_download() as download:
            chairman.get_by_role("link", name="Tải PDF").click()
        assert re.fullmatch(r"mau-05-04-[0-9a-f]{8}\.pdf", download.value.suggested_filename)
        assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
        chairman.go_back()

        # A referral to the police, accepted by the province's police focal point.
        officer.reload()
        officer.locator("summary", has_text="Chuyển gửi dịch vụ").click()
        officer.locator("#id_service").select_option(label="Công an")
        officer.get_by_label("Cơ quan, tổ chức tiếp nhận").fill("Công an phường Thục Phán")
        officer.locator("#id_due_on").fill("2026-12-31")
        officer.get_by_role("button", name="Chuyển gửi", exact=True).click()
        expect(officer.get_by_role("status")).to_contain_text("Đã chuyển gửi yêu cầu dịch vụ")
        police = _page(phone)
        _sign_in(police, base, "police", confirmed_device(personas.sector_focal))
        police.goto(f"{base}/cases/")
        police.get_by_role("link", name=number, exact=True).click()
        police.get_by_role("button", name="Tiếp nhận").click()
        expect(police.get_by_role("status")).to_contain_text("Đã cập nhật yêu cầu dịch vụ")
        expect(police.locator("body")).to_contain_text("Đã tiếp nhận")

        # The officer reviews the results; on the review the chairman ends the case.
        officer.reload()
        step("Rà soát, đánh giá kết quả")
        rate(officer, harm="low", access="low", obstacles="low", resilience="high")
        officer.locator("input[name=conclusion][value=safe]").check()
        officer.get_by_role("button", name="Ghi đánh giá").click()
        expect(officer.get_by_role("status")).to_contain_text("Đã ghi đánh giá")
        chairman.reload()
        step("Trẻ đã an toàn: kết thúc", chairman)
        expect(chairman.locator("body")).to_contain_text("Trẻ đã an toàn, không còn nguy cơ")
        case = Case.objects.get()
        assert case.status == "closed" and Notification.objects.get().case == case
        assert case.referrals.get().status == "accepted"
        assert set(case.deadlines.values_list("step", flat=True)) == {
            CaseDeadline.Step.EMERGENCY, CaseDeadline.Step.PLAN, CaseDeadline.Step.APPROVAL}

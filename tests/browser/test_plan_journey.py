"""The plan's journey: the province's office gives a task to the police and names its focal
point (desktop); the police's focal point reports its progress with a photo (phone); the
province sees it on the plan."""

import io

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import screenshot
from tests.browser.test_journeys import _no_horizontal_scroll
from tests.browser.test_navigation import DESKTOP
from tests.browser.test_register_journey import _sign_in
from treem.plans.models import Evidence, Task, TaskProgress
from treem.plans.tests.factories import make_agency, make_plan
from treem.testing import confirmed_device, make_personas, make_tree

pytestmark = pytest.mark.browser


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), (30, 120, 60)).save(out, "JPEG")
    return out.getvalue()


class PlanJourneyTests:
    def test_the_province_gives_a_task_and_the_police_report_it_with_a_photo(
        self, journey_db: None, live_server: object, phone: Page
    ) -> None:
        tree = make_tree()
        personas = make_personas(tree)
        year = timezone.localdate().year
        make_agency(tree.province, "Công an tỉnh")
        make_agency(tree.province, "Sở Y tế")
        plan = make_plan(tree.province, f"Kế hoạch công tác trẻ em năm {year}",
                         start_year=year, end_year=year, number="15/KH-UBND")
        base = str(live_server)

        # The province's office, on a desktop: a task for the police, the health department
        # co-operating, every year; then the police's focal point.
        browser: Browser = phone.context.browser  # type: ignore[assignment]
        desk = browser.new_page(viewport=DESKTOP)
        _sign_in(desk, base, "province", confirmed_device(personas.province_officer))
        desk.goto(f"{base}/plans/")
        desk.get_by_role("link", name=f"15/KH-UBND — Kế hoạch công tác trẻ em năm {year}").click()
        desk.get_by_role("link", name="Giao nhiệm vụ").click()
        desk.get_by_label("Mục").fill("IV.2")
        desk.get_by_label("Nội dung nhiệm vụ").fill(
            "Điều tra, xử lý nghiêm các vụ xâm hại trẻ em; phối hợp hỗ trợ trẻ bị xâm hại.")
        desk.get_by_label("Cơ quan chủ trì").select_option(label="Công an tỉnh")
        desk.get_by_label("Sở Y tế").check()
        desk.locator("#id_time_frame").select_option(label="Hằng năm")
        desk.get_by_role("button", name="Giao nhiệm vụ").click()
        expect(desk.get_by_role("status")).to_contain_text("Đã giao nhiệm vụ IV.2 cho Công an tỉnh")
        task = Task.objects.get(plan=plan)
        assert [a.name for a in task.cooperating.all()] == ["Sở Y tế"]
        desk.goto(f"{base}/plans/agencies/")
        police_card = desk.locator("article.agency", has_text="Công an tỉnh")
        police_card.get_by_label("Thêm đầu mối").select_option(value="police")
        police_card.get_by_role("button", name="Thêm").click()
        expect(desk.get_by_role("status")).to_contain_text("làm đầu mối của Công an tỉnh")
        screenshot(desk, "plan-agencies-desktop")

        # The police's focal point, on a phone: its tasks, the report, a photo.
        _sign_in(phone, base, "police", confirmed_device(personas.sector_focal))
        phone.goto(f"{base}/plans/tasks/")
        _no_horizontal_scroll(phone)
        phone.get_by_role("link", name="IV.2 — Điều tra, xử lý nghiêm").click()
        phone.get_by_label("Tình trạng").select_option(label="Đang thực hiện")
        phone.get_by_label("Tỷ lệ hoàn thành (%)").fill("150")
        phone.get_by_label("Kết quả thực hiện").fill("Đã điều tra 3 vụ, chuyển 3 trẻ đến Sở Y tế.")
        phone.get_by_role("button", name="Lưu báo cáo tiến độ").click()
        expect(phone.locator("body")).to_contain_text("Tỷ lệ hoàn thành từ 0 đến 100%.")
        assert not TaskProgress.objects.exists()
        phone.get_by_label("Tỷ lệ hoàn thành (%)").fill("50")
        phone.get_by_role("button", name="Lưu báo cáo tiến độ").click()
        expect(phone.get_by_role("status")).to_contain_text("Đã lưu báo cáo tiến độ.")
        phone.get_by_label("Thêm tệp minh chứng (ảnh JPEG, PNG hoặc PDF)").set_input_files(
            {"name": "hien-truong.jpg", "mimeType": "image/jpeg", "buffer": _photo()})
        phone.get_by_role("button", name="Tải lên").click()
        expect(phone.get_by_role("status")).to_contain_text("Đã thêm tệp minh chứng.")
        expect(phone.get_by_role("link", name="hien-truong.jpg")).to_be_visible()
        _no_horizontal_scroll(phone)
        screenshot(phone, "plan-task-progress-phone")
        report = TaskProgress.objects.get()
        assert (report.percent_done, report.reported_by) == (50, personas.sector_focal)
        assert Evidence.objects.get().progress == report

        # The province sees it on its plan.
        desk.goto(f"{base}/plans/{plan.public_id}/")
        expect(desk.locator(f"#task-{task.public_id}")).to_contain_text("Đang thực hiện · 50 %")
        desk.close()

"""The plan's journey: the province's office gives a task to the police and names its focal
point (desktop); the police's focal point reports its progress with a photo (phone); the
province sees it on the plan."""

import datetime
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
from treem.registry.tests.factories import make_consenting_child
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


class ForumJourneyTests:
    def test_a_commune_records_a_forum_and_the_education_office_answers_a_recommendation(
        self, journey_db: None, live_server: object, phone: Page
    ) -> None:
        from treem.accounts.roles import Role, Sector
        from treem.plans.activities.models import Activity, Recommendation
        from treem.plans.services import focal_point_add
        from treem.testing import make_user

        tree = make_tree()
        personas = make_personas(tree)
        education = make_agency(tree.province, "Sở Giáo dục và Đào tạo")
        make_agency(tree.province, "Công an tỉnh")
        teacher = make_user("giaoduc", role=Role.SECTOR_FOCAL, unit=tree.province,
                            sector=Sector.EDUCATION)
        focal_point_add(actor=personas.province_officer, agency=education, user=teacher)
        base = str(live_server)
        day = (timezone.localdate() - datetime.timedelta(days=3)).strftime("%d/%m/%Y")

        # The commune officer, on a phone: a children's forum, a wrong count first.
        _sign_in(phone, base, "officer_a", confirmed_device(personas.officer))
        phone.goto(f"{base}/plans/activities/")
        expect(phone.locator("body")).to_contain_text("Chưa có hoạt động nào")
        phone.get_by_role("link", name="Ghi hoạt động").click()
        phone.get_by_role("link", name="Diễn đàn trẻ em").click()
        phone.get_by_label("Tên hoạt động").fill("Diễn đàn trẻ em phường năm nay")
        phone.get_by_label("Từ ngày").fill(day)
        phone.get_by_label("Đến ngày").fill(day)
        phone.get_by_label("Trẻ em tham gia").fill("40")
        phone.get_by_label("trong đó trẻ em gái").fill("41")
        phone.get_by_role("button", name="Lưu hoạt động").click()
        expect(phone.locator("body")).to_contain_text(
            "Số trẻ em gái (41) không được lớn hơn số trẻ em tham gia (40).")
        assert not Activity.objects.exists()
        phone.get_by_label("trong đó trẻ em gái").fill("22")
        phone.get_by_role("button", name="Lưu hoạt động").click()
        expect(phone.get_by_role("status")).to_contain_text("Đã ghi hoạt động.")
        for text, agency in (("Mở lớp học bơi miễn phí cho học sinh dịp hè.",
                              "Sở Giáo dục và Đào tạo"),
                             ("Hướng dẫn giao thông ở cổng trường giờ tan học.",
                              "Công an tỉnh")):
            phone.get_by_label("Nội dung kiến nghị, ý kiến của trẻ em").fill(text)
            phone.get_by_label("Giao cơ quan trả lời").select_option(label=agency)
            phone.get_by_role("button", name="Ghi kiến nghị").click()
            expect(phone.get_by_role("status")).to_contain_text("Đã ghi kiến nghị.")
        _no_horizontal_scroll(phone)
        screenshot(phone, "forum-recommendations-phone")
        assert Recommendation.objects.count() == 2

        # One child is named, as the commune's delegate to the province's forum: found by
        # a name posted (never in the address), with a reason; her mother and she agreed to
        # it (the consent's own journey: test_consent_journey.py).
        make_consenting_child(commune=tree.commune_a, full_name="Lò Thị Mai",
                              birth_date=datetime.date(2014, 5, 1))
        forum_page = phone.url.split("#")[0]
        phone.get_by_role("link", name="Nêu tên trẻ em").click()
        phone.get_by_label("Tên trẻ em").fill("lo thi mai")
        phone.get_by_role("button", name="Tìm").click()
        assert "mai" not in phone.url
        phone.get_by_label("Lò Thị Mai — 01/05/2014 — Phường Thục Phán").check()
        phone.get_by_label("Lý do nêu tên").fill("Đại biểu trẻ em của phường dự diễn đàn tỉnh")
        phone.get_by_role("button", name="Nêu tên").click()
        expect(phone.get_by_role("status")).to_contain_text("Đã nêu tên trẻ em trong hoạt động.")
        expect(phone.locator("#named")).to_contain_text("Lò Thị Mai")
        _no_horizontal_scroll(phone)
        phone.goto(forum_page)

        # The education department's focal point, on a desktop: its waiting answers.
        browser: Browser = phone.context.browser  # type: ignore[assignment]
        desk = browser.new_page(viewport=DESKTOP)
        _sign_in(desk, base, "giaoduc", confirmed_device(teacher))
        desk.goto(f"{base}/plans/activities/waiting/")
        desk.get_by_role("link", name="Mở lớp học bơi miễn phí cho học sinh dịp hè.").click()
        desk.get_by_label("Tình trạng").select_option(label="Đã trả lời")
        desk.get_by_label("Trả lời").fill("Sở mở 12 lớp học bơi miễn phí trong tháng 6 và 7.")
        desk.get_by_role("button", name="Lưu trả lời").click()
        expect(desk.get_by_role("status")).to_contain_text("Đã lưu trả lời.")
        screenshot(desk, "forum-answer-desktop")
        answered = Recommendation.objects.get(agency=education)
        assert (answered.status, answered.answered_by) == ("answered", teacher)
        # The focal point reads the forum but not the register: a count, never the name.
        desk.goto(forum_page)
        expect(desk.locator("#named")).to_contain_text("1 em khác được nêu tên")
        expect(desk.locator("body")).not_to_contain_text("Lò Thị Mai")
        desk.close()

        # Back on the phone: the forum shows one answered, one waiting.
        phone.reload()
        expect(phone.locator("#recommendations")).to_contain_text("Đã trả lời")
        expect(phone.locator("#recommendations")).to_contain_text("Chưa trả lời")


class ChildFriendlyJourneyTests:
    def test_a_commune_assessment_is_prefilled_completed_submitted_and_recognised(
        self, journey_db: None, live_server: object, phone: Page
    ) -> None:
        from treem.plans.child_friendly import loading
        from treem.plans.child_friendly.models import Assessment
        from treem.plans.tests.test_child_friendly import version_data

        tree = make_tree()
        personas = make_personas(tree)
        loading.load_version(version_data())
        base = str(live_server)
        year = timezone.localdate().year - 1

        # The commune officer, on a phone: the assessment of last year, filled from data.
        _sign_in(phone, base, "officer_a", confirmed_device(personas.officer))
        phone.goto(f"{base}/plans/child-friendly/")
        phone.get_by_label("Năm đánh giá").select_option(str(year))
        phone.get_by_role("button", name="Lập và điền sẵn từ dữ liệu").click()
        expect(phone.get_by_role("status")).to_contain_text("các mục có dữ liệu đã được điền")
        expect(phone.locator("#criterion-2")).to_contain_text("được đăng ký khai sinh")
        for field in phone.locator("input[name^=points_]").all():
            if not field.input_value():
                field.fill("70")
        phone.locator("input[name^=points_]").first.fill("100")
        for field in phone.locator("input[name^=evidence_]").all():
            field.fill("Biên bản kiểm tra")
        phone.get_by_role("button", name="Lưu điểm").click()
        expect(phone.get_by_role("status")).to_contain_text("Đã lưu điểm")
        phone.get_by_label("Người chấm, thành phần").fill("Ban bảo vệ trẻ em phường")
        phone.get_by_label("Ngày họp đánh giá").fill(
            timezone.localdate().strftime("%d/%m/%Y"))
        phone.get_by_label("Biên bản họp (tóm tắt, số biên bản)").fill("Biên bản số 01/BB")
        phone.get_by_role("button", name="Lưu", exact=True).click()
        expect(phone.get_by_role("status")).to_contain_text("Đã lưu thông tin cuộc họp")
        phone.get_by_role("button", name="Gửi thẩm định").click()
        expect(phone.get_by_role("status")).to_contain_text("Đã gửi bản tự đánh giá")
        _no_horizontal_scroll(phone)
        screenshot(phone, "child-friendly-submitted-phone")
        assessment = Assessment.objects.get()
        assert assessment.status == "submitted"

        # The province, on a desktop: recognises it, and its year's summary shows it.
        browser: Browser = phone.context.browser  # type: ignore[assignment]
        desk = browser.new_page(viewport=DESKTOP)
        _sign_in(desk, base, "province", confirmed_device(personas.province_officer))
        desk.goto(f"{base}/plans/child-friendly/?year={year}")
        desk.get_by_role("link", name="Phường Thục Phán").click()
        desk.get_by_label("Kết quả thẩm định").select_option(label="Công nhận")
        desk.get_by_label("Số quyết định công nhận").fill("125/QĐ-UBND")
        desk.get_by_label("Ngày quyết định").fill(timezone.localdate().strftime("%d/%m/%Y"))
        desk.get_by_role("button", name="Ghi kết quả").click()
        expect(desk.get_by_role("status")).to_contain_text("Đã ghi kết quả thẩm định.")
        desk.goto(f"{base}/plans/child-friendly/?year={year}")
        expect(desk.locator("#summary")).to_contain_text("Được công nhận")
        screenshot(desk, "child-friendly-summary-desktop")
        assessment.refresh_from_db()
        assert (assessment.status, assessment.decision_number) == ("recognised", "125/QĐ-UBND")
        desk.close()

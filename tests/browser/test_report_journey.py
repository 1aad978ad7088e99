import datetime
import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.test_case_journey import _page
from tests.browser.test_journeys import _no_horizontal_scroll
from tests.browser.test_navigation import DESKTOP
from tests.browser.test_register_journey import _sign_in
from treem.indicators.catalogue import load_file, national_files
from treem.indicators.models import Indicator, IndicatorSet, IndicatorVersion, SectorFigure
from treem.registry.tests.factories import make_child, make_circumstance
from treem.reports.loading import load_schedules
from treem.reports.models import Report, Schedule
from treem.testing import confirmed_device, make_personas, make_tree

pytestmark = pytest.mark.browser


class ReportJourneyTests:
    def test_the_six_month_report_goes_up_is_returned_corrected_approved_and_consolidated(
        self, journey_db: None, live_server: object, phone: Page
    ) -> None:
        tree = make_tree()
        personas = make_personas(tree)
        for path in national_files():
            load_file(path)
        load_schedules(national_only=True)
        # The province's own plan adds a figure the health sector holds, entered every half.
        local = IndicatorSet.objects.create(code="cao-bang-rieng", name="Chỉ tiêu riêng của tỉnh",
                                            owner=tree.province, owner_path=tree.province.path)
        checked = IndicatorVersion.objects.create(
            indicator=Indicator.objects.create(indicator_set=local, code="CB01"), number=1,
            name="Số trẻ em được khám sức khỏe định kỳ", unit_kind="count", source="entered",
            agency="health", period_kind="half")
        Schedule.objects.get(code="bao-cao-6-thang").indicator_sets.add(local)
        for n in range(3):
            child = make_child(commune=tree.commune_a, full_name=f"Trẻ số {n}",
                               birth_date=datetime.date(2014 + n, 3, 1))
            if n == 0:
                make_circumstance(child=child, code="a", start_date=datetime.date(2021, 1, 1))
        base = str(live_server)
        reports = f"{base}/reports/?schedule=bao-cao-6-thang&period=2026S1"

        # The commune officer fills the sector form with the health station's figure…
        _sign_in(phone, base, "officer_a", confirmed_device(personas.officer))
        phone.goto(f"{base}/indicators/entry/?kind=half&period=2026S1&unit="
                   f"{tree.commune_a.public_id}")
        phone.locator(f"#v{checked.pk} input:not([type=hidden])").first.fill("3")
        phone.get_by_role("button", name="Lưu số liệu").click()
        expect(phone.get_by_role("status")).to_be_visible()
        assert SectorFigure.objects.get(unit=tree.commune_a, period="2026S1").numerator == 3

        # …then builds the six-month report and submits it.
        phone.goto(reports)
        phone.get_by_role("button", name="Lập báo cáo 6 tháng đầu năm 2026").click()
        phone.get_by_label("Kết quả đạt được").fill("Rà soát, cập nhật đủ 3 trẻ em của phường.")
        phone.get_by_role("button", name="Gửi báo cáo").click()
        # Sending freezes the figures: they are shown first, and sent once confirmed.
        expect(phone.get_by_role("heading", name="Xác nhận gửi báo cáo")).to_be_visible()
        expect(phone.locator("table.figures")).to_contain_text("33,3 %")
        _no_horizontal_scroll(phone)
        screenshot(phone, "report-send-confirmation-phone")
        phone.get_by_role("button", name="Xác nhận gửi báo cáo").click()
        expect(phone.get_by_role("status")).to_contain_text("Đã gửi báo cáo lên cấp trên")
        expect(phone.locator("body")).to_contain_text("33,3 %")  # 1 of 3 in special care
        expect(phone.locator("body")).to_contain_text("Số trẻ em được khám sức khỏe định kỳ")
        screenshot(phone, "report-submitted-phone")

        # The province officer sees it arrive, and returns it with a comment.
        province = _page(phone)
        _sign_in(province, base, "province", confirmed_device(personas.province_officer))
        province.goto(reports)
        expect(province.locator("body")).to_contain_text("Đã nhận 1/2 báo cáo")
        province.get_by_role("link", name="Đã gửi, chờ duyệt").click()
        province.get_by_label("Ý kiến (bắt buộc khi trả lại)").fill("Bổ sung khó khăn, vướng mắc.")
        province.get_by_role("button", name="Trả lại").click()
        expect(province.get_by_role("status")).to_contain_text("Đã trả lại báo cáo kèm ý kiến")

        # The commune reads the comment, corrects and sends again; the province approves.
        phone.reload()
        expect(phone.locator("body")).to_contain_text("Bổ sung khó khăn, vướng mắc.")
        phone.get_by_label("Khó khăn, vướng mắc").fill("Thiếu cán bộ chuyên trách.")
        phone.get_by_role("button", name="Gửi báo cáo").click()
        phone.get_by_role("button", name="Xác nhận gửi báo cáo").click()
        expect(phone.get_by_role("status")).to_contain_text("Đã gửi báo cáo lên cấp trên")
        province.reload()
        province.get_by_role("button", name="Duyệt", exact=True).click()
        expect(province.get_by_role("status")).to_contain_text("Đã duyệt báo cáo")
        assert Report.objects.get(unit=tree.commune_a).status == "approved"

        # The province consolidates and downloads its report as Excel and PDF.
        province.goto(reports)
        province.get_by_role("button", name="Lập báo cáo 6 tháng đầu năm 2026").click()
        province.get_by_label("Kết quả đạt được").fill("Tổng hợp báo cáo của các xã, phường.")
        province.get_by_role("button", name="Gửi báo cáo").click()
        province.set_viewport_size(DESKTOP)
        expect(province.locator("table.figures")).to_contain_text("Phường Thục Phán")
        screenshot(province, "report-send-confirmation-desktop")
        province.get_by_role("button", name="Xác nhận gửi báo cáo").click()
        expect(province.get_by_role("status")).to_contain_text("Đã gửi báo cáo lên cấp trên")
        expect(province.locator("body")).to_contain_text("Tỉnh Cao Bằng")
        with province.expect_download() as excel:
            province.get_by_role("link", name="Tải Excel").click()
        assert excel.value.suggested_filename.endswith(".xlsx")
        with province.expect_download() as pdf:
            province.get_by_role("link", name="Tải PDF").click()
        with open(pdf.value.path(), "rb") as file:
            assert file.read(5) == b"%PDF-"
        # With a reason, the workbook carries the list of children in special circumstances.
        province.get_by_text("Tải Excel kèm danh sách trẻ em có hoàn cảnh đặc biệt").click()
        province.get_by_label("Lý do xuất danh sách").fill("Gửi Sở Y tế kèm báo cáo 6 tháng")
        with province.expect_download() as listed:
            province.get_by_role("button", name="Tải Excel").click()
        with open(listed.value.path(), "rb") as file:
            sheets = load_workbook(io.BytesIO(file.read()), read_only=True).sheetnames
        assert sheets == ["Báo cáo", "Biểu chỉ tiêu", "Vụ việc", "Trẻ em có HCĐB"]
        screenshot(province, "report-consolidated")

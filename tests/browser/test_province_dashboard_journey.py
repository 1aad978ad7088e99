"""The province officer's journey, on a phone (360 px) and at a desk (1366 px): home → the
indicators dashboard on its province of today, with charts → an indicator's charts → the
reports of its communes → a commune's report → approve. The charts are inline SVG: no script
error, no horizontal scroll, a table for screen readers."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import screenshot
from tests.browser.test_register_journey import _sign_in
from treem.indicators.catalogue import load_file, national_files
from treem.indicators.models import Indicator, Target
from treem.registry.tests.factories import make_child, make_circumstance
from treem.reports import services
from treem.reports.loading import load_schedules
from treem.reports.models import Report, Schedule
from treem.testing import confirmed_device, make_personas, make_tree

pytestmark = pytest.mark.browser

SIZES = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1366, "height": 900}}


def _no_horizontal_scroll(page: Page) -> None:
    # Against the screen's width, not innerWidth: a phone browser widens its layout viewport
    # to a page too wide (and shrinks the text), which innerWidth would then report.
    screen = page.viewport_size["width"]  # type: ignore[index]
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= screen, f"the page is {wide} px wide on a {screen}-px screen"


def _go(page: Page, link: str) -> None:
    """Follow a link of the navigation (behind the menu button on a phone)."""
    menu = page.locator("details.menu > summary")
    if menu.is_visible():
        menu.click()
    page.get_by_role("link", name=link, exact=True).first.click()


@pytest.mark.parametrize("size", list(SIZES))
def test_the_province_officer_reads_its_charts_and_approves_a_communes_report(
    journey_db: None, live_server: object, browser: Browser, size: str
) -> None:
    tree = make_tree()
    personas = make_personas(tree)
    for path in national_files():
        load_file(path)
    load_schedules(national_only=True)
    for n in range(4):
        child = make_child(commune=tree.commune_a if n < 3 else tree.commune_b,
                           full_name=f"Trẻ số {n}", birth_date=datetime.date(2013 + n, 3, 1),
                           sex="f" if n % 2 else "m")
        if n == 0:
            make_circumstance(child=child, code="a", start_date=datetime.date(2021, 1, 1))
    special = Indicator.objects.get(code="II.01")
    Target.objects.create(indicator=special, unit=tree.province, year=2026, value=Decimal("30"),
                          direction="at_most")
    # The commune has sent its six-month report.
    schedule = Schedule.objects.get(code="bao-cao-6-thang")
    report = services.report_open(actor=personas.officer, schedule=schedule,
                                  unit=tree.commune_a, period="2026S1")
    services.report_write(actor=personas.officer, report=report,
                          results="Rà soát, cập nhật đủ trẻ em của phường.")
    services.report_submit(actor=personas.officer, report=report)

    context = browser.new_context(viewport=SIZES[size], locale="vi-VN",
                                  is_mobile=size == "phone", has_touch=size == "phone")
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    base = str(live_server)
    try:
        _sign_in(page, base, "province", confirmed_device(personas.province_officer))
        screenshot(page, f"province-home-{size}")

        # The dashboard opens on the province of today (not the one dissolved in 2025).
        _go(page, "Chỉ tiêu")
        expect(page.get_by_role("heading", name="Chỉ tiêu về trẻ em")).to_be_visible()
        expect(page.get_by_label("Đơn vị")).to_have_value(str(tree.province.public_id))
        expect(page.get_by_label("Kỳ")).to_have_value("2026S1")
        expect(page.locator("#main, main").first).to_contain_text("6 tháng đầu năm 2026")
        charts = page.locator("figure.chart svg[role=img]")
        expect(charts.first).to_be_visible()
        assert charts.first.bounding_box()["width"] <= SIZES[size]["width"]  # type: ignore[index]
        _no_horizontal_scroll(page)
        # The figures behind a chart, on demand.
        page.locator("figure.chart summary").first.click()
        expect(page.locator("figure.chart table").first).to_be_visible()
        screenshot(page, f"province-dashboard-{size}")

        # An indicator: its trend against the target, its breakdowns, its communes ranked.
        page.get_by_role("link", name=special.versions.get().name).first.click()
        expect(page.locator("figure.chart")).to_have_count(4)  # trend, sex, age, communes
        expect(page.locator("figcaption", has_text="So sánh các đơn vị trực thuộc")).to_be_visible()
        _no_horizontal_scroll(page)
        screenshot(page, f"province-indicator-{size}")

        # The reports of its communes, on the latest period with a report, and the one sent.
        _go(page, "Báo cáo định kỳ")
        expect(page.get_by_label("Kỳ")).to_have_value("2026S1")
        expect(page.locator("body")).to_contain_text("Đã nhận 1/2 báo cáo")
        expect(page.locator("figure.chart svg").first).to_be_visible()
        _no_horizontal_scroll(page)
        screenshot(page, f"province-reports-{size}")
        page.get_by_role("link", name="Đã gửi, chờ duyệt").first.click()
        expect(page.locator("body")).to_contain_text("Phường Thục Phán")
        page.get_by_role("button", name="Duyệt", exact=True).click()
        expect(page.get_by_role("status")).to_contain_text("Đã duyệt báo cáo")
        assert Report.objects.get(pk=report.pk).status == "approved"
        _no_horizontal_scroll(page)
        screenshot(page, f"province-approved-{size}")
        assert errors == []
    finally:
        context.close()

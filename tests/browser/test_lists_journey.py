"""The case list and the audit log on a 360 px phone and a 1366 px desktop: rows told apart
by case number (masked names too), the next deadline with overdue marked, sorting by a column
header; the audit log as sentences. Nothing scrolls sideways."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, screenshot
from tests.browser.test_case_journey import _page
from tests.browser.test_navigation import DESKTOP
from tests.browser.test_register_journey import _sign_in
from treem.cases import services
from treem.cases.models import CaseDeadline
from treem.cases.tests.test_services import _notify
from treem.registry.tests.factories import make_child
from treem.testing import confirmed_device, make_personas, make_tree

pytestmark = pytest.mark.browser


def _fits(page: Page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"page is {scroll}px wide on a {width}px screen"


class ListJourneyTests:
    def test_the_case_list_and_the_audit_log_on_a_phone_and_a_desktop(
        self, journey_db: None, live_server: object, phone: Page
    ) -> None:
        tree = make_tree()
        personas = make_personas(tree)
        cases = []
        for name, forms in (("Lý Thị Mai", ["sexual_abuse"]), ("Lò Thị Mây", ["sexual_abuse"]),
                            ("Triệu Văn Sơn", ["violence", "neglect"])):
            child = make_child(commune=tree.commune_a, full_name=name)
            cases.append(services.case_open(
                actor=personas.officer, child=child,
                notification=_notify(personas.intake, tree.commune_a, forms=forms)))
        CaseDeadline.objects.create(case=cases[1], step="plan",
                                    due_at=timezone.now() - datetime.timedelta(hours=2))
        base = str(live_server)

        _sign_in(phone, base, "officer_a", confirmed_device(personas.officer))
        phone.goto(f"{base}/cases/")
        rows = phone.locator("table.rows tbody tr")
        expect(rows).to_have_count(3)
        # The overdue case first (the next deadline sorts), its name masked, its number shown.
        expect(rows.first).to_contain_text(cases[1].number_label)
        expect(rows.first).to_contain_text("L***")
        expect(rows.first).to_contain_text("quá hạn")
        expect(phone.locator("body")).not_to_contain_text("Lò Thị Mây")
        _fits(phone, PHONE["width"])
        screenshot(phone, "case-list-phone")
        phone.get_by_role("link", name="Số hồ sơ").click()
        expect(rows.first).to_contain_text(cases[2].number_label)  # newest number first
        phone.set_viewport_size(DESKTOP)
        _fits(phone, DESKTOP["width"])
        screenshot(phone, "case-list-desktop")
        phone.get_by_role("link", name=cases[0].number_label).click()
        expect(phone.locator("body")).to_contain_text("Lý Thị Mai")  # its worker reads it

        auditor = _page(phone)
        auditor.set_viewport_size(PHONE)
        _sign_in(auditor, base, "auditor", confirmed_device(personas.auditor))
        auditor.goto(f"{base}/audit/")
        sentence = auditor.locator("td.sentence").filter(has_text="đã xem hồ sơ trường hợp số")
        expect(sentence.first).to_contain_text(
            f"officer_a (Người làm công tác bảo vệ trẻ em cấp xã) đã xem hồ sơ trường hợp số "
            f"{cases[0].number_label}")
        expect(auditor.locator("body")).not_to_contain_text("Lý Thị Mai")
        expect(auditor.locator("body")).not_to_contain_text("cases.case")
        _fits(auditor, PHONE["width"])
        screenshot(auditor, "audit-log-phone")
        auditor.set_viewport_size(DESKTOP)
        _fits(auditor, DESKTOP["width"])
        screenshot(auditor, "audit-log-desktop")

"""Every printed page — the case forms (Mẫu 01, 02, 04–05, 07) and the report — fits a 360 px
phone without scrolling sideways, and prints on A4 (the stylesheet's @page)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, screenshot
from tests.browser.test_register_journey import _sign_in
from treem.cases.tests.test_pdf import make_case_forms
from treem.indicators.catalogue import load_set
from treem.reports import services as report_services
from treem.reports.models import Schedule
from treem.reports.tests.test_services import SET
from treem.testing import confirmed_device, make_personas, make_tree

pytestmark = pytest.mark.browser
# A4 in PostScript points (210 × 297 mm), as Chromium writes a page's MediaBox.
A4 = (595.92, 842.88)


def _media_boxes(pdf: bytes) -> list[tuple[float, float]]:
    return [(float(w), float(h)) for w, h in re.findall(
        rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)]


class PrintPageTests:
    def test_every_print_page_fits_a_phone_and_prints_on_a4(
        self, journey_db: None, live_server: object, phone: Page
    ) -> None:
        tree = make_tree()
        personas = make_personas(tree)
        forms = make_case_forms(tree, personas)
        schedule = Schedule.objects.create(
            code="test", name="Báo cáo 6 tháng", period_kind="half",
            due={"commune": {"S1": "05-15", "S2": "12-15"}})
        schedule.indicator_sets.add(load_set(SET))
        report = report_services.report_open(actor=personas.officer, schedule=schedule,
                                             unit=tree.commune_a, period="2026S1")
        base = str(live_server)
        pages = {
            "mau-01": reverse("cases:notification_print", args=[forms.notification.public_id]),
            "mau-02": reverse("cases:assessment_print", args=[forms.assessment.public_id]),
            "mau-04-05": reverse("cases:plan_print", args=[forms.plan.public_id]),
            "mau-07": reverse("cases:separation_print", args=[forms.separation.public_id]),
            "bao-cao": reverse("reports:report_detail", args=[report.public_id]),
        }
        _sign_in(phone, base, "officer_a", confirmed_device(personas.officer))
        too_wide = {}
        for name, path in pages.items():
            phone.goto(base + path)
            expect(phone.locator("main")).to_be_visible()
            width = phone.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide[name] = width
            screenshot(phone, f"print-{name}-phone")
            phone.emulate_media(media="print")
            boxes = _media_boxes(phone.pdf(prefer_css_page_size=True))
            phone.emulate_media(media="screen")
            assert boxes and all(abs(w - A4[0]) < 2 and abs(h - A4[1]) < 2
                                 for w, h in boxes), (name, boxes)
        assert too_wide == {}, f"wider than {PHONE['width']} px: {too_wide}"

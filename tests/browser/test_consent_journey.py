"""Consent where consent is the basis (issue 16, Luật 91/2025/QH15 Điều 24): on a phone, the
commune officer records that a girl of eleven and her mother agreed to her being named as the
commune's delegate (the signed form attached), names her in the children's forum, then records
that the mother withdrew the consent: the girl's name is gone from the forum's page."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import FilePayload, Page, expect

from tests.browser.conftest import screenshot
from tests.browser.test_journeys import _no_horizontal_scroll
from tests.browser.test_register_journey import _sign_in
from treem.plans.activities import services as activities
from treem.plans.activities.models import ActivityType, NamedChild
from treem.registry.models import ChildConsent
from treem.registry.tests.factories import FORM_PDF, make_child
from treem.testing import confirmed_device, make_personas, make_tree

pytestmark = pytest.mark.browser

GIRL = "Lò Thị Mai"


class ConsentJourneyTests:
    def test_a_consent_recorded_names_the_child_and_its_withdrawal_hides_the_name(
        self, journey_db: None, live_server: object, phone: Page
    ) -> None:
        tree = make_tree()
        personas = make_personas(tree)
        girl = make_child(commune=tree.commune_a, full_name=GIRL,
                          birth_date=datetime.date(2014, 5, 1))
        day = timezone.localdate() - datetime.timedelta(days=3)
        forum = activities.activity_create(
            actor=personas.officer, unit=tree.commune_a,
            type=ActivityType.objects.get(code="children-forum"),
            title="Diễn đàn trẻ em phường", start_date=day, end_date=day,
            forum_level="commune", children=30)
        base = str(live_server)
        today = f"{timezone.localdate():%d/%m/%Y}"
        _sign_in(phone, base, "officer_a", confirmed_device(personas.officer))

        # 1. The consent, on the child's page: none yet, then the mother's and the girl's.
        phone.goto(f"{base}/children/{girl.public_id}/")
        consents = phone.locator("#consents")
        expect(consents).to_contain_text("Chưa ghi sự đồng ý nào.")
        consents.get_by_text("Ghi sự đồng ý", exact=True).click()
        consents.get_by_label("Mục đích").select_option(label="Nêu tên trẻ trong hoạt động")
        consents.get_by_label("Người đại diện theo pháp luật đồng ý").fill("Lò Thị Hoa")
        consents.get_by_label("Quan hệ với trẻ").select_option(label="Mẹ")
        consents.get_by_label("Ngày đồng ý").fill(today)
        consents.get_by_label("Bản đồng ý có chữ ký").set_input_files(FilePayload(
            name="giay-dong-y.pdf", mimeType="application/pdf", buffer=FORM_PDF))
        _no_horizontal_scroll(phone)
        consents.get_by_role("button", name="Ghi", exact=True).click()
        # Eleven years old: her own agreement is asked for.
        expect(phone.get_by_role("status")).to_contain_text("Trẻ đã đủ 7 tuổi")
        assert not ChildConsent.objects.exists()
        consents = phone.locator("#consents")
        consents.get_by_text("Ghi sự đồng ý", exact=True).click()
        consents.get_by_label("Mục đích").select_option(label="Nêu tên trẻ trong hoạt động")
        consents.get_by_label("Người đại diện theo pháp luật đồng ý").fill("Lò Thị Hoa")
        consents.get_by_label("Quan hệ với trẻ").select_option(label="Mẹ")
        consents.get_by_label("Trẻ cũng đồng ý").check()
        consents.get_by_label("Ngày đồng ý").fill(today)
        consents.get_by_label("Bản đồng ý có chữ ký").set_input_files(FilePayload(
            name="giay-dong-y.pdf", mimeType="application/pdf", buffer=FORM_PDF))
        consents.get_by_role("button", name="Ghi", exact=True).click()
        expect(phone.get_by_role("status")).to_contain_text("Đã ghi sự đồng ý.")
        expect(phone.locator("#consents")).to_contain_text("trẻ cũng đồng ý")
        expect(phone.locator("#consents").get_by_role("link", name="Bản có chữ ký")
               ).to_be_visible()
        _no_horizontal_scroll(phone)
        screenshot(phone, "consent-recorded-phone")

        # 2. Named in the forum, as the commune's delegate.
        phone.goto(f"{base}/plans/activities/{forum.public_id}/")
        phone.get_by_role("link", name="Nêu tên trẻ em").click()
        phone.get_by_label("Tên trẻ em").fill("lo thi mai")
        phone.get_by_role("button", name="Tìm").click()
        phone.get_by_label(f"{GIRL} — 01/05/2014 — Phường Thục Phán").check()
        phone.get_by_label("Lý do nêu tên").fill("Đại biểu trẻ em của phường dự diễn đàn tỉnh")
        phone.get_by_role("button", name="Nêu tên").click()
        expect(phone.get_by_role("status")).to_contain_text("Đã nêu tên trẻ em trong hoạt động.")
        expect(phone.locator("#named")).to_contain_text(GIRL)
        assert NamedChild.objects.get().consent == ChildConsent.objects.get()

        # 3. The mother withdraws: recorded on the child's page.
        phone.goto(f"{base}/children/{girl.public_id}/")
        consents = phone.locator("#consents")
        consents.get_by_text("Rút lại", exact=True).click()
        consents.get_by_label("Ngày rút lại").fill(today)
        consents.get_by_label("Ghi chú khi rút lại").fill("Mẹ của em đến UBND rút lại")
        _no_horizontal_scroll(phone)
        consents.get_by_role("button", name="Ghi việc rút lại").click()
        expect(phone.get_by_role("status")).to_contain_text("Đã ghi việc rút lại sự đồng ý")
        expect(phone.locator("#consents")).to_contain_text(f"Đã rút lại ngày {today}")
        screenshot(phone, "consent-withdrawn-phone")

        # 4. The name is gone from the forum's page.
        phone.goto(f"{base}/plans/activities/{forum.public_id}/")
        expect(phone.locator("main")).to_contain_text("Diễn đàn trẻ em phường")
        expect(phone.locator("main")).not_to_contain_text(GIRL)
        assert ChildConsent.objects.get().withdrawn_on == timezone.localdate()

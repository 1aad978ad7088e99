"""The data subject's journey (issue 16, "Done when"): a mother asks the commune to see what
treem holds on her son; the commune officer logs the request on a phone, exports the child's
data (the access log inside, the neighbour who reported the case nowhere), and records the
answer. She then asks for his birth date to be corrected (applied through the register's
history) and for his record to be deleted (refused, with its legal ground). The province's
office sees the requests on a desktop."""

import datetime
import json
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, ViewportSize, expect

from tests.browser.conftest import screenshot
from tests.browser.test_fund_journey import _field
from tests.browser.test_journeys import _no_horizontal_scroll
from tests.browser.test_navigation import DESKTOP
from tests.browser.test_register_journey import _sign_in
from treem.audit.models import Action, AuditEvent
from treem.privacy.models import Correction, Status, SubjectRequest
from treem.privacy.processing import services as processing
from treem.privacy.tests.world import REPORTER, SISTER, make_world
from treem.testing import confirmed_device, make_personas, make_tree

pytestmark = pytest.mark.browser

WIDE = ViewportSize(width=DESKTOP["width"], height=DESKTOP["height"])
MOTHER = "Đinh Thị Mẹ"


def _ask(page: Page, base: str, child_id: object, kind: str, details: str = "") -> None:
    page.goto(f"{base}/children/{child_id}/")
    page.get_by_role("link", name="Ghi yêu cầu về dữ liệu cá nhân").click()
    page.get_by_label(_field("Yêu cầu")).select_option(label=kind)
    if details:
        page.get_by_label("Nội dung yêu cầu").fill(details)
    page.get_by_label("Họ tên người yêu cầu").fill(MOTHER)
    page.get_by_label("Quan hệ với trẻ").select_option(label="Mẹ")
    page.get_by_label("Giấy tờ đã kiểm tra").select_option(
        label="Thẻ căn cước, căn cước công dân")
    page.get_by_label("Ngày nhận").fill(f"{timezone.localdate():%d/%m/%Y}")
    page.get_by_role("button", name="Ghi yêu cầu").click()
    expect(page.get_by_role("status")).to_contain_text("Đã ghi nhận yêu cầu.")


class PrivacyJourneyTests:
    def test_a_mother_sees_her_sons_data_corrects_it_and_is_refused_its_deletion(
        self, journey_db: None, live_server: object, phone: Page
    ) -> None:
        tree = make_tree()
        personas = make_personas(tree)
        world = make_world(tree, personas)
        processing.defaults_load()
        child = world.child
        base = str(live_server)
        _sign_in(phone, base, "officer_a", confirmed_device(personas.officer))

        # 1. To see: logged, then "what treem holds" exported as JSON and as PDF.
        _ask(phone, base, child.public_id, "Xem, nhận bản dữ liệu")
        _no_horizontal_scroll(phone)
        screenshot(phone, "privacy-request-phone")
        phone.get_by_text("Xuất dữ liệu treem đang lưu về trẻ").click()
        phone.get_by_label("Định dạng").select_option(label="JSON")
        with phone.expect_download() as download:
            phone.get_by_role("button", name="Tải về").click()
        content = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
        assert content["child"]["full_name"]["value"] == child.full_name
        assert any(row["action"] == "Xem hồ sơ nhạy cảm" for row in content["access_log"])
        text = json.dumps(content, ensure_ascii=False)
        assert all(value not in text for value in [*REPORTER.values(), SISTER])
        phone.reload()
        phone.get_by_text("Xuất dữ liệu treem đang lưu về trẻ").click()
        with phone.expect_download() as pdf:
            phone.get_by_role("button", name="Tải về").click()
        assert Path(pdf.value.path()).read_bytes()[:4] == b"%PDF"
        phone.reload()
        phone.get_by_label("Ngày phản hồi").fill(f"{timezone.localdate():%d/%m/%Y}")
        phone.get_by_role("button", name="Ghi phản hồi").click()
        expect(phone.get_by_role("status")).to_contain_text("Đã lưu.")
        phone.get_by_text("Quyết định").first.click()
        phone.get_by_label(_field("Quyết định")).select_option(label="Đồng ý")
        phone.get_by_role("button", name="Lưu quyết định").click()
        expect(phone.get_by_role("status")).to_contain_text("Đã lưu.")
        phone.get_by_label("Ngày trả lời").fill(f"{timezone.localdate():%d/%m/%Y}")
        phone.get_by_label("Cách trả lời").select_option(label="Trao trực tiếp")
        phone.get_by_label("Nội dung trả lời").fill("Đã trao bản in dữ liệu của cháu.")
        phone.get_by_role("button", name="Ghi việc trả lời").click()
        expect(phone.locator("main")).to_contain_text("Đã trả lời")
        seen = SubjectRequest.objects.get(kind="access")
        assert seen.status == Status.ANSWERED and seen.exported_at is not None
        assert AuditEvent.objects.filter(action=Action.EXPORT, object_type="registry.child",
                                         object_id=str(child.public_id)).count() == 2

        # 2. To correct: the birth date, through the register (its version, its audit).
        _ask(phone, base, child.public_id, "Chỉnh sửa dữ liệu",
             "Ngày sinh đúng của cháu là 03/04/2015.")
        phone.get_by_text("Sửa dữ liệu của trẻ").click()
        phone.get_by_label("Dữ liệu cần sửa").select_option(label="Ngày sinh")
        phone.get_by_label("Ngày sinh đúng").fill("03/04/2015")
        phone.get_by_role("button", name="Sửa", exact=True).click()
        expect(phone.locator("main")).to_contain_text("«02/04/2015» → «03/04/2015»")
        screenshot(phone, "privacy-correction-phone")
        child.refresh_from_db()
        assert child.birth_date == datetime.date(2015, 4, 3)
        assert Correction.objects.get().old_value == "02/04/2015"
        assert AuditEvent.objects.filter(action=Action.UPDATE, object_type="registry.child",
                                         changed_fields=["birth_date"]).exists()

        # 3. To delete: refused, the state's child-protection duty its legal ground.
        _ask(phone, base, child.public_id, "Xóa dữ liệu")
        phone.get_by_text("Quyết định").first.click()
        phone.get_by_label(_field("Quyết định")).select_option(label="Từ chối")
        phone.get_by_role("button", name="Lưu quyết định").click()
        expect(phone.locator("main")).to_contain_text("Hãy chọn căn cứ từ chối.")
        phone.get_by_label("Căn cứ từ chối").select_option(value="state_duty")
        phone.get_by_label("Lý do (người yêu cầu sẽ được đọc)").fill(
            "Hồ sơ của cháu cần cho việc bảo vệ cháu mà Ủy ban nhân dân xã phải làm.")
        phone.get_by_label(_field("Quyết định")).select_option(label="Từ chối")
        phone.get_by_role("button", name="Lưu quyết định").click()
        expect(phone.locator("main")).to_contain_text("Điều 19")
        screenshot(phone, "privacy-refusal-phone")
        refused = SubjectRequest.objects.get(kind="delete")
        assert (refused.decision, refused.refusal_ground) == ("refused", "state_duty")

        # 4. The province's office, on a desktop: the three requests of its commune.
        desk = phone.context.browser.new_page(viewport=WIDE)  # type: ignore[union-attr]
        desk.set_default_timeout(10_000)
        _sign_in(desk, base, "province", confirmed_device(personas.province_officer))
        desk.goto(f"{base}/privacy/requests/")
        expect(desk.locator("main li")).to_have_count(3)
        screenshot(desk, "privacy-requests-desktop")

    def test_a_restricted_record_is_read_only_by_the_roles_named_until_lifted(
        self, journey_db: None, live_server: object, phone: Page
    ) -> None:
        """The mother asks that her son's record be restricted; the officer grants it and names
        the commune's officer alone; the commune's chairman no longer finds the boy, on the
        list or at his page's address, until the officer lifts it."""
        tree = make_tree()
        personas = make_personas(tree)
        world = make_world(tree, personas)
        child = world.child
        base = str(live_server)
        _sign_in(phone, base, "officer_a", confirmed_device(personas.officer))
        _ask(phone, base, child.public_id, "Hạn chế xử lý dữ liệu",
             "Không để ai ngoài cán bộ trẻ em của xã xem hồ sơ của cháu.")
        phone.get_by_text("Quyết định").first.click()
        phone.get_by_label(_field("Quyết định")).select_option(label="Đồng ý")
        phone.get_by_role("button", name="Lưu quyết định").click()
        expect(phone.locator("main")).to_contain_text("hãy thực hiện trên sổ theo dõi")
        # Every role but the officer's unticked is the default; the reason is required.
        phone.get_by_label("Lý do hạn chế").fill("Theo yêu cầu của mẹ cháu.")
        phone.get_by_role("button", name="Hạn chế xử lý", exact=True).click()
        expect(phone.locator("main")).to_contain_text("Hồ sơ của trẻ đang bị hạn chế xử lý")
        _no_horizontal_scroll(phone)
        screenshot(phone, "privacy-restricted-phone")
        phone.goto(f"{base}/children/{child.public_id}/")
        expect(phone.locator("main")).to_contain_text("Hồ sơ bị hạn chế xử lý")

        desk = phone.context.browser.new_page(viewport=WIDE)  # type: ignore[union-attr]
        desk.set_default_timeout(10_000)
        _sign_in(desk, base, "chairman_a", confirmed_device(personas.chairman))
        desk.goto(f"{base}/children/?q=minh")
        expect(desk.locator("main")).not_to_contain_text(child.full_name)
        assert desk.goto(f"{base}/children/{child.public_id}/").status == 404  # type: ignore[union-attr]
        screenshot(desk, "privacy-restricted-hidden-desktop")

        request = SubjectRequest.objects.get(kind="restrict")
        phone.goto(f"{base}/privacy/requests/{request.public_id}/")
        phone.get_by_text("Bỏ hạn chế xử lý").click()
        phone.get_by_label("Lý do bỏ hạn chế").fill("Mẹ cháu rút yêu cầu.")
        phone.get_by_role("button", name="Bỏ hạn chế", exact=True).click()
        expect(phone.get_by_role("status")).to_contain_text("Đã lưu.")
        desk.goto(f"{base}/children/?q=minh")
        expect(desk.locator("main")).to_contain_text(child.full_name)

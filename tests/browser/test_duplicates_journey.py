import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.test_journeys import _no_horizontal_scroll
from tests.browser.test_register_journey import _sign_in
from treem.registry.dedup.search import duplicates_find
from treem.registry.models import Caregiver, Child, ChildMerge
from treem.registry.tests.factories import make_caregiver, make_child
from treem.testing import confirmed_device, make_personas, make_tree

pytestmark = pytest.mark.browser


class DuplicatesJourneyTests:
    def test_officer_merges_a_child_recorded_twice_and_the_administrator_undoes_it(
        self, journey_db: None, live_server: object, phone: Page, browser: object
    ) -> None:
        tree = make_tree()
        personas = make_personas(tree)
        kept = make_child(commune=tree.commune_a, village=tree.village_a,
                          full_name="Nông Thị Huyền", sex="f")
        twice = make_child(commune=tree.commune_a, village=tree.village_a,
                           full_name="Nong Thi Huyen", sex="f", personal_id="004316000077")
        make_caregiver(child=twice, full_name="Nông Văn Páo", relation="father")
        search = duplicates_find(province=tree.province)
        assert search.pairs == 1
        base = str(live_server)

        _sign_in(phone, base, "officer_a", confirmed_device(personas.officer))
        phone.goto(f"{base}/children/duplicates/")
        phone.get_by_role("link", name="Nông Thị Huyền").click()
        expect(phone.get_by_role("heading", name="So sánh hai hồ sơ")).to_be_visible()
        expect(phone.locator("table.compare")).to_contain_text("Nông Văn Páo")
        _no_horizontal_scroll(phone)
        screenshot(phone, "duplicates-compare-phone")
        phone.get_by_role("button", name="Gộp hồ sơ").click()  # no choice, no reason
        expect(phone.get_by_text("Hãy ghi lý do gộp hồ sơ.")).to_be_visible()
        assert not ChildMerge.objects.exists()
        phone.get_by_label("A", exact=True).check()
        phone.get_by_label("Lý do gộp").fill("Nhập hai lần khi rà soát")
        phone.get_by_role("button", name="Gộp hồ sơ").click()
        expect(phone.get_by_role("heading", name="Nông Thị Huyền")).to_be_visible()
        merge = ChildMerge.objects.get()
        expect(phone.get_by_role("status")).to_contain_text(merge.reference)
        expect(phone.locator("body")).to_contain_text("Nông Văn Páo")  # the caregiver moved
        assert Child.objects.get(pk=twice.pk).merged_into_id == kept.pk

        admin_page = phone.context.browser.new_page()  # type: ignore[union-attr]
        _sign_in(admin_page, base, "admin", confirmed_device(personas.admin))
        admin_page.goto(f"{base}/children/merges/")
        admin_page.get_by_label("Mã gộp").fill(merge.reference)
        admin_page.get_by_role("button", name="Tìm").click()
        expect(admin_page.locator("table")).to_contain_text("Nhập hai lần khi rà soát")
        expect(admin_page.locator("table")).not_to_contain_text("Nông Thị Huyền")
        admin_page.get_by_label("Lý do hủy gộp").fill("Hai trẻ khác nhau")
        admin_page.get_by_role("button", name="Hủy gộp").click()
        expect(admin_page.get_by_role("status")).to_contain_text(f"Đã hủy lần gộp {merge.reference}")
        assert Child.objects.get(pk=twice.pk).merged_into_id is None
        assert Caregiver.objects.get().child_id == twice.pk

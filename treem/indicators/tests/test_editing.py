"""A province's administrator keeps a local indicator set: new indicators need no code, their
definitions are checked, an edit is a new version; national sets and other provinces' are not
theirs to change."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from treem.indicators.catalogue import DATA, load_set
from treem.indicators.models import IndicatorSet, IndicatorVersion
from treem.testing import login

pytestmark = pytest.mark.django_db

UNDER5 = {"population": "children", "where": {"age": [0, 4]}}
SPEC = json.dumps({"numerator": {"population": "children",
                                 "where": {"age": [0, 4], "birth_registered": True}},
                   "denominator": UNDER5})


def _indicator(**change) -> dict:
    return {"code": "CB01", "name": "Tỷ lệ trẻ dưới 5 tuổi được khai sinh",
            "unit_kind": "percent", "source": "computed", "period_kind": "half",
            "direction": "at_least", "spec_text": SPEC, **change}


class CatalogueEditingTests:
    def test_the_admin_makes_a_local_set_and_versions_its_indicator(self, tree,
                                                                     personas) -> None:
        admin = login(Client(), personas.admin)
        created = admin.post(reverse("indicators:catalogue"), {
            "owner": tree.province.public_id, "code": "cao-bang-2026",
            "name": "Chỉ tiêu riêng của tỉnh Cao Bằng 2026"})
        indicator_set = IndicatorSet.objects.get(code="cao-bang-2026")
        assert created["Location"].endswith(f"/catalogue/{indicator_set.public_id}/")
        url = reverse("indicators:set_detail", args=[indicator_set.public_id])
        admin.post(url, _indicator(base_number=0))
        edit = admin.get(url, {"edit": "CB01"}).content.decode()
        assert 'name="base_number" value="1"' in edit and 'value="CB01"' in edit
        renamed = _indicator(name="Tỷ lệ trẻ em dưới 5 tuổi có giấy khai sinh")
        admin.post(url, {**renamed, "base_number": 1})
        admin.post(url, {**renamed, "base_number": 2})  # nothing changed: no new version
        assert list(IndicatorVersion.objects.values_list("number", "name")) == [
            (2, "Tỷ lệ trẻ em dưới 5 tuổi có giấy khai sinh"),
            (1, "Tỷ lệ trẻ dưới 5 tuổi được khai sinh")]
        # The commune's officer now sees it on the dashboard of its province's plan.
        page = login(Client(), personas.officer).get(
            reverse("indicators:dashboard"), {"period": "2026S1"}).content.decode()
        assert "Tỷ lệ trẻ em dưới 5 tuổi có giấy khai sinh" in page

    def test_an_entered_indicator_names_the_levels_that_enter_it(self, tree,
                                                                 personas) -> None:
        indicator_set = IndicatorSet.objects.create(code="local", name="Bộ riêng",
                                                    owner=tree.province,
                                                    owner_path=tree.province.path)
        url = reverse("indicators:set_detail", args=[indicator_set.public_id])
        login(Client(), personas.admin).post(url, _indicator(
            code="CB02", name="Số cán bộ cấp tỉnh được tập huấn", unit_kind="count",
            source="entered", agency="social", spec_text="", entry_levels=["province"]))
        version = IndicatorVersion.objects.get(indicator__code="CB02")
        assert version.entry_levels == ["province"]

    @pytest.mark.parametrize(("change", "message"), [
        ({"spec_text": "{not json"}, "không phải JSON"),
        ({"spec_text": json.dumps({"numerator": {"population": "adults"}})}, "đối tượng"),
        ({"code": ""}, "Mã chỉ tiêu"),
    ])
    def test_a_bad_definition_is_refused_and_writes_nothing(self, tree, personas, change,
                                                            message) -> None:
        indicator_set = IndicatorSet.objects.create(code="local", name="Bộ riêng",
                                                    owner=tree.province,
                                                    owner_path=tree.province.path)
        response = login(Client(), personas.admin).post(
            reverse("indicators:set_detail", args=[indicator_set.public_id]),
            _indicator(**change), follow=True)
        assert message in response.content.decode()
        assert not IndicatorVersion.objects.exists()

    def test_a_national_set_is_read_only_and_another_provinces_is_not_found(
            self, tree, personas) -> None:
        national = load_set(json.loads((DATA / "tt13-2021-xam-hai.json").read_text(
            encoding="utf-8")))
        admin = login(Client(), personas.admin)
        url = reverse("indicators:set_detail", args=[national.public_id])
        assert "chỉ xem" in admin.get(url).content.decode()
        admin.post(url, _indicator())
        assert IndicatorVersion.objects.count() == 1  # the shipped one only
        other = IndicatorSet.objects.create(code="ha-noi", name="Hà Nội",
                                            owner=tree.other_province,
                                            owner_path=tree.other_province.path)
        assert admin.get(reverse("indicators:set_detail",
                                 args=[other.public_id])).status_code == 404


class DefinitionEditedMeanwhileTests:
    """Two administrators editing one local indicator from pages read at version 1."""

    @pytest.fixture
    def url(self, tree, personas) -> str:
        indicator_set = IndicatorSet.objects.create(code="local", name="Bộ riêng",
                                                    owner=tree.province,
                                                    owner_path=tree.province.path)
        url = reverse("indicators:set_detail", args=[indicator_set.public_id])
        login(Client(), personas.admin).post(url, _indicator(base_number=0))
        return url

    def _current(self) -> IndicatorVersion:
        return IndicatorVersion.objects.order_by("-number")[0]

    def test_another_field_changed_since_is_kept(self, personas, url) -> None:
        admin = login(Client(), personas.admin)
        admin.post(url, _indicator(name="Tỷ lệ trẻ có giấy khai sinh", base_number=1))
        admin.post(url, _indicator(direction="at_most", base_number=1))  # a stale page
        current = self._current()
        assert (current.number, current.name, current.direction) == (
            3, "Tỷ lệ trẻ có giấy khai sinh", "at_most")

    def test_the_same_field_changed_since_is_refused_with_both_values(self, personas,
                                                                      url) -> None:
        admin = login(Client(), personas.admin)
        admin.post(url, _indicator(name="Tỷ lệ trẻ có giấy khai sinh", base_number=1))
        page = admin.post(url, _indicator(name="Tỷ lệ trẻ được đăng ký khai sinh",
                                          base_number=1)).content.decode()
        assert "Tỷ lệ trẻ có giấy khai sinh" in page and "Tỷ lệ trẻ được đăng ký khai sinh" in page
        assert (self._current().number, self._current().name) == (2, "Tỷ lệ trẻ có giấy khai sinh")
        # Shown again read at version 2: saving again writes the officer's name.
        assert 'name="base_number" value="2"' in page
        admin.post(url, _indicator(name="Tỷ lệ trẻ được đăng ký khai sinh", base_number=2))
        assert (self._current().number, self._current().name) == (
            3, "Tỷ lệ trẻ được đăng ký khai sinh")

    def test_a_new_indicator_typed_under_a_code_that_has_one_is_refused(self, personas,
                                                                          url) -> None:
        admin = login(Client(), personas.admin)
        page = admin.post(url, _indicator(name="Một chỉ tiêu khác", base_number=0)
                          ).content.decode()
        assert "Một chỉ tiêu khác" in page
        assert IndicatorVersion.objects.count() == 1
        # The same definition typed again is no conflict and no new version.
        admin.post(url, _indicator(base_number=0))
        assert IndicatorVersion.objects.count() == 1

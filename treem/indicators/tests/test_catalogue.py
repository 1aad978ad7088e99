"""The catalogue shipped as data: every file loads and compiles, loading twice changes nothing,
a changed definition is a new version (the old one kept), and a bad file writes nothing."""

import copy
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count

from treem.geo.models import Level
from treem.indicators.catalogue import DATA, CatalogueError, current_versions, load_set
from treem.indicators.models import Indicator, IndicatorSet, IndicatorVersion, Target
from treem.indicators.values import spec_of
from treem.reports.models import Schedule
from treem.testing import make_unit

pytestmark = pytest.mark.django_db


def _data(name: str) -> dict:
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture
def owners(tree):
    """The plans' units, as the national units would have them (districts before 2025)."""
    lang_son = make_unit(parent=tree.nation, level=Level.PROVINCE, code="20",
                         name="Tỉnh Lạng Sơn", province_code="20")
    binh_phuoc = make_unit(parent=tree.nation, level=Level.PROVINCE, code="70",
                           name="Tỉnh Bình Phước", province_code="70")
    # Hải Phòng kept its code through the merger: its plan's schedule goes to today's city.
    for current in (False, True):
        make_unit(parent=tree.nation, level=Level.PROVINCE, code="31", name="Thành phố Hải Phòng",
                  province_code="31", current=current)
    return (make_unit(parent=lang_son, level=Level.DISTRICT, code="185", name="Huyện Bắc Sơn"),
            make_unit(parent=binh_phuoc, level=Level.DISTRICT, code="690",
                      name="Thị xã Bình Long"))


class CatalogueTests:
    def test_every_shipped_file_loads_and_every_computed_definition_compiles(
            self, tree, owners) -> None:
        call_command("load_indicators", verbosity=0)
        counts = dict(IndicatorSet.objects.annotate(n=Count("indicators"))
                      .values_list("code", "n"))
        assert counts == {"tt13-2021-tre-em": 14, "tt13-2021-xam-hai": 1,
                          "binh-long-2022-2030": 34, "bac-son-2024": 18,
                          "quy-bao-tro-tre-em-2026": 2}
        versions = list(current_versions())
        assert len(versions) == 69
        for version in versions:
            if version.source == "computed":
                spec_of(version)  # raises if a definition no longer compiles
        bac_son, binh_long = owners
        target = Target.objects.get(indicator__code="CT08a", year=2025)
        # "xuống dưới 4,5%": strictly below.
        assert (target.unit, target.value, target.direction) == (binh_long, Decimal("4.5"),
                                                                  "below")
        assert Target.objects.get(indicator__code="BS09", kind="baseline").value == 18
        assert IndicatorSet.objects.get(code="bac-son-2024").owner == bac_son
        call_command("load_schedules", verbosity=0)  # reports' command: they name the sets
        hai_phong = Schedule.objects.get(code="hai-phong-de-an-588")
        assert hai_phong.owner is not None and hai_phong.owner.valid_to is None
        assert hai_phong.due == {"province": {"Y": "12-10"}}
        assert (hai_phong.first_year, hai_phong.last_year) == (2019, 2025)

    def test_loading_again_changes_nothing_and_an_edit_is_a_new_version(self, tree) -> None:
        data = _data("tt13-2021-xam-hai")
        load_set(data)
        load_set(data)
        assert IndicatorVersion.objects.count() == 1
        edited = copy.deepcopy(data)
        edited["indicators"][0]["disaggregations"] = []
        load_set(edited)
        versions = list(Indicator.objects.get(code="0101").versions.values_list(
            "number", "disaggregations"))
        assert versions == [(2, []), (1, ["sex"])]
        assert [v.number for v in current_versions()] == [2]

    def test_a_file_with_a_bad_definition_writes_nothing(self, tree) -> None:
        data = _data("tt13-2021-tre-em")
        data["indicators"][3]["spec"]["numerator"]["where"] = {"colour": "red"}
        with pytest.raises(CatalogueError) as raised:
            load_set(data)
        assert "I.04" in str(raised.value)
        assert not IndicatorSet.objects.exists() and not IndicatorVersion.objects.exists()

    def test_a_plan_whose_unit_is_not_loaded_is_refused(self, tree) -> None:
        with pytest.raises(CatalogueError):
            load_set(_data("bac-son-2024"))
        assert not IndicatorSet.objects.exists()

"""A unit's dashboard: values against targets (the unit's own, else the plan's above it), the
status arithmetic, the ranked units below, and scope on every page."""

import datetime
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from treem.indicators import dashboard, periods
from treem.indicators.catalogue import DATA, load_set
from treem.indicators.models import Indicator, Target
from treem.registry.tests.factories import make_child, make_circumstance
from treem.testing import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(tree):
    for name in ("tt13-2021-tre-em", "tt13-2021-xam-hai"):
        load_set(json.loads((DATA / f"{name}.json").read_text(encoding="utf-8")))
    # 3 children in A (one in special circumstances), 1 in B.
    for n in range(3):
        child = make_child(commune=tree.commune_a, full_name=f"Trẻ {n}",
                           birth_date=datetime.date(2015 + n, 1, 1))
        if n == 0:
            make_circumstance(child=child, code="a", start_date=datetime.date(2020, 1, 1))
    make_child(commune=tree.commune_b, full_name="Trẻ B")
    return Indicator.objects.get(code="II.01")


def _target(indicator, unit, value, direction="at_most", year=2026):
    return Target.objects.create(indicator=indicator, unit=unit, year=year,
                                 value=Decimal(value), direction=direction)


class StatusTests:
    @pytest.mark.parametrize(("value", "goal", "direction", "expected"), [
        (4.0, "4.5", "at_most", "on_track"), (4.9, "4.5", "at_most", "at_risk"),
        (5.0, "4.5", "at_most", "off_track"), (0.0, "0", "at_most", "on_track"),
        (0.1, "0", "at_most", "off_track"), (99.0, "98", "at_least", "on_track"),
        (90.0, "98", "at_least", "at_risk"), (88.0, "98", "at_least", "off_track"),
        (None, "98", "at_least", "no_value"),
    ])
    def test_the_status_against_the_target(self, value, goal, direction, expected) -> None:
        target = Target(value=Decimal(goal), direction=direction)
        assert dashboard.status(value, target) == expected

    def test_a_commune_works_to_its_own_target_else_the_one_above(self, tree,
                                                                  catalogue) -> None:
        _target(catalogue, tree.province, "5", year=2025)
        _target(catalogue, tree.province, "3.5", year=2030)
        own = _target(catalogue, tree.commune_a, "20", year=2026)
        versions = list(catalogue.versions.all())
        assert dashboard.targets_for(tree.commune_a, versions, 2026)[catalogue.pk] == own
        above = dashboard.targets_for(tree.commune_b, versions, 2026)[catalogue.pk]
        assert (above.year, above.value) == (2030, Decimal("3.5"))  # the next milestone
        later = dashboard.targets_for(tree.commune_b, versions, 2031)[catalogue.pk]
        assert later.year == 2030  # past the last milestone: the last one


class DashboardPageTests:
    def test_the_commune_sees_its_values_and_its_status(self, tree, personas,
                                                        catalogue) -> None:
        _target(catalogue, tree.province, "40")
        page = login(Client(), personas.officer).get(
            reverse("indicators:dashboard"), {"period": "2026S1"}).content.decode()
        assert "Phường Thục Phán" in page
        assert "33,3 %" in page and "(1/3)" in page  # 1 of 3 children, not B's
        assert "status-on_track" in page and "Tỉnh Cao Bằng" in page  # the province target
        assert "Dân số trẻ em" in page

    def test_the_province_ranks_its_communes_and_drills_down(self, tree, personas,
                                                             catalogue) -> None:
        client = login(Client(), personas.province_officer)
        url = reverse("indicators:indicator", args=[catalogue.public_id])
        page = client.get(url, {"period": "2026S1"}).content.decode()
        assert "25,0 %" in page and "(1/4)" in page  # the province: 1 of 4
        assert page.index("Phường Thục Phán") < page.index("Xã Hòa An")  # 33 % before 0 %
        down = client.get(url, {"period": "2026S1", "unit": tree.commune_b.public_id})
        assert "0,0 %" in down.content.decode()
        assert "2024S2" in page and "2025S2" in page  # the trend: four periods to 2026S1

    def test_the_trend_follows_the_register_over_periods(self, tree, catalogue) -> None:
        versions = list(catalogue.versions.all())
        # The child in special circumstances since 2020; the others born 2015–2017.
        trend = dashboard.trend(version=versions[0], unit=tree.commune_a,
                                period=periods.parse("2026S1"))
        assert [p.code for p, _v in trend] == ["2024S2", "2025S1", "2025S2", "2026S1"]
        assert {round(v or 0, 1) for _p, v in trend} == {33.3}

    def test_a_unit_outside_the_scope_is_not_found_and_a_bad_period_says_why(
            self, tree, personas, catalogue) -> None:
        client = login(Client(), personas.officer)
        outside = client.get(reverse("indicators:dashboard"),
                             {"unit": tree.commune_b.public_id, "period": "2026S1"})
        assert outside.status_code == 404
        bad = client.get(reverse("indicators:dashboard"), {"period": "2026S9"})
        assert "không hợp lệ" in bad.content.decode()

    def test_the_default_period_is_the_last_one_ended(self) -> None:
        assert dashboard.default_period(today=datetime.date(2026, 11, 23)) == \
            periods.parse("2026S1")
        assert dashboard.default_period(today=datetime.date(2026, 3, 1)) == \
            periods.parse("2025S2")


class IndicatorApiTests:
    def test_the_catalogue_and_the_values_of_the_callers_area(self, tree, personas,
                                                              catalogue) -> None:
        client = login(Client(), personas.officer)
        listed = client.get("/api/v1/indicators").json()
        assert {(i["set"], i["code"]) for i in listed} >= {("tt13-2021-tre-em", "II.01"),
                                                            ("tt13-2021-xam-hai", "0101")}
        assert [i["entry_levels"] for i in listed if i["code"] == "0601"] == [["commune"]]
        values = client.get("/api/v1/indicator-values", {"period": "2026S1"}).json()
        mine = {(v["indicator"], v["unit"], v["breakdown"]): v for v in values}
        assert mine[("II.01", "01273", "")]["numerator"] == 1
        assert mine[("II.01", "01273", "")]["denominator"] == 3
        assert round(mine[("II.01", "01273", "")]["value"], 2) == 33.33
        assert not any(v["unit"] == "01279" for v in values)  # commune B: never

    def test_another_communes_unit_is_404_and_a_bad_period_422(self, tree, personas,
                                                               catalogue) -> None:
        client = login(Client(), personas.officer)
        outside = client.get("/api/v1/indicator-values",
                             {"period": "2026S1", "unit": str(tree.commune_b.public_id)})
        assert outside.status_code == 404
        assert client.get("/api/v1/indicator-values", {"period": "26S1"}).status_code == 422

    def test_the_dhis2_export_is_a_data_value_set_and_is_audited(self, tree, personas,
                                                                 catalogue) -> None:
        from treem.audit.models import Action, AuditEvent

        client = login(Client(), personas.province_officer)
        document = client.get("/api/v1/indicator-values/dhis2", {"period": "2026S1"}).json()
        # Each value names its unit and period; none at the top (DHIS2 would apply it to all).
        assert "period" not in document and "orgUnit" not in document
        assert {v["period"] for v in document["dataValues"]} == {"2026S1"}
        total = next(v for v in document["dataValues"]
                     if v["dataElement"] == "tt13-2021-tre-em.II.01" and v["orgUnit"] == "04"
                     and "categoryOptionCombo" not in v)  # the default combo
        assert total["value"] == "25"
        event = AuditEvent.objects.get(action=Action.EXPORT)
        assert event.actor == personas.province_officer and "dhis2" in event.changed_fields

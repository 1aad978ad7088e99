"""The indicator pages open on the user's own unit of today and offer, by name, the units of
the user's scope (today's first, those before 1 July 2025 apart, each with its validity) and
the periods by label, never codes to type; and their charts carry no script."""

import datetime
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from treem.accounts.permissions import Capability
from treem.accounts.roles import Role
from treem.accounts.selectors import unit_to_open
from treem.geo import lineage
from treem.indicators.tests.test_dashboard import catalogue  # noqa: F401 — a fixture
from treem.testing import login, make_user

pytestmark = pytest.mark.django_db


class Options(HTMLParser):
    """The <select name=…> of a page: its options as (group, value, text, selected)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name, self.inside, self.group = name, False, ""
        self.options: list[tuple[str, str, str, bool]] = []
        self._option: list | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        found = dict(attrs)
        if tag == "select":
            self.inside = found.get("name") == self.name
        elif self.inside and tag == "optgroup":
            self.group = found.get("label") or ""
        elif self.inside and tag == "option":
            self._option = [self.group, found.get("value"), "", "selected" in found]

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option[2] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._option is not None:
            self.options.append(tuple(self._option))  # type: ignore[arg-type]
            self._option = None
        elif tag == "select":
            self.inside = False
        elif tag == "optgroup":
            self.group = ""


def options(page: str, name: str) -> list[tuple[str, str, str, bool]]:
    parser = Options(name)
    parser.feed(page)
    return parser.options


def dashboard(client: Client, **query: Any) -> Any:
    return client.get(reverse("indicators:dashboard"), query)


class DefaultUnitTests:
    def test_a_province_officer_opens_on_the_province_of_today(self, tree, personas,
                                                               catalogue) -> None:  # noqa: F811
        response = dashboard(login(Client(), personas.province_officer))
        assert response.context["unit"] == tree.province
        units = options(response.content.decode(), "unit")
        assert [(v, s) for _g, v, _t, s in units if s] == [(str(tree.province.public_id), True)]

    def test_a_commune_officer_opens_on_its_commune_of_today(self, tree, personas,
                                                             catalogue) -> None:  # noqa: F811
        response = dashboard(login(Client(), personas.officer))
        assert response.context["unit"] == tree.commune_a
        assert response.context["became"] is None

    def test_a_user_of_a_unit_dissolved_in_2025_opens_on_the_unit_it_became_in_scope(
            self, tree, personas, catalogue) -> None:  # noqa: F811
        # Assigned to the old ward and, above it, to the old province's successor: its scope
        # reaches the ward of today that the old one became.
        stale = make_user("stale_commune", role=Role.COMMUNE_OFFICER, unit=tree.old_commune)
        stale.assignments.create(role=Role.AUDITOR, unit=tree.commune_a)
        stale = type(stale).objects.get(pk=stale.pk)
        assert lineage.heir_of(tree.old_commune) == tree.commune_a
        opened = unit_to_open(user=stale, capability=Capability.VIEW_INDICATORS)
        assert (opened.unit, opened.became) == (tree.commune_a, None)

    def test_a_user_only_of_a_dissolved_unit_sees_its_history_and_is_told_what_it_became(
            self, tree, catalogue) -> None:  # noqa: F811
        stale = make_user("stale_province", role=Role.AREA_OFFICER, unit=tree.old_province)
        response = dashboard(login(Client(), stale))
        assert response.status_code == 200  # not a 404 (no unit of today in its scope)…
        assert response.context["unit"] == tree.old_province  # …its own, as it was
        assert response.context["became"] == tree.province
        page = response.content.decode()
        assert "đã kết thúc hoạt động ngày 30/06/2025" in page and "nay là Tỉnh Cao Bằng" in page
        # The province of today stays outside its scope: not offered, and a 404 if forged.
        offered = {v for _g, v, _t, _s in options(page, "unit")}
        assert str(tree.province.public_id) not in offered
        assert dashboard(login(Client(), stale), unit=tree.province.public_id).status_code == 404

    def test_a_district_dissolved_in_2025_is_carried_on_by_the_province_of_its_area(
            self, tree) -> None:
        # A district has no successor (the level is gone): the province holding what its
        # communes became carries it on.
        assert lineage.heir_of(tree.old_district) == tree.province
        assert lineage.heir_of(tree.old_commune) == tree.commune_a
        assert lineage.heir_of(tree.old_province) == tree.province
        assert lineage.heir_of(tree.province) is None  # a unit of today carries on itself


class UnitPickerTests:
    def test_the_province_officer_is_offered_its_units_today_first_then_before_2025(
            self, tree, personas, catalogue) -> None:  # noqa: F811
        page = dashboard(login(Client(), personas.province_officer)).content.decode()
        units = options(page, "unit")
        groups = [g for g, _v, _t, _s in units]
        today = [t for g, _v, t, _s in units if g == "Đơn vị hiện nay"]
        before = [t for g, _v, t, _s in units if g == "Đơn vị trước ngày 01/07/2025"]
        assert today == ["Tỉnh Cao Bằng (từ 01/07/2025)", "Phường Thục Phán (từ 01/07/2025)",
                         "Xã Hòa An (từ 01/07/2025)"]
        assert before == ["Tỉnh Cao Bằng (đến 30/06/2025)",
                          "Thành phố Cao Bằng (đến 30/06/2025)",
                          "Phường Sông Hiến (đến 30/06/2025)"]
        assert groups.index("Đơn vị trước ngày 01/07/2025") > groups.index("Đơn vị hiện nay")
        assert '<optgroup label="Đơn vị trước ngày 01/07/2025">' in page

    @pytest.mark.parametrize("persona", ["officer", "outsider", "province_officer", "chairman",
                                         "auditor"])
    def test_the_picker_never_offers_a_unit_outside_the_scope(self, tree, personas, catalogue,  # noqa: F811
                                                              persona) -> None:
        user = getattr(personas, persona)
        page = dashboard(login(Client(), user)).content.decode()
        offered = {v for _g, v, _t, _s in options(page, "unit")}
        visible = {str(u) for u in type(tree.nation).objects.visible_to(
            user, capability=Capability.VIEW_INDICATORS).values_list("public_id", flat=True)}
        assert offered and offered <= visible
        assert str(tree.other_province.public_id) not in offered
        assert str(tree.commune_c.public_id) not in offered
        if persona == "officer":
            assert offered == {str(tree.commune_a.public_id), str(tree.old_commune.public_id)}

    def test_a_forged_unit_outside_the_scope_is_a_404(self, tree, personas,
                                                      catalogue) -> None:  # noqa: F811
        client = login(Client(), personas.officer)
        for unit in (tree.commune_b, tree.province, tree.commune_c):
            assert dashboard(client, unit=unit.public_id).status_code == 404
            url = reverse("indicators:indicator", args=[catalogue.public_id])
            assert client.get(url, {"unit": unit.public_id}).status_code == 404


class PeriodPickerTests:
    def test_periods_are_offered_by_label_and_the_last_ended_is_chosen(
            self, tree, personas, catalogue, monkeypatch) -> None:  # noqa: F811
        from django.utils import timezone

        monkeypatch.setattr(timezone, "localdate", lambda *a: datetime.date(2026, 12, 5))
        page = dashboard(login(Client(), personas.province_officer)).content.decode()
        periods = options(page, "period")
        assert ("6 tháng", "2026S1", "6 tháng đầu năm 2026", True) in periods
        assert ("6 tháng", "2026S2", "6 tháng cuối năm 2026", False) in periods
        assert ("Năm", "2025", "Năm 2025", False) in periods
        assert ("Quý", "2026Q3", "Quý 3 năm 2026", False) in periods
        # No box to type a code in.
        assert not re.search(r'<input[^>]+name="period"', page)

    def test_a_period_reached_by_a_link_is_shown_by_its_label(self, tree, personas,
                                                              catalogue) -> None:  # noqa: F811
        page = dashboard(login(Client(), personas.officer), period="202409").content.decode()
        assert [t for _g, _v, t, s in options(page, "period") if s] == ["Tháng 9 năm 2024"]


class EntryPeriodPickerTests:
    def test_the_sector_entry_page_picks_its_period_by_label(self, tree, personas,
                                                             monkeypatch) -> None:
        from django.utils import timezone

        from treem.indicators.tests.factories import load_entered

        load_entered()
        monkeypatch.setattr(timezone, "localdate", lambda *a: datetime.date(2026, 12, 5))
        client = login(Client(), personas.officer)
        page = client.get("/indicators/entry/").content.decode()
        found = options(page, "period")
        assert found[0][1:] == ("", "Kỳ hiện tại của loại kỳ đã chọn", False)
        assert ("6 tháng", "2026S1", "6 tháng đầu năm 2026", False) in found
        assert ("Tháng", "202611", "Tháng 11 năm 2026", False) in found
        assert not re.search(r'<input[^>]+name="period"', page.split("<h2")[0])
        chosen = client.get("/indicators/entry/", {"period": "2025S2"}).content.decode()
        assert [t for _g, _v, t, s in options(chosen, "period") if s] == [
            "6 tháng cuối năm 2025"]

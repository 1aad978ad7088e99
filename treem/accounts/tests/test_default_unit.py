"""The unit a page or an API operation works on when none is asked for: the user's own unit as
it is today, never a unit dissolved on 1 July 2025 (whose records the user may still read)."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from treem.accounts.models import User
from treem.accounts.permissions import Capability
from treem.accounts.roles import Role
from treem.accounts.selectors import default_unit_for
from treem.accounts.services import token_create
from treem.geo.models import REORGANISATION_DATE, Level, SuccessionKind, Unit, UnitSuccession
from treem.indicators.models import Indicator, IndicatorSet, IndicatorVersion
from treem.registry.tests.factories import make_child
from treem.testing import Tree, login, make_unit, make_user


class Merged:
    """Lạng Sơn as the national tables load it: the old province first (so that it comes
    first by path), then the province of today that it became, each with a commune."""

    def __init__(self, tree: Tree) -> None:
        self.old = make_unit(parent=tree.nation, level=Level.PROVINCE, code="20",
                             name="Tỉnh Lạng Sơn (trước 01/7/2025)", current=False,
                             province_code="20")
        self.old_commune = make_unit(parent=self.old, level=Level.COMMUNE, code="06040",
                                     name="Xã Hoàng Đồng", current=False)
        self.province = make_unit(parent=tree.nation, level=Level.PROVINCE, code="20",
                                  name="Tỉnh Lạng Sơn", province_code="20")
        self.commune = make_unit(parent=self.province, level=Level.COMMUNE, code="06041",
                                 name="Phường Lương Văn Tri")
        for old, new in ((self.old, self.province), (self.old_commune, self.commune)):
            UnitSuccession.objects.create(predecessor=old, successor=new,
                                          kind=SuccessionKind.WHOLE,
                                          effective_on=REORGANISATION_DATE)
        self.officer = make_user("lang_son", role=Role.AREA_OFFICER, unit=self.province)


@pytest.fixture
def merged(tree: Tree) -> Merged:
    found = Merged(tree)
    assert found.old.path < found.province.path  # the order that made the old one the default
    return found


def _children_indicator() -> None:
    indicator_set = IndicatorSet.objects.create(code="national", name="Quốc gia")
    indicator = Indicator.objects.create(indicator_set=indicator_set, code="X1")
    IndicatorVersion.objects.create(indicator=indicator, number=1, name="Trẻ em của xã",
                                    unit_kind="count", source="computed",
                                    spec={"numerator": {"population": "children"}})


def bearer(user: User) -> Client:
    _token, raw = token_create(user=user, name="test", days=1)
    return Client(headers={"Authorization": f"Bearer {raw}"})


class DefaultUnitTests:
    def test_it_is_the_users_unit_of_today_not_the_old_one_first_by_path(
        self, merged: Merged,
    ) -> None:
        for capability in (None, Capability.VIEW_INDICATORS, Capability.VIEW_CASES):
            assert default_unit_for(user=merged.officer, capability=capability) == \
                merged.province

    def test_it_is_the_highest_of_several_assignments(self, merged: Merged) -> None:
        make_user("both", role=Role.AREA_OFFICER, unit=merged.commune)
        both = User.objects.get(username="both")
        both.assignments.create(role=Role.AREA_OFFICER, unit=merged.province)
        assert default_unit_for(user=both) == merged.province

    def test_an_assignment_naming_only_a_dissolved_unit_gives_no_default(
        self, merged: Merged,
    ) -> None:
        # Its scope is the old province's records, not the province of today: nothing to show
        # by default (the API answers 404) until the administrator assigns today's unit.
        stale = make_user("stale", role=Role.AREA_OFFICER, unit=merged.old)
        assert default_unit_for(user=stale) is None
        response = bearer(stale).get("/api/v1/indicator-values", {"period": "2026S1"})
        assert response.status_code == 404

    def test_a_role_without_the_capability_gives_no_unit(self, merged: Merged,
                                                         personas: Any) -> None:
        assert default_unit_for(user=personas.admin,
                                capability=Capability.VIEW_INDICATORS) is None

    def test_the_api_reads_the_values_of_the_users_province_of_today(self,
                                                                     merged: Merged) -> None:
        _children_indicator()
        make_child(commune=merged.commune, full_name="Hoàng Văn Khải")
        response = bearer(merged.officer).get("/api/v1/indicator-values",
                                              {"period": "2026S1"})
        assert response.status_code == 200
        assert {row["unit"] for row in response.json()} == {"20", "06041"}

    def test_the_dashboard_shows_the_users_province_of_today(self, client: Client,
                                                             merged: Merged) -> None:
        login(client, merged.officer)
        response = client.get(reverse("indicators:dashboard"), {"period": "2026S1"})
        assert response.status_code == 200
        assert response.context["unit"] == merged.province
        assert isinstance(response.context["unit"], Unit)

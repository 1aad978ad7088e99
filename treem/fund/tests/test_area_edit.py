"""Editing an area: renamed, its communes (current communes of the fund's province only) and its
mountain flag changed, audited with the fields changed; a change that moves the mountain
communes reorders the open needs in one UPDATE; an area an earmark names keeps its earmark
(its label follows the name), and a change of its communes waits for the manager's
confirmation, on the page and over the API. Readers get 403, another province 404; each
refusal writes nothing."""

import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from treem.accounts.roles import Role
from treem.audit.models import Action, AuditEvent
from treem.fund import exceptions as exc
from treem.fund import gifts, matching, services
from treem.fund.models import Area, Fund, Need, Restriction, RestrictionKind
from treem.fund.tests.conftest import approved_need
from treem.registry.models import Child
from treem.testing import Personas, Tree, login, make_user, refused, writes_nothing

pytestmark = pytest.mark.django_db
API = "/api/v1"


def state(area: Area) -> tuple[Any, ...]:
    """What an edit may change, and the audit trail: a refusal leaves all of it as it was."""
    area.refresh_from_db()
    return (area.name, area.mountain, sorted(area.units.values_list("code", flat=True)),
            list(Restriction.objects.values_list("label", flat=True).order_by("id")),
            AuditEvent.objects.count())


@pytest.fixture
def area(fund: Fund, manager: Any, tree: Tree) -> Area:
    return gifts.area_create(actor=manager, fund=fund, name="Xã vùng cao",
                             units=[tree.commune_a])


@pytest.fixture
def earmark(fund: Fund, manager: Any, area: Area) -> Restriction:
    return gifts.restriction_for(actor=manager, fund=fund, kind=RestrictionKind.PLACE, area=area)


@pytest.fixture
def other(tree: Tree) -> dict[str, Any]:
    """The other province's fund, its manager and an area of it."""
    manager_c = make_user("quy_c", role=Role.FUND_MANAGER, unit=tree.other_province)
    fund_c = services.fund_open(actor=None, unit=tree.other_province, name="Quỹ Hà Nội")
    area_c = gifts.area_create(actor=manager_c, fund=fund_c, name="Nội đô",
                               units=[tree.commune_c])
    return {"manager": manager_c, "fund": fund_c, "area": area_c}


def edit_url(fund: Fund, area: Area) -> str:
    return reverse("fund:area_update", args=[fund.public_id, area.pk])


class AreaUpdateTests:
    def test_it_renames_an_area_and_changes_its_communes_and_flag_audited(
            self, tree: Tree, manager: Any, area: Area) -> None:
        gifts.area_update(actor=manager, area=area, name="  Xã   biên giới ",
                          units=[tree.commune_a, tree.commune_b], mountain=True)
        assert state(area)[:3] == ("Xã biên giới", True, ["01273", "01279"])
        event = AuditEvent.objects.order_by("-id").first()
        assert event is not None and event.action == Action.UPDATE
        assert event.changed_fields == ["mountain", "name", "units"]
        gifts.area_update(actor=manager, area=area, units=[tree.commune_b])
        assert AuditEvent.objects.order_by("-id").values_list(
            "changed_fields", flat=True).first() == ["units"]

    def test_nothing_changed_writes_nothing(self, tree: Tree, manager: Any, area: Area) -> None:
        with writes_nothing(lambda: state(area)):
            gifts.area_update(actor=manager, area=area, name="Xã vùng cao",
                              units=[tree.commune_a], mountain=False)

    @pytest.mark.parametrize("unit", ["old_commune", "commune_c", "province", "village_a"])
    def test_it_refuses_a_unit_not_a_current_commune_of_the_province(
            self, tree: Tree, manager: Any, area: Area, unit: str) -> None:
        error = refused(gifts.area_update, snapshot=lambda: state(area), actor=manager,
                        area=area, units=[tree.commune_b, getattr(tree, unit)])
        assert error.message_dict == {"units": [str(exc.AREA_UNIT_INVALID)]}

    def test_it_refuses_no_commune_a_blank_name_and_another_areas_name(
            self, tree: Tree, manager: Any, fund: Fund, area: Area) -> None:
        gifts.area_create(actor=manager, fund=fund, name="Xã vùng thấp", units=[tree.commune_b])
        snapshot = lambda: state(area)  # noqa: E731
        assert refused(gifts.area_update, snapshot=snapshot, actor=manager, area=area,
                       units=[]).message_dict == {"units": [str(exc.AREA_EMPTY)]}
        assert refused(gifts.area_update, snapshot=snapshot, actor=manager, area=area,
                       name="  ").message_dict == {"name": [str(exc.NAME_REQUIRED)]}
        assert refused(gifts.area_update, snapshot=snapshot, actor=manager, area=area,
                       name="Xã vùng thấp").message_dict == {"name": [str(exc.AREA_NAME_TAKEN)]}

    def test_a_reader_and_another_provinces_manager_are_refused(
            self, tree: Tree, personas: Personas, area: Area, other: dict[str, Any]) -> None:
        for actor in (personas.province_officer, personas.auditor, other["manager"]):
            error = refused(gifts.area_update, snapshot=lambda: state(area), actor=actor,
                            area=area, name="Đổi tên")
            assert isinstance(error, PermissionDenied)


class EarmarkedAreaTests:
    def test_new_communes_wait_for_the_confirmation_then_the_earmark_pays_for_them(
            self, tree: Tree, personas: Personas, manager: Any, area: Area,
            earmark: Restriction, child: Child) -> None:
        error = refused(gifts.area_update, snapshot=lambda: state(area), actor=manager,
                        area=area, units=[tree.commune_b])
        assert error.message_dict == {"confirm_earmark": [str(exc.AREA_EARMARKED % {
            "earmarks": "Xã vùng cao"})]}
        need = approved_need(personas, child)  # commune A's
        assert Need.objects.filter(pk=need.pk).filter(matching.fit_q(earmark)).exists()
        gifts.area_update(actor=manager, area=area, units=[tree.commune_b],
                          earmark_confirmed=True)
        earmark.refresh_from_db()
        assert earmark.area == area and earmark.key == f"area:{area.pk}"
        assert not Need.objects.filter(pk=need.pk).filter(matching.fit_q(earmark)).exists()

    def test_a_rename_needs_no_confirmation_and_the_earmark_follows_the_name(
            self, manager: Any, area: Area, earmark: Restriction) -> None:
        events = AuditEvent.objects.count()
        gifts.area_update(actor=manager, area=area, name="Xã biên giới", mountain=True)
        earmark.refresh_from_db()
        assert (str(earmark), earmark.area_id) == ("Xã biên giới", area.pk)
        assert AuditEvent.objects.count() == events + 2  # the area's and the earmark's


class PriorityTests:
    def test_the_mountain_communes_moved_reorder_the_open_needs_in_one_update(
            self, tree: Tree, personas: Personas, manager: Any, area: Area,
            child: Child) -> None:
        need = approved_need(personas, child)
        assert need.priority == 30  # a poor household; commune A is not yet a mountain one

        def priority_after(**change: Any) -> tuple[int, list[str]]:
            with CaptureQueriesContext(connection) as queries:
                gifts.area_update(actor=manager, area=area, **change)
            need.refresh_from_db()
            return need.priority, [q["sql"] for q in queries.captured_queries
                                   if q["sql"].startswith('UPDATE "fund_need"')]

        priority, updates = priority_after(mountain=True)
        assert priority == 50 and len(updates) == 1  # + mountain commune 20
        priority, updates = priority_after(units=[tree.commune_b])
        assert priority == 30 and len(updates) == 1
        priority, updates = priority_after(name="Xã biên giới")
        assert priority == 30 and updates == []  # a name counts for no rule


class AreaEditPageTests:
    def test_the_manager_edits_an_area_from_the_list(self, client: Client, tree: Tree,
                                                     manager: Any, fund: Fund,
                                                     area: Area) -> None:
        login(client, manager)
        listed = client.get(reverse("fund:area_list", args=[fund.public_id])).content.decode()
        assert edit_url(fund, area) in listed
        page = client.get(edit_url(fund, area)).content.decode()
        assert 'value="Xã vùng cao"' in page and 'name="mountain" id="id_mountain">' in page
        assert 'value="01273" id="id_units_0" checked>' in page  # its communes, ticked
        assert 'value="01279" id="id_units_1">' in page
        assert "Tôi hiểu" not in page  # no earmark names it: nothing to confirm
        done = client.post(edit_url(fund, area), {"name": "Xã biên giới",
                                                  "units": ["01273", "01279"],
                                                  "mountain": "on"}, follow=True)
        assert done.redirect_chain[-1][0] == reverse("fund:area_list", args=[fund.public_id])
        assert "Đã lưu địa bàn Xã biên giới." in done.content.decode()
        assert state(area)[:3] == ("Xã biên giới", True, ["01273", "01279"])

    def test_an_earmarked_area_says_what_new_communes_do_and_asks_to_confirm(
            self, client: Client, manager: Any, fund: Fund, area: Area,
            earmark: Restriction) -> None:
        login(client, manager)
        page = client.get(edit_url(fund, area)).content.decode()
        assert "đổi xã, phường là đổi những nơi số tiền, hàng đó được chi" in page
        assert 'name="confirm_earmark"' in page
        posted = {"name": "Xã vùng cao", "units": ["01279"]}
        with writes_nothing(lambda: state(area)):
            refused = client.post(edit_url(fund, area), posted)
        assert refused.status_code == 200
        assert str(exc.AREA_EARMARKED % {"earmarks": "Xã vùng cao"}) in refused.content.decode()
        assert client.post(edit_url(fund, area), {**posted, "confirm_earmark": "on"}
                           ).status_code == 302
        assert state(area)[2] == ["01279"]

    @pytest.mark.parametrize("code", ["01270", "00070"])  # dissolved in 2025; another province
    def test_a_commune_not_offered_is_refused_with_nothing_written(
            self, client: Client, manager: Any, fund: Fund, area: Area, code: str) -> None:
        login(client, manager)
        with writes_nothing(lambda: state(area)):
            response = client.post(edit_url(fund, area), {"name": "Xã vùng cao",
                                                          "units": ["01273", code]})
        assert str(exc.AREA_UNIT_INVALID) in response.content.decode()

    def test_readers_get_403_and_another_province_404(
            self, client: Client, personas: Personas, approver: Any, manager: Any,
            fund: Fund, area: Area, other: dict[str, Any]) -> None:
        posted = {"name": "Đổi tên", "units": ["01273"]}
        with writes_nothing(lambda: state(area)):
            for reader in (personas.province_officer, personas.auditor, approver):
                login(client, reader)
                listed = client.get(reverse("fund:area_list", args=[fund.public_id]))
                assert edit_url(fund, area) not in listed.content.decode()
                assert client.get(edit_url(fund, area)).status_code == 403
                assert client.post(edit_url(fund, area), posted).status_code == 403
            login(client, other["manager"])
            assert client.get(edit_url(fund, area)).status_code == 404
            assert client.post(edit_url(fund, area), posted).status_code == 404
            login(client, manager)  # the other fund's area under this fund's address
            assert client.get(edit_url(fund, other["area"])).status_code == 404
            assert client.get(edit_url(other["fund"], other["area"])).status_code == 404
            huge = reverse("fund:area_update", args=[fund.public_id, 2**70])
            assert client.get(huge).status_code == 404  # no row has it; no overflow either


def patch(client: Client, fund: Fund, area_id: Any, body: Any) -> Any:
    return client.patch(f"{API}/funds/{fund.public_id}/areas/{area_id}", json.dumps(body),
                        content_type="application/json")


class AreaApiTests:
    def test_areas_are_listed_created_and_changed(self, client: Client, tree: Tree,
                                                  manager: Any, fund: Fund, area: Area,
                                                  earmark: Restriction) -> None:
        login(client, manager)
        listed = client.get(f"{API}/funds/{fund.public_id}/areas").json()
        assert listed["items"] == [{"id": area.pk, "name": "Xã vùng cao", "mountain": False,
                                    "units": ["01273"], "earmarked": True}]
        made = client.post(f"{API}/funds/{fund.public_id}/areas",
                           json.dumps({"name": "Xã vùng thấp", "units": ["01279"]}),
                           content_type="application/json")
        assert made.status_code == 201
        assert made.json() | {"id": 0} == {"id": 0, "name": "Xã vùng thấp", "mountain": False,
                                           "units": ["01279"], "earmarked": False}
        renamed = patch(client, fund, area.pk, {"name": "Xã biên giới", "mountain": True})
        assert renamed.status_code == 200
        assert renamed.json()["units"] == ["01273"] and renamed.json()["mountain"] is True
        with writes_nothing(lambda: state(area)):
            unconfirmed = patch(client, fund, area.pk, {"units": ["01279"]})
        assert unconfirmed.status_code == 422
        assert unconfirmed.json()["errors"][0]["loc"] == ["body", "confirm_earmark"]
        confirmed = patch(client, fund, area.pk, {"units": ["01279"], "confirm_earmark": True})
        assert confirmed.status_code == 200 and confirmed.json()["units"] == ["01279"]

    def test_bad_input_is_a_422_that_writes_nothing(self, client: Client, manager: Any,
                                                    fund: Fund, area: Area) -> None:
        login(client, manager)
        bodies: list[dict[str, Any]] = [
            {"units": ["01273", "01270"]}, {"units": ["00070"]}, {"units": []}, {"name": " "},
            {"name": None}, {"mountain": "yes"}, {"colour": "đỏ"}]
        with writes_nothing(lambda: state(area)):
            for body in bodies:
                assert patch(client, fund, area.pk, body).status_code == 422, body

    def test_readers_get_403_and_another_fund_404(self, personas: Personas, fund: Fund,
                                                  area: Area, other: dict[str, Any]) -> None:
        with writes_nothing(lambda: state(area)):
            reader = login(Client(), personas.auditor)
            assert reader.get(f"{API}/funds/{fund.public_id}/areas").status_code == 200
            assert patch(reader, fund, area.pk, {"name": "Đổi"}).status_code == 403
            manager_c = login(Client(), other["manager"])
            assert patch(manager_c, fund, area.pk, {"name": "Đổi"}).status_code == 404
            # This fund's area under the other fund's address; an id no area has.
            assert patch(manager_c, other["fund"], area.pk, {"name": "Đổi"}).status_code == 404
            assert patch(manager_c, other["fund"], 2**40, {"name": "Đổi"}).status_code == 404

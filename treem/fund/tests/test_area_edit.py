"""Editing an area: renamed, its communes (current communes of the fund's province only) and its
mountain flag changed, audited with the fields changed; a change that moves the mountain
communes reorders the open needs in one UPDATE; an area an earmark names keeps its earmark
(its label follows the name), and a change of its communes waits for the manager's
confirmation, on the page and over the API. Readers get 403, another province 404; each
refusal writes nothing."""

import html
import json
import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from treem import testing
from treem.accounts.roles import Role
from treem.audit.models import Action, AuditEvent
from treem.edits import conflicts
from treem.edits.conflicts import EditConflict
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


# The area as made (the `area` fixture), as an edit reads it: its communes by their codes.
READ: dict[str, Any] = {"name": "Xã vùng cao", "mountain": False, "units": ["01273"]}


def posted(read: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """What the edit page posts: the fields as set (a ticked box "on", an unticked one left
    out), and beside each the value the page read."""
    fields = read | changes
    data = {"name": fields["name"], "units": fields["units"]}
    if fields["mountain"]:
        data["mountain"] = "on"
    return data | {"initial-name": read["name"], "initial-units": read["units"],
                   "initial-mountain": str(read["mountain"])}


@pytest.fixture
def colleague(tree: Tree) -> Any:
    """The province's other fund manager, who saves first."""
    return make_user("quy2", role=Role.FUND_MANAGER, unit=tree.province,
                     full_name="Nông Thị Lan")


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
        # Beside each field the value the page read, which the service compares with the saved.
        assert 'name="initial-name" value="Xã vùng cao"' in page
        assert 'name="initial-units" value="01273"' in page
        assert 'name="initial-mountain" value="False"' in page
        done = client.post(edit_url(fund, area), posted(
            READ, name="Xã biên giới", units=["01273", "01279"], mountain=True), follow=True)
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
        sent = posted(READ, units=["01279"])
        with writes_nothing(lambda: state(area)):
            refused = client.post(edit_url(fund, area), sent)
        assert refused.status_code == 200
        assert str(exc.AREA_EARMARKED % {"earmarks": "Xã vùng cao"}) in refused.content.decode()
        assert client.post(edit_url(fund, area), {**sent, "confirm_earmark": "on"}
                           ).status_code == 302
        assert state(area)[2] == ["01279"]

    @pytest.mark.parametrize("code", ["01270", "00070"])  # dissolved in 2025; another province
    def test_a_commune_not_offered_is_refused_with_nothing_written(
            self, client: Client, manager: Any, fund: Fund, area: Area, code: str) -> None:
        login(client, manager)
        with writes_nothing(lambda: state(area)):
            response = client.post(edit_url(fund, area), posted(READ, units=["01273", code]))
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


class AreaEditConflictTests:
    """Two managers edit the area from forms read before either saved: the values each read
    (`base`) are its precondition (`treem.edits.conflicts.check_read`, an area has no
    version)."""

    def test_a_stale_rename_that_keeps_the_old_communes_is_refused_with_nothing_written(
            self, tree: Tree, manager: Any, colleague: Any, area: Area) -> None:
        gifts.area_update(actor=colleague, area=area, units=[tree.commune_a, tree.commune_b],
                          base=READ)
        stale = Area.objects.get(pk=area.pk)
        with writes_nothing(lambda: state(area)), pytest.raises(EditConflict) as raised:
            gifts.area_update(actor=manager, area=stale, name="Xã biên giới",
                              units=[tree.commune_a], mountain=False, base=READ)
        assert raised.value.fields == ["units"]
        [conflict] = raised.value.conflicts
        assert (conflict.label, conflict.mine, conflict.theirs, conflict.saved_by) == (
            "Xã, phường", ["01273"], ["01273", "01279"], "Nông Thị Lan")
        assert ("Xã, phường: giá trị của bạn «Phường Thục Phán», giá trị đã lưu «Phường Thục "
                "Phán, Xã Hòa An» (Nông Thị Lan lưu lúc ") in raised.value.message
        assert state(area)[:3] == ("Xã vùng cao", False, ["01273", "01279"])

    def test_a_stale_rename_merges_when_nobody_renamed_it(
            self, tree: Tree, manager: Any, colleague: Any, area: Area) -> None:
        gifts.area_update(actor=colleague, area=area, units=[tree.commune_a, tree.commune_b],
                          base=READ)
        gifts.area_update(actor=manager, area=Area.objects.get(pk=area.pk), name="Xã biên giới",
                          base={"name": "Xã vùng cao"})
        assert state(area)[:3] == ("Xã biên giới", False, ["01273", "01279"])
        assert list(AuditEvent.objects.filter(action=Action.UPDATE).order_by("id")
                    .values_list("changed_fields", flat=True)) == [["units"], ["name"]]

    def test_the_communes_another_saved_given_again_are_no_conflict(
            self, tree: Tree, manager: Any, colleague: Any, area: Area) -> None:
        gifts.area_update(actor=colleague, area=area, units=[tree.commune_b, tree.commune_a],
                          base=READ)
        gifts.area_update(actor=manager, area=area, name="Xã biên giới",
                          units=[tree.commune_a, tree.commune_b], base=READ)
        assert state(area)[:3] == ("Xã biên giới", False, ["01273", "01279"])

    def test_a_stale_mountain_flag_is_refused_after_another_changed_it(
            self, manager: Any, colleague: Any, area: Area) -> None:
        gifts.area_update(actor=colleague, area=area, mountain=True, base=READ)
        with writes_nothing(lambda: state(area)), pytest.raises(EditConflict) as raised:
            gifts.area_update(actor=manager, area=area, name="Xã biên giới", mountain=False,
                              base=READ)
        assert raised.value.fields == ["mountain"]
        assert ("Xã miền núi, đặc biệt khó khăn: giá trị của bạn «Không», giá trị đã lưu "
                "«Có» (Nông Thị Lan lưu lúc ") in raised.value.message
        assert state(area)[:2] == ("Xã vùng cao", True)

    def test_a_change_whose_value_read_is_not_said_is_compared_with_the_saved_one(
            self, tree: Tree, manager: Any, area: Area) -> None:
        with writes_nothing(lambda: state(area)), pytest.raises(EditConflict) as raised:
            gifts.area_update(actor=manager, area=area, units=[tree.commune_b], base={})
        assert raised.value.fields == ["units"]
        assert raised.value.conflicts[0].saved_by == "quy"  # who made the area


def form_data(page: str) -> dict[str, list[str]]:
    """What the browser posts back from a page's form: its inputs (a box only when ticked),
    the choices to make after a conflict left out."""
    data: dict[str, list[str]] = {}
    for tag in re.findall(r"<input[^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        if name is None or name[1] == "csrfmiddlewaretoken" or name[1].startswith("keep_"):
            continue
        if 'type="checkbox"' in tag and " checked" not in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data.setdefault(name[1], []).append(html.unescape(value[1]) if value else "on")
    return data


class AreaEditPageConflictTests:
    def test_a_stale_rename_keeps_the_communes_another_saved(
            self, client: Client, tree: Tree, manager: Any, colleague: Any, fund: Fund,
            area: Area) -> None:
        """The stale form still ticks the old communes: the page sends only what the manager
        changed, so the rename merges and the other's communes stay."""
        gifts.area_update(actor=colleague, area=area, units=[tree.commune_a, tree.commune_b],
                          base=READ)
        login(client, manager)
        assert client.post(edit_url(fund, area), posted(READ, name="Xã biên giới")
                           ).status_code == 302
        assert state(area)[:3] == ("Xã biên giới", False, ["01273", "01279"])

    def test_a_stale_change_of_the_communes_shows_both_and_writes_nothing(
            self, client: Client, tree: Tree, manager: Any, colleague: Any, fund: Fund,
            area: Area) -> None:
        gifts.area_update(actor=colleague, area=area, units=[tree.commune_a, tree.commune_b],
                          base=READ)
        login(client, manager)
        with writes_nothing(lambda: state(area)):
            response = client.post(edit_url(fund, area), posted(
                READ, name="Xã biên giới", units=["01279"]))
        assert response.status_code == 200
        page = html.unescape(response.content.decode())
        assert "Trong lúc bạn sửa, người khác đã lưu hồ sơ này." in page
        assert 'value="Xã biên giới"' in page  # the manager's input kept
        assert "Giá trị của bạn: Xã Hòa An" in page
        assert "Giá trị do Nông Thị Lan lưu lúc " in page
        assert ": Phường Thục Phán, Xã Hòa An" in page  # the communes saved, to choose from

        # The manager keeps the communes the other saved: the rename alone is written.
        again = form_data(page) | {"keep_units": ["theirs"]}
        assert client.post(edit_url(fund, area), again).status_code == 302
        assert state(area)[:3] == ("Xã biên giới", False, ["01273", "01279"])

    def test_the_choice_must_be_made_before_saving_again(
            self, client: Client, tree: Tree, manager: Any, colleague: Any, fund: Fund,
            area: Area) -> None:
        gifts.area_update(actor=colleague, area=area, units=[tree.commune_a, tree.commune_b],
                          base=READ)
        login(client, manager)
        page = client.post(edit_url(fund, area), posted(READ, units=["01279"])).content.decode()
        with writes_nothing(lambda: state(area)):
            again = client.post(edit_url(fund, area), form_data(page))
        assert "Hãy chọn giữ giá trị nào." in again.content.decode()
        mine = form_data(page) | {"keep_units": ["mine"]}
        assert client.post(edit_url(fund, area), mine).status_code == 302
        assert state(area)[2] == ["01279"]


class AreaApiConflictTests:
    def test_a_stale_patch_that_keeps_the_old_communes_is_409_with_nothing_written(
            self, client: Client, tree: Tree, manager: Any, colleague: Any, fund: Fund,
            area: Area) -> None:
        gifts.area_update(actor=colleague, area=area, units=[tree.commune_a, tree.commune_b],
                          base=READ)
        login(client, manager)
        with writes_nothing(lambda: state(area)):
            response = patch(client, fund, area.pk, {"name": "Xã biên giới", "units": ["01273"],
                                                     "base": READ})
        assert response.status_code == 409
        body = response.json()
        assert body["code"] == "conflict" and "Nông Thị Lan" in body["detail"]
        assert [c | {"saved_at": None} for c in body["conflicts"]] == [
            {"field": "units", "label": "Xã, phường", "mine": ["01273"],
             "theirs": ["01273", "01279"], "saved_by": "Nông Thị Lan", "saved_at": None}]
        assert body["conflicts"][0]["saved_at"]

    def test_a_stale_rename_merges_and_a_stale_mountain_flag_is_409(
            self, client: Client, tree: Tree, manager: Any, colleague: Any, fund: Fund,
            area: Area) -> None:
        gifts.area_update(actor=colleague, area=area, units=[tree.commune_a, tree.commune_b],
                          mountain=True, base=READ)
        login(client, manager)
        with writes_nothing(lambda: state(area)):
            flag = patch(client, fund, area.pk, {"mountain": False, "base": READ})
        assert flag.status_code == 409
        assert [c["field"] for c in flag.json()["conflicts"]] == ["mountain"]
        renamed = patch(client, fund, area.pk, {"name": "Xã biên giới",
                                                "base": {"name": "Xã vùng cao"}})
        assert renamed.status_code == 200
        assert renamed.json() | {"id": 0} == {"id": 0, "name": "Xã biên giới", "mountain": True,
                                              "units": ["01273", "01279"], "earmarked": False}

    def test_a_bad_base_is_a_422_that_writes_nothing(self, client: Client, manager: Any,
                                                      fund: Fund, area: Area) -> None:
        login(client, manager)
        with writes_nothing(lambda: state(area)):
            for base in ({"units": "01273"}, {"colour": "đỏ"}, {"mountain": "no"}, "Xã"):
                assert patch(client, fund, area.pk, {"name": "Đổi", "base": base}
                             ).status_code == 422, base


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="two writing transactions at once need PostgreSQL (the test SQLite "
                           "database is in memory, shared by the threads' connections)")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("committed")
class ConcurrentAreaEditTests:
    def test_the_second_edit_waits_for_the_first_then_is_refused(
            self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Both read the area before either saved; the second reads it again under the row
        lock once the first has committed, and finds the communes changed."""
        tree = testing.make_tree()
        fund = services.fund_open(actor=None, unit=tree.province, name="Quỹ tỉnh")
        manager = make_user("quy", role=Role.FUND_MANAGER, unit=tree.province)
        colleague = make_user("quy2", role=Role.FUND_MANAGER, unit=tree.province,
                              full_name="Nông Thị Lan")
        area = gifts.area_create(actor=manager, fund=fund, name="Xã vùng cao",
                                 units=[tree.commune_a])

        results = testing.in_turn(
            lambda: gifts.area_update(actor=colleague, area=Area.objects.get(pk=area.pk),
                                      units=[tree.commune_a, tree.commune_b], base=READ),
            lambda: gifts.area_update(actor=manager, area=Area.objects.get(pk=area.pk),
                                      name="Xã biên giới", units=[tree.commune_a],
                                      mountain=False, base=READ),
            holding=(conflicts, "check_read"), monkeypatch=monkeypatch)

        assert isinstance(results["first"], Area), results
        assert isinstance(results["second"], EditConflict), results
        assert results["second"].fields == ["units"]
        assert results["second"].conflicts[0].saved_by == "Nông Thị Lan"
        assert state(area)[:3] == ("Xã vùng cao", False, ["01273", "01279"])

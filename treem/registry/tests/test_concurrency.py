"""Two people editing one record: a stale edit never silently undoes what was saved since.

Each edit carries the version it was read at: a form its hidden version and the values it was
read with, the API its If-Match. A stale edit of a field changed since is refused with both
values shown and writes nothing; changes to different fields merge."""

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from treem.accounts.models import User
from treem.accounts.roles import Role
from treem.audit.models import Action, AuditEvent
from treem.edits.conflicts import UNKNOWN, EditConflict
from treem.registry import choices, services
from treem.registry.catalogues import load_catalogues
from treem.registry.models import Caregiver, Child, ChildStatusPast, Household
from treem.registry.tests.factories import make_caregiver, make_child, make_household
from treem.testing import (
    Personas,
    Tree,
    form_data,
    in_turn,
    login,
    make_personas,
    make_tree,
    make_user,
)

JSON = "application/json"


def edit(child: Child) -> str:
    return reverse("registry:child_edit", args=[child.public_id])


def one(child: Child) -> str:
    return f"/api/v1/children/{child.public_id}"


def updates_of(obj: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(obj.public_id))
                .order_by("id"))


def page(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def colleague(tree: Tree) -> User:
    """A second officer of commune A, editing the same children as `personas.officer`."""
    return make_user("officer_a2", role=Role.COMMUNE_OFFICER, unit=tree.commune_a,
                     full_name="Lò Thị Hằng")


@pytest.fixture
def child(tree: Tree) -> Child:
    """A child on record since 2024, so that a status it had before this year has a past."""
    child = make_child(commune=tree.commune_a, full_name="Nguyễn Văn Ann",
                       school_level=choices.SchoolLevel.PRIMARY,
                       school_status=choices.SchoolStatus.IN_SCHOOL)
    Child.objects.filter(pk=child.pk).update(
        created_at=timezone.make_aware(datetime.datetime(2024, 1, 5)))
    child.refresh_from_db()
    return child


def both_read(url: str, first: Client, second: Client) -> tuple[dict[str, Any], dict[str, Any]]:
    """The edit form as each of two officers opened it, before either saved."""
    return (form_data(page(first.get(url)), action=""),
            form_data(page(second.get(url)), action=""))


class StaleChildFormTests:
    def test_a_stale_form_that_changed_another_field_keeps_the_name_fixed_since(
        self, personas: Personas, colleague: User, child: Child,
    ) -> None:
        first, second = login(Client(), personas.officer), login(Client(), colleague)
        mine, theirs = both_read(edit(child), first, second)

        assert first.post(edit(child), {**mine, "full_name": "Nguyễn Văn An"}).status_code == 302
        response = second.post(edit(child), {**theirs, "school_status": "dropped_out"})

        assert response.status_code == 302
        child.refresh_from_db()
        assert (child.full_name, child.school_status) == ("Nguyễn Văn An", "dropped_out")
        fix, stale = updates_of(child)
        assert (fix.actor, fix.changed_fields) == (personas.officer, ["full_name"])
        assert (stale.actor, stale.changed_fields) == (colleague, ["school_status"])

    def test_a_stale_change_of_the_same_field_shows_both_values_and_writes_nothing(
        self, personas: Personas, colleague: User, child: Child,
    ) -> None:
        first, second = login(Client(), personas.officer), login(Client(), colleague)
        mine, theirs = both_read(edit(child), first, second)
        first.post(edit(child), {**mine, "full_name": "Nguyễn Văn An"})
        before = (Child.objects.values().get(pk=child.pk), AuditEvent.objects.count(),
                  ChildStatusPast.objects.count())

        response = second.post(edit(child), {**theirs, "full_name": "Nguyễn Văn Anh",
                                             "school_status": "dropped_out"})

        shown = page(response)
        assert "Nguyễn Văn Anh" in shown and "Nguyễn Văn An" in shown
        assert "Giá trị của bạn" in shown
        assert "officer_a" in shown  # who saved the other value (the officer's full name)
        assert timezone.localtime().strftime("%d/%m/%Y") in shown  # and when
        assert 'name="keep_full_name"' in shown
        assert 'name="keep_school_status"' not in shown  # not a conflict: merged on saving
        assert (Child.objects.values().get(pk=child.pk), AuditEvent.objects.count(),
                ChildStatusPast.objects.count()) == before

    @pytest.mark.parametrize(("choice", "name"), [("mine", "Nguyễn Văn Anh"),
                                                  ("theirs", "Nguyễn Văn An")])
    def test_the_officer_chooses_which_value_to_keep(
        self, personas: Personas, colleague: User, child: Child, choice: str, name: str,
    ) -> None:
        first, second = login(Client(), personas.officer), login(Client(), colleague)
        mine, theirs = both_read(edit(child), first, second)
        first.post(edit(child), {**mine, "full_name": "Nguyễn Văn An"})
        shown = page(second.post(edit(child), {**theirs, "full_name": "Nguyễn Văn Anh",
                                               "school_status": "dropped_out"}))

        again = form_data(shown, action="")
        assert second.post(edit(child), {**again, "keep_full_name": choice}).status_code == 302

        child.refresh_from_db()
        assert (child.full_name, child.school_status) == (name, "dropped_out")
        expected = ["full_name", "school_status"] if choice == "mine" else ["school_status"]
        assert updates_of(child)[-1].changed_fields == expected

    def test_saving_the_conflict_screen_without_choosing_asks_again_and_writes_nothing(
        self, personas: Personas, colleague: User, child: Child,
    ) -> None:
        first, second = login(Client(), personas.officer), login(Client(), colleague)
        mine, theirs = both_read(edit(child), first, second)
        first.post(edit(child), {**mine, "full_name": "Nguyễn Văn An"})
        shown = page(second.post(edit(child), {**theirs, "full_name": "Nguyễn Văn Anh"}))
        events = AuditEvent.objects.count()

        again = page(second.post(edit(child), form_data(shown, action="")))

        assert "Hãy chọn giữ giá trị nào." in again
        assert Child.objects.get(pk=child.pk).full_name == "Nguyễn Văn An"
        assert AuditEvent.objects.count() == events

    def test_the_status_history_is_right_after_a_merge(
        self, personas: Personas, colleague: User, child: Child,
    ) -> None:
        first, second = login(Client(), personas.officer), login(Client(), colleague)
        mine, theirs = both_read(edit(child), first, second)
        first.post(edit(child), {**mine, "school_status": "dropped_out",
                                 "changed_on": "2026-01-15"})
        second.post(edit(child), {**theirs, "nutrition_status": "stunted",
                                  "changed_on": "2026-02-01"})

        child.refresh_from_db()
        assert (child.school_status, child.nutrition_status) == ("dropped_out", "stunted")
        rows = {(r.field, r.value, r.end_date) for r in ChildStatusPast.objects.filter(child=child)}
        assert rows == {("school_status", "in_school", datetime.date(2026, 1, 14)),
                        ("nutrition_status", "", datetime.date(2026, 1, 31))}

    def test_a_stale_form_that_set_the_same_value_is_no_conflict(
        self, personas: Personas, colleague: User, child: Child,
    ) -> None:
        first, second = login(Client(), personas.officer), login(Client(), colleague)
        mine, theirs = both_read(edit(child), first, second)
        first.post(edit(child), {**mine, "full_name": "Nguyễn Văn An"})
        response = second.post(edit(child), {**theirs, "full_name": "Nguyễn Văn An"})
        assert response.status_code == 302
        assert len(updates_of(child)) == 1  # the second save changed nothing

    def test_a_form_without_its_version_is_refused(self, personas: Personas,
                                                  child: Child) -> None:
        client = login(Client(), personas.officer)
        data = form_data(page(client.get(edit(child))), action="")
        del data["version"]
        shown = page(client.post(edit(child), {**data, "full_name": "Nguyễn Văn An"}))
        assert "Không rõ bạn sửa trên phiên bản nào của hồ sơ" in shown
        assert Child.objects.get(pk=child.pk).full_name == "Nguyễn Văn Ann"


class ChildUpdateServiceTests:
    def test_a_conflict_names_each_field_with_mine_theirs_and_base(
        self, personas: Personas, colleague: User, child: Child,
    ) -> None:
        services.child_update(actor=personas.officer, child=child, base_version=1,
                              full_name="Nguyễn Văn An")
        stale = Child.objects.get(pk=child.pk)
        with pytest.raises(EditConflict) as raised:
            services.child_update(actor=colleague, child=stale, base_version=1,
                                  base={"full_name": "Nguyễn Văn Ann"},
                                  full_name="Nguyễn Văn Anh")
        [conflict] = raised.value.conflicts
        assert (conflict.field, conflict.mine, conflict.theirs, conflict.base) == (
            "full_name", "Nguyễn Văn Anh", "Nguyễn Văn An", "Nguyễn Văn Ann")
        assert conflict.saved_by == "officer_a"
        assert raised.value.version == 2 and raised.value.base_version == 1
        assert "Họ và tên" in raised.value.message and "Nguyễn Văn An" in raised.value.message

    def test_without_the_values_read_a_stale_change_of_a_field_is_a_conflict(
        self, personas: Personas, colleague: User, child: Child,
    ) -> None:
        """An API client sends only its version: any field it sets that now holds another
        value may be one it would undo."""
        services.child_update(actor=personas.officer, child=child, base_version=1,
                              school_status="dropped_out")
        with pytest.raises(EditConflict) as raised:
            services.child_update(actor=colleague, child=child, base_version=1,
                                  full_name="Nguyễn Văn An")
        [conflict] = raised.value.conflicts
        assert (conflict.field, conflict.base) == ("full_name", UNKNOWN)
        assert Child.objects.get(pk=child.pk).full_name == "Nguyễn Văn Ann"

    def test_the_current_version_applies_and_every_write_raises_it(
        self, personas: Personas, child: Child, tree: Tree,
    ) -> None:
        updated = services.child_update(actor=personas.officer, child=child, base_version=1,
                                        full_name="Nguyễn Văn An")
        assert updated.version == 2
        moved = services.child_move(actor=personas.officer, child=updated,
                                    commune=tree.commune_a, village=tree.village_a,
                                    moved_on=timezone.localdate())
        assert moved.version == 3 == Child.objects.get(pk=child.pk).version

    def test_a_change_that_changes_nothing_keeps_the_version(
        self, personas: Personas, child: Child,
    ) -> None:
        services.child_update(actor=personas.officer, child=child, base_version=1,
                              full_name="Nguyễn Văn Ann")
        assert Child.objects.get(pk=child.pk).version == 1
        assert updates_of(child) == []


class OtherWritesTests:
    def test_a_merge_raises_the_version_of_both_records(self, personas: Personas,
                                                       tree: Tree, child: Child) -> None:
        from treem.registry.dedup import merging

        duplicate = make_child(commune=tree.commune_a, full_name="Nguyễn Văn Ann",
                               personal_id="004215000123")
        merging.child_merge(actor=personas.officer, kept=child, merged=duplicate,
                            reason="Trùng")
        assert Child.objects.get(pk=child.pk).version == 2  # its personal id filled in
        assert Child.objects.get(pk=duplicate.pk).version == 3  # gave it up, then merged

    def test_ending_a_row_another_officer_ended_meanwhile_is_refused(
        self, personas: Personas, colleague: User, child: Child,
    ) -> None:
        from treem.registry import exceptions as exc
        from treem.registry.models import ChildRisk
        from treem.registry.tests.factories import make_risk

        risk = make_risk(child=child, start_date=datetime.date(2025, 1, 1))
        stale = ChildRisk.objects.get(pk=risk.pk)
        services.history_end(actor=personas.officer, row=risk,
                             end_date=datetime.date(2025, 6, 30))
        with pytest.raises(ValidationError) as raised:
            services.history_end(actor=colleague, row=stale, end_date=datetime.date(2025, 9, 1))
        assert raised.value.messages == [str(exc.ALREADY_ENDED)]
        assert ChildRisk.objects.get(pk=risk.pk).end_date == datetime.date(2025, 6, 30)

    def test_editing_a_caregiver_removed_meanwhile_is_refused(
        self, personas: Personas, colleague: User, child: Child,
    ) -> None:
        caregiver = make_caregiver(child=child, full_name="Nguyễn Thị Hoa")
        url = reverse("registry:caregiver_edit", args=[caregiver.public_id])
        client = login(Client(), colleague)
        data = form_data(page(client.get(url)), action="")
        services.caregiver_remove(actor=personas.officer, caregiver=caregiver)
        assert client.post(url, {**data, "phone": "0912 345 678"}).status_code == 404
        assert not Caregiver.objects.exists()


class HouseholdAndCaregiverEditTests:
    def test_a_stale_household_form_merges_and_refuses_what_changed_since(
        self, personas: Personas, colleague: User, tree: Tree,
    ) -> None:
        household = make_household(commune=tree.commune_a, head_name="Nông Văn Dền")
        url = reverse("registry:household_edit", args=[household.public_id])
        first, second = login(Client(), personas.officer), login(Client(), colleague)
        mine, theirs = both_read(url, first, second)
        assert first.post(url, {**mine, "head_name": "Nông Văn Đền"}).status_code == 302

        refused = page(second.post(url, {**theirs, "head_name": "Nông Văn Dên"}))
        assert 'name="keep_head_name"' in refused and "Nông Văn Đền" in refused
        assert Household.objects.get(pk=household.pk).head_name == "Nông Văn Đền"

        assert second.post(url, {**theirs, "poverty_status": "poor"}).status_code == 302
        household.refresh_from_db()
        assert (household.head_name, household.poverty_status) == ("Nông Văn Đền", "poor")
        assert updates_of(household)[-1].changed_fields == ["poverty_status"]

    def test_a_stale_caregiver_form_merges_and_refuses_what_changed_since(
        self, personas: Personas, colleague: User, child: Child,
    ) -> None:
        caregiver = make_caregiver(child=child, full_name="Nguyễn Thị Hoa")
        url = reverse("registry:caregiver_edit", args=[caregiver.public_id])
        first, second = login(Client(), personas.officer), login(Client(), colleague)
        mine, theirs = both_read(url, first, second)
        assert first.post(url, {**mine, "phone": "0912 345 678"}).status_code == 302

        refused = page(second.post(url, {**theirs, "phone": "0987 654 321"}))
        assert 'name="keep_phone"' in refused and "0912 345 678" in refused
        assert Caregiver.objects.get(pk=caregiver.pk).phone == "0912 345 678"

        assert second.post(url, {**theirs, "birth_year": "1990"}).status_code == 302
        caregiver.refresh_from_db()
        assert (caregiver.phone, caregiver.birth_year) == ("0912 345 678", 1990)
        assert updates_of(caregiver)[-1].changed_fields == ["birth_year"]

    def test_the_outsider_cannot_open_either_form(self, personas: Personas, tree: Tree,
                                                 child: Child) -> None:
        household = make_household(commune=tree.commune_a, head_name="Nông Văn Dền")
        caregiver = make_caregiver(child=child, full_name="Nguyễn Thị Hoa")
        client = login(Client(), personas.outsider)
        for url in (reverse("registry:household_edit", args=[household.public_id]),
                    reverse("registry:caregiver_edit", args=[caregiver.public_id])):
            assert client.get(url).status_code == 404
            assert client.post(url, {"version": 1, "head_name": "X", "full_name": "X",
                                     "relation": "mother"}).status_code == 404
        assert Household.objects.get(pk=household.pk).head_name == "Nông Văn Dền"


class ChildApiVersionTests:
    def test_get_gives_the_version_as_etag(self, personas: Personas, child: Child) -> None:
        response = login(Client(), personas.officer).get(one(child))
        assert response["ETag"] == '"1"' and response.json()["version"] == 1

    def test_a_write_with_the_current_etag_applies_and_answers_the_next(
        self, personas: Personas, child: Child,
    ) -> None:
        response = login(Client(), personas.officer).patch(
            one(child), {"full_name": "Nguyễn Văn An"}, content_type=JSON,
            headers={"If-Match": '"1"'})
        assert response.status_code == 200 and response["ETag"] == '"2"'
        assert Child.objects.get(pk=child.pk).full_name == "Nguyễn Văn An"

    def test_a_stale_etag_is_412_with_both_values_in_vietnamese(
        self, personas: Personas, colleague: User, child: Child,
    ) -> None:
        services.child_update(actor=colleague, child=child, base_version=1,
                              full_name="Nguyễn Văn An")
        response = login(Client(), personas.officer).patch(
            one(child), {"full_name": "Nguyễn Văn Anh"}, content_type=JSON,
            headers={"If-Match": '"1"'})
        assert response.status_code == 412 and response["ETag"] == '"2"'
        body = response.json()
        assert "Họ và tên" in body["detail"]
        assert "Nguyễn Văn Anh" in body["detail"] and "Nguyễn Văn An" in body["detail"]
        assert body["conflicts"] == [{
            "field": "full_name", "label": "Họ và tên", "mine": "Nguyễn Văn Anh",
            "theirs": "Nguyễn Văn An", "saved_by": "Lò Thị Hằng",
            "saved_at": body["conflicts"][0]["saved_at"]}]
        assert body["version"] == 2
        assert Child.objects.get(pk=child.pk).full_name == "Nguyễn Văn An"

    def test_a_write_without_if_match_is_428(self, personas: Personas, child: Child) -> None:
        response = login(Client(), personas.officer).patch(
            one(child), {"full_name": "Nguyễn Văn An"}, content_type=JSON)
        assert response.status_code == 428
        assert "If-Match" in response.json()["detail"]
        assert Child.objects.get(pk=child.pk).full_name == "Nguyễn Văn Ann"

    @pytest.mark.parametrize("header", ['"x"', "W/", '"1", "2"x'])
    def test_a_malformed_if_match_is_refused(self, personas: Personas, child: Child,
                                            header: str) -> None:
        response = login(Client(), personas.officer).patch(
            one(child), {"full_name": "Nguyễn Văn An"}, content_type=JSON,
            headers={"If-Match": header})
        assert response.status_code in (412, 422)
        assert Child.objects.get(pk=child.pk).full_name == "Nguyễn Văn Ann"

    def test_if_match_star_writes_whatever_the_version(
        self, personas: Personas, colleague: User, child: Child,
    ) -> None:
        services.child_update(actor=colleague, child=child, base_version=1,
                              school_status="dropped_out")
        response = login(Client(), personas.officer).patch(
            one(child), {"full_name": "Nguyễn Văn An"}, content_type=JSON,
            headers={"If-Match": "*"})
        assert response.status_code == 200
        assert Child.objects.get(pk=child.pk).full_name == "Nguyễn Văn An"

    def test_the_openapi_document_describes_the_header_and_the_answers(
        self, client: Client,
    ) -> None:
        document = client.get("/api/v1/openapi.json").json()
        operation = document["paths"]["/api/v1/children/{child_id}"]["patch"]
        [header] = [p for p in operation["parameters"] if p["in"] == "header"]
        assert header["name"] == "If-Match" and header["required"] is True
        assert {"200", "412", "428"} <= set(operation["responses"])
        getter = document["paths"]["/api/v1/children/{child_id}"]["get"]
        assert "ETag" in getter["responses"]["200"]["headers"]


class ImportVersionTests:
    def test_an_import_that_changes_a_child_raises_its_version_and_its_caregivers(
        self, personas: Personas, settings: Any,
    ) -> None:
        """The Excel import writes in bulk, not through `child_update`: its writes raise the
        version the same way, so that a form read before the import cannot undo it."""
        from treem.registry.tests.test_import import commit, last_job, row, upload, xlsx

        settings.TREEM_IMPORT_SYNC = True
        client = login(Client(), personas.officer)
        upload(client, xlsx([row()]))
        commit(client, last_job(), "all")
        child = Child.objects.get()
        assert (child.version, child.caregivers.get().version) == (1, 1)

        upload(client, xlsx([row(school_level="Tiểu học", caregiver_phone="0987654321")]))
        commit(client, last_job(), "all")

        child.refresh_from_db()
        assert (child.school_level, child.version) == ("primary", 2)
        assert child.caregivers.get().version == 2


# --- Two transactions at once (PostgreSQL) -------------------------------------------------------

@pytest.fixture
def committed(committed: None) -> None:
    """A committed database both threads' connections read, with the catalogues."""
    load_catalogues()


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="two writing transactions at once need PostgreSQL (the test SQLite "
                           "database is in memory, shared by the threads' connections)")
# serialized_rollback, as the import's crash tests: a plain flush after each test takes the
# catalogues the migrations loaded from every later test, and recreates the content types a
# later serialized restore then collides with (test_import_crash.py errored at set-up).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class ConcurrentEditTests:
    def _world(self) -> tuple[Personas, User, Child]:
        tree = make_tree()
        personas = make_personas(tree)
        colleague = make_user("officer_a2", role=Role.COMMUNE_OFFICER, unit=tree.commune_a,
                              full_name="Lò Thị Hằng")
        child = make_child(commune=tree.commune_a, full_name="Nguyễn Văn Ann")
        Child.objects.filter(pk=child.pk).update(
            created_at=timezone.make_aware(datetime.datetime(2024, 1, 5)))
        return personas, colleague, Child.objects.get(pk=child.pk)

    def test_two_saves_of_one_field_at_once_one_wins_the_other_is_told(
        self, committed: None, monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        personas, colleague, child = self._world()
        # Each request reads the record itself, both before either saves.
        mine, theirs = Child.objects.get(pk=child.pk), Child.objects.get(pk=child.pk)
        results = in_turn(
            lambda: services.child_update(actor=personas.officer, child=mine, base_version=1,
                                          base={"full_name": "Nguyễn Văn Ann"},
                                          full_name="Nguyễn Văn An"),
            lambda: services.child_update(actor=colleague, child=theirs, base_version=1,
                                          base={"full_name": "Nguyễn Văn Ann"},
                                          full_name="Nguyễn Văn Anh"),
            holding=(services, "_lock_child"), monkeypatch=monkeypatch)
        assert isinstance(results["first"], Child)
        assert isinstance(results["second"], EditConflict)
        [conflict] = results["second"].conflicts
        assert (conflict.mine, conflict.theirs) == ("Nguyễn Văn Anh", "Nguyễn Văn An")
        saved = Child.objects.get(pk=child.pk)
        assert (saved.full_name, saved.version) == ("Nguyễn Văn An", 2)
        assert [e.changed_fields for e in updates_of(child)] == [["full_name"]]

    def test_two_saves_of_different_fields_at_once_both_stay(
        self, committed: None, monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        personas, colleague, child = self._world()
        mine, theirs = Child.objects.get(pk=child.pk), Child.objects.get(pk=child.pk)
        results = in_turn(
            lambda: services.child_update(actor=personas.officer, child=mine, base_version=1,
                                          base={"full_name": "Nguyễn Văn Ann"},
                                          full_name="Nguyễn Văn An"),
            lambda: services.child_update(actor=colleague, child=theirs, base_version=1,
                                          base={"school_status": "na"},
                                          school_status="dropped_out"),
            holding=(services, "_lock_child"), monkeypatch=monkeypatch)
        assert isinstance(results["first"], Child) and isinstance(results["second"], Child)
        saved = Child.objects.get(pk=child.pk)
        assert (saved.full_name, saved.school_status, saved.version) == (
            "Nguyễn Văn An", "dropped_out", 3)
        assert [e.changed_fields for e in updates_of(child)] == [["full_name"],
                                                                 ["school_status"]]
        # The second closed the value it replaced, read after the first had committed.
        [past] = ChildStatusPast.objects.filter(child=child)
        assert (past.field, past.value) == ("school_status", "na")

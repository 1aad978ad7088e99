"""Two workers editing one case's support plan (Mẫu 04): a stale save never silently replaces
the other's goal or items (the version check of `treem.edits.conflicts`, as for the facts).

The plan is one document of two fields: the goal, and the list of items as a whole."""

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from treem.accounts.models import User
from treem.accounts.roles import Role
from treem.audit.models import Action, AuditEvent
from treem.cases import services
from treem.cases.models import Case, Plan
from treem.cases.tests.test_assessments import ITEM, _to_planning
from treem.cases.tests.test_facts_and_lists import _open
from treem.edits.conflicts import EditConflict
from treem.registry.catalogues import load_catalogues
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
TODAY = timezone.localdate
SECOND = {**ITEM, "task": "Hỗ trợ học tập", "provider": "", "cost": 0}


def _colleague(tree: Tree) -> User:
    return make_user("officer_a2", role=Role.COMMUNE_OFFICER, unit=tree.commune_a,
                     full_name="Lò Thị Hằng")


def _planning_case(tree: Tree, personas: Personas, colleague: User) -> Case:
    """A case at the planning step with two workers and a draft plan (version 1)."""
    case = _case_to_plan(tree, personas, colleague, "Lý Văn Páo")
    services.plan_save(actor=personas.officer, case=case, goal="An toàn", items=[ITEM])
    return case


def _case_to_plan(tree: Tree, personas: Personas, colleague: User, name: str) -> Case:
    """A case at the planning step with two workers and no plan yet."""
    case = _open(personas, tree.commune_a, name,
                 received_at=timezone.now() - datetime.timedelta(days=1))
    services.case_move(actor=personas.officer, case=case, move="verify")
    services.case_assign(actor=personas.officer, case=case, worker=colleague)
    _to_planning(case, personas)
    return case


@pytest.fixture
def colleague(tree: Tree) -> User:
    return _colleague(tree)


@pytest.fixture
def case(tree: Tree, personas: Personas, colleague: User) -> Case:
    return _planning_case(tree, personas, colleague)


def draft(case: Case) -> Plan:
    return Plan.objects.get(case=case, submitted_at__isnull=True)


def plan_state(case: Case) -> tuple[str, list[str], int]:
    plan = draft(case)
    return plan.goal, list(plan.items.values_list("task", flat=True)), plan.version


def plan_updates(case: Case) -> list[list[str]]:
    return [e.changed_fields for e in AuditEvent.objects.filter(
        action=Action.UPDATE, object_id=str(case.public_id)).order_by("id")
        if any(name.startswith("plan_") for name in e.changed_fields)]


pytestmark = pytest.mark.django_db


class PlanServiceVersionTests:
    def test_a_fresh_save_writes_and_raises_the_version(
        self, case: Case, personas: Personas,
    ) -> None:
        assert plan_state(case) == ("An toàn", [ITEM["task"]], 1)
        services.plan_save(actor=personas.officer, case=case, base_version=1,
                           base={"goal": "An toàn"}, goal="Trẻ được an toàn")
        assert plan_state(case) == ("Trẻ được an toàn", [ITEM["task"]], 2)
        assert plan_updates(case) == [["plan_goal", "plan_items"], ["plan_goal"]]

    def test_a_save_that_changes_nothing_writes_and_records_nothing(
        self, case: Case, personas: Personas,
    ) -> None:
        events = AuditEvent.objects.count()
        services.plan_save(actor=personas.officer, case=case, base_version=1,
                           goal="An toàn", items=[{**ITEM, "task": f" {ITEM['task']} "}])
        assert plan_state(case) == ("An toàn", [ITEM["task"]], 1)
        assert AuditEvent.objects.count() == events

    def test_a_stale_save_of_the_same_field_is_refused_with_both_values(
        self, case: Case, personas: Personas, colleague: User,
    ) -> None:
        services.plan_save(actor=personas.officer, case=case, base_version=1,
                           base={"items": [ITEM]}, items=[ITEM, SECOND])
        before = (plan_state(case), AuditEvent.objects.count())

        with pytest.raises(EditConflict) as raised:
            services.plan_save(actor=colleague, case=case, base_version=1,
                               base={"goal": "An toàn", "items": [ITEM]},
                               goal="Trẻ đi học đều", items=[{**ITEM, "cost": 0}])

        [conflict] = raised.value.conflicts
        assert (conflict.field, conflict.label) == ("items", "Các dịch vụ, công việc")
        assert "Hỗ trợ học tập" in conflict.theirs_text  # theirs, readable
        assert "Hỗ trợ học tập" not in conflict.mine_text and "0 đồng" in conflict.mine_text
        assert conflict.saved_by == personas.officer.full_name
        assert (raised.value.version, raised.value.base_version) == (2, 1)
        message = raised.value.message
        assert "Các dịch vụ, công việc" in message and "Tư vấn tâm lý cho trẻ" in message
        # Nothing written: not the goal either, though nobody else changed it.
        assert (plan_state(case), AuditEvent.objects.count()) == before

    def test_a_stale_save_of_the_goal_is_refused_with_both_goals(
        self, case: Case, personas: Personas, colleague: User,
    ) -> None:
        services.plan_save(actor=personas.officer, case=case, base_version=1,
                           base={"goal": "An toàn"}, goal="Trẻ được an toàn")
        with pytest.raises(EditConflict) as raised:
            services.plan_save(actor=colleague, case=case, base_version=1,
                               base={"goal": "An toàn"}, goal="Trẻ đi học đều")
        [conflict] = raised.value.conflicts
        assert (conflict.field, conflict.mine, conflict.theirs, conflict.base) == (
            "goal", "Trẻ đi học đều", "Trẻ được an toàn", "An toàn")
        assert plan_state(case) == ("Trẻ được an toàn", [ITEM["task"]], 2)

    def test_a_stale_save_of_the_other_field_merges(
        self, case: Case, personas: Personas, colleague: User,
    ) -> None:
        services.plan_save(actor=personas.officer, case=case, base_version=1,
                           base={"goal": "An toàn"}, goal="Trẻ được an toàn")
        services.plan_save(actor=colleague, case=case, base_version=1,
                           base={"items": [ITEM]}, items=[ITEM, SECOND])
        assert plan_state(case) == ("Trẻ được an toàn", [ITEM["task"], SECOND["task"]], 3)
        assert plan_updates(case)[1:] == [["plan_goal"], ["plan_items"]]

    def test_an_api_client_without_the_base_is_refused_a_field_saved_since(
        self, case: Case, personas: Personas, colleague: User,
    ) -> None:
        services.plan_save(actor=personas.officer, case=case, base_version=1,
                           base={"goal": "An toàn"}, goal="Trẻ được an toàn")
        with pytest.raises(EditConflict) as raised:
            services.plan_save(actor=colleague, case=case, base_version=1, goal="An toàn",
                               items=[ITEM])
        assert raised.value.fields == ["goal"]

    def test_a_systems_own_write_is_not_checked(
        self, case: Case, personas: Personas, colleague: User,
    ) -> None:
        services.plan_save(actor=personas.officer, case=case, base_version=1,
                           goal="Trẻ được an toàn")
        services.plan_save(actor=colleague, case=case, goal="Trẻ đi học đều")
        assert plan_state(case)[0] == "Trẻ đi học đều"

    def test_a_draft_returned_and_copied_continues_the_versions(
        self, case: Case, personas: Personas,
    ) -> None:
        """A page read from the returned draft (version 1) must not match the copy's version."""
        services.case_move(actor=personas.officer, case=case, move="submit_plan")
        services.case_move(actor=personas.chairman, case=case, move="return_plan")
        assert plan_state(case)[2] == 2
        with pytest.raises(EditConflict):
            services.plan_save(actor=personas.officer, case=case, base_version=1,
                               base={"goal": "Khác"}, goal="Trẻ đi học đều")


def read_plan_form(client: Client, case: Case) -> dict[str, Any]:
    response = client.get(reverse("cases:case_detail", args=[case.public_id]))
    assert response.status_code == 200
    return form_data(response.content.decode(),
                     action=reverse("cases:plan_save", args=[case.public_id]))


def two_pages(case: Case, *users: User) -> tuple[str, Client, Client, dict[str, Any],
                                                 dict[str, Any]]:
    """The plan's save address, and two workers' clients with the form each read."""
    url = reverse("cases:plan_save", args=[case.public_id])
    first, second = (login(Client(), user) for user in users)
    return url, first, second, read_plan_form(first, case), read_plan_form(second, case)


class StalePlanPageTests:
    def test_a_stale_page_that_changed_the_items_keeps_the_goal_saved_since(
        self, case: Case, personas: Personas, colleague: User,
    ) -> None:
        url, first, second, mine, theirs = two_pages(case, personas.officer, colleague)
        assert (mine["version"], mine["task_1"]) == ("1", ITEM["task"])

        assert first.post(url, {**mine, "goal": "Trẻ được an toàn"}).status_code == 302
        response = second.post(url, {**theirs, "task_2": "Hỗ trợ học tập",
                                     "responsible_2": "Nhà trường",
                                     "starts_on_2": TODAY().isoformat(),
                                     "ends_on_2": TODAY().isoformat()})

        assert response.status_code == 302
        assert plan_state(case) == ("Trẻ được an toàn", [ITEM["task"], "Hỗ trợ học tập"], 3)
        assert plan_updates(case)[1:] == [["plan_goal"], ["plan_items"]]

    def test_a_stale_change_of_the_items_shows_both_lists_keeps_the_input_writes_nothing(
        self, case: Case, personas: Personas, colleague: User,
    ) -> None:
        url, first, second, mine, theirs = two_pages(case, personas.officer, colleague)
        first.post(url, {**mine, "task_1": "Khám sức khỏe"})
        before = (plan_state(case), AuditEvent.objects.count())

        response = second.post(url, {**theirs, "task_1": "Tư vấn cho gia đình",
                                     "goal": "Trẻ đi học đều"})

        assert response.status_code == 200
        shown = response.content.decode()
        assert "Trong lúc bạn sửa, người khác đã lưu hồ sơ này." in shown
        assert "Các dịch vụ, công việc" in shown and "Giá trị của bạn" in shown
        assert "1. Khám sức khỏe — " in shown and "1. Tư vấn cho gia đình — " in shown
        assert personas.officer.full_name in shown  # who saved the other list
        assert 'name="keep_items"' in shown and 'name="keep_goal"' not in shown
        again = form_data(shown, action=url)
        # The officer's input is kept: the row typed, and the goal, not a conflict.
        assert (again["task_1"], again["goal"], again["version"]) == (
            "Tư vấn cho gia đình", "Trẻ đi học đều", "2")
        assert (plan_state(case), AuditEvent.objects.count()) == before

        # Saved without choosing: asked again, nothing written.
        asked = second.post(url, again)
        assert asked.status_code == 200 and "Hãy chọn giữ giá trị nào." in asked.content.decode()
        assert plan_state(case) == before[0]

        assert second.post(url, {**again, "keep_items": "mine"}).status_code == 302
        assert plan_state(case) == ("Trẻ đi học đều", ["Tư vấn cho gia đình"], 3)

    def test_keeping_the_saved_items_saves_only_the_goal(
        self, case: Case, personas: Personas, colleague: User,
    ) -> None:
        url, first, second, mine, theirs = two_pages(case, personas.officer, colleague)
        first.post(url, {**mine, "task_1": "Khám sức khỏe"})
        shown = second.post(url, {**theirs, "task_1": "Tư vấn cho gia đình",
                                  "goal": "Trẻ đi học đều"}).content.decode()
        again = form_data(shown, action=url)
        assert second.post(url, {**again, "keep_items": "theirs"}).status_code == 302
        assert plan_state(case) == ("Trẻ đi học đều", ["Khám sức khỏe"], 3)

    def test_two_workers_writing_the_first_draft_at_once(
        self, tree: Tree, personas: Personas, colleague: User,
    ) -> None:
        """No draft yet (version 0): the second first draft does not replace the first."""
        case = _case_to_plan(tree, personas, colleague, "Hà Thị Mai")
        url, first, second, mine, theirs = two_pages(case, personas.officer, colleague)
        assert mine["version"] == "0"
        assert first.post(url, {**mine, "goal": "An toàn"}).status_code == 302
        response = second.post(url, {**theirs, "goal": "Đi học đều"})
        assert response.status_code == 200 and 'name="keep_goal"' in response.content.decode()
        assert plan_state(case) == ("An toàn", [], 1)

    def test_an_officer_of_another_commune_is_not_found(
        self, case: Case, personas: Personas,
    ) -> None:
        url = reverse("cases:plan_save", args=[case.public_id])
        data = read_plan_form(login(Client(), personas.officer), case)
        response = login(Client(), personas.outsider).post(url, {**data, "goal": "Khác"})
        assert response.status_code == 404
        assert plan_state(case) == ("An toàn", [ITEM["task"]], 1)


def api_item(item: dict[str, Any]) -> dict[str, Any]:
    return {**item, "starts_on": item["starts_on"].isoformat(),
            "ends_on": item["ends_on"].isoformat(), "cost": int(item["cost"])}


class PlanApiVersionTests:
    def test_etag_if_match_428_and_412(self, case: Case, personas: Personas,
                                       colleague: User) -> None:
        client = login(Client(), personas.officer)
        plan = draft(case)
        assert client.get(f"/api/v1/plans/{plan.public_id}")["ETag"] == '"1"'
        url = f"/api/v1/cases/{case.public_id}/plan"
        body = {"goal": "Trẻ được an toàn", "items": [api_item(ITEM)]}
        missing = client.put(url, body, content_type=JSON)
        assert missing.status_code == 428 and "If-Match" in missing.json()["detail"]
        saved = client.put(url, body, content_type=JSON, headers={"If-Match": '"1"'})
        assert saved.status_code == 200 and saved["ETag"] == '"2"'
        assert saved.json()["version"] == 2

        stale = login(Client(), colleague).put(
            url, {"goal": "An toàn", "items": [api_item(ITEM)]},
            content_type=JSON, headers={"If-Match": '"1"'})
        assert stale.status_code == 412 and stale["ETag"] == '"2"'
        [conflict] = stale.json()["conflicts"]
        assert (conflict["field"], conflict["mine"], conflict["theirs"]) == (
            "goal", "An toàn", "Trẻ được an toàn")
        assert "Mục tiêu" in stale.json()["detail"]
        assert plan_state(case) == ("Trẻ được an toàn", [ITEM["task"]], 2)

        items = login(Client(), colleague).put(
            url, {"goal": "Trẻ được an toàn", "items": [api_item(SECOND)]},
            content_type=JSON, headers={"If-Match": '"1"'})
        # Without the values read, an item list other than the one saved is a conflict too:
        # the client may be undoing a change it never saw.
        assert items.status_code == 412 and items.json()["version"] == 2
        [conflict] = items.json()["conflicts"]
        assert conflict["field"] == "items" and conflict["theirs"][0]["task"] == ITEM["task"]

    def test_the_openapi_document_describes_the_header_and_the_answers(
        self, client: Client,
    ) -> None:
        document = client.get("/api/v1/openapi.json").json()
        operation = document["paths"]["/api/v1/cases/{case_id}/plan"]["put"]
        [header] = [p for p in operation["parameters"] if p["in"] == "header"]
        assert header["name"] == "If-Match" and header["required"] is True
        assert {"200", "412", "428"} <= set(operation["responses"])
        getter = document["paths"]["/api/v1/plans/{plan_id}"]["get"]
        assert "ETag" in getter["responses"]["200"]["headers"]


# --- Two transactions at once (PostgreSQL) -------------------------------------------------------

@pytest.fixture
def committed(committed: None) -> None:
    """A committed database both threads' connections read, with the catalogues."""
    load_catalogues()


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="two writing transactions at once need PostgreSQL (the test SQLite "
                           "database is in memory, shared by the threads' connections)")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class ConcurrentPlanSaveTests:
    def test_two_first_drafts_at_once_make_one_draft_and_one_conflict(
        self, committed: None, monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """Neither page read a draft (version 0): without the case's lock both would create
        one, the case then holding two drafts."""
        tree = make_tree()
        personas = make_personas(tree)
        colleague = _colleague(tree)
        case = _case_to_plan(tree, personas, colleague, "Hà Thị Mai")
        results = in_turn(
            lambda: services.plan_save(actor=personas.officer, case=case, base_version=0,
                                       base={"goal": ""}, goal="An toàn"),
            lambda: services.plan_save(actor=colleague, case=case, base_version=0,
                                       base={"goal": "", "items": []}, goal="Đi học đều",
                                       items=[ITEM]),
            holding=(services, "_require_worker"), monkeypatch=monkeypatch)
        assert isinstance(results["first"], Plan)
        assert isinstance(results["second"], EditConflict)
        assert results["second"].fields == ["goal"]
        assert plan_state(case) == ("An toàn", [], 1)
        assert Plan.objects.filter(case=case).count() == 1

    def test_two_saves_of_different_fields_at_once_both_stay(
        self, committed: None, monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        tree = make_tree()
        personas = make_personas(tree)
        colleague = _colleague(tree)
        case = _planning_case(tree, personas, colleague)
        results = in_turn(
            lambda: services.plan_save(actor=personas.officer, case=case, base_version=1,
                                       base={"goal": "An toàn"}, goal="Trẻ được an toàn"),
            lambda: services.plan_save(actor=colleague, case=case, base_version=1,
                                       base={"items": [ITEM]}, items=[ITEM, SECOND]),
            holding=(services, "_require_worker"), monkeypatch=monkeypatch)
        assert isinstance(results["first"], Plan) and isinstance(results["second"], Plan)
        assert plan_state(case) == ("Trẻ được an toàn", [ITEM["task"], SECOND["task"]], 3)

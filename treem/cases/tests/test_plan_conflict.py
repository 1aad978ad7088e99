"""Two workers editing one case's support plan (Mẫu 04): a stale save never silently replaces
the other's goal or items (the version check of `treem.edits.conflicts`, as for the facts).

The plan is one document of two fields: the goal, and the list of items as a whole."""

import datetime
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from treem.accounts.models import User
from treem.accounts.roles import Role
from treem.audit import triggers
from treem.audit.models import Action, AuditEvent
from treem.cases import services
from treem.cases.models import Case, Plan
from treem.cases.tests.test_assessments import ITEM, _to_planning
from treem.cases.tests.test_facts_and_lists import _open
from treem.edits.conflicts import EditConflict
from treem.registry.catalogues import load_catalogues
from treem.testing import Personas, Tree, form_data, login, make_personas, make_tree, make_user

JSON = "application/json"
TODAY = timezone.localdate
SECOND = {**ITEM, "task": "Hỗ trợ học tập", "provider": "", "cost": 0}


def _colleague(tree: Tree) -> User:
    return make_user("officer_a2", role=Role.COMMUNE_OFFICER, unit=tree.commune_a,
                     full_name="Lò Thị Hằng")


def _planning_case(tree: Tree, personas: Personas, colleague: User) -> Case:
    """A case at the planning step with two workers and a draft plan (version 1)."""
    case = _open(personas, tree.commune_a, "Lý Văn Páo",
                 received_at=timezone.now() - datetime.timedelta(days=1))
    services.case_move(actor=personas.officer, case=case, move="verify")
    services.case_assign(actor=personas.officer, case=case, worker=colleague)
    _to_planning(case, personas)
    services.plan_save(actor=personas.officer, case=case, goal="An toàn", items=[ITEM])
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

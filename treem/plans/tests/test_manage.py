"""The office keeping a unit's plans: a new plan, a task given to an agency, the agencies and
their focal points — from the pages, with bad input refused and other units out of reach."""

import pytest
from django.test import Client
from django.urls import reverse

from treem.plans.models import Agency, FocalPoint, Plan, Task
from treem.plans.tests.factories import make_agency, make_plan
from treem.testing import Personas, Tree, login

NEW_PLAN = reverse("plans:plan_create")
AGENCIES = reverse("plans:agency_list")


def plan_form(unit: object, **values: str) -> dict[str, str]:
    return {"unit": str(unit.public_id), "title": "Kế hoạch công tác trẻ em năm 2026",  # type: ignore[attr-defined]
            "number": "15/KH-UBND", "issued_on": "10/01/2026", "start_year": "2026",
            "end_year": "2026", "status": "in_force"} | values


class PlanPageTests:
    def test_the_province_office_makes_a_plan(self, client: Client, personas: Personas,
                                              tree: Tree) -> None:
        login(client, personas.province_officer)
        answer = client.post(NEW_PLAN, plan_form(tree.province))
        plan = Plan.objects.get()
        assert answer.status_code == 302 and answer["Location"].endswith(f"{plan.public_id}/")
        assert (plan.unit, plan.number, plan.created_by) == (tree.province, "15/KH-UBND",
                                                             personas.province_officer)

    def test_years_out_of_order_are_refused_with_the_message(
            self, client: Client, personas: Personas, tree: Tree) -> None:
        login(client, personas.province_officer)
        page = client.post(NEW_PLAN, plan_form(tree.province, start_year="2027"))
        assert "Năm kết thúc không được trước năm bắt đầu." in page.content.decode()
        assert not Plan.objects.exists()

    def test_a_commune_officer_cannot_make_another_communes_plan(
            self, client: Client, personas: Personas, tree: Tree) -> None:
        login(client, personas.officer)
        page = client.post(NEW_PLAN, plan_form(tree.commune_b)).content.decode()
        assert "Hãy chọn đơn vị." in page and not Plan.objects.exists()
        assert client.post(NEW_PLAN, plan_form(tree.commune_a)).status_code == 302

    def test_roles_that_keep_no_plan_get_403(self, client: Client, personas: Personas) -> None:
        for persona in (personas.sector_focal, personas.auditor, personas.collaborator):
            login(client, persona)
            assert client.get(NEW_PLAN).status_code == 403
            assert client.get(AGENCIES).status_code == 403


class TaskPageTests:
    @pytest.fixture
    def plan(self, tree: Tree) -> Plan:
        make_agency(tree.province, "Công an tỉnh")
        make_agency(tree.province, "Sở Y tế")
        return make_plan(tree.province)

    def test_a_task_is_given_to_a_lead_agency_with_partners(
            self, client: Client, personas: Personas, plan: Plan) -> None:
        login(client, personas.province_officer)
        url = reverse("plans:task_create", args=[plan.public_id])
        police, health = Agency.objects.get(name="Công an tỉnh"), Agency.objects.get(
            name="Sở Y tế")
        refused = client.post(url, {"section": "IV.1", "text": "Điều tra", "time_frame": "yearly"})
        assert "Hãy chọn cơ quan chủ trì nhiệm vụ." in refused.content.decode()
        outside = client.post(url, {"section": "IV.1", "text": "Điều tra", "lead": police.public_id,
                                    "time_frame": "year", "year": "2030"})
        assert "nằm ngoài thời gian của kế hoạch" in outside.content.decode()
        assert not Task.objects.exists()
        answer = client.post(url, {"section": "IV.1", "text": "Điều tra các vụ xâm hại",
                                   "lead": police.public_id, "cooperating": [health.public_id],
                                   "time_frame": "quarter", "year": "2026", "quarter": "4",
                                   "time_text": "quý IV/2026"})
        task = Task.objects.get()
        assert answer.status_code == 302 and f"#task-{task.public_id}" in answer["Location"]
        assert (task.lead, list(task.cooperating.all()), task.quarter) == (police, [health], 4)

    def test_a_commune_reads_the_provinces_plan_but_gives_it_no_task(
            self, client: Client, personas: Personas, plan: Plan, tree: Tree) -> None:
        login(client, personas.officer)
        assert client.get(reverse("plans:plan_detail", args=[plan.public_id])).status_code == 200
        assert client.get(reverse("plans:task_create", args=[plan.public_id])
                          ).status_code == 403
        theirs = make_plan(tree.commune_b)
        assert client.get(reverse("plans:task_create", args=[theirs.public_id])
                          ).status_code == 404


class AgencyPageTests:
    def test_agencies_and_their_focal_points_are_kept_by_the_units_office(
            self, client: Client, personas: Personas, tree: Tree) -> None:
        login(client, personas.province_officer)
        answer = client.post(AGENCIES, {"unit": str(tree.province.public_id),
                                        "name": "Công an tỉnh", "kind": "department"})
        assert answer.status_code == 302
        police = Agency.objects.get(name="Công an tỉnh")
        page = client.get(AGENCIES).content.decode()
        assert "Công an tỉnh" in page and personas.sector_focal.username in page
        url = reverse("plans:focal_point", args=[police.public_id])
        client.post(url, {"user": personas.sector_focal.username})
        assert FocalPoint.objects.get(revoked_at__isnull=True).user == personas.sector_focal
        # Someone who holds no focal point's role there is not offered, nor taken.
        client.post(url, {"user": personas.officer.username})
        assert FocalPoint.objects.count() == 1
        client.post(url, {"remove": personas.sector_focal.username})
        assert not FocalPoint.objects.filter(revoked_at__isnull=True).exists()
        twice = client.post(AGENCIES, {"unit": str(tree.province.public_id),
                                       "name": "Công an tỉnh", "kind": "department"})
        assert "Đơn vị đã có cơ quan tên “Công an tỉnh”." in twice.content.decode()

    def test_a_commune_officer_reaches_no_agency_of_the_province(
            self, client: Client, personas: Personas, tree: Tree) -> None:
        police = make_agency(tree.province, "Công an tỉnh")
        login(client, personas.officer)
        assert "Công an tỉnh" not in client.get(AGENCIES).content.decode()
        url = reverse("plans:focal_point", args=[police.public_id])
        assert client.post(url, {"user": personas.sector_focal.username}).status_code == 404
        assert client.post(AGENCIES, {"unit": str(tree.province.public_id), "name": "X",
                                      "kind": "department"}).status_code == 403
        assert not FocalPoint.objects.exists() and Agency.objects.count() == 1


class PlanStatusTests:
    def test_a_plan_is_ended_or_replaced_by_its_office_and_its_tasks_stop_waiting(
            self, client: Client, personas: Personas, tree: Tree) -> None:
        from treem.plans import exceptions as exc
        from treem.plans.tests.factories import make_task

        police = make_agency(tree.province, "Công an tỉnh")
        old, new = make_plan(tree.province, "Kế hoạch cũ"), make_plan(tree.province,
                                                                      "Kế hoạch mới")
        make_task(old, police)
        url = reverse("plans:plan_status", args=[old.public_id])
        login(client, personas.province_officer)
        client.post(url, {"status": "replaced"})
        old.refresh_from_db()
        assert old.status == "in_force"  # no replacement named: refused
        page = client.get(reverse("plans:plan_detail", args=[old.public_id])).content.decode()
        assert str(exc.REPLACEMENT_REQUIRED) in page
        client.post(url, {"status": "replaced", "replaced_by": str(new.public_id)})
        old.refresh_from_db()
        assert (old.status, old.replaced_by) == ("replaced", new)
        login(client, personas.officer)  # reads the province's plan, keeps none of it
        assert client.post(url, {"status": "in_force"}).status_code == 302
        old.refresh_from_db()
        assert old.status == "replaced"

"""The plan pages and API: who sees which plan, the tasks by agency, filters, empty states."""

import pytest
from django.test import Client
from django.urls import reverse

from treem.accounts.services import token_create
from treem.plans.models import Plan
from treem.plans.tests.factories import make_agency, make_plan, make_task
from treem.testing import Personas, Tree, login

LIST = reverse("plans:plan_list")


@pytest.fixture
def plans(tree: Tree) -> dict[str, Plan]:
    province = make_plan(tree.province, "Kế hoạch công tác trẻ em tỉnh Cao Bằng năm 2026",
                         number="12/KH-UBND")
    made = {
        "province": province,
        "commune_a": make_plan(tree.commune_a, "Kế hoạch của phường Thục Phán",
                               implements=province),
        "commune_b": make_plan(tree.commune_b, "Kế hoạch của xã Hòa An"),
        "old_district": make_plan(tree.old_district, "Kế hoạch của thành phố Cao Bằng cũ",
                                  start_year=2024, end_year=2024),
        "other_province": make_plan(tree.other_province, "Kế hoạch của Hà Nội"),
    }
    police = make_agency(tree.province, "Công an tỉnh", short_name="CA tỉnh")
    health = make_agency(tree.province, "Sở Y tế")
    make_task(province, police, "IV.1", "Điều tra, xử lý nghiêm các vụ xâm hại trẻ em.",
              cooperating=[health])
    make_task(province, health, "IV.2", "Khám, chữa bệnh cho trẻ em bị xâm hại.")
    return made


SEEN_BY = {
    "officer": {"province", "commune_a", "old_district"},
    "chairman": {"province", "commune_a", "old_district"},
    "outsider": {"province", "commune_b"},
    "province_officer": {"province", "commune_a", "commune_b", "old_district"},
    "sector_focal": {"province", "commune_a", "commune_b", "old_district"},
    "auditor": {"province", "commune_a", "commune_b", "old_district"},
}


@pytest.mark.parametrize("persona", sorted(SEEN_BY))
def test_each_role_lists_its_units_plans_those_above_and_those_below(
        client: Client, personas: Personas, plans: dict[str, Plan], persona: str) -> None:
    page = login(client, getattr(personas, persona)).get(LIST).content.decode()
    api = client.get("/api/v1/local-plans").json()["items"]
    for name, plan in plans.items():
        assert (plan.title in page) == (name in SEEN_BY[persona]), (persona, name)
        assert (str(plan.public_id) in {p["id"] for p in api}) == (name in SEEN_BY[persona])


@pytest.mark.parametrize("persona", ["collaborator", "intake", "admin"])
def test_roles_that_carry_out_no_plan_get_403(client: Client, personas: Personas,
                                              plans: dict[str, Plan], persona: str) -> None:
    login(client, getattr(personas, persona))
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("plans:plan_detail", args=[plans["province"].public_id])
                      ).status_code == 403
    assert client.get("/api/v1/local-plans").status_code == 403


def test_a_plan_out_of_scope_is_not_found_on_the_page_and_the_api(
        client: Client, personas: Personas, plans: dict[str, Plan]) -> None:
    login(client, personas.officer)
    for name in ("commune_b", "other_province"):
        plan = plans[name]
        assert client.get(reverse("plans:plan_detail", args=[plan.public_id])
                          ).status_code == 404
        assert client.get(f"/api/v1/local-plans/{plan.public_id}").status_code == 404
    token = token_create(user=personas.officer, name="khóa", days=1)[1]
    answer = Client().get(f"/api/v1/local-plans/{plans['commune_b'].public_id}",
                          HTTP_AUTHORIZATION=f"Bearer {token}")
    assert answer.status_code == 404


def test_the_plan_page_lists_tasks_by_lead_agency_with_their_partners(
        client: Client, personas: Personas, plans: dict[str, Plan]) -> None:
    login(client, personas.officer)
    plan = plans["province"]
    page = client.get(reverse("plans:plan_detail", args=[plan.public_id])).content.decode()
    assert "Công an tỉnh" in page and "Điều tra, xử lý nghiêm" in page
    assert page.index("Công an tỉnh") < page.index("Điều tra, xử lý nghiêm") < page.index(
        "Khám, chữa bệnh")
    assert "2 nhiệm vụ" in page
    # The commune's plan that carries it out is linked from it.
    assert plans["commune_a"].title in page
    health = plan.tasks.get(section="IV.2").lead
    only = client.get(reverse("plans:plan_detail", args=[plan.public_id]),
                      {"agency": str(health.public_id)}).content.decode()
    # The health department leads IV.2 and co-operates in IV.1.
    assert "Khám, chữa bệnh" in only and "2 nhiệm vụ" in only


def test_the_api_gives_a_plans_tasks_and_agencies(client: Client, personas: Personas,
                                                  plans: dict[str, Plan]) -> None:
    login(client, personas.sector_focal)
    plan = plans["province"]
    body = client.get(f"/api/v1/local-plans/{plan.public_id}").json()
    assert (body["number"], body["start_year"], body["unit"]) == ("12/KH-UBND", 2026, "04")
    agencies = {a["id"]: a["name"] for a in body["agencies"]}
    first = body["tasks"][0]
    assert (first["section"], agencies[first["lead"]]) == ("IV.1", "Công an tỉnh")
    assert [agencies[a] for a in first["cooperating"]] == ["Sở Y tế"]


def test_the_list_filters_by_words_without_accents_year_and_status(
        client: Client, personas: Personas, plans: dict[str, Plan]) -> None:
    login(client, personas.province_officer)
    found = client.get(LIST, {"q": "thuc phan"}).content.decode()
    assert plans["commune_a"].title in found and plans["commune_b"].title not in found
    by_number = client.get(LIST, {"q": "12/kh"}).content.decode()
    assert plans["province"].title in by_number and plans["commune_a"].title not in by_number
    in_2024 = client.get(LIST, {"year": "2024"}).content.decode()
    assert plans["old_district"].title in in_2024 and plans["province"].title not in in_2024
    none = client.get(LIST, {"q": "khong co ke hoach nay"}).content.decode()
    assert "Không có kế hoạch nào khớp với bộ lọc." in none
    bad = client.get(LIST, {"year": "20x6"})
    assert bad.status_code == 200 and "Hãy ghi năm bằng chữ số, ví dụ 2026." in \
        bad.content.decode()
    assert client.get("/api/v1/local-plans", {"year": "0"}).status_code == 422


def test_an_empty_scope_says_so(client: Client, personas: Personas, tree: Tree) -> None:
    page = login(client, personas.officer).get(LIST).content.decode()
    assert "Chưa có kế hoạch nào trong phạm vi của bạn." in page

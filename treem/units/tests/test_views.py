import html
import re
import uuid
from collections.abc import Callable

import pytest
from django.conf import settings
from django.db import connection
from django.shortcuts import resolve_url
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from treem.accounts.models import User
from treem.api_support import error_body
from treem.audit.models import AuditEvent
from treem.geo.models import Level, Unit
from treem.testing import Personas, Tree, login, make_unit, make_user
from treem.units import exceptions as exc
from treem.units import services

BROWSE = reverse("geo:unit_browse")
# Every page: session, user, second-factor device, role assignments, and at the end the sliding
# session's save (savepoint, update, release) — 7; for a commune's case officer also the
# reports waiting in its inbox, counted for the menu (scope successions, the count) — 9.
# Then the page's own queries:
EVERY_PAGE = 9
BROWSE_QUERIES = EVERY_PAGE + 1  # the user's units with their child counts
SEARCH_QUERIES = EVERY_PAGE + 3  # scope successions, paginator count, one page with parents
# scope successions (twice: reading scope, and the scope of managing villages), the unit,
# breadcrumbs, child count, children, predecessors, successors.
DETAIL_QUERIES = EVERY_PAGE + 8



@pytest.fixture
def as_user(client: Client, personas: Personas) -> Callable[[str], Client]:
    """`as_user("officer")`: the test client signed in as that persona, second factor verified."""
    return lambda persona: login(client, getattr(personas, persona))


def detail_url(unit: Unit) -> str:
    return reverse("geo:unit_detail", args=[unit.public_id])


def create_url(unit: Unit) -> str:
    return reverse("geo:village_create", args=[unit.public_id])


def edit_url(unit: Unit) -> str:
    return reverse("geo:village_edit", args=[unit.public_id])


def posted(village: Unit, **changes: str) -> dict[str, str]:
    """What the edit page posts: the fields as set, and beside each the value it read."""
    read = {"name": village.name, "kind": village.kind}
    return {**read, **changes, **{f"initial-{name}": value for name, value in read.items()}}


def link(unit: Unit) -> str:
    return f'<a href="{detail_url(unit)}">{unit.name}</a>'


def add_villages(commune: Unit, n: int) -> None:
    for i in range(2, n + 2):
        make_unit(parent=commune, level=Level.VILLAGE, code=f"{commune.code}-{i:03d}",
                  name=f"Thôn Số {i}", kind="Thôn")


def queries_of(request: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as queries:
        request()
    return len(queries)


class UnitBrowseTests:
    @pytest.mark.parametrize(("persona", "own", "others"), [
        ("collaborator", "village_a", ["commune_a", "commune_b"]),
        ("officer", "commune_a", ["commune_b", "province"]),
        ("chairman", "commune_a", ["commune_b", "province"]),
        ("outsider", "commune_b", ["commune_a", "province"]),
        ("province_officer", "province", ["nation", "other_province"]),
        ("sector_focal", "province", ["nation", "other_province"]),
        ("auditor", "province", ["nation", "other_province"]),
        ("admin", "province", ["nation", "other_province"]),
        ("intake", "nation", ["province", "commune_a"]),
    ])
    def test_it_lists_the_users_own_units(
        self, tree: Tree, as_user: Callable[[str], Client], persona: str, own: str,
        others: list[str],
    ) -> None:
        response = as_user(persona).get(BROWSE)
        assert response.status_code == 200
        html = response.content.decode()
        assert "<html" in html
        assert link(getattr(tree, own)) in html
        for other in others:
            assert link(getattr(tree, other)) not in html

    def test_an_anonymous_visitor_is_sent_to_the_login_page(self, client: Client) -> None:
        response = client.get(BROWSE)
        assert response.status_code == 302
        assert response["Location"] == f"{resolve_url(settings.LOGIN_URL)}?next={BROWSE}"

    def test_a_user_without_a_role_is_forbidden(self, client: Client, tree: Tree) -> None:
        response = login(client, make_user("nobody")).get(BROWSE)
        assert response.status_code == 403

    def test_it_searches_accent_insensitively_within_the_scope(
        self, tree: Tree, as_user: Callable[[str], Client],
    ) -> None:
        response = as_user("province_officer").get(BROWSE, {"q": "PHUONG"})
        html = response.content.decode()
        assert response.status_code == 200
        assert "<html" in html
        assert link(tree.commune_a) in html
        assert link(tree.commune_c) not in html
        assert list(response.context["page"]) == [tree.commune_a]

    def test_an_htmx_search_returns_only_the_results(
        self, tree: Tree, as_user: Callable[[str], Client],
    ) -> None:
        response = as_user("officer").get(BROWSE, {"q": "na pong"}, headers={"HX-Request": "true"})
        html = response.content.decode()
        assert response.status_code == 200
        assert "<html" not in html
        assert link(tree.village_a) in html
        assert link(tree.commune_a) not in html

    def test_an_htmx_request_without_a_query_returns_the_users_units(
        self, tree: Tree, as_user: Callable[[str], Client],
    ) -> None:
        response = as_user("officer").get(BROWSE, headers={"HX-Request": "true"})
        html = response.content.decode()
        assert "<html" not in html
        assert link(tree.commune_a) in html

    def test_former_units_are_found_only_when_asked_for(
        self, tree: Tree, as_user: Callable[[str], Client],
    ) -> None:
        client = as_user("officer")
        assert link(tree.old_commune) not in client.get(BROWSE, {"q": "song hien"}).content.decode()
        html = client.get(BROWSE, {"q": "song hien", "former": "on"}).content.decode()
        assert link(tree.old_commune) in html
        assert "trước 01/7/2025" in html

    def test_the_outsider_does_not_find_another_communes_units(
        self, tree: Tree, as_user: Callable[[str], Client],
    ) -> None:
        response = as_user("outsider").get(BROWSE, {"q": "na pong"})
        assert list(response.context["page"]) == []
        assert "Không tìm thấy đơn vị nào trong phạm vi của bạn." in response.content.decode()

    def test_its_query_count_does_not_grow_with_the_number_of_units(
        self, tree: Tree, as_user: Callable[[str], Client],
        django_assert_max_num_queries: DjangoAssertNumQueries,
    ) -> None:
        client = as_user("officer")
        client.get(BROWSE)  # the first request of a session may differ (session rotation)
        roots = queries_of(lambda: client.get(BROWSE))
        search = queries_of(lambda: client.get(BROWSE, {"q": "thon"}))
        add_villages(tree.commune_a, 20)
        with django_assert_max_num_queries(BROWSE_QUERIES):
            client.get(BROWSE)
        with django_assert_max_num_queries(SEARCH_QUERIES):
            response = client.get(BROWSE, {"q": "thon"})
        assert response.context["page"].paginator.count == 21
        assert queries_of(lambda: client.get(BROWSE)) == roots
        assert queries_of(lambda: client.get(BROWSE, {"q": "thon"})) == search


class UnitDetailTests:
    def test_it_shows_a_unit_in_scope_with_its_children_and_origin(
        self, tree: Tree, as_user: Callable[[str], Client],
    ) -> None:
        response = as_user("officer").get(detail_url(tree.commune_a))
        html = response.content.decode()
        assert response.status_code == 200
        assert "<h1>Phường Thục Phán</h1>" in html
        assert link(tree.village_a) in html
        assert link(tree.old_commune) in html  # formed from Phường Sông Hiến

    def test_breadcrumbs_show_only_ancestors_in_scope(
        self, tree: Tree, as_user: Callable[[str], Client],
    ) -> None:
        officer = as_user("officer").get(detail_url(tree.village_a))
        assert officer.context["breadcrumbs"] == [tree.commune_a]
        assert link(tree.province) not in officer.content.decode()

    @pytest.mark.parametrize("attr", ["commune_b", "commune_c", "province", "old_district"])
    def test_a_unit_out_of_scope_is_not_found(
        self, tree: Tree, as_user: Callable[[str], Client], attr: str,
    ) -> None:
        assert as_user("officer").get(detail_url(getattr(tree, attr))).status_code == 404

    def test_a_unit_that_does_not_exist_is_not_found(
        self, tree: Tree, as_user: Callable[[str], Client],
    ) -> None:
        url = reverse("geo:unit_detail", args=[uuid.uuid4()])
        assert as_user("intake").get(url).status_code == 404

    def test_an_anonymous_visitor_is_sent_to_the_login_page(
        self, client: Client, tree: Tree,
    ) -> None:
        response = client.get(detail_url(tree.commune_a))
        assert response.status_code == 302
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))

    def test_the_commune_officer_is_offered_to_add_a_village(
        self, tree: Tree, as_user: Callable[[str], Client],
    ) -> None:
        html = as_user("officer").get(detail_url(tree.commune_a)).content.decode()
        assert f'href="{create_url(tree.commune_a)}"' in html

    @pytest.mark.parametrize("persona", ["province_officer", "auditor"])
    def test_a_user_who_may_not_manage_villages_is_not_offered_to(
        self, tree: Tree, as_user: Callable[[str], Client], persona: str,
    ) -> None:
        client = as_user(persona)
        assert create_url(tree.commune_a) not in client.get(detail_url(tree.commune_a)).content.decode()
        assert edit_url(tree.village_a) not in client.get(detail_url(tree.village_a)).content.decode()

    def test_a_former_commune_offers_no_village_and_points_to_its_successor(
        self, tree: Tree, as_user: Callable[[str], Client],
    ) -> None:
        html = as_user("officer").get(detail_url(tree.old_commune)).content.decode()
        assert create_url(tree.old_commune) not in html
        assert link(tree.commune_a) in html

    def test_former_units_among_children_are_marked(
        self, tree: Tree, as_user: Callable[[str], Client],
    ) -> None:
        html = as_user("intake").get(detail_url(tree.nation)).content.decode()
        # Both Tỉnh Cao Bằng are children of the nation; only the old one is marked.
        assert html.count(">Tỉnh Cao Bằng</a>") == 2
        assert html.count("trước 01/7/2025") == 1

    def test_its_query_count_does_not_grow_with_the_number_of_children(
        self, tree: Tree, as_user: Callable[[str], Client],
        django_assert_max_num_queries: DjangoAssertNumQueries,
    ) -> None:
        client = as_user("officer")
        client.get(detail_url(tree.commune_a))
        before = queries_of(lambda: client.get(detail_url(tree.commune_a)))
        add_villages(tree.commune_a, 20)
        with django_assert_max_num_queries(DETAIL_QUERIES):
            response = client.get(detail_url(tree.commune_a))
        assert len(response.context["page"]) == 21
        assert queries_of(lambda: client.get(detail_url(tree.commune_a))) == before


class VillageCreateViewTests:
    @pytest.mark.parametrize("persona", ["officer", "chairman"])
    def test_the_commune_gets_the_form(
        self, tree: Tree, as_user: Callable[[str], Client], persona: str,
    ) -> None:
        response = as_user(persona).get(create_url(tree.commune_a))
        assert response.status_code == 200
        assert 'name="name"' in response.content.decode()

    def test_posting_creates_the_village_and_returns_to_the_commune(
        self, tree: Tree, as_user: Callable[[str], Client],
    ) -> None:
        client = as_user("officer")
        response = client.post(create_url(tree.commune_a), {"kind": "Bản", "name": "Bản Khuổi Lừa"})
        assert response.status_code == 302
        assert response["Location"] == detail_url(tree.commune_a)
        village = Unit.objects.get(name="Bản Khuổi Lừa")
        assert (village.parent, village.code, village.kind) == (tree.commune_a, "01273-002", "Bản")
        assert AuditEvent.objects.get().object_id == str(village.public_id)
        assert "Đã thêm Bản Khuổi Lừa." in client.get(response["Location"]).content.decode()

    @pytest.mark.parametrize(("data", "message"), [
        ({"kind": "Thôn", "name": "thôn nà pồng"}, exc.VILLAGE_NAME_TAKEN),
        ({"kind": "Thôn", "name": ""}, "Trường này là bắt buộc."),
        ({"kind": "Thôn", "name": "   "}, "Trường này là bắt buộc."),
        ({"kind": "Phường", "name": "Bản Khuổi Lừa"}, exc.VILLAGE_KIND_INVALID),
    ])
    def test_bad_input_shows_an_error_in_vietnamese_and_writes_nothing(
        self, tree: Tree, as_user: Callable[[str], Client], data: dict[str, str], message: str,
    ) -> None:
        response = as_user("officer").post(create_url(tree.commune_a), data)
        assert response.status_code == 200
        assert str(message) in response.content.decode()
        assert Unit.objects.count() == 10
        assert not AuditEvent.objects.exists()

    @pytest.mark.parametrize("unit", ["old_commune", "village_a", "province"])
    def test_only_a_current_commune_has_the_form(
        self, tree: Tree, as_user: Callable[[str], Client], unit: str,
    ) -> None:
        client = as_user("officer")
        target = getattr(tree, unit)
        assert client.get(create_url(target)).status_code == 404
        response = client.post(create_url(target), {"kind": "Bản", "name": "Bản Khuổi Lừa"})
        assert response.status_code == 404
        assert Unit.objects.count() == 10

    def test_the_officer_of_another_commune_gets_404(
        self, tree: Tree, as_user: Callable[[str], Client],
    ) -> None:
        client = as_user("outsider")
        assert client.get(create_url(tree.commune_a)).status_code == 404
        response = client.post(create_url(tree.commune_a), {"kind": "Bản", "name": "Bản Khuổi Lừa"})
        assert response.status_code == 404
        assert Unit.objects.count() == 10

    @pytest.mark.parametrize("persona", ["province_officer", "auditor", "collaborator"])
    def test_a_user_who_may_not_manage_villages_gets_403(
        self, tree: Tree, as_user: Callable[[str], Client], persona: str,
    ) -> None:
        client = as_user(persona)
        assert client.get(create_url(tree.commune_a)).status_code == 403
        response = client.post(create_url(tree.commune_a), {"kind": "Bản", "name": "Bản Khuổi Lừa"})
        assert response.status_code == 403
        assert Unit.objects.count() == 10

    def test_an_anonymous_visitor_is_sent_to_the_login_page(
        self, client: Client, tree: Tree,
    ) -> None:
        response = client.post(create_url(tree.commune_a), {"kind": "Bản", "name": "Bản Khuổi Lừa"})
        assert response.status_code == 302
        assert Unit.objects.count() == 10


class VillageFormScopeTests:
    def test_a_unit_seen_through_another_role_has_no_village_form(
        self, tree: Tree, client: Client, personas: Personas,
    ) -> None:
        # Officer of commune A and auditor of the other province: commune C is visible to it
        # (as an auditor) but not one whose villages it manages.
        from treem.accounts.models import RoleAssignment
        from treem.accounts.roles import Role

        RoleAssignment.objects.create(user=personas.officer, role=Role.AUDITOR,
                                      unit=tree.other_province)
        login(client, personas.officer)
        assert client.get(detail_url(tree.commune_c)).status_code == 200
        assert client.get(create_url(tree.commune_c)).status_code == 404
        assert client.get(create_url(tree.commune_a)).status_code == 200


class VillageEditViewTests:
    def test_a_unit_that_is_not_a_village_has_no_edit_form(
        self, tree: Tree, as_user: Callable[[str], Client],
    ) -> None:
        client = as_user("officer")
        assert client.get(edit_url(tree.commune_a)).status_code == 404
        response = client.post(edit_url(tree.commune_a), {"kind": "Bản", "name": "Bản Mới"})
        assert response.status_code == 404
        tree.commune_a.refresh_from_db()
        assert tree.commune_a.name == "Phường Thục Phán"

    def test_the_officer_gets_the_form_filled_in(
        self, tree: Tree, as_user: Callable[[str], Client],
    ) -> None:
        response = as_user("officer").get(edit_url(tree.village_a))
        assert response.status_code == 200
        assert 'value="Thôn Nà Pồng"' in response.content.decode()

    def test_posting_renames_the_village(
        self, tree: Tree, as_user: Callable[[str], Client],
    ) -> None:
        response = as_user("chairman").post(edit_url(tree.village_a),
                                            posted(tree.village_a, kind="Bản", name="Bản Nà Pồng"))
        assert response.status_code == 302
        assert response["Location"] == detail_url(tree.village_a)
        tree.village_a.refresh_from_db()
        assert (tree.village_a.name, tree.village_a.kind) == ("Bản Nà Pồng", "Bản")

    def test_a_duplicate_name_shows_an_error_and_changes_nothing(
        self, tree: Tree, as_user: Callable[[str], Client],
    ) -> None:
        other = make_unit(parent=tree.commune_a, level=Level.VILLAGE, code="01273-002",
                          name="Bản Khuổi Lừa", kind="Bản")
        response = as_user("officer").post(edit_url(other),
                                           posted(other, kind="Thôn", name="THÔN NÀ PỒNG"))
        assert response.status_code == 200
        assert str(exc.VILLAGE_NAME_TAKEN) in response.content.decode()
        other.refresh_from_db()
        assert other.name == "Bản Khuổi Lừa"
        assert not AuditEvent.objects.exists()

    def test_the_officer_of_another_commune_gets_404(
        self, tree: Tree, as_user: Callable[[str], Client],
    ) -> None:
        client = as_user("outsider")
        assert client.get(edit_url(tree.village_a)).status_code == 404
        assert client.post(edit_url(tree.village_a),
                           {"kind": "Thôn", "name": "Thôn Mới"}).status_code == 404
        tree.village_a.refresh_from_db()
        assert tree.village_a.name == "Thôn Nà Pồng"

    def test_the_form_carries_the_values_it_read(
        self, tree: Tree, as_user: Callable[[str], Client],
    ) -> None:
        page = as_user("officer").get(edit_url(tree.village_a)).content.decode()
        assert 'name="initial-name" value="Thôn Nà Pồng"' in page
        assert 'name="initial-kind" value="Thôn"' in page

    def test_a_stale_rename_shows_both_names_keeps_the_input_and_writes_nothing(
        self, tree: Tree, as_user: Callable[[str], Client], personas: Personas,
    ) -> None:
        read = Unit.objects.get(pk=tree.village_a.pk)  # the officer's page
        services.village_rename(actor=personas.chairman, village=tree.village_a,
                                name="Thôn Nà Pồng Trên", base={"name": "Thôn Nà Pồng"})
        client = as_user("officer")

        response = client.post(edit_url(tree.village_a), posted(read, name="Thôn Nà Pồng Dưới"))
        assert response.status_code == 200
        page = response.content.decode()
        assert 'value="Thôn Nà Pồng Dưới"' in page  # the officer's input kept
        assert "Thôn Nà Pồng Trên" in page  # the name saved meanwhile, to choose from
        assert personas.chairman.full_name in page
        tree.village_a.refresh_from_db()
        assert tree.village_a.name == "Thôn Nà Pồng Trên"
        assert AuditEvent.objects.count() == 1

        # The officer keeps their own name: saved over the one now current, knowingly.
        again = _form_data(page) | {"keep_name": "mine"}
        response = client.post(edit_url(tree.village_a), again)
        assert response.status_code == 302
        tree.village_a.refresh_from_db()
        assert tree.village_a.name == "Thôn Nà Pồng Dưới"

    def test_a_stale_change_of_kind_merges_with_a_rename(
        self, tree: Tree, as_user: Callable[[str], Client], personas: Personas,
    ) -> None:
        read = Unit.objects.get(pk=tree.village_a.pk)
        services.village_rename(actor=personas.chairman, village=tree.village_a,
                                name="Thôn Nà Pồng Trên", base={"name": "Thôn Nà Pồng"})
        response = as_user("officer").post(edit_url(tree.village_a), posted(read, kind="Bản"))
        assert response.status_code == 302
        tree.village_a.refresh_from_db()
        assert (tree.village_a.name, tree.village_a.kind) == ("Thôn Nà Pồng Trên", "Bản")

    @pytest.mark.parametrize("persona", ["province_officer", "auditor"])
    def test_a_user_who_may_not_manage_villages_gets_403(
        self, tree: Tree, as_user: Callable[[str], Client], persona: str,
    ) -> None:
        assert as_user(persona).get(edit_url(tree.village_a)).status_code == 403


def _form_data(page: str) -> dict[str, str]:
    """The values of a page's form inputs (text and hidden), and its selected options."""
    data = {name: html.unescape(value) for name, value in re.findall(
        r'<input[^>]*?name="([^"]+)"[^>]*?value="([^"]*)"', page)
        if name != "csrfmiddlewaretoken" and not name.startswith("keep_")}
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        if chosen:
            data[name] = html.unescape(chosen.group(1))
    return data


def api(path: str) -> str:
    return f"/api/v1{path}"


class UnitApiTests:
    def test_it_searches_units_in_scope_with_pagination(
        self, tree: Tree, as_user: Callable[[str], Client],
    ) -> None:
        response = as_user("province_officer").get(api("/units"), {"q": "thuc phan"})
        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"items", "count"}
        assert body["count"] == 1
        [item] = body["items"]
        assert item["id"] == str(tree.commune_a.public_id)
        assert item["parent_id"] == str(tree.province.public_id)
        assert (item["code"], item["level"], item["valid_to"]) == ("01273", "commune", None)

    def test_the_search_never_returns_units_out_of_scope(
        self, tree: Tree, as_user: Callable[[str], Client],
    ) -> None:
        body = as_user("outsider").get(api("/units"), {"q": "thuc phan"}).json()
        assert body == {"items": [], "count": 0}

    def test_former_units_are_listed_only_when_asked_for(
        self, tree: Tree, as_user: Callable[[str], Client],
    ) -> None:
        client = as_user("officer")
        assert client.get(api("/units"), {"q": "song hien"}).json()["count"] == 0
        body = client.get(api("/units"), {"q": "song hien", "former": "true"}).json()
        assert [i["id"] for i in body["items"]] == [str(tree.old_commune.public_id)]
        assert body["items"][0]["valid_to"] == "2025-06-30"

    def test_roots_are_the_units_of_the_users_assignments(
        self, tree: Tree, as_user: Callable[[str], Client],
    ) -> None:
        response = as_user("officer").get(api("/units/roots"))
        assert response.status_code == 200
        assert [u["id"] for u in response.json()] == [str(tree.commune_a.public_id)]

    def test_a_unit_in_scope_comes_with_its_predecessors(
        self, tree: Tree, as_user: Callable[[str], Client],
    ) -> None:
        response = as_user("officer").get(api(f"/units/{tree.commune_a.public_id}"))
        assert response.status_code == 200
        body = response.json()
        assert body["name"] == "Phường Thục Phán"
        assert [(p["unit"]["id"], p["kind"], p["is_default"]) for p in body["predecessors"]] == [
            (str(tree.old_commune.public_id), "whole", True)
        ]
        assert body["successors"] == []

    @pytest.mark.parametrize("path", ["/units/{id}", "/units/{id}/children"])
    def test_a_unit_out_of_scope_or_missing_is_not_found(
        self, tree: Tree, as_user: Callable[[str], Client], path: str,
    ) -> None:
        client = as_user("officer")
        for unit_id in (tree.commune_c.public_id, tree.commune_b.public_id, uuid.uuid4()):
            response = client.get(api(path.format(id=unit_id)))
            assert response.status_code == 404
            assert response.json() == error_body(404)

    def test_children_are_paginated_and_limited_to_the_unit(
        self, tree: Tree, as_user: Callable[[str], Client],
    ) -> None:
        response = as_user("province_officer").get(api(f"/units/{tree.province.public_id}/children"))
        assert response.status_code == 200
        body = response.json()
        assert body["count"] == 2
        assert [i["name"] for i in body["items"]] == ["Phường Thục Phán", "Xã Hòa An"]

    @pytest.mark.parametrize("path", ["/units", "/units/roots", "/units/{id}",
                                      "/units/{id}/children"])
    def test_an_anonymous_caller_gets_401(self, client: Client, tree: Tree, path: str) -> None:
        response = client.get(api(path.format(id=tree.commune_a.public_id)))
        assert response.status_code == 401

    def test_a_session_without_the_second_factor_gets_401(
        self, client: Client, personas: Personas,
    ) -> None:
        client.force_login(personas.officer)
        assert client.get(api("/units")).status_code == 401

    def test_a_user_without_a_role_gets_403(self, client: Client, tree: Tree) -> None:
        nobody: User = make_user("nobody")
        response = login(client, nobody).get(api(f"/units/{tree.commune_a.public_id}"))
        assert response.status_code == 403

    def test_its_query_count_does_not_grow_with_the_number_of_units(
        self, tree: Tree, as_user: Callable[[str], Client],
    ) -> None:
        client = as_user("officer")
        url = api(f"/units/{tree.commune_a.public_id}/children")
        client.get(url)
        before = queries_of(lambda: client.get(url))
        add_villages(tree.commune_a, 20)
        assert queries_of(lambda: client.get(url)) == before
        assert client.get(url).json()["count"] == 21

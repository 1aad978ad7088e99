"""Web pages of the child register: each one's happy path, bad input, and who is refused."""

import datetime
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.shortcuts import resolve_url
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from treem.audit.models import Action, AuditEvent
from treem.geo.models import Level
from treem.registry import choices
from treem.registry import exceptions as exc
from treem.registry.models import (
    Caregiver,
    Child,
    ChildCircumstance,
    ChildResidence,
    ChildRisk,
    ChildSupport,
    Household,
)
from treem.registry.tests.factories import (
    ethnicity,
    group,
    make_caregiver,
    make_child,
    make_circumstance,
    make_household,
    make_risk,
    relocate,
)
from treem.testing import Personas, Tree, login, make_unit

LIST = reverse("registry:child_list")
CREATE = reverse("registry:child_create")
HOUSEHOLDS = reverse("registry:household_list")
HOUSEHOLD_CREATE = reverse("registry:household_create")
HTMX = {"HX-Request": "true"}
# Every page: session, user, second-factor device, role assignments, and at the end the sliding
# session's save (savepoint, update, release) — 7, and the count of reports waiting in a case
# officer's inbox for the menu — 8. The list then reads: the scope's
# successions, the villages in scope, the circumstance groups of the filter, the communes
# where the user may add (two), the paginator's count, one page of children with their places
# and the ethnic groups of the filter's select.
LIST_QUERIES = 8 + 8
# An htmx search renders the results only, with no select, and probes how many children
# the name matches before choosing how to sort them (`selectors.DENSE_MATCHES`).
SEARCH_QUERIES = LIST_QUERIES - 1 + 1

WRITTEN = (Child, ChildResidence, ChildCircumstance, ChildRisk, ChildSupport, Household,
           Caregiver, AuditEvent)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in WRITTEN}


def today() -> datetime.date:
    return timezone.localdate()


def detail(child: Child) -> str:
    return reverse("registry:child_detail", args=[child.public_id])


def edit(child: Child) -> str:
    return reverse("registry:child_edit", args=[child.public_id])


def move(child: Child) -> str:
    return reverse("registry:child_move", args=[child.public_id])


def history_add(child: Child, kind: str) -> str:
    return reverse("registry:history_add", args=[child.public_id, kind])


def history_end(kind: str, row: Any) -> str:
    return reverse("registry:history_end", args=[kind, row.public_id])


def caregiver_add(child: Child) -> str:
    return reverse("registry:caregiver_add", args=[child.public_id])


def caregiver_remove(caregiver: Caregiver) -> str:
    return reverse("registry:caregiver_remove", args=[caregiver.public_id])


def household_detail(household: Household) -> str:
    return reverse("registry:household_detail", args=[household.public_id])


def login_redirect(url: str) -> str:
    return f"{resolve_url(settings.LOGIN_URL)}?next={url}"


def views_of(obj: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=Action.VIEW, object_id=str(obj.public_id)))


def html(response: Any) -> str:
    return response.content.decode()


def child_form(**fields: Any) -> dict[str, Any]:
    return {"full_name": "Hoàng Văn Khải", "sex": "m", "birth_date": "2018-04-12",
            "birth_date_precision": "day", "ethnicity": ethnicity("02").pk,
            "residence_type": "permanent", "living_arrangement": "both_parents",
            "school_level": "primary", "school_status": "in_school", **fields}


@pytest.fixture
def as_user(client: Client, personas: Personas) -> Callable[[str], Client]:
    """`as_user("officer")`: the test client signed in as that persona, second factor verified."""
    return lambda persona: login(client, getattr(personas, persona))


@pytest.fixture
def child_a(tree: Tree) -> Child:
    return make_child(commune=tree.commune_a, full_name="Nguyễn Văn An")


@pytest.fixture
def child_b(tree: Tree) -> Child:
    return make_child(commune=tree.commune_b, full_name="Trần Thị Bình",
                      sex=choices.Sex.FEMALE)


class ChildListViewTests:
    @pytest.mark.parametrize(("persona", "shown", "hidden"), [
        ("officer", ["Nguyễn Văn An", "Lò Văn Pằn"], ["Trần Thị Bình"]),
        ("collaborator", ["Lò Văn Pằn"], ["Nguyễn Văn An", "Trần Thị Bình"]),
        ("outsider", ["Trần Thị Bình"], ["Nguyễn Văn An", "Lò Văn Pằn"]),
        ("auditor", ["Nguyễn Văn An", "Lò Văn Pằn", "Trần Thị Bình"], []),
    ])
    def test_it_lists_the_children_in_the_users_scope(
        self, tree: Tree, as_user: Callable[[str], Client], child_a: Child, child_b: Child,
        persona: str, shown: list[str], hidden: list[str],
    ) -> None:
        make_child(commune=tree.commune_a, village=tree.village_a, full_name="Lò Văn Pằn")
        response = as_user(persona).get(LIST)
        assert response.status_code == 200
        page = html(response)
        assert "<html" in page
        for name in shown:
            assert name in page
        for name in hidden:
            assert name not in page

    def test_the_link_leads_to_the_childs_page(self, as_user: Callable[[str], Client],
                                               child_a: Child) -> None:
        page = html(as_user("officer").get(LIST))
        assert f'<a href="{detail(child_a)}">Nguyễn Văn An</a>' in page

    @pytest.mark.parametrize("persona", ["intake", "admin", "sector_focal"])
    def test_a_user_who_sees_no_register_is_forbidden(
        self, as_user: Callable[[str], Client], persona: str,
    ) -> None:
        assert as_user(persona).get(LIST).status_code == 403

    def test_an_anonymous_visitor_is_sent_to_the_login_page(self, client: Client,
                                                            tree: Tree) -> None:
        response = client.get(LIST)
        assert (response.status_code, response["Location"]) == (302, login_redirect(LIST))

    @pytest.mark.parametrize("typed", ["nguyen van an", "NGUYỄN VĂN AN", "van an"])
    def test_the_name_search_is_posted_and_ignores_accents(
        self, as_user: Callable[[str], Client], child_a: Child, child_b: Child, typed: str,
    ) -> None:
        response = as_user("province_officer").post(LIST, {"q": typed})
        assert response.status_code == 200
        assert list(response.context["page"]) == [child_a]
        assert "Trần Thị Bình" not in html(response)

    def test_a_name_in_the_query_string_is_ignored(self, tree: Tree,
                                                   as_user: Callable[[str], Client],
                                                   child_a: Child) -> None:
        # Names never travel in URLs (they end up in logs and browser history).
        other = make_child(commune=tree.commune_a, full_name="Lương Thị Cúc")
        response = as_user("officer").get(LIST, {"q": "nguyen van an"})
        assert response.status_code == 200
        assert set(response.context["page"]) == {child_a, other}
        assert response.context["q"] == ""

    def test_an_htmx_search_returns_only_the_results(self, tree: Tree,
                                                     as_user: Callable[[str], Client],
                                                     child_a: Child) -> None:
        make_child(commune=tree.commune_a, full_name="Lương Thị Cúc")
        response = as_user("officer").post(LIST, {"q": "an"}, headers=HTMX)
        assert response.status_code == 200
        page = html(response)
        assert "<html" not in page
        assert "<table" in page
        assert "Nguyễn Văn An" in page
        assert "Lương Thị Cúc" not in page

    def test_filters_travel_in_the_url_and_combine_with_the_search(
        self, tree: Tree, as_user: Callable[[str], Client], child_a: Child,
    ) -> None:
        girl = make_child(commune=tree.commune_a, village=tree.village_a,
                          full_name="Nguyễn Thị Ánh", sex=choices.Sex.FEMALE)
        make_child(commune=tree.commune_a, full_name="Lò Thị Pằn", sex=choices.Sex.FEMALE)
        client = as_user("officer")
        assert set(client.get(LIST, {"sex": "f"}).context["page"]) == {
            girl, Child.objects.get(full_name="Lò Thị Pằn")}
        assert list(client.get(LIST, {"village": str(tree.village_a.public_id)})
                    .context["page"]) == [girl]
        response = client.post(f"{LIST}?sex=f", {"q": "nguyen"})
        assert list(response.context["page"]) == [girl]

    def test_a_filter_by_circumstance_finds_its_sub_groups(
        self, as_user: Callable[[str], Client], child_a: Child, tree: Tree,
    ) -> None:
        make_child(commune=tree.commune_a, full_name="Lương Thị Cúc")
        make_circumstance(child=child_a, code="d2", start_date=datetime.date(2024, 1, 1))
        response = as_user("officer").get(LIST, {"circumstance": "d"})
        assert list(response.context["page"]) == [child_a]

    def test_the_search_pages_by_post(self, tree: Tree, as_user: Callable[[str], Client]) -> None:
        for i in range(52):
            make_child(commune=tree.commune_a, full_name=f"Nguyễn Văn Số {i:02d}")
        client = as_user("officer")
        first = client.post(LIST, {"q": "so"})
        assert len(first.context["page"]) == 50
        second = client.post(LIST, {"q": "so", "page": "2"})
        assert [c.full_name for c in second.context["page"]] == [
            "Nguyễn Văn Số 50", "Nguyễn Văn Số 51"]

    def test_its_query_count_does_not_grow_with_the_number_of_children(
        self, tree: Tree, as_user: Callable[[str], Client], child_a: Child,
        django_assert_max_num_queries: DjangoAssertNumQueries,
    ) -> None:
        client = as_user("officer")
        client.get(LIST)

        def queries(request: Callable[[], object]) -> int:
            with CaptureQueriesContext(connection) as captured:
                request()
            return len(captured)

        before = (queries(lambda: client.get(LIST)),
                  queries(lambda: client.post(LIST, {"q": "nguyen"}, headers=HTMX)))
        for i in range(30):
            make_child(commune=tree.commune_a, village=tree.village_a if i % 2 else None,
                       full_name=f"Nguyễn Thị Số {i}", ethnicity_code=f"{i % 5 + 1:02d}")
        with django_assert_max_num_queries(LIST_QUERIES):
            response = client.get(LIST)
        assert len(response.context["page"]) == 31
        with django_assert_max_num_queries(SEARCH_QUERIES):
            client.post(LIST, {"q": "nguyen"}, headers=HTMX)
        after = (queries(lambda: client.get(LIST)),
                 queries(lambda: client.post(LIST, {"q": "nguyen"}, headers=HTMX)))
        assert after == before


class ChildDetailViewTests:
    def test_it_shows_the_child_and_records_the_view(self, tree: Tree,
                                                     as_user: Callable[[str], Client],
                                                     personas: Personas,
                                                     child_a: Child) -> None:
        make_circumstance(child=child_a, code="a1", start_date=datetime.date(2020, 1, 1))
        make_caregiver(child=child_a, full_name="Trần Thị Hoa")
        response = as_user("officer").get(detail(child_a))
        assert response.status_code == 200
        page = html(response)
        assert "<h1>Nguyễn Văn An</h1>" in page
        assert "Trần Thị Hoa" in page
        assert "01/03/2015" in page
        assert "a1." in page
        assert edit(child_a) in page
        [event] = views_of(child_a)
        assert (event.actor, event.unit, event.object_type) == (
            personas.officer, tree.commune_a, "registry.child")

    def test_each_display_is_recorded(self, as_user: Callable[[str], Client],
                                      child_a: Child) -> None:
        client = as_user("auditor")
        client.get(detail(child_a))
        client.get(detail(child_a))
        assert len(views_of(child_a)) == 2

    @pytest.mark.parametrize("persona", ["auditor", "province_officer"])
    def test_a_read_only_user_sees_no_edit_form(self, as_user: Callable[[str], Client],
                                                child_a: Child, persona: str) -> None:
        make_risk(child=child_a, start_date=datetime.date(2024, 1, 1))
        response = as_user(persona).get(detail(child_a))
        assert response.status_code == 200
        page = html(response)
        assert edit(child_a) not in page
        assert "/end/" not in page
        assert caregiver_add(child_a) not in page

    def test_the_outsider_and_an_unknown_id_get_404_and_nothing_is_recorded(
        self, as_user: Callable[[str], Client], child_a: Child,
    ) -> None:
        client = as_user("outsider")
        for url in (detail(child_a), reverse("registry:child_detail", args=[uuid.uuid4()])):
            assert client.get(url).status_code == 404
        assert AuditEvent.objects.filter(action=Action.VIEW).count() == 0

    @pytest.mark.parametrize("persona", ["intake", "admin"])
    def test_a_user_who_sees_no_register_is_forbidden(
        self, as_user: Callable[[str], Client], child_a: Child, persona: str,
    ) -> None:
        assert as_user(persona).get(detail(child_a)).status_code == 403
        assert views_of(child_a) == []

    def test_an_anonymous_visitor_is_sent_to_the_login_page(self, client: Client,
                                                            child_a: Child) -> None:
        response = client.get(detail(child_a))
        assert (response.status_code, response["Location"]) == (
            302, login_redirect(detail(child_a)))

    def test_the_commune_left_behind_sees_the_record_up_to_the_move(
        self, tree: Tree, as_user: Callable[[str], Client], client: Client,
        personas: Personas,
    ) -> None:
        child = make_child(commune=tree.commune_a, village=tree.village_a)
        moved_on = datetime.date(2024, 9, 1)
        relocate(child, commune=tree.commune_b, on=moved_on)
        household_b = make_household(commune=tree.commune_b, head_name="Vi Văn Slình")
        Child.objects.filter(pk=child.pk).update(household=household_b,
                                                 death_date=datetime.date(2025, 1, 2))
        make_risk(child=child, flag=choices.RiskFlag.CHILD_LABOUR,
                  start_date=datetime.date(2024, 10, 1))

        page = html(as_user("officer").get(detail(child)))
        assert "31/08/2024" in page
        assert "Thôn Nà Pồng" in page
        for later in ("Xã Hòa An", "Vi Văn Slình", "02/01/2025", "Nguy cơ lao động trẻ em"):
            assert later not in page
        assert edit(child) not in page
        assert as_user("officer").get(edit(child)).status_code == 403

        page = html(login(client, personas.outsider).get(detail(child)))
        for later in ("Xã Hòa An", "Vi Văn Slình", "02/01/2025", "Nguy cơ lao động trẻ em"):
            assert later in page
        assert edit(child) in page


class ChildCreateViewTests:
    def test_the_form_is_offered_to_those_who_may_register(
        self, as_user: Callable[[str], Client],
    ) -> None:
        response = as_user("officer").get(CREATE)
        assert response.status_code == 200
        assert "Phường Thục Phán" in html(response)
        assert "Xã Hòa An" not in html(response)

    def test_it_registers_the_child_and_shows_its_page(
        self, tree: Tree, as_user: Callable[[str], Client], personas: Personas,
    ) -> None:
        response = as_user("officer").post(CREATE, child_form(personal_id="004218000321"))
        child = Child.objects.get()
        assert (response.status_code, response["Location"]) == (302, detail(child))
        assert (child.full_name, child.commune, child.village, child.personal_id) == (
            "Hoàng Văn Khải", tree.commune_a, None, "004218000321")
        assert child.created_by == personas.officer
        assert ChildResidence.objects.get(child=child).start_date == datetime.date(2018, 4, 12)
        page = html(as_user("officer").get(response["Location"]))
        assert "Đã ghi Hoàng Văn Khải vào sổ." in page

    def test_the_collaborator_registers_a_child_of_its_village(
        self, tree: Tree, as_user: Callable[[str], Client],
    ) -> None:
        response = as_user("collaborator").post(CREATE, child_form(village=tree.village_a.pk))
        assert response.status_code == 302
        assert Child.objects.get().unit_path == tree.village_a.path

    def test_the_collaborator_without_a_village_gets_an_error(
        self, as_user: Callable[[str], Client],
    ) -> None:
        before = counts()
        response = as_user("collaborator").post(CREATE, child_form())
        assert response.status_code == 200
        assert str(exc.UNIT_OUT_OF_SCOPE) in html(response)
        assert counts() == before

    @pytest.mark.parametrize(("fields", "message"), [
        ({"birth_date": "2099-01-01"}, exc.BIRTH_DATE_FUTURE),
        ({"personal_id": "004218000"}, exc.PERSONAL_ID_FORMAT),
        ({"personal_id": "004318000321"}, exc.PERSONAL_ID_MISMATCH),
        ({"disability_type": "vision"}, exc.TYPE_WITHOUT_DEGREE),
        ({"full_name": ""}, "Trường này là bắt buộc."),
        ({"birth_date": "12/31/2018"}, "Nhập một ngày hợp lệ."),
    ])
    def test_bad_input_shows_an_error_in_vietnamese_and_writes_nothing(
        self, as_user: Callable[[str], Client], fields: dict[str, Any], message: str,
    ) -> None:
        before = counts()
        response = as_user("officer").post(CREATE, child_form(**fields))
        assert response.status_code == 200
        assert str(message) in html(response)
        assert counts() == before

    def test_a_possible_duplicate_is_shown_until_the_user_confirms(
        self, tree: Tree, as_user: Callable[[str], Client],
    ) -> None:
        known = make_child(commune=tree.commune_a, full_name="Hoàng Văn Khải",
                           birth_date=datetime.date(2018, 1, 20))
        client = as_user("officer")
        before = counts()

        response = client.post(CREATE, child_form(full_name="Hoang Van Khai"))

        assert response.status_code == 200
        page = html(response)
        assert "Có thể trẻ này đã có trong sổ:" in page
        assert detail(known) in page
        assert 'name="confirm_new"' in page
        assert counts() == before

        response = client.post(CREATE, child_form(full_name="Hoang Van Khai", confirm_new="on"))
        assert response.status_code == 302
        assert Child.objects.filter(name_folded="hoang van khai").count() == 2

    def test_a_duplicate_the_user_may_not_see_is_not_shown(
        self, tree: Tree, as_user: Callable[[str], Client],
    ) -> None:
        make_child(commune=tree.commune_b, full_name="Hoàng Văn Khải",
                   birth_date=datetime.date(2018, 4, 12))
        response = as_user("officer").post(CREATE, child_form())
        assert response.status_code == 302

    def test_a_commune_the_user_may_not_register_in_is_not_found(
        self, tree: Tree, as_user: Callable[[str], Client],
    ) -> None:
        before = counts()
        response = as_user("officer").post(
            CREATE, child_form(commune=str(tree.commune_b.public_id)))
        assert response.status_code == 404
        assert counts() == before
        assert as_user("officer").post(
            CREATE, child_form(commune=str(tree.commune_a.public_id))).status_code == 302

    @pytest.mark.parametrize("persona", ["auditor", "province_officer", "intake"])
    def test_a_user_who_may_not_register_is_forbidden(
        self, as_user: Callable[[str], Client], persona: str,
    ) -> None:
        client = as_user(persona)
        assert client.get(CREATE).status_code == 403
        assert client.post(CREATE, child_form()).status_code == 403
        assert Child.objects.count() == 0

    def test_an_anonymous_visitor_is_sent_to_the_login_page(self, client: Client,
                                                            tree: Tree) -> None:
        response = client.post(CREATE, child_form())
        assert (response.status_code, response["Location"]) == (302, login_redirect(CREATE))
        assert Child.objects.count() == 0


class ChildEditViewTests:
    def test_the_form_comes_filled_in(self, as_user: Callable[[str], Client],
                                      child_a: Child) -> None:
        response = as_user("officer").get(edit(child_a))
        assert response.status_code == 200
        assert response.context["form"]["full_name"].value() == "Nguyễn Văn An"
        assert "village" not in response.context["form"].fields

    def test_posting_saves_the_changes(self, as_user: Callable[[str], Client],
                                       child_a: Child) -> None:
        response = as_user("officer").post(edit(child_a), child_form(
            full_name="Nguyễn Văn Ân", birth_date="2015-03-01", ethnicity=ethnicity("01").pk,
            version=child_a.version))
        assert (response.status_code, response["Location"]) == (302, detail(child_a))
        child_a.refresh_from_db()
        assert (child_a.full_name, child_a.school_status) == ("Nguyễn Văn Ân", "in_school")
        [event] = AuditEvent.objects.filter(action=Action.UPDATE,
                                            object_id=str(child_a.public_id))
        assert event.changed_fields == ["full_name", "school_level", "school_status"]

    def test_bad_input_shows_an_error_and_changes_nothing(
        self, as_user: Callable[[str], Client], child_a: Child,
    ) -> None:
        before = counts()
        response = as_user("officer").post(edit(child_a), child_form(
            full_name="Nguyễn Văn Ân", disability_degree="mild", version=child_a.version))
        assert response.status_code == 200
        assert str(exc.DEGREE_WITHOUT_TYPE) in html(response)
        assert counts() == before
        assert Child.objects.get(pk=child_a.pk).full_name == "Nguyễn Văn An"

    def test_the_outsider_gets_404(self, as_user: Callable[[str], Client],
                                   child_a: Child) -> None:
        client = as_user("outsider")
        assert client.get(edit(child_a)).status_code == 404
        assert client.post(edit(child_a), child_form()).status_code == 404
        assert Child.objects.get(pk=child_a.pk).full_name == "Nguyễn Văn An"

    @pytest.mark.parametrize("persona", ["auditor", "province_officer"])
    def test_a_read_only_user_gets_403(self, as_user: Callable[[str], Client],
                                       child_a: Child, persona: str) -> None:
        client = as_user(persona)
        assert client.get(edit(child_a)).status_code == 403
        assert client.post(edit(child_a), child_form()).status_code == 403
        assert Child.objects.get(pk=child_a.pk).full_name == "Nguyễn Văn An"

    def test_an_anonymous_visitor_is_sent_to_the_login_page(self, client: Client,
                                                            child_a: Child) -> None:
        response = client.get(edit(child_a))
        assert (response.status_code, response["Location"]) == (302, login_redirect(edit(child_a)))


class ChildMoveViewTests:
    def test_a_move_out_of_the_commune_returns_to_the_list(
        self, tree: Tree, as_user: Callable[[str], Client], child_a: Child,
    ) -> None:
        response = as_user("officer").post(move(child_a), {
            "commune": "01279", "moved_on": "2025-01-15", "residence_type": "permanent"})
        assert (response.status_code, response["Location"]) == (302, LIST)
        child_a.refresh_from_db()
        assert child_a.commune == tree.commune_b
        assert ChildResidence.objects.get(child=child_a, commune=tree.commune_a).end_date == (
            datetime.date(2025, 1, 14))

    def test_a_move_inside_the_commune_returns_to_the_child(
        self, tree: Tree, as_user: Callable[[str], Client], child_a: Child,
    ) -> None:
        response = as_user("officer").post(move(child_a), {
            "commune": "01273", "village": "01273-001", "moved_on": "2025-01-15",
            "residence_type": "temporary"})
        assert (response.status_code, response["Location"]) == (302, detail(child_a))
        child_a.refresh_from_db()
        assert (child_a.village, child_a.residence_type) == (tree.village_a, "temporary")

    @pytest.mark.parametrize(("data", "message"), [
        ({"commune": "99999"}, "Không có xã, phường hiện hành mang mã này."),
        ({"commune": "01270"}, "Không có xã, phường hiện hành mang mã này."),  # former commune
        ({"commune": "01279", "village": "01279-009"}, "Xã, phường này không có thôn mang mã đó."),
        ({"commune": "01273"}, exc.MOVE_SAME_PLACE),
        ({"moved_on": "2010-01-01"}, exc.MOVE_BEFORE_RESIDENCE),
        ({"moved_on": "2099-01-01"}, exc.DATE_IN_FUTURE),
    ])
    def test_bad_input_shows_an_error_and_moves_nothing(
        self, as_user: Callable[[str], Client], child_a: Child, data: dict[str, str],
        message: str,
    ) -> None:
        before = counts()
        response = as_user("officer").post(move(child_a), {
            "commune": "01279", "moved_on": "2025-01-15", "residence_type": "permanent", **data})
        assert response.status_code == 200
        assert str(message) in html(response)
        assert counts() == before

    def test_the_outsider_gets_404(self, as_user: Callable[[str], Client],
                                   child_a: Child) -> None:
        response = as_user("outsider").post(move(child_a), {
            "commune": "01279", "moved_on": "2025-01-15", "residence_type": "permanent"})
        assert response.status_code == 404
        assert ChildResidence.objects.filter(child=child_a).count() == 1

    @pytest.mark.parametrize("persona", ["auditor", "province_officer"])
    def test_a_read_only_user_gets_403(self, as_user: Callable[[str], Client],
                                       child_a: Child, persona: str) -> None:
        client = as_user(persona)
        assert client.get(move(child_a)).status_code == 403
        assert client.post(move(child_a), {"commune": "01279", "moved_on": "2025-01-15",
                                           "residence_type": "permanent"}).status_code == 403
        assert ChildResidence.objects.filter(child=child_a).count() == 1

    def test_an_anonymous_visitor_is_sent_to_the_login_page(self, client: Client,
                                                            child_a: Child) -> None:
        response = client.get(move(child_a))
        assert (response.status_code, response["Location"]) == (302, login_redirect(move(child_a)))


class HistoryViewTests:
    @pytest.mark.parametrize(("kind", "data", "model"), [
        ("circumstance", {"group": "d1", "note": "Giấy xác nhận"}, ChildCircumstance),
        ("risk", {"flag": "child_labour"}, ChildRisk),
        ("support", {"kind": "health", "provider": "Trạm y tế", "end_date": "2025-12-31"},
         ChildSupport),
    ])
    def test_it_adds_a_row_to_the_history(self, as_user: Callable[[str], Client],
                                          child_a: Child, kind: str, data: dict[str, str],
                                          model: Any) -> None:
        if "group" in data:
            data = {**data, "group": str(group(data["group"]).pk)}
        client = as_user("officer")
        response = client.post(history_add(child_a, kind), {"start_date": "2025-01-01", **data})
        assert (response.status_code, response["Location"]) == (302, detail(child_a))
        row = model.objects.get(child=child_a)
        assert row.start_date == datetime.date(2025, 1, 1)
        assert "Đã ghi vào lịch sử của trẻ." in html(client.get(detail(child_a)))

    @pytest.mark.parametrize(("data", "message"), [
        ({"start_date": "2010-01-01"}, exc.DATE_BEFORE_BIRTH),
        ({"start_date": "2099-01-01"}, exc.DATE_IN_FUTURE),
        ({"start_date": ""}, "Trường này là bắt buộc."),
        ({"flag": "nothing"}, "Hãy chọn một lựa chọn hợp lệ."),
    ])
    def test_bad_input_is_reported_and_writes_nothing(
        self, as_user: Callable[[str], Client], child_a: Child, data: dict[str, str],
        message: str,
    ) -> None:
        client = as_user("officer")
        before = counts()
        response = client.post(history_add(child_a, "risk"),
                               {"flag": "violence", "start_date": "2025-01-01", **data},
                               follow=True)
        assert response.status_code == 200
        assert str(message) in html(response)
        # The page itself records a view; nothing else is written.
        assert counts() == before | {"AuditEvent": before["AuditEvent"] + 1}

    def test_an_overlapping_circumstance_is_reported(self, as_user: Callable[[str], Client],
                                                     child_a: Child) -> None:
        make_circumstance(child=child_a, code="a1", start_date=datetime.date(2020, 1, 1))
        response = as_user("officer").post(history_add(child_a, "circumstance"), {
            "group": group("a1").pk, "start_date": "2024-01-01"}, follow=True)
        assert str(exc.OVERLAPS) in html(response)
        assert child_a.circumstances.count() == 1

    def test_an_unknown_kind_is_not_found(self, as_user: Callable[[str], Client],
                                          child_a: Child) -> None:
        response = as_user("officer").post(history_add(child_a, "residence"),
                                           {"start_date": "2025-01-01"})
        assert response.status_code == 404

    def test_the_form_is_posted_not_fetched(self, as_user: Callable[[str], Client],
                                            child_a: Child) -> None:
        assert as_user("officer").get(history_add(child_a, "risk")).status_code == 405

    def test_it_ends_a_row(self, as_user: Callable[[str], Client], child_a: Child) -> None:
        row = make_risk(child=child_a, start_date=datetime.date(2024, 1, 1))
        response = as_user("officer").post(history_end("risk", row), {"end_date": "2024-06-30"})
        assert (response.status_code, response["Location"]) == (302, detail(child_a))
        row.refresh_from_db()
        assert row.end_date == datetime.date(2024, 6, 30)

    def test_ending_twice_is_reported_and_changes_nothing(
        self, as_user: Callable[[str], Client], child_a: Child,
    ) -> None:
        row = make_risk(child=child_a, start_date=datetime.date(2024, 1, 1),
                        end_date=datetime.date(2024, 3, 1))
        response = as_user("officer").post(history_end("risk", row), {"end_date": "2024-06-30"},
                                           follow=True)
        assert str(exc.ALREADY_ENDED) in html(response)
        row.refresh_from_db()
        assert row.end_date == datetime.date(2024, 3, 1)

    def test_a_row_of_another_kind_is_not_found(self, as_user: Callable[[str], Client],
                                                child_a: Child) -> None:
        row = make_risk(child=child_a, start_date=datetime.date(2024, 1, 1))
        client = as_user("officer")
        assert client.post(history_end("support", row),
                           {"end_date": "2024-06-30"}).status_code == 404
        assert client.post(history_end("residence", row),
                           {"end_date": "2024-06-30"}).status_code == 404

    def test_the_outsider_gets_404(self, as_user: Callable[[str], Client],
                                   child_a: Child) -> None:
        row = make_risk(child=child_a, start_date=datetime.date(2024, 1, 1))
        client = as_user("outsider")
        before = counts()
        assert client.post(history_add(child_a, "risk"), {
            "flag": "child_labour", "start_date": "2025-01-01"}).status_code == 404
        assert client.post(history_end("risk", row), {"end_date": "2024-06-30"}).status_code == 404
        assert counts() == before
        row.refresh_from_db()
        assert row.end_date is None

    @pytest.mark.parametrize("persona", ["auditor", "province_officer"])
    def test_a_read_only_user_gets_403(self, as_user: Callable[[str], Client],
                                       child_a: Child, persona: str) -> None:
        row = make_risk(child=child_a, start_date=datetime.date(2024, 1, 1))
        client = as_user(persona)
        before = counts()
        assert client.post(history_add(child_a, "risk"), {
            "flag": "child_labour", "start_date": "2025-01-01"}).status_code == 403
        assert client.post(history_end("risk", row), {"end_date": "2024-06-30"}).status_code == 403
        assert counts() == before

    def test_an_anonymous_visitor_is_sent_to_the_login_page(self, client: Client,
                                                            child_a: Child) -> None:
        row = make_risk(child=child_a, start_date=datetime.date(2024, 1, 1))
        for url in (history_add(child_a, "risk"), history_end("risk", row)):
            response = client.post(url, {"end_date": "2024-06-30"})
            assert (response.status_code, response["Location"]) == (302, login_redirect(url))


class CaregiverViewTests:
    def test_it_adds_a_caregiver(self, as_user: Callable[[str], Client], child_a: Child) -> None:
        response = as_user("officer").post(caregiver_add(child_a), {
            "full_name": "Nguyễn Thị Hoa", "relation": "mother", "birth_year": "1990",
            "phone": "0912 345 678", "is_primary": "on"})
        assert (response.status_code, response["Location"]) == (302, detail(child_a))
        caregiver = child_a.caregivers.get()
        assert (caregiver.full_name, caregiver.is_primary, caregiver.phone) == (
            "Nguyễn Thị Hoa", True, "0912 345 678")

    def test_a_bad_phone_number_is_reported_and_writes_nothing(
        self, as_user: Callable[[str], Client], child_a: Child,
    ) -> None:
        before = counts()
        response = as_user("officer").post(caregiver_add(child_a), {
            "full_name": "Nguyễn Thị Hoa", "relation": "mother", "phone": "gọi anh Ba"},
            follow=True)
        assert "Số điện thoại không hợp lệ." in html(response)
        assert counts() == before | {"AuditEvent": before["AuditEvent"] + 1}  # the page view

    def test_it_removes_a_caregiver(self, as_user: Callable[[str], Client],
                                    child_a: Child) -> None:
        caregiver = make_caregiver(child=child_a)
        response = as_user("officer").post(caregiver_remove(caregiver))
        assert (response.status_code, response["Location"]) == (302, detail(child_a))
        assert not Caregiver.objects.filter(pk=caregiver.pk).exists()

    def test_the_outsider_gets_404(self, as_user: Callable[[str], Client],
                                   child_a: Child) -> None:
        caregiver = make_caregiver(child=child_a)
        client = as_user("outsider")
        before = counts()
        assert client.post(caregiver_add(child_a), {
            "full_name": "Nguyễn Thị Hoa", "relation": "mother"}).status_code == 404
        assert client.post(caregiver_remove(caregiver)).status_code == 404
        assert client.post(reverse("registry:caregiver_remove",
                                   args=[uuid.uuid4()])).status_code == 404
        assert counts() == before

    @pytest.mark.parametrize("persona", ["auditor", "province_officer"])
    def test_a_read_only_user_gets_403(self, as_user: Callable[[str], Client],
                                       child_a: Child, persona: str) -> None:
        caregiver = make_caregiver(child=child_a)
        client = as_user(persona)
        before = counts()
        assert client.post(caregiver_add(child_a), {
            "full_name": "Nguyễn Thị Hoa", "relation": "mother"}).status_code == 403
        assert client.post(caregiver_remove(caregiver)).status_code == 403
        assert counts() == before

    def test_an_anonymous_visitor_is_sent_to_the_login_page(self, client: Client,
                                                            child_a: Child) -> None:
        caregiver = make_caregiver(child=child_a)
        for url in (caregiver_add(child_a), caregiver_remove(caregiver)):
            response = client.post(url, {"full_name": "Nguyễn Thị Hoa", "relation": "mother"})
            assert (response.status_code, response["Location"]) == (302, login_redirect(url))
        assert Caregiver.objects.count() == 1


class HouseholdViewTests:
    def test_the_list_shows_the_households_in_scope(self, tree: Tree,
                                                    as_user: Callable[[str], Client]) -> None:
        make_household(commune=tree.commune_a, head_name="Nông Văn Dền")
        make_household(commune=tree.commune_b, head_name="Vi Văn Slình")
        page = html(as_user("officer").get(HOUSEHOLDS))
        assert "Nông Văn Dền" in page
        assert "Vi Văn Slình" not in page

    def test_the_list_is_searched_by_post(self, tree: Tree,
                                          as_user: Callable[[str], Client]) -> None:
        make_household(commune=tree.commune_a, head_name="Nông Văn Dền")
        make_household(commune=tree.commune_a, head_name="Hà Thị Lan")
        client = as_user("officer")
        assert [h.head_name for h in client.post(HOUSEHOLDS, {"q": "nong van"})
                .context["page"]] == ["Nông Văn Dền"]
        assert len(client.get(HOUSEHOLDS, {"q": "nong van"}).context["page"]) == 2

    def test_it_creates_a_household(self, tree: Tree, as_user: Callable[[str], Client]) -> None:
        response = as_user("officer").post(HOUSEHOLD_CREATE, {
            "head_name": "Nông Văn Dền", "village": tree.village_a.pk, "address": "Tổ 2",
            "phone": "0912345678", "poverty_status": "poor"})
        household = Household.objects.get()
        assert (response.status_code, response["Location"]) == (302, household_detail(household))
        assert (household.village, household.poverty_status) == (tree.village_a, "poor")

    @pytest.mark.parametrize(("data", "message"), [
        ({"head_name": ""}, "Trường này là bắt buộc."),
        ({"phone": "không có"}, "Số điện thoại không hợp lệ."),
        ({"poverty_status": "rich"}, "Hãy chọn một lựa chọn hợp lệ."),
    ])
    def test_bad_input_shows_an_error_and_writes_nothing(
        self, as_user: Callable[[str], Client], data: dict[str, str], message: str,
    ) -> None:
        before = counts()
        response = as_user("officer").post(HOUSEHOLD_CREATE, {
            "head_name": "Nông Văn Dền", "poverty_status": "none", **data})
        assert response.status_code == 200
        assert message in html(response)
        assert counts() == before

    def test_a_village_of_another_commune_or_another_commune_is_refused(
        self, tree: Tree, as_user: Callable[[str], Client],
    ) -> None:
        village_b = make_unit(parent=tree.commune_b, level=Level.VILLAGE, code="01279-001",
                              name="Bản Giang", kind="Bản")
        client = as_user("officer")
        before = counts()
        response = client.post(HOUSEHOLD_CREATE, {"head_name": "Nông Văn Dền",
                                                  "poverty_status": "none",
                                                  "village": village_b.pk})
        assert response.status_code == 200
        assert client.post(HOUSEHOLD_CREATE, {
            "head_name": "Nông Văn Dền", "poverty_status": "none",
            "commune": str(tree.commune_b.public_id)}).status_code == 404
        assert counts() == before

    def test_the_book_lists_the_households_children_and_records_the_view(
        self, tree: Tree, as_user: Callable[[str], Client], personas: Personas,
    ) -> None:
        household = make_household(commune=tree.commune_a, head_name="Nông Văn Dền")
        child = make_child(commune=tree.commune_a, full_name="Nông Thị Mai", household=household)
        make_circumstance(child=child, code="d1", start_date=datetime.date(2024, 1, 1))
        make_child(commune=tree.commune_a, full_name="Lương Văn Tú")

        response = as_user("officer").get(household_detail(household))

        page = html(response)
        assert "Nông Thị Mai" in page
        assert "Lương Văn Tú" not in page
        assert "<td>d1</td>" in page
        [event] = views_of(household)
        assert (event.actor, event.object_type) == (personas.officer, "registry.household")

    def test_the_outsider_gets_404_and_a_user_without_the_register_403(
        self, tree: Tree, as_user: Callable[[str], Client],
    ) -> None:
        household = make_household(commune=tree.commune_a)
        assert as_user("outsider").get(household_detail(household)).status_code == 404
        assert as_user("outsider").get(reverse("registry:household_detail",
                                               args=[uuid.uuid4()])).status_code == 404
        assert as_user("admin").get(household_detail(household)).status_code == 403
        assert as_user("admin").get(HOUSEHOLDS).status_code == 403
        assert views_of(household) == []

    @pytest.mark.parametrize("persona", ["auditor", "province_officer"])
    def test_a_read_only_user_reads_the_book_but_may_not_create(
        self, tree: Tree, as_user: Callable[[str], Client], persona: str,
    ) -> None:
        household = make_household(commune=tree.commune_a)
        client = as_user(persona)
        assert client.get(household_detail(household)).status_code == 200
        assert client.get(HOUSEHOLD_CREATE).status_code == 403
        assert client.post(HOUSEHOLD_CREATE, {"head_name": "Nông Văn Dền",
                                              "poverty_status": "none"}).status_code == 403
        assert Household.objects.count() == 1

    def test_an_anonymous_visitor_is_sent_to_the_login_page(self, client: Client,
                                                            tree: Tree) -> None:
        household = make_household(commune=tree.commune_a)
        for url in (HOUSEHOLDS, HOUSEHOLD_CREATE, household_detail(household)):
            response = client.get(url)
            assert (response.status_code, response["Location"]) == (302, login_redirect(url))


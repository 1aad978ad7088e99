"""The child form's household: searched as one types among the households the user may
record a child in, not a drop-down of every household of the commune."""

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from treem.registry.models import Child, Household
from treem.registry.tests.factories import make_child, make_household
from treem.registry.tests.test_views import CREATE, child_form
from treem.testing import Personas, Tree, login
from treem.ui.pickers import PICK_MAX

pytestmark = pytest.mark.django_db

SEARCH = reverse("registry:household_search")
OPTION = re.compile(r'<option value="([^"]*)"[^>]*>([^<]*)</option>')


@pytest.fixture
def as_user(client: Client, personas: Personas) -> Callable[[str], Client]:
    return lambda persona: login(client, getattr(personas, persona))


@pytest.fixture
def den(tree: Tree) -> Household:
    return make_household(commune=tree.commune_a, village=tree.village_a,
                          head_name="Nông Văn Dền", address="Số 5, ngõ 12")


@pytest.fixture
def slinh(tree: Tree) -> Household:
    return make_household(commune=tree.commune_b, head_name="Vi Văn Slình")


def options(response) -> list[tuple[str, str]]:
    return [(value, label) for value, label in OPTION.findall(response.content.decode())
            if value]


class HouseholdSearchTests:
    @pytest.mark.parametrize("typed", ["nong den", "Nông Văn Dền", "DEN", "na pong",
                                       "ngõ 12"])
    def test_it_finds_a_household_by_head_village_or_address_with_or_without_accents(
        self, tree: Tree, as_user: Callable[[str], Client], den: Household, typed: str,
    ) -> None:
        answer = as_user("officer").get(SEARCH, {"household_q": typed,
                                                 "commune": str(tree.commune_a.public_id)})
        assert options(answer) == [(str(den.public_id),
                                    "Nông Văn Dền — Thôn Nà Pồng, Số 5, ngõ 12")]

    def test_it_offers_at_most_a_screen_of_households(
        self, tree: Tree, as_user: Callable[[str], Client],
    ) -> None:
        for number in range(PICK_MAX + 5):
            make_household(commune=tree.commune_a, head_name=f"Hoàng Văn Tám {number}")
        answer = as_user("officer").get(SEARCH, {"q": "hoang van"})
        assert len(options(answer)) == PICK_MAX
        assert f"{PICK_MAX} kết quả" in answer.content.decode()

    def test_an_officer_of_another_commune_never_gets_commune_a_households(
        self, tree: Tree, as_user: Callable[[str], Client], den: Household, slinh: Household,
    ) -> None:
        client = as_user("outsider")
        assert client.get(SEARCH, {"q": "van", "commune": str(tree.commune_a.public_id)}
                          ).status_code == 404
        found = options(client.get(SEARCH, {"q": "van"}))
        assert [value for value, _label in found] == [str(slinh.public_id)]

    def test_a_commune_that_is_no_id_is_not_found(self, tree: Tree,
                                                  as_user: Callable[[str], Client]) -> None:
        assert as_user("officer").get(SEARCH, {"q": "van", "commune": "x"}).status_code == 404

    def test_who_records_no_child_gets_403(self, tree: Tree,
                                           as_user: Callable[[str], Client]) -> None:
        assert as_user("auditor").get(SEARCH, {"q": "van"}).status_code == 403


class ChildFormHouseholdTests:
    def test_the_form_lists_no_households_until_one_searches(
        self, tree: Tree, as_user: Callable[[str], Client],
    ) -> None:
        for number in range(30):
            make_household(commune=tree.commune_a, head_name=f"Hoàng Văn Tám {number}")
        page = as_user("officer").get(CREATE).content.decode()
        assert "Hoàng Văn Tám" not in page
        assert 'name="household_q"' in page and 'name="household"' in page
        assert f'{SEARCH}?commune={tree.commune_a.public_id}' in page

    def test_a_typed_name_matching_one_household_records_the_child_in_it(
        self, tree: Tree, as_user: Callable[[str], Client], den: Household,
    ) -> None:
        response = as_user("officer").post(CREATE, child_form(household_q="nong van den"))
        assert response.status_code == 302
        assert Child.objects.get().household == den

    def test_the_household_chosen_in_the_list_is_recorded(
        self, tree: Tree, as_user: Callable[[str], Client], den: Household,
    ) -> None:
        response = as_user("officer").post(CREATE, child_form(household=str(den.public_id),
                                                              household_q="nong"))
        assert response.status_code == 302
        assert Child.objects.get().household == den

    def test_a_household_of_another_commune_is_refused_and_nothing_written(
        self, tree: Tree, as_user: Callable[[str], Client], slinh: Household,
    ) -> None:
        page = as_user("officer").post(CREATE, child_form(household=str(slinh.public_id)))
        assert page.status_code == 200
        assert "Hộ này không thuộc xã, phường của trẻ." in page.content.decode()
        assert not Child.objects.exists()

    def test_the_edit_form_shows_the_childs_household_and_keeps_it(
        self, tree: Tree, as_user: Callable[[str], Client], den: Household,
    ) -> None:
        child = make_child(commune=tree.commune_a, full_name="Nông Thị Mai", household=den)
        url = reverse("registry:child_edit", args=[child.public_id])
        page = as_user("officer").get(url).content.decode()
        assert (f'<option value="{den.public_id}" selected>'
                "Nông Văn Dền — Thôn Nà Pồng, Số 5, ngõ 12</option>") in page


class ChildFormNoSilentCutTests:
    def test_a_name_longer_than_the_register_holds_is_refused_not_cut(
        self, tree: Tree, as_user: Callable[[str], Client],
    ) -> None:
        page = as_user("officer").get(CREATE).content.decode()
        assert 'maxlength' not in page[page.index('<form method="post"'):]
        name = " ".join(["Hoàng Thị Thanh Hương"] * 8)  # 167 characters
        response = as_user("officer").post(CREATE, child_form(full_name=name))
        assert response.status_code == 200
        assert f"Quá dài: tối đa 150 ký tự, bạn đã nhập {len(name)}." in response.content.decode()
        assert not Child.objects.exists()

"""Circumstance groups that reveal abuse are shown only to who may see the child's cases.

Groups b (bỏ rơi), i (bạo lực), k (bóc lột), l (xâm hại tình dục) and m (mua bán) of Luật Trẻ
em Điều 10 khoản 1 say that the child was abused; a register reader who may not see the
child's cases sees that a restricted circumstance exists, without the group or its date, on
every page, export, list filter and API answer. Counts are aggregates and stay whole."""

import datetime
import io
import json
import re
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from treem.accounts.models import User
from treem.accounts.permissions import RESTRICTED_CIRCUMSTANCE_GROUPS
from treem.accounts.roles import Role
from treem.cases import services as case_services
from treem.cases.services import GROUP_OF_FORM
from treem.cases.tests.test_services import _notify
from treem.indicators import periods
from treem.indicators.compute import Cell, compute
from treem.indicators.spec import parse
from treem.registry import exceptions as exc
from treem.registry import selectors, services
from treem.registry.models import Child, ChildCircumstance, CircumstanceGroup
from treem.registry.tests.factories import make_child, make_circumstance, make_household
from treem.testing import Personas, Tree, login, make_user

pytestmark = pytest.mark.django_db

ABUSE_GROUP = "Trẻ em bị xâm hại tình dục"
SINCE = datetime.date(2025, 2, 3)
SINCE_TEXT = "03/02/2025"
RESTRICTED_TEXT = "Có hoàn cảnh đặc biệt được bảo mật"
DISABILITY_GROUP = "Trẻ em khuyết tật"


@dataclass
class Register:
    child: Child            # in village A, groups l (restricted) and d, a case worked by officer
    row: ChildCircumstance  # the child's group l
    colleague: User         # a second officer of commune A, on no case


@pytest.fixture
def register(tree: Tree, personas: Personas) -> Register:
    household = make_household(commune=tree.commune_a, village=tree.village_a)
    child = make_child(commune=tree.commune_a, village=tree.village_a,
                       full_name="Hà Thị Sen", household=household)
    row = make_circumstance(child=child, code="l", start_date=SINCE)
    make_circumstance(child=child, code="d", start_date=datetime.date(2024, 1, 1))
    notification = _notify(personas.intake, tree.commune_a, forms=["violence"])
    case_services.case_open(actor=personas.officer, notification=notification, child=child)
    colleague = make_user("officer_a2", role=Role.COMMUNE_OFFICER, unit=tree.commune_a)
    return Register(child, row, colleague)


def _as(user: User) -> Client:
    return login(Client(), user)


def _without_choices(page: str) -> str:
    """The page without its forms' lists of groups (the catalogue, the same for every child)."""
    return re.sub(r"<select.*?</select>", "", page, flags=re.S)


def _unauthorised(personas: Personas, register: Register) -> list[User]:
    return [register.colleague, personas.collaborator, personas.province_officer,
            personas.auditor]


class RuleTests:
    def test_the_restricted_groups_are_those_of_abuse(self) -> None:
        assert frozenset({"b", "i", "k", "l", "m"}) == RESTRICTED_CIRCUMSTANCE_GROUPS
        # Every group a confirmed form of abuse puts a child in is restricted.
        assert set(GROUP_OF_FORM.values()) <= RESTRICTED_CIRCUMSTANCE_GROUPS
        names = dict(CircumstanceGroup.objects.filter(parent__isnull=True)
                     .values_list("code", "name"))
        assert names["l"] == ABUSE_GROUP and names["b"] == "Trẻ em bị bỏ rơi"
        assert names["m"] == "Trẻ em bị mua bán" and names["k"] == "Trẻ em bị bóc lột"


class RecordPageTests:
    def test_who_may_see_the_childs_cases_sees_the_group_and_its_date(
        self, register: Register, personas: Personas
    ) -> None:
        url = reverse("registry:child_detail", args=[register.child.public_id])
        for user in (personas.officer, personas.chairman):
            page = _without_choices(_as(user).get(url).content.decode())
            assert ABUSE_GROUP in page and SINCE_TEXT in page
            assert RESTRICTED_TEXT not in page

    def test_every_other_reader_sees_only_that_a_restricted_circumstance_exists(
        self, register: Register, personas: Personas
    ) -> None:
        url = reverse("registry:child_detail", args=[register.child.public_id])
        for user in _unauthorised(personas, register):
            response = _as(user).get(url)
            page = _without_choices(response.content.decode())
            assert response.status_code == 200, user
            assert ABUSE_GROUP not in page and SINCE_TEXT not in page, user
            assert "l. " not in page
            assert RESTRICTED_TEXT in page
            assert DISABILITY_GROUP in page  # the other groups are shown as before
            # Nothing of the row to act on either: ending it is 404.
            assert str(register.row.public_id) not in page

    def test_an_officer_not_on_the_case_cannot_end_the_restricted_row(
        self, register: Register
    ) -> None:
        response = _as(register.colleague).post(
            reverse("registry:history_end", args=["circumstance", register.row.public_id]),
            {"end_date": "2026-01-01"})

        assert response.status_code == 404
        register.row.refresh_from_db()
        assert register.row.end_date is None

    def test_who_recorded_the_circumstance_sees_it(self, register: Register, tree: Tree,
                                                   personas: Personas) -> None:
        ChildCircumstance.objects.filter(pk=register.row.pk).update(
            created_by=register.colleague)

        page = _without_choices(_as(register.colleague).get(
            reverse("registry:child_detail", args=[register.child.public_id])).content.decode())

        assert ABUSE_GROUP in page


class HouseholdBookTests:
    def test_the_book_shows_the_code_only_to_who_may_see_it(self, register: Register,
                                                            personas: Personas) -> None:
        household = register.child.household
        assert household is not None
        url = reverse("registry:household_detail", args=[household.public_id])
        shown = _as(personas.chairman).get(url).content.decode()
        hidden = _as(register.colleague).get(url).content.decode()

        assert "<td>d, l</td>" in shown
        assert "<td>d, l</td>" not in hidden and "<td>d" in hidden
        assert "bảo mật" in hidden


class ApiTests:
    def test_the_history_hides_the_group_and_its_date(self, register: Register,
                                                      personas: Personas) -> None:
        url = f"/api/v1/children/{register.child.public_id}/history"
        seen = _as(personas.officer).get(url).json()
        hidden = _as(register.colleague).get(url).json()

        assert any(ABUSE_GROUP in e["label"] and e["day"] == SINCE.isoformat() for e in seen)
        text = json.dumps(hidden, ensure_ascii=False)
        assert ABUSE_GROUP not in text and SINCE.isoformat() not in text
        assert RESTRICTED_TEXT in text
        assert DISABILITY_GROUP in text

    def test_the_record_tells_nothing_of_the_group(self, register: Register) -> None:
        record = _as(register.colleague).get(f"/api/v1/children/{register.child.public_id}")

        assert record.status_code == 200
        assert ABUSE_GROUP not in record.content.decode()
        assert SINCE.isoformat() not in record.content.decode()


class FilterTests:
    def test_a_filter_by_a_restricted_group_finds_only_what_the_reader_may_see(
        self, register: Register, personas: Personas
    ) -> None:
        name = register.child.full_name
        for user, found in ((personas.officer, True), (personas.chairman, True),
                            (register.colleague, False), (personas.province_officer, False),
                            (personas.collaborator, False), (personas.auditor, False)):
            client = _as(user)
            page = client.get(reverse("registry:child_list"), {"circumstance": "l"})
            api = client.get("/api/v1/children", {"circumstance": "l"}).json()
            search = client.post("/api/v1/children/search",
                                 data=json.dumps({"q": "ha thi sen", "circumstance": "l"}),
                                 content_type="application/json").json()
            assert (name in page.content.decode()) is found, user
            assert (len(api["items"]) == 1) is found, user
            assert (len(search["items"]) == 1) is found, user

    def test_other_filters_still_find_the_child(self, register: Register) -> None:
        client = _as(register.colleague)
        for circumstance in ("d", "any"):
            api = client.get("/api/v1/children", {"circumstance": circumstance}).json()
            assert [item["full_name"] for item in api["items"]] == ["Hà Thị Sen"]

    def test_the_excel_export_filtered_by_a_restricted_group_holds_only_what_may_be_seen(
        self, register: Register, personas: Personas
    ) -> None:
        url = f"{reverse('registry:child_export')}?circumstance=l"
        body = {"reason": "Rà soát trẻ có hoàn cảnh đặc biệt quý I"}
        rows = {}
        for who, user in (("officer", personas.officer), ("colleague", register.colleague)):
            response = _as(user).post(url, body)
            sheet = load_workbook(io.BytesIO(response.content)).active
            rows[who] = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]

        assert rows == {"officer": ["Hà Thị Sen"], "colleague": []}


class ReportListTests:
    def test_the_reports_list_keeps_the_child_and_hides_the_group(
        self, register: Register, tree: Tree, personas: Personas
    ) -> None:
        day = datetime.date(2026, 6, 30)
        for user, expected in ((personas.chairman, "d, l"),
                               (register.colleague, f"d; {RESTRICTED_TEXT}"),
                               (personas.province_officer, f"d; {RESTRICTED_TEXT}")):
            children, groups = selectors.special_circumstances_on(
                user=user, unit=tree.commune_a, day=day)
            assert list(children) == [register.child]
            assert groups[register.child.pk] == expected, user


class IndicatorTests:
    def test_counts_of_children_in_special_circumstances_are_unchanged(
        self, register: Register, tree: Tree
    ) -> None:
        only_abuse = make_child(commune=tree.commune_a, full_name="Lò Văn Tải")
        make_circumstance(child=only_abuse, code="m", start_date=SINCE)
        make_child(commune=tree.commune_a, full_name="Vi Văn Khoa")
        spec = parse({"numerator": {"population": "children",
                                    "where": {"circumstance": ["*"]}},
                      "denominator": {"population": "children"}}, unit_kind="percent",
                     breakdowns=[])

        values = compute({"x": spec}, periods.parse("2026S1"), tree.province.path)

        assert values[("x", tree.commune_a.pk, "")] == Cell(2, 3)


class RecordingTests:
    """Adding a circumstance must not tell whether a hidden restricted one exists."""

    def test_an_officer_who_may_not_see_the_group_records_it_without_learning_it_exists(
        self, register: Register, tree: Tree
    ) -> None:
        group = CircumstanceGroup.objects.get(code="l")
        # The hidden row runs from SINCE, open: the same group over the same days.
        row = services.circumstance_add(actor=register.colleague, child=register.child,
                                        group=group, start_date=datetime.date(2026, 1, 5))

        assert row.created_by == register.colleague
        assert ChildCircumstance.objects.filter(child=register.child,
                                                group=group).count() == 2
        # The two rows are one child in the counts.
        spec = parse({"numerator": {"population": "children",
                                    "where": {"circumstance": ["l"]}},
                      "denominator": {"population": "children"}}, unit_kind="percent",
                     breakdowns=[])
        values = compute({"x": spec}, periods.parse("2026S1"), tree.province.path)
        assert values[("x", tree.commune_a.pk, "")] == Cell(1, 1)

    def test_who_may_see_the_group_is_told_it_overlaps(self, register: Register,
                                                       personas: Personas) -> None:

        group = CircumstanceGroup.objects.get(code="l")
        with pytest.raises(ValidationError) as error:
            services.circumstance_add(actor=personas.officer, child=register.child,
                                      group=group, start_date=datetime.date(2026, 1, 5))
        assert error.value.messages == [str(exc.OVERLAPS)]
        assert ChildCircumstance.objects.filter(child=register.child,
                                                group=group).count() == 1

    def test_every_officer_gets_the_same_answer_for_a_child_with_or_without_it(
        self, register: Register, tree: Tree
    ) -> None:
        """The probe: adding group l to each child of the commune succeeds alike."""
        group = CircumstanceGroup.objects.get(code="l")
        other = make_child(commune=tree.commune_a, village=tree.village_a,
                           full_name="Lò Văn Tủa")
        for child in (register.child, other):
            services.circumstance_add(actor=register.colleague, child=child, group=group,
                                      start_date=datetime.date(2026, 2, 1))

"""Two workers correcting one case's facts: a stale form never silently undoes the other's
correction (the version check of `treem.edits.conflicts`, as for the child register)."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from treem.accounts.models import User
from treem.accounts.roles import Role
from treem.audit.models import Action, AuditEvent
from treem.cases import services
from treem.cases.models import Case
from treem.cases.tests.test_facts_and_lists import _open
from treem.edits.conflicts import EditConflict
from treem.testing import Personas, Tree, form_data, login, make_user

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def colleague(tree: Tree) -> User:
    return make_user("officer_a2", role=Role.COMMUNE_OFFICER, unit=tree.commune_a,
                     full_name="Lò Thị Hằng")


@pytest.fixture
def case(tree: Tree, personas: Personas, colleague: User) -> Case:
    case = _open(personas, tree.commune_a, "Triệu Văn Sơn")
    services.case_assign(actor=personas.officer, case=case, worker=colleague)
    return case


def facts_of(case: Case) -> tuple[list[str], str, str]:
    case.refresh_from_db()
    return (sorted(case.abuses.values_list("form", flat=True)),
            case.abuses.values_list("place", flat=True).first() or "", case.perpetrator)


def read_facts_form(client: Client, case: Case) -> dict[str, Any]:
    response = client.get(reverse("cases:case_detail", args=[case.public_id]))
    assert response.status_code == 200
    return form_data(response.content.decode(),
                     action=reverse("cases:case_facts", args=[case.public_id]))


def facts_updates(case: Case) -> list[list[str]]:
    return [e.changed_fields for e in AuditEvent.objects.filter(
        action=Action.UPDATE, object_id=str(case.public_id)).order_by("id")
        if "workers" not in e.changed_fields]


class StaleFactsFormTests:
    def test_a_stale_form_that_changed_another_fact_keeps_the_correction(
        self, case: Case, personas: Personas, colleague: User,
    ) -> None:
        url = reverse("cases:case_facts", args=[case.public_id])
        first, second = login(Client(), personas.officer), login(Client(), colleague)
        mine, theirs = read_facts_form(first, case), read_facts_form(second, case)

        assert first.post(url, {**mine, "perpetrator": "parent"}).status_code == 302
        assert second.post(url, {**theirs, "place": "school"}).status_code == 302

        assert facts_of(case) == (["violence"], "school", "parent")
        assert facts_updates(case) == [["perpetrator"], ["abuses"]]

    def test_a_stale_change_of_the_same_fact_shows_both_values_and_writes_nothing(
        self, case: Case, personas: Personas, colleague: User,
    ) -> None:
        url = reverse("cases:case_facts", args=[case.public_id])
        first, second = login(Client(), personas.officer), login(Client(), colleague)
        mine, theirs = read_facts_form(first, case), read_facts_form(second, case)
        first.post(url, {**mine, "perpetrator": "parent"})
        events = AuditEvent.objects.count()

        response = second.post(url, {**theirs, "perpetrator": "acquaintance",
                                     "place": "school"})

        assert response.status_code == 200
        shown = response.content.decode()
        assert "Giá trị của bạn" in shown and "Người quen" in shown and "Cha, mẹ" in shown
        assert 'name="keep_perpetrator"' in shown and 'name="keep_place"' not in shown
        assert facts_of(case) == (["violence"], "family", "parent")
        assert AuditEvent.objects.count() == events

        again = form_data(shown, action=url)
        assert second.post(url, {**again, "keep_perpetrator": "mine"}).status_code == 302
        assert facts_of(case) == (["violence"], "school", "acquaintance")


class FactsServiceVersionTests:
    def test_a_stale_edit_raises_a_conflict_with_the_three_values(
        self, case: Case, personas: Personas, colleague: User,
    ) -> None:
        services.case_facts(actor=personas.officer, case=case, base_version=1,
                            perpetrator="parent")
        with pytest.raises(EditConflict) as raised:
            services.case_facts(actor=colleague, case=case, base_version=1,
                                base={"perpetrator": ""}, perpetrator="acquaintance")
        [conflict] = raised.value.conflicts
        assert (conflict.field, conflict.mine, conflict.theirs, conflict.base) == (
            "perpetrator", "acquaintance", "parent", "")
        assert facts_of(case)[2] == "parent"


class FactsApiVersionTests:
    def test_etag_if_match_and_412(self, case: Case, personas: Personas,
                                   colleague: User) -> None:
        client = login(Client(), personas.officer)
        url = f"/api/v1/cases/{case.public_id}"
        assert client.get(url)["ETag"] == '"1"'
        body = {"forms": ["violence"], "place": "family", "perpetrator": "parent"}
        assert client.patch(url, body, content_type=JSON).status_code == 428
        saved = client.patch(url, body, content_type=JSON, headers={"If-Match": '"1"'})
        assert saved.status_code == 200 and saved["ETag"] == '"2"'

        stale = login(Client(), colleague).patch(
            url, {**body, "perpetrator": "acquaintance"}, content_type=JSON,
            headers={"If-Match": '"1"'})
        assert stale.status_code == 412
        detail = stale.json()["detail"]
        assert "Người gây hại" in detail or "người gây hại" in detail
        assert [c["field"] for c in stale.json()["conflicts"]] == ["perpetrator"]
        assert facts_of(case) == (["violence"], "family", "parent")

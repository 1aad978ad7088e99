""""What treem holds on this child": every field and history row, the access log, and never
another child's data or the reporter's identity — whatever cases the officer gives."""

import json

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from treem.audit.models import Action, AuditEvent
from treem.audit.services import read_record
from treem.privacy.requests import holdings
from treem.privacy.tests.world import (
    REPORTER,
    SISTER,
    SISTER_ID,
    World,
    make_case,
    receive,
)
from treem.registry.tests.factories import make_consent
from treem.testing import Personas, Tree, login

pytestmark = pytest.mark.django_db

# Nothing of these may appear in any export of the child of `world`.
SISTER_CHILD = "Lương Thị Em Họ"
FORBIDDEN = [*REPORTER.values(), SISTER, SISTER_ID, "Hà Văn Bê", "Trần Văn Xê",
             "Lương Văn Bố"]


def exported(client: Client, personas: Personas, world: World, *, cases: list[str],
             kind: str) -> bytes:
    made = receive(personas, world.child)
    login(client, personas.officer)
    response = client.post(reverse("privacy:request_export", args=[made.public_id]),
                           {"cases": cases, "format": kind})
    assert response.status_code == 200, response.content[:500]
    return response.content


class HoldingsTests:
    def test_it_holds_every_field_history_row_and_the_access_log(
            self, client: Client, personas: Personas, world: World) -> None:
        read_record(actor=personas.officer, obj=world.child, unit=world.child.commune)
        content = json.loads(exported(client, personas, world, cases=[], kind="json"))
        assert content["child"]["full_name"]["value"] == "Lương Văn Minh"
        assert content["child"]["personal_id"]["value"] == "004215000123"
        assert content["child"]["ethnicity"]["text"]
        assert [c["full_name"]["value"] for c in content["caregivers"]] == ["Đinh Thị Mẹ"]
        assert content["household"][0]["head_name"]["value"] == "Lương Văn Chủ Hộ"
        assert len(content["residences"]) == 1
        seen = [row for row in content["access_log"] if row["action"] == str(Action.VIEW.label)]
        assert seen and seen[0]["who"] and seen[0]["unit"] == world.child.commune.name
        assert "Người làm công tác bảo vệ trẻ em cấp xã" in seen[0]["roles"]

    def test_it_holds_the_consents_given_and_who_read_their_forms(
            self, client: Client, personas: Personas, world: World) -> None:
        consent = make_consent(child=world.child, by=personas.officer,
                               representative_name="Đinh Thị Mẹ")
        read_record(actor=personas.chairman, obj=consent, unit=world.child.commune)
        content = json.loads(exported(client, personas, world, cases=[], kind="json"))
        [given] = content["consents"]
        assert given["representative_name"]["value"] == "Đinh Thị Mẹ"
        assert given["purpose"]["text"] == "Nêu tên trẻ trong hoạt động"
        assert given["withdrawn_on"]["value"] is None
        assert any(row["record"] == "sự đồng ý" for row in content["access_log"])

    def test_without_cases_the_abuse_circumstance_is_withheld_and_said_so(
            self, client: Client, personas: Personas, world: World) -> None:
        content = json.loads(exported(client, personas, world, cases=[], kind="json"))
        groups = [row["group"]["value"] for row in content["circumstances"]]
        assert groups == ["a"]
        assert content["withheld"] and content["cases"] == []

    def test_a_case_given_comes_without_its_reporter_or_narrative(
            self, client: Client, personas: Personas, world: World) -> None:
        body = exported(client, personas, world, cases=[str(world.case.public_id)],
                        kind="json")
        content = json.loads(body)
        assert [row["group"]["value"] for row in content["circumstances"]] == ["a", "i"]
        assert len(content["cases"]) == 1 and content["cases"][0]["abuse"]["text"]
        assert not content["withheld"]

    @pytest.mark.parametrize("kind", ["json", "pdf"])
    @pytest.mark.parametrize("with_case", [False, True])
    def test_no_export_names_another_child_or_the_reporter(
            self, client: Client, personas: Personas, world: World, kind: str,
            with_case: bool) -> None:
        cases = [str(world.case.public_id)] if with_case else []
        body = exported(client, personas, world, cases=cases, kind=kind)
        if kind == "pdf":
            assert body.startswith(b"%PDF")
            # The PDF is the template's page laid out: what the page holds is what it prints.
            content = holdings.assemble(
                request=receive(personas, world.child), cases=[world.case] if with_case else [])
            text = str(render_to_string("privacy/requests/holdings.html", {"h": content}))
        else:
            text = body.decode()
        assert "Lương Văn Minh" in text
        for value in FORBIDDEN:
            assert value not in text, value

    def test_the_export_is_audited_on_the_childs_record(
            self, client: Client, personas: Personas, world: World) -> None:
        exported(client, personas, world, cases=[], kind="json")
        event = AuditEvent.objects.get(action=Action.EXPORT, object_type="registry.child")
        assert event.object_id == str(world.child.public_id)
        assert "subject_export" in event.changed_fields

    def test_a_case_of_another_child_cannot_be_slipped_in(
            self, client: Client, tree: Tree, personas: Personas, world: World) -> None:
        other = make_case(tree, personas, SISTER_CHILD)
        made = receive(personas, world.child)
        login(client, personas.officer)
        response = client.post(reverse("privacy:request_export", args=[made.public_id]),
                               {"cases": [str(other.public_id)], "format": "json"})
        assert response.status_code == 400
        assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()

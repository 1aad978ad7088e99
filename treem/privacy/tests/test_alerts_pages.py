"""The auditors' alert pages and API: a province's auditor sees its province's alerts (and those
on the units dissolved into it), never another province's (404); a commune officer 403; an
anonymous visitor the sign-in page or 401; a decision needs a note and is audited."""

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from treem.accounts.roles import Role
from treem.accounts.services import token_create
from treem.audit.models import Action, AuditEvent
from treem.privacy.models import AccessAlert, AlertStatus, Rule
from treem.privacy.tests.alerts_world import make_alert
from treem.testing import Personas, Tree, login, make_user

JSON = "application/json"
API = "/api/v1/privacy/alerts"


def bearer(user: Any) -> Client:
    _token, raw = token_create(user=user, name="thử cảnh báo", days=1)
    return Client(headers={"Authorization": f"Bearer {raw}"})


@pytest.fixture
def world(tree: Tree, personas: Personas) -> dict[str, Any]:
    officer_c = make_user("officer_c", role=Role.COMMUNE_OFFICER, unit=tree.commune_c)
    return {
        "a": make_alert(user=personas.officer, unit=tree.commune_a),
        "old": make_alert(user=personas.chairman, unit=tree.old_commune,
                          rule=Rule.HEAVY_READING, events=3),
        "c": make_alert(user=officer_c, unit=tree.commune_c),
    }


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


class AlertListPageTests:
    def test_the_auditor_sees_its_province_and_the_units_dissolved_into_it(
            self, client: Client, personas: Personas, world: dict[str, Any]) -> None:
        text = page(login(client, personas.auditor), "/privacy/alerts/")
        assert "officer_a" in text and "chairman_a" in text
        assert "officer_c" not in text

    def test_filters_narrow_the_list_and_say_when_nothing_matches(
            self, client: Client, personas: Personas, world: dict[str, Any]) -> None:
        login(client, personas.auditor)
        text = page(client, f"/privacy/alerts/?rule={Rule.HEAVY_READING}")
        assert "chairman_a" in text and "officer_a" not in text
        text = page(client, "/privacy/alerts/?subject=nobody")
        assert "Không có cảnh báo nào khớp với bộ lọc." in text

    def test_an_empty_list_says_so(self, client: Client, tree: Tree, personas: Personas) -> None:
        text = page(login(client, personas.auditor), "/privacy/alerts/")
        assert "Chưa có cảnh báo nào trong phạm vi của bạn." in text

    def test_the_list_reads_the_same_queries_for_one_alert_or_many(
            self, client: Client, personas: Personas, tree: Tree,
            world: dict[str, Any]) -> None:
        login(client, personas.auditor)
        client.get("/privacy/alerts/")
        with CaptureQueriesContext(connection) as few:
            client.get("/privacy/alerts/")
        for n in range(5):
            make_alert(user=make_user(f"ctv{n}", role=Role.VILLAGE_COLLABORATOR,
                                      unit=tree.village_a), unit=tree.commune_a)
        with CaptureQueriesContext(connection) as many:
            client.get("/privacy/alerts/")
        assert len(many) == len(few)

    def test_who_may_not_read_alerts_is_refused(self, client: Client, personas: Personas,
                                                world: dict[str, Any]) -> None:
        assert Client().get("/privacy/alerts/").status_code == 302
        assert login(client, personas.officer).get("/privacy/alerts/").status_code == 403


class AlertDetailPageTests:
    def test_it_shows_the_events_and_links_the_audit_log(
            self, client: Client, personas: Personas, world: dict[str, Any]) -> None:
        text = page(login(client, personas.auditor),
                    f"/privacy/alerts/{world['old'].public_id}/")
        assert text.count("Phường Sông Hiến") >= 3  # the unit, and each of its three events
        assert "/audit/?" in text and "username=chairman_a" in text

    def test_another_provinces_alert_is_not_found(self, client: Client, personas: Personas,
                                                  world: dict[str, Any]) -> None:
        login(client, personas.auditor)
        assert client.get(f"/privacy/alerts/{world['c'].public_id}/").status_code == 404
        assert client.post(f"/privacy/alerts/{world['c'].public_id}/decide/",
                           {"status": "acknowledged", "note": "x"}).status_code == 404

    def test_a_commune_officer_is_forbidden(self, client: Client, personas: Personas,
                                            world: dict[str, Any]) -> None:
        login(client, personas.officer)
        assert client.get(f"/privacy/alerts/{world['a'].public_id}/").status_code == 403


class DecisionTests:
    def test_acknowledging_with_a_note_is_recorded_and_audited(
            self, client: Client, personas: Personas, world: dict[str, Any]) -> None:
        alert = world["a"]
        login(client, personas.auditor)
        response = client.post(f"/privacy/alerts/{alert.public_id}/decide/",
                               {"status": "acknowledged", "note": "Đã hỏi cán bộ"})
        assert response.status_code == 302
        alert.refresh_from_db()
        assert (alert.status, alert.note, alert.decided_by) == (
            AlertStatus.ACKNOWLEDGED, "Đã hỏi cán bộ", personas.auditor)
        event = AuditEvent.objects.get(object_type="privacy.accessalert")
        assert event.action == Action.UPDATE and event.actor == personas.auditor
        assert event.unit_path == alert.unit_path

    def test_a_decision_without_a_note_changes_nothing(
            self, client: Client, personas: Personas, world: dict[str, Any]) -> None:
        alert = world["a"]
        login(client, personas.auditor)
        response = client.post(f"/privacy/alerts/{alert.public_id}/decide/",
                               {"status": "dismissed", "note": "  "}, follow=True)
        assert "Hãy ghi chú lý do" in response.content.decode()
        alert.refresh_from_db()
        assert alert.status == AlertStatus.OPEN
        assert not AuditEvent.objects.filter(object_type="privacy.accessalert").exists()

    def test_a_dismissed_alert_is_closed(self, personas: Personas,
                                         world: dict[str, Any]) -> None:
        from django.core.exceptions import ValidationError

        from treem.privacy.alerts.services import alert_decide
        alert = alert_decide(actor=personas.auditor, alert=world["a"], status="dismissed",
                             note="Xuất báo cáo theo kế hoạch")
        with pytest.raises(ValidationError) as refused:
            alert_decide(actor=personas.auditor, alert=alert, status="acknowledged", note="x")
        assert "không chuyển sang" in refused.value.messages[0]


class AlertApiTests:
    def test_the_list_and_the_detail_with_a_token(self, personas: Personas,
                                                  world: dict[str, Any]) -> None:
        client = bearer(personas.auditor)
        items = client.get(API).json()["items"]
        assert {i["username"] for i in items} == {"officer_a", "chairman_a"}
        detail = client.get(f"{API}/{world['old'].public_id}").json()
        assert detail["count"] == 3 and len(detail["events"]) == 3
        assert detail["baseline"] == "1.0"

    def test_another_provinces_alert_is_404_and_a_commune_officer_403(
            self, personas: Personas, world: dict[str, Any]) -> None:
        assert bearer(personas.auditor).get(f"{API}/{world['c'].public_id}").status_code == 404
        assert bearer(personas.officer).get(API).status_code == 403
        assert Client().get(API).status_code == 401

    def test_a_decision_over_the_api(self, client: Client, personas: Personas,
                                     world: dict[str, Any]) -> None:
        login(client, personas.auditor)
        url = f"{API}/{world['a'].public_id}/decision"
        refused = client.post(url, json.dumps({"status": "dismissed", "note": ""}),
                              content_type=JSON)
        assert refused.status_code == 422 and "Hãy ghi chú" in refused.json()["detail"]
        done = client.post(url, json.dumps({"status": "dismissed", "note": "Đúng kế hoạch"}),
                           content_type=JSON)
        assert done.status_code == 200 and done.json()["status"] == "dismissed"
        assert AccessAlert.objects.get(pk=world["a"].pk).status == AlertStatus.DISMISSED

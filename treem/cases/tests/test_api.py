"""Intake and cases over the API: the same rules as the pages."""

import pytest
from django.test import Client

from treem.cases.models import Case, Notification
from treem.cases.services import case_open
from treem.registry.tests.factories import make_child
from treem.testing import login

pytestmark = pytest.mark.django_db

REPORT = {"commune": "01273", "channel": "hotline_111", "received_at": "2026-03-02T09:30:00+07:00",
          "forms": ["violence"], "place": "school", "description": "Trẻ bị bạn đánh hội đồng",
          "reporter_name": "Cô giáo Lan", "reporter_phone": "0987000111", "urgent": True}


def _post(client: Client, url: str, body: dict):
    return client.post(url, body, content_type="application/json")


class NotificationApiTests:
    def test_a_partner_hotline_posts_a_report_and_only_it_reads_the_reporter(
            self, tree, personas) -> None:
        hotline = login(Client(), personas.intake)
        created = _post(hotline, "/api/v1/notifications", REPORT)
        assert created.status_code == 201
        assert created.json()["reporter"]["name"] == "Cô giáo Lan"
        nid = created.json()["id"]
        officer = login(Client(), personas.officer)
        seen = officer.get(f"/api/v1/notifications/{nid}").json()
        assert seen["reporter"] is None and seen["description"] == REPORT["description"]
        listed = officer.get("/api/v1/notifications").json()["items"]
        assert [n["reporter"] for n in listed] == [None]

    @pytest.mark.parametrize("change", [{"forms": ["beating"]}, {"channel": "fax"},
                                        {"forms": []},
                                        {"received_at": "2099-01-01T00:00:00+07:00"}])
    def test_bad_input_is_422_and_writes_nothing(self, tree, personas, change) -> None:
        response = _post(login(Client(), personas.intake), "/api/v1/notifications",
                         {**REPORT, **change})
        assert response.status_code == 422
        assert not Notification.objects.exists()

    @pytest.mark.parametrize("commune", ["99999", "01270"])  # none; dissolved on 1 July 2025
    def test_a_commune_not_current_is_not_found_and_nothing_written(self, tree, personas,
                                                                     commune) -> None:
        response = _post(login(Client(), personas.intake), "/api/v1/notifications",
                         {**REPORT, "commune": commune})
        assert response.status_code == 404
        assert not Notification.objects.exists()


class CaseApiTests:
    def test_moves_over_the_api_follow_the_workflow(self, tree, personas) -> None:
        hotline = login(Client(), personas.intake)
        nid = _post(hotline, "/api/v1/notifications", REPORT).json()["id"]
        child = make_child(commune=tree.commune_a, full_name="Nông Văn Tú")
        case = case_open(actor=personas.officer, child=child,
                         notification=Notification.objects.get(public_id=nid))
        officer = login(Client(), personas.officer)
        detail = officer.get(f"/api/v1/cases/{case.public_id}").json()
        assert detail["status"] == "received"
        assert [d["step"] for d in detail["deadlines"]] == ["emergency"]
        moved = _post(officer, f"/api/v1/cases/{case.public_id}/move", {"move": "verify"})
        assert moved.status_code == 200 and moved.json()["status"] == "verifying"
        refused = _post(officer, f"/api/v1/cases/{case.public_id}/move", {"move": "close"})
        assert refused.status_code == 422
        chairman = login(Client(), personas.chairman)
        assert _post(chairman, f"/api/v1/cases/{case.public_id}/move",
                     {"move": "confirm"}).status_code == 403  # not a worker of the case
        assert Case.objects.get().status == "verifying"

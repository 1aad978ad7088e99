"""The population-database pages and API: the commune's list with its counts, the export, a
batch with the import form and each row's result, what is left, the lookup; for the commune's
officer, with commune B's officer (404), roles without the capability (403) and an anonymous
visitor (login page, 401). The API runs with a Bearer token and with a browser session."""

import datetime
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from treem.accounts.services import token_create
from treem.audit.models import Action, AuditEvent
from treem.privacy.models import PopulationAnswer, PopulationCheck
from treem.privacy.population import services
from treem.privacy.tests.population_world import (
    BAD_ROW,
    Five,
    make_five,
    police_answer,
    round_trip_answers,
)
from treem.testing import Personas, Tree, login

pytestmark = pytest.mark.django_db
API = "/api/v1"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def five(tree: Tree) -> Five:
    return make_five(tree)


@pytest.fixture
def batch(tree: Tree, personas: Personas, five: Five) -> tuple[PopulationCheck, bytes]:
    return services.population_check_create(actor=personas.officer, commune=tree.commune_a,
                                            include_unverified=True)


def bearer(user: Any) -> Client:
    _token, raw = token_create(user=user, name="thử đối chiếu", days=1)
    return Client(headers={"Authorization": f"Bearer {raw}"})


@pytest.fixture(params=["token", "session"])
def api_as(request: pytest.FixtureRequest) -> Any:
    def make(user: Any) -> Client:
        return bearer(user) if request.param == "token" else login(Client(), user)
    return make


class PageTests:
    def test_the_commune_page_counts_the_children_to_check(
            self, client: Client, tree: Tree, personas: Personas, five: Five) -> None:
        response = login(client, personas.officer).get(reverse("privacy:population_home"))
        assert response.status_code == 200
        text = response.content.decode()
        assert "Phường Thục Phán" in text
        assert '<dd id="issue-missing">2</dd>' in text
        assert '<dd id="issue-mismatch">1</dd>' in text
        assert "Vi Văn Năm" in text and "Đàm Văn Cũ" not in text

    def test_the_export_hands_out_the_file_and_records_the_batch(
            self, client: Client, tree: Tree, personas: Personas, five: Five) -> None:
        response = login(client, personas.officer).post(
            reverse("privacy:population_export"), {"commune": tree.commune_a.public_id})
        assert response.status_code == 200
        assert response["Content-Type"] == XLSX
        assert "doi-chieu-dan-cu-" in response["Content-Disposition"]
        assert PopulationCheck.objects.get().row_count == 3

    def test_the_export_of_a_dissolved_commune_says_why(
            self, client: Client, tree: Tree, personas: Personas, five: Five) -> None:
        response = login(client, personas.officer).post(
            reverse("privacy:population_export"), {"commune": tree.old_commune.public_id},
            follow=True)
        assert "đã thôi hoạt động từ 30/06/2025" in response.content.decode()
        assert not PopulationCheck.objects.exists()

    def test_the_export_for_another_commune_is_not_found(
            self, client: Client, tree: Tree, personas: Personas, five: Five) -> None:
        response = login(client, personas.outsider).post(
            reverse("privacy:population_export"), {"commune": tree.commune_a.public_id})
        assert response.status_code == 404
        assert not PopulationCheck.objects.exists()

    def test_the_import_applies_the_answer_and_shows_the_report(
            self, client: Client, personas: Personas, five: Five,
            batch: tuple[PopulationCheck, bytes]) -> None:
        check, content = batch
        data = police_answer(content, round_trip_answers(five), extra=[BAD_ROW])
        login(client, personas.officer)
        response = client.post(reverse("privacy:population_import", args=[check.public_id]),
                               {"mode": "valid_only",
                                "file": SimpleUploadedFile("ket-qua.xlsx", data)},
                               follow=True)
        text = response.content.decode()
        assert '<dd id="updated">3</dd>' in text
        assert '<dd id="errors">1</dd>' in text
        assert "không thuộc đợt kiểm tra này" in text
        left = client.get(reverse("privacy:population_left", args=[check.public_id]))
        assert "Vi Văn Năm" in left.content.decode()
        assert "Lò Văn Một" not in left.content.decode()

    def test_an_import_without_a_file_asks_for_one(
            self, client: Client, personas: Personas,
            batch: tuple[PopulationCheck, bytes]) -> None:
        check, _content = batch
        response = login(client, personas.officer).post(
            reverse("privacy:population_import", args=[check.public_id]), {"mode": "all"})
        assert "Hãy chọn tệp kết quả" in response.content.decode()
        assert not PopulationAnswer.objects.exists()

    @pytest.mark.parametrize("name", ["population_batch", "population_left",
                                      "population_batch_file"])
    def test_another_communes_officer_gets_404_for_the_batch(
            self, client: Client, personas: Personas, name: str,
            batch: tuple[PopulationCheck, bytes]) -> None:
        check, _content = batch
        response = login(client, personas.outsider).get(
            reverse(f"privacy:{name}", args=[check.public_id]))
        assert response.status_code == 404

    @pytest.mark.parametrize("persona", ["province_officer", "auditor", "collaborator",
                                         "admin"])
    def test_a_role_without_the_capability_gets_403(
            self, client: Client, personas: Personas, persona: str,
            batch: tuple[PopulationCheck, bytes]) -> None:
        check, _content = batch
        login(client, getattr(personas, persona))
        assert client.get(reverse("privacy:population_home")).status_code == 403
        assert client.get(reverse("privacy:population_batch",
                                  args=[check.public_id])).status_code == 403

    def test_an_anonymous_visitor_goes_to_the_login_page(self, client: Client) -> None:
        response = client.get(reverse("privacy:population_home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


class ApiTests:
    def test_export_import_and_detail(self, api_as: Any, tree: Tree, personas: Personas,
                                      five: Five) -> None:
        client = api_as(personas.officer)
        response = client.post(f"{API}/population/communes/{tree.commune_a.public_id}/checks"
                               "?include_unverified=true")
        assert response.status_code == 200 and response["Content-Type"] == XLSX
        check_id = response["X-Treem-Check"]
        data = police_answer(response.content, round_trip_answers(five), extra=[BAD_ROW])
        answer = client.post(f"{API}/population/checks/{check_id}/answers",
                             {"mode": "valid_only",
                              "file": SimpleUploadedFile("k.xlsx", data)})
        assert answer.status_code == 200, answer.content
        body = answer.json()
        assert (body["updated_count"], body["not_found_count"], body["error_count"]) == (3, 1, 1)
        again = client.post(f"{API}/population/checks/{check_id}/answers",
                            {"mode": "valid_only", "file": SimpleUploadedFile("k.xlsx", data)})
        assert again.json()["updated_count"] == 0
        assert again.json()["same_file_as"] == body["id"]
        detail = client.get(f"{API}/population/checks/{check_id}").json()
        assert detail["counts"]["settled"] == 4 and detail["counts"]["not_found"] == 1
        assert {row["full_name"] for row in detail["rows"]} >= {"Hà Thị Hai"}
        listed = client.get(f"{API}/population/checks").json()
        assert [item["id"] for item in listed] == [check_id]

    def test_a_dissolved_commune_is_refused_with_its_message(
            self, api_as: Any, tree: Tree, personas: Personas, five: Five) -> None:
        response = api_as(personas.officer).post(
            f"{API}/population/communes/{tree.old_commune.public_id}/checks")
        assert response.status_code == 422
        assert "đã thôi hoạt động" in response.json()["detail"]

    def test_another_commune_is_not_found_and_a_reader_forbidden(
            self, api_as: Any, tree: Tree, personas: Personas,
            batch: tuple[PopulationCheck, bytes]) -> None:
        check, _content = batch
        outsider = api_as(personas.outsider)
        assert outsider.post(f"{API}/population/communes/{tree.commune_a.public_id}/checks"
                             ).status_code == 404
        assert outsider.get(f"{API}/population/checks/{check.public_id}").status_code == 404
        assert outsider.post(f"{API}/population/checks/{check.public_id}/answers",
                             {"mode": "all"}).status_code == 404
        assert outsider.get(f"{API}/population/checks").json() == []
        reader = api_as(personas.province_officer)
        assert reader.get(f"{API}/population/checks/{check.public_id}").status_code == 403

    def test_an_anonymous_caller_gets_401(self, batch: tuple[PopulationCheck, bytes]) -> None:
        check, _content = batch
        assert Client().get(f"{API}/population/checks/{check.public_id}").status_code == 401


def audit_of_exports() -> int:
    return AuditEvent.objects.filter(action=Action.EXPORT).count()


def test_a_file_bytes_helper_is_a_workbook(batch: tuple[PopulationCheck, bytes]) -> None:
    from openpyxl import load_workbook

    _check, content = batch
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Danh sách đối chiếu", "Hướng dẫn"]
    assert datetime.date.today().year >= 2026


class QueryCountTests:
    def test_the_batch_and_home_pages_read_no_row_by_row(
            self, client: Client, tree: Tree, personas: Personas, five: Five) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def queries(check: PopulationCheck) -> tuple[int, int]:
            with CaptureQueriesContext(connection) as batch_page:
                assert client.get(reverse("privacy:population_batch",
                                          args=[check.public_id])).status_code == 200
            with CaptureQueriesContext(connection) as home_page:
                assert client.get(reverse("privacy:population_home")).status_code == 200
            return len(batch_page), len(home_page)

        login(client, personas.officer)
        small, _content = services.population_check_create(actor=personas.officer,
                                                           commune=tree.commune_a)
        first = queries(small)
        from treem.registry.tests.factories import make_child

        for n in range(6):
            make_child(commune=tree.commune_a, village=tree.village_a,
                       full_name=f"Trẻ Thêm {n}")
        large, _content = services.population_check_create(actor=personas.officer,
                                                           commune=tree.commune_a)
        assert large.row_count == small.row_count + 6
        assert queries(large) == first

"""The API's contract, finding by finding of the outside test: input bounded before any work,
no server error from any input, one documented error shape in Vietnamese, schemas that refuse
what they do not describe, and the same scope answers everywhere."""

import json
import re
import time
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from treem.accounts.models import ApiToken
from treem.accounts.services import token_create
from treem.api import api
from treem.api_support import ErrorOut, error_body
from treem.cases.models import Notification
from treem.registry import services as registry_services
from treem.registry.forms import ChildForm
from treem.registry.models import Child, DuplicatePair
from treem.testing import Personas, Tree, login
from treem.web.tests.test_scope_coverage import NOTIFICATION_API, World

JSON = "application/json"
MEGABYTE = 1024 * 1024
NEW_CHILD = {"full_name": "Hoàng Văn Khải", "sex": "m", "birth_date": "2018-04-12",
             "ethnicity": "02", "commune": "01273"}


def bearer(user: Any) -> Client:
    _token, raw = token_create(user=user, name="contract", days=1)
    return Client(headers={"Authorization": f"Bearer {raw}"})


@pytest.fixture
def officer(personas: Personas) -> Client:
    return bearer(personas.officer)


@pytest.fixture
def province(personas: Personas) -> Client:
    return bearer(personas.province_officer)


def document() -> dict[str, Any]:
    return api.get_openapi_schema(path_prefix="/api/v1/")


def operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, methods in document()["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def assert_error(response: Any, status: int) -> dict[str, Any]:
    """The answer is an error of `status` in the API's one shape, in Vietnamese."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith(JSON)
    body = response.json()
    ErrorOut.model_validate(body)
    assert set(body) == {"detail", "code", "errors"}
    assert re.search("[À-ỹ]", body["detail"]), f"not Vietnamese: {body['detail']}"
    return body


def cheapest(call: Callable[[], Any], runs: int = 3) -> tuple[float, Any]:
    """The fastest of a few runs (the machine is shared: the minimum is what the code costs)."""
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = call()
        best = min(best, time.perf_counter() - start)
    return best, result


def peak_memory(call: Callable[[], Any]) -> int:
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def not_called(*_args: Any, **_kwargs: Any) -> Any:
    raise AssertionError("the service ran on input the schema should have refused")


# --- 1. Every text is bounded, and refused before any work --------------------------------------

class LengthBeforeWorkTests:
    def test_the_api_refuses_a_megabyte_name_at_once_with_flat_memory(
        self, officer: Client, monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        monkeypatch.setattr(registry_services, "child_register", not_called)
        body = json.dumps({**NEW_CHILD, "full_name": "a" * MEGABYTE})

        def send() -> Any:
            return officer.post("/api/v1/children", body, content_type=JSON)

        seconds, response = cheapest(send)
        error = assert_error(response, 422)
        assert error["errors"] == [{"loc": ["body", "full_name"], "msg": "Dài tối đa 150 ký tự.",
                                    "type": "string_too_long"}]
        assert seconds < 0.1
        # The body itself is a megabyte; a few copies of it at most, never gigabytes.
        assert peak_memory(send) < 12 * MEGABYTE
        assert Child.objects.count() == 0

    def test_the_form_refuses_a_megabyte_name_at_once_with_flat_memory(
            self, tree: Tree, personas: Personas) -> None:
        data = {"full_name": "a" * MEGABYTE, "sex": "m", "birth_date": "2018-04-12",
                "ethnicity": "1", "residence_type": "permanent",
                "living_arrangement": "both_parents", "school_level": "none",
                "school_status": "na", "birth_date_precision": "day"}

        def check() -> Any:
            form = ChildForm(data, commune=tree.commune_a, user=personas.officer)
            form.is_valid()
            return form

        seconds, form = cheapest(check)
        assert list(form.errors) == ["full_name"]
        assert "150" in form.errors["full_name"][0]
        assert seconds < 0.1
        assert peak_memory(check) < 12 * MEGABYTE

    def test_the_page_answers_a_megabyte_name_with_the_forms_error(
        self, client: Client, personas: Personas, monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        monkeypatch.setattr(registry_services, "child_register", not_called)
        login(client, personas.officer)
        response = client.post(reverse("registry:child_create"),
                               {"full_name": "a" * MEGABYTE, "sex": "m"})
        assert response.status_code == 200
        assert "full_name" in response.context["form"].errors
        assert Child.objects.count() == 0

    def test_every_string_of_every_input_is_bounded_in_the_document(self) -> None:
        spec = document()
        unbounded = []
        for path, method, operation in operations():
            for parameter in operation.get("parameters", []):
                unbounded += [f"{method} {path} {parameter['in']} {where}"
                              for where in _unbounded(parameter["schema"], spec)]
            for content in operation.get("requestBody", {}).get("content", {}).values():
                unbounded += [f"{method} {path} body {where}"
                              for where in _unbounded(content["schema"], spec)]
        assert unbounded == []


def _resolve(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _unbounded(schema: dict[str, Any], spec: dict[str, Any], where: str = "",
               seen: frozenset[str] = frozenset()) -> list[str]:
    """Where a string has no maximum length (an enum, a UUID, a date or a file is bounded by
    what it is), an array no maximum count, an object open to any number of keys."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return []
        return _unbounded(_resolve(schema, spec), spec, where, seen | {name})
    found: list[str] = []
    for key in ("anyOf", "oneOf", "allOf"):
        for branch in schema.get(key, []):
            found += _unbounded(branch, spec, where, seen)
    kind = schema.get("type")
    if kind == "string" and not ({"maxLength", "enum", "const"} & set(schema)
                                 or schema.get("format") in ("uuid", "binary")):
        found.append(where or "(value)")
    if kind == "array":
        if "maxItems" not in schema:
            found.append(f"{where}[]")
        found += _unbounded(schema.get("items", {}), spec, f"{where}[]", seen)
    if kind == "object" or "properties" in schema:
        for name, item in schema.get("properties", {}).items():
            found += _unbounded(item, spec, f"{where}.{name}", seen)
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            if "maxProperties" not in schema:
                found.append(f"{where}{{}}")
            found += _unbounded(extra, spec, f"{where}{{}}", seen)
    return found


# --- 2. No input is a server error ---------------------------------------------------------------

def _string_query_parameters() -> list[Any]:
    found = []
    for path, method, operation in operations():
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query":
                found.append(pytest.param(path, method, parameter["name"],
                                          id=f"{method} {path} {parameter['name']}"))
    return found


def _paginated() -> list[Any]:
    return [pytest.param(path, id=path) for path, method, operation in operations()
            if method == "get" and any(p["name"] == "page" for p in operation.get("parameters", []))]


# A path's parameters → an object of the officer's commune A.
PATH_OBJECTS = {"fund_id": "fund.fund.public_id",
                "unit_id": "tree.commune_a.public_id", "commune_id": "tree.commune_a.public_id",
                "province_id": "tree.province.public_id", "child_id": "child_a.public_id",
                "notification_id": "notification_a.public_id", "case_id": "case_a.public_id",
                "job_id": "import_job_a.public_id", "report_id": "report_a.public_id",
                "assessment_id": "assessment_a.public_id", "plan_id": "plan_a.public_id"}
REQUIRED = {"period": "2026S1", "start": "2026-01-01", "end": "2026-12-31", "unit": "01273"}


def _url(world: World, path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: world.resolve(PATH_OBJECTS[m.group(1)]), path)


class NoServerErrorTests:
    @pytest.mark.parametrize(("path", "method", "name"), _string_query_parameters())
    def test_a_nul_in_a_query_parameter_is_refused(self, world: World, path: str, method: str,
                                                   name: str) -> None:
        client = bearer(world.personas.officer)
        url = f"{_url(world, path)}?{urlencode({**REQUIRED, name: 'a' + chr(0) + 'b'})}"
        response = (client.get(url) if method == "get"
                    else getattr(client, method)(url, {}, content_type=JSON))
        body = assert_error(response, 422)
        assert ["query", name] in [error["loc"] for error in body["errors"]]

    @pytest.mark.parametrize("path", _paginated())
    @pytest.mark.parametrize("page", ["9223372036854775808", str(10**30), "100001", "0", "-1"])
    def test_a_page_out_of_range_is_refused(self, world: World, path: str, page: str) -> None:
        client = bearer(world.personas.officer)
        body = assert_error(client.get(_url(world, path), {**REQUIRED, "page": page}), 422)
        assert body["errors"][0]["loc"] == ["query", "page"]
        # Said as it is: a number too large, not "not a number".
        expected = {"9223372036854775808": "int_parsing_size", str(10**30): "int_parsing_size",
                    "100001": "less_than_equal", "0": "greater_than_equal",
                    "-1": "greater_than_equal"}[page]
        assert body["errors"][0]["type"] == expected

    @pytest.mark.parametrize(("field", "value"), [
        ("description", "Trẻ bị\x00 đánh"), ("reporter_name", "Người\x00báo"),
        ("description", "\ud800"), ("reporter_phone", "0912\x07345678")])
    def test_a_control_character_or_lone_surrogate_in_a_json_string_is_refused(
        self, officer: Client, field: str, value: str,
    ) -> None:
        # json.dumps writes the NUL as \\u0000 and the surrogate as \\ud800: what a client sends.
        body = json.dumps({**NOTIFICATION_API, field: value})
        error = assert_error(officer.post("/api/v1/notifications", body, content_type=JSON), 422)
        assert error["errors"][0]["loc"] == ["body", field]
        assert Notification.objects.count() == 0

    def test_a_nul_in_a_childs_name_is_refused(self, officer: Client) -> None:
        body = json.dumps({**NEW_CHILD, "full_name": "Hoàng\x00Khải"})
        error = assert_error(officer.post("/api/v1/children", body, content_type=JSON), 422)
        assert error["errors"][0]["type"] == "control_character"
        assert Child.objects.count() == 0

    def test_a_body_over_the_limit_is_413_in_vietnamese(self, officer: Client) -> None:
        body = json.dumps({"q": "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)})
        error = assert_error(officer.post("/api/v1/children/search", body, content_type=JSON),
                             413)
        assert error["code"] == "too_large"
        assert "2.5 MB" in error["detail"]

    def test_a_body_over_the_limit_is_refused_on_a_page_too(self, client: Client,
                                                            personas: Personas) -> None:
        login(client, personas.officer)
        response = client.post(reverse("registry:child_create"),
                               "a=" + "b" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10),
                               content_type="application/x-www-form-urlencoded")
        assert response.status_code == 413
        assert Child.objects.count() == 0

    def test_a_megabyte_query_string_is_414_before_it_is_decoded(
        self, officer: Client, monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        # Django took 1.8 s to decode a megabyte of ?q= before any bound could refuse it.
        monkeypatch.setattr("treem.registry.selectors.child_list", not_called)
        query = "q=" + "nguyen%20van%20" * 70_000
        seconds, response = cheapest(lambda: officer.get(f"/api/v1/children?{query}"))
        error = assert_error(response, 414)
        assert error["code"] == "uri_too_long"
        assert seconds < 0.1

    def test_a_megabyte_query_string_is_refused_on_a_page_too(self, client: Client,
                                                              personas: Personas) -> None:
        login(client, personas.officer)
        response = client.get(reverse("registry:child_list") + "?q=" + "a" * 1_000_000)
        assert response.status_code == 414
        assert "Địa chỉ quá dài" in response.content.decode()

    @pytest.mark.parametrize("start", ["0001-01-01", "9999-12-31", "1899-12-31", "2200-01-01"])
    def test_case_statistics_refuse_a_day_out_of_range(self, province: Client,
                                                        start: str) -> None:
        response = province.get("/api/v1/case-statistics", {"start": start, "end": "2026-01-01"})
        body = assert_error(response, 422)
        assert body["errors"][0]["loc"] == ["query", "start"]

    @pytest.mark.parametrize("year", ["0", "-1", "10000", str(10**30)])
    def test_the_calendar_of_a_year_out_of_range_shows_this_year(self, client: Client,
                                                                 world: World, year: str) -> None:
        login(client, world.personas.admin)
        response = client.get(reverse("cases:calendar"), {"year": year})
        assert response.status_code == 200
        assert response.context["year"] == timezone.localdate().year
        # The years whose lunar calendar (Tết, Giỗ Tổ) the holiday rules know.
        assert "Năm phải từ 2000 đến 2100." in response.content.decode()

    def test_multipart_without_a_boundary_is_a_bad_request(self, world: World) -> None:
        client = bearer(world.personas.officer)
        for url in ("/api/v1/children",
                    f"/api/v1/communes/{world.tree.commune_a.public_id}/imports"):
            response = client.post(url, b"--x\r\n", content_type="multipart/form-data")
            assert_error(response, 400)

    def test_multipart_without_a_boundary_is_a_bad_request_on_a_page(
        self, client: Client, personas: Personas,
    ) -> None:
        login(client, personas.officer)
        response = client.post(reverse("registry:child_create"), b"--x\r\n",
                               content_type="multipart/form-data")
        assert response.status_code == 400

    def test_a_nul_in_a_posted_form_is_a_vietnamese_400_and_changes_nothing(
        self, client: Client, world: World,
    ) -> None:
        # The share page reads its reason from the request itself: PostgreSQL would refuse it.
        login(client, world.personas.officer)
        response = client.post(reverse("cases:case_share", args=[world.case_a.public_id]),
                               {"unit": str(world.tree.province.public_id),
                                "reason": "Xin ý kiến\x00 Sở"})
        assert response.status_code == 400
        assert "NUL" in response.content.decode()
        assert not world.case_a.shares.exists()

    def test_a_nul_in_a_pages_query_string_is_a_vietnamese_400(self, client: Client,
                                                               personas: Personas) -> None:
        login(client, personas.officer)
        response = client.get(reverse("cases:notification_list"), {"page": "1\x00"})
        assert response.status_code == 400
        assert "ký tự điều khiển" in response.content.decode()


# --- 3. One error shape, documented on every operation ---------------------------------------

class ErrorShapeTests:
    def test_every_operation_documents_its_errors_with_the_one_shape(self) -> None:
        missing = []
        for path, method, operation in operations():
            expected = {400, 413, 422}  # 422 too where nothing is sent: a body it does not take
            if operation.get("security"):
                expected |= {401, 403, 404}
            for status in expected:
                answer = operation["responses"].get(status, {})
                schema = answer.get("content", {}).get(JSON, {}).get("schema")
                if schema != {"$ref": "#/components/schemas/ErrorOut"}:
                    missing.append(f"{method} {path} {status}")
        assert missing == []

    def test_every_operation_is_named_and_summarised_in_vietnamese(self) -> None:
        ids = [operation["operationId"] for _path, _method, operation in operations()]
        assert len(ids) == len(set(ids))
        english = [operation["operationId"] for _path, _method, operation in operations()
                   if not re.search("[À-ỹ]", operation.get("summary", ""))]
        assert english == []

    def test_the_document_is_valid_openapi(self) -> None:
        import schemathesis
        from schemathesis.core.result import Ok

        loaded = schemathesis.openapi.from_dict(document())
        results = list(loaded.get_all_operations())
        assert len(results) == len(list(operations()))
        assert [str(r.err()) for r in results if not isinstance(r, Ok)] == []

    def test_the_frameworks_validation_errors_are_vietnamese_with_their_location(
        self, officer: Client,
    ) -> None:
        body = assert_error(officer.post("/api/v1/children", {"sex": "x", "name": 1},
                                         content_type=JSON), 422)
        errors = {tuple(e["loc"]): (e["type"], e["msg"]) for e in body["errors"]}
        assert errors[("body", "full_name")] == ("missing", "Thiếu giá trị bắt buộc.")
        assert errors[("body", "sex")] == ("enum", "Phải là một trong: 'm' hoặc 'f'.")
        assert errors[("body", "name")] == (
            "extra_forbidden", "Trường này không có trong mô tả của thao tác.")
        assert body["detail"].startswith("full_name: Thiếu giá trị bắt buộc.")

    def test_an_anonymous_call_is_401_with_the_scheme_to_use(self, client: Client,
                                                             personas: Personas) -> None:
        response = client.get("/api/v1/children")
        assert response.json() == error_body(401)
        assert response["WWW-Authenticate"] == 'Bearer realm="treem"'

    def test_an_unknown_path_and_an_unknown_method_answer_in_the_shape(self,
                                                                       officer: Client) -> None:
        assert_error(officer.get("/api/v1/khong-co"), 404)
        response = officer.put("/api/v1/children")
        assert_error(response, 405)
        assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}

    def test_a_browser_session_without_its_csrf_token_is_403_in_vietnamese(
        self, personas: Personas,
    ) -> None:
        client = login(Client(enforce_csrf_checks=True), personas.officer)
        body = assert_error(client.post("/api/v1/children", NEW_CHILD, content_type=JSON), 403)
        assert "CSRF" in body["detail"]
        assert Child.objects.count() == 0

    def test_a_body_that_is_not_json_is_400(self, officer: Client) -> None:
        body = assert_error(officer.post("/api/v1/children", "{not json",
                                         content_type=JSON), 400)
        assert body["detail"] == "Nội dung yêu cầu không phải JSON hợp lệ."


# --- 4. Schemas refuse what they do not describe ---------------------------------------------

class StrictInputTests:
    @pytest.mark.parametrize("body", ["[null, null]", '"AAA"', "7", "[]", "null"])
    def test_a_dismissal_whose_body_is_not_an_object_dismisses_nothing(
        self, world: World, body: str,
    ) -> None:
        client = bearer(world.personas.officer)
        url = f"/api/v1/duplicates/{world.pair_a.public_id}/dismiss"
        assert_error(client.post(url, body, content_type=JSON), 422)
        world.pair_a.refresh_from_db()
        assert world.pair_a.status == DuplicatePair.Status.OPEN

    @pytest.mark.parametrize("body", ['"AAA"', "[1, 2]", "12", '{"q": "nguyen", "x": 1}'])
    def test_a_search_whose_body_is_not_its_object_returns_nothing(self, world: World,
                                                                  body: str) -> None:
        client = bearer(world.personas.officer)
        body_ = assert_error(client.post("/api/v1/children/search", body, content_type=JSON),
                             422)
        assert body_["errors"]

    @pytest.mark.parametrize("start", ["0", "1", "-1", "20260101", "2026-1-1", "2026-01-01T00:00"])
    def test_a_day_is_a_day_not_a_number(self, officer: Client, start: str) -> None:
        body = assert_error(officer.get("/api/v1/cases", {"start": start}), 422)
        assert body["errors"][0]["loc"] == ["query", "start"]

    @pytest.mark.parametrize(("field", "value"), [
        ("birth_date", 0), ("birth_date", "2018-04-12T00:00:00"), ("birth_registered", "yes"),
        ("birth_registered", 1), ("full_name", 7), ("sex", None), ("fullname", "Hoàng Văn Khải")])
    def test_a_wrong_type_or_an_unknown_field_is_refused(self, officer: Client, field: str,
                                                         value: Any) -> None:
        body = assert_error(officer.post("/api/v1/children", {**NEW_CHILD, field: value},
                                         content_type=JSON), 422)
        assert body["errors"][0]["loc"] == ["body", field]
        assert Child.objects.count() == 0

    @pytest.mark.parametrize("numerator", ["7", 7.5, True, -1, 10**12])
    def test_a_figure_is_a_whole_json_number(self, world: World, numerator: Any) -> None:
        from treem.web.tests.test_scope_coverage import FIGURES_API

        client = bearer(world.personas.officer)
        body = {**FIGURES_API, "rows": [{"breakdown": "", "numerator": numerator}]}
        error = assert_error(client.put("/api/v1/sector-figures", body, content_type=JSON), 422)
        assert error["errors"][0]["loc"][:3] == ["body", "rows", 0]

    def test_an_operation_without_a_body_refuses_one(self, world: World) -> None:
        client = bearer(world.personas.officer)
        url = (f"/api/v1/cases/{world.case_a.public_id}/workers/"
               f"{world.personas.chairman.public_id}")
        assert_error(client.delete(url, {"worker": "officer_a"}, content_type=JSON), 422)
        assert world.case_a.workers.filter(pk=world.personas.chairman.pk).exists()

    def test_revoking_refuses_a_body_and_keeps_the_token(self, personas: Personas) -> None:
        token, raw = token_create(user=personas.officer, name="giữ", days=1)
        client = Client(headers={"Authorization": f"Bearer {raw}"})
        assert_error(client.post("/api/v1/auth/revoke", {"token": "other"},
                                 content_type=JSON), 422)
        assert ApiToken.objects.get(pk=token.pk).revoked_at is None


# --- 8. Outside the caller's scope: 404, whatever names the object ---------------------------

class ScopeConventionTests:
    def test_a_commune_named_in_a_body_outside_the_scope_is_not_found(self, world: World) -> None:
        client = bearer(world.personas.outsider)
        assert_error(client.post("/api/v1/children", NEW_CHILD, content_type=JSON), 404)
        assert_error(client.post("/api/v1/notifications", NOTIFICATION_API, content_type=JSON),
                     404)

    def test_a_commune_that_does_not_exist_is_not_found_alike(self, officer: Client) -> None:
        unknown = assert_error(officer.post("/api/v1/children", {**NEW_CHILD, "commune": "99999"},
                                            content_type=JSON), 404)
        outside = assert_error(officer.post("/api/v1/children", {**NEW_CHILD, "commune": "01279"},
                                            content_type=JSON), 404)
        assert unknown == outside

    def test_a_child_not_on_the_callers_register_is_not_found(self, world: World) -> None:
        client = bearer(world.personas.officer)
        url = f"/api/v1/notifications/{world.fresh_notification_a.public_id}/case"
        assert_error(client.post(url, {"child": str(world.child_b.public_id)},
                                 content_type=JSON), 404)
        world.fresh_notification_a.refresh_from_db()
        assert world.fresh_notification_a.case_id is None

    def test_a_role_without_the_capability_is_403(self, personas: Personas) -> None:
        client = bearer(personas.auditor)
        body = assert_error(client.post("/api/v1/children", NEW_CHILD, content_type=JSON), 403)
        assert body["code"] == "forbidden"

"""The retention and extracts pages and API: the province reviews a commune dissolved in 2025,
bad input writes nothing, lists do not grow a query a row, four eyes on the pages. (Every URL's
scope, 403 and anonymous answers: treem/web/tests/scope_privacy_retention.py.)"""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from treem.accounts.roles import Role
from treem.accounts.services import token_create
from treem.audit.models import AuditEvent
from treem.privacy.extracts import services as extracts
from treem.privacy.models import ExtractRequest, LegalHold, RetentionDue
from treem.privacy.retention import services
from treem.privacy.tests.test_retention import AFTER, REASON, closed_case, old_commune_case
from treem.registry.anonymise import ANONYMOUS_CHILD
from treem.registry.models import Child
from treem.registry.tests.factories import make_child
from treem.testing import login, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def found(tree, personas):
    from treem.privacy.models import RetentionRule, RetentionRuleVersion
    from treem.privacy.retention.defaults import load_defaults

    load_defaults(RetentionRule, RetentionRuleVersion)
    old = old_commune_case(tree, personas)
    closed_case(personas, tree.commune_a)
    services.retention_run(today=AFTER)
    return RetentionDue.objects.get(case=old)


def state() -> tuple[int, ...]:
    return (AuditEvent.objects.count(), LegalHold.objects.count(),
            Child.objects.filter(full_name=ANONYMOUS_CHILD).count(),
            RetentionDue.objects.filter(status="due").count(), ExtractRequest.objects.count())


class ReviewPageTests:
    def test_the_province_reviews_a_case_of_a_commune_dissolved_in_2025(
            self, tree, personas, found) -> None:
        client = login(Client(), personas.province_officer)
        page = client.get(reverse("privacy:retention_due_detail", args=[found.public_id]))
        assert page.status_code == 200 and "Hà Văn Cũ" not in page.content.decode()
        answer = client.post(reverse("privacy:retention_due_decide", args=[found.public_id]),
                             {"decision": "anonymise", "reason": REASON})
        assert answer.status_code == 302
        found.refresh_from_db()
        assert found.status == "anonymised"
        assert found.case.notifications.get().reporter_name == ""
        # Its child was found too (same rule horizon): reviewed on its own row.
        child_row = RetentionDue.objects.get(child=found.case.child)
        client.post(reverse("privacy:retention_due_decide", args=[child_row.public_id]),
                    {"decision": "anonymise", "reason": REASON})
        assert Child.objects.get(pk=found.case.child_id).full_name == ANONYMOUS_CHILD

    def test_other_provinces_and_communes_do_not_reach_it(self, tree, personas, found) -> None:
        url = reverse("privacy:retention_due_detail", args=[found.public_id])
        other = make_user("province_c", role=Role.AREA_OFFICER, unit=tree.other_province)
        assert login(Client(), other).get(url).status_code == 404
        assert login(Client(), personas.outsider).get(url).status_code == 403
        assert Client().get(url).status_code == 302

    def test_a_decision_without_a_reason_writes_nothing(self, tree, personas, found) -> None:
        client = login(Client(), personas.province_officer)
        before = state()
        for data in ({"decision": "anonymise", "reason": "ngắn"}, {"decision": "burn",
                                                                   "reason": REASON}, {}):
            page = client.post(reverse("privacy:retention_due_decide", args=[found.public_id]),
                               data)
            assert page.status_code == 200 and 'role="alert"' in page.content.decode()
        assert state() == before

    def test_a_hold_for_a_record_outside_the_scope_is_not_found(self, tree, personas,
                                                                found) -> None:
        child_c = make_child(commune=tree.commune_c, full_name="Trẻ ở Hà Nội")
        before = state()
        answer = login(Client(), personas.auditor).post(
            reverse("privacy:retention_hold_place"), {"record": child_c.public_id,
                                                      "reason": REASON})
        assert answer.status_code == 404 and state() == before
        answer = login(Client(), personas.auditor).post(
            reverse("privacy:retention_hold_place"), {"record": "not-a-uuid", "reason": REASON})
        assert answer.status_code == 200 and state() == before

    def test_the_list_does_not_read_row_by_row(self, tree, personas, found) -> None:
        client = login(Client(), personas.province_officer)
        url = reverse("privacy:retention_due_list")
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            assert client.get(url).status_code == 200
        for i in range(4):
            closed_case(personas, tree.commune_a, name=f"Trẻ {i}", personal_id=f"00431500{i:04d}")
        services.retention_run(today=AFTER)
        with CaptureQueriesContext(connection) as many:
            page = client.get(url)
        assert page.content.decode().count("LT-") >= 10
        assert len(many) == len(few)


class ReviewApiTests:
    def test_a_token_reviews_and_a_bad_body_writes_nothing(self, tree, personas,
                                                          found) -> None:
        _token, raw = token_create(user=personas.province_officer, name="thử", days=1)
        client = Client(headers={"Authorization": f"Bearer {raw}"})
        url = reverse("api:privacy_retention_decide", args=[found.public_id])
        before = state()
        for body in ({"decision": "anonymise", "reason": "ngắn"},
                     {"decision": "anonymise"}, {"decision": "burn", "reason": REASON}):
            answer = client.post(url, body, content_type="application/json")
            assert answer.status_code == 422, answer.content
        assert state() == before
        answer = client.post(url, {"decision": "erase", "reason": REASON},
                             content_type="application/json")
        assert answer.status_code == 200 and answer.json()["status"] == "erased"
        listed = client.get(reverse("api:privacy_retention_due"), {"status": "erased"})
        assert [row["id"] for row in listed.json()["items"]] == [str(found.public_id)]


class ExtractPageTests:
    def test_the_requester_is_not_offered_the_decision_and_cannot_post_it(
            self, tree, personas) -> None:
        extract = extracts.extract_request(
            actor=personas.province_officer, unit=tree.province, fields=[],
            purpose="Nghiên cứu tình hình trẻ em năm 2027 của tỉnh")
        client = login(Client(), personas.province_officer)
        page = client.get(reverse("privacy:extract_detail", args=[extract.public_id]))
        assert 'name="decision"' not in page.content.decode()
        before = state()
        page = client.post(reverse("privacy:extract_decide", args=[extract.public_id]),
                           {"decision": "approve"})
        assert page.status_code == 200 and state() == before
        approver = make_user("province_2", role=Role.AREA_OFFICER, unit=tree.province)
        answer = login(Client(), approver).post(
            reverse("privacy:extract_decide", args=[extract.public_id]),
            {"decision": "approve"})
        assert answer.status_code == 302
        download = client.post(reverse("privacy:extract_download", args=[extract.public_id]))
        assert download.status_code == 200
        assert download["Content-Type"].startswith("text/csv")

    def test_a_request_through_the_page(self, tree, personas) -> None:
        client = login(Client(), personas.province_officer)
        page = client.get(reverse("privacy:extract_request"))
        assert "Thành phố Hà Nội" not in page.content.decode()
        before = state()
        page = client.post(reverse("privacy:extract_request"), {
            "unit": tree.province.public_id, "purpose": "ngắn", "file_format": "csv"})
        assert page.status_code == 200 and state() == before
        answer = client.post(reverse("privacy:extract_request"), {
            "unit": tree.province.public_id, "purpose": "Lập kế hoạch bảo vệ trẻ em 2027",
            "columns": ["schooling", "disability"], "file_format": "xlsx"})
        assert answer.status_code == 302
        made = ExtractRequest.objects.get()
        assert made.fields == ["disability", "schooling"] and made.file_format == "xlsx"
        assert made.requested_at.date() <= datetime.date.today()


class RulePageTests:
    def test_a_stale_rule_form_shows_the_other_change_and_writes_nothing(
            self, personas, found) -> None:
        client = login(Client(), personas.admin)
        url = reverse("privacy:retention_rule_edit", args=["case"])
        page = client.get(url).content.decode()
        assert 'name="base_version" value="1"' in page
        form = {"counts_from": "case_closed", "years": 12, "action": "anonymise",
                "legal_basis": "Quyết định của UBND tỉnh", "verified": "on", "active": "on",
                "reason": "Theo quyết định mới của tỉnh", "base_version": 1}
        assert client.post(url, form).status_code == 302
        stale = client.post(url, {**form, "years": 30})
        assert stale.status_code == 200 and "12" in stale.content.decode()
        from treem.privacy.models import RetentionRule

        assert RetentionRule.objects.get(record_kind="case").years == 12

    def test_the_api_takes_if_match(self, personas, found) -> None:
        client = login(Client(), personas.admin)
        url = "/api/v1/privacy/retention/rules/case"
        body = {"counts_from": "case_closed", "years": 12, "action": "anonymise",
                "legal_basis": "Quyết định", "verified": True, "active": True,
                "reason": "Theo quyết định mới của tỉnh"}
        assert client.put(url, body, content_type="application/json").status_code == 428
        assert client.put(url, body, content_type="application/json",
                          headers={"If-Match": '"1"'}).status_code == 200
        assert client.put(url, {**body, "years": 30}, content_type="application/json",
                          headers={"If-Match": '"1"'}).status_code == 412

"""Consents on the child's page and over the API: listed to who reads the child, recorded (with
the signed form) and withdrawn by who changes it; the form served without cache, its read
audited; the outsider gets 404 and a reader 403, nothing written."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from treem.accounts.services import token_create
from treem.audit.models import Action, AuditEvent
from treem.auditlog.labels import sentences
from treem.registry.models import Child, ChildConsent
from treem.registry.tests.factories import FORM_PDF, make_child, make_consent
from treem.testing import Personas, Tree, login

pytestmark = pytest.mark.django_db

API = "/api/v1"


def today() -> datetime.date:
    return timezone.localdate()


def page(child: Child) -> str:
    return reverse("registry:child_detail", args=[child.public_id])


def form_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("giay-dong-y.pdf", FORM_PDF, content_type="application/pdf")


def bearer(user: Any) -> Client:
    _token, raw = token_create(user=user, name="thử đồng ý", days=1)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def written() -> tuple[int, int]:
    return ChildConsent.objects.count(), AuditEvent.objects.exclude(action=Action.VIEW).count()


@pytest.fixture
def child(tree: Tree) -> Child:
    return make_child(commune=tree.commune_a, full_name="Lò Thị Mai")


@pytest.fixture
def as_user(personas: Personas) -> Callable[[str], Client]:
    return lambda name: login(Client(), getattr(personas, name))


class ChildPageTests:
    def test_the_section_says_when_there_is_none_and_offers_the_form_to_the_keeper(
            self, as_user: Callable[[str], Client], child: Child) -> None:
        text = as_user("officer").get(page(child)).content.decode()
        assert "Sự đồng ý" in text and "Chưa ghi sự đồng ý nào." in text
        assert reverse("registry:consent_record", args=[child.public_id]) in text
        assert 'enctype="multipart/form-data"' in text

    def test_the_officer_records_a_consent_with_its_form_and_sees_it_listed(
            self, as_user: Callable[[str], Client], child: Child) -> None:
        client = as_user("officer")
        done = client.post(reverse("registry:consent_record", args=[child.public_id]), {
            "purpose": "named_in_activity", "representative_name": "Lò Thị Hoa",
            "relation": "mother", "child_agreed": "on",
            "given_on": today().strftime("%d/%m/%Y"), "form_file": form_file()})
        assert done.status_code == 302 and done["Location"].endswith("#consents")
        made = ChildConsent.objects.get()
        assert (made.child, made.child_agreed, made.form.name) == (child, True, "giay-dong-y.pdf")
        text = client.get(page(child)).content.decode()
        assert "Đã ghi sự đồng ý." in text and "Lò Thị Hoa" in text
        assert "Nêu tên trẻ trong hoạt động" in text
        assert reverse("registry:consent_form", args=[made.public_id]) in text
        assert reverse("registry:consent_withdraw", args=[made.public_id]) in text

    def test_a_refused_consent_says_why_on_the_page_and_writes_nothing(
            self, as_user: Callable[[str], Client], child: Child) -> None:
        client = as_user("officer")
        before = written()
        done = client.post(reverse("registry:consent_record", args=[child.public_id]), {
            "purpose": "named_in_activity", "representative_name": "Lò Thị Hoa",
            "relation": "mother", "given_on": today().strftime("%d/%m/%Y"),
            "form_file": form_file()}, follow=True)
        assert "đủ 7 tuổi" in done.content.decode()  # born 2015: the child must agree too
        assert written() == before

    def test_a_reader_sees_the_list_but_no_form_and_may_not_post(
            self, personas: Personas, as_user: Callable[[str], Client], child: Child) -> None:
        made = make_consent(child=child, by=personas.officer, representative_name="Lò Thị Hoa")
        client = as_user("province_officer")
        text = client.get(page(child)).content.decode()
        assert "Lò Thị Hoa" in text
        assert reverse("registry:consent_record", args=[child.public_id]) not in text
        assert reverse("registry:consent_withdraw", args=[made.public_id]) not in text
        before = written()
        assert client.post(reverse("registry:consent_withdraw", args=[made.public_id]), {
            "withdrawn_on": today().strftime("%d/%m/%Y"), "base_version": "1"}
        ).status_code == 403
        assert written() == before

    def test_the_outsider_gets_404_and_nothing_is_written(
            self, personas: Personas, as_user: Callable[[str], Client], child: Child) -> None:
        made = make_consent(child=child, by=personas.officer)
        client = as_user("outsider")
        before = written()
        assert client.post(reverse("registry:consent_record", args=[child.public_id]), {
            "purpose": "named_in_activity"}).status_code == 404
        assert client.post(reverse("registry:consent_withdraw", args=[made.public_id]), {
            "withdrawn_on": today().strftime("%d/%m/%Y"), "base_version": "1"}
        ).status_code == 404
        assert client.get(reverse("registry:consent_form", args=[made.public_id])
                          ).status_code == 404
        assert written() == before

    def test_the_form_is_served_uncached_and_its_read_audited(
            self, personas: Personas, as_user: Callable[[str], Client], child: Child) -> None:
        made = make_consent(child=child, by=personas.officer)
        answer = as_user("auditor").get(reverse("registry:consent_form", args=[made.public_id]))
        assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
        assert answer["Cache-Control"] == "private, no-store"
        assert b"".join(answer.streaming_content) == FORM_PDF  # type: ignore[attr-defined]
        assert AuditEvent.objects.filter(action=Action.VIEW, object_id=str(made.public_id),
                                         actor=personas.auditor).exists()

    def test_a_withdrawal_is_recorded_and_a_stale_one_refused_with_both_values(
            self, personas: Personas, as_user: Callable[[str], Client], child: Child) -> None:
        made = make_consent(child=child, by=personas.officer, given_on=today())
        url = reverse("registry:consent_withdraw", args=[made.public_id])
        day = today().strftime("%d/%m/%Y")
        done = as_user("chairman").post(url, {"withdrawn_on": day, "base_version": "1",
                                              "withdrawal_note": "Mẹ đổi ý"}, follow=True)
        assert "Đã ghi việc rút lại sự đồng ý" in done.content.decode()
        assert "Đã rút lại ngày" in done.content.decode()
        stale = as_user("officer").post(url, {"withdrawn_on": day, "base_version": "1",
                                              "withdrawal_note": "Bố đổi ý"}, follow=True)
        assert "phiên bản 2" in stale.content.decode()
        assert ChildConsent.objects.get().withdrawal_note == "Mẹ đổi ý"

    def test_the_page_does_not_query_more_with_more_consents(
            self, personas: Personas, as_user: Callable[[str], Client], child: Child) -> None:
        client = as_user("officer")
        make_consent(child=child, by=personas.officer)

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                client.get(page(child))
            return len(captured)

        before = queries()
        for n in range(5):
            make_consent(child=child, by=personas.officer, purpose="photo_evidence",
                         withdrawn_on=today() if n % 2 else None)
        assert queries() == before


class ApiTests:
    def test_the_officer_records_lists_reads_and_withdraws_over_the_api(
            self, personas: Personas, child: Child) -> None:
        client = bearer(personas.officer)
        made = client.post(f"{API}/children/{child.public_id}/consents", {
            "purpose": "photo_evidence", "representative_name": "Lò Thị Hoa",
            "relation": "guardian", "child_agreed": "true", "given_on": str(today()),
            "form": form_file()})
        assert made.status_code == 201, made.content
        body = made.json()
        assert (body["purpose"], body["child_agreed"], body["form_name"]) == \
            ("photo_evidence", True, "giay-dong-y.pdf")
        listed = client.get(f"{API}/children/{child.public_id}/consents").json()
        assert [row["id"] for row in listed] == [body["id"]]
        one = client.get(f"{API}/consents/{body['id']}")
        assert one["ETag"] == '"1"'
        url = f"{API}/consents/{body['id']}/withdrawal"
        data = {"withdrawn_on": str(today()), "note": "Người giám hộ rút lại"}
        assert client.post(url, data, content_type="application/json").status_code == 428
        done = client.post(url, data, content_type="application/json",
                           headers={"If-Match": '"1"'})
        assert done.status_code == 200 and done["ETag"] == '"2"'
        assert done.json()["withdrawn_on"] == str(today())
        stale = client.post(url, {**data, "note": "Bố rút lại"},
                            content_type="application/json", headers={"If-Match": '"1"'})
        assert stale.status_code == 412
        assert stale.json()["conflicts"][0]["field"] == "withdrawal_note"
        form = client.get(f"{API}/consents/{body['id']}/form")
        assert form.status_code == 200 and form["Cache-Control"] == "private, no-store"

    def test_a_consent_without_the_childs_agreement_at_eleven_is_refused_in_vietnamese(
            self, personas: Personas, child: Child) -> None:
        client = bearer(personas.officer)
        before = written()
        answer = client.post(f"{API}/children/{child.public_id}/consents", {
            "purpose": "named_in_activity", "representative_name": "Lò Thị Hoa",
            "relation": "mother", "given_on": str(today()), "form": form_file()})
        assert answer.status_code == 422
        assert answer.json()["errors"][0]["loc"] == ["body", "child_agreed"]
        assert "đủ 7 tuổi" in answer.json()["detail"]
        missing = client.post(f"{API}/children/{child.public_id}/consents", {
            "purpose": "named_in_activity", "representative_name": "Lò Thị Hoa",
            "relation": "mother", "child_agreed": "true", "given_on": str(today())})
        assert missing.status_code == 422
        assert missing.json()["errors"][0]["loc"] == ["body", "form"]
        assert written() == before

    def test_the_outsider_gets_404_and_a_reader_403(self, personas: Personas,
                                                    tree: Tree, child: Child) -> None:
        made = make_consent(child=child, by=personas.officer)
        outsider, reader = bearer(personas.outsider), bearer(personas.auditor)
        before = written()
        for client, status in ((outsider, 404), (reader, 403)):
            assert client.post(f"{API}/children/{child.public_id}/consents", {
                "purpose": "named_in_activity", "form": form_file()}).status_code == status
            assert client.post(f"{API}/consents/{made.public_id}/withdrawal",
                               {"withdrawn_on": str(today())}, content_type="application/json",
                               headers={"If-Match": '"1"'}).status_code == status
        assert outsider.get(f"{API}/children/{child.public_id}/consents").status_code == 404
        assert outsider.get(f"{API}/consents/{made.public_id}").status_code == 404
        assert outsider.get(f"{API}/consents/{made.public_id}/form").status_code == 404
        assert reader.get(f"{API}/consents/{made.public_id}").status_code == 200
        assert written() == before


class AuditLogTests:
    def test_the_audit_log_names_a_consent_by_its_child_to_who_reads_it_only(
            self, personas: Personas, child: Child) -> None:
        made = make_consent(child=child, by=personas.officer)
        event = AuditEvent.objects.create(action=Action.VIEW, object_type="registry.childconsent",
                                          object_id=str(made.public_id), unit=child.commune)
        [seen] = sentences(reader=personas.auditor, events=[event])
        assert seen.object is not None and seen.object.text == "sự đồng ý cho trẻ Lò T. M."
        assert seen.object.url.endswith(f"{child.public_id}/#consents")
        [unseen] = sentences(reader=personas.outsider, events=[event])
        assert unseen.object is not None
        assert (unseen.object.text, unseen.object.url) == ("sự đồng ý của trẻ", "")

"""The audit log reads as sentences an inspector understands: the actor's role by its
Vietnamese name, the action in Vietnamese, the object by a label the reader may know (never a
name it may not see) and a link where the reader may open the object."""

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from treem.audit.models import Action, AuditEvent
from treem.audit.services import event_record, read_record
from treem.auditlog.labels import short_name
from treem.cases import services as case_services
from treem.cases.tests.test_services import RECEIVED, _notify
from treem.registry.tests.factories import make_child
from treem.testing import Personas, Tree, login

pytestmark = pytest.mark.django_db
URL = "/audit/"


def _page(personas: Personas) -> str:
    response = login(Client(), personas.auditor).get(URL)
    assert response.status_code == 200
    return response.content.decode()


def _sentences(html: str) -> list[str]:
    """The sentences of the page, tags stripped, spaces collapsed."""
    cells = re.findall(r'<td class="sentence">(.*?)</td>', html, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", cell).split()) for cell in cells]


class SentenceTests:
    def test_a_read_of_a_child_reads_as_a_sentence_with_a_link(self, tree: Tree,
                                                                personas: Personas) -> None:
        child = make_child(commune=tree.commune_a, full_name="Triệu Văn Sơn")
        read_record(actor=personas.officer, obj=child, unit=tree.commune_a)
        html = _page(personas)
        assert _sentences(html) == [
            "officer_a (Người làm công tác bảo vệ trẻ em cấp xã) đã xem hồ sơ trẻ em Triệu V. S."]
        assert f'<a href="{reverse("registry:child_detail", args=[child.public_id])}">' in html
        assert "registry.child" not in html and "commune_officer" not in html
        assert str(child.public_id) not in _sentences(html)[0]

    def test_every_role_and_action_is_said_in_vietnamese(self, tree: Tree,
                                                          personas: Personas) -> None:
        for action in Action:
            AuditEvent.objects.create(unit=tree.commune_a, unit_path=tree.commune_a.path,
                                      action=action, actor_username="chairman_a",
                                      roles="commune_leader,commune_officer")
        sentences = _sentences(_page(personas))
        assert len(sentences) == len(Action)
        for sentence in sentences:
            assert sentence.startswith(
                "chairman_a (Chủ tịch Ủy ban nhân dân cấp xã, Người làm công tác bảo vệ trẻ em cấp xã) ")
            assert not re.search(r"\b(commune_leader|login|update|view|export)\b", sentence)

    def test_an_update_names_the_changed_fields_as_the_forms_do(self, tree: Tree,
                                                                 personas: Personas) -> None:
        child = make_child(commune=tree.commune_a, full_name="Triệu Văn Sơn")
        event_record(actor=personas.officer, action=Action.UPDATE, obj=child,
                     unit=tree.commune_a, fields=["birth_date"])
        html = _page(personas)
        assert _sentences(html) == [
            "officer_a (Người làm công tác bảo vệ trẻ em cấp xã) đã cập nhật hồ sơ trẻ em Triệu V. S."]
        assert "birth_date" not in html
        assert "ngày sinh" in html.lower()

    def test_a_field_without_a_name_of_its_own_is_named_in_vietnamese(
            self, tree: Tree, personas: Personas) -> None:
        child = make_child(commune=tree.commune_a, full_name="Triệu Văn Sơn")
        event_record(actor=personas.officer, action=Action.CREATE, obj=child,
                     unit=tree.commune_a, fields=["household", "unknown_thing"])
        html = _page(personas)
        assert '<span class="field-name">hộ gia đình</span>' in html
        assert '<span class="field-name">unknown_thing</span>' in html

    def test_signing_in_does_not_name_the_account_twice(self, tree: Tree,
                                                         personas: Personas) -> None:
        event_record(actor=personas.officer, action=Action.LOGIN, obj=personas.officer,
                     unit=tree.commune_a)
        assert _sentences(_page(personas)) == [
            "officer_a (Người làm công tác bảo vệ trẻ em cấp xã) đã đăng nhập"]

    def test_short_names_keep_the_family_name_and_initials(self) -> None:
        assert short_name("Nguyễn Văn An") == "Nguyễn V. A."
        assert short_name("Lò Thị Ngọc Ánh") == "Lò T. N. Á."
        assert short_name("Páo") == "Páo"
        assert short_name("") == ""


class NeedToKnowTests:
    def test_a_child_the_auditor_may_not_see_is_named_by_its_kind_only(
            self, tree: Tree, personas: Personas) -> None:
        # Moved to another province since: the event stays in the auditor's scope, the child
        # no longer is.
        child = make_child(commune=tree.commune_c, full_name="Đinh Thị Hoa")
        read_record(actor=personas.officer, obj=child, unit=tree.commune_a)
        html = _page(personas)
        assert _sentences(html) == [
            "officer_a (Người làm công tác bảo vệ trẻ em cấp xã) đã xem hồ sơ trẻ em"]
        assert "Đinh" not in html
        assert reverse("registry:child_detail", args=[child.public_id]) not in html

    def test_a_case_is_named_by_its_number_and_never_by_its_child(
            self, tree: Tree, personas: Personas) -> None:
        child = make_child(commune=tree.commune_a, full_name="Lý Thị Mai", sex="f")
        case = case_services.case_open(
            actor=personas.officer, child=child,
            notification=_notify(personas.intake, tree.commune_a, forms=["sexual_abuse"]))
        read_record(actor=personas.officer, obj=case, unit=tree.commune_a)
        html = _page(personas)
        year = timezone.localtime(RECEIVED).year
        assert (f"officer_a (Người làm công tác bảo vệ trẻ em cấp xã) đã xem hồ sơ trường hợp số "
                f"1/{year}") in _sentences(html)
        assert "Lý Thị Mai" not in html and "Lý T. M." not in html
        # The auditor works on no case: it may not open it, so no link to a 404.
        case_url = reverse("cases:case_detail", args=[case.public_id])
        assert case_url not in html
        assert login(Client(), personas.auditor).get(case_url).status_code in (403, 404)

    def test_another_provinces_events_are_never_listed(self, tree: Tree,
                                                       personas: Personas) -> None:
        child = make_child(commune=tree.commune_c, full_name="Đinh Thị Hoa")
        read_record(actor=personas.officer, obj=child, unit=tree.commune_c)
        html = _page(personas)
        assert _sentences(html) == []
        assert "Đinh" not in html


class SentenceQueryTests:
    def test_labels_cost_one_query_per_kind_of_object_not_per_event(
            self, tree: Tree, personas: Personas) -> None:
        client = login(Client(), personas.auditor)

        def add(n: int) -> None:
            for i in range(n):
                child = make_child(commune=tree.commune_a, full_name=f"Triệu Văn Số{i}")
                read_record(actor=personas.officer, obj=child, unit=tree.commune_a)
                event_record(actor=personas.officer, action=Action.LOGIN, obj=personas.officer,
                             unit=tree.commune_a)

        def queries() -> Any:
            with CaptureQueriesContext(connection) as context:
                assert client.get(URL).status_code == 200
            return len(context.captured_queries)

        add(2)
        few = queries()
        add(20)
        assert queries() == few

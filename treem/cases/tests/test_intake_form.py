"""The 111 intake form made for a phone: the commune picked by its name (accents or not),
the urgency first, and no text silently cut."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from treem.cases.models import Notification
from treem.cases.tests.test_views import FORM
from treem.testing import Personas, Tree, login

pytestmark = pytest.mark.django_db

CREATE = reverse("cases:notification_create")
SEARCH = reverse("cases:commune_search")
HTMX = {"HX-Request": "true"}


def _client(user) -> Client:
    return login(Client(), user)


def _typed(name: str, **more: str) -> dict:
    """The form as sent when the commune's name was typed and none was chosen (no script)."""
    return {**FORM, "commune": "", "commune_q": name, **more}


class CommunePickerTests:
    @pytest.mark.parametrize("typed", ["thuc phan", "Thục Phán", "THUC PHAN", "phuong thuc",
                                       "01273"])
    def test_the_operator_finds_a_commune_by_its_name_with_or_without_accents(
        self, tree: Tree, personas: Personas, typed: str,
    ) -> None:
        answer = _client(personas.intake).get(SEARCH, {"commune_q": typed}, headers=HTMX)
        assert answer.status_code == 200
        options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>',
                             answer.content.decode())
        assert ("01273", "Phường Thục Phán — Tỉnh Cao Bằng") in options

    def test_only_current_communes_are_offered(self, tree: Tree, personas: Personas) -> None:
        # Phường Sông Hiến was merged into Phường Thục Phán on 1 July 2025.
        answer = _client(personas.intake).get(SEARCH, {"q": "song hien"}).content.decode()
        assert "Sông Hiến" not in answer and "01270" not in answer
        assert "Không tìm thấy" in answer

    def test_an_officer_of_another_commune_is_offered_none_of_commune_a(
        self, tree: Tree, personas: Personas,
    ) -> None:
        answer = _client(personas.outsider).get(SEARCH, {"q": "thuc phan"}).content.decode()
        assert "Thục Phán" not in answer and "01273" not in answer
        own = _client(personas.outsider).get(SEARCH, {"q": "hoa an"}).content.decode()
        assert 'value="01279"' in own

    def test_a_user_who_records_no_notification_gets_403(self, tree: Tree,
                                                         personas: Personas) -> None:
        assert _client(personas.auditor).get(SEARCH, {"q": "thuc"}).status_code == 403

    def test_a_typed_name_matching_one_commune_is_that_commune_without_script(
        self, tree: Tree, personas: Personas,
    ) -> None:
        response = _client(personas.intake).post(CREATE, _typed("thuc phan"))
        assert response.status_code == 302
        assert Notification.objects.get().commune == tree.commune_a

    def test_a_name_matching_several_communes_asks_to_choose_and_writes_nothing(
        self, tree: Tree, personas: Personas,
    ) -> None:
        page = _client(personas.intake).post(CREATE, _typed("phuong")).content.decode()
        assert "hãy chọn một trong danh sách" in page
        # The select now holds what was found, to choose from.
        assert '<option value="01273">Phường Thục Phán — Tỉnh Cao Bằng</option>' in page
        assert '<option value="00070">Phường Hoàn Kiếm — Thành phố Hà Nội</option>' in page
        assert not Notification.objects.exists()
        chosen = _client(personas.intake).post(CREATE, _typed("phuong", commune="00070"))
        assert chosen.status_code == 302
        assert Notification.objects.get().commune == tree.commune_c

    def test_a_name_matching_none_says_so(self, tree: Tree, personas: Personas) -> None:
        page = _client(personas.intake).post(CREATE, _typed("song hien")).content.decode()
        assert "Không tìm thấy “song hien”" in page
        assert not Notification.objects.exists()

    def test_an_officer_cannot_send_to_another_commune_by_its_code(
        self, tree: Tree, personas: Personas,
    ) -> None:
        page = _client(personas.outsider).post(CREATE, {**FORM, "commune": "01273"})
        assert page.status_code == 200
        assert "Không có xã, phường hiện hành với mã này." in page.content.decode()
        assert not Notification.objects.exists()


class IntakeFormOrderTests:
    def test_the_danger_question_comes_first(self, tree: Tree, personas: Personas) -> None:
        page = _client(personas.intake).get(CREATE).content.decode()
        names = re.findall(r'<(?:input|select|textarea)[^>]*\bname="([a-z_]+)"', page)
        fields = [name for name in names if name not in ("csrfmiddlewaretoken", "language",
                                                         "next")]
        assert fields[:4] == ["urgent", "commune_q", "commune", "description"]
        assert "Trẻ đang gặp nguy hiểm ngay lúc này" in page


class NoSilentCutTests:
    def test_no_input_of_the_form_cuts_what_is_typed(self, tree: Tree,
                                                     personas: Personas) -> None:
        page = _client(personas.intake).get(CREATE).content.decode()
        form = page[page.index('<form method="post" novalidate'):]
        assert "maxlength" not in form[:form.index("</form>")]

    @pytest.mark.parametrize(("field", "limit"), [
        ("reporter_name", 150), ("child_description", 300), ("father", 200)])
    def test_a_text_longer_than_its_field_is_refused_saying_so(
        self, tree: Tree, personas: Personas, field: str, limit: int,
    ) -> None:
        text = " ".join(["Nguyễn Thị Hồng Nhung"] * 20)  # 439 characters
        page = _client(personas.intake).post(CREATE, {**FORM, field: text}).content.decode()
        assert f"Quá dài: tối đa {limit} ký tự, bạn đã nhập {len(text)}." in page
        assert "không có gì bị cắt bớt" in page
        assert not Notification.objects.exists()


class ChildPickerTests:
    """The child a case is opened for, found as the officer types (htmx posts the search:
    names never travel in URLs) among the children of the notification's commune."""

    def test_the_search_answers_with_the_children_found_only(self, tree: Tree,
                                                             personas: Personas) -> None:
        from treem.audit.models import Action, AuditEvent
        from treem.cases.tests.test_services import _notify
        from treem.registry.tests.factories import make_child

        child = make_child(commune=tree.commune_a, full_name="Lý Văn Páo")
        make_child(commune=tree.commune_b, full_name="Lý Văn Pình")
        notification = _notify(personas.intake, tree.commune_a)
        url = reverse("cases:notification_detail", args=[notification.public_id])
        officer = _client(personas.officer)
        officer.get(url)
        reads = AuditEvent.objects.filter(action=Action.VIEW, actor=personas.officer).count()

        answer = officer.post(url, {"q": "ly van"}, headers=HTMX).content.decode()

        assert "<html" not in answer and "Báo cáo tiếp nhận" not in answer
        assert f'value="{child.public_id}"' in answer and "Lý Văn Páo" in answer
        assert "Lý Văn Pình" not in answer  # commune B's
        # Typing reads no record again: one read for the page.
        assert AuditEvent.objects.filter(action=Action.VIEW,
                                         actor=personas.officer).count() == reads

    def test_the_page_carries_the_search_as_you_type_by_post(self, tree: Tree,
                                                             personas: Personas) -> None:
        from treem.cases.tests.test_services import _notify

        notification = _notify(personas.intake, tree.commune_a)
        url = reverse("cases:notification_detail", args=[notification.public_id])
        page = _client(personas.officer).get(url).content.decode()
        assert f'hx-post="{url}"' in page and 'hx-target="#child-results"' in page
        assert 'hx-get' not in page.split('id="child-results"')[0].split("Mở hồ sơ")[-1]

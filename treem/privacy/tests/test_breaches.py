"""Breaches of personal data: recorded and corrected by a province's auditors (audited, never
deleted), their notification deadline counted from when they were found, overdue when the
agency was not told in time; bad input a Vietnamese error that writes nothing."""

import datetime
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from treem.accounts.roles import Role
from treem.accounts.services import token_create
from treem.audit.models import Action, AuditEvent
from treem.privacy.alerts import law, selectors, services
from treem.privacy.models import Breach
from treem.privacy.tests.alerts_world import make_breach
from treem.testing import Personas, Tree, login, make_user, messages_of, refused

JSON = "application/json"
API = "/api/v1/privacy/breaches"
NOW = timezone.now()


def snapshot() -> tuple[int, int, list[Any]]:
    return (Breach.objects.count(), AuditEvent.objects.count(),
            list(Breach.objects.values().order_by("id")))


def record(personas: Personas, tree: Tree, **changes: Any) -> Breach:
    values: dict[str, Any] = {
        "title": "Lộ danh sách trẻ em", "description": "Tệp Excel gửi nhầm nhóm Zalo",
        "happened_at": NOW - datetime.timedelta(days=2), "found_at": NOW - datetime.timedelta(
            hours=5), "children_affected": 40, "others_affected": 12,
        "categories": ["identity", "circumstances"], **changes}
    return services.breach_record(actor=personas.auditor, unit=tree.province, **values)


def bearer(user: Any) -> Client:
    _token, raw = token_create(user=user, name="thử vi phạm", days=1)
    return Client(headers={"Authorization": f"Bearer {raw}"})


class BreachServiceTests:
    def test_it_records_a_breach_with_its_deadline_and_audits_it(
            self, tree: Tree, personas: Personas) -> None:
        breach = record(personas, tree)
        assert breach.deadline == breach.found_at + datetime.timedelta(hours=72)
        assert law.NOTIFICATION_HOURS == 72
        assert not breach.overdue
        event = AuditEvent.objects.get(object_type="privacy.breach")
        assert (event.action, event.actor, event.unit) == (Action.CREATE, personas.auditor,
                                                           tree.province)

    def test_a_breach_not_notified_past_the_deadline_is_overdue(
            self, tree: Tree, personas: Personas) -> None:
        breach = record(personas, tree, happened_at=None,
                        found_at=NOW - datetime.timedelta(hours=73))
        assert breach.overdue
        late = record(personas, tree, happened_at=None,
                      found_at=NOW - datetime.timedelta(days=10),
                      authority_notified_at=NOW - datetime.timedelta(days=5))
        assert late.overdue
        on_time = record(personas, tree, happened_at=None,
                         found_at=NOW - datetime.timedelta(days=10),
                         authority_notified_at=NOW - datetime.timedelta(days=8))
        assert not on_time.overdue
        assert not breach.is_overdue(at=breach.found_at + datetime.timedelta(hours=71))

    @pytest.mark.parametrize(("changes", "field", "message"), [
        ({"found_at": NOW - datetime.timedelta(days=3)}, "found_at",
         "Thời điểm phát hiện không được trước thời điểm xảy ra."),
        ({"children_affected": -1}, "children_affected",
         "Số người bị ảnh hưởng phải là số nguyên từ 0 đến 100.000.000."),
        ({"others_affected": -5}, "others_affected",
         "Số người bị ảnh hưởng phải là số nguyên từ 0 đến 100.000.000."),
        ({"authority_notified_at": NOW - datetime.timedelta(hours=6)}, "authority_notified_at",
         "Thời điểm thông báo không được trước thời điểm phát hiện."),
        ({"subjects_notified_at": NOW - datetime.timedelta(hours=6)}, "subjects_notified_at",
         "Thời điểm thông báo không được trước thời điểm phát hiện."),
        ({"found_at": NOW + datetime.timedelta(days=1)}, "found_at", "Thời điểm này chưa tới."),
        ({"title": " "}, "title", "Hãy tóm tắt sự việc (tối đa 200 ký tự)."),
        ({"categories": ["gossip"]}, "categories",
         "Loại dữ liệu này không có trong danh sách."),
    ])
    def test_bad_input_is_refused_in_vietnamese_and_writes_nothing(
            self, tree: Tree, personas: Personas, changes: dict[str, Any], field: str,
            message: str) -> None:
        error = refused(record, snapshot=snapshot, personas=personas, tree=tree, **changes)
        assert messages_of(error, field) == [message]

    def test_an_update_is_checked_the_same_and_audited_with_its_fields(
            self, tree: Tree, personas: Personas) -> None:
        breach = record(personas, tree)
        error = refused(services.breach_update, snapshot=snapshot, actor=personas.auditor,
                        breach=breach, authority_notified_at=breach.found_at
                        - datetime.timedelta(minutes=1))
        assert messages_of(error, "authority_notified_at") == [
            "Thời điểm thông báo không được trước thời điểm phát hiện."]
        services.breach_update(actor=personas.auditor, breach=breach,
                               authority_notified_at=NOW, authority_reference="12/TB-SLĐTBXH")
        event = AuditEvent.objects.filter(object_type="privacy.breach").first()
        assert event is not None and event.action == Action.UPDATE
        assert event.changed_fields == ["authority_notified_at", "authority_reference"]

    def test_another_provinces_auditor_may_neither_record_nor_correct(
            self, tree: Tree, personas: Personas) -> None:
        hanoi = make_user("auditor_hn", role=Role.AUDITOR, unit=tree.other_province)
        error = refused(services.breach_record, snapshot=snapshot, actor=hanoi,
                        unit=tree.province, title="x", description="y", found_at=NOW)
        assert isinstance(error, PermissionDenied)
        breach = record(personas, tree)
        with pytest.raises(PermissionDenied):
            services.breach_update(actor=hanoi, breach=breach, title="z")

    def test_a_breach_on_a_dissolved_unit_is_read_by_the_successor_provinces_auditor(
            self, tree: Tree, personas: Personas) -> None:
        old = make_breach(unit=tree.old_province, by=personas.auditor, title="Vụ năm 2025")
        assert list(selectors.breach_list(user=personas.auditor)) == [old]
        hanoi = make_user("auditor_hn", role=Role.AUDITOR, unit=tree.other_province)
        assert list(selectors.breach_list(user=hanoi)) == []

    def test_a_breach_cannot_be_deleted_through_a_service(self) -> None:
        assert not hasattr(services, "breach_delete")


FORM = {"unit": "", "title": "Mất máy tính xách tay", "description": "Máy của cán bộ xã bị mất",
        "happened_at": "", "found_at": "", "children_affected": "120", "others_affected": "0",
        "categories": ["identity", "abuse"], "measures": "Đổi mật khẩu"}


class BreachPageTests:
    def form(self, tree: Tree, **changes: Any) -> dict[str, Any]:
        found = timezone.localtime(NOW - datetime.timedelta(hours=2))
        return {**FORM, "unit": tree.province.pk, "found_at": f"{found:%d/%m/%Y %H:%M}",
                **changes}

    def test_an_auditor_records_a_breach_and_prints_its_notification(
            self, client: Client, tree: Tree, personas: Personas) -> None:
        login(client, personas.auditor)
        response = client.post("/privacy/breaches/new/", self.form(tree))
        assert response.status_code == 302
        breach = Breach.objects.get()
        assert (breach.children_affected, breach.categories) == (120, ["identity", "abuse"])
        text = client.get(f"/privacy/breaches/{breach.public_id}/").content.decode()
        assert "Mất máy tính xách tay" in text and "Chưa thông báo" in text
        printed = client.get(f"/privacy/breaches/{breach.public_id}/print/").content.decode()
        assert "Cục An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao" in printed
        assert "Dữ liệu của 120 trẻ em" in printed and "Mẫu số 08" in printed
        assert AuditEvent.objects.filter(object_type="privacy.breach",
                                         action=Action.EXPORT).count() == 1

    def test_bad_input_on_the_page_says_why_and_writes_nothing(
            self, client: Client, tree: Tree, personas: Personas) -> None:
        login(client, personas.auditor)
        before = snapshot()
        for changes, message in (
                ({"children_affected": "-3"},
                 "Số người bị ảnh hưởng phải là số nguyên từ 0 đến 100.000.000."),
                ({"happened_at": "01/01/2099 10:00"}, "Thời điểm này chưa tới."),
                ({"happened_at": timezone.localtime(NOW).strftime("%d/%m/%Y %H:%M")},
                 "Thời điểm phát hiện không được trước thời điểm xảy ra."),
                ({"authority_notified_at": "01/01/2020 10:00"},
                 "Thời điểm thông báo không được trước thời điểm phát hiện.")):
            response = client.post("/privacy/breaches/new/", self.form(tree, **changes))
            assert response.status_code == 200
            assert message in response.content.decode()
        assert snapshot() == before

    def test_a_unit_of_another_province_is_not_offered(
            self, client: Client, tree: Tree, personas: Personas) -> None:
        login(client, personas.auditor)
        response = client.post("/privacy/breaches/new/",
                               self.form(tree, unit=tree.other_province.pk))
        assert response.status_code == 200 and not Breach.objects.exists()

    def test_the_edit_page_records_the_notification(self, client: Client, tree: Tree,
                                                     personas: Personas) -> None:
        breach = make_breach(unit=tree.province, by=personas.auditor, title="Vụ A")
        login(client, personas.auditor)
        url = f"/privacy/breaches/{breach.public_id}/edit/"
        data = {key: value for key, value in self.form(tree, title="Vụ A").items()
                if key != "unit"}
        data["found_at"] = f"{timezone.localtime(breach.found_at):%d/%m/%Y %H:%M}"
        data["authority_notified_at"] = f"{timezone.localtime(NOW):%d/%m/%Y %H:%M}"
        assert client.post(url, data).status_code == 302
        breach.refresh_from_db()
        assert breach.authority_notified_at is not None and not breach.overdue

    def test_the_list_flags_what_is_overdue(self, client: Client, tree: Tree,
                                            personas: Personas) -> None:
        make_breach(unit=tree.province, by=personas.auditor, title="Vụ cũ",
                    found_at=NOW - datetime.timedelta(days=5))
        make_breach(unit=tree.other_province, by=personas.auditor, title="Vụ Hà Nội")
        text = login(client, personas.auditor).get("/privacy/breaches/").content.decode()
        assert "Vụ cũ" in text and "Quá hạn" in text and "Vụ Hà Nội" not in text

    def test_outsiders_get_404_and_others_403(self, client: Client, tree: Tree,
                                             personas: Personas) -> None:
        breach = make_breach(unit=tree.province, by=personas.auditor, title="Vụ A")
        hanoi = make_user("auditor_hn", role=Role.AUDITOR, unit=tree.other_province)
        for suffix in ("", "edit/", "print/"):
            url = f"/privacy/breaches/{breach.public_id}/{suffix}"
            assert login(Client(), hanoi).get(url).status_code == 404
            assert login(Client(), personas.officer).get(url).status_code == 403
            assert Client().get(url).status_code == 302


class BreachApiTests:
    def body(self, **changes: Any) -> str:
        return json.dumps({"unit": "04", "title": "Lộ danh sách", "description": "Gửi nhầm",
                           "found_at": (NOW - datetime.timedelta(hours=3)).isoformat(),
                           "children_affected": 7, "categories": ["identity"], **changes})

    def test_create_read_update_with_a_token(self, tree: Tree, personas: Personas) -> None:
        client = bearer(personas.auditor)
        made = client.post(API, self.body(), content_type=JSON)
        assert made.status_code == 201, made.content
        breach = made.json()
        assert breach["overdue"] is False and breach["unit"] == "04"
        assert client.get(API).json()["count"] == 1
        url = f"{API}/{breach['id']}"
        assert client.get(url).json()["children_affected"] == 7
        patched = client.patch(url, json.dumps({"authority_reference": "05/TB"}),
                               content_type=JSON)
        assert patched.status_code == 200 and patched.json()["authority_reference"] == "05/TB"
        assert patched.json()["children_affected"] == 7

    def test_bad_input_is_a_vietnamese_422_that_writes_nothing(
            self, tree: Tree, personas: Personas) -> None:
        client = bearer(personas.auditor)
        before = snapshot()
        negative = client.post(API, self.body(children_affected=-1), content_type=JSON)
        assert negative.status_code == 422 and "lớn hơn hoặc bằng 0" in negative.json()["detail"]
        early = client.post(API, self.body(
            happened_at=NOW.isoformat(), found_at=(NOW - datetime.timedelta(hours=1)).isoformat()),
            content_type=JSON)
        assert early.status_code == 422
        assert "không được trước thời điểm xảy ra" in early.json()["detail"]
        assert snapshot() == before

    def test_scope_and_capability(self, tree: Tree, personas: Personas) -> None:
        breach = make_breach(unit=tree.other_province, by=personas.auditor, title="Vụ Hà Nội")
        client = bearer(personas.auditor)
        assert client.get(f"{API}/{breach.public_id}").status_code == 404
        assert client.patch(f"{API}/{breach.public_id}", json.dumps({"title": "x"}),
                            content_type=JSON).status_code == 404
        assert client.post(API, self.body(unit="01"), content_type=JSON).status_code == 404
        assert bearer(personas.officer).get(API).status_code == 403
        assert Client().get(API).status_code == 401
        with pytest.raises(ValidationError):
            services.breach_update(actor=personas.auditor, breach=make_breach(
                unit=tree.province, by=personas.auditor, title="Vụ A"), children_affected=-2)

import re
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client, RequestFactory
from django.urls import reverse

from treem.accounts.roles import Role
from treem.audit import context, triggers
from treem.audit.middleware import client_ip
from treem.audit.models import Action, AppendOnlyError, AuditEvent
from treem.audit.services import event_record
from treem.geo.models import Unit
from treem.testing import PASSWORD, Personas, Tree, login


@pytest.fixture
def event(tree: Tree) -> AuditEvent:
    return event_record(actor=None, action=Action.DATA_LOADED, unit=tree.commune_a,
                        fields=["name"], reason="nạp dữ liệu thử")


def columns_of(event: AuditEvent) -> dict[str, Any]:
    return AuditEvent.objects.filter(pk=event.pk).values().get()


class AuditEventImmutabilityTests:
    def test_saving_an_existing_event_raises(self, event: AuditEvent) -> None:
        before = columns_of(event)
        event.reason = "sửa lại"
        with pytest.raises(AppendOnlyError):
            event.save()
        assert columns_of(event) == before

    def test_saving_a_new_instance_over_an_existing_id_raises(self, event: AuditEvent) -> None:
        before = columns_of(event)
        forged = AuditEvent(pk=event.pk, action=Action.LOGIN, reason="giả mạo")
        # The ORM alone must refuse (Django saves an instance with a primary key as an UPDATE),
        # so the database's triggers are taken away for this test.
        triggers.remove(connection)
        try:
            with pytest.raises(AppendOnlyError), transaction.atomic():
                forged.save()
        finally:
            triggers.install(connection)
        assert columns_of(event) == before
        assert AuditEvent.objects.filter(pk=event.pk).count() == 1

    def test_deleting_an_event_raises(self, event: AuditEvent) -> None:
        with pytest.raises(AppendOnlyError):
            event.delete()
        assert AuditEvent.objects.filter(pk=event.pk).exists()

    def test_a_queryset_update_raises(self, event: AuditEvent) -> None:
        before = columns_of(event)
        with pytest.raises(AppendOnlyError):
            AuditEvent.objects.filter(pk=event.pk).update(reason="sửa lại")
        event.reason = "sửa lại"
        # bulk_update runs its updates in a transaction of its own, broken by the error.
        with pytest.raises(AppendOnlyError), transaction.atomic():
            AuditEvent.objects.bulk_update([event], ["reason"])
        assert columns_of(event) == before

    def test_a_queryset_delete_raises(self, event: AuditEvent) -> None:
        with pytest.raises(AppendOnlyError):
            AuditEvent.objects.all().delete()
        assert AuditEvent.objects.filter(pk=event.pk).exists()


class AuditTriggerTests:
    """The database itself refuses, for whoever bypasses the ORM."""

    @pytest.fixture(autouse=True)
    def installed(self, db: None) -> None:
        triggers.install(connection)  # idempotent: the migration installed them already

    def test_raw_sql_update_fails_at_the_database(self, event: AuditEvent) -> None:
        before = columns_of(event)
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditevent SET reason = %s WHERE id = %s",
                           ["sửa bằng SQL", event.pk])
        assert columns_of(event) == before

    def test_raw_sql_delete_fails_at_the_database(self, event: AuditEvent) -> None:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent")
        assert AuditEvent.objects.filter(pk=event.pk).exists()

    def test_installing_twice_is_harmless(self, event: AuditEvent) -> None:
        triggers.install(connection)
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
        assert AuditEvent.objects.filter(pk=event.pk).exists()


class EventRecordRequestContextTests:
    def create_village(self, client: Client, tree: Tree, *, request_id: str | None = None) -> Any:
        url = reverse("geo:village_create", args=[tree.commune_a.public_id])
        headers = {"X-Request-ID": request_id} if request_id is not None else {}
        return client.post(url, {"kind": "Thôn", "name": "Thôn Mới"}, headers=headers)

    def village_event(self) -> AuditEvent:
        return AuditEvent.objects.get(action=Action.CREATE, object_type="geo.unit")

    def test_it_records_the_ip_and_request_id_of_the_request(self, tree: Tree,
                                                             personas: Personas) -> None:
        response = self.create_village(login(Client(), personas.officer), tree)
        assert response.status_code == 302
        event = self.village_event()
        assert event.request_id == response["X-Request-ID"]
        assert re.fullmatch(r"[0-9a-f]{32}", event.request_id)
        assert event.ip == "127.0.0.1"
        assert event.actor == personas.officer
        assert event.actor_username == "officer_a"
        assert event.roles == Role.COMMUNE_OFFICER
        village = Unit.objects.get(name="Thôn Mới")
        assert event.object_id == str(village.public_id)
        assert event.unit_path == village.path

    def test_it_keeps_a_well_formed_incoming_request_id(self, tree: Tree,
                                                        personas: Personas) -> None:
        response = self.create_village(login(Client(), personas.officer), tree,
                                       request_id="proxy-7f3a9c21")
        assert response["X-Request-ID"] == "proxy-7f3a9c21"
        assert self.village_event().request_id == "proxy-7f3a9c21"

    @pytest.mark.parametrize("incoming", ["abc", "id with spaces 123", "x" * 65, "<script>1234"])
    def test_it_replaces_a_malformed_incoming_request_id(self, tree: Tree, personas: Personas,
                                                         incoming: str) -> None:
        response = self.create_village(login(Client(), personas.officer), tree,
                                       request_id=incoming)
        assert response["X-Request-ID"] != incoming
        assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
        assert self.village_event().request_id == response["X-Request-ID"]

    def test_each_request_gets_its_own_id(self, personas: Personas) -> None:
        client = login(Client(), personas.officer)
        first, second = client.get("/healthz"), client.get("/healthz")
        assert first["X-Request-ID"] != second["X-Request-ID"]

    def test_an_event_after_the_request_carries_none_of_its_context(self, tree: Tree,
                                                                   personas: Personas) -> None:
        self.create_village(login(Client(), personas.officer), tree)
        assert context.current() is None
        later = event_record(actor=None, action=Action.DATA_LOADED, unit=tree.commune_a)
        assert (later.request_id, later.ip) == ("", None)


class ClientIpTests:
    @pytest.mark.parametrize(("trust_proxy", "forwarded", "remote", "recorded"), [
        (False, "198.51.100.9", "10.0.0.2", "10.0.0.2"),         # no proxy: header ignored
        (True, "203.0.113.7", "10.0.0.2", "203.0.113.7"),        # the proxy's entry
        (True, "6.6.6.6, 203.0.113.7", "10.0.0.2", "203.0.113.7"),  # a forged first entry
        (True, "", "10.0.0.2", "10.0.0.2"),
        (True, "203.0.113.7, unknown", "10.0.0.2", None),        # never store a non-address
        (False, "", "", None),                                   # e.g. a unix socket
        (True, " 2001:db8::1 ", "10.0.0.2", "2001:db8::1"),
    ])
    def test_it_records_the_address_the_proxy_saw(
            self, settings: Any, trust_proxy: bool, forwarded: str, remote: str,
            recorded: str | None) -> None:
        settings.TREEM_TRUST_X_FORWARDED_FOR = trust_proxy
        request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)
        assert client_ip(request) == recorded


class ChangedFieldsTests:
    NEW_PASSWORD = "Mot-mat-khau-moi-2026"

    def test_a_password_change_records_the_field_name_but_never_the_value(
            self, personas: Personas) -> None:
        client = login(Client(), personas.officer)
        response = client.post(reverse("accounts:password_change"), {
            "old_password": PASSWORD, "new_password": self.NEW_PASSWORD,
            "new_password_again": self.NEW_PASSWORD,
        })
        assert response.status_code == 302
        personas.officer.refresh_from_db()
        assert personas.officer.check_password(self.NEW_PASSWORD)
        event = AuditEvent.objects.get(action=Action.UPDATE, object_id=personas.officer.public_id)
        assert event.changed_fields == ["password"]
        secrets = (self.NEW_PASSWORD, PASSWORD, personas.officer.password)
        for row in AuditEvent.objects.values():
            for column, value in row.items():
                assert not any(s in str(value) for s in secrets), (column, value)

    def test_it_stores_field_names_sorted(self, tree: Tree) -> None:
        event = event_record(actor=None, action=Action.UPDATE, unit=tree.commune_a,
                             fields=["phone", "email", "full_name"])
        assert AuditEvent.objects.get(pk=event.pk).changed_fields == ["email", "full_name",
                                                                      "phone"]


class ReadRecordTests:
    def test_it_refuses_a_model_not_marked_for_read_auditing(self, tree: Tree) -> None:
        from treem.audit.services import read_record

        with pytest.raises(TypeError):
            read_record(actor=None, obj=tree.commune_a,  # type: ignore[arg-type]
                        unit=tree.commune_a)
        assert not AuditEvent.objects.exists()

    def test_it_records_a_view_of_a_marked_model(self, tree: Tree, personas: Personas) -> None:
        from treem.audit.services import read_record

        event = read_record(actor=personas.admin, obj=personas.officer, unit=tree.commune_a,
                            reason="kiểm tra")
        assert (event.action, event.object_type, event.reason) == (
            Action.VIEW, "accounts.user", "kiểm tra")
        assert event.unit_path == tree.commune_a.path

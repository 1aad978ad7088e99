"""The offline API as a phone calls it: enrolment, the village's download (what it holds, its
size, its audit), sync exactly once, the wipe at the next contact, CSRF, and a collaborator of
another village kept out."""

import datetime
import gzip
import json
import uuid
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from treem.accounts.models import RoleAssignment
from treem.accounts.roles import Role
from treem.audit.models import Action, AuditEvent
from treem.geo.models import Level, Unit
from treem.offline import devices
from treem.offline.models import Device, Operation, OperationStatus
from treem.registry.choices import SchoolStatus
from treem.registry.models import Child
from treem.registry.tests.factories import make_child
from treem.testing import Personas, Tree, login, make_unit, make_user

pytestmark = pytest.mark.django_db

BASE = "/api/v1/offline"


def phone_client(user: Any) -> Client:
    return login(Client(), user)


def enrol(client: Client, device_id: uuid.UUID | None = None) -> dict[str, Any]:
    response = client.post(f"{BASE}/devices", {"id": str(device_id or uuid.uuid4()),
                                               "label": "Android Go"},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()


def headers(device: dict[str, Any]) -> dict[str, str]:
    return {"X-Treem-Device": device["id"]}


def sync(client: Client, device: dict[str, Any], *operations: dict[str, Any]) -> Any:
    return client.post(f"{BASE}/sync", {"operations": list(operations)},
                       content_type="application/json", headers=headers(device))


def update_op(child: Child, **changes: Any) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "kind": "child_update",
            "recorded_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
            "payload": {"child": str(child.public_id), "base_version": child.version,
                        "changes": changes,
                        "base": {name: getattr(child, name) for name in changes}}}


@pytest.fixture
def village_b(tree: Tree) -> Unit:
    return make_unit(parent=tree.commune_b, level=Level.VILLAGE, code="01279-001",
                     name="Bản Giang", kind="Bản")


def test_enrolling_again_keeps_the_salt_and_changes_the_secret(personas: Personas) -> None:
    client = phone_client(personas.collaborator)
    device_id = uuid.uuid4()
    first, second = enrol(client, device_id), enrol(client, device_id)
    assert first["salt"] == second["salt"] and first["secret"] != second["secret"]
    assert Device.objects.get().secret_hash not in (first["secret"], second["secret"])


def test_a_phone_id_of_another_user_is_refused(tree: Tree, personas: Personas,
                                               village_b: Unit) -> None:
    device_id = uuid.uuid4()
    enrol(phone_client(personas.collaborator), device_id)
    other = make_user("ctv_b", role=Role.VILLAGE_COLLABORATOR, unit=village_b)
    response = phone_client(other).post(f"{BASE}/devices", {"id": str(device_id)},
                                        content_type="application/json")
    assert response.status_code == 422


def test_the_download_holds_the_village_and_only_what_the_role_reads(
        tree: Tree, personas: Personas, village_b: Unit) -> None:
    mine = make_child(commune=tree.commune_a, village=tree.village_a, full_name="Lò Thị Mai",
                      personal_id="004123456789")
    make_child(commune=tree.commune_a, full_name="Trẻ Không Thôn")
    make_child(commune=tree.commune_b, village=village_b, full_name="Vàng Thị Bản Giang")
    client = phone_client(personas.collaborator)
    device = enrol(client)
    response = client.get(f"{BASE}/village", headers=headers(device))
    assert response.status_code == 200
    body = response.json()
    assert [c["full_name"] for c in body["children"]] == ["Lò Thị Mai"]
    assert body["children"][0]["id"] == str(mine.public_id)
    assert "004123456789" not in response.content.decode()
    assert [v["code"] for v in body["villages"]] == [tree.village_a.code]
    assert {"sex", "ethnicity", "school_status", "concern_form", "communes"} <= set(body["lists"])
    assert body["lists"]["villages"] == [[tree.village_a.code, tree.village_a.name]]
    assert AuditEvent.objects.filter(action=Action.EXPORT, actor=personas.collaborator,
                                     reason="offline_download").count() == 1


def test_a_village_of_300_children_downloads_under_200_kilobytes_compressed(
        tree: Tree, personas: Personas) -> None:
    for number in range(300):
        make_child(commune=tree.commune_a, village=tree.village_a,
                   full_name=f"Nguyễn Thị Hồng Nhung Số {number}",
                   birth_date=datetime.date(2012, 1, 1) + datetime.timedelta(days=number * 7))
    client = phone_client(personas.collaborator)
    device = enrol(client)
    response = client.get(f"{BASE}/village", headers=headers(device) | {
        "Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert len(response.content) < 200_000
    assert len(json.loads(gzip.decompress(response.content))["children"]) == 300


def test_a_sync_retried_after_a_dropped_answer_applies_once(tree: Tree,
                                                            personas: Personas) -> None:
    child = make_child(commune=tree.commune_a, village=tree.village_a)
    client = phone_client(personas.collaborator)
    device = enrol(client)
    operation = update_op(child, school_status=SchoolStatus.DROPPED_OUT)
    first = sync(client, device, operation).json()["results"][0]
    again = sync(client, device, operation).json()["results"][0]
    assert first["status"] == again["status"] == "applied"
    assert first["record"]["v"] == again["record"]["v"] == child.version + 1
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_type="registry.child").count() == 1


def test_more_operations_than_a_sync_takes_are_refused_whole(tree: Tree,
                                                             personas: Personas) -> None:
    child = make_child(commune=tree.commune_a, village=tree.village_a)
    client = phone_client(personas.collaborator)
    device = enrol(client)
    response = sync(client, device, *[update_op(child, health_insurance=True)] * 501)
    assert response.status_code == 422 and not Operation.objects.exists()


def test_a_write_through_the_session_needs_the_csrf_token(personas: Personas) -> None:
    client = login(Client(enforce_csrf_checks=True), personas.collaborator)
    refused = client.post(f"{BASE}/devices", {"id": str(uuid.uuid4())},
                          content_type="application/json")
    assert refused.status_code == 403 and not Device.objects.exists()
    token = client.get(f"{BASE}/session").json()["csrf_token"]
    accepted = client.post(f"{BASE}/devices", {"id": str(uuid.uuid4())},
                           content_type="application/json", headers={"X-CSRFToken": token})
    assert accepted.status_code == 201


@pytest.mark.parametrize("how", ["revoked", "lost", "deactivated"])
def test_a_phone_that_must_wipe_is_told_at_its_next_contact(tree: Tree, personas: Personas,
                                                            how: str) -> None:
    client = phone_client(personas.collaborator)
    device = enrol(client)
    contact = {"device": device["id"], "secret": device["secret"]}
    assert Client().post(f"{BASE}/contact", contact,
                         content_type="application/json").json() == {"wipe": False}
    if how == "revoked":
        RoleAssignment.objects.filter(user=personas.collaborator).update(
            revoked_at=timezone.now())
    elif how == "lost":
        devices.device_report_lost(actor=personas.officer,
                                   device=Device.objects.get(pk=device["id"]))
    else:
        personas.collaborator.is_active = False
        personas.collaborator.save()
    answer = Client().post(f"{BASE}/contact", contact, content_type="application/json")
    assert answer.json() == {"wipe": True}
    assert Device.objects.get(pk=device["id"]).wiped_at is not None
    if how != "deactivated":  # a deactivated user has no session left to call with
        response = client.get(f"{BASE}/village", headers=headers(device))
        assert response.status_code == 410 and response.json()["code"] == "gone"


def test_a_wrong_secret_or_an_unknown_phone_is_told_to_wipe(personas: Personas) -> None:
    device = enrol(phone_client(personas.collaborator))
    for body in ({"device": device["id"], "secret": "đoán"},
                 {"device": str(uuid.uuid4()), "secret": device["secret"]}):
        assert Client().post(f"{BASE}/contact", body,
                             content_type="application/json").json() == {"wipe": True}
    assert Device.objects.get().wiped_at is None


def test_a_collaborator_of_another_village_is_kept_out(tree: Tree, personas: Personas,
                                                       village_b: Unit) -> None:
    child = make_child(commune=tree.commune_a, village=tree.village_a,
                       school_status=SchoolStatus.IN_SCHOOL)
    mine = phone_client(personas.collaborator)
    device_a = enrol(mine)
    held = sync(mine, device_a, {**update_op(child, school_status="never"),
                                 "payload": {"child": str(child.public_id),
                                             "base_version": 99,
                                             "changes": {"school_status": "never"}}})
    operation_id = held.json()["results"][0]["id"]
    other_user = make_user("ctv_b", role=Role.VILLAGE_COLLABORATOR, unit=village_b)
    other = phone_client(other_user)
    device_b = enrol(other)
    # Phone A's id from another account: refused.
    assert other.get(f"{BASE}/village", headers=headers(device_a)).status_code == 403
    # Its own download holds nothing of village A.
    body = other.get(f"{BASE}/village", headers=headers(device_b)).json()
    assert body["children"] == [] and body["pending"] == []
    # An edit of village A's child from its phone is held, nothing changed.
    [result] = sync(other, device_b, update_op(child, school_status=SchoolStatus.DROPPED_OUT)
                    ).json()["results"]
    assert result["status"] == OperationStatus.HELD
    child.refresh_from_db()
    assert child.school_status == SchoolStatus.IN_SCHOOL
    # Another's operation: not found.
    response = other.post(f"{BASE}/operations/{operation_id}/decision",
                          {"dismiss": True, "reason": "x"}, content_type="application/json")
    assert response.status_code == 404


def test_a_payload_too_large_is_refused(tree: Tree, personas: Personas) -> None:
    client = phone_client(personas.collaborator)
    device = enrol(client)
    operation = {"id": str(uuid.uuid4()), "kind": "concern_record",
                 "recorded_at": timezone.now().isoformat(),
                 "payload": {"description": "x" * 30_000}}
    response = sync(client, device, operation)
    assert response.status_code in (413, 422) and not Operation.objects.exists()


def test_a_payload_with_nan_is_refused(tree: Tree, personas: Personas) -> None:
    client = phone_client(personas.collaborator)
    device = enrol(client)
    operation = json.dumps({"id": str(uuid.uuid4()), "kind": "concern_record",
                            "recorded_at": timezone.now().isoformat(), "payload": {"urgent": 1}})
    body = '{"operations": [' + operation.replace('"urgent": 1', '"urgent": NaN') + "]}"
    response = client.post(f"{BASE}/sync", body, content_type="application/json",
                           headers=headers(device))
    assert response.status_code == 422 and not Operation.objects.exists()


def test_a_village_of_a_commune_dissolved_in_2025_is_not_downloaded_nor_written(
        tree: Tree, personas: Personas) -> None:
    # A collaborator still assigned to a village of Phường Sông Hiến (dissolved, taken over by
    # commune A): its children are commune A's now; the phone gets nothing of the old village.
    old_village = make_unit(parent=tree.old_commune, level=Level.VILLAGE, code="01270-001",
                            name="Tổ 1 Sông Hiến", kind="Tổ", current=False)
    collaborator = make_user("ctv_old", role=Role.VILLAGE_COLLABORATOR, unit=old_village)
    make_child(commune=tree.old_commune, village=old_village, full_name="Trẻ Của Xã Cũ")
    make_child(commune=tree.commune_a, village=tree.village_a, full_name="Trẻ Của Xã Mới")
    client = phone_client(collaborator)
    device = enrol(client)
    body = client.get(f"{BASE}/village", headers=headers(device)).json()
    assert body["villages"] == [] and body["children"] == []
    [result] = sync(client, device, {
        "id": str(uuid.uuid4()), "kind": "child_register", "recorded_at": timezone.now().isoformat(),
        "payload": {"village": old_village.code, "full_name": "Lò Văn Mới", "sex": "m",
                    "birth_date": "2020-01-01", "ethnicity": "01"}}).json()["results"]
    assert result["status"] == "invalid" and result["errors"]["village"]
    assert not Child.objects.filter(full_name="Lò Văn Mới").exists()
    # The successor's collaborator holds its village as ever.
    current = phone_client(personas.collaborator)
    mine = enrol(current)
    names = [c["full_name"] for c in current.get(f"{BASE}/village",
                                                 headers=headers(mine)).json()["children"]]
    assert names == ["Trẻ Của Xã Mới"]

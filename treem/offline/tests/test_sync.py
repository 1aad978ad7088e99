"""The sync service: every operation kind through the register's and the cases' services, the
conflict rule per field, merged and vanished records, references to records made offline, and
idempotency on the phone's id."""

import datetime
import uuid
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from treem.accounts.roles import Role
from treem.audit.models import Action, AuditEvent
from treem.cases.choices import Channel
from treem.cases.models import Notification
from treem.offline import decisions, devices
from treem.offline.models import Device, Operation, OperationStatus
from treem.offline.sync import Incoming, sync
from treem.registry import services as registry
from treem.registry.choices import SchoolStatus
from treem.registry.dedup.merging import child_merge
from treem.registry.models import Child, Household
from treem.registry.tests.factories import make_child
from treem.testing import Personas, Tree, make_unit, make_user

pytestmark = pytest.mark.django_db

APPLIED, CONFLICT, HELD, INVALID = (OperationStatus.APPLIED, OperationStatus.CONFLICT,
                                    OperationStatus.HELD, OperationStatus.INVALID)


@pytest.fixture
def phone(personas: Personas) -> Device:
    device, _secret = devices.device_enrol(user=personas.collaborator, device_id=uuid.uuid4(),
                                           label="Android")
    return device


def op(kind: str, payload: dict[str, Any], *, at: datetime.datetime | None = None,
       op_id: uuid.UUID | None = None) -> Incoming:
    return Incoming(id=op_id or uuid.uuid4(), kind=kind,
                    recorded_at=at or timezone.now() - datetime.timedelta(hours=3),
                    payload=payload)


def send(personas: Personas, phone: Device, *operations: Incoming) -> list[dict[str, Any]]:
    return sync(user=personas.collaborator, device=phone, operations=operations)


def register_payload(tree: Tree, **values: Any) -> dict[str, Any]:
    return {"village": tree.village_a.code, "full_name": "Lò Thị Mai", "sex": "f",
            "birth_date": "2019-03-02", "ethnicity": "01", "birth_registered": True,
            "school_status": SchoolStatus.IN_SCHOOL} | values


def update(child: Child, changes: dict[str, Any], base: dict[str, Any] | None = None,
           version: int | None = None) -> dict[str, Any]:
    return {"child": str(child.public_id), "base_version": version or child.version,
            "changes": changes,
            "base": base if base is not None else {name: getattr(child, name) for name in changes}}


def test_a_child_registered_offline_is_on_the_register_once(tree: Tree, personas: Personas,
                                                           phone: Device) -> None:
    sent = op("child_register", register_payload(tree))
    [first] = send(personas, phone, sent)
    assert first["status"] == APPLIED, first
    child = Child.objects.get(public_id=first["record"]["id"])
    assert (child.village, child.commune, child.created_by) == (
        tree.village_a, tree.commune_a, personas.collaborator)
    assert first["record"]["v"] == child.version
    # The answer was lost: the phone sends it again. Nothing is applied twice.
    [again] = send(personas, phone, sent)
    assert again["status"] == APPLIED and again["record"]["id"] == first["record"]["id"]
    assert Child.objects.filter(full_name="Lò Thị Mai").count() == 1
    assert Operation.objects.count() == 1
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type="registry.child").count() == 1


def test_a_household_made_offline_is_named_by_the_children_registered_after_it(
        tree: Tree, personas: Personas, phone: Device) -> None:
    household_op = op("household_create", {"village": tree.village_a.code,
                                           "head_name": "Lò Văn Páo", "address": "Bản Nà Pồng"})
    child_op = op("child_register", register_payload(tree, household=f"op:{household_op.id}"))
    results = send(personas, phone, household_op, child_op)
    assert [r["status"] for r in results] == [APPLIED, APPLIED]
    household = Household.objects.get(public_id=results[0]["record"]["id"])
    assert Child.objects.get(public_id=results[1]["record"]["id"]).household == household


def test_an_operation_waits_for_the_one_it_names_and_applies_when_sent_again(
        tree: Tree, personas: Personas, phone: Device) -> None:
    refused = op("child_register", register_payload(tree, birth_date="2999-01-01"))
    follower = op("child_update", {"child": f"op:{refused.id}", "base_version": 1,
                                   "changes": {"school_status": SchoolStatus.DROPPED_OUT},
                                   "base": {"school_status": SchoolStatus.IN_SCHOOL}})
    first, second = send(personas, phone, refused, follower)
    assert first["status"] == INVALID and first["errors"]["birth_date"]
    assert second["status"] == HELD and second["message"]
    # The collaborator corrects the birth date: the registration keeps its id, and the update
    # that named it applies when the phone sends it again.
    decisions.operation_correct(actor=personas.collaborator,
                                operation=Operation.objects.get(pk=refused.id),
                                payload=register_payload(tree))
    [again] = send(personas, phone, follower)
    assert again["status"] == APPLIED
    child = Child.objects.get(public_id=again["record"]["id"])
    assert child.school_status == SchoolStatus.DROPPED_OUT


def test_updates_of_different_fields_merge(tree: Tree, personas: Personas, phone: Device) -> None:
    child = make_child(commune=tree.commune_a, village=tree.village_a,
                       school_status=SchoolStatus.IN_SCHOOL)
    downloaded = Child.objects.get(pk=child.pk)
    registry.child_update(actor=personas.officer, child=child, base_version=child.version,
                          health_insurance=True)
    [result] = send(personas, phone, op("child_update", update(
        downloaded, {"school_status": SchoolStatus.DROPPED_OUT})))
    assert result["status"] == APPLIED
    child.refresh_from_db()
    assert (child.school_status, child.health_insurance) == (SchoolStatus.DROPPED_OUT, True)


def test_the_same_field_changed_on_both_sides_is_a_conflict_decided_by_a_person(
        tree: Tree, personas: Personas, phone: Device) -> None:
    child = make_child(commune=tree.commune_a, village=tree.village_a,
                       school_status=SchoolStatus.IN_SCHOOL)
    downloaded = Child.objects.get(pk=child.pk)
    registry.child_update(actor=personas.officer, child=child, base_version=child.version,
                          school_status=SchoolStatus.NEVER)
    [result] = send(personas, phone, op("child_update", update(
        downloaded, {"school_status": SchoolStatus.DROPPED_OUT, "health_insurance": True})))
    assert result["status"] == CONFLICT
    [conflict] = result["conflicts"]
    assert (conflict["field"], conflict["mine"], conflict["theirs"], conflict["base"]) == (
        "school_status", SchoolStatus.DROPPED_OUT, SchoolStatus.NEVER, SchoolStatus.IN_SCHOOL)
    assert conflict["by"] == personas.officer.full_name and conflict["at"]
    child.refresh_from_db()
    # Nothing of the operation applied, not even the field nobody else changed.
    assert (child.school_status, child.health_insurance) == (SchoolStatus.NEVER, False)
    operation = Operation.objects.get()
    assert operation.unit_path == tree.commune_a.path
    # The commune officer keeps the phone's value.
    decisions.conflict_decide(actor=personas.officer, operation=operation,
                              fields={"school_status": "mine"})
    child.refresh_from_db()
    operation.refresh_from_db()
    assert (child.school_status, child.health_insurance) == (SchoolStatus.DROPPED_OUT, True)
    assert (operation.status, operation.decided_by) == (OperationStatus.RESOLVED, personas.officer)


def test_keeping_theirs_applies_only_the_other_fields(tree: Tree, personas: Personas,
                                                       phone: Device) -> None:
    child = make_child(commune=tree.commune_a, village=tree.village_a)
    downloaded = Child.objects.get(pk=child.pk)
    registry.child_update(actor=personas.officer, child=child, base_version=child.version,
                          school_status=SchoolStatus.NEVER)
    send(personas, phone, op("child_update", update(
        downloaded, {"school_status": SchoolStatus.DROPPED_OUT, "health_insurance": True})))
    decisions.conflict_decide(actor=personas.collaborator, operation=Operation.objects.get(),
                              fields={"school_status": "theirs"})
    child.refresh_from_db()
    assert (child.school_status, child.health_insurance) == (SchoolStatus.NEVER, True)


def test_a_field_changed_again_while_the_conflict_waited_is_a_new_conflict(
        tree: Tree, personas: Personas, phone: Device) -> None:
    child = make_child(commune=tree.commune_a, village=tree.village_a)
    downloaded = Child.objects.get(pk=child.pk)
    registry.child_update(actor=personas.officer, child=child, base_version=child.version,
                          school_status=SchoolStatus.NEVER)
    send(personas, phone, op("child_update", update(
        downloaded, {"school_status": SchoolStatus.DROPPED_OUT})))
    child.refresh_from_db()
    registry.child_update(actor=personas.chairman, child=child, base_version=child.version,
                          school_status=SchoolStatus.IN_SCHOOL)
    operation = Operation.objects.get()
    decisions.conflict_decide(actor=personas.officer, operation=operation,
                              fields={"school_status": "mine"})
    operation.refresh_from_db()
    child.refresh_from_db()
    assert operation.status == OperationStatus.CONFLICT
    assert operation.conflicts[0]["theirs"] == SchoolStatus.IN_SCHOOL
    assert child.school_status == SchoolStatus.IN_SCHOOL


def test_an_edit_of_a_merged_child_follows_it_to_the_record_kept(
        tree: Tree, personas: Personas, phone: Device) -> None:
    kept = make_child(commune=tree.commune_a, village=tree.village_a, full_name="Lò Văn A")
    merged = make_child(commune=tree.commune_a, village=tree.village_a, full_name="Lo Van A")
    downloaded = Child.objects.get(pk=merged.pk)
    child_merge(actor=personas.officer, kept=kept, merged=merged, reason="trùng")
    [result] = send(personas, phone, op("child_update", update(
        downloaded, {"school_status": SchoolStatus.DROPPED_OUT})))
    assert result["status"] == APPLIED and result["record"]["id"] == str(kept.public_id)
    kept.refresh_from_db()
    assert kept.school_status == SchoolStatus.DROPPED_OUT


def test_an_edit_of_a_child_gone_from_the_village_is_held(tree: Tree, personas: Personas,
                                                          phone: Device) -> None:
    child = make_child(commune=tree.commune_a, village=tree.village_a)
    downloaded = Child.objects.get(pk=child.pk)
    registry.child_move(actor=personas.officer, child=child, commune=tree.commune_b,
                        moved_on=timezone.localdate())
    [result] = send(personas, phone, op("child_update", update(
        downloaded, {"school_status": SchoolStatus.DROPPED_OUT})))
    assert result["status"] == HELD and result["message"]
    operation = Operation.objects.get()
    # Kept for the commune officer, who sets it aside with a reason.
    decisions.operation_dismiss(actor=personas.officer, operation=operation,
                                reason="Trẻ đã chuyển đi")
    operation.refresh_from_db()
    assert operation.status == OperationStatus.DISMISSED and operation.payload["changes"]


def test_a_probable_duplicate_in_the_village_is_refused_until_the_collaborator_confirms(
        tree: Tree, personas: Personas, phone: Device) -> None:
    make_child(commune=tree.commune_a, village=tree.village_a, full_name="Lò Thị Mai", sex="f",
               birth_date=datetime.date(2019, 3, 2))
    [result] = send(personas, phone, op("child_register", register_payload(tree)))
    assert result["status"] == INVALID and "Lò Thị Mai" in result["errors"]["full_name"][0]
    assert Child.objects.filter(full_name="Lò Thị Mai").count() == 1
    decisions.operation_correct(actor=personas.collaborator, operation=Operation.objects.get(),
                                payload=register_payload(tree, confirm_new=True))
    assert Child.objects.filter(full_name="Lò Thị Mai").count() == 2


def test_a_probable_duplicate_only_the_commune_sees_waits_for_the_commune_officer(
        tree: Tree, personas: Personas, phone: Device) -> None:
    make_child(commune=tree.commune_a, full_name="Lò Thị Mai", sex="f",
               birth_date=datetime.date(2019, 3, 2))
    [result] = send(personas, phone, op("child_register", register_payload(tree)))
    # The collaborator is not told the name of a child outside its village.
    assert result["status"] == HELD and "Lò Thị Mai" not in result["message"]
    operation = Operation.objects.get()
    with pytest.raises(PermissionDenied):
        decisions.registration_confirm(actor=personas.collaborator, operation=operation)
    decisions.registration_confirm(actor=personas.officer, operation=operation)
    operation.refresh_from_db()
    assert operation.status == OperationStatus.RESOLVED
    assert Child.objects.filter(full_name="Lò Thị Mai").count() == 2


def test_a_concern_reaches_the_commune_with_the_time_it_was_recorded(
        tree: Tree, personas: Personas, phone: Device) -> None:
    child = make_child(commune=tree.commune_a, village=tree.village_a)
    recorded = timezone.now() - datetime.timedelta(hours=5)
    [result] = send(personas, phone, op("concern_record", {
        "child": str(child.public_id), "place": "family", "forms": ["neglect"],
        "description": "Trẻ bị bỏ đói nhiều ngày", "urgent": False}, at=recorded))
    assert result["status"] == APPLIED
    notification = Notification.objects.get(public_id=result["record"]["reference"])
    assert notification.received_at == recorded
    assert (notification.channel, notification.commune, notification.child, notification.received_by
            ) == (Channel.COLLABORATOR, tree.commune_a, child, personas.collaborator)
    # The commune's list reads the child as described until a case is opened.
    assert notification.child_name == f"{child.full_name} ({child.birth_date:%Y})"


def test_a_concern_from_a_phone_whose_clock_runs_fast_is_timed_at_receipt(
        tree: Tree, personas: Personas, phone: Device) -> None:
    before = timezone.now()
    [result] = send(personas, phone, op("concern_record", {
        "place": "community", "forms": ["other"], "description": "Nghi trẻ bị đánh",
        "child_description": "bé trai khoảng 8 tuổi"},
        at=timezone.now() + datetime.timedelta(days=2)))
    notification = Notification.objects.get(public_id=result["record"]["reference"])
    assert before <= notification.received_at <= timezone.now()


def test_an_invalid_concern_is_kept_with_its_messages(tree: Tree, personas: Personas,
                                                      phone: Device) -> None:
    [result] = send(personas, phone, op("concern_record", {"place": "family", "forms": [],
                                                           "description": ""}))
    assert result["status"] == INVALID and result["errors"]
    assert Notification.objects.count() == 0
    assert Operation.objects.get().payload["place"] == "family"


def test_moves_within_and_out_of_the_commune(tree: Tree, personas: Personas,
                                             phone: Device) -> None:
    village_b = make_unit(parent=tree.commune_a, level="village", code="01273-002",
                          name="Thôn Nà Rụa", kind="Thôn")
    child = make_child(commune=tree.commune_a, village=tree.village_a,
                       resident_since=datetime.date(2020, 1, 1))
    other = make_child(commune=tree.commune_a, village=tree.village_a, full_name="Hoàng Văn Dũng",
                       resident_since=datetime.date(2020, 1, 1))
    day = timezone.localdate().isoformat()
    within, out = send(personas, phone,
                       op("child_move", {"child": str(child.public_id), "village": village_b.code,
                                         "moved_on": day}),
                       op("child_move", {"child": str(other.public_id),
                                         "commune": tree.commune_b.code, "moved_on": day}))
    assert (within["status"], out["status"]) == (APPLIED, APPLIED)
    child.refresh_from_db()
    other.refresh_from_db()
    assert child.village == village_b and other.commune == tree.commune_b


def test_a_village_not_held_is_refused(tree: Tree, personas: Personas, phone: Device) -> None:
    other_village = make_unit(parent=tree.commune_b, level="village", code="01279-001",
                              name="Thôn Khác", kind="Thôn")
    [result] = send(personas, phone, op("child_register",
                                        register_payload(tree, village=other_village.code)))
    assert result["status"] == INVALID and result["errors"]["village"]
    assert not Child.objects.exists()


def test_a_field_a_phone_may_not_change_is_refused(tree: Tree, personas: Personas,
                                                   phone: Device) -> None:
    child = make_child(commune=tree.commune_a, village=tree.village_a)
    [result] = send(personas, phone, op("child_update", update(child, {"full_name": "X"})))
    assert result["status"] == INVALID and result["errors"]["full_name"]


def test_a_child_of_another_village_is_held_not_changed(tree: Tree, personas: Personas,
                                                        phone: Device) -> None:
    child = make_child(commune=tree.commune_b)
    [result] = send(personas, phone, op("child_update", update(
        child, {"school_status": SchoolStatus.DROPPED_OUT})))
    assert result["status"] == HELD
    child.refresh_from_db()
    assert child.school_status != SchoolStatus.DROPPED_OUT


def test_an_operation_id_of_another_phone_answers_its_result_and_applies_nothing(
        tree: Tree, personas: Personas, phone: Device) -> None:
    sent = op("child_register", register_payload(tree))
    send(personas, phone, sent)
    other = make_user("ctv_2", role=Role.VILLAGE_COLLABORATOR, unit=tree.village_a)
    second, _ = devices.device_enrol(user=other, device_id=uuid.uuid4())
    sync(user=other, device=second, operations=[
        op("child_register", register_payload(tree, full_name="Khác"), op_id=sent.id)])
    assert not Child.objects.filter(full_name="Khác").exists()

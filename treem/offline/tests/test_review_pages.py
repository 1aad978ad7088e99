"""The commune officer's pages: what waits for a decision, deciding a conflict field by field,
registering a held child as new, setting one aside with a reason, reporting a phone lost."""

import datetime
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from treem.cases.models import Notification
from treem.offline import devices
from treem.offline.models import Device, Operation, OperationStatus
from treem.offline.sync import Incoming, sync
from treem.registry import services as registry
from treem.registry.choices import SchoolStatus
from treem.registry.models import Child
from treem.registry.tests.factories import make_child
from treem.testing import Personas, Tree, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def phone(personas: Personas) -> Device:
    return devices.device_enrol(user=personas.collaborator, device_id=uuid.uuid4(),
                                label="Android của ctv")[0]


def conflict(tree: Tree, personas: Personas, phone: Device) -> tuple[Child, Operation]:
    child = make_child(commune=tree.commune_a, village=tree.village_a,
                       school_status=SchoolStatus.IN_SCHOOL)
    version = child.version
    registry.child_update(actor=personas.officer, child=child, base_version=version,
                          school_status=SchoolStatus.NEVER)
    sync(user=personas.collaborator, device=phone, operations=[Incoming(
        id=uuid.uuid4(), kind="child_update",
        recorded_at=timezone.now() - datetime.timedelta(hours=1),
        payload={"child": str(child.public_id), "base_version": version,
                 "changes": {"school_status": SchoolStatus.DROPPED_OUT},
                 "base": {"school_status": SchoolStatus.IN_SCHOOL}})])
    return child, Operation.objects.get()


def test_the_officer_sees_both_values_and_keeps_the_phones(tree: Tree, personas: Personas,
                                                           phone: Device) -> None:
    child, operation = conflict(tree, personas, phone)
    client = login(Client(), personas.officer)
    listed = client.get(reverse("offline:review_list")).content.decode()
    assert "Cập nhật thông tin trẻ" in listed
    url = reverse("offline:review_detail", args=[operation.pk])
    page = client.get(url).content.decode()
    assert "Bỏ học" in page and "Chưa từng đi học" in page and personas.officer.full_name in page
    assert child.full_name in page and str(child.public_id) not in page
    # A decision without a choice changes nothing and says so.
    refused = client.post(url, {"action": "decide"})
    assert refused.status_code == 200
    child.refresh_from_db()
    assert child.school_status == SchoolStatus.NEVER
    response = client.post(url, {"action": "decide", "field_school_status": "mine"})
    assert response.status_code == 302
    child.refresh_from_db()
    operation.refresh_from_db()
    assert child.school_status == SchoolStatus.DROPPED_OUT
    assert operation.status == OperationStatus.RESOLVED
    assert "Không có gì chờ quyết định" in client.get(
        reverse("offline:review_list")).content.decode()


def test_setting_aside_needs_a_reason(tree: Tree, personas: Personas, phone: Device) -> None:
    _child, operation = conflict(tree, personas, phone)
    client = login(Client(), personas.officer)
    url = reverse("offline:review_detail", args=[operation.pk])
    assert client.post(url, {"action": "dismiss", "reason": " "}).status_code == 200
    operation.refresh_from_db()
    assert operation.status == OperationStatus.CONFLICT
    client.post(url, {"action": "dismiss", "reason": "Cán bộ xã đã kiểm tra tại nhà"})
    operation.refresh_from_db()
    assert (operation.status, operation.decision) == (
        OperationStatus.DISMISSED, {"reason": "Cán bộ xã đã kiểm tra tại nhà"})


def test_a_held_registration_is_registered_as_new_by_the_officer(
        tree: Tree, personas: Personas, phone: Device) -> None:
    make_child(commune=tree.commune_a, full_name="Lò Thị Mai", sex="f",
               birth_date=datetime.date(2019, 3, 2))
    sync(user=personas.collaborator, device=phone, operations=[Incoming(
        id=uuid.uuid4(), kind="child_register", recorded_at=timezone.now(),
        payload={"village": tree.village_a.code, "full_name": "Lò Thị Mai", "sex": "f",
                 "birth_date": "2019-03-02", "ethnicity": "01"})])
    operation = Operation.objects.get()
    assert operation.status == OperationStatus.HELD
    client = login(Client(), personas.officer)
    url = reverse("offline:review_detail", args=[operation.pk])
    assert "Ghi là trẻ mới" in client.get(url).content.decode()
    client.post(url, {"action": "register"})
    assert Child.objects.filter(full_name="Lò Thị Mai").count() == 2


def test_a_phone_reported_lost_is_wiped_at_its_next_contact(personas: Personas,
                                                            phone: Device) -> None:
    client = login(Client(), personas.officer)
    assert "Android của ctv" in client.get(reverse("offline:device_list")).content.decode()
    client.post(reverse("offline:device_lost", args=[phone.pk]))
    phone.refresh_from_db()
    assert phone.lost_at is not None and phone.lost_by == personas.officer
    assert devices.must_wipe(phone)
    # The other commune's officer does not see it.
    outsider = login(Client(), personas.outsider)
    assert "Android của ctv" not in outsider.get(
        reverse("offline:device_list")).content.decode()


def test_the_collaborators_concern_is_in_the_communes_notifications(
        tree: Tree, personas: Personas, phone: Device) -> None:
    recorded = timezone.now() - datetime.timedelta(hours=6)
    sync(user=personas.collaborator, device=phone, operations=[Incoming(
        id=uuid.uuid4(), kind="concern_record", recorded_at=recorded,
        payload={"place": "family", "forms": ["neglect"], "description": "Trẻ ở nhà một mình",
                 "child_description": "bé gái 6 tuổi nhà ông Páo"})])
    notification = Notification.objects.get()
    page = login(Client(), personas.officer).get(
        reverse("cases:notification_list")).content.decode()
    assert timezone.localtime(recorded).strftime("%H:%M") in page
    assert notification.get_channel_display() in page

"""The offline rows of the scope-coverage test (treem/offline), and the records they call.

`offline_world` gives the collaborator of village A (`ctv_a`) and one of a village of commune B
(`ctv_b`) each an enrolled phone and an operation waiting for a decision (a conflict)."""

import datetime
import uuid
from dataclasses import dataclass

from django.utils import timezone

from treem.accounts.models import User
from treem.accounts.roles import Role
from treem.geo.models import Unit
from treem.offline.models import Device, Operation, OperationKind, OperationStatus
from treem.registry.models import Child
from treem.registry.tests.factories import make_child
from treem.testing import Personas, Tree, make_user
from treem.web.tests.scope_rows import LIST, OBJECT, OWN, PUBLIC, Case

DEVICE_A = "0a0a0a0a-0000-4000-8000-00000000000a"
DEVICE_B = "0b0b0b0b-0000-4000-8000-00000000000b"
PHONE_A, PHONE_B = "Điện thoại của ctv_a", "Điện thoại của ctv_b"
# Named after commune A's other children (their lists show the first few by name).
CHILD_IN_VILLAGE_A, CHILD_IN_VILLAGE_B = "Vi Thị Nà Pồng", "Vàng Thị Bản Giang"
COLLABORATOR_B = "Cộng tác viên Bản Giang"
ON_PHONE_A = {"X-Treem-Device": DEVICE_A}
# Roles that keep no register (403 on the review pages and the decision), and those that keep
# no village (the phones' list).
KEEPS_NO_REGISTER = ("admin", "intake", "auditor", "province_officer", "sector_focal")
KEEPS_NO_VILLAGE = ("collaborator", *KEEPS_NO_REGISTER)
NOT_COLLABORATORS = ("officer", *KEEPS_NO_REGISTER)


@dataclass
class OfflineWorld:
    collaborator_b: User
    device_a: Device
    device_b: Device
    operation_a: Operation    # ctv_a's update of a child of village A, in conflict
    operation_b: Operation    # ctv_b's, in commune B
    child_in_village_a: Child


def _phone(user: User, device_id: str, label: str) -> Device:
    return Device.objects.create(id=uuid.UUID(device_id), user=user, label=label,
                                 secret_hash="0" * 64, salt="c2FsdA==",
                                 last_seen_at=timezone.now())


def _waiting(device: Device, child: Child, commune: Unit) -> Operation:
    return Operation.objects.create(
        id=uuid.uuid4(), device=device, user=device.user, kind=OperationKind.CHILD_UPDATE,
        recorded_at=timezone.now() - datetime.timedelta(hours=2),
        payload={"child": str(child.public_id), "base_version": 1,
                 "changes": {"school_status": "dropped_out"},
                 "base": {"school_status": "in_school"}},
        status=OperationStatus.CONFLICT, unit_path=commune.path,
        conflicts=[{"field": "school_status", "label": "Tình trạng đi học", "mine": "dropped_out",
                    "theirs": "never", "base": "in_school", "mine_text": "Bỏ học",
                    "theirs_text": "Chưa từng đi học", "by": "officer", "at": None}])


def offline_world(tree: Tree, personas: Personas, village_b: Unit) -> OfflineWorld:
    collaborator_b = make_user("ctv_b", role=Role.VILLAGE_COLLABORATOR, unit=village_b,
                               full_name=COLLABORATOR_B)
    child_a = make_child(commune=tree.commune_a, village=tree.village_a,
                         full_name=CHILD_IN_VILLAGE_A, birth_date=datetime.date(2018, 5, 1))
    child_b = make_child(commune=tree.commune_b, village=village_b,
                         full_name=CHILD_IN_VILLAGE_B, birth_date=datetime.date(2018, 5, 1))
    device_a = _phone(personas.collaborator, DEVICE_A, PHONE_A)
    device_b = _phone(collaborator_b, DEVICE_B, PHONE_B)
    return OfflineWorld(collaborator_b=collaborator_b, device_a=device_a, device_b=device_b,
                        operation_a=_waiting(device_a, child_a, tree.commune_a),
                        operation_b=_waiting(device_b, child_b, tree.commune_b),
                        child_in_village_a=child_a)


OFFLINE_CASES: dict[str, Case] = {
    # --- the app's shell: no data in it, served to anyone (the data comes from the API) ------
    "offline:app": Case(PUBLIC),
    "offline:service_worker": Case(PUBLIC),
    "offline:manifest": Case(PUBLIC),
    # --- the commune's pages (treem/offline/review_views.py) ---------------------------------
    "offline:review_list": Case(LIST, "officer", shows=("ctv_a",), hides=(COLLABORATOR_B,),
                                forbidden=KEEPS_NO_REGISTER),
    "offline:review_detail": Case(OBJECT, "officer", args=("offline.operation_a.pk",),
                                  outside_args=("offline.operation_b.pk",), shows=("Bỏ học",),
                                  forbidden=KEEPS_NO_REGISTER),
    "offline:device_list": Case(LIST, "officer", shows=(PHONE_A,), hides=(PHONE_B,),
                                forbidden=KEEPS_NO_VILLAGE),
    "offline:device_lost": Case(OBJECT, "officer", method="post", status=302,
                                args=("offline.device_a.pk",),
                                outside_args=("offline.device_b.pk",),
                                forbidden=KEEPS_NO_VILLAGE),
    # --- the app's API (treem/offline/api.py) ------------------------------------------------
    "api:offline_session": Case(OWN, "collaborator", shows=('"collaborator": true',)),
    "api:offline_device_enrol": Case(OWN, "collaborator", method="post", status=201,
                                     data={"id": "0c0c0c0c-0000-4000-8000-00000000000c",
                                           "label": "Máy mới"},
                                     forbidden=NOT_COLLABORATORS, shows=('"salt"',)),
    "api:offline_village": Case(LIST, "collaborator", headers=ON_PHONE_A,
                                shows=(CHILD_IN_VILLAGE_A,), hides=(CHILD_IN_VILLAGE_B,),
                                forbidden=NOT_COLLABORATORS),
    "api:offline_sync": Case(OWN, "collaborator", method="post", headers=ON_PHONE_A,
                             data={"operations": []}, shows=('"results"',),
                             forbidden=NOT_COLLABORATORS),
    "api:offline_decision": Case(OBJECT, "collaborator", method="post",
                                 data={"dismiss": True, "reason": "Nhập nhầm"},
                                 args=("offline.operation_a.pk",),
                                 outside_args=("offline.operation_b.pk",),
                                 forbidden=KEEPS_NO_REGISTER, shows=('"dismissed"',)),
    # Any phone may ask; an unknown one (or a wrong secret) is told to wipe.
    "api:offline_contact": Case(PUBLIC, method="post",
                                data={"device": DEVICE_A, "secret": "sai"},
                                shows=('"wipe": true',)),
}

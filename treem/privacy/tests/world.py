"""The records the requests' tests share: a child of commune A with a sister in the same
household, a mother and a case opened on a neighbour's report (whose name, phone and address
must never reach an export), a child of commune B and one of the other province."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from treem.cases import services as cases
from treem.cases.choices import AbuseForm, Channel, Place
from treem.cases.models import Case
from treem.privacy.models import IdentityCheck, Requester, RequestKind, SubjectRequest
from treem.privacy.requests import services
from treem.registry.models import Child, Household
from treem.registry.tests.factories import (
    make_caregiver,
    make_child,
    make_circumstance,
    make_household,
)
from treem.testing import Personas, Tree

REPORTER: dict[str, Any] = {"reporter_name": "Hoàng Thị Báo Tin", "reporter_phone": "0987654321",
            "reporter_address": "Tổ 9, xóm Báo Tin"}
SISTER = "Lương Thị Chị Gái"
SISTER_ID = "004310000001"


@dataclass
class World:
    child: Child
    sister: Child
    household: Household
    case: Case
    child_b: Child
    child_c: Child


def make_case(tree: Tree, personas: Personas, name: str, **notified: object) -> Case:
    """A case of a new child of commune A, opened on a hotline report."""
    child = make_child(commune=tree.commune_a, full_name=name)
    notification = cases.notification_record(
        actor=personas.intake, commune=tree.commune_a, channel=Channel.HOTLINE,
        received_at=timezone.now() - datetime.timedelta(days=30), place=Place.FAMILY,
        forms=[AbuseForm.VIOLENCE], description="Trẻ bị đánh.", child=child,
        **notified)  # type: ignore[arg-type]
    return cases.case_open(actor=personas.officer, notification=notification, child=child)


def make_world(tree: Tree, personas: Personas) -> World:
    household = make_household(commune=tree.commune_a, head_name="Lương Văn Chủ Hộ",
                               address="Bản Nà Pồng", phone="0911000111")
    child = make_child(commune=tree.commune_a, full_name="Lương Văn Minh",
                       birth_date=datetime.date(2015, 4, 2), household=household,
                       personal_id="004215000123")
    sister = make_child(commune=tree.commune_a, full_name=SISTER, personal_id=SISTER_ID,
                        sex="F", birth_date=datetime.date(2012, 1, 9), household=household)
    make_caregiver(child=child, full_name="Đinh Thị Mẹ", phone="0977000111")
    make_circumstance(child=child, code="a", start_date=datetime.date(2020, 1, 1))
    make_circumstance(child=child, code="i", start_date=datetime.date(2025, 9, 1))
    make_circumstance(child=sister, code="c", start_date=datetime.date(2020, 1, 1))
    received = timezone.now() - datetime.timedelta(days=30)
    notification = cases.notification_record(
        actor=personas.intake, commune=tree.commune_a, channel=Channel.HOTLINE,
        received_at=received, place=Place.FAMILY, forms=[AbuseForm.VIOLENCE],
        description=f"{REPORTER['reporter_name']} thấy {SISTER} và em bị đánh.",
        child=child, father="Lương Văn Bố, 40 tuổi", **REPORTER)
    case = cases.case_open(actor=personas.officer, notification=notification, child=child)
    return World(child=child, sister=sister, household=household, case=case,
                 child_b=make_child(commune=tree.commune_b, full_name="Hà Văn Bê"),
                 child_c=make_child(commune=tree.commune_c, full_name="Trần Văn Xê"))


def receive(personas: Personas, child: Child, kind: str = RequestKind.ACCESS,
            **values: Any) -> SubjectRequest:
    defaults: dict[str, Any] = {
        "requester_name": "Đinh Thị Mẹ", "requester": Requester.MOTHER,
        "identity_check": IdentityCheck.CITIZEN_ID, "received_on": timezone.localdate(),
        "details": "Sửa ngày sinh: đúng là 03/04/2015." if kind == RequestKind.CORRECT else ""}
    return services.request_receive(actor=personas.officer, child=child, kind=kind,
                                    **{**defaults, **values})

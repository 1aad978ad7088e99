"""The privacy app's rows of the scope-coverage test (the registers of processing activities
and the data subject's requests), and the records they call.

`privacy_world` loads the provinces' registers and makes, about the scope world's children of
commune A and B and a child of the other province, a correction request, an objection already
refused and an access request of each commune. Rows name them "privacy.<attribute>"."""

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from treem.accounts.models import User
from treem.accounts.roles import Role
from treem.privacy.models import (
    Decision,
    IdentityCheck,
    ProcessingActivity,
    RefusalGround,
    Requester,
    RequestKind,
    SubjectRequest,
)
from treem.privacy.processing import services as processing
from treem.privacy.requests import carrying, services
from treem.registry.models import Child, ChildConsent
from treem.registry.tests.factories import make_child, make_consent
from treem.testing import Personas, Tree, make_user
from treem.web.tests import scope_rows as rows
from treem.web.tests.scope_rows import Case, Ref

REQUESTER_OF_A, REQUESTER_OF_B = "Mẹ Của Trẻ Xã A", "Mẹ Của Trẻ Xã B"
REQUESTER_OF_C = "Mẹ Của Trẻ Hà Nội"


@dataclass
class PrivacyWorld:
    activity_a: ProcessingActivity   # the province of commune A's line for cases
    activity_c: ProcessingActivity   # the other province's
    correction_a: SubjectRequest     # a correction asked for the child of commune A
    correction_b: SubjectRequest
    refused_a: SubjectRequest        # an objection of commune A, refused, to be answered
    access_a: SubjectRequest         # an access request of commune A, to be exported
    access_c: SubjectRequest         # one of the other province
    admin_c: User
    restrict_a: SubjectRequest       # a restriction granted, to be carried out (another child)
    restricted_a: SubjectRequest     # one carried out: its restriction to be lifted
    erase_a: SubjectRequest          # a deletion granted, to be carried out (another child)
    withdraw_a: SubjectRequest       # a withdrawal of consent granted (another child)
    consent_a: ChildConsent          # that child's consent, to be withdrawn


def _ask(officer: User, child: Child, kind: str, requester: str) -> SubjectRequest:
    return services.request_receive(
        actor=officer, child=child, kind=kind, requester_name=requester,
        requester=Requester.MOTHER, identity_check=IdentityCheck.CITIZEN_ID,
        received_on=timezone.localdate(), details="Tên viết sai dấu.")


def _granted(officer: User, child: Child, kind: str) -> SubjectRequest:
    return services.request_decide(actor=officer, request=_ask(officer, child, kind,
                                                               REQUESTER_OF_A),
                                   base_version=1, decision=Decision.GRANTED)


def privacy_world(tree: Tree, personas: Personas, child_a: Child, child_b: Child,
                  officer_c: User) -> PrivacyWorld:
    processing.defaults_load()
    refused = _ask(personas.officer, child_a, RequestKind.OBJECT, REQUESTER_OF_A)
    refused = services.request_decide(actor=personas.officer, request=refused, base_version=1,
                                      decision=Decision.REFUSED,
                                      refusal_ground=RefusalGround.STATE_DUTY,
                                      reason="Hồ sơ cần cho nhiệm vụ bảo vệ trẻ em.")
    child_c = make_child(commune=tree.commune_c, full_name="Đỗ Văn Hà Nội")
    consenting = make_child(commune=tree.commune_a, full_name="Phạm Văn Rút Lại")
    consent = make_consent(child=consenting)
    restricted = _granted(personas.officer, make_child(
        commune=tree.commune_a, full_name="Phạm Văn Đã Hạn Chế"), RequestKind.RESTRICT)
    carrying.request_restrict(actor=personas.officer, request=restricted,
                              roles=[Role.COMMUNE_OFFICER], reason="Theo yêu cầu của mẹ.")
    return PrivacyWorld(
        activity_a=ProcessingActivity.objects.get(unit=tree.province, record_kind="case"),
        activity_c=ProcessingActivity.objects.get(unit=tree.other_province, record_kind="case"),
        correction_a=_ask(personas.officer, child_a, RequestKind.CORRECT, REQUESTER_OF_A),
        correction_b=_ask(personas.outsider, child_b, RequestKind.CORRECT, REQUESTER_OF_B),
        refused_a=refused,
        access_a=_ask(personas.officer, child_a, RequestKind.ACCESS, REQUESTER_OF_A),
        access_c=_ask(officer_c, child_c, RequestKind.ACCESS, REQUESTER_OF_C),
        admin_c=make_user("admin_c_privacy", role=Role.SYSTEM_ADMIN, unit=tree.other_province),
        restrict_a=_granted(personas.officer, make_child(
            commune=tree.commune_a, full_name="Phạm Văn Hạn Chế"), RequestKind.RESTRICT),
        restricted_a=restricted,
        erase_a=_granted(personas.officer, make_child(
            commune=tree.commune_a, full_name="Phạm Thị Xóa"), RequestKind.DELETE),
        withdraw_a=_granted(personas.officer, consenting, RequestKind.WITHDRAW),
        consent_a=consent)


READS_NO_REGISTER = ("officer", "chairman", "collaborator", "intake", "sector_focal")
READS_NO_REQUEST = ("collaborator", "intake", "admin", "sector_focal")
HANDLES_NO_REQUEST = (*READS_NO_REQUEST, "auditor")
ACTIVITY = ("privacy.activity_a.public_id",)
ACTIVITY_C = ("privacy.activity_c.public_id",)
CORRECTION = ("privacy.correction_a.public_id",)
OUTSIDE = ("privacy.correction_b.public_id",)
DOSSIER = {"province": Ref("tree.province.code"), "controller": "Ủy ban nhân dân tỉnh",
           "address": "Cao Bằng", "officer": "Phòng Trẻ em", "officer_contact": "0206"}


def _write(arg: tuple[str, ...], data: dict[str, Any], status: int = 302) -> Case:
    return Case(rows.OBJECT, "officer", method="post", args=arg, outside_args=OUTSIDE,
                data=data, status=status, forbidden=HANDLES_NO_REQUEST)


def _api(arg: tuple[str, ...], data: dict[str, Any], *, version: int | None) -> Case:
    """A versioned write of the API: the request's version (or "*") in If-Match."""
    tag = "*" if version is None else f'"{version}"'
    return Case(rows.OBJECT, "officer", method="post", args=arg, outside_args=OUTSIDE,
                data=data, status=200, forbidden=HANDLES_NO_REQUEST, headers={"If-Match": tag})


PRIVACY_CASES: dict[str, Case] = {
    "privacy:register": Case(rows.LIST, "admin", shows=("Hồ sơ vụ việc bảo vệ trẻ em",),
                             hides=("Thành phố Hà Nội",), forbidden=READS_NO_REGISTER),
    "privacy:dossier": Case(rows.LIST, "auditor", shows=("Tỉnh Cao Bằng",),
                            hides=("Thành phố Hà Nội",), forbidden=READS_NO_REGISTER),
    "privacy:activity_edit": Case(rows.OBJECT, "admin", args=ACTIVITY, outside_args=ACTIVITY_C,
                                  shows=("Tỉnh Cao Bằng",),
                                  forbidden=(*READS_NO_REGISTER, "auditor",
                                             "province_officer")),
    "privacy:request_list": Case(rows.LIST, "officer", shows=("Nguyễn Văn An",),
                                 hides=("Nguyễn Thị Bình", "Đỗ Văn Hà Nội"),
                                 forbidden=READS_NO_REQUEST),
    "privacy:request_new": Case(rows.OBJECT, "officer", args=("child_a.public_id",),
                                outside_args=("child_b.public_id",),
                                forbidden=HANDLES_NO_REQUEST),
    "privacy:request_detail": Case(rows.OBJECT, "officer", args=CORRECTION,
                                   outside_args=OUTSIDE, shows=(REQUESTER_OF_A,),
                                   forbidden=READS_NO_REQUEST),
    "privacy:request_first_reply": _write(CORRECTION,
                                          {"replied_on": timezone.localdate().strftime(
                                              "%d/%m/%Y")}),
    "privacy:request_extend": _write(CORRECTION, {
        "extension_reason": "Cần xác minh với trường.",
        "base_version": Ref("privacy.correction_a.version")}),
    "privacy:request_correct": _write(CORRECTION, {
        "field": "full_name", "text": "Nguyễn Văn Ân", "child_version": Ref("child_a.version")}),
    "privacy:request_decide": _write(CORRECTION, {
        "decision": "refused", "refusal_ground": "state_duty", "decision_reason": "Lý do.",
        "base_version": Ref("privacy.correction_a.version")}),
    "privacy:request_answer": _write(("privacy.refused_a.public_id",), {
        "answered_on": timezone.localdate().strftime("%d/%m/%Y"), "answer_channel": "post",
        "answer_note": "Đã gửi thư.", "base_version": Ref("privacy.refused_a.version")}),
    "privacy:request_export": _write(("privacy.access_a.public_id",),
                                     {"format": "json"}, status=200),
    "privacy:request_restrict": _write(("privacy.restrict_a.public_id",), {
        "roles": ["commune_officer"], "reason": "Theo yêu cầu của mẹ."}),
    "privacy:request_lift": _write(("privacy.restricted_a.public_id",),
                                   {"lift_reason": "Mẹ của trẻ rút yêu cầu."}),
    "privacy:request_erase": _write(("privacy.erase_a.public_id",), {"confirm": "on"}),
    "privacy:request_withdraw": _write(("privacy.withdraw_a.public_id",), {
        "consents": [Ref("privacy.consent_a.public_id")]}),
    "api:processing_list": Case(rows.LIST, "admin", shows=('"province": "04"',),
                                hides=('"province": "01"',), forbidden=READS_NO_REGISTER),
    "api:request_list": Case(rows.LIST, "officer", shows=(REQUESTER_OF_A,),
                             hides=(REQUESTER_OF_B, REQUESTER_OF_C),
                             forbidden=READS_NO_REQUEST),
    "api:request_create": Case(rows.OBJECT, "officer", method="post", status=201, data={
        "child": Ref("child_a.public_id"), "kind": "access", "requester_name": "Cha Của Trẻ",
        "requester": "father", "identity_check": "vneid",
        "received_on": timezone.localdate().isoformat()},
        outside_data={"child": Ref("child_b.public_id"), "kind": "access",
                      "requester_name": "Cha", "requester": "father",
                      "identity_check": "vneid",
                      "received_on": timezone.localdate().isoformat()},
        forbidden=HANDLES_NO_REQUEST, shows=("Cha Của Trẻ",)),
    "api:request_detail": Case(rows.OBJECT, "officer", args=CORRECTION, outside_args=OUTSIDE,
                               shows=(REQUESTER_OF_A,), forbidden=READS_NO_REQUEST),
    "api:request_first_reply": _write(CORRECTION, {
        "replied_on": timezone.localdate().isoformat()}, status=200),
    "api:request_extend": _api(CORRECTION, {"reason": "Cần xác minh."}, version=1),
    # The child's version is its own (If-Match "*": no precondition on it).
    "api:request_correct": _api(CORRECTION, {"field": "full_name", "value": "Nguyễn Văn Ân"},
                                version=None),
    "api:request_decide": _api(CORRECTION, {
        "decision": "refused", "refusal_ground": "state_duty", "reason": "Lý do."}, version=1),
    "api:request_answer": _api(("privacy.refused_a.public_id",), {
        "answered_on": timezone.localdate().isoformat(), "channel": "post",
        "note": "Đã gửi thư."}, version=2),
    "api:request_restrict": _write(("privacy.restrict_a.public_id",), {
        "roles": ["commune_officer"], "reason": "Theo yêu cầu của mẹ."}, status=200),
    "api:request_lift": _write(("privacy.restricted_a.public_id",),
                               {"reason": "Mẹ của trẻ rút yêu cầu."}, status=200),
    "api:request_erase": _write(("privacy.erase_a.public_id",), {}, status=200),
    "api:request_withdraw": _write(("privacy.withdraw_a.public_id",), {
        "consents": [Ref("privacy.consent_a.public_id")]}, status=200),
    "api:request_holdings": _write(("privacy.access_a.public_id",), {"cases": []},
                                   status=200),
}

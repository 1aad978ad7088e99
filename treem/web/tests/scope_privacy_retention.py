"""The rows of the scope-coverage test for retention and pseudonymised extracts (issue 16), and
the records they call.

`retention_world` makes, for commune A's province and for the other province, a record the
retention job found (a child's, with no case), a child held under a legal hold, an extract
requested and one approved; a second officer of the province approves ("retention.approver")."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from treem.accounts.models import User
from treem.accounts.roles import Role
from treem.privacy.extracts import services as extracts
from treem.privacy.models import (
    ExtractRequest,
    LegalHold,
    RetentionDue,
    RetentionRule,
    RetentionRuleVersion,
)
from treem.privacy.retention.defaults import load_defaults
from treem.registry.models import Child
from treem.registry.tests.factories import make_child
from treem.testing import Personas, Tree, make_user
from treem.web.tests.scope_rows import LIST, OBJECT, Case, Ref

FOUND_A, FOUND_C = datetime.date(2043, 6, 2), datetime.date(2044, 7, 9)
HOLD_A, HOLD_C = "Điều tra vụ án ở Thục Phán", "Điều tra vụ án ở Hoàn Kiếm"
PURPOSE_A = "Nghiên cứu trẻ em có hoàn cảnh đặc biệt của Cao Bằng"
PURPOSE_C = "Nghiên cứu trẻ em có hoàn cảnh đặc biệt của Hà Nội"
REASON = "Hết thời hạn lưu trữ theo quy tắc của tỉnh"


@dataclass
class RetentionWorld:
    approver: User           # a second officer of commune A's province
    rule_kind: str           # the case rule's kind, in its URL
    no_rule_kind: str        # a kind with no rule: its URL is a 404
    child_due_a: Child       # a child of commune A whose period ended (no case)
    child_c: Child           # a child of the other province
    due_a: RetentionDue
    due_c: RetentionDue
    hold_a: LegalHold        # on another child of commune A
    hold_c: LegalHold
    extract_a: ExtractRequest     # asked by the province officer, waiting
    extract_c: ExtractRequest     # of the other province
    approved_a: ExtractRequest    # asked by the province officer, approved


def _due(child: Child, found: datetime.date) -> RetentionDue:
    return RetentionDue.objects.create(record_kind="child", child=child,
                                       unit_path=child.unit_path,
                                       province_code=child.province_code, found_on=found)


def _hold(child: Child, reason: str, by: User) -> LegalHold:
    return LegalHold.objects.create(child=child, unit_path=child.unit_path,
                                    province_code=child.province_code, reason=reason,
                                    placed_by=by, placed_at=timezone.now())


def retention_world(tree: Tree, personas: Personas) -> RetentionWorld:
    load_defaults(RetentionRule, RetentionRuleVersion)
    approver = make_user("province_2", role=Role.AREA_OFFICER, unit=tree.province)
    province_c = make_user("province_c_ret", role=Role.AREA_OFFICER, unit=tree.other_province)
    approver_c = make_user("province_c_ret2", role=Role.AREA_OFFICER, unit=tree.other_province)
    born = datetime.date(2000, 1, 1)
    child_due_a = make_child(commune=tree.commune_a, full_name="Lý Thị Hết Hạn", birth_date=born)
    child_c = make_child(commune=tree.commune_c, full_name="Đỗ Văn Hà Nội", birth_date=born)
    approved_a = extracts.extract_request(actor=personas.province_officer, unit=tree.province,
                                          purpose=PURPOSE_A, fields=["schooling"])
    return RetentionWorld(
        approver=approver, rule_kind="case", no_rule_kind="donor", child_due_a=child_due_a, child_c=child_c,
        due_a=_due(child_due_a, FOUND_A), due_c=_due(child_c, FOUND_C),
        hold_a=_hold(make_child(commune=tree.commune_a, full_name="Lý Văn Giữ"), HOLD_A,
                     personas.province_officer),
        hold_c=_hold(make_child(commune=tree.commune_c, full_name="Đỗ Văn Giữ"), HOLD_C,
                     province_c),
        extract_a=extracts.extract_request(actor=personas.province_officer, unit=tree.province,
                                           purpose=PURPOSE_A, fields=[]),
        extract_c=extracts.extract_decide(
            actor=approver_c, approve=True, extract=extracts.extract_request(
                actor=province_c, unit=tree.other_province, purpose=PURPOSE_C, fields=[])),
        approved_a=extracts.extract_decide(actor=approver, extract=approved_a, approve=True),
    )


NOT_ADMIN = ("officer", "province_officer", "auditor")
NOT_REVIEWER = ("officer", "auditor", "admin")
HOLDS_NOTHING = ("officer", "admin")
EXTRACTS_NOTHING = ("officer", "auditor", "admin")
RULE = {"counts_from": "case_closed", "years": 12, "action": "anonymise",
        "legal_basis": "Quyết định của UBND tỉnh", "verified": True, "active": True,
        "reason": "Theo quyết định mới của tỉnh"}
DUE_A, DUE_C = ("retention.due_a.public_id",), ("retention.due_c.public_id",)
HOLD_OF_A, HOLD_OF_C = ("retention.hold_a.public_id",), ("retention.hold_c.public_id",)
EXTRACT_A, EXTRACT_C = ("retention.extract_a.public_id",), ("retention.extract_c.public_id",)
APPROVED_A = ("retention.approved_a.public_id",)

RETENTION_CASES: dict[str, Case] = {
    # --- pages (treem/privacy/retention/urls.py, treem/privacy/extracts/urls.py) ---
    # The rules are the installation's (no unit): they name no child, and a kind without a
    # rule is not found.
    "privacy:retention_rule_list": Case(LIST, "admin", shows=("UNVERIFIED",),
                                        hides=("Lý Thị Hết Hạn",), forbidden=NOT_ADMIN),
    "privacy:retention_rule_edit": Case(OBJECT, "admin", args=("retention.rule_kind",),
                                        outside_args=("retention.no_rule_kind",),
                                        forbidden=NOT_ADMIN),
    "privacy:retention_due_list": Case(LIST, "province_officer", shows=("02/06/2043",),
                                       hides=("09/07/2044",), forbidden=NOT_REVIEWER),
    "privacy:retention_due_detail": Case(OBJECT, "province_officer", args=DUE_A,
                                         outside_args=DUE_C, forbidden=NOT_REVIEWER),
    "privacy:retention_due_decide": Case(OBJECT, "province_officer", method="post", args=DUE_A,
                                         outside_args=DUE_C, status=302,
                                         data={"decision": "anonymise", "reason": REASON},
                                         forbidden=NOT_REVIEWER),
    "privacy:retention_hold_list": Case(LIST, "auditor", shows=(HOLD_A,), hides=(HOLD_C,),
                                        forbidden=HOLDS_NOTHING),
    "privacy:retention_hold_place": Case(
        OBJECT, "auditor", method="post", status=302,
        data={"record": Ref("retention.child_due_a.public_id"), "reason": REASON},
        outside_data={"record": Ref("retention.child_c.public_id"), "reason": REASON},
        forbidden=HOLDS_NOTHING),
    "privacy:retention_hold_lift": Case(OBJECT, "province_officer", method="post",
                                        args=HOLD_OF_A, outside_args=HOLD_OF_C, status=302,
                                        data={"reason": REASON}, forbidden=HOLDS_NOTHING),
    "privacy:extract_list": Case(LIST, "province_officer", shows=(PURPOSE_A,),
                                 hides=(PURPOSE_C,), forbidden=EXTRACTS_NOTHING),
    "privacy:extract_request": Case(LIST, "province_officer", hides=("Thành phố Hà Nội",),
                                    forbidden=EXTRACTS_NOTHING),
    "privacy:extract_detail": Case(OBJECT, "province_officer", args=EXTRACT_A,
                                   outside_args=EXTRACT_C, shows=(PURPOSE_A,),
                                   forbidden=EXTRACTS_NOTHING),
    "privacy:extract_decide": Case(OBJECT, "retention.approver", method="post", args=EXTRACT_A,
                                   outside_args=EXTRACT_C, status=302,
                                   data={"decision": "approve", "reason": ""},
                                   forbidden=EXTRACTS_NOTHING),
    "privacy:extract_download": Case(OBJECT, "province_officer", method="post",
                                     args=APPROVED_A, outside_args=EXTRACT_C,
                                     hides=("Lý Thị Hết Hạn",), forbidden=EXTRACTS_NOTHING),
    # --- API (treem/privacy/retention/api.py, treem/privacy/extracts/api.py) ---
    "api:privacy_retention_rules": Case(LIST, "admin", shows=("child_adult",),
                                        hides=("Lý Thị Hết Hạn",), forbidden=NOT_ADMIN),
    "api:privacy_retention_rule_update": Case(OBJECT, "admin", method="put",
                                              args=("retention.rule_kind",), data=RULE,
                                              outside_args=("retention.no_rule_kind",),
                                              forbidden=NOT_ADMIN, headers={"If-Match": "*"}),
    "api:privacy_retention_due": Case(LIST, "province_officer", shows=("2043-06-02",),
                                      hides=("2044-07-09",), forbidden=NOT_REVIEWER),
    "api:privacy_retention_decide": Case(OBJECT, "province_officer", method="post", args=DUE_A,
                                         outside_args=DUE_C,
                                         data={"decision": "anonymise", "reason": REASON},
                                         forbidden=NOT_REVIEWER),
    "api:privacy_retention_holds": Case(LIST, "auditor", shows=(HOLD_A,), hides=(HOLD_C,),
                                        forbidden=HOLDS_NOTHING),
    "api:privacy_retention_hold_place": Case(
        OBJECT, "auditor", method="post", status=201,
        data={"record": Ref("retention.child_due_a.public_id"), "reason": REASON},
        outside_data={"record": Ref("retention.child_c.public_id"), "reason": REASON},
        forbidden=HOLDS_NOTHING),
    "api:privacy_retention_hold_lift": Case(OBJECT, "province_officer", method="post",
                                            args=HOLD_OF_A, outside_args=HOLD_OF_C,
                                            data={"reason": REASON}, forbidden=HOLDS_NOTHING),
    "api:privacy_extract_list": Case(LIST, "province_officer", shows=(PURPOSE_A,),
                                     hides=(PURPOSE_C,), forbidden=EXTRACTS_NOTHING),
    "api:privacy_extract_request": Case(
        OBJECT, "province_officer", method="post", status=201,
        data={"unit": "04", "purpose": PURPOSE_A, "fields": ["schooling"]},
        outside_data={"unit": "01", "purpose": PURPOSE_A, "fields": []},
        forbidden=EXTRACTS_NOTHING),
    "api:privacy_extract_decide": Case(OBJECT, "retention.approver", method="post",
                                       args=EXTRACT_A, outside_args=EXTRACT_C,
                                       data={"approve": True}, forbidden=EXTRACTS_NOTHING),
    "api:privacy_extract_file": Case(OBJECT, "province_officer", method="post",
                                     args=APPROVED_A, outside_args=EXTRACT_C,
                                     hides=("Lý Thị Hết Hạn",), forbidden=EXTRACTS_NOTHING),
}

"""The rows of the scope-coverage test for unusual-access alerts and breaches
(treem/privacy/alerts), and the records they call.

`alerts_world` makes, in the province of commune A and in the other province, an alert of night
exports (with its events) and a breach; and an alert on a commune dissolved in 2025 into
commune A, which the province's auditor reads too. Rows name them as
"privacy_alerts.<attribute>"."""

from dataclasses import dataclass

from treem.accounts.models import User
from treem.accounts.roles import Role
from treem.privacy.models import AccessAlert, Breach
from treem.privacy.tests.alerts_world import make_alert, make_breach
from treem.testing import Personas, Tree, make_user
from treem.web.tests.scope_rows import LIST, OBJECT, Case, Ref

# Usernames and titles only one side's records carry, for the rows' `shows` and `hides`.
USER_OF_C = "canbo_hanoi"
BREACH_OF_A, BREACH_OF_C = "Lộ danh sách trẻ em Thục Phán", "Lộ danh sách trẻ em Hoàn Kiếm"
NO_ALERTS = ("officer", "province_officer", "admin")
PDF = "%PDF-"


@dataclass
class AlertsWorld:
    user_c: User            # a commune officer of the other province
    alert_a: AccessAlert    # night exports of officer_a in commune A
    alert_old: AccessAlert  # reads of chairman_a on the commune dissolved into commune A
    alert_c: AccessAlert    # night exports in the other province
    breach_a: Breach        # of the province
    breach_c: Breach        # of the other province


def alerts_world(tree: Tree, personas: Personas) -> AlertsWorld:
    user_c = make_user(USER_OF_C, role=Role.COMMUNE_OFFICER, unit=tree.commune_c)
    return AlertsWorld(
        user_c=user_c,
        alert_a=make_alert(user=personas.officer, unit=tree.commune_a),
        alert_old=make_alert(user=personas.chairman, unit=tree.old_commune,
                             rule="heavy_reading"),
        alert_c=make_alert(user=user_c, unit=tree.commune_c),
        breach_a=make_breach(unit=tree.province, by=personas.auditor, title=BREACH_OF_A),
        breach_c=make_breach(unit=tree.other_province, by=user_c, title=BREACH_OF_C))


ALERT_A, ALERT_C = ("privacy_alerts.alert_a.public_id",), ("privacy_alerts.alert_c.public_id",)
BREACH_A = ("privacy_alerts.breach_a.public_id",)
BREACH_C = ("privacy_alerts.breach_c.public_id",)
BREACH_FORM = {"unit": Ref("tree.province.pk"), "title": "Mất máy tính",
               "description": "Máy tính của cán bộ bị mất", "found_at": "01/06/2026 08:00",
               "children_affected": "12", "others_affected": "0"}
BREACH_API = {"unit": "04", "title": "Mất máy tính", "description": "Máy tính bị mất",
              "found_at": "2026-06-01T08:00:00+07:00", "children_affected": 12}
DECISION = {"status": "acknowledged", "note": "Đã hỏi cán bộ"}

PRIVACY_ALERTS_CASES: dict[str, Case] = {
    # --- pages (treem/privacy/alerts/urls.py) ---------------------------------------------------
    "privacy:alert_list": Case(LIST, "auditor", shows=("officer_a", "chairman_a"),
                               hides=(USER_OF_C,), forbidden=NO_ALERTS),
    "privacy:alert_detail": Case(OBJECT, "auditor", args=ALERT_A, outside_args=ALERT_C,
                                 shows=("officer_a", "Xuất dữ liệu ban đêm"),
                                 forbidden=NO_ALERTS),
    "privacy:alert_decide": Case(OBJECT, "auditor", method="post", status=302, data=DECISION,
                                 args=ALERT_A, outside_args=ALERT_C, forbidden=NO_ALERTS),
    "privacy:breach_list": Case(LIST, "auditor", shows=(BREACH_OF_A,), hides=(BREACH_OF_C,),
                                forbidden=NO_ALERTS),
    # The unit is chosen in the form: one of another province is a form error, writes nothing.
    "privacy:breach_create": Case(OBJECT, "auditor", method="post", status=302,
                                  data=BREACH_FORM,
                                  outside_data={**BREACH_FORM,
                                                "unit": Ref("tree.other_province.pk")},
                                  outside_status=200, forbidden=NO_ALERTS),
    "privacy:breach_detail": Case(OBJECT, "auditor", args=BREACH_A, outside_args=BREACH_C,
                                  shows=(BREACH_OF_A,), forbidden=NO_ALERTS),
    "privacy:breach_edit": Case(OBJECT, "auditor", method="post", status=302,
                                data={**{k: v for k, v in BREACH_FORM.items() if k != "unit"},
                                      "title": BREACH_OF_A},
                                args=BREACH_A, outside_args=BREACH_C, forbidden=NO_ALERTS),
    "privacy:breach_print": Case(OBJECT, "auditor", args=BREACH_A, outside_args=BREACH_C,
                                 shows=(BREACH_OF_A, "Cục An ninh mạng"), forbidden=NO_ALERTS),
    "privacy:breach_pdf": Case(OBJECT, "auditor", args=BREACH_A, outside_args=BREACH_C,
                               shows=(PDF,), forbidden=NO_ALERTS),
    # --- API (treem/privacy/alerts/api.py) ------------------------------------------------------
    "api:access_alert_list": Case(LIST, "auditor", shows=("officer_a", "chairman_a"),
                                  hides=(USER_OF_C,), forbidden=NO_ALERTS),
    "api:access_alert_detail": Case(OBJECT, "auditor", args=ALERT_A, outside_args=ALERT_C,
                                    shows=('"officer_a"',), forbidden=NO_ALERTS),
    "api:access_alert_decide": Case(OBJECT, "auditor", method="post", data=DECISION,
                                    args=ALERT_A, outside_args=ALERT_C, forbidden=NO_ALERTS,
                                    shows=('"acknowledged"',)),
    "api:breach_list": Case(LIST, "auditor", shows=(BREACH_OF_A,), hides=(BREACH_OF_C,),
                            forbidden=NO_ALERTS),
    # A unit of another province named in the body is not found.
    "api:breach_create": Case(OBJECT, "auditor", method="post", status=201, data=BREACH_API,
                              outside_data={**BREACH_API, "unit": "01"}, forbidden=NO_ALERTS),
    "api:breach_detail": Case(OBJECT, "auditor", args=BREACH_A, outside_args=BREACH_C,
                              shows=(BREACH_OF_A,), forbidden=NO_ALERTS),
    "api:breach_update": Case(OBJECT, "auditor", method="patch",
                              data={"authority_reference": "05/TB"}, args=BREACH_A,
                              outside_args=BREACH_C, forbidden=NO_ALERTS, shows=('"05/TB"',)),
}

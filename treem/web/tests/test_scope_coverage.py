"""The guard that no view or API operation forgets the user's scope.

SCOPE_CASES has one row per named URL (API operations included: each is a URL named
"api:<function>"). A row says how the URL is called by a persona inside its scope, and what the
others must get:

- PUBLIC: reachable without signing in (health check, sign-in, language, API docs, tokens).
- OWN: acts on the signed-in user's own data only; another user's object is 404.
- OBJECT: one object (or a unit chosen in a form) inside the actor's scope; the same call on an
  object of commune B or of the other province is 404, and a persona that may see it but lacks
  the capability gets 403.
- LIST: a list inside the actor's scope; items of commune B or the other province never appear.

Every non-public row is also refused to an anonymous visitor (login page, or 401 for the API),
and every API row runs twice: with the browser session and with a Bearer token.

`test_every_url_and_api_operation_is_covered` walks the URL resolver, so an app that adds a
view or API operation without adding its row here breaks the build. To add a row: name the
persona making the call (`actor`), the World attributes giving the URL's arguments (`args`,
dotted: "tree.commune_a.public_id"), the same for an object outside the actor's scope
(`outside_args`), the personas that must get 403 (`forbidden`), and for lists the text that
must (`shows`) and must never (`hides`) appear. A form value that exists only once the world is
made (a primary key, a public id) is written `Ref("dotted.attribute")`.
"""

import datetime
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from treem.accounts.models import ApiToken, RoleAssignment, User
from treem.accounts.roles import Role
from treem.accounts.services import token_create
from treem.audit.models import Action, AuditEvent
from treem.audit.services import event_record
from treem.cases.models import Assessment, Notification, Plan, Protection, Referral
from treem.cases.models import Case as CaseRecord
from treem.cases.services import case_open, notification_record
from treem.geo.models import Level, Unit
from treem.indicators.models import (
    Indicator,
    IndicatorSet,
    IndicatorVersion,
    SectorFigure,
    Target,
)
from treem.indicators.selectors import entry_versions
from treem.indicators.services import revisions
from treem.indicators.tests.factories import load_entered, make_figure
from treem.plans.activities import named as named_children
from treem.plans.activities import recommendation_services, trainee_services
from treem.plans.activities import services as activity_services
from treem.plans.activities.models import Activity as LocalActivity
from treem.plans.activities.models import ActivityFile as LocalActivityFile
from treem.plans.activities.models import ActivityType as LocalActivityType
from treem.plans.activities.models import Attendee as LocalAttendee
from treem.plans.activities.models import NamedChild as LocalNamedChild
from treem.plans.activities.models import Recommendation as LocalRecommendation
from treem.plans.attachment_services import attachment_add
from treem.plans.child_friendly import loading as child_friendly_loading
from treem.plans.child_friendly import services as child_friendly_services
from treem.plans.child_friendly.models import Assessment as ChildFriendly
from treem.plans.implementation import assemble
from treem.plans.models import Evidence as LocalEvidence
from treem.plans.models import ImplementationReport as LocalImplementation
from treem.plans.models import Plan as LocalPlan
from treem.plans.models import PlanAttachment
from treem.plans.models import Task as LocalTask
from treem.plans.models import TaskProgress as LocalProgress
from treem.plans.progress_services import evidence_add
from treem.plans.services import focal_point_add
from treem.plans.tests.factories import make_agency, make_task
from treem.plans.tests.factories import make_plan as make_local_plan
from treem.registry.models import (
    Caregiver,
    Child,
    ChildMerge,
    ChildRisk,
    DuplicatePair,
    Household,
    ImportJob,
)
from treem.registry.tests.factories import (
    make_caregiver,
    make_child,
    make_consenting_child,
    make_household,
    make_risk,
)
from treem.reports.models import Report, Schedule
from treem.testing import PASSWORD, Personas, Tree, login, make_personas, make_tree, make_unit, make_user
from treem.web.tests.scope_consent import CONSENT_CASES, ConsentWorld, consent_world
from treem.web.tests.scope_fund import FUND_CASES, FundWorld, fund_world
from treem.web.tests.scope_offline import OFFLINE_CASES, OfflineWorld, offline_world
from treem.web.tests.scope_privacy import PRIVACY_CASES, PrivacyWorld, privacy_world
from treem.web.tests.scope_privacy_alerts import (
    PRIVACY_ALERTS_CASES,
    AlertsWorld,
    alerts_world,
)
from treem.web.tests.scope_privacy_population import (
    POPULATION_CASES,
    PopulationWorld,
    population_world,
)
from treem.web.tests.scope_privacy_retention import (
    RETENTION_CASES,
    RetentionWorld,
    retention_world,
)
from treem.web.tests.scope_rows import LIST, OBJECT, OWN, PUBLIC, Case, Ref

if TYPE_CHECKING:  # the test client's response type exists only in django-stubs
    from django.test.client import _MonkeyPatchedWSGIResponse as Response


# Markers written as audit-event reasons, to tell whose events a list shows.
EVENT_OF_COMMUNE_A = "Mốc nhật ký của Phường Thục Phán"
EVENT_OF_OTHER_PROVINCE = "Mốc nhật ký của Hà Nội"
EVENT_OF_NATION = "Mốc nhật ký toàn quốc"

NEW_VILLAGE = {"kind": "Thôn", "name": "Thôn Mới"}
# With the values the page read beside them (`treem.edits.forms`).
RENAMED_VILLAGE = {"kind": "Bản", "name": "Bản Nà Pồng", "initial-kind": "Thôn",
                   "initial-name": "Thôn Nà Pồng"}
NEW_USER = {"username": "new_officer", "full_name": "Nguyễn Văn Mới", "password": "Mat-khau-moi-2026",
            "role": Role.COMMUNE_OFFICER, "unit": "01273", "sector": ""}
COMMUNE_C_CODE = "00070"
COMMUNES_OUTSIDE_A = ("Xã Hòa An", "Phường Hoàn Kiếm")

# The child register: a child (with a caregiver and a risk) and a household in commune A, the
# same in commune B. Both children are Nguyễn, so a search for the name could find either.
CHILD_OF_A, CHILD_OF_B = "Nguyễn Văn An", "Nguyễn Thị Bình"
# Children named in commune A's and B's forums (`plans.activities.named`).
DELEGATE_OF = {"a": "Lò Thị Đại", "b": "Hà Văn Biểu"}
HOUSEHOLD_OF_A, HOUSEHOLD_OF_B = "Nông Văn Dền", "Vi Văn Slình"
SEES_NO_REGISTER = ("admin", "intake")
READS_THE_REGISTER_ONLY = ("auditor", "province_officer")
CHILD_FORM = {"full_name": "Hoàng Văn Khải", "sex": "m", "birth_date": "2018-04-12",
              "birth_date_precision": "day", "ethnicity": Ref("child_a.ethnicity_id"),
              "residence_type": "permanent", "living_arrangement": "both_parents",
              "school_level": "primary", "school_status": "in_school"}
EDITED_CHILD = {**CHILD_FORM, "full_name": "Nguyễn Văn Ân", "birth_date": "2015-03-01",
                "version": Ref("child_a.version")}
READ_AT_FIRST_VERSION = {"If-Match": '"1"'}
NEW_CHILD_API = {"full_name": "Hoàng Văn Khải", "sex": "m", "birth_date": "2018-04-12",
                 "ethnicity": "02", "commune": "01273"}
NEW_HOUSEHOLD = {"head_name": "Lý Văn Sần", "poverty_status": "none"}
MOVE_TO_B = {"commune": "01279", "moved_on": "2025-01-15", "residence_type": "permanent"}
# Duplicates: a pair in commune A, one in commune B (each pair's evidence carries a marker the
# API shows); merges in commune A and in the other province, told apart by their reasons.
PAIR_OF_A, PAIR_OF_B = "dấu cặp A", "dấu cặp B"
MERGE_OF_A, MERGE_OF_C = "Gộp thử ở xã A", "Gộp thử ở Hà Nội"
MERGES_NOTHING = ("officer", "auditor", "province_officer", "intake")
DECIDES_NO_PAIR = ("admin", "intake", "auditor", "collaborator")
# Cases: a notification (with its case) for commune A, the same for commune B, and one more
# for commune A not yet opened. The chairman also holds the officer role in commune A.
REPORT_OF_A, REPORT_OF_B = "Báo tin về trẻ ở xã A", "Báo tin về trẻ ở xã B"
RECEIVES_NOTHING = ("province_officer", "auditor", "admin", "collaborator")
# The province officer may open case pages (for cases shared with it) but sees none here.
SEES_NO_CASE = ("auditor", "admin", "collaborator", "intake")
SEES_NO_INDICATOR = ("admin", "collaborator", "intake")
EDITS_NO_CATALOGUE = ("officer", "province_officer", "auditor", "collaborator", "intake",
                      "sector_focal")
SETS_NO_TARGET = ("officer", "auditor", "admin", "collaborator", "intake", "sector_focal")
WRITES_NO_REPORT = ("auditor", "admin", "collaborator", "intake", "sector_focal")
SEES_NO_PLAN = ("admin", "collaborator", "intake")
MANAGES_NO_PLAN = ("sector_focal", "auditor", "admin", "collaborator", "intake")
NEW_LOCAL_PLAN = {"title": "Kế hoạch mới", "start_year": "2026", "end_year": "2026",
                  "status": "in_force"}
NEW_LOCAL_PLAN_API = {"title": "Kế hoạch mới", "start_year": 2026, "end_year": 2026}
REPORTS_NO_TASK = ("officer", "chairman", "province_officer", "auditor", "admin",
                   "collaborator", "intake")
LOCAL_PLAN_OF_A = "Kế hoạch năm 2026 của Phường Thục Phán"
ACTIVITY_OF = "Diễn đàn trẻ em của %s"
ACTIVITIES_OUTSIDE_A = (ACTIVITY_OF % "Xã Hòa An", ACTIVITY_OF % "Phường Hoàn Kiếm")
NEW_ACTIVITY = {"type": "communication", "title": "Truyền thông mới", "start_date": "01/06/2026",
                "end_date": "01/06/2026", "status": "held"}
NEW_ACTIVITY_API = {"type": "communication", "title": "Truyền thông mới",
                    "start_date": "2026-06-01", "end_date": "2026-06-01"}
ANSWERS_NO_RECOMMENDATION = ("auditor", "admin", "collaborator", "intake")
LOCAL_PLAN_OF_B = "Kế hoạch năm 2026 của Xã Hòa An"
LOCAL_PLAN_OF_C = "Kế hoạch năm 2026 của Phường Hoàn Kiếm"
REPORT_RESULTS_A = "Kết quả của Phường Thục Phán"
NOTIFICATION_API = {"commune": "01273", "channel": "phone",
                    "received_at": "2026-03-02T09:30:00+07:00", "forms": ["violence"],
                    "place": "family", "description": "Trẻ bị đánh", "reporter_name": "Người báo"}
PDF = "%PDF-"  # how every PDF file starts
NOTIFICATION_FORM = {"commune": "01273", "channel": "phone", "received_at": "2026-03-02T09:30",
                     "abuse_forms": ["violence"], "place": "family",
                     "description": "Trẻ bị đánh", "reporter_name": "Người báo"}
# Sector figures: a police count entered for commune A, the same for commune B, each with a
# comment telling them apart. Only the commune officer and the sector's focal point enter them
# (the chairman here is also an officer of commune A: see World.revocable_assignment).
FIGURE_OF_A, FIGURE_OF_B = "Số liệu công an xã A", "Số liệu công an xã B"
ENTERS_NO_FIGURES = ("province_officer", "auditor", "collaborator", "intake", "admin")
READS_NO_INDICATORS = ("collaborator", "intake", "admin")
FIGURES_API = {"unit": "01273", "period": "2026S1", "indicator_set": "thu-nganh",
               "indicator": "CA1", "rows": [{"breakdown": "", "numerator": 7}],
               "comments": {"": FIGURE_OF_A}}

SCOPE_CASES: dict[str, Case] = {
    # --- Public: no sign-in needed ----------------------------------------------------------
    "healthz": Case(PUBLIC),
    "accounts:login": Case(PUBLIC),
    # The same answer for any name; the link page changes nothing until its button is pressed.
    "accounts:unlock_request": Case(PUBLIC, method="post", data={"username": "officer_a"},
                                    status=302),
    "accounts:unlock": Case(PUBLIC, args=("unlock_secret",)),
    "set_language": Case(PUBLIC, method="post", data={"language": "en", "next": "/"}, status=302),
    "api_docs": Case(PUBLIC, status=302),
    "api:openapi-json": Case(PUBLIC),
    "api:openapi-view": Case(PUBLIC),
    # django-ninja's marker for the API root (it answers 404 to everyone, by design).
    "api:api-root": Case(PUBLIC, status=404),
    # The collaborator needs no second factor, so a password alone obtains a token.
    "api:token_obtain": Case(PUBLIC, method="post",
                             data={"username": "ctv_a", "password": PASSWORD, "days": 1}),

    # --- Own data: the signed-in user's account only -----------------------------------------
    "web:home": Case(OWN, "officer", shows=("Phường Thục Phán",), hides=("Xã Hòa An",)),
    "accounts:otp": Case(OWN, "officer", status=302),  # already verified: sent home
    "accounts:logout": Case(OWN, "officer", method="post", status=302, signs_out=True),
    "accounts:logout_everywhere": Case(OWN, "officer", method="post", status=302,
                                       signs_out=True),
    "accounts:profile": Case(OWN, "officer", shows=("Khóa của officer_a",),
                             hides=("Khóa của officer_b",)),
    "accounts:password_change": Case(OWN, "officer"),
    "accounts:token_create": Case(OWN, "officer"),
    "accounts:token_revoke": Case(OWN, "officer", method="post", status=302,
                                  args=("officer_token.public_id",),
                                  outside_args=("outsider_token.public_id",)),
    "api:me": Case(OWN, "officer", shows=('"officer_a"',), hides=("officer_b",)),
    # Revokes the token the request carries, so a browser session has nothing to revoke.
    "api:token_revoke": Case(OWN, "officer", method="post", status=204, vias=("token",)),

    # --- Scoped objects -------------------------------------------------------------------------
    "geo:unit_detail": Case(OBJECT, "officer", args=("tree.commune_a.public_id",),
                            outside_args=("tree.commune_b.public_id",), forbidden=("roleless",)),
    "geo:village_create": Case(OBJECT, "officer", method="post", status=302, data=NEW_VILLAGE,
                               args=("tree.commune_a.public_id",),
                               outside_args=("tree.commune_b.public_id",),
                               forbidden=("auditor", "province_officer")),
    "geo:village_edit": Case(OBJECT, "officer", method="post", status=302, data=RENAMED_VILLAGE,
                             args=("tree.village_a.public_id",),
                             outside_args=("village_b.public_id",),
                             forbidden=("auditor", "collaborator")),
    "accounts:user_detail": Case(OBJECT, "admin", args=("personas.officer.public_id",),
                                 outside_args=("other_officer.public_id",),
                                 forbidden=("auditor", "officer")),
    "accounts:user_status": Case(OBJECT, "admin", method="post", status=302,
                                 data={"action": "unlock"},
                                 args=("personas.officer.public_id",),
                                 outside_args=("other_officer.public_id",),
                                 forbidden=("auditor", "officer")),
    "accounts:user_password": Case(OBJECT, "admin", method="post", status=302,
                                   data={"password": "Mat-khau-moi-2026"},
                                   args=("personas.officer.public_id",),
                                   outside_args=("other_officer.public_id",),
                                   forbidden=("auditor", "officer")),
    "accounts:assignment_revoke": Case(OBJECT, "admin", method="post", status=302,
                                       args=("revocable_assignment.public_id",),
                                       outside_args=("other_assignment.public_id",),
                                       forbidden=("auditor", "officer")),
    # The unit is chosen in the form: one outside the scope is a form error and writes nothing.
    "accounts:user_create": Case(OBJECT, "admin", method="post", status=302, data=NEW_USER,
                                 outside_data={**NEW_USER, "unit": COMMUNE_C_CODE},
                                 outside_status=200, forbidden=("auditor", "officer")),
    "api:unit_detail": Case(OBJECT, "officer", args=("tree.commune_a.public_id",),
                            outside_args=("tree.commune_b.public_id",), forbidden=("roleless",),
                            shows=("Phường Thục Phán",)),
    "api:unit_children": Case(OBJECT, "officer", args=("tree.commune_a.public_id",),
                              outside_args=("tree.commune_b.public_id",),
                              forbidden=("roleless",), shows=("Thôn Nà Pồng",)),
    "registry:child_detail": Case(OBJECT, "officer", args=("child_a.public_id",),
                                  outside_args=("child_b.public_id",),
                                  forbidden=SEES_NO_REGISTER, shows=(CHILD_OF_A,)),
    # The commune is chosen in the form: one the actor may not record in is not found.
    "registry:child_create": Case(OBJECT, "officer", method="post", status=302, data=CHILD_FORM,
                                  outside_data={**CHILD_FORM,
                                                "commune": Ref("tree.commune_b.public_id")},
                                  forbidden=READS_THE_REGISTER_ONLY),
    "registry:child_edit": Case(OBJECT, "officer", method="post", status=302, data=EDITED_CHILD,
                                args=("child_a.public_id",), outside_args=("child_b.public_id",),
                                forbidden=READS_THE_REGISTER_ONLY),
    "registry:child_move": Case(OBJECT, "officer", method="post", status=302, data=MOVE_TO_B,
                                args=("child_a.public_id",), outside_args=("child_b.public_id",),
                                forbidden=READS_THE_REGISTER_ONLY),
    "registry:history_add": Case(OBJECT, "officer", method="post", status=302,
                                 data={"flag": "child_labour", "start_date": "2025-01-15"},
                                 args=("child_a.public_id", "history_kind"),
                                 outside_args=("child_b.public_id", "history_kind"),
                                 forbidden=READS_THE_REGISTER_ONLY),
    "registry:history_end": Case(OBJECT, "officer", method="post", status=302,
                                 data={"end_date": "2025-02-01"},
                                 args=("history_kind", "risk_a.public_id"),
                                 outside_args=("history_kind", "risk_b.public_id"),
                                 forbidden=READS_THE_REGISTER_ONLY),
    "registry:caregiver_add": Case(OBJECT, "officer", method="post", status=302,
                                   data={"full_name": "Nguyễn Thị Hoa", "relation": "mother"},
                                   args=("child_a.public_id",),
                                   outside_args=("child_b.public_id",),
                                   forbidden=READS_THE_REGISTER_ONLY),
    "registry:caregiver_remove": Case(OBJECT, "officer", method="post", status=302,
                                      args=("caregiver_a.public_id",),
                                      outside_args=("caregiver_b.public_id",),
                                      forbidden=READS_THE_REGISTER_ONLY),
    "registry:household_create": Case(OBJECT, "officer", method="post", status=302,
                                      data=NEW_HOUSEHOLD,
                                      outside_data={**NEW_HOUSEHOLD,
                                                    "commune": Ref("tree.commune_b.public_id")},
                                      forbidden=READS_THE_REGISTER_ONLY),
    "registry:household_edit": Case(OBJECT, "officer", method="post", status=302,
                                    data={"version": Ref("household_a.version"),
                                          "head_name": "Nông Văn Đền", "poverty_status": "none"},
                                    args=("household_a.public_id",),
                                    outside_args=("household_b.public_id",),
                                    forbidden=READS_THE_REGISTER_ONLY),
    "registry:caregiver_edit": Case(OBJECT, "officer", method="post", status=302,
                                    data={"version": Ref("caregiver_a.version"),
                                          "full_name": "Nguyễn Thị Hoa", "relation": "mother"},
                                    args=("caregiver_a.public_id",),
                                    outside_args=("caregiver_b.public_id",),
                                    forbidden=READS_THE_REGISTER_ONLY),
    "registry:household_detail": Case(OBJECT, "officer", args=("household_a.public_id",),
                                      outside_args=("household_b.public_id",),
                                      forbidden=SEES_NO_REGISTER, shows=(HOUSEHOLD_OF_A,)),
    "api:child_detail": Case(OBJECT, "officer", args=("child_a.public_id",),
                             outside_args=("child_b.public_id",), forbidden=SEES_NO_REGISTER,
                             shows=(CHILD_OF_A,)),
    "api:child_history": Case(OBJECT, "officer", args=("child_a.public_id",),
                              outside_args=("child_b.public_id",), forbidden=SEES_NO_REGISTER,
                              shows=('"birth"',)),
    # The commune is named by its code: one the actor may not record in is not found.
    "api:child_create": Case(OBJECT, "officer", method="post", status=201, data=NEW_CHILD_API,
                             outside_data={**NEW_CHILD_API, "commune": "01279"},
                             forbidden=READS_THE_REGISTER_ONLY, shows=("Hoàng Văn Khải",)),
    "api:child_update": Case(OBJECT, "officer", method="patch",
                             data={"school_status": "in_school"}, args=("child_a.public_id",),
                             headers=READ_AT_FIRST_VERSION,
                             outside_args=("child_b.public_id",),
                             forbidden=READS_THE_REGISTER_ONLY, shows=('"in_school"',)),
    # Excel import. The template is made for a commune named in the URL; the upload names its
    # commune in the form (posted without a file here: the form asks for one; files are
    # tested in treem/registry/tests/test_import.py); a job belongs to its commune.
    "registry:import_template": Case(OBJECT, "officer", args=("tree.commune_a.public_id",),
                                     outside_args=("tree.commune_b.public_id",),
                                     forbidden=READS_THE_REGISTER_ONLY),
    "registry:import_upload": Case(OBJECT, "officer", method="post",
                                   data={"commune": Ref("tree.commune_a.public_id")},
                                   outside_data={"commune": Ref("tree.commune_b.public_id")},
                                   forbidden=READS_THE_REGISTER_ONLY,
                                   shows=("Hãy chọn tệp Excel để tải lên.",)),
    "registry:import_detail": Case(OBJECT, "officer", args=("import_job_a.public_id",),
                                   outside_args=("import_job_b.public_id",),
                                   forbidden=READS_THE_REGISTER_ONLY,
                                   shows=("Chỉ nhập các dòng hợp lệ",)),
    "registry:import_commit": Case(OBJECT, "officer", method="post", status=302,
                                   data={"mode": "valid_only"},
                                   args=("import_job_a.public_id",),
                                   outside_args=("import_job_b.public_id",),
                                   forbidden=READS_THE_REGISTER_ONLY),
    # Retrying needs an interrupted job (job A is not: the answer says so); cancelling takes a
    # checked job.
    "registry:import_retry": Case(OBJECT, "officer", method="post", status=302,
                                  args=("import_job_a.public_id",),
                                  outside_args=("import_job_b.public_id",),
                                  forbidden=READS_THE_REGISTER_ONLY),
    "registry:import_cancel": Case(OBJECT, "officer", method="post", status=302,
                                   args=("import_job_a.public_id",),
                                   outside_args=("import_job_b.public_id",),
                                   forbidden=READS_THE_REGISTER_ONLY),
    # The same over the API. The upload names its commune in the URL and is called without a
    # file here (the answer asks for one; files are tested in test_import_api.py).
    "api:import_upload": Case(OBJECT, "officer", method="post", status=422,
                              args=("tree.commune_a.public_id",),
                              outside_args=("tree.commune_b.public_id",),
                              forbidden=READS_THE_REGISTER_ONLY,
                              shows=("Hãy chọn tệp Excel để tải lên.",)),
    "api:import_status": Case(OBJECT, "officer", args=("import_job_a.public_id",),
                              outside_args=("import_job_b.public_id",),
                              forbidden=READS_THE_REGISTER_ONLY, shows=('"validated"',)),
    "api:import_errors": Case(OBJECT, "officer", args=("import_job_a.public_id",),
                              outside_args=("import_job_b.public_id",),
                              forbidden=READS_THE_REGISTER_ONLY, shows=('"count": 0',)),
    "api:import_commit": Case(OBJECT, "officer", method="post", status=202,
                              data={"mode": "valid_only"}, args=("import_job_a.public_id",),
                              outside_args=("import_job_b.public_id",),
                              forbidden=READS_THE_REGISTER_ONLY, shows=('"committing"',)),
    "api:import_retry": Case(OBJECT, "officer", method="post", status=422,
                             args=("import_job_a.public_id",),
                             outside_args=("import_job_b.public_id",),
                             forbidden=READS_THE_REGISTER_ONLY, shows=("không bị gián đoạn",)),
    "api:import_cancel": Case(OBJECT, "officer", method="post", status=202,
                              args=("import_job_a.public_id",),
                              outside_args=("import_job_b.public_id",),
                              forbidden=READS_THE_REGISTER_ONLY, shows=('"cancelled"',)),

    # Duplicates. The search is started for a province chosen in the form.
    "registry:duplicate_search": Case(OBJECT, "officer", method="post", status=302,
                                      data={"province": Ref("tree.province.public_id")},
                                      outside_data={"province":
                                                    Ref("tree.other_province.public_id")},
                                      forbidden=DECIDES_NO_PAIR),
    "registry:duplicate_detail": Case(OBJECT, "officer", args=("pair_a.public_id",),
                                      outside_args=("pair_b.public_id",),
                                      forbidden=DECIDES_NO_PAIR, shows=(CHILD_OF_A,)),
    "registry:duplicate_merge": Case(OBJECT, "officer", method="post", status=302,
                                     data={"kept": "a", "reason": "Nhập hai lần"},
                                     args=("pair_a.public_id",),
                                     outside_args=("pair_b.public_id",),
                                     forbidden=DECIDES_NO_PAIR),
    "registry:duplicate_dismiss": Case(OBJECT, "officer", method="post", status=302,
                                       data={"note": "Hai anh em"}, args=("pair_a.public_id",),
                                       outside_args=("pair_b.public_id",),
                                       forbidden=DECIDES_NO_PAIR),
    "registry:merge_undo": Case(OBJECT, "admin", method="post", status=302,
                                data={"reason": "Gộp nhầm"}, args=("merge_a.public_id",),
                                outside_args=("merge_c.public_id",), forbidden=MERGES_NOTHING),
    "api:duplicate_merge": Case(OBJECT, "officer", method="post", status=201,
                                data={"kept": "a", "reason": "Nhập hai lần"},
                                args=("pair_a.public_id",), outside_args=("pair_b.public_id",),
                                forbidden=DECIDES_NO_PAIR, shows=('"G-',)),
    "api:duplicate_dismiss": Case(OBJECT, "officer", method="post",
                                  data={"note": "Hai anh em"}, args=("pair_a.public_id",),
                                  outside_args=("pair_b.public_id",),
                                  forbidden=DECIDES_NO_PAIR, shows=('"distinct"',)),
    "api:merge_undo": Case(OBJECT, "admin", method="post", data={"reason": "Gộp nhầm"},
                           args=("merge_a.public_id",), outside_args=("merge_c.public_id",),
                           forbidden=MERGES_NOTHING, shows=(MERGE_OF_A,)),
    # Cases. The commune of a notification is chosen in the form: one outside the scope is a
    # form error and writes nothing.
    "cases:notification_create": Case(OBJECT, "officer", method="post", status=302,
                                      data=NOTIFICATION_FORM,
                                      outside_data={**NOTIFICATION_FORM, "commune": "01279"},
                                      outside_status=200, forbidden=RECEIVES_NOTHING),
    "cases:notification_detail": Case(OBJECT, "officer", args=("notification_a.public_id",),
                                      outside_args=("notification_b.public_id",),
                                      forbidden=RECEIVES_NOTHING, shows=(REPORT_OF_A,)),
    "cases:notification_print": Case(OBJECT, "officer", args=("notification_a.public_id",),
                                     outside_args=("notification_b.public_id",),
                                     forbidden=RECEIVES_NOTHING, shows=(REPORT_OF_A,)),
    # The printed forms as PDFs: a PDF's text is not in its bytes as written, so these rows
    # ask only for a PDF; cases/tests/test_pdf.py reads what each one says.
    "cases:notification_pdf": Case(OBJECT, "officer", args=("notification_a.public_id",),
                                   outside_args=("notification_b.public_id",),
                                   forbidden=RECEIVES_NOTHING, shows=(PDF,)),
    "cases:case_open": Case(OBJECT, "officer", method="post", status=302,
                            data={"child": Ref("child_a.public_id")},
                            args=("fresh_notification_a.public_id",),
                            outside_args=("notification_b.public_id",), forbidden=SEES_NO_CASE),
    "cases:case_detail": Case(OBJECT, "officer", args=("case_a.public_id",),
                              outside_args=("case_b.public_id",), forbidden=SEES_NO_CASE,
                              shows=(CHILD_OF_A,)),
    "cases:case_move": Case(OBJECT, "officer", method="post", status=302,
                            data={"move": "verify"}, args=("case_a.public_id",),
                            outside_args=("case_b.public_id",), forbidden=SEES_NO_CASE),
    "cases:protection_add": Case(OBJECT, "officer", method="post", status=302,
                                 data={"taken_at": "2026-03-03T10:00",
                                       "description": "Đưa trẻ đến trạm y tế"},
                                 args=("case_a.public_id", "protection_kind"),
                                 outside_args=("case_b.public_id", "protection_kind"),
                                 forbidden=SEES_NO_CASE),
    "cases:separation_change": Case(OBJECT, "officer", method="post", status=302,
                                    data={"action": "end", "reason": "Gia đình đã an toàn"},
                                    args=("separation_a.public_id",),
                                    outside_args=("separation_b.public_id",),
                                    forbidden=SEES_NO_CASE),
    "cases:case_share": Case(OBJECT, "officer", method="post", status=302,
                             data={"unit": Ref("tree.province.public_id"),
                                   "reason": "Xin ý kiến Sở"},
                             args=("case_a.public_id",), outside_args=("case_b.public_id",),
                             forbidden=SEES_NO_CASE),
    "cases:separation_print": Case(OBJECT, "officer", args=("separation_a.public_id",),
                                   outside_args=("separation_b.public_id",),
                                   forbidden=SEES_NO_CASE, shows=(CHILD_OF_A, "Mẫu số 07")),
    "cases:separation_pdf": Case(OBJECT, "officer", args=("separation_a.public_id",),
                                 outside_args=("separation_b.public_id",),
                                 forbidden=SEES_NO_CASE, shows=(PDF,)),
    "cases:referral_add": Case(OBJECT, "officer", method="post", status=302,
                               data={"service": "health", "organisation": "Trạm y tế xã",
                                     "due_on": "2099-01-01"},
                               args=("case_a.public_id",), outside_args=("case_b.public_id",),
                               forbidden=SEES_NO_CASE),
    "cases:referral_answer": Case(OBJECT, "officer", method="post", status=302,
                                  data={"action": "result", "text": "Đã khám, điều trị"},
                                  args=("referral_a.public_id",),
                                  outside_args=("referral_b.public_id",),
                                  forbidden=SEES_NO_CASE),
    # Assessments and plans: recorded on the actor's case (the service may still refuse one not
    # due at the case's step: the page then says why), printed from their own pages.
    "cases:assessment_add": Case(OBJECT, "officer", method="post", status=302,
                                 data={"done_on": "2026-03-03", "rating_harm": "low",
                                       "rating_risk": "low", "conclusion": "safe"},
                                 args=("case_a.public_id", "assessment_kind"),
                                 outside_args=("case_b.public_id", "assessment_kind"),
                                 forbidden=SEES_NO_CASE),
    "cases:plan_save": Case(OBJECT, "officer", method="post", status=302,
                            data={"goal": "An toàn", "task_1": "Tư vấn",
                                  "starts_on_1": "2026-03-03", "ends_on_1": "2026-04-03",
                                  "responsible_1": "Trạm y tế"},
                            args=("case_a.public_id",), outside_args=("case_b.public_id",),
                            forbidden=SEES_NO_CASE),
    "cases:assessment_print": Case(OBJECT, "officer", args=("assessment_a.public_id",),
                                   outside_args=("assessment_b.public_id",),
                                   forbidden=SEES_NO_CASE, shows=(CHILD_OF_A, "Mẫu số 02")),
    "cases:assessment_pdf": Case(OBJECT, "officer", args=("assessment_a.public_id",),
                                 outside_args=("assessment_b.public_id",),
                                 forbidden=SEES_NO_CASE, shows=(PDF,)),
    "cases:plan_print": Case(OBJECT, "officer", args=("plan_a.public_id",),
                             outside_args=("plan_b.public_id",), forbidden=SEES_NO_CASE,
                             shows=(CHILD_OF_A, "Mẫu số 04")),
    "cases:plan_pdf": Case(OBJECT, "officer", args=("plan_a.public_id",),
                           outside_args=("plan_b.public_id",), forbidden=SEES_NO_CASE,
                           shows=(PDF,)),
    # A report routed to a commune the actor does not handle: the commune is not found.
    "api:notification_create": Case(OBJECT, "officer", method="post", status=201,
                                    data=NOTIFICATION_API,
                                    outside_data={**NOTIFICATION_API, "commune": "01279"},
                                    forbidden=RECEIVES_NOTHING, shows=('"Người báo"',)),
    "api:notification_detail": Case(OBJECT, "officer", args=("notification_a.public_id",),
                                    outside_args=("notification_b.public_id",),
                                    forbidden=RECEIVES_NOTHING, shows=(REPORT_OF_A,)),
    "api:case_detail": Case(OBJECT, "officer", args=("case_a.public_id",),
                            outside_args=("case_b.public_id",), forbidden=SEES_NO_CASE,
                            shows=('"received"',)),
    "api:case_move": Case(OBJECT, "officer", method="post", data={"move": "verify"},
                          args=("case_a.public_id",), outside_args=("case_b.public_id",),
                          forbidden=SEES_NO_CASE, shows=('"verifying"',)),
    "cases:case_workers": Case(OBJECT, "officer", method="post", status=302,
                               data={"action": "add", "worker": Ref("colleague_a.public_id")},
                               args=("case_a.public_id",), outside_args=("case_b.public_id",),
                               forbidden=SEES_NO_CASE),
    "cases:case_facts": Case(OBJECT, "officer", method="post", status=302,
                             data={"abuse_forms": ["neglect"], "place": "family",
                                   "perpetrator": "parent",
                                   "version": Ref("case_a.facts_version")},
                             args=("case_a.public_id",), outside_args=("case_b.public_id",),
                             forbidden=SEES_NO_CASE),
    "api:case_facts": Case(OBJECT, "officer", method="patch",
                           data={"forms": ["neglect"], "place": "family",
                                 "perpetrator": "parent"}, headers=READ_AT_FIRST_VERSION,
                           args=("case_a.public_id",), outside_args=("case_b.public_id",),
                           forbidden=SEES_NO_CASE, shows=('"parent"',)),
    "api:case_open": Case(OBJECT, "officer", method="post", status=201,
                          data={"child": Ref("child_a.public_id")},
                          args=("fresh_notification_a.public_id",),
                          outside_args=("notification_b.public_id",), forbidden=SEES_NO_CASE,
                          shows=('"received"',)),
    "api:case_assign": Case(OBJECT, "officer", method="post",
                            data={"worker": Ref("colleague_a.public_id")},
                            args=("case_a.public_id",), outside_args=("case_b.public_id",),
                            forbidden=SEES_NO_CASE, shows=('"officer_a2"',)),
    "api:case_unassign": Case(OBJECT, "officer", method="delete",
                              args=("case_a.public_id", "personas.chairman.public_id"),
                              outside_args=("case_b.public_id", "personas.outsider.public_id"),
                              forbidden=SEES_NO_CASE, hides=('"chairman_a"',)),
    "api:protection_add": Case(OBJECT, "officer", method="post", status=201,
                               data={"kind": "measure", "taken_at": "2026-03-03T10:00:00+07:00",
                                     "description": "Đưa trẻ đến trạm y tế"},
                               args=("case_a.public_id",), outside_args=("case_b.public_id",),
                               forbidden=SEES_NO_CASE, shows=('"measure"',)),
    "api:separation_extend": Case(OBJECT, "chairman", method="post", data={"days": 10},
                                  args=("separation_a.public_id",),
                                  outside_args=("separation_b.public_id",),
                                  forbidden=SEES_NO_CASE, shows=('"2026-03-12',)),
    "api:separation_end": Case(OBJECT, "officer", method="post",
                               data={"reason": "Gia đình đã an toàn"},
                               args=("separation_a.public_id",),
                               outside_args=("separation_b.public_id",),
                               forbidden=SEES_NO_CASE, shows=("Gia đình đã an toàn",)),
    "api:referral_add": Case(OBJECT, "officer", method="post", status=201,
                             data={"service": "health", "organisation": "Trạm y tế xã",
                                   "due_on": "2099-01-01"},
                             args=("case_a.public_id",), outside_args=("case_b.public_id",),
                             forbidden=SEES_NO_CASE, shows=('"sent"',)),
    # The province's police focal point answers the police referral of commune A; commune B's
    # referral (to health) is not for it.
    "api:referral_answer": Case(OBJECT, "sector_focal", method="post", data={"accept": True},
                                args=("police_referral_a.public_id",),
                                outside_args=("referral_b.public_id",), forbidden=SEES_NO_CASE,
                                shows=('"accepted"',)),
    "api:referral_result": Case(OBJECT, "officer", method="post",
                                data={"result": "Đã khám, điều trị"},
                                args=("referral_a.public_id",),
                                outside_args=("referral_b.public_id",), forbidden=SEES_NO_CASE,
                                shows=('"done"',)),
    # case_a has just been received: the service answers that no assessment or plan is due yet,
    # which shows the call reached the actor's own case.
    "api:assessment_add": Case(OBJECT, "officer", method="post", status=422,
                               data={"kind": "initial", "done_on": "2026-03-03",
                                     "ratings": {"harm": "low", "risk": "low"},
                                     "conclusion": "safe"},
                               args=("case_a.public_id",), outside_args=("case_b.public_id",),
                               forbidden=SEES_NO_CASE, shows=("Chưa đến bước",)),
    "api:plan_save": Case(OBJECT, "officer", method="put", status=422,
                          data={"goal": "An toàn", "items": []}, headers=READ_AT_FIRST_VERSION,
                          args=("case_a.public_id",), outside_args=("case_b.public_id",),
                          forbidden=SEES_NO_CASE, shows=("Chỉ lập, sửa kế hoạch",)),
    "api:assessment_detail": Case(OBJECT, "officer", args=("assessment_a.public_id",),
                                  outside_args=("assessment_b.public_id",),
                                  forbidden=SEES_NO_CASE, shows=('"initial"',)),
    "api:plan_detail": Case(OBJECT, "officer", args=("plan_a.public_id",),
                            outside_args=("plan_b.public_id",), forbidden=SEES_NO_CASE,
                            shows=('"An toàn"',)),
    # Sector figures. The entry page names its commune in the form (a commune the actor does
    # not enter for is not found); posted with nothing typed it saves nothing and comes back.
    "indicators:entry": Case(OBJECT, "officer", method="post", status=302,
                             data=Ref("entry_a"),
                             outside_data={"unit": Ref("tree.commune_b.public_id"),
                                           "period": "2026S1"},
                             forbidden=ENTERS_NO_FIGURES),
    "indicators:figure_history": Case(OBJECT, "officer", args=("figure_a.public_id",),
                                      outside_args=("figure_b.public_id",),
                                      forbidden=READS_NO_INDICATORS, shows=(FIGURE_OF_A,)),
    "api:figure_save": Case(OBJECT, "officer", method="put", data=FIGURES_API,
                            # The world's one figure of CA1 in commune A: revision 1 + 1 row.
                            headers={"If-Match": '"2"'},
                            outside_data={**FIGURES_API, "unit": "01279"},
                            forbidden=ENTERS_NO_FIGURES, shows=('"CA1"', FIGURE_OF_A)),
    "api:case_share": Case(OBJECT, "officer", method="post", status=201,
                           data={"unit": Ref("tree.province.code"), "reason": "Xin ý kiến Sở"},
                           args=("case_a.public_id",), outside_args=("case_b.public_id",),
                           forbidden=SEES_NO_CASE, shows=("Xin ý kiến Sở",)),
    # Indicators: a national indicator is read by every level; a set owned by the other
    # province is not found.
    "indicators:indicator": Case(OBJECT, "officer", args=("indicator_a.public_id",),
                                 query={"period": "2026S1"},
                                 outside_args=("indicator_c.public_id",),
                                 forbidden=SEES_NO_INDICATOR, shows=("Trẻ em của xã",)),
    "indicators:set_detail": Case(OBJECT, "admin", args=("indicator_a.indicator_set.public_id",),
                                  outside_args=("indicator_c.indicator_set.public_id",),
                                  forbidden=EDITS_NO_CATALOGUE, shows=("Trẻ em của xã",)),
    # A province's DHIS2 table: its administrators', another province's is not found.
    "dhis2:mapping": Case(OBJECT, "admin", args=("tree.province.public_id",),
                          outside_args=("tree.other_province.public_id",),
                          forbidden=EDITS_NO_CATALOGUE, shows=("Tỉnh Cao Bằng",)),
    "dhis2:template": Case(OBJECT, "admin", args=("tree.province.public_id",),
                           outside_args=("tree.other_province.public_id",),
                           forbidden=EDITS_NO_CATALOGUE),
    # No table yet: back to the page with the reason.
    "dhis2:export": Case(OBJECT, "admin", args=("tree.province.public_id",),
                         query={"period": "2026S1"}, status=302,
                         outside_args=("tree.other_province.public_id",),
                         forbidden=EDITS_NO_CATALOGUE),
    "api:mapping_detail": Case(OBJECT, "admin", args=("tree.province.public_id",),
                               outside_args=("tree.other_province.public_id",),
                               forbidden=EDITS_NO_CATALOGUE, shows=('"04"',)),
    # Reports: written by the unit's own officers, decided by the level above.
    "reports:report_open": Case(OBJECT, "officer", method="post", status=302,
                                data={"schedule": "test-6m", "period": "2026S2",
                                      "unit": Ref("tree.commune_a.public_id")},
                                outside_data={"schedule": "test-6m", "period": "2026S2",
                                              "unit": Ref("tree.commune_b.public_id")},
                                forbidden=WRITES_NO_REPORT),
    "reports:report_detail": Case(OBJECT, "officer", args=("report_a.public_id",),
                                  outside_args=("report_b.public_id",),
                                  forbidden=WRITES_NO_REPORT, shows=(REPORT_RESULTS_A,)),
    "reports:report_write": Case(OBJECT, "officer", method="post", status=302,
                                 data={"results": "Đã rà soát", "save": "1",
                                       "version": Ref("report_a.narrative_version")},
                                 args=("report_a.public_id",),
                                 outside_args=("report_b.public_id",),
                                 forbidden=WRITES_NO_REPORT),
    # The confirmation of a report's figures (report_a is sent already: back to its page).
    "reports:report_send": Case(OBJECT, "officer", args=("report_a.public_id",), status=302,
                                outside_args=("report_b.public_id",),
                                forbidden=WRITES_NO_REPORT),
    "reports:report_decide": Case(OBJECT, "province_officer", method="post", status=302,
                                  data={"action": "return", "comment": "Bổ sung số liệu"},
                                  args=("report_a.public_id",),
                                  outside_args=("report_c.public_id",),
                                  forbidden=("officer", "chairman", *WRITES_NO_REPORT)),
    "reports:report_correct": Case(OBJECT, "officer", method="post", status=302,
                                   data={"reason": "Sai số liệu"}, args=("report_a.public_id",),
                                   outside_args=("report_b.public_id",),
                                   forbidden=WRITES_NO_REPORT),
    "api:report_detail": Case(OBJECT, "officer", args=("report_a.public_id",),
                              outside_args=("report_b.public_id",), forbidden=WRITES_NO_REPORT,
                              shows=(REPORT_RESULTS_A,)),
    "reports:report_excel": Case(OBJECT, "officer", args=("report_a.public_id",),
                                 outside_args=("report_b.public_id",),
                                 forbidden=WRITES_NO_REPORT),
    "reports:report_pdf": Case(OBJECT, "officer", args=("report_a.public_id",),
                               outside_args=("report_b.public_id",),
                               forbidden=WRITES_NO_REPORT),

    # --- Scoped lists ---------------------------------------------------------------------------
    "dhis2:home": Case(LIST, "admin", status=302, hides=("Hà Nội",),
                       forbidden=EDITS_NO_CATALOGUE),
    # The caller's province's table ("04"), never the other province's ("01").
    "api:mapping_mine": Case(LIST, "admin", shows=('"province": "04"',),
                             hides=('"province": "01"',), forbidden=EDITS_NO_CATALOGUE),
    "indicators:catalogue": Case(LIST, "admin", shows=("Trẻ em của xã",),
                                 hides=("Chỉ tiêu của Hà Nội",), forbidden=EDITS_NO_CATALOGUE),
    "indicators:target_list": Case(LIST, "province_officer", shows=("Phường Thục Phán",),
                                   hides=("Phường Hoàn Kiếm",), forbidden=SETS_NO_TARGET),
    # The template names no unit: nothing of anyone's is in it.
    "indicators:target_template": Case(LIST, "province_officer", hides=("Phường Hoàn Kiếm",),
                                       forbidden=SETS_NO_TARGET),
    "api:report_status_list": Case(LIST, "officer", query={"period": "2026S1"},
                                   shows=('"01273"',), hides=('"01279"', '"00070"'),
                                   forbidden=WRITES_NO_REPORT),
    "plans:plan_list": Case(LIST, "officer", shows=(LOCAL_PLAN_OF_A,),
                            hides=(LOCAL_PLAN_OF_B, LOCAL_PLAN_OF_C), forbidden=SEES_NO_PLAN),
    "plans:plan_detail": Case(OBJECT, "officer", args=("local_plan_a.public_id",),
                              outside_args=("local_plan_b.public_id",), forbidden=SEES_NO_PLAN,
                              shows=(LOCAL_PLAN_OF_A, "Công an Phường Thục Phán")),
    # The unit is chosen in the form: one the actor does not keep plans for is a form error
    # ("Hãy chọn đơn vị.") and writes nothing.
    "plans:plan_create": Case(OBJECT, "officer", method="post", status=302,
                              data={**NEW_LOCAL_PLAN, "unit": Ref("tree.commune_a.public_id")},
                              outside_data={**NEW_LOCAL_PLAN,
                                            "unit": Ref("tree.commune_b.public_id")},
                              outside_status=200, forbidden=MANAGES_NO_PLAN),
    "plans:task_create": Case(OBJECT, "officer", method="post", status=302,
                              args=("local_plan_a.public_id",),
                              outside_args=("local_plan_b.public_id",),
                              data={"section": "IX", "text": "Tuyên truyền",
                                    "time_frame": "unspecified",
                                    "lead": Ref("local_task_a.lead.public_id")},
                              forbidden=MANAGES_NO_PLAN),
    "plans:plan_status": Case(OBJECT, "officer", method="post", status=302,
                              args=("local_plan_a.public_id",),
                              outside_args=("local_plan_b.public_id",),
                              data={"status": "ended"}, forbidden=MANAGES_NO_PLAN),
    "plans:agency_list": Case(LIST, "officer", shows=("Công an Phường Thục Phán",),
                              hides=("Công an Xã Hòa An", "Công an Phường Hoàn Kiếm"),
                              forbidden=MANAGES_NO_PLAN),
    "plans:focal_point": Case(OBJECT, "officer", method="post", status=302,
                              args=("local_task_a.lead.public_id",),
                              outside_args=("local_task_b.lead.public_id",),
                              data={"remove": "police"}, forbidden=MANAGES_NO_PLAN),
    "plans:my_tasks": Case(LIST, "sector_focal", shows=("Nhiệm vụ của Công an Phường Thục Phán",),
                           hides=("Nhiệm vụ của Công an Xã Hòa An",
                                  "Nhiệm vụ của Công an Phường Hoàn Kiếm"),
                           forbidden=REPORTS_NO_TASK),
    # Editing a plan or a task at the version read; its tasks from the Excel template (an
    # upload without a file shows the form again, writing nothing).
    "plans:plan_edit": Case(OBJECT, "officer", method="post", status=302,
                            args=("local_plan_a.public_id",),
                            outside_args=("local_plan_b.public_id",),
                            data={**NEW_LOCAL_PLAN, "title": "Kế hoạch đã sửa",
                                  "version": Ref("local_plan_a.version")},
                            forbidden=MANAGES_NO_PLAN),
    "plans:task_edit": Case(OBJECT, "officer", method="post", status=302,
                            args=("local_task_a.public_id",),
                            outside_args=("local_task_b.public_id",),
                            data={"section": "IV.1", "text": "Nhiệm vụ đã sửa",
                                  "time_frame": "unspecified",
                                  "lead": Ref("local_task_a.lead.public_id"),
                                  "version": Ref("local_task_a.version")},
                            forbidden=MANAGES_NO_PLAN),
    "plans:task_import": Case(OBJECT, "officer", method="post", args=("local_plan_a.public_id",),
                              outside_args=("local_plan_b.public_id",), data={"file": ""},
                              forbidden=MANAGES_NO_PLAN, shows=("Nhập nhiệm vụ từ Excel",)),
    "plans:task_template": Case(OBJECT, "officer", args=("local_plan_a.public_id",),
                                outside_args=("local_plan_b.public_id",),
                                forbidden=MANAGES_NO_PLAN),
    "plans:plan_excel": Case(OBJECT, "officer", args=("local_plan_a.public_id",),
                             outside_args=("local_plan_b.public_id",), forbidden=SEES_NO_PLAN),
    "plans:evidence_add": Case(OBJECT, "officer", method="post", status=302,
                               args=("local_progress_a.public_id",),
                               outside_args=("local_progress_b.public_id",),
                               data={"file": ""}, forbidden=SEES_NO_PLAN),
    "plans:evidence_file": Case(OBJECT, "officer", args=("local_evidence_a.public_id",),
                                outside_args=("local_evidence_b.public_id",),
                                forbidden=SEES_NO_PLAN),
    "plans:evidence_remove": Case(OBJECT, "officer", method="post", status=302,
                                  args=("local_evidence_a.public_id",),
                                  outside_args=("local_evidence_b.public_id",),
                                  forbidden=SEES_NO_PLAN),
    "plans:task_detail": Case(OBJECT, "officer", args=("local_task_a.public_id",),
                              outside_args=("local_task_b.public_id",), forbidden=SEES_NO_PLAN,
                              shows=("Nhiệm vụ của Công an Phường Thục Phán",)),
    "api:plan_task_detail": Case(OBJECT, "officer", args=("local_task_a.public_id",),
                                 outside_args=("local_task_b.public_id",),
                                 forbidden=SEES_NO_PLAN,
                                 shows=("Nhiệm vụ của Công an Phường Thục Phán",)),
    "api:plan_task_report": Case(OBJECT, "sector_focal", method="put",
                                 args=("local_task_a.public_id", "local_task_a.lead.public_id",
                                       "report_period"),
                                 # The province's police reads commune B's plan too: the
                                 # other province's is out of its scope.
                                 outside_args=("local_task_c.public_id",
                                               "local_task_c.lead.public_id", "report_period"),
                                 data={"status": "in_progress", "percent_done": 30,
                                       "done_text": "Đã tuyên truyền ở 3 thôn"},
                                 headers=READ_AT_FIRST_VERSION, forbidden=SEES_NO_PLAN,
                                 shows=('"percent_done": 30',)),
    "api:local_plan_list": Case(LIST, "officer", shows=(LOCAL_PLAN_OF_A,),
                                hides=(LOCAL_PLAN_OF_B, LOCAL_PLAN_OF_C),
                                forbidden=SEES_NO_PLAN),
    "plans:plan_implementation": Case(OBJECT, "officer", args=("local_plan_a.public_id",),
                                      query={"period": "2026S1"},
                                      outside_args=("local_plan_b.public_id",),
                                      forbidden=SEES_NO_PLAN,
                                      shows=("Nhiệm vụ của Công an Phường Thục Phán",)),
    "plans:plan_implementation_pdf": Case(OBJECT, "officer", args=("local_plan_a.public_id",),
                                          query={"period": "2026S1"},
                                          outside_args=("local_plan_b.public_id",),
                                          forbidden=SEES_NO_PLAN),
    # report_a is submitted: the attachment is refused with a message (the scope is checked).
    "plans:implementation_attach": Case(OBJECT, "officer", method="post", status=302,
                                        args=("local_plan_a.public_id",),
                                        outside_args=("local_plan_b.public_id",),
                                        data={"period": "2026S1",
                                              "report": Ref("report_a.public_id")},
                                        forbidden=MANAGES_NO_PLAN),
    "plans:implementation_frozen": Case(OBJECT, "officer", args=("local_attachment_a.public_id",),
                                        outside_args=("local_attachment_b.public_id",),
                                        forbidden=SEES_NO_PLAN),
    "plans:implementation_detach": Case(OBJECT, "officer", method="post", status=302,
                                        args=("local_attachment_a.public_id",),
                                        outside_args=("local_attachment_b.public_id",),
                                        forbidden=MANAGES_NO_PLAN),
    "api:local_plan_implementation": Case(OBJECT, "officer", args=("local_plan_a.public_id",),
                                          query={"period": "2026S1"},
                                          outside_args=("local_plan_b.public_id",),
                                          forbidden=SEES_NO_PLAN,
                                          shows=("Nhiệm vụ của Công an Phường Thục Phán",)),
    "api:local_plan_detail": Case(OBJECT, "officer", args=("local_plan_a.public_id",),
                                  outside_args=("local_plan_b.public_id",),
                                  forbidden=SEES_NO_PLAN, shows=(LOCAL_PLAN_OF_A,)),
    # Plans and tasks written over the API: a unit named by its code (one whose plans the
    # actor does not keep is not found), a plan or task read at its version (If-Match).
    "api:local_plan_create": Case(OBJECT, "officer", method="post", status=201,
                                  data={**NEW_LOCAL_PLAN_API, "unit": "01273"},
                                  outside_data={**NEW_LOCAL_PLAN_API, "unit": "01279"},
                                  forbidden=MANAGES_NO_PLAN, shows=("Kế hoạch mới",)),
    "api:local_plan_update": Case(OBJECT, "officer", method="patch",
                                  data={"title": "Kế hoạch đã sửa"},
                                  args=("local_plan_a.public_id",),
                                  outside_args=("local_plan_b.public_id",),
                                  headers=READ_AT_FIRST_VERSION, forbidden=MANAGES_NO_PLAN,
                                  shows=("Kế hoạch đã sửa",)),
    "api:local_plan_task_create": Case(OBJECT, "officer", method="post", status=201,
                                       data={"section": "IX", "text": "Tuyên truyền",
                                             "lead": Ref("local_task_a.lead.public_id")},
                                       args=("local_plan_a.public_id",),
                                       outside_args=("local_plan_b.public_id",),
                                       forbidden=MANAGES_NO_PLAN, shows=('"IX"',)),
    "api:plan_task_update": Case(OBJECT, "officer", method="patch",
                                 data={"text": "Nhiệm vụ đã sửa"},
                                 args=("local_task_a.public_id",),
                                 outside_args=("local_task_b.public_id",),
                                 headers=READ_AT_FIRST_VERSION, forbidden=MANAGES_NO_PLAN,
                                 shows=("Nhiệm vụ đã sửa",)),
    "plans:activity_list": Case(LIST, "officer", shows=(ACTIVITY_OF % "Phường Thục Phán",),
                                hides=ACTIVITIES_OUTSIDE_A, forbidden=SEES_NO_PLAN),
    "plans:waiting": Case(LIST, "officer", shows=(ACTIVITY_OF % "Phường Thục Phán",),
                          hides=ACTIVITIES_OUTSIDE_A, forbidden=SEES_NO_PLAN),
    # The unit is chosen in the form: one the actor does not keep is a form error.
    "plans:activity_create": Case(OBJECT, "officer", method="post", status=302,
                                  data={**NEW_ACTIVITY, "unit": Ref("tree.commune_a.public_id")},
                                  outside_data={**NEW_ACTIVITY,
                                                "unit": Ref("tree.commune_b.public_id")},
                                  outside_status=200, forbidden=MANAGES_NO_PLAN),
    "plans:activity_detail": Case(OBJECT, "officer", args=("activity_a.public_id",),
                                  outside_args=("activity_b.public_id",),
                                  forbidden=SEES_NO_PLAN,
                                  shows=(ACTIVITY_OF % "Phường Thục Phán",
                                         "Kiến nghị của trẻ em Phường Thục Phán")),
    "plans:activity_edit": Case(OBJECT, "officer", args=("activity_a.public_id",),
                                outside_args=("activity_b.public_id",),
                                forbidden=MANAGES_NO_PLAN,
                                shows=(ACTIVITY_OF % "Phường Thục Phán",)),
    "plans:attendee_add": Case(OBJECT, "officer", method="post", status=302,
                               args=("training_a.public_id",),
                               outside_args=("training_b.public_id",),
                               data={"name": "Lò Văn Học"}, forbidden=MANAGES_NO_PLAN),
    "plans:attendee_remove": Case(OBJECT, "officer", method="post", status=302,
                                  args=("training_a.public_id", "attendee_a.pk"),
                                  outside_args=("training_b.public_id", "attendee_b.pk"),
                                  forbidden=MANAGES_NO_PLAN),
    "plans:recommendation_add": Case(OBJECT, "officer", method="post", status=302,
                                     args=("activity_a.public_id",),
                                     outside_args=("activity_b.public_id",),
                                     data={"text": "Thêm sân chơi",
                                           "agency": Ref("local_task_a.lead.public_id")},
                                     forbidden=MANAGES_NO_PLAN),
    "plans:recommendation_detail": Case(OBJECT, "officer",
                                        args=("recommendation_a.public_id",),
                                        outside_args=("recommendation_b.public_id",),
                                        forbidden=SEES_NO_PLAN,
                                        shows=("Kiến nghị của trẻ em Phường Thục Phán",)),
    "plans:activity_file_add": Case(OBJECT, "officer", method="post", status=302,
                                    args=("activity_a.public_id",),
                                    outside_args=("activity_b.public_id",),
                                    data={"kind": "photo", "file": ""},
                                    forbidden=MANAGES_NO_PLAN),
    "plans:activity_file": Case(OBJECT, "officer", args=("activity_file_a.public_id",),
                                outside_args=("activity_file_b.public_id",),
                                forbidden=SEES_NO_PLAN),
    "plans:activity_file_remove": Case(OBJECT, "officer", method="post", status=302,
                                       args=("activity_file_a.public_id",),
                                       outside_args=("activity_file_b.public_id",),
                                       forbidden=MANAGES_NO_PLAN),
    "plans:named_add": Case(OBJECT, "officer", args=("activity_a.public_id",),
                            outside_args=("activity_b.public_id",), forbidden=MANAGES_NO_PLAN,
                            shows=(ACTIVITY_OF % "Phường Thục Phán",)),
    "plans:named_remove": Case(OBJECT, "officer", method="post", status=302,
                               args=("activity_a.public_id", "named_a.public_id"),
                               outside_args=("activity_b.public_id", "named_b.public_id"),
                               forbidden=MANAGES_NO_PLAN),
    "api:named_list": Case(OBJECT, "officer", args=("activity_a.public_id",),
                           outside_args=("activity_b.public_id",), forbidden=SEES_NO_PLAN,
                           shows=(DELEGATE_OF["a"],), hides=(DELEGATE_OF["b"],)),
    "api:named_create": Case(OBJECT, "officer", method="post", status=201,
                             data={"child": Ref("child_a.public_id"),
                                   "reason": "Nhận học bổng tại lễ phát động"},
                             args=("activity_a.public_id",),
                             outside_args=("activity_b.public_id",),
                             forbidden=MANAGES_NO_PLAN, shows=(CHILD_OF_A,)),
    "api:named_delete": Case(OBJECT, "officer", method="delete", status=204,
                             args=("activity_a.public_id", "named_a.public_id"),
                             outside_args=("activity_b.public_id", "named_b.public_id"),
                             forbidden=MANAGES_NO_PLAN),
    "api:activity_list": Case(LIST, "officer", shows=(ACTIVITY_OF % "Phường Thục Phán",),
                              hides=ACTIVITIES_OUTSIDE_A, forbidden=SEES_NO_PLAN),
    "api:activity_detail": Case(OBJECT, "officer", args=("activity_a.public_id",),
                                outside_args=("activity_b.public_id",),
                                forbidden=SEES_NO_PLAN,
                                shows=(ACTIVITY_OF % "Phường Thục Phán",)),
    "api:activity_create": Case(OBJECT, "officer", method="post", status=201,
                                data={**NEW_ACTIVITY_API, "unit": "01273"},
                                outside_data={**NEW_ACTIVITY_API, "unit": "01279"},
                                forbidden=MANAGES_NO_PLAN, shows=("Truyền thông mới",)),
    "api:activity_update": Case(OBJECT, "officer", method="patch",
                                data={"title": "Diễn đàn đã sửa"},
                                args=("activity_a.public_id",),
                                outside_args=("activity_b.public_id",),
                                headers=READ_AT_FIRST_VERSION, forbidden=MANAGES_NO_PLAN,
                                shows=("Diễn đàn đã sửa",)),
    "api:attendee_create": Case(OBJECT, "officer", method="post", status=201,
                                data={"name": "Lò Văn Học"}, args=("training_a.public_id",),
                                outside_args=("training_b.public_id",),
                                forbidden=MANAGES_NO_PLAN, shows=("Lò Văn Học",)),
    "api:recommendation_create": Case(OBJECT, "officer", method="post", status=201,
                                      data={"text": "Thêm sân chơi",
                                            "agency": Ref("local_task_a.lead.public_id")},
                                      args=("activity_a.public_id",),
                                      outside_args=("activity_b.public_id",),
                                      forbidden=MANAGES_NO_PLAN, shows=("Thêm sân chơi",)),
    "api:recommendation_detail": Case(OBJECT, "officer",
                                      args=("recommendation_a.public_id",),
                                      outside_args=("recommendation_b.public_id",),
                                      forbidden=SEES_NO_PLAN,
                                      shows=("Kiến nghị của trẻ em Phường Thục Phán",)),
    # The police focal point answers for commune A's police; an auditor reads only.
    "api:recommendation_answer": Case(OBJECT, "sector_focal", method="patch",
                                      data={"status": "answered", "answer": "Đã bố trí"},
                                      args=("recommendation_a.public_id",),
                                      # Commune B's is the police's to read, not to answer.
                                      outside_args=("recommendation_c.public_id",),
                                      headers=READ_AT_FIRST_VERSION,
                                      forbidden=ANSWERS_NO_RECOMMENDATION,
                                      shows=("Đã bố trí",)),
    "plans:assessment_list": Case(LIST, "officer", query={"year": "2025"},
                                  shows=("Phường Thục Phán",),
                                  hides=("Xã Hòa An", "Phường Hoàn Kiếm"),
                                  forbidden=SEES_NO_PLAN),
    "plans:assessment_detail": Case(OBJECT, "officer", args=("cfc_a.public_id",),
                                    outside_args=("cfc_b.public_id",),
                                    forbidden=SEES_NO_PLAN, shows=("Phường Thục Phán",)),
    "plans:assessment_details": Case(OBJECT, "officer", method="post", status=302,
                                     args=("cfc_a.public_id",),
                                     outside_args=("cfc_b.public_id",),
                                     data={"version": "1", "scored_by_text": "Ban BVTE"},
                                     forbidden=MANAGES_NO_PLAN),
    # The criteria shipped lack points: the submission is refused with a message.
    "plans:assessment_submit": Case(OBJECT, "officer", method="post", status=302,
                                    args=("cfc_a.public_id",),
                                    outside_args=("cfc_b.public_id",),
                                    forbidden=MANAGES_NO_PLAN),
    "plans:assessment_decide": Case(OBJECT, "province_officer", method="post", status=302,
                                    args=("cfc_a.public_id",),
                                    outside_args=("cfc_c.public_id",),
                                    data={"status": "returned", "reason": "Chấm lại"},
                                    forbidden=MANAGES_NO_PLAN),
    "plans:assessment_pdf": Case(OBJECT, "officer", args=("cfc_a.public_id",),
                                 outside_args=("cfc_b.public_id",),
                                 forbidden=SEES_NO_PLAN),
    "api:child_friendly_list": Case(LIST, "officer", query={"year": "2025"}, shows=('"01273"',),
                                hides=('"01279"', '"00070"'), forbidden=SEES_NO_PLAN),
    "api:child_friendly_detail": Case(OBJECT, "officer", args=("cfc_a.public_id",),
                                  outside_args=("cfc_b.public_id",),
                                  forbidden=SEES_NO_PLAN, shows=('"01273"',)),
    "api:child_friendly_start": Case(OBJECT, "officer", method="post", status=201,
                                 data={"unit": "01273", "year": 2024},
                                 outside_data={"unit": "01279", "year": 2024},
                                 forbidden=MANAGES_NO_PLAN, shows=('"year": 2024',)),
    "api:child_friendly_scores": Case(OBJECT, "officer", method="patch",
                                  args=("cfc_a.public_id",),
                                  outside_args=("cfc_b.public_id",),
                                  data={"scores": [{"item": "1.1", "points": 50,
                                                    "evidence": "Có cán bộ"}]},
                                  headers=READ_AT_FIRST_VERSION,
                                  forbidden=MANAGES_NO_PLAN, shows=('"points": 50',)),
    "api:child_friendly_submit": Case(OBJECT, "officer", method="post", status=422,
                                  args=("cfc_a.public_id",),
                                  outside_args=("cfc_b.public_id",),
                                  forbidden=MANAGES_NO_PLAN),
    "api:child_friendly_decision": Case(OBJECT, "province_officer", method="post", status=422,
                                    args=("cfc_a.public_id",),
                                    outside_args=("cfc_c.public_id",),
                                    data={"status": "returned", "reason": "Chấm lại"},
                                    forbidden=MANAGES_NO_PLAN),
    "plans:attachment_add": Case(OBJECT, "officer", method="post", status=302,
                                 args=("local_plan_a.public_id",),
                                 outside_args=("local_plan_b.public_id",),
                                 data={"title": "Văn bản", "file": ""},
                                 forbidden=MANAGES_NO_PLAN),
    "plans:attachment_file": Case(OBJECT, "officer", args=("local_document_a.public_id",),
                                  outside_args=("local_document_b.public_id",),
                                  forbidden=SEES_NO_PLAN),
    "plans:attachment_remove": Case(OBJECT, "officer", method="post", status=302,
                                    args=("local_document_a.public_id",),
                                    outside_args=("local_document_b.public_id",),
                                    forbidden=MANAGES_NO_PLAN),
    # Files over the API: none posted is refused with its message (multipart in
    # treem/plans/tests/test_file_api.py); read by who reads what they belong to.
    "api:plan_document_create": Case(OBJECT, "officer", method="post", status=422,
                                     args=("local_plan_a.public_id",),
                                     outside_args=("local_plan_b.public_id",),
                                     forbidden=MANAGES_NO_PLAN,
                                     shows=("Hãy chọn tệp (ảnh JPEG, PNG hoặc PDF)",)),
    "api:plan_document_file": Case(OBJECT, "officer", args=("local_document_a.public_id",),
                                   outside_args=("local_document_b.public_id",),
                                   forbidden=SEES_NO_PLAN),
    "api:plan_document_delete": Case(OBJECT, "officer", method="delete", status=204,
                                     args=("local_document_a.public_id",),
                                     outside_args=("local_document_b.public_id",),
                                     forbidden=MANAGES_NO_PLAN),
    "api:plan_evidence_file": Case(OBJECT, "officer", args=("local_evidence_a.public_id",),
                                   outside_args=("local_evidence_b.public_id",),
                                   forbidden=SEES_NO_PLAN),
    "api:activity_file": Case(OBJECT, "officer", args=("activity_file_a.public_id",),
                              outside_args=("activity_file_b.public_id",),
                              forbidden=SEES_NO_PLAN),
    "reports:report_list": Case(LIST, "officer", shows=("Phường Thục Phán",),
                                hides=("Xã Hòa An", "Phường Hoàn Kiếm"),
                                forbidden=WRITES_NO_REPORT),
    "indicators:dashboard": Case(LIST, "officer", query={"period": "2026S1"},
                                 shows=("Phường Thục Phán", "Trẻ em của xã"),
                                 hides=("Xã Hòa An", "Chỉ tiêu của Hà Nội"),
                                 forbidden=SEES_NO_INDICATOR),
    "api:indicator_list": Case(LIST, "officer", shows=("Trẻ em của xã",),
                               hides=("Chỉ tiêu của Hà Nội",), forbidden=SEES_NO_INDICATOR),
    "api:indicator_values_list": Case(LIST, "officer", query={"period": "2026S1"},
                                      shows=('"01273"',), hides=('"01279"', '"00070"'),
                                      forbidden=SEES_NO_INDICATOR),
    "api:indicator_values_dhis2": Case(LIST, "officer", query={"period": "2026S1"},
                                       shows=('"01273"',), hides=('"01279"', '"00070"'),
                                       forbidden=SEES_NO_INDICATOR),
    "geo:unit_browse": Case(LIST, "officer", query={"level": Level.COMMUNE},
                            shows=("Phường Thục Phán",), hides=COMMUNES_OUTSIDE_A,
                            forbidden=("roleless",)),
    "accounts:user_list": Case(LIST, "admin", shows=("officer_a", "officer_b"),
                               hides=("officer_c",), forbidden=("auditor", "officer")),
    "audit:event_list": Case(LIST, "auditor", shows=(EVENT_OF_COMMUNE_A,),
                             hides=(EVENT_OF_OTHER_PROVINCE, EVENT_OF_NATION),
                             forbidden=("officer", "admin")),
    "api:unit_list": Case(LIST, "officer", query={"level": Level.COMMUNE},
                          shows=("Phường Thục Phán",), hides=COMMUNES_OUTSIDE_A,
                          forbidden=("roleless",)),
    "api:unit_roots": Case(LIST, "officer", shows=("Phường Thục Phán",),
                           hides=COMMUNES_OUTSIDE_A, forbidden=("roleless",)),
    "registry:child_list": Case(LIST, "officer", shows=(CHILD_OF_A,), hides=(CHILD_OF_B,),
                                forbidden=SEES_NO_REGISTER),
    # The form page previews the first rows in scope; the file's contents are checked in
    # treem/registry/tests/test_export.py.
    "registry:child_export": Case(LIST, "officer", shows=(CHILD_OF_A,), hides=(CHILD_OF_B,),
                                  forbidden=(*SEES_NO_REGISTER, "auditor", "collaborator")),
    "registry:household_list": Case(LIST, "officer", shows=(HOUSEHOLD_OF_A,),
                                    hides=(HOUSEHOLD_OF_B,), forbidden=SEES_NO_REGISTER),
    # The child form's picker ("van" is in both heads' names); a commune out of scope given
    # as `commune` is 404 (treem/registry/tests/test_household_picker.py).
    "registry:household_search": Case(LIST, "officer", query={"q": "van"},
                                      shows=(HOUSEHOLD_OF_A,), hides=(HOUSEHOLD_OF_B,),
                                      forbidden=(*SEES_NO_REGISTER, *READS_THE_REGISTER_ONLY)),
    "api:child_list": Case(LIST, "officer", shows=(CHILD_OF_A,), hides=(CHILD_OF_B,),
                           forbidden=SEES_NO_REGISTER),
    # Names never travel in URLs: the search is posted.
    "api:child_search": Case(LIST, "officer", method="post", data={"q": "nguyen"},
                             shows=(CHILD_OF_A,), hides=(CHILD_OF_B,),
                             forbidden=SEES_NO_REGISTER),
    "registry:duplicate_list": Case(LIST, "officer", shows=(CHILD_OF_A,), hides=(CHILD_OF_B,),
                                    forbidden=DECIDES_NO_PAIR),
    "registry:merge_list": Case(LIST, "admin", shows=(MERGE_OF_A,), hides=(MERGE_OF_C,),
                                forbidden=MERGES_NOTHING),
    "cases:notification_list": Case(LIST, "officer", shows=("Phường Thục Phán",),
                                    hides=("Xã Hòa An",), forbidden=RECEIVES_NOTHING),
    "cases:case_list": Case(LIST, "officer", shows=(CHILD_OF_A,), hides=(CHILD_OF_B,),
                            forbidden=SEES_NO_CASE),
    # The intake form's picker: "a" is in every commune's name; only those the officer may
    # send a notification to are offered (treem/cases/tests/test_intake_form.py).
    "cases:commune_search": Case(LIST, "officer", query={"q": "a"},
                                 shows=("Phường Thục Phán",), hides=COMMUNES_OUTSIDE_A,
                                 forbidden=RECEIVES_NOTHING),
    "api:notification_list": Case(LIST, "officer", shows=(REPORT_OF_A,), hides=(REPORT_OF_B,),
                                  forbidden=RECEIVES_NOTHING),
    "api:case_statistics": Case(LIST, "officer", query={"start": "2026-01-01",
                                                         "end": "2026-12-31"},
                                shows=('"Nam"',), hides=('"Nữ"',),
                                forbidden=("admin", "intake", "collaborator", "sector_focal")),
    "api:case_list": Case(LIST, "officer", shows=('"01273"',), hides=('"01279"',),
                          forbidden=SEES_NO_CASE),
    # Counts only: commune A's one case is a boy's; commune B's girl is never counted for A.
    "cases:statistics": Case(LIST, "officer", shows=("Theo giới tính", "Nam"), hides=("Nữ",),
                             forbidden=("admin", "intake", "collaborator", "sector_focal")),
    # The workbook (compressed) is read back in treem/cases/tests/test_statistics.py.
    # The workbook (compressed) is read back in treem/cases/tests/test_facts_and_lists.py.
    "cases:case_export": Case(LIST, "officer", method="post",
                              data={"reason": "Rà soát cuối năm"}, hides=(CHILD_OF_B,),
                              forbidden=SEES_NO_CASE),
    "cases:statistics_export": Case(LIST, "officer", method="post",
                                    data={"start": "2026-01-01", "end": "2026-12-31",
                                          "reason": "Báo cáo định kỳ 6 tháng"},
                                    hides=("Nữ",),
                                    forbidden=("admin", "intake", "collaborator",
                                               "sector_focal")),
    # The days off are national data, read by every administrator and changed only by a
    # nation-wide one (treem/cases/tests/test_calendar_keeping.py); unverified years never show.
    "cases:calendar": Case(LIST, "admin", shows=("Tết Âm lịch",), hides=("Đinh Mùi",),
                           forbidden=("officer", "province_officer", "auditor", "intake",
                                      "collaborator")),
    "api:duplicate_list": Case(LIST, "officer", shows=(PAIR_OF_A,), hides=(PAIR_OF_B,),
                               forbidden=DECIDES_NO_PAIR),
    "api:merge_list": Case(LIST, "admin", shows=(MERGE_OF_A,), hides=(MERGE_OF_C,),
                           forbidden=MERGES_NOTHING),
    # The commune is a query parameter: commune B's figures never show for commune A (the
    # outsider asking for commune A gets 404: treem/indicators/tests/test_entry_pages.py).
    "api:figure_list": Case(LIST, "officer", query={"unit": "01273", "period": "2026S1"},
                            shows=(FIGURE_OF_A,), hides=(FIGURE_OF_B,),
                            forbidden=READS_NO_INDICATORS),
}
SCOPE_CASES.update(FUND_CASES)  # the fund's rows (treem/web/tests/scope_fund.py)
SCOPE_CASES.update(PRIVACY_CASES)  # personal-data protection's (scope_privacy.py)
SCOPE_CASES.update(RETENTION_CASES)  # retention and extracts (scope_privacy_retention.py)
SCOPE_CASES.update(POPULATION_CASES)  # treem/web/tests/scope_privacy_population.py
SCOPE_CASES.update(PRIVACY_ALERTS_CASES)  # alerts and breaches (scope_privacy_alerts.py)
SCOPE_CASES.update(CONSENT_CASES)  # consents on the child's page (scope_consent.py)
SCOPE_CASES.update(OFFLINE_CASES)  # the collaborators' offline app (scope_offline.py)


# --- The world the cases run in -----------------------------------------------------------------

@dataclass
class World:
    """The shared tree and personas, plus objects the rows refer to by attribute."""

    tree: Tree
    personas: Personas
    village_b: Unit                 # a village of commune B
    other_officer: User             # commune officer of the other province (officer_c)
    roleless: User                  # signed in with a second factor, but no active role
    officer_token: ApiToken
    outsider_token: ApiToken
    revocable_assignment: RoleAssignment  # the chairman's second role, in commune A
    other_assignment: RoleAssignment      # officer_c's role, in the other province
    child_a: Child
    child_b: Child
    household_a: Household
    household_b: Household
    caregiver_a: Caregiver              # of child_a
    caregiver_b: Caregiver
    risk_a: ChildRisk                   # an open risk of child_a, from 2024
    risk_b: ChildRisk
    import_job_a: ImportJob             # a checked Excel import in commune A, ready to commit
    import_job_b: ImportJob
    pair_a: DuplicatePair               # child_a and a second record of it, in commune A
    pair_b: DuplicatePair
    merge_a: ChildMerge                 # a third record of child_a merged into it
    merge_c: ChildMerge                 # a merge in the other province
    notification_a: Notification        # a hotline report for commune A, opened as case_a
    notification_b: Notification
    fresh_notification_a: Notification  # another report for commune A, not opened yet
    case_a: CaseRecord                  # child_a's case, handled by officer_a
    case_b: CaseRecord
    separation_a: Protection            # a running temporary separation in case_a
    separation_b: Protection
    referral_a: Referral                # an accepted referral of case_a
    referral_b: Referral
    police_referral_a: Referral         # a referral of case_a to the police, not answered yet
    colleague_a: User                   # a second officer of commune A, on no case
    indicator_a: Indicator              # a national indicator (children of the commune)
    indicator_c: Indicator              # an indicator of a set owned by the other province
    report_a: Report                    # commune A's submitted 6-month report
    report_b: Report
    report_c: Report                    # a report of the other province
    assessment_a: Assessment            # an initial assessment of case_a
    assessment_b: Assessment
    plan_a: Plan                        # a draft plan of case_a
    plan_b: Plan
    figure_a: SectorFigure              # a police count of commune A for 2026S1
    figure_b: SectorFigure
    entry_a: dict[str, str]             # the entry page's POST for commune A, 2026S1, as read
    local_plan_a: LocalPlan             # commune A's own plan (with a task)
    local_plan_b: LocalPlan             # commune B's
    local_plan_c: LocalPlan             # the other province's
    local_task_a: LocalTask             # the task of commune A's plan
    local_task_b: LocalTask
    local_task_c: LocalTask             # of the other province's plan
    local_progress_a: LocalProgress     # the police's report of local_task_a, with a PDF
    local_progress_b: LocalProgress
    local_evidence_a: LocalEvidence
    local_evidence_b: LocalEvidence
    local_document_a: Any                    # the signed PDF of commune A's plan
    local_document_b: Any
    local_attachment_a: LocalImplementation  # commune A's plan's report attached to report_a
    local_attachment_b: LocalImplementation
    activity_a: LocalActivity               # commune A's children's forum (report not sent)
    activity_b: LocalActivity
    training_a: LocalActivity               # a training in commune A, with a trainee
    training_b: LocalActivity
    attendee_a: LocalAttendee
    attendee_b: LocalAttendee
    recommendation_a: LocalRecommendation   # of activity_a, given to commune A's police
    recommendation_b: LocalRecommendation
    recommendation_c: LocalRecommendation   # of the other province's forum
    activity_file_a: LocalActivityFile      # a PDF of activity_a
    activity_file_b: LocalActivityFile
    named_a: LocalNamedChild                # a delegate of commune A named in activity_a
    named_b: LocalNamedChild
    cfc_a: ChildFriendly                    # commune A's child-friendly self-assessment, 2025
    cfc_b: ChildFriendly
    cfc_c: ChildFriendly                    # the other province's
    fund: FundWorld                         # the fund's records (scope_fund.py)
    privacy: PrivacyWorld                   # the privacy app's (scope_privacy.py)
    retention: RetentionWorld               # retention and extracts (scope_privacy_retention.py)
    population: PopulationWorld             # scope_privacy_population.py
    privacy_alerts: AlertsWorld             # alerts and breaches (scope_privacy_alerts.py)
    consent: ConsentWorld                   # consents of child_a and child_b (scope_consent.py)
    offline: OfflineWorld                   # phones and operations (scope_offline.py)
    unlock_secret: str = "lien-ket-khong-co"  # an unlock link's secret (the page is the same)
    history_kind: str = "risk"          # the kind of history row in the URLs of the register
    protection_kind: str = "measure"    # an emergency measure, in the URL of its form
    assessment_kind: str = "initial"    # an initial assessment, in the URL of its form
    report_period: str = "2026S1"       # the period of the local plans' progress reports

    def user(self, name: str) -> User:
        return getattr(self.personas, name, None) or attrgetter(name)(self)

    def resolve(self, dotted: str) -> str:
        return str(attrgetter(dotted)(self))



@pytest.fixture
def world(tree: Tree, personas: Personas) -> World:
    """The world, made for one test (the API's contract tests and the fund's use it)."""
    return build_world(tree, personas)


# The scope cases only read the world and roll back what they write, so this module makes it
# once (per xdist worker) inside a transaction that each test's own transaction nests in, as a
# savepoint rolled back after it (Django's setUpTestData): 3,500 cases built it each anew.
_SHARED: dict[str, Any] = {}


@pytest.fixture(scope="module")
def _module_world(django_db_setup: None, django_db_blocker: Any,
                  tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    media = tmp_path_factory.mktemp("scope-files")
    with (django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch,
          override_settings(MEDIA_ROOT=media)):
        # conftest's quick_argon2, for the personas made here.
        patch.setattr(Argon2PasswordHasher, "time_cost", 1)
        patch.setattr(Argon2PasswordHasher, "memory_cost", 8)
        patch.setattr(Argon2PasswordHasher, "parallelism", 1)
        outer = transaction.atomic()
        outer.__enter__()
        try:
            tree = make_tree()
            _SHARED["media"] = media
            yield build_world(tree, make_personas(tree))
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            cache.clear()


@pytest.fixture
def shared_world(_module_world: World, db: None, settings: Any) -> World:
    settings.MEDIA_ROOT = _SHARED["media"]  # where the world's files were written
    return _module_world


def build_world(tree: Tree, personas: Personas) -> World:
    other_officer = make_user("officer_c", role=Role.COMMUNE_OFFICER, unit=tree.commune_c)
    child_a = make_child(commune=tree.commune_a, full_name=CHILD_OF_A)
    child_b = make_child(commune=tree.commune_b, full_name=CHILD_OF_B, sex="f")
    village_b = make_unit(parent=tree.commune_b, level=Level.VILLAGE, code="01279-001",
                          name="Bản Giang", kind="Bản")
    made = World(
        tree=tree,
        personas=personas,
        village_b=village_b,
        other_officer=other_officer,
        roleless=make_user("no_role"),
        officer_token=token_create(user=personas.officer, name="Khóa của officer_a", days=30)[0],
        outsider_token=token_create(user=personas.outsider, name="Khóa của officer_b", days=30)[0],
        revocable_assignment=RoleAssignment.objects.create(
            user=personas.chairman, role=Role.COMMUNE_OFFICER, unit=tree.commune_a),
        other_assignment=RoleAssignment.objects.get(user=other_officer),
        child_a=child_a,
        child_b=child_b,
        household_a=make_household(commune=tree.commune_a, head_name=HOUSEHOLD_OF_A),
        household_b=make_household(commune=tree.commune_b, head_name=HOUSEHOLD_OF_B),
        caregiver_a=make_caregiver(child=child_a),
        caregiver_b=make_caregiver(child=child_b),
        risk_a=make_risk(child=child_a, start_date=datetime.date(2024, 1, 1)),
        risk_b=make_risk(child=child_b, start_date=datetime.date(2024, 1, 1)),
        import_job_a=_checked_import(personas.officer, tree.commune_a),
        import_job_b=_checked_import(personas.outsider, tree.commune_b),
        pair_a=_pair(child_a, "Nguyễn Văn Ann", PAIR_OF_A),
        pair_b=_pair(child_b, "Nguyễn Thị Binh", PAIR_OF_B),
        merge_a=_merge(personas.officer, child_a, MERGE_OF_A),
        merge_c=_merge(other_officer,
                       make_child(commune=tree.commune_c, full_name="Trần Văn Cường"),
                       MERGE_OF_C),
        **_cases(personas, tree, child_a, child_b),
        **_indicators(tree),
        **_reports(personas, tree, other_officer),
        **_figures(personas, tree),
        **(plans := _local_plans(personas, tree)),
        **_activities(personas, tree, other_officer, plans),
        **_child_friendly(personas, tree, other_officer),
        fund=fund_world(tree, personas, child_a, child_b),
        privacy=privacy_world(tree, personas, child_a, child_b, other_officer),
        retention=retention_world(tree, personas),
        population=population_world(tree, personas),
        privacy_alerts=alerts_world(tree, personas),
        consent=consent_world(personas, child_a, child_b),
        offline=offline_world(tree, personas, village_b),
    )
    # Last, so that they are on the first page of the audit lists.
    event_record(actor=None, action=Action.DATA_LOADED, unit=tree.commune_a,
                 reason=EVENT_OF_COMMUNE_A)
    event_record(actor=None, action=Action.DATA_LOADED, unit=tree.commune_c,
                 reason=EVENT_OF_OTHER_PROVINCE)
    event_record(actor=None, action=Action.DATA_LOADED, reason=EVENT_OF_NATION)
    return made


def _child_friendly(personas: Personas, tree: Tree, other_officer: User) -> dict[str, Any]:
    child_friendly_loading.load_shipped()
    return {f"cfc_{x}": child_friendly_services.assessment_start(
        actor=by, unit=unit, year=2025)
        for x, unit, by in (("a", tree.commune_a, personas.officer),
                            ("b", tree.commune_b, personas.outsider),
                            ("c", tree.commune_c, other_officer))}


def _activities(personas: Personas, tree: Tree, other_officer: User,
                plans: dict[str, Any]) -> dict[str, Any]:
    """A children's forum (with a recommendation to the commune's police and a file) and a
    training (with a trainee) in communes A and B; a forum in the other province."""
    day = datetime.date(2026, 6, 1)
    made: dict[str, Any] = {}
    for x, unit, by in (("a", tree.commune_a, personas.officer),
                        ("b", tree.commune_b, personas.outsider),
                        ("c", tree.commune_c, other_officer)):
        forum = activity_services.activity_create(
            actor=by, unit=unit, type=LocalActivityType.objects.get(code="children-forum"),
            title=ACTIVITY_OF % unit.name, start_date=day, end_date=day,
            forum_level="commune", children=20, girls=11)
        made[f"recommendation_{x}"] = recommendation_services.recommendation_add(
            actor=by, activity=forum, text=f"Kiến nghị của trẻ em {unit.name}",
            agency=plans[f"local_task_{x}"].lead)
        if x == "c":
            continue
        training = activity_services.activity_create(
            actor=by, unit=unit, type=LocalActivityType.objects.get(code="training"),
            title=f"Tập huấn ở {unit.name}", start_date=day, end_date=day, adults=1)
        made[f"activity_{x}"], made[f"training_{x}"] = forum, training
        made[f"attendee_{x}"] = trainee_services.attendee_add(
            actor=by, activity=training, name=f"Học viên của {unit.name}")
        made[f"activity_file_{x}"] = activity_services.activity_file_add(
            actor=by, activity=forum, data=b"%PDF-1.4 bao cao", name="bao-cao.pdf",
            kind="minutes")
        made[f"named_{x}"] = named_children.named_add(
            actor=by, activity=forum, reason="Đại biểu dự diễn đàn cấp tỉnh",
            child_id=make_consenting_child(commune=unit, full_name=DELEGATE_OF[x]).public_id)
    return made


def _local_plans(personas: Personas, tree: Tree) -> dict[str, Any]:
    def plan(unit: Unit) -> LocalPlan:
        made = make_local_plan(unit, f"Kế hoạch năm 2026 của {unit.name}")
        make_task(made, make_agency(unit, f"Công an {unit.name}"),
                  text=f"Nhiệm vụ của Công an {unit.name}")
        return made

    plans = {"local_plan_a": plan(tree.commune_a), "local_plan_b": plan(tree.commune_b),
             "local_plan_c": plan(tree.commune_c)}
    # The province's police reports for commune A's police (its focal point).
    police_a = plans["local_plan_a"].tasks.get().lead
    focal_point_add(actor=personas.province_officer, agency=police_a,
                    user=personas.sector_focal)
    tasks = {"local_task_a": plans["local_plan_a"].tasks.get(),
             "local_task_b": plans["local_plan_b"].tasks.get(),
             "local_task_c": plans["local_plan_c"].tasks.get()}

    def progress(task: LocalTask, by: User) -> LocalProgress:
        return LocalProgress.objects.create(task=task, agency=task.lead, period="2026S1",
                                            status="in_progress", percent_done=10,
                                            done_text="Đã tuyên truyền", reported_by=by)

    a: dict[str, Any] = {"progress": progress(tasks["local_task_a"], personas.sector_focal)}
    a["evidence"] = evidence_add(actor=personas.sector_focal, progress=a["progress"],
                                 data=b"%PDF-1.4 bien ban", name="bb.pdf")
    b: dict[str, Any] = {"progress": progress(tasks["local_task_b"], personas.outsider)}
    b["evidence"] = LocalEvidence.objects.create(
        progress=b["progress"], file="plans/evidence/b.pdf", name="b.pdf",
        content_type="application/pdf", size=1, uploaded_by=personas.outsider)
    # The implementation reports attached to the 6-month reports (`_reports`, made before).
    attached = {f"local_attachment_{x}": LocalImplementation.objects.create(
        plan=plans[f"local_plan_{x}"], period="2026S1",
        content=assemble(user=by, plan=plans[f"local_plan_{x}"], period="2026S1").content(),
        report=Report.objects.get(unit=unit, period="2026S1"), attached_by=by)
        for x, unit, by in (("a", tree.commune_a, personas.officer),
                            ("b", tree.commune_b, personas.outsider))}
    documents = {
        "local_document_a": attachment_add(actor=personas.officer, plan=plans["local_plan_a"],
                                           data=b"%PDF-1.4 ke hoach", name="kh.pdf"),
        "local_document_b": PlanAttachment.objects.create(
            plan=plans["local_plan_b"], title="Văn bản b", file="plans/documents/b.pdf",
            name="b.pdf", content_type="application/pdf", size=1, uploaded_by=personas.outsider)}
    return {**plans, **tasks, **documents,
            "local_progress_a": a["progress"], "local_progress_b": b["progress"],
            "local_evidence_a": a["evidence"], "local_evidence_b": b["evidence"], **attached}


def _reports(personas: Personas, tree: Tree, other_officer: User) -> dict[str, Any]:
    schedule = Schedule.objects.create(code="test-6m", name="Báo cáo 6 tháng",
                                       period_kind="half",
                                       due={"commune": {"S1": "05-15", "S2": "11-10"}})

    def report(unit: Unit, by: User) -> Report:
        return Report.objects.create(schedule=schedule, unit=unit, unit_path=unit.path,
                                     period="2026S1", status="submitted",
                                     due_on=datetime.date(2026, 5, 15),
                                     results=f"Kết quả của {unit.name}", created_by=by)

    return {"report_a": report(tree.commune_a, personas.officer),
            "report_b": report(tree.commune_b, personas.outsider),
            "report_c": report(tree.commune_c, other_officer)}


def _indicators(tree: Tree) -> dict[str, Any]:
    def one(code: str, name: str, owner: Unit | None) -> Indicator:
        indicator_set = IndicatorSet.objects.create(
            code=code, name=name, owner=owner, owner_path=owner.path if owner else "")
        indicator = Indicator.objects.create(indicator_set=indicator_set, code="X1")
        IndicatorVersion.objects.create(indicator=indicator, number=1, name=name,
                                        unit_kind="count", source="computed",
                                        spec={"numerator": {"population": "children"}})
        return indicator

    national = one("national", "Trẻ em của xã", None)
    for unit in (tree.commune_a, tree.commune_c):
        Target.objects.create(indicator=national, unit=unit, year=2030, value=5,
                              direction="at_most")
    return {"indicator_a": national,
            "indicator_c": one("ha-noi", "Chỉ tiêu của Hà Nội", tree.other_province)}


def _figures(personas: Personas, tree: Tree) -> dict[str, Any]:
    police = load_entered()["CA1"]
    figures = {"figure_a": make_figure(version=police, unit=tree.commune_a, period="2026S1",
                                       numerator=5, comment=FIGURE_OF_A, by=personas.officer),
               "figure_b": make_figure(version=police, unit=tree.commune_b, period="2026S1",
                                       numerator=6, comment=FIGURE_OF_B, by=personas.outsider)}
    # Every form of the page says the revision it was read at (nothing else changed).
    versions = entry_versions(user=personas.officer, unit=tree.commune_a)
    read = revisions(versions, unit=tree.commune_a, period="2026S1")
    return {**figures, "entry_a": {"unit": str(tree.commune_a.public_id), "period": "2026S1",
                                   **{f"v{pk}-revision": str(n) for pk, n in read.items()}}}


def _cases(personas: Personas, tree: Tree, child_a: Child, child_b: Child) -> dict[str, Any]:
    def report(commune: Unit, text: str) -> Notification:
        return notification_record(actor=personas.intake, commune=commune,
                                   channel="hotline_111",
                                   received_at=datetime.datetime(2026, 3, 2, 8, tzinfo=datetime.UTC),
                                   place="family", description=text, forms=["violence"])

    def separation(case: CaseRecord) -> Protection:
        taken = datetime.datetime(2026, 3, 2, 12, tzinfo=datetime.UTC)
        return Protection.objects.create(case=case, kind="separation", taken_at=taken,
                                         description="Cách ly", care_place="Nhà bà ngoại",
                                         until=taken + datetime.timedelta(days=7),
                                         decided_by=personas.chairman)

    def referral(case: CaseRecord, by: User) -> Referral:
        return Referral.objects.create(case=case, service="health", sector="health",
                                       organisation="Trạm y tế", status="accepted",
                                       due_on=datetime.date(2026, 3, 9), created_by=by)

    def assessment(case: CaseRecord) -> Assessment:
        return Assessment.objects.create(case=case, kind="initial",
                                         done_on=datetime.date(2026, 3, 2),
                                         ratings={"harm": "low", "risk": "low"},
                                         conclusion="safe", done_by=case.created_by)

    a, b = report(tree.commune_a, REPORT_OF_A), report(tree.commune_b, REPORT_OF_B)
    case_a = case_open(actor=personas.officer, notification=a, child=child_a)
    case_b = case_open(actor=personas.outsider, notification=b, child=child_b)
    case_a.workers.add(personas.chairman)  # also an officer of commune A: a second worker
    return {"notification_a": a, "notification_b": b,
            "fresh_notification_a": report(tree.commune_a, REPORT_OF_A),
            "case_a": case_a, "case_b": case_b,
            "separation_a": separation(case_a), "separation_b": separation(case_b),
            "referral_a": referral(case_a, personas.officer),
            "referral_b": referral(case_b, personas.outsider),
            "police_referral_a": Referral.objects.create(
                case=case_a, service="police", sector="police", organisation="Công an tỉnh",
                due_on=datetime.date(2026, 3, 9), created_by=personas.officer),
            "colleague_a": make_user("officer_a2", role=Role.COMMUNE_OFFICER,
                                     unit=tree.commune_a),
            "assessment_a": assessment(case_a), "assessment_b": assessment(case_b),
            "plan_a": Plan.objects.create(case=case_a, goal="An toàn", created_by=personas.officer),
            "plan_b": Plan.objects.create(case=case_b, goal="An toàn",
                                          created_by=personas.outsider)}


def _pair(child: Child, second_name: str, marker: str) -> DuplicatePair:
    second = make_child(commune=child.commune, full_name=second_name, sex=child.sex)
    return DuplicatePair.objects.create(child_a=child, child_b=second,
                                        province_code=child.province_code, score=12.0,
                                        evidence={"name": marker},
                                        found_at=datetime.datetime.now(datetime.UTC))


def _merge(user: User, kept: Child, reason: str) -> ChildMerge:
    merged = make_child(commune=kept.commune, full_name=kept.full_name, sex=kept.sex,
                        merged_into=kept)
    return ChildMerge.objects.create(kept=kept, merged=merged, unit_path=kept.unit_path,
                                     province_code=kept.province_code, reason=reason,
                                     merged_at=datetime.datetime.now(datetime.UTC),
                                     merged_by=user)


def _checked_import(user: User, commune: Unit) -> ImportJob:
    # The commit only starts the background work (after the request's transaction commits,
    # which a test's transaction never does): the rows staged here are never read.
    return ImportJob.objects.create(created_by=user, commune=commune, unit_path=commune.path,
                                    province_code=commune.province_code,
                                    status=ImportJob.Status.VALIDATED, total_rows=1,
                                    valid_rows=1)


# --- Making the calls ---------------------------------------------------------------------------

def is_api(name: str) -> bool:
    return name.startswith("api:")


def vias_of(name: str, case: Case) -> tuple[str, ...]:
    return case.vias if is_api(name) else ("session",)


def client_as(world: World, persona: str | None, via: str = "session") -> Client:
    if persona is None:
        return Client()
    user = world.user(persona)
    if via == "token":
        _token, raw = token_create(user=user, name="scope test", days=1)
        return Client(headers={"Authorization": f"Bearer {raw}"})
    return login(Client(), user)


def resolved(world: World, data: Mapping[str, Any] | Ref | None) -> dict[str, Any]:
    """A form or body with the world's values; a Ref for the whole of it: a form built with
    the world (the revisions the entry page read)."""
    if isinstance(data, Ref):
        return dict(attrgetter(data.dotted)(world))
    def value_of(value: Any) -> Any:
        if isinstance(value, Ref):
            return world.resolve(value.dotted)
        if isinstance(value, list):  # several ids chosen (checkboxes, a list in a body)
            return [value_of(item) for item in value]
        return value

    return {key: value_of(value) for key, value in (data or {}).items()}


def call(client: Client, world: World, name: str, case: Case, *, outside: bool = False
         ) -> "Response":
    args = case.outside_args if outside and case.outside_args is not None else case.args
    data = case.outside_data if outside and case.outside_data is not None else case.data
    url = reverse(name, args=[world.resolve(arg) for arg in args])
    if case.method == "get":
        return client.get(url, dict(case.query or {}), headers=case.headers)
    values = resolved(world, data)
    send = getattr(client, case.method)
    if is_api(name):
        return send(url, values, content_type="application/json", headers=case.headers)
    return send(url, values)


def text_of(response: "Response") -> str:
    if getattr(response, "streaming", False):  # a file read from the disk (evidence)
        return b"".join(response.streaming_content).decode(errors="replace")  # type: ignore[attr-defined]
    if response.content and response.get("Content-Type", "").startswith("application/json"):
        # JSON escapes non-ASCII letters; compare against the decoded document.
        return json.dumps(response.json(), ensure_ascii=False)
    # A download (the import template's .xlsx) is not text; its bytes are compared as they are.
    return response.content.decode(errors="replace")


def is_login_redirect(response: "Response") -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login"))


def params(predicate: Any, *, per_via: bool = True, per_forbidden: bool = False) -> list[Any]:
    found = []
    for name, case in SCOPE_CASES.items():
        if not predicate(case):
            continue
        for via in vias_of(name, case) if per_via else ("session",):
            ids = [name] + ([via] if per_via and is_api(name) else [])
            if per_forbidden:
                found += [pytest.param(name, via, persona, id="-".join([*ids, persona]))
                          for persona in case.forbidden]
            else:
                found.append(pytest.param(name, via, id="-".join(ids)))
    return found


class ScopeCaseTests:
    @pytest.mark.parametrize(("name", "via"), params(lambda c: c.kind is PUBLIC, per_via=False))
    def test_a_public_url_answers_without_sign_in(self, shared_world: World, name: str, via: str) -> None:
        case, world = SCOPE_CASES[name], shared_world
        response = call(client_as(world, None), world, name, case)
        assert response.status_code == case.status, text_of(response)[:500]
        assert not is_login_redirect(response)

    @pytest.mark.parametrize(("name", "via"), params(lambda c: c.kind is not PUBLIC))
    def test_the_actor_gets_its_answer_inside_its_scope(self, shared_world: World, name: str,
                                                        via: str) -> None:
        case, world = SCOPE_CASES[name], shared_world
        response = call(client_as(world, case.actor, via), world, name, case)
        assert response.status_code == case.status, text_of(response)[:500]
        assert is_login_redirect(response) is case.signs_out
        text = text_of(response)
        for shown in case.shows:
            assert shown in text, f"{name}: {shown!r} missing"
        for hidden in case.hides:
            assert hidden not in text, f"{name} shows {hidden!r}, outside the actor's scope"

    @pytest.mark.parametrize(("name", "via"), params(lambda c: c.has_outside))
    def test_an_object_outside_the_actors_scope_is_not_found(self, shared_world: World, name: str,
                                                             via: str) -> None:
        case, world = SCOPE_CASES[name], shared_world
        client = client_as(world, case.actor, via)
        events = AuditEvent.objects.count()
        response = call(client, world, name, case, outside=True)
        assert response.status_code == case.outside_status, text_of(response)[:500]
        # Every write records an audit event, so none means nothing was changed.
        assert AuditEvent.objects.count() == events

    @pytest.mark.parametrize(("name", "via", "persona"),
                             params(lambda c: bool(c.forbidden), per_forbidden=True))
    def test_a_persona_without_the_capability_is_forbidden(self, shared_world: World, name: str,
                                                           via: str, persona: str) -> None:
        case, world = SCOPE_CASES[name], shared_world
        client = client_as(world, persona, via)
        events = AuditEvent.objects.count()
        response = call(client, world, name, case)
        assert response.status_code == 403, text_of(response)[:500]
        assert AuditEvent.objects.count() == events

    @pytest.mark.parametrize(("name", "via"),
                             params(lambda c: c.kind is not PUBLIC, per_via=False))
    def test_an_anonymous_visitor_is_refused(self, shared_world: World, name: str, via: str) -> None:
        case, world = SCOPE_CASES[name], shared_world
        events = AuditEvent.objects.count()
        response = call(client_as(world, None), world, name, case)
        if is_api(name):
            assert response.status_code == 401
        else:
            assert is_login_redirect(response), response.status_code
        assert AuditEvent.objects.count() == events


# --- The guard: every URL has a row -------------------------------------------------------------

def _is_excluded(namespace: tuple[str, ...], pattern: URLPattern) -> bool:
    callback = pattern.callback
    module = getattr(callback, "__module__", "") or ""
    # Serving of static and media files (django.views.static.serve, staticfiles' serve) is only
    # mounted in development and shows no data of any scope.
    if module in ("django.views.static", "django.contrib.staticfiles.views"):
        return True
    # Django's own admin, if ever mounted, has its own staff permissions and is not a treem view.
    return namespace[:1] == ("admin",)


def walk(resolver: URLResolver | None = None,
         namespace: tuple[str, ...] = ()) -> Iterator[tuple[str, URLPattern]]:
    """Every URL pattern as ("namespace:name", pattern), "<unnamed …>" for one without a name."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern, namespace + ((pattern.namespace,) if pattern.namespace else ()))
        elif not _is_excluded(namespace, pattern):
            yield ":".join((*namespace, pattern.name or f"<unnamed {pattern.pattern}>")), pattern


def url_names() -> list[str]:
    return [name for name, _pattern in walk()]


# What django-ninja adds to every API besides its operations.
NINJA_BUILTINS = {"api:openapi-json", "api:openapi-view", "api:api-root"}


class ScopeCoverageTests:
    def test_every_url_and_api_operation_is_covered(self) -> None:
        missing = sorted(set(url_names()) - set(SCOPE_CASES))
        assert not missing, (
            f"URLs without a scope case: {missing}. Add a row to SCOPE_CASES in {__file__}.")

    def test_every_row_names_an_existing_url(self) -> None:
        stale = sorted(set(SCOPE_CASES) - set(url_names()))
        assert not stale, f"SCOPE_CASES rows for URLs that no longer exist: {stale}"

    def test_no_two_urls_share_a_name(self) -> None:
        # A row is keyed by name: two views under one name would leave one of them untested.
        names = list(url_names())
        assert sorted({n for n in names if names.count(n) > 1}) == []

    def test_every_api_operation_has_a_url_name_of_its_own(self) -> None:
        # The walk sees API operations through their URL names; the OpenAPI schema lists the
        # operations themselves. One name per operation means none hides behind another.
        from treem.api import api

        operations = [
            operation["operationId"]
            for path in api.get_openapi_schema()["paths"].values()
            for operation in path.values()
        ]
        names = {name.removeprefix("api:") for name in set(url_names()) - NINJA_BUILTINS
                 if is_api(name)}
        assert len(operations) == len(names)
        unnamed = [op for op in operations if op not in names]
        assert unnamed == []

    def test_every_row_is_complete_for_its_kind(self) -> None:
        incomplete = []
        for name, case in SCOPE_CASES.items():
            if case.kind is PUBLIC and case.actor is not None:
                incomplete.append(f"{name}: a public row names no actor")
            if case.kind is not PUBLIC and case.actor is None:
                incomplete.append(f"{name}: needs an actor")
            if case.kind is OBJECT and not case.has_outside:
                incomplete.append(f"{name}: a scoped object needs an outside object")
            if case.kind is LIST and not case.hides:
                incomplete.append(f"{name}: a scoped list needs items it must hide")
        assert incomplete == []

    def test_every_capability_gated_view_has_a_forbidden_persona(self) -> None:
        # A view behind require_capability must be shown to refuse someone (rows missing
        # altogether are reported by the coverage test above).
        unrefused = [
            name for name, pattern in walk()
            if getattr(pattern.callback, "required_capability", None)
            and name in SCOPE_CASES and not SCOPE_CASES[name].forbidden
        ]
        assert unrefused == []

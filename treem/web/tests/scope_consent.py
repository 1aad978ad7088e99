"""The consent rows of the scope-coverage test (treem/registry/consent), and the records they
call.

`consent_world` gives `child_a` and `child_b` of the world each a consent to being named in an
activity, with its signed form; rows name them as "consent.<attribute>"."""

import datetime
from dataclasses import dataclass

from treem.registry.models import Child, ChildConsent
from treem.registry.tests.factories import make_consent
from treem.testing import Personas
from treem.web.tests.scope_rows import OBJECT, Case

# Only one side's consents carry these, for the rows' `shows` and `hides`.
REPRESENTATIVE_A = "Nguyễn Thị Mẹ An"
REPRESENTATIVE_B = "Nguyễn Văn Bố Bình"
GIVEN_ON = datetime.date(2025, 1, 10)
# Roles that read the register but change nothing in it (403 on a write), and roles that see
# no register at all (403 everywhere).
READS_ONLY = ("auditor", "province_officer")
SEES_NOTHING = ("admin", "intake")
WITHDRAWAL = {"withdrawn_on": "2025-02-01", "note": "Mẹ của trẻ rút lại"}


@dataclass
class ConsentWorld:
    consent_a: ChildConsent   # child_a's, recorded by officer_a
    consent_b: ChildConsent   # child_b's, recorded by officer_b


def consent_world(personas: Personas, child_a: Child, child_b: Child) -> ConsentWorld:
    return ConsentWorld(
        consent_a=make_consent(child=child_a, by=personas.officer, given_on=GIVEN_ON,
                               representative_name=REPRESENTATIVE_A),
        consent_b=make_consent(child=child_b, by=personas.outsider, given_on=GIVEN_ON,
                               representative_name=REPRESENTATIVE_B, relation="father"))


CONSENT_CASES: dict[str, Case] = {
    # --- pages (treem/registry/urls.py, the child's page) -------------------------------------
    # Posted without the signed form: back to the child's page, which says why (files:
    # treem/registry/tests/test_consent_pages.py).
    "registry:consent_record": Case(OBJECT, "officer", method="post", status=302,
                                    data={"purpose": "named_in_activity",
                                          "representative_name": "Nguyễn Thị Hoa",
                                          "relation": "mother", "given_on": "10/01/2025"},
                                    args=("child_a.public_id",),
                                    outside_args=("child_b.public_id",),
                                    forbidden=READS_ONLY + SEES_NOTHING),
    "registry:consent_withdraw": Case(OBJECT, "officer", method="post", status=302,
                                      data={"withdrawn_on": "01/02/2025", "base_version": "1",
                                            "withdrawal_note": "Mẹ của trẻ rút lại"},
                                      args=("consent.consent_a.public_id",),
                                      outside_args=("consent.consent_b.public_id",),
                                      forbidden=READS_ONLY + SEES_NOTHING),
    "registry:consent_form": Case(OBJECT, "officer", args=("consent.consent_a.public_id",),
                                  outside_args=("consent.consent_b.public_id",),
                                  forbidden=SEES_NOTHING, shows=("%PDF",)),
    # --- API (treem/registry/consent/api.py) --------------------------------------------------
    "api:consent_list": Case(OBJECT, "officer", args=("child_a.public_id",),
                             outside_args=("child_b.public_id",), forbidden=SEES_NOTHING,
                             shows=(REPRESENTATIVE_A,), hides=(REPRESENTATIVE_B,)),
    # Called without the form (a JSON body): the answer asks for the fields (files:
    # test_consent_pages.py).
    "api:consent_create": Case(OBJECT, "officer", method="post", status=422,
                               args=("child_a.public_id",), outside_args=("child_b.public_id",),
                               forbidden=READS_ONLY + SEES_NOTHING),
    "api:consent_detail": Case(OBJECT, "officer", args=("consent.consent_a.public_id",),
                               outside_args=("consent.consent_b.public_id",),
                               forbidden=SEES_NOTHING, shows=(REPRESENTATIVE_A,)),
    "api:consent_withdraw": Case(OBJECT, "officer", method="post", data=WITHDRAWAL,
                                 headers={"If-Match": '"1"'},
                                 args=("consent.consent_a.public_id",),
                                 outside_args=("consent.consent_b.public_id",),
                                 forbidden=READS_ONLY + SEES_NOTHING, shows=("2025-02-01",)),
    "api:consent_form": Case(OBJECT, "officer", args=("consent.consent_a.public_id",),
                             outside_args=("consent.consent_b.public_id",),
                             forbidden=SEES_NOTHING, shows=("%PDF",)),
}

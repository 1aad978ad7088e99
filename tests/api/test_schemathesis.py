"""The API against its own OpenAPI document, with schemathesis on a live server.

Django's live test server (pytest-django's `live_server`) serves the personas' world (the scope
test's: two communes of a province, another province, a child, a case, a referral… in each);
schemathesis reads the document the server publishes (/api/v1/openapi.json), generates valid
and invalid input for every operation (its examples, coverage and fuzzing phases: boundaries,
wrong types, missing and extra fields, NUL bytes, huge numbers, odd Unicode) and runs every
check on each answer: no server error, every status and content type documented, every body
matching its schema, invalid input refused, valid input accepted, authentication not ignored,
undocumented methods answered 405. The configuration (tests/api/schemathesis.toml) says why any
check is narrowed.

Each case is sent with the token of a commune officer or of a province officer (half each):
one keeps the register and the cases of commune A, the other reads the province. Path
parameters are, half of the time, the id of a real object of the world (the other half stays
random: not found), so that valid input reaches real rows and the writes run.
"""

import hashlib
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.db import connection
from schemathesis.config import SchemathesisConfig

from treem.accounts.services import token_create
from treem.audit import triggers
from treem.testing import load_migration_data
from treem.web.tests.test_scope_coverage import World

CONFIG = Path(__file__).with_name("schemathesis.toml")
OPENAPI = "/api/v1/openapi.json"

# A path parameter's name → the world's object of the actor (dotted, as the scope test reads it).
REAL_IDS = {
    "fund_id": "fund.fund.public_id",
    "donor_id": "fund.donor_a.public_id",
    "journal_id": "fund.journal_a.public_id",
    "need_id": "fund.need_a.public_id",
    "allocation_id": "fund.allocation_a.public_id",
    "delivery_id": "fund.delivery_a.public_id",
    "proof_id": "fund.proof_a.public_id",
    "unit_id": "tree.commune_a.public_id",
    "commune_id": "tree.commune_a.public_id",
    "province_id": "tree.province.public_id",
    "child_id": "child_a.public_id",
    "notification_id": "fresh_notification_a.public_id",
    "case_id": "case_a.public_id",
    "worker_id": "personas.chairman.public_id",
    "protection_id": "separation_a.public_id",
    "referral_id": "referral_a.public_id",
    "assessment_id": "assessment_a.public_id",
    "plan_id": "plan_a.public_id",
    "pair_id": "pair_a.public_id",
    "merge_id": "merge_a.public_id",
    "job_id": "import_job_a.public_id",
    "report_id": "report_a.public_id",
    "activity_id": "activity_a.public_id",
    "recommendation_id": "recommendation_a.public_id",
}


@pytest.fixture(autouse=True)
def live_db(transactional_db: None) -> Iterator[None]:
    """A committed database the live server reads, emptied after the test (as the browser
    journeys': the append-only triggers of the audit trail are removed just before the flush,
    and the catalogues the migrations load are loaded again after an earlier flush)."""
    triggers.install(connection)
    load_migration_data()
    yield
    triggers.remove(connection)


@pytest.fixture
def api_schema(request: pytest.FixtureRequest, live_server: Any, world: World) -> Any:
    # schemathesis 4.32 names each operation's subtest through Node._nodeid, which pytest 9
    # no longer has (it keeps the id elsewhere): give it the attribute it reads and writes.
    request.node._nodeid = request.node.nodeid
    config = SchemathesisConfig.from_path(CONFIG)
    return schemathesis.openapi.from_url(f"{live_server.url}{OPENAPI}", config=config)


schema = schemathesis.pytest.from_fixture("api_schema")
PERSONAS = ("officer", "province_officer")
# The fund's ledger is written by its manager only: its operations are sent half of the time
# with the manager's token instead, so that valid input reaches the ledger's writes.
FUND_PERSONAS = ("fund.manager", "province_officer")


def _bearer(world: World, persona: str) -> dict[str, str]:
    _token, raw = token_create(user=world.user(persona), name="schemathesis", days=1)
    return {"Authorization": f"Bearer {raw}"}


def _digest(value: Any) -> int:
    return hashlib.sha256(repr(value).encode()).digest()[0]


def _use_real_ids(case: Any, world: World) -> None:
    """Half of the generated ids (chosen by their value, so the run stays reproducible) become
    the id of a real object: a random UUID only ever finds nothing."""
    for name, value in (case.path_parameters or {}).items():
        dotted = REAL_IDS.get(name)
        if dotted is None or not isinstance(value, str):
            continue
        try:
            uuid.UUID(value)
        except ValueError:
            continue  # invalid on purpose (negative data): kept
        if _digest(value) % 2 == 0:
            case.path_parameters[name] = world.resolve(dotted)


@pytest.fixture
def tokens(world: World) -> dict[str, dict[str, str]]:
    return {persona: _bearer(world, persona) for persona in {*PERSONAS, *FUND_PERSONAS}}


@schema.parametrize()
def test_the_api_keeps_its_contract(case: Any, world: World,
                                    tokens: dict[str, dict[str, str]]) -> None:
    # Each case is sent with the token of one of the two personas (chosen by its content, so
    # that the run is reproducible): every operation is exercised by both, in one run.
    personas = FUND_PERSONAS if "/funds" in case.operation.label else PERSONAS
    persona = personas[_digest((case.path_parameters, case.query, case.body)) % 2]
    _use_real_ids(case, world)
    headers = tokens[persona]
    if case.operation.label.endswith("/auth/revoke"):
        # Revoking the token of the run would leave every later call unauthenticated.
        headers = _bearer(world, persona)
    case.call_and_validate(headers=headers)

"""Whatever a phone sends as an operation's payload, sync answers a result (applied, conflict,
held or invalid) and keeps the operation: never an error of the server, never a lost
operation."""

import datetime
import uuid
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from treem.offline import devices
from treem.offline.models import Operation, OperationKind, OperationStatus
from treem.offline.sync import Incoming, sync
from treem.registry.tests.factories import make_child
from treem.testing import Personas, Tree

pytestmark = pytest.mark.django_db

KEYS = ["village", "household", "full_name", "sex", "birth_date", "ethnicity",
        "birth_registered", "school_level", "school_status", "living_arrangement", "child",
        "base_version", "base", "changes", "moved_on", "commune", "place", "description",
        "child_description", "happened_on", "forms", "urgent", "head_name", "address",
        "confirm_new", "health_insurance", "death_date", "death_cause"]
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-2**40, 2**40),
                    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=40),
                    st.sampled_from(["01273-001", "2019-03-02", "2999-01-01", "f", "in_school",
                                     "op:" + str(uuid.uuid4()), "01279", "family"]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3),
    st.dictionaries(st.sampled_from(KEYS), inner, max_size=4)), max_leaves=6)
# As the API lets them through: JSON without NaN or Infinity (test_api checks the refusal).
PAYLOADS = st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=8)
SETTLED = set(OperationStatus.values)


@settings(max_examples=120, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(kind=st.sampled_from(OperationKind.values), payload=PAYLOADS)
def test_any_payload_gets_a_result_and_is_kept(tree: Tree, personas: Personas, kind: str,
                                               payload: dict[str, Any]) -> None:
    device = devices.device_enrol(user=personas.collaborator, device_id=uuid.uuid4())[0]
    child = make_child(commune=tree.commune_a, village=tree.village_a)
    if "child" in payload and payload["child"] == "known":
        payload["child"] = str(child.public_id)
    operation_id = uuid.uuid4()
    [result] = sync(user=personas.collaborator, device=device, operations=[Incoming(
        id=operation_id, kind=kind, payload=payload,
        recorded_at=timezone.now() - datetime.timedelta(minutes=5))])
    assert result["status"] in SETTLED
    assert Operation.objects.filter(pk=operation_id).exists()


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(changes=st.dictionaries(st.sampled_from(KEYS), VALUES, min_size=1, max_size=4),
       base=st.one_of(st.none(), st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=4)),
       version=st.one_of(st.integers(-3, 5), st.text(max_size=3), st.none()))
def test_any_update_of_a_known_child_gets_a_result(tree: Tree, personas: Personas,
                                                   changes: dict[str, Any], base: Any,
                                                   version: Any) -> None:
    device = devices.device_enrol(user=personas.collaborator, device_id=uuid.uuid4())[0]
    child = make_child(commune=tree.commune_a, village=tree.village_a)
    [result] = sync(user=personas.collaborator, device=device, operations=[Incoming(
        id=uuid.uuid4(), kind=OperationKind.CHILD_UPDATE,
        payload={"child": str(child.public_id), "base_version": version, "changes": changes,
                 "base": base},
        recorded_at=timezone.now())])
    assert result["status"] in SETTLED

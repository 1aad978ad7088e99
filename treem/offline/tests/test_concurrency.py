"""The same operation sent twice at once (a phone retrying while its first request still runs),
in two real transactions on PostgreSQL: the child is registered once, and both requests answer
the same result."""

import datetime
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from treem import testing
from treem.offline import devices, sync
from treem.offline.models import Operation
from treem.registry import services as registry
from treem.registry.models import Child
from treem.testing import Personas, Tree

AT_ONCE = testing.at_once_marker()


@AT_ONCE
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("committed")
def test_one_operation_sent_twice_at_once_registers_the_child_once(
        tree: Tree, personas: Personas, monkeypatch: pytest.MonkeyPatch) -> None:
    device = devices.device_enrol(user=personas.collaborator, device_id=uuid.uuid4())[0]
    sent = sync.Incoming(id=uuid.uuid4(), kind="child_register",
                         recorded_at=timezone.now() - datetime.timedelta(hours=1),
                         payload={"village": tree.village_a.code, "full_name": "Lò Thị Mai",
                                  "sex": "f", "birth_date": "2019-03-02", "ethnicity": "01",
                                  "confirm_new": True})

    def send() -> Callable[[], Any]:
        return lambda: sync.sync(user=type(personas.collaborator).objects.get(
            pk=personas.collaborator.pk), device=device, operations=[sent])

    # Both reach the register's write before either has written the operation.
    results = testing.at_once({"first": send(), "second": send()},
                              meet=(registry, "child_register"), monkeypatch=monkeypatch)
    first, second = results["first"], results["second"]
    assert isinstance(first, list) and isinstance(second, list), results
    assert first[0]["status"] == second[0]["status"] == "applied"
    assert first[0]["record"]["id"] == second[0]["record"]["id"]
    assert Child.objects.filter(full_name="Lò Thị Mai").count() == 1
    assert Operation.objects.count() == 1

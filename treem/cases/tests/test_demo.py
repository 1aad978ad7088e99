"""The demo's cases: made through the services, at every step, once."""

import pytest
from django.utils import timezone

from treem.accounts.roles import Role
from treem.cases.demo import DEMO_CASES, setup_demo_cases
from treem.cases.models import Case, Notification
from treem.registry.tests.factories import make_child
from treem.testing import make_user

pytestmark = pytest.mark.django_db


class DemoCaseTests:
    def test_the_demo_commune_gets_cases_at_every_step_once(self, tree) -> None:
        make_user("demo.tongdai", role=Role.INTAKE_OPERATOR, unit=tree.nation)
        make_user("demo.xa", role=Role.COMMUNE_OFFICER, unit=tree.commune_a)
        make_user("demo.chutich", role=Role.COMMUNE_LEADER, unit=tree.commune_a)
        for number in range(30):
            make_child(commune=tree.commune_a, full_name=f"Trẻ Số {number}")
        assert setup_demo_cases() == DEMO_CASES
        statuses = set(Case.objects.values_list("status", flat=True))
        assert {"received", "verifying", "assessing", "planning", "awaiting_approval",
                "in_progress", "closed"} <= statuses
        # The commune's home opens on a call to 111 about a child in danger now.
        fresh = Notification.objects.filter(case__isnull=True, urgent=True).get()
        assert fresh.deadlines.get().due_at > timezone.now()
        assert setup_demo_cases() == DEMO_CASES  # a second `make run` adds nothing
        assert Notification.objects.filter(case__isnull=True).count() == 2

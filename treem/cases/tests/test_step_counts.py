"""The open cases of a unit by step and by where their limits stand, for the dashboard's chart:
one query, counts without names, a finished or cancelled limit never overdue, and nothing for
a user who may not read the unit's case statistics."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from treem.cases import selectors, services
from treem.cases.charting import step_chart
from treem.cases.choices import Status
from treem.cases.models import CaseDeadline
from treem.cases.tests.test_services import _notify
from treem.registry.tests.factories import make_child

pytestmark = pytest.mark.django_db


def _case(personas, commune, *, hours_ago: float, urgent: bool = True):
    child = make_child(commune=commune, full_name=f"Trẻ {hours_ago}")
    notification = _notify(personas.intake, commune, urgent=urgent,
                           received_at=timezone.now() - datetime.timedelta(hours=hours_ago))
    return services.case_open(actor=personas.officer if commune.code == "01273"
                              else personas.outsider, notification=notification, child=child)


def _by_status(counts) -> dict[str, tuple[int, int, int, int]]:
    return {c.status: (c.overdue, c.soon, c.running, c.none) for c in counts if c.total}


class StepCountTests:
    def test_open_cases_by_step_and_deadline_state_in_one_query(self, tree, personas) -> None:
        late = _case(personas, tree.commune_a, hours_ago=13)   # 12-hour limit run out
        _case(personas, tree.commune_a, hours_ago=1)           # 11 hours left: due soon
        _case(personas, tree.commune_a, hours_ago=1, urgent=False)  # no limit running
        _case(personas, tree.commune_b, hours_ago=13)          # another commune, overdue
        now = timezone.now()
        with CaptureQueriesContext(connection) as queries:
            province = selectors.case_counts_by_step(user=personas.province_officer,
                                                     unit=tree.province, now=now)
        assert len([q for q in queries.captured_queries
                    if "cases_case" in q["sql"]]) == 1
        assert _by_status(province) == {Status.RECEIVED: (2, 1, 0, 1)}
        commune = selectors.case_counts_by_step(user=personas.officer, unit=tree.commune_a,
                                                now=now)
        assert _by_status(commune) == {Status.RECEIVED: (1, 1, 0, 1)}
        # A limit met is no longer overdue: the case counts as without a running limit.
        CaseDeadline.objects.filter(case=late).update(met_at=now)
        again = selectors.case_counts_by_step(user=personas.officer, unit=tree.commune_a,
                                              now=now)
        assert _by_status(again) == {Status.RECEIVED: (0, 1, 0, 2)}

    def test_nothing_for_a_user_outside_the_units_statistics(self, tree, personas) -> None:
        _case(personas, tree.commune_a, hours_ago=13)
        assert selectors.case_counts_by_step(user=personas.outsider, unit=tree.commune_a,
                                             now=timezone.now()) is None
        assert selectors.case_counts_by_step(user=personas.officer, unit=tree.province,
                                             now=timezone.now()) is None

    def test_the_chart_shows_the_steps_with_open_cases(self, tree, personas) -> None:
        _case(personas, tree.commune_a, hours_ago=13)
        chart = step_chart(selectors.case_counts_by_step(
            user=personas.officer, unit=tree.commune_a, now=timezone.now()) or [])
        assert chart is not None and "<script" not in chart.svg
        assert [list(r) for r in chart.rows] == [["Đã tiếp nhận", "1", "0", "0", "0", "1"]]
        assert step_chart([]) is None

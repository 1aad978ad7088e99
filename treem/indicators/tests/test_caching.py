"""The dashboards' kept values: served again without computing, named by what was computed,
dropped when a sector's figures change, computed again on request (not twice a minute), and
never read by a report."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from treem.indicators import caching, services
from treem.indicators import values as values_module
from treem.indicators.periods import parse, window
from treem.indicators.tests.factories import load_entered
from treem.registry.tests.factories import make_child
from treem.reports import services as reports
from treem.reports.models import Schedule
from treem.testing import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def computations(monkeypatch) -> list[str]:
    """The periods `indicator_values` computed, in order."""
    done: list[str] = []
    real = values_module.indicator_values

    def counted(versions, period, scope):
        done.append(period.code)
        return real(versions, period, scope)

    monkeypatch.setattr(caching, "indicator_values", counted)
    return done


@pytest.fixture
def v(tree):
    return load_entered()


def _total(computed, version, unit) -> int | None:
    cell = computed.values.get((version.pk, unit.pk, ""))
    return None if cell is None else cell.numerator


class CachedValuesTests:
    def test_the_second_call_is_served_from_what_was_kept(self, tree, v,
                                                          computations) -> None:
        make_child(commune=tree.commune_a)
        first = caching.cached_values([v["TE1"]], parse("2026S1"), tree.province)
        make_child(commune=tree.commune_a, full_name="Trẻ mới")  # not seen until computed again
        again = caching.cached_values([v["TE1"]], parse("2026S1"), tree.province)
        assert computations == ["2026S1"]
        assert _total(again, v["TE1"], tree.province) == _total(first, v["TE1"],
                                                                tree.province) == 1
        assert again.at == first.at

    def test_another_period_unit_definition_or_window_is_computed_apart(
            self, tree, v, computations) -> None:
        caching.cached_values([v["TE1"]], parse("2026S1"), tree.province)
        caching.cached_values([v["TE1"]], parse("2026S2"), tree.province)
        caching.cached_values([v["TE1"]], parse("2026S1"), tree.commune_a)
        caching.cached_values([v["TE1"], v["CA1"]], parse("2026S1"), tree.province)
        caching.cached_values([v["TE1"]], window(parse("2026S1"), "nd09"), tree.province)
        assert len(computations) == 5

    def test_fresh_computes_again_but_not_twice_within_a_minute(self, tree, v, computations,
                                                                monkeypatch) -> None:
        caching.cached_values([v["TE1"]], parse("2026S1"), tree.province)
        make_child(commune=tree.commune_a)
        soon = caching.cached_values([v["TE1"]], parse("2026S1"), tree.province, fresh=True)
        assert computations == ["2026S1"] and _total(soon, v["TE1"], tree.province) is None
        later = timezone.now() + datetime.timedelta(minutes=2)
        monkeypatch.setattr(caching.timezone, "now", lambda: later)
        fresh = caching.cached_values([v["TE1"]], parse("2026S1"), tree.province, fresh=True)
        assert computations == ["2026S1", "2026S1"]
        assert _total(fresh, v["TE1"], tree.province) == 1

    def test_a_sectors_saved_figures_drop_the_provinces_kept_values(
            self, tree, personas, v, computations, django_capture_on_commit_callbacks) -> None:
        before = caching.cached_values([v["CA1"]], parse("2026S1"), tree.province)
        assert _total(before, v["CA1"], tree.province) is None
        with django_capture_on_commit_callbacks(execute=True):
            services.figures_save(actor=personas.officer, unit=tree.commune_a,
                                  period="2026S1", version=v["CA1"], rows=[{"numerator": 4}])
        after = caching.cached_values([v["CA1"]], parse("2026S1"), tree.province)
        assert _total(after, v["CA1"], tree.province) == 4
        assert computations == ["2026S1", "2026S1"]

    def test_another_provinces_kept_values_stay_the_nations_go(self, tree, v,
                                                               computations) -> None:
        caching.cached_values([v["TE1"]], parse("2026S1"), tree.other_province)
        caching.cached_values([v["TE1"]], parse("2026S1"), tree.nation)
        caching.forget(tree.commune_a)
        caching.cached_values([v["TE1"]], parse("2026S1"), tree.other_province)
        caching.cached_values([v["TE1"]], parse("2026S1"), tree.nation)
        assert computations == ["2026S1", "2026S1", "2026S1"]


class DashboardPageTests:
    def test_the_page_says_when_its_values_were_computed_and_computes_again_on_request(
            self, tree, personas, v, computations, monkeypatch) -> None:
        client = login(Client(), personas.province_officer)
        url = f"/indicators/?unit={tree.province.public_id}&period=2026S1"
        page = client.get(url).content.decode()
        assert "Số liệu tính lúc" in page and "Tính lại ngay" in page
        client.get(url)
        assert computations == ["2026S1", "2025S2"]  # the period and the one before, once
        later = timezone.now() + datetime.timedelta(minutes=2)
        monkeypatch.setattr(caching.timezone, "now", lambda: later)
        response = client.post(url)
        assert response.status_code == 302 and response["Location"] == url
        assert computations == ["2026S1", "2025S2", "2026S1", "2025S2"]

    def test_a_request_to_compute_another_communes_values_is_404(self, tree, personas, v,
                                                                 computations) -> None:
        client = login(Client(), personas.outsider)
        response = client.post(f"/indicators/?unit={tree.commune_a.public_id}&period=2026S1")
        assert response.status_code == 404 and computations == []

    def test_the_indicator_page_keeps_its_values_too(self, tree, personas, v,
                                                      computations) -> None:
        client = login(Client(), personas.province_officer)
        url = (f"/indicators/{v['TE1'].indicator.public_id}/?unit={tree.province.public_id}"
               "&period=2026S1")
        assert "Số liệu tính lúc" in client.get(url).content.decode()
        client.get(url)
        # The period once (its trend's last point shares it), and the three before it.
        assert computations == ["2026S1", "2025S2", "2025S1", "2024S2"]


class ReportsReadNoKeptValuesTests:
    def test_a_submitted_report_counts_what_is_there_when_it_is_sent(
            self, tree, personas, v, computations) -> None:
        schedule = Schedule.objects.create(code="t", name="t", period_kind="half",
                                           due={"commune": {"S1": "05-15"}})
        schedule.indicator_sets.add(v["TE1"].indicator.indicator_set)
        caching.cached_values([v["TE1"]], parse("2026S1"), tree.commune_a)  # kept: 0 children
        make_child(commune=tree.commune_a)
        report = reports.report_open(actor=personas.officer, schedule=schedule,
                                     unit=tree.commune_a, period="2026S1")
        reports.report_write(actor=personas.officer, report=report, results="Rà soát",
                             difficulties="", proposals="")
        reports.report_submit(actor=personas.officer, report=report)
        frozen = report.values.get(indicator_version=v["TE1"], breakdown="")
        assert frozen.numerator == 1

"""The periodic reports of generated provinces: every commune's half-year report sent with its
figures frozen and approved by the province, once, through the services the pages use."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from treem.cases.synthetic import nation
from treem.cases.tests.test_nation import make_nation
from treem.geo.models import Level, Unit
from treem.indicators.catalogue import load_file, national_files
from treem.registry.models import ChildResidence, years_before
from treem.registry.tests.factories import make_child, make_circumstance, relocate
from treem.reports.figures import computed_together, report_figures
from treem.reports.loading import load_schedules
from treem.reports.models import Report, ReportEvent, ReportValue, Schedule, Status
from treem.reports.synthetic import HALF_YEAR, send_nation_reports

pytestmark = pytest.mark.django_db

CODES = ("04", "91")


@pytest.fixture
def generated() -> None:
    make_nation()
    nation.generate_nation(province_codes=CODES, children=200, seed=3, jobs=1,
                           per_thousand=20.0)
    for path in national_files():  # the plans' sets need their units, not made here
        load_file(path)


@pytest.mark.usefixtures("generated")
def test_every_commune_sends_its_half_year_and_the_province_approves_it() -> None:
    results = send_nation_reports(province_codes=CODES, period="2026S1")

    communes = Unit.objects.current().filter(level=Level.COMMUNE, province_code__in=CODES)
    reports = Report.objects.filter(schedule__code=HALF_YEAR, period="2026S1")
    assert [(r.code, r.sent) for r in results] == [("04", 4), ("91", 4)]
    assert sorted(reports.values_list("unit_id", flat=True)) == sorted(
        communes.values_list("pk", flat=True))
    assert set(reports.values_list("status", flat=True)) == {Status.APPROVED}
    for report in reports:
        assert list(ReportEvent.objects.filter(report=report).order_by("at", "pk")
                    .values_list("to_status", flat=True)) == [
            Status.DRAFT, Status.SUBMITTED, Status.APPROVED]
        assert ReportValue.objects.filter(report=report, unit=report.unit).exists()
        assert report.results and report.data_until is not None
    # The children counted in a commune's report are the generated children living there on
    # the last day of its data, alive and under 16.
    for report in reports:
        day = report.data_until
        living = (ChildResidence.objects.on(day).filter(unit_path__startswith=report.unit.path)
                  .filter(child__merged_into__isnull=True,
                          child__birth_date__gt=years_before(day, 16),
                          child__birth_date__lte=day)
                  .exclude(child__death_date__lte=day))
        counted = ReportValue.objects.get(report=report, unit=report.unit, breakdown="",
                                          indicator_version__indicator__code="I.01")
        assert counted.numerator == living.count() > 0

    # Again: every commune has its report, nothing more is sent.
    again = send_nation_reports(province_codes=CODES, period="2026S1")
    assert [r.sent for r in again] == [0, 0]
    assert reports.count() == communes.count()


@pytest.mark.usefixtures("generated")
def test_the_command_reports_each_province_and_refuses_a_bad_period() -> None:
    out = StringIO()
    call_command("generate_reports", "--province", "04", "--period", "2026S1", "--jobs", "1",
                 stdout=out)
    assert "04: 4 reports sent and approved" in out.getvalue()
    with pytest.raises(CommandError, match="not a half-year"):
        call_command("generate_reports", "--province", "04", "--period", "2026")
    with pytest.raises(CommandError):
        call_command("generate_reports", "--provinces", "0")


@pytest.mark.parametrize("period", ["2025S1", "2025S2", "2026S1"])
def test_communes_computed_together_have_the_figures_each_has_alone(tree, period) -> None:
    """`figures.computed_together`: one computation over the province gives each commune the
    cells its own would, before the merger of July 2025 (a dissolved commune's children, in
    its successor's report), after it, and for a child who left for another province."""
    for path in national_files():
        load_file(path)
    load_schedules(national_only=True)
    merged = make_child(commune=tree.old_commune, birth_date=datetime.date(2016, 4, 1))
    relocate(merged, commune=tree.commune_a, on=datetime.date(2025, 7, 1))
    left = make_child(commune=tree.commune_b, birth_date=datetime.date(2021, 2, 1), sex="f")
    make_circumstance(child=left, code="a", start_date=datetime.date(2024, 1, 1))
    relocate(left, commune=tree.commune_c, on=datetime.date(2026, 1, 1))
    make_child(commune=tree.commune_b, birth_date=datetime.date(2025, 3, 3))
    make_child(commune=tree.commune_a, village=tree.village_a, birth_date=datetime.date(2012, 8, 8),
               sex="f")
    schedule = Schedule.objects.get(code=HALF_YEAR)
    reports = [Report(schedule=schedule, unit=commune, unit_path=commune.path, period=period)
               for commune in (tree.commune_a, tree.commune_b)]
    alone = [report_figures(report) for report in reports]
    with computed_together(tree.province):
        together = [report_figures(report) for report in reports]
    assert [f.rows for f in together] == [f.rows for f in alone]
    assert [f.fingerprint for f in together] == [f.fingerprint for f in alone]
    counted = [{key: value for key, value in f.rows.items() if key[2] == "" and value[0]}
               for f in alone]
    assert all(counted)  # something counted in each commune, so the comparison means something

"""The counts of the periodic reports: by breakdown, within the scope, never names."""

import datetime

import pytest
from django.test import Client

from treem.cases import services, statistics
from treem.cases.choices import AbuseForm, Perpetrator, Place
from treem.cases.models import Case
from treem.cases.tests.test_services import LOCAL, _notify
from treem.registry.tests.factories import make_child
from treem.testing import login

pytestmark = pytest.mark.django_db

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)


def _case(personas, commune, officer, *, name, sex="f", born=datetime.date(2015, 6, 1),
          forms=(AbuseForm.VIOLENCE,), place=Place.FAMILY, received=None) -> Case:
    child = make_child(commune=commune, full_name=name, sex=sex, birth_date=born)
    received = received or datetime.datetime(2026, 3, 2, 9, tzinfo=LOCAL)
    return services.case_open(actor=officer, child=child, notification=_notify(
        personas.intake, commune, forms=list(forms), place=place, received_at=received))


@pytest.fixture
def cases(tree, personas):
    a = [_case(personas, tree.commune_a, personas.officer, name="Lý Thị Mai"),
         _case(personas, tree.commune_a, personas.officer, name="Lý Văn Páo", sex="m",
               born=datetime.date(2020, 3, 3), forms=(AbuseForm.SEXUAL_ABUSE,
                                                       AbuseForm.VIOLENCE),
               place=Place.COMMUNITY),
         # Received the day before its child turns 11: still in the 6–10 group.
         _case(personas, tree.commune_a, personas.officer, name="Hoàng Thị Hoa",
               born=datetime.date(2015, 3, 3),
               received=datetime.datetime(2026, 3, 2, 23, tzinfo=LOCAL))]
    Case.objects.filter(pk=a[0].pk).update(perpetrator=Perpetrator.PARENT)
    _case(personas, tree.commune_b, personas.outsider, name="Vi Thị Nga")
    # Outside the period.
    _case(personas, tree.commune_a, personas.officer, name="Nông Văn Tú",
          received=datetime.datetime(2025, 12, 31, 22, tzinfo=LOCAL))
    return a


def _counts(user, by: str) -> dict[str, int]:
    paths = user.scope_paths(capability="view_case_statistics")
    return dict(statistics.case_counts(paths=paths, start=START, end=END, by=by))


class CaseCountTests:
    def test_each_breakdown_within_the_communes_scope(self, cases, personas) -> None:
        officer = personas.officer
        assert _counts(officer, "form") == {"Bạo lực": 3, "Xâm hại tình dục": 1}
        assert _counts(officer, "place") == {"Gia đình": 2, "Cộng đồng": 1}
        assert _counts(officer, "sex") == {"Nữ": 2, "Nam": 1}
        assert _counts(officer, "age_group") == {"6–10": 2, "0–5": 1}
        assert _counts(officer, "perpetrator") == {"Cha, mẹ": 1, "—": 2}
        assert _counts(officer, "status") == {"Đã tiếp nhận": 3}

    def test_the_province_counts_its_communes(self, cases, personas) -> None:
        assert sum(_counts(personas.province_officer, "sex").values()) == 4
        assert sum(_counts(personas.outsider, "sex").values()) == 1

    def test_deaths_by_injury_in_the_period(self, tree, personas) -> None:
        make_child(commune=tree.commune_a, full_name="A", death_date=datetime.date(2026, 6, 1),
                   death_cause="drowning")
        make_child(commune=tree.commune_a, full_name="B", death_date=datetime.date(2026, 7, 1),
                   death_cause="drowning")
        make_child(commune=tree.commune_a, full_name="C", death_date=datetime.date(2026, 7, 1),
                   death_cause="illness")
        make_child(commune=tree.commune_b, full_name="D", death_date=datetime.date(2026, 7, 1),
                   death_cause="traffic")
        paths = personas.officer.scope_paths(capability="view_case_statistics")
        assert statistics.injury_deaths(paths=paths, start=START, end=END) == [("Đuối nước", 2)]


class StatisticsPageTests:
    def test_the_page_counts_and_the_export_is_audited(self, cases, personas) -> None:
        import io

        from django.test import Client
        from django.urls import reverse
        from openpyxl import load_workbook

        from treem.audit.models import Action, AuditEvent
        from treem.testing import login

        client = login(Client(), personas.province_officer)
        page = client.get(reverse("cases:statistics"),
                          {"start": "2026-01-01", "end": "2026-12-31"}).content.decode()
        assert "Theo hình thức xâm hại" in page and "Lý Thị Mai" not in page
        bad = client.get(reverse("cases:statistics"), {"start": "2026-12-31", "end": "2026-01-01"})
        assert "Ngày kết thúc không được trước ngày bắt đầu." in bad.content.decode()
        refused = client.post(reverse("cases:statistics_export"),
                              {"start": "2026-01-01", "end": "2026-12-31"}, follow=True)
        assert "Hãy ghi lý do xuất số liệu." in refused.content.decode()
        assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()
        response = client.post(reverse("cases:statistics_export"),
                               {"start": "2026-01-01", "end": "2026-12-31",
                                "reason": "Báo cáo 6 tháng gửi UBND tỉnh"})
        book = load_workbook(io.BytesIO(response.content))
        rows = list(book["Theo giới tính"].iter_rows(values_only=True))
        assert ("Nữ", 3) in rows and ("Nam", 1) in rows
        assert AuditEvent.objects.get(action=Action.EXPORT).reason == \
            "Báo cáo 6 tháng gửi UBND tỉnh"

    def test_a_communes_export_counts_only_its_cases(self, cases, personas) -> None:
        import io

        from django.test import Client
        from django.urls import reverse
        from openpyxl import load_workbook

        from treem.testing import login

        response = login(Client(), personas.outsider).post(
            reverse("cases:statistics_export"),
            {"start": "2026-01-01", "end": "2026-12-31", "reason": "Báo cáo định kỳ của xã"})
        rows = list(load_workbook(io.BytesIO(response.content))["Theo giới tính"]
                    .iter_rows(values_only=True))
        assert ("Nữ", 1) in rows and not any(row[0] == "Nam" for row in rows)


class InjuryDeathTests:
    """`injury_deaths` (the reports' table, `/api/v1/case-statistics`) counts what indicator
    CT11b counts: children under 16 on the day they died, of an injury cause, violence
    included (`treem.registry.counting`, the one rule)."""

    BIRTHDAYS = [
        # born, died, counted
        (datetime.date(2010, 3, 15), datetime.date(2026, 3, 14), True),   # the day before 16
        (datetime.date(2010, 3, 15), datetime.date(2026, 3, 15), False),  # the 16th birthday
        (datetime.date(2009, 1, 1), datetime.date(2026, 2, 1), False),    # 17
        (datetime.date(2008, 2, 29), datetime.date(2024, 2, 28), True),   # born 29/02, at 15
        (datetime.date(2008, 2, 29), datetime.date(2024, 2, 29), False),  # 16 on 29/02/2024
    ]

    @pytest.mark.parametrize(("born", "died", "counted"), BIRTHDAYS)
    def test_a_death_counts_by_the_age_on_its_day(self, tree, personas, born, died,
                                                  counted) -> None:
        # Before July 2025 the child lived in the old commune, after it in commune A.
        commune = tree.old_commune if died < datetime.date(2025, 7, 1) else tree.commune_a
        make_child(commune=commune, full_name="A", birth_date=born, death_date=died,
                   death_cause="traffic")
        paths = personas.officer.scope_paths(capability="view_case_statistics")
        found = statistics.injury_deaths(paths=paths, start=datetime.date(died.year, 1, 1),
                                         end=datetime.date(died.year, 12, 31))
        assert found == ([("Tai nạn giao thông", 1)] if counted else [])

    def test_violence_counts_and_illness_does_not_as_in_ct11b(self, tree, personas) -> None:
        import json

        from treem.indicators import periods
        from treem.indicators.catalogue import DATA, current_versions, load_set
        from treem.indicators.values import indicator_values

        born = datetime.date(2014, 5, 5)
        for n, cause in enumerate(("drowning", "traffic", "other_injury", "violence",
                                   "illness", "other")):
            make_child(commune=tree.commune_a, full_name=f"Trẻ {n}", birth_date=born,
                       death_date=datetime.date(2026, 4, 1), death_cause=cause)
        make_child(commune=tree.old_commune, full_name="Trẻ cũ", birth_date=born,
                   death_date=datetime.date(2025, 4, 1), death_cause="violence")
        make_child(commune=tree.commune_b, full_name="Trẻ 17", birth_date=datetime.date(2009, 1, 1),
                   death_date=datetime.date(2026, 4, 1), death_cause="violence")
        response = login(Client(), personas.province_officer).get(
            "/api/v1/case-statistics", {"start": "2026-01-01", "end": "2026-12-31"})
        counted = dict(response.json()["injury_deaths"])
        assert counted == {"Đuối nước": 1, "Tai nạn giao thông": 1,
                           "Tai nạn, thương tích khác": 1, "Bạo lực, xâm hại": 1}
        data = json.loads((DATA / "binh-long-2022-2030.json").read_text(encoding="utf-8"))
        load_set(data, owner=tree.province)
        version = current_versions().get(indicator__code="CT11b")
        cell = indicator_values([version], periods.parse("2026"), tree.province)[
            (version.pk, tree.province.pk, "")]
        assert cell.numerator == sum(counted.values()) == 4
        earlier = login(Client(), personas.province_officer).get(
            "/api/v1/case-statistics", {"start": "2025-01-01", "end": "2025-06-30"}).json()
        assert dict(earlier["injury_deaths"]) == {"Bạo lực, xâm hại": 1}  # the old commune's

"""The counts of the periodic reports: by breakdown, within the scope, never names."""

import datetime

import pytest

from treem.cases import services, statistics
from treem.cases.choices import AbuseForm, Perpetrator, Place
from treem.cases.models import Case
from treem.cases.tests.test_services import LOCAL, _notify
from treem.registry.tests.factories import make_child

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

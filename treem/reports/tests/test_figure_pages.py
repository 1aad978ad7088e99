"""The pages of figures beyond the dashboard: the report list opens on the latest period with
a report of the user's scope, picks periods by label and draws each unit's completeness; the
DHIS2 export picks its period by label; no page of charts carries an inline script."""

import datetime
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from treem.indicators.tests.test_dashboard import catalogue  # noqa: F401 — a fixture
from treem.indicators.tests.test_pickers import options
from treem.reports.models import Report
from treem.reports.tests.test_services import schedule  # noqa: F401 — a fixture
from treem.reports.tests.test_views import _open, _send
from treem.testing import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def december(monkeypatch: pytest.MonkeyPatch) -> datetime.date:
    today = datetime.date(2026, 12, 5)
    monkeypatch.setattr(timezone, "localdate", lambda *a: today)
    return today


class Scripts(HTMLParser):
    """Every <script> of a page: (its src, whether it holds code), and any on…= handler."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[list[Any]] = []
        self.handlers: list[str] = []
        self._open = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.handlers += [name for name, _v in attrs if name.startswith("on")]
        if tag == "script":
            self.scripts.append([dict(attrs).get("src"), False])
            self._open = True

    def handle_data(self, data: str) -> None:
        if self._open and data.strip():
            self.scripts[-1][1] = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._open = False


def assert_no_inline_script(page: str) -> None:
    """The strict CSP (script-src 'self') runs no inline code: none may be there."""
    found = Scripts()
    found.feed(page)
    assert all(src and src.startswith("/static/") and not code
               for src, code in found.scripts), found.scripts
    assert found.handlers == []
    assert "javascript:" not in page


class ReportListTests:
    def test_it_opens_on_the_latest_period_with_a_report_and_offers_labels(
            self, tree, personas, schedule, december) -> None:  # noqa: F811
        officer = login(Client(), personas.officer)
        _open(officer, tree.commune_a, period="2025S2")
        page = officer.get(reverse("reports:report_list")).content.decode()
        # The last ended half is 2026S1, but the only report there is of 2025S2.
        chosen = [(v, t) for _g, v, t, s in options(page, "period") if s]
        assert chosen == [("2025S2", "6 tháng cuối năm 2025")]
        assert "Lập báo cáo 6 tháng cuối năm 2025" in page
        assert not re.search(r'<input[^>]+name="period"[^>]+type="text"', page)
        assert not re.search(r'<input(?![^>]*type="hidden")[^>]+name="period"', page)
        labels = [t for _g, _v, t, _s in options(page, "period")]
        assert "6 tháng đầu năm 2026" in labels and "6 tháng cuối năm 2026" in labels

    def test_without_reports_it_opens_on_the_last_period_ended(
            self, tree, personas, schedule, december) -> None:  # noqa: F811
        page = login(Client(), personas.officer).get(reverse("reports:report_list"))
        assert page.context["period"].code == "2026S1"

    def test_the_province_sees_the_completeness_of_its_communes_drawn(
            self, tree, personas, schedule, december) -> None:  # noqa: F811
        officer = login(Client(), personas.officer)
        report = _open(officer, tree.commune_a)
        _send(officer, report, results="Rà soát")
        province = login(Client(), personas.province_officer)
        page = province.get(reverse("reports:report_list")).content.decode()
        assert Report.objects.get(pk=report.pk).period == "2026S1"
        assert "Báo cáo 6 tháng đầu năm 2026 của các đơn vị trực thuộc" in page
        assert '<svg' in page and 'role="img"' in page
        # The table beside the chart: 1 sent (late: due 15 May, sent in December), 1 missing.
        row = re.search(r'<th scope="row">Tỉnh Cao Bằng</th>(.*?)</tr>', page, re.S)
        assert row is not None
        assert re.findall(r"<td>(\d+)</td>", row.group(1)) == ["0", "1", "1", "2"]
        assert_no_inline_script(page)


class DhisExportPickerTests:
    def test_the_export_period_is_picked_by_label(self, tree, personas, december) -> None:
        page = login(Client(), personas.admin).get(reverse("dhis2:home"), follow=True)
        content = page.content.decode()
        labels = {(v, t, s) for _g, v, t, s in options(content, "period")}
        assert ("2026S1", "6 tháng đầu năm 2026", True) in labels
        assert ("202611", "Tháng 11 năm 2026", False) in labels
        assert not re.search(r'<input[^>]+name="period"', content)


class NoInlineScriptTests:
    def test_the_pages_with_charts_carry_no_inline_script(self, tree, personas, catalogue,  # noqa: F811
                                                         schedule) -> None:  # noqa: F811
        province = login(Client(), personas.province_officer)
        pages = [reverse("indicators:dashboard"),
                 reverse("indicators:indicator", args=[catalogue.public_id]),
                 reverse("reports:report_list")]
        for url in pages:
            response = province.get(url, {"period": "2026S1"})
            content = response.content.decode()
            assert response.status_code == 200 and "<svg" in content, url
            assert_no_inline_script(content)
            assert "script-src 'self'" in response["Content-Security-Policy"]

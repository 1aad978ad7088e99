"""Sending a report freezes its figures for good, so the page shows them first and sends only
the figures the officer confirmed. A draft shows its figures, computed now and marked as not
final. When the figures change between the confirmation page and the click (the register or a
sector's figure edited meanwhile), nothing is sent: the page shows the new figures, says why,
and asks again."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from treem.registry.tests.factories import make_child
from treem.reports import services
from treem.reports.models import Report, ReportValue, Status
from treem.reports.rendering import lines
from treem.reports.tests.test_services import schedule  # noqa: F401 - the fixture
from treem.reports.tests.test_views import _open, _texts
from treem.testing import login

pytestmark = pytest.mark.django_db


def _figures_shown(html: str) -> list[tuple[str, str, str]]:
    """(code, unit, value) of each row of the page's figures table."""
    table = re.search(r'<table class="table[^"]*figures".*?</table>', html, flags=re.S)
    assert table, "no figures table"
    found = []
    for row in re.findall(r"<tr>(.*?)</tr>", table.group(0), flags=re.S)[1:]:
        cells = [" ".join(re.sub(r"<[^>]+>", " ", c).split())
                 for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)]
        found.append((cells[0], cells[2], cells[4]))
    return found


def _frozen(report: Report) -> list[tuple[str, str, str]]:
    """The frozen figures as the report's page shows them once sent."""
    page = login(Client(), report.created_by).get(
        reverse("reports:report_detail", args=[report.public_id])).content.decode()
    return _figures_shown(page)


@pytest.fixture
def draft(tree, personas, schedule) -> Report:  # noqa: F811
    officer = login(Client(), personas.officer)
    report = _open(officer, tree.commune_a)
    officer.post(reverse("reports:report_write", args=[report.public_id]),
                 _texts(report, results="Rà soát 2 trẻ", save="1"))
    return report


def _send_url(report: Report) -> str:
    return reverse("reports:report_send", args=[report.public_id])


class DraftFiguresTests:
    def test_a_draft_shows_its_figures_computed_now_and_marked_not_final(
            self, draft, personas) -> None:
        page = login(Client(), personas.officer).get(
            reverse("reports:report_detail", args=[draft.public_id])).content.decode()
        assert "Số liệu tạm tính, chưa chốt." in page
        assert ("C1", "Phường Thục Phán", "2") in _figures_shown(page)
        assert not ReportValue.objects.filter(report=draft).exists()  # shown, not written
        make_child(commune=draft.unit, full_name="Trẻ A3")
        again = login(Client(), personas.officer).get(
            reverse("reports:report_detail", args=[draft.public_id])).content.decode()
        assert ("C1", "Phường Thục Phán", "3") in _figures_shown(again)

    def test_a_sent_report_shows_its_frozen_figures_unmarked(self, draft, personas) -> None:
        services.report_submit(actor=personas.officer, report=draft)
        make_child(commune=draft.unit, full_name="Trẻ A3")
        page = login(Client(), personas.officer).get(
            reverse("reports:report_detail", args=[draft.public_id])).content.decode()
        assert "Số liệu tạm tính" not in page
        assert ("C1", "Phường Thục Phán", "2") in _figures_shown(page)


class SendConfirmationTests:
    def test_the_send_button_shows_the_figures_and_freezes_nothing(self, draft,
                                                                   personas) -> None:
        officer = login(Client(), personas.officer)
        response = officer.post(reverse("reports:report_write", args=[draft.public_id]),
                                _texts(draft, results="Rà soát 2 trẻ", submit="1"))
        assert response.status_code == 302 and response["Location"] == _send_url(draft)
        draft.refresh_from_db()
        assert draft.status == Status.DRAFT and draft.submitted_at is None
        assert not ReportValue.objects.filter(report=draft).exists()
        page = officer.get(_send_url(draft)).content.decode()
        assert "Xác nhận gửi báo cáo" in page
        assert ("C1", "Phường Thục Phán", "2") in _figures_shown(page)
        draft.refresh_from_db()
        assert draft.status == Status.DRAFT  # reading the page sends nothing

    @pytest.mark.parametrize("posted", [{}, {"figures": ""}, {"figures": "x" * 64},
                                        {"figures": "0" * 65}])
    def test_sending_without_confirming_the_shown_figures_freezes_nothing(
            self, draft, personas, posted) -> None:
        response = login(Client(), personas.officer).post(_send_url(draft), posted)
        assert response.status_code in (302, 409)
        draft.refresh_from_db()
        assert draft.status == Status.DRAFT and draft.data_until is None
        assert not ReportValue.objects.filter(report=draft).exists()

    def test_the_confirmed_figures_are_the_frozen_ones(self, draft, personas) -> None:
        officer = login(Client(), personas.officer)
        shown = officer.get(_send_url(draft))
        figures = _figures_shown(shown.content.decode())
        response = officer.post(_send_url(draft),
                                {"figures": shown.context["form"].initial["figures"]})
        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.status == Status.SUBMITTED
        assert _frozen(draft) == figures
        assert len(lines(draft)) == len(figures) > 0

    def test_figures_changed_since_the_page_are_shown_again_and_not_sent(
            self, draft, personas) -> None:
        officer = login(Client(), personas.officer)
        shown = officer.get(_send_url(draft))
        seen = shown.context["form"].initial["figures"]
        assert ("C1", "Phường Thục Phán", "2") in _figures_shown(shown.content.decode())
        make_child(commune=draft.unit, full_name="Trẻ A3")  # meanwhile, the register changes

        stale = officer.post(_send_url(draft), {"figures": seen})

        assert stale.status_code == 409
        page = stale.content.decode()
        assert "Số liệu đã thay đổi từ khi trang xác nhận được mở" in page
        assert "Báo cáo chưa được gửi" in page
        assert ("C1", "Phường Thục Phán", "3") in _figures_shown(page)
        draft.refresh_from_db()
        assert draft.status == Status.DRAFT
        assert not ReportValue.objects.filter(report=draft).exists()
        # Confirming what is shown now sends exactly that.
        fresh = stale.context["form"].initial["figures"]
        assert fresh != seen
        assert officer.post(_send_url(draft), {"figures": fresh}).status_code == 302
        draft.refresh_from_db()
        assert draft.status == Status.SUBMITTED
        assert _frozen(draft) == _figures_shown(page)

    def test_a_report_that_cannot_go_is_not_offered_for_confirmation(self, tree, personas,
                                                                     schedule) -> None:  # noqa: F811
        officer = login(Client(), personas.officer)
        report = _open(officer, tree.commune_a)  # no results written yet
        response = officer.get(_send_url(report), follow=True)
        assert "Hãy ghi kết quả đạt được trước khi gửi." in response.content.decode()
        assert "Xác nhận gửi báo cáo" not in response.content.decode()

    def test_another_commune_gets_404_and_a_reviewer_403(self, draft, personas) -> None:
        outsider = login(Client(), personas.outsider)
        assert outsider.get(_send_url(draft)).status_code == 404
        assert outsider.post(_send_url(draft), {"figures": "0" * 64}).status_code == 404
        province = login(Client(), personas.province_officer)
        assert province.get(_send_url(draft)).status_code == 403
        draft.refresh_from_db()
        assert draft.status == Status.DRAFT

"""Two officers writing one report: a stale form never silently undoes the other's paragraph
(the version check of `treem.edits.conflicts`)."""

import pytest
from django.test import Client
from django.urls import reverse

from treem.accounts.models import User
from treem.accounts.roles import Role
from treem.audit.models import Action, AuditEvent
from treem.reports.models import Report, Status
from treem.reports.tests.test_services import schedule  # noqa: F401 - the fixture
from treem.reports.tests.test_views import _open
from treem.testing import Personas, Tree, form_data, login, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(tree: Tree) -> User:
    return make_user("officer_a2", role=Role.COMMUNE_OFFICER, unit=tree.commune_a,
                     full_name="Lò Thị Hằng")


def _read(client: Client, report: Report) -> dict[str, str]:
    response = client.get(reverse("reports:report_detail", args=[report.public_id]))
    assert response.status_code == 200
    return form_data(response.content.decode(),
                     action=reverse("reports:report_write", args=[report.public_id]))


class StaleNarrativeTests:
    def test_a_stale_form_that_wrote_another_part_keeps_the_first(
        self, tree: Tree, personas: Personas, colleague: User, schedule: object,  # noqa: F811
    ) -> None:
        first, second = login(Client(), personas.officer), login(Client(), colleague)
        report = _open(first, tree.commune_a)
        write = reverse("reports:report_write", args=[report.public_id])
        mine, theirs = _read(first, report), _read(second, report)

        first.post(write, {**mine, "results": "Rà soát 2 trẻ", "save": "1"})
        response = second.post(write, {**theirs, "difficulties": "Thiếu cán bộ", "save": "1"})

        assert response.status_code == 302
        report.refresh_from_db()
        assert (report.results, report.difficulties) == ("Rà soát 2 trẻ", "Thiếu cán bộ")
        events = AuditEvent.objects.filter(action=Action.UPDATE,
                                           object_id=str(report.public_id)).order_by("id")
        assert [e.changed_fields for e in events][-2:] == [["results"], ["difficulties"]]

    def test_a_stale_change_of_the_same_part_shows_both_and_neither_saves_nor_sends(
        self, tree: Tree, personas: Personas, colleague: User, schedule: object,  # noqa: F811
    ) -> None:
        first, second = login(Client(), personas.officer), login(Client(), colleague)
        report = _open(first, tree.commune_a)
        write = reverse("reports:report_write", args=[report.public_id])
        mine, theirs = _read(first, report), _read(second, report)
        first.post(write, {**mine, "results": "Rà soát 2 trẻ", "save": "1"})

        response = second.post(write, {**theirs, "results": "Rà soát 3 trẻ", "submit": "1"})

        assert response.status_code == 200
        shown = response.content.decode()
        assert "Rà soát 2 trẻ" in shown and "Rà soát 3 trẻ" in shown
        assert "Giá trị do officer_a lưu lúc" in shown
        assert 'name="keep_results"' in shown
        report.refresh_from_db()
        assert (report.results, report.status) == ("Rà soát 2 trẻ", Status.DRAFT)

        again = form_data(shown, action=write)
        assert second.post(write, {**again, "keep_results": "mine",
                                   "save": "1"}).status_code == 302
        report.refresh_from_db()
        assert report.results == "Rà soát 3 trẻ"

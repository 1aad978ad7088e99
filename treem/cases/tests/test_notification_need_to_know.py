"""A notification turned into a case follows the case's need-to-know: whoever gets 404 on the
case gets 404 on its notification, in the list, the page, the receipt form (Mẫu 01) and its
PDF, and the API. A notification not yet turned into a case stays with the commune's officers,
who must act on it within 12 hours. Lists mask the child's name as the case list does."""

import json
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from treem.accounts.models import User
from treem.accounts.roles import Role
from treem.cases import services
from treem.cases.choices import AbuseForm
from treem.cases.models import Case, Notification
from treem.cases.tests.test_services import _notify
from treem.registry.tests.factories import make_child
from treem.testing import Personas, Tree, login, make_user

pytestmark = pytest.mark.django_db

SECRET = "Chi tiết vụ xâm hại số"
CHILD_NAME = "Lường Thị Mơ"


@dataclass
class Intake:
    cases: list[Notification]   # five sexual-abuse notifications of commune A, opened as cases
    fresh: Notification         # a notification of commune A not opened yet
    colleague: User             # a second officer of commune A, on none of the cases


@pytest.fixture
def intake(tree: Tree, personas: Personas) -> Intake:
    opened = []
    for number in range(5):
        child = make_child(commune=tree.commune_a, full_name=f"{CHILD_NAME} {number}")
        notification = _notify(personas.intake, tree.commune_a, forms=[AbuseForm.SEXUAL_ABUSE],
                               description=f"{SECRET} {number}",
                               child_description=f"{CHILD_NAME} {number}, 9 tuổi")
        services.case_open(actor=personas.officer, notification=notification, child=child)
        notification.refresh_from_db()
        opened.append(notification)
    fresh = _notify(personas.intake, tree.commune_a, forms=[AbuseForm.SEXUAL_ABUSE],
                    description="Báo tin mới, chưa mở hồ sơ")
    colleague = make_user("officer_a2", role=Role.COMMUNE_OFFICER, unit=tree.commune_a)
    return Intake(opened, fresh, colleague)


def _as(user: User) -> Client:
    return login(Client(), user)


def _pages(notification: Notification) -> list[str]:
    return [reverse(name, args=[notification.public_id]) for name in
            ("cases:notification_detail", "cases:notification_print", "cases:notification_pdf")]


def _api(client: Client, path: str) -> tuple[int, object]:
    response = client.get(f"/api/v1{path}")
    return response.status_code, response.json() if response.status_code == 200 else None


class UnassignedOfficerTests:
    def test_the_notifications_of_cases_it_does_not_work_on_are_404_everywhere(
        self, intake: Intake
    ) -> None:
        client = _as(intake.colleague)
        for notification in intake.cases:
            case = notification.case
            assert case is not None
            assert client.get(reverse("cases:case_detail",
                                      args=[case.public_id])).status_code == 404
            for url in _pages(notification):
                assert client.get(url).status_code == 404, url
            assert _api(client, f"/notifications/{notification.public_id}")[0] == 404

    def test_its_lists_leave_them_out_but_keep_the_notification_to_act_on(
        self, intake: Intake
    ) -> None:
        client = _as(intake.colleague)
        page = client.get(reverse("cases:notification_list")).content.decode()
        status, listed = _api(client, "/notifications")

        assert status == 200
        ids = {item["id"] for item in listed["items"]}  # type: ignore[index]
        assert ids == {str(intake.fresh.public_id)}
        assert str(intake.fresh.public_id) in page
        for notification in intake.cases:
            assert str(notification.public_id) not in page
        assert SECRET not in page and CHILD_NAME not in page
        assert SECRET not in json.dumps(listed)

    def test_it_still_reads_and_prints_a_notification_not_yet_opened(self, intake: Intake
                                                                     ) -> None:
        client = _as(intake.colleague)

        for url in _pages(intake.fresh)[:2]:
            assert client.get(url).status_code == 200
        assert _api(client, f"/notifications/{intake.fresh.public_id}")[0] == 200

    def test_it_cannot_open_a_case_on_a_notification_already_opened(self, intake: Intake,
                                                                   tree: Tree) -> None:
        child = make_child(commune=tree.commune_a, full_name="Trẻ khác")

        response = _as(intake.colleague).post(
            reverse("cases:case_open", args=[intake.cases[0].public_id]),
            {"child": str(child.public_id)})

        assert response.status_code == 404
        assert Case.objects.count() == 5


class WhoMaySeeTests:
    @pytest.mark.parametrize("who", ["officer", "chairman"])
    def test_the_cases_worker_and_the_chairman_read_every_page(self, intake: Intake,
                                                               personas: Personas,
                                                               who: str) -> None:
        client = _as(getattr(personas, who))
        notification = intake.cases[0]

        for url in _pages(notification):
            assert client.get(url).status_code == 200, url
        status, body = _api(client, f"/notifications/{notification.public_id}")
        assert status == 200 and SECRET in json.dumps(body, ensure_ascii=False)
        status, listed = _api(client, "/notifications")
        assert {item["id"] for item in listed["items"]} == {  # type: ignore[index]
            str(n.public_id) for n in [*intake.cases, intake.fresh]}

    def test_the_list_masks_the_name_of_a_sexually_abused_child(self, intake: Intake,
                                                                personas: Personas) -> None:
        page = _as(personas.officer).get(reverse("cases:notification_list")).content.decode()

        assert CHILD_NAME not in page
        assert page.count("L***") == 5

    def test_an_officer_of_another_commune_gets_404(self, intake: Intake,
                                                    personas: Personas) -> None:
        client = _as(personas.outsider)
        for notification in [*intake.cases, intake.fresh]:
            for url in _pages(notification):
                assert client.get(url).status_code == 404
            assert _api(client, f"/notifications/{notification.public_id}")[0] == 404
        status, listed = _api(client, "/notifications")
        assert status == 200 and listed["items"] == []  # type: ignore[index]
        assert SECRET not in client.get(reverse("cases:notification_list")).content.decode()

    def test_the_province_reads_no_notification(self, intake: Intake,
                                                personas: Personas) -> None:
        client = _as(personas.province_officer)
        for notification in [*intake.cases, intake.fresh]:
            for url in _pages(notification):
                assert client.get(url).status_code in (403, 404)
            assert _api(client, f"/notifications/{notification.public_id}")[0] in (403, 404)
        assert client.get(reverse("cases:notification_list")).status_code == 403
        assert _api(client, "/notifications")[0] == 403

    def test_who_recorded_it_keeps_reading_it(self, intake: Intake,
                                              personas: Personas) -> None:
        # The hotline wrote it: it reads nothing it did not already know, and keeps the
        # reporter's identity, which no one else reads.
        client = _as(personas.intake)

        assert client.get(_pages(intake.cases[0])[0]).status_code == 200
        case = intake.cases[0].case
        assert case is not None
        assert client.get(reverse("cases:case_detail", args=[case.public_id])).status_code == 403

"""Who works on a case: the chairman or a worker adds an officer of the commune, takes one
off, and a case always keeps one. Only workers (and the chairman) see the case."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from treem.accounts.roles import Role
from treem.audit.models import Action, AuditEvent
from treem.cases import selectors, services
from treem.cases.tests.test_services import _notify
from treem.registry.tests.factories import make_child
from treem.testing import login, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(tree, personas):
    child = make_child(commune=tree.commune_a, full_name="Lường Văn Hùng")
    return services.case_open(actor=personas.officer, child=child,
                              notification=_notify(personas.intake, tree.commune_a))


@pytest.fixture
def colleague(tree):
    return make_user("officer_a2", role=Role.COMMUNE_OFFICER, unit=tree.commune_a)


class AssignServiceTests:
    def test_the_chairman_adds_a_colleague_who_then_sees_the_case(self, case, personas,
                                                                  colleague) -> None:
        assert not selectors.case_list(user=colleague).exists()
        services.case_assign(actor=personas.chairman, case=case, worker=colleague)
        assert list(selectors.case_list(user=colleague)) == [case]
        event = AuditEvent.objects.filter(action=Action.UPDATE, changed_fields=["workers"]).get()
        assert event.actor == personas.chairman and event.reason == "+officer_a2"

    def test_a_worker_may_hand_on_an_unassigned_colleague_may_not(self, case, personas,
                                                                  colleague, tree) -> None:
        third = make_user("officer_a3", role=Role.COMMUNE_OFFICER, unit=tree.commune_a)
        with pytest.raises(PermissionDenied):
            services.case_assign(actor=colleague, case=case, worker=third)
        services.case_assign(actor=personas.officer, case=case, worker=colleague)
        assert set(case.workers.all()) == {personas.officer, colleague}

    @pytest.mark.parametrize("who", ["outsider", "province_officer", "chairman"])
    def test_only_an_officer_of_the_commune_can_take_it(self, case, personas, who) -> None:
        with pytest.raises(ValidationError) as raised:
            services.case_assign(actor=personas.officer, case=case,
                                 worker=getattr(personas, who))
        assert "worker" in raised.value.message_dict
        assert list(case.workers.all()) == [personas.officer]

    def test_a_deactivated_officer_or_one_already_on_it_is_refused(self, case, personas,
                                                                   colleague) -> None:
        with pytest.raises(ValidationError):
            services.case_assign(actor=personas.officer, case=case, worker=personas.officer)
        colleague.is_active = False
        colleague.save()
        with pytest.raises(ValidationError):
            services.case_assign(actor=personas.officer, case=case, worker=colleague)

    def test_the_last_worker_stays(self, case, personas, colleague) -> None:
        with pytest.raises(ValidationError):
            services.case_unassign(actor=personas.chairman, case=case, worker=personas.officer)
        services.case_assign(actor=personas.chairman, case=case, worker=colleague)
        services.case_unassign(actor=personas.officer, case=case, worker=personas.officer)
        assert list(case.workers.all()) == [colleague]
        assert not selectors.case_list(user=personas.officer).exists()
        with pytest.raises(PermissionDenied):  # no longer on it: can't hand it back either
            services.case_assign(actor=personas.officer, case=case, worker=personas.officer)

    def test_a_closed_case_is_not_handed_on(self, case, personas, colleague) -> None:
        services.case_move(actor=personas.officer, case=case, move="hand_over",
                           close_reason="moved")
        with pytest.raises(ValidationError):
            services.case_assign(actor=personas.chairman, case=case, worker=colleague)

    def test_assignable_are_the_communes_officers_not_yet_on_it(self, case, personas,
                                                                 colleague, tree) -> None:
        make_user("officer_c2", role=Role.COMMUNE_OFFICER, unit=tree.commune_c)
        assert list(selectors.assignable_workers(case=case)) == [colleague]


class AssignPageTests:
    def test_the_chairman_hands_the_case_on_from_its_page(self, case, personas,
                                                          colleague) -> None:
        chairman = login(Client(), personas.chairman)
        page = chairman.get(reverse("cases:case_detail", args=[case.public_id])).content.decode()
        assert "Giao hồ sơ cho cán bộ khác" in page and str(colleague.public_id) in page
        url = reverse("cases:case_workers", args=[case.public_id])
        response = chairman.post(url, {"action": "add", "worker": colleague.public_id},
                                 follow=True)
        assert "Đã cập nhật người phụ trách hồ sơ." in response.content.decode()
        response = chairman.post(url, {"action": "remove", "worker": personas.officer.public_id},
                                 follow=True)
        assert list(case.workers.all()) == [colleague]

    def test_a_user_elsewhere_cannot_be_named(self, case, personas) -> None:
        officer = login(Client(), personas.officer)
        url = reverse("cases:case_workers", args=[case.public_id])
        response = officer.post(url, {"action": "add", "worker": personas.outsider.public_id},
                                follow=True)
        assert "Hãy chọn cán bộ." in response.content.decode()
        assert list(case.workers.all()) == [personas.officer]

    def test_an_unassigned_colleague_neither_sees_nor_hands_it_on(self, case, colleague,
                                                                   personas) -> None:
        other = login(Client(), colleague)
        assert other.get(reverse("cases:case_detail", args=[case.public_id])).status_code == 404
        response = other.post(reverse("cases:case_workers", args=[case.public_id]),
                              {"action": "add", "worker": colleague.public_id})
        assert response.status_code == 404
        assert list(case.workers.all()) == [personas.officer]

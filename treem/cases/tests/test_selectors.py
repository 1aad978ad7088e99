"""Need-to-know: who sees a case, a notification, its reporter, and the deadlines."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from treem.cases import selectors, services
from treem.cases.tests.test_services import RECEIVED, _notify, documents_for
from treem.registry.tests.factories import make_child
from treem.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree, personas):
    child = make_child(commune=tree.commune_a, full_name="Lý Văn Páo")
    notification = _notify(personas.intake, tree.commune_a, urgent=True)
    case = services.case_open(actor=personas.officer, notification=notification, child=child)
    colleague = make_user("officer_a2", role="commune_officer", unit=tree.commune_a)
    return case, notification, colleague


class CaseVisibilityTests:
    def test_workers_and_the_chairman_see_the_case(self, world, personas) -> None:
        case, _notification, _colleague = world
        for user in (personas.officer, personas.chairman):
            assert list(selectors.case_list(user=user)) == [case]
            assert selectors.get_case_for_user(user=user, case_id=case.public_id) == case

    def test_nobody_else_sees_it_not_even_a_colleague_of_the_commune(self, world,
                                                                     personas) -> None:
        case, _notification, colleague = world
        for user in (colleague, personas.outsider, personas.province_officer, personas.intake,
                     personas.auditor, personas.admin, personas.collaborator):
            assert not selectors.case_list(user=user).exists(), user
            with pytest.raises(Http404):
                selectors.get_case_for_user(user=user, case_id=case.public_id)

    def test_a_colleague_added_as_worker_sees_it(self, world) -> None:
        case, _notification, colleague = world
        case.workers.add(colleague)
        assert list(selectors.case_list(user=colleague)) == [case]


class MovesForTests:
    def test_each_user_is_offered_only_the_moves_it_may_make(self, world, personas) -> None:
        case, _notification, colleague = world
        assert selectors.moves_for(user=personas.officer, case=case) == ["verify", "hand_over"]
        assert selectors.moves_for(user=personas.chairman, case=case) == []
        assert selectors.moves_for(user=colleague, case=case) == []
        for move in ("verify", "confirm", "plan", "submit_plan"):
            documents_for(case, move)
            services.case_move(actor=personas.officer, case=case, move=move)
        case.refresh_from_db()
        assert selectors.moves_for(user=personas.officer, case=case) == ["hand_over"]
        assert selectors.moves_for(user=personas.chairman, case=case) == [
            "approve_plan", "return_plan"]


class NotificationVisibilityTests:
    def test_the_hotline_sees_its_own_intake_and_the_reporter(self, world, personas) -> None:
        _case, notification, _colleague = world
        view = selectors.get_notification_for_user(user=personas.intake,
                                                   notification_id=notification.public_id)
        assert view.shows_reporter

    def test_the_commune_sees_the_report_but_not_who_made_it(self, world, personas) -> None:
        _case, notification, colleague = world
        for user in (personas.officer, personas.chairman):
            view = selectors.get_notification_for_user(user=user,
                                                       notification_id=notification.public_id)
            assert not view.shows_reporter
        # Once a case, the report follows the case's need-to-know: not the colleague's.
        with pytest.raises(Http404):
            selectors.get_notification_for_user(user=colleague,
                                                notification_id=notification.public_id)

    def test_other_communes_and_other_operators_see_nothing(self, world, personas, tree) -> None:
        _case, notification, _colleague = world
        other_operator = make_user("intake2", role="intake_operator", unit=tree.nation)
        for user in (personas.outsider, other_operator, personas.province_officer):
            assert not selectors.notification_list(user=user).exists()
            with pytest.raises(Http404):
                selectors.get_notification_for_user(user=user,
                                                    notification_id=notification.public_id)


class DeadlineListTests:
    def test_the_worker_sees_what_is_due_and_the_province_counts_only(self, world,
                                                                     personas) -> None:
        case, _notification, colleague = world
        now = RECEIVED + datetime.timedelta(hours=13)
        due = selectors.deadlines_due(user=personas.officer, within=datetime.timedelta(days=2),
                                      now=now)
        assert [d.step for d in due] == ["emergency"]
        assert not selectors.deadlines_due(user=colleague, within=datetime.timedelta(days=30),
                                           now=now).exists()
        counts = list(selectors.overdue_counts(user=personas.province_officer, now=now))
        assert counts == [{"commune": case.commune.name, "overdue": 1}]
        assert "child" not in str(counts)


class SharingTests:
    def test_the_province_sees_a_case_only_once_the_commune_shares_it(self, world, personas,
                                                                      tree) -> None:
        case, _notification, _colleague = world
        province = personas.province_officer
        assert not selectors.case_list(user=province).exists()
        with pytest.raises(ValidationError):  # a commune is not a level above
            services.case_share(actor=personas.officer, case=case, unit=tree.commune_b,
                                reason="Xin ý kiến")
        with pytest.raises(ValidationError):  # the other province holds no such commune
            services.case_share(actor=personas.officer, case=case, unit=tree.other_province,
                                reason="Xin ý kiến")
        share = services.case_share(actor=personas.chairman, case=case, unit=tree.province,
                                    reason="Vụ việc phức tạp, xin ý kiến Sở")
        assert list(selectors.case_list(user=province)) == [case]
        assert selectors.moves_for(user=province, case=case) == []  # it reads, it does not act
        share.withdrawn_at = share.shared_at
        share.save(update_fields=["withdrawn_at"])
        assert not selectors.case_list(user=province).exists()

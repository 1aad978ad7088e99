"""The needs list: proposed by the commune for the children it reads, ordered by the fund's
rules (points worked out by hand), approved by the province only, each refusal in
Vietnamese with nothing written; the fund manager sees references, not names."""

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from treem.accounts.roles import Role
from treem.audit.models import Action, AuditEvent
from treem.cases.models import Case
from treem.fund import exceptions as exc
from treem.fund import gifts, needs
from treem.fund.models import Criterion, Fund, Need, NeedStatus, PriorityRule
from treem.fund.tests.conftest import YEAR, approved_need, kind
from treem.registry.models import Child, ChildCircumstance, CircumstanceGroup, Household
from treem.registry.tests.factories import make_child
from treem.testing import Personas, Tree, make_user, refused


def counts() -> tuple[int, int]:
    return Need.objects.count(), AuditEvent.objects.count()


def propose(actor: Any, child: Child, **overrides: Any) -> Need:
    fields = {"kind": kind("scholarship"), "beneficiary": "child", "child_id": child.public_id,
              "description": "Học bổng năm học 2026–2027", "amount": 2_000_000, "year": YEAR}
    return needs.need_propose(actor=actor, **{**fields, **overrides})


@pytest.mark.django_db
class ProposalTests:
    def test_the_priority_is_the_sum_of_the_rules_met_worked_out_by_hand(
            self, tree: Tree, personas: Personas, fund: Fund, manager: Any, child: Child
            ) -> None:
        group = CircumstanceGroup.objects.order_by("code").first()
        assert group is not None
        ChildCircumstance.objects.create(child=child, province_code="04", group=group,
                                         start_date=datetime.date(2025, 1, 1))
        gifts.area_create(actor=manager, fund=fund, name="Xã miền núi",
                          units=[tree.commune_a], mountain=True)
        need = propose(personas.officer, child)
        # special circumstance 40 + poor household 30 + mountain commune 20 (no open case)
        assert need.priority == 90
        assert need.fund == fund and need.commune == tree.commune_a
        assert need.household == child.household and need.status == NeedStatus.PROPOSED
        assert set(needs.priority_reasons(need)) == {
            str(Criterion.SPECIAL_CIRCUMSTANCE.label), str(Criterion.POOR_HOUSEHOLD.label),
            str(Criterion.MOUNTAIN_COMMUNE.label)}

    def test_an_open_case_counts_and_a_changed_rule_reorders_every_open_need(
            self, tree: Tree, personas: Personas, fund: Fund, manager: Any, child: Child
            ) -> None:
        other = make_child(commune=tree.commune_a, full_name="Hoàng Văn Nam",
                           birth_date=datetime.date(2015, 1, 1))
        first, second = propose(personas.officer, child), propose(personas.officer, other)
        assert (first.priority, second.priority) == (30, 0)  # a poor household; nothing
        Case.objects.create(child=other, commune=tree.commune_a, unit_path=other.unit_path,
                            province_code="04", received_at=timezone.now(),
                            created_by=personas.officer)
        needs.rule_set(actor=manager, fund=fund, criterion=Criterion.OPEN_CASE, points=100)
        first.refresh_from_db()
        second.refresh_from_db()
        assert (first.priority, second.priority) == (30, 100)
        assert list(Need.objects.filter(fund=fund)) == [second, first]

    def test_a_household_and_a_facility_of_the_commune_can_be_proposed(
            self, tree: Tree, personas: Personas, fund: Fund, household: Household) -> None:
        need = needs.need_propose(
            actor=personas.officer, kind=kind("meals"), beneficiary="household",
            household_id=household.public_id, description="Gạo", amount=500_000, year=YEAR)
        assert need.priority == 30 and need.child is None
        place = needs.need_propose(
            actor=personas.officer, kind=kind("playground"), beneficiary="facility",
            commune_id=tree.commune_a.public_id, facility="Điểm vui chơi thôn Nà Pồng",
            description="Cầu trượt", amount=30_000_000, year=YEAR + 1)
        assert place.unit_path == tree.commune_a.path and place.facility

    def test_bad_input_is_refused_in_vietnamese_and_writes_nothing(
            self, tree: Tree, personas: Personas, fund: Fund, child: Child) -> None:
        cases: dict[str, tuple[dict[str, Any], Any]] = {
            "amount": ({"amount": -5}, exc.AMOUNT_INVALID),
            "year": ({"year": YEAR - 1},
                     exc.YEAR_INVALID % {"this": YEAR, "next": YEAR + 1}),
            "description": ({"description": "  "}, exc.DESCRIPTION_REQUIRED),
            "kind": ({"kind": kind("playground")}, exc.KIND_NOT_FOR_BENEFICIARY),
        }
        for field, (overrides, message) in cases.items():
            error = refused(propose, snapshot=counts, actor=personas.officer, child=child,
                            **overrides)
            assert error.message_dict[field] == [str(message)], field
        error = refused(needs.need_propose, snapshot=counts, actor=personas.officer,
                        kind=kind("playground"), beneficiary="facility",
                        commune_id=tree.old_commune.public_id, facility="Nhà văn hóa",
                        description="x", amount=1, year=YEAR)
        assert error.message_dict["commune"] == [str(exc.COMMUNE_NOT_FOUND)]

    def test_the_same_need_twice_is_refused_naming_the_first(
            self, personas: Personas, fund: Fund, child: Child) -> None:
        first = propose(personas.officer, child)
        error = refused(propose, snapshot=counts, actor=personas.officer, child=child)
        assert error.message_dict["kind"] == [str(exc.NEED_ALREADY_LISTED
                                                  % {"ref": first.reference})]

    def test_only_the_commune_officer_of_the_childs_commune_proposes(
            self, tree: Tree, personas: Personas, fund: Fund, manager: Any, child: Child
            ) -> None:
        # Another commune's officer does not read the child: "not found", as for any id.
        error = refused(propose, snapshot=counts, actor=personas.outsider, child=child)
        assert error.message_dict["child"] == [str(exc.CHILD_NOT_FOUND)]
        for user in (personas.province_officer, personas.chairman):
            assert isinstance(refused(propose, snapshot=counts, actor=user, child=child),
                              PermissionDenied)
        error = refused(propose, snapshot=counts, actor=manager, child=child)
        assert error.message_dict["child"] == [str(exc.CHILD_NOT_FOUND)]


@pytest.mark.django_db
class DecisionTests:
    def test_the_province_approves_or_refuses_with_a_reason(
            self, tree: Tree, personas: Personas, fund: Fund, child: Child) -> None:
        need = propose(personas.officer, child)
        error = refused(needs.need_decide, snapshot=counts, actor=personas.province_officer,
                        need=need, approve=False, reason="không")
        assert error.message_dict["reason"] == [str(exc.REASON_TOO_SHORT % {"n": 10})]
        for user in (personas.officer, personas.auditor,
                     make_user("hn", role=Role.AREA_OFFICER, unit=tree.other_province)):
            assert isinstance(refused(needs.need_decide, snapshot=counts, actor=user,
                                      need=need, approve=True), PermissionDenied)
        needs.need_decide(actor=personas.province_officer, need=need, approve=True)
        assert Need.objects.get(pk=need.pk).status == NeedStatus.APPROVED
        error = refused(needs.need_decide, snapshot=counts, actor=personas.province_officer,
                        need=need, approve=False, reason="Đã có nguồn khác hỗ trợ")
        assert error.message_dict["need"] == [str(exc.NEED_ALREADY_DECIDED)]

    def test_the_commune_withdraws_a_need_with_a_reason(
            self, personas: Personas, fund: Fund, child: Child) -> None:
        need = approved_need(personas, child)
        needs.need_cancel(actor=personas.officer, need=need, reason="Trẻ đã chuyển đi nơi khác")
        assert Need.objects.get(pk=need.pk).status == NeedStatus.CANCELLED


@pytest.mark.django_db
class ReadingTests:
    def test_each_reader_sees_the_needs_of_its_area_and_only_the_names_it_may_read(
            self, tree: Tree, personas: Personas, fund: Fund, manager: Any, approver: Any,
            child: Child) -> None:
        need = propose(personas.officer, child)
        for user in (personas.officer, personas.chairman, personas.province_officer,
                     manager, approver, personas.auditor):
            assert needs.get_need_for_user(user=user, need_id=need.public_id) == need
        for user in (personas.outsider, personas.sector_focal, personas.intake,
                     make_user("hn", role=Role.AUDITOR, unit=tree.other_province)):
            with pytest.raises(Http404):
                needs.get_need_for_user(user=user, need_id=need.public_id)
            assert not needs.needs_for(user=user).exists()
        with pytest.raises(Http404):
            needs.get_need_for_user(user=manager, need_id="not-a-uuid")
        assert needs.names_shown(user=manager, needs=[need]) == {}
        before = AuditEvent.objects.filter(action=Action.VIEW).count()
        assert needs.names_shown(user=personas.officer, needs=[need]) == {
            need.pk: "Lục Thị Mai"}
        assert AuditEvent.objects.filter(action=Action.VIEW).count() == before + 1


@pytest.mark.django_db
def test_rules_are_bounded_and_checked(tree: Tree, fund: Fund, manager: Any) -> None:
    error = refused(needs.rule_set, snapshot=lambda: list(
        PriorityRule.objects.values_list("points", flat=True)), actor=manager, fund=fund,
        criterion=Criterion.POOR_HOUSEHOLD, points=5000)
    assert error.message_dict["points"] == [str(exc.POINTS_INVALID)]

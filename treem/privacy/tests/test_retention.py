"""Retention: the rules, the daily job (set-based, idempotent, skipping holds), the review,
and the acceptance test of issue 16: a case anonymised after its period leaves a frozen
report's figures unchanged."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from treem.audit.models import AuditEvent
from treem.cases.models import Case, CaseEvent, Notification, Protection
from treem.cases.tests.test_services import LOCAL, _notify
from treem.edits.conflicts import EditConflict
from treem.privacy.models import (
    DueStatus,
    LegalHold,
    RetentionDue,
    RetentionRule,
    RetentionRuleVersion,
)
from treem.privacy.retention import selectors, services
from treem.privacy.retention.defaults import load_defaults
from treem.registry.anonymise import ANONYMOUS_CHILD, ANONYMOUS_HOUSEHOLD
from treem.registry.models import Caregiver, Child, Household
from treem.registry.tests.factories import (
    make_caregiver,
    make_child,
    make_circumstance,
    make_household,
)
from treem.testing import refused

pytestmark = pytest.mark.django_db

BORN = datetime.date(2015, 6, 1)
# Ten years after the child turns 18 (the placeholder default), and a day more.
AFTER = datetime.date(2043, 6, 2)
BEFORE = datetime.date(2043, 5, 31)
REASON = "Hết thời hạn lưu trữ theo quy tắc của tỉnh"


@pytest.fixture
def rules(db):
    load_defaults(RetentionRule, RetentionRuleVersion)
    return {rule.record_kind: rule for rule in RetentionRule.objects.all()}


def closed_case(personas, commune, *, name="Lò Thị Mây", personal_id="004315000123",
                officer=None, born=BORN) -> Case:
    from treem.cases import services as cases

    child = make_child(commune=commune, full_name=name, birth_date=born,
                       personal_id=personal_id, sex="f")
    officer = officer or personas.officer
    case = cases.case_open(actor=officer, child=child, notification=_notify(
        personas.intake, commune, received_at=datetime.datetime(2026, 3, 2, 9, tzinfo=LOCAL)))
    Case.objects.filter(pk=case.pk).update(
        status="closed", closed_at=datetime.datetime(2026, 5, 2, 9, tzinfo=LOCAL))
    Protection.objects.create(case=case, kind="measure", taken_at=case.received_at,
                              description="Đưa em Lò Thị Mây về nhà bà ngoại",
                              decided_by=personas.chairman)
    CaseEvent.objects.create(case=case, to_status="closed", at=case.received_at,
                             by=officer, note="Gặp mẹ em là chị Lò Thị Xuân")
    case.refresh_from_db()
    return case


def old_commune_case(tree, personas) -> Case:
    """A closed case of a child of the commune dissolved in July 2025 (made directly: no
    service opens a case on a dissolved commune today)."""
    child = make_child(commune=tree.old_commune, full_name="Hà Văn Cũ", birth_date=BORN,
                       personal_id="004215000999")
    notification = Notification.objects.create(
        channel="hotline_111", received_at=datetime.datetime(2025, 3, 2, 9, tzinfo=LOCAL),
        received_by=personas.intake, commune=tree.old_commune,
        unit_path=tree.old_commune.path, province_code="04", place="family",
        description="Báo tin về em Hà Văn Cũ", reporter_name="Bà Hà Thị Lan")
    case = Case.objects.create(child=child, commune=tree.old_commune,
                               unit_path=tree.old_commune.path, province_code="04",
                               status="closed", received_at=notification.received_at,
                               closed_at=datetime.datetime(2025, 5, 2, tzinfo=LOCAL),
                               created_by=personas.officer)
    Notification.objects.filter(pk=notification.pk).update(case=case)
    return case


def counts() -> tuple[int, ...]:
    return (RetentionDue.objects.count(), LegalHold.objects.count(), AuditEvent.objects.count(),
            Child.objects.filter(full_name=ANONYMOUS_CHILD).count(),
            RetentionRuleVersion.objects.count())


class RuleTests:
    def test_defaults_are_loaded_once_and_marked_unverified(self, rules) -> None:
        assert load_defaults(RetentionRule, RetentionRuleVersion) == 0
        case = rules["case"]
        assert (case.counts_from, case.years, case.verified) == ("child_adult", 10, False)
        assert "UNVERIFIED" in case.legal_basis

    def test_the_defaults_command_sets_no_rule_twice(self, rules, capsys) -> None:
        RetentionRuleVersion.objects.filter(rule__record_kind="notification").delete()
        RetentionRule.objects.filter(record_kind="notification").delete()
        call_command("privacy_defaults")
        call_command("privacy_defaults")
        out = capsys.readouterr().out
        assert [line.split("retention rules created: ")[1] for line in out.splitlines()] \
            == ["1", "0"]
        assert RetentionRule.objects.count() == 3

    def test_an_administrator_changes_a_rule_as_a_new_version(self, rules, personas) -> None:
        rule = services.rule_update(
            actor=personas.admin, rule=rules["case"], counts_from="case_closed", years=15,
            action="erase", legal_basis="Quyết định của UBND tỉnh số 12/2026", verified=True,
            active=True, reason="Theo quyết định mới của tỉnh", base_version=1)
        assert (rule.version, rule.years, rule.verified) == (2, 15, True)
        assert list(rule.versions.values_list("version", flat=True)) == [2, 1]
        assert AuditEvent.objects.filter(object_type="privacy.retentionrule").exists()

    def test_bad_input_changes_nothing(self, rules, personas) -> None:
        good = {"rule": rules["case"], "counts_from": "child_adult", "years": 10,
                "action": "anonymise", "legal_basis": "x", "verified": False, "active": True,
                "reason": "Một lý do đủ dài", "base_version": None}
        for bad in ({"years": 101}, {"years": -1}, {"counts_from": "last_update"},
                    {"action": "burn"}, {"reason": "ngắn"}, {"legal_basis": " "}):
            refused(services.rule_update, snapshot=counts, actor=personas.admin,
                    **{**good, **bad})
        refused(services.rule_update, snapshot=counts, actor=personas.province_officer, **good)

    def test_a_stale_edit_is_refused_with_both_values(self, rules, personas) -> None:
        """Two administrators opened the rule at version 1; the second to save is told what
        the first changed, and nothing of theirs is written."""
        first = {"rule": rules["case"], "counts_from": "child_adult", "years": 12,
                 "action": "anonymise", "legal_basis": "Quyết định số 12", "verified": True,
                 "active": True, "reason": "Theo quyết định mới", "base_version": 1}
        services.rule_update(actor=personas.admin, **first)
        with pytest.raises(EditConflict) as conflict:
            services.rule_update(actor=personas.admin, **{**first, "years": 20})
        assert "12" in conflict.value.message and "20" in conflict.value.message
        rules["case"].refresh_from_db()
        assert (rules["case"].years, rules["case"].version) == (12, 2)


class JobTests:
    def test_the_job_lists_what_reached_its_end_once(self, tree, personas, rules) -> None:
        case = closed_case(personas, tree.commune_a)
        make_child(commune=tree.commune_a, full_name="Trẻ còn nhỏ",
                   birth_date=datetime.date(2020, 1, 1))
        assert services.retention_run(today=BEFORE)["case"] == 0
        first = services.retention_run(today=AFTER)
        assert (first["case"], first["child"]) == (1, 1)
        again = services.retention_run(today=AFTER)
        assert (again["case"], again["child"]) == (0, 0)
        assert RetentionDue.objects.filter(case=case, status="due").count() == 1
        assert RetentionDue.objects.count() == 2

    def test_the_command_runs_the_job(self, tree, personas, rules, capsys) -> None:
        closed_case(personas, tree.commune_a)
        call_command("privacy_retention", "--today", AFTER.isoformat())
        assert "case=1" in capsys.readouterr().out

    def test_a_child_with_an_open_case_is_not_due(self, tree, personas, rules) -> None:
        case = closed_case(personas, tree.commune_a)
        Case.objects.filter(pk=case.pk).update(status="follow_up", closed_at=None)
        found = services.retention_run(today=AFTER)
        assert (found["case"], found["child"]) == (0, 0)

    def test_a_legal_hold_makes_the_job_skip_it(self, tree, personas, rules) -> None:
        case = closed_case(personas, tree.commune_a)
        hold = services.hold_place(actor=personas.auditor, case=case,
                                   reason="Cơ quan điều tra yêu cầu giữ hồ sơ")
        found = services.retention_run(today=AFTER)
        assert (found["case"], found["child"]) == (0, 0)  # the hold on the case holds the child
        services.hold_lift(actor=personas.province_officer, hold=hold,
                           reason="Vụ án đã xét xử xong")
        found = services.retention_run(today=AFTER)
        assert (found["case"], found["child"]) == (1, 1)

    def test_a_hold_placed_after_the_job_sets_the_row_aside(self, tree, personas,
                                                           rules) -> None:
        case = closed_case(personas, tree.commune_a)
        services.retention_run(today=AFTER)
        due = RetentionDue.objects.get(case=case)
        services.hold_place(actor=personas.province_officer, child=case.child,
                            reason="Gia đình khiếu nại, đang giải quyết")
        due.refresh_from_db()
        assert due.status == DueStatus.HELD
        due.status = DueStatus.DUE  # even a stale row: the review refuses a held record
        with pytest.raises(ValidationError):
            services.due_decide(actor=personas.province_officer, due=due, decision="anonymise",
                                reason=REASON)


class ReviewTests:
    def test_the_retention_job_anonymises_a_test_case_after_its_period_without_changing_a_frozen_report(  # noqa: E501
            self, tree, personas, rules, monkeypatch) -> None:
        from treem.indicators.catalogue import load_set
        from treem.reports import services as reports
        from treem.reports.figures import report_figures
        from treem.reports.models import ReportValue, Schedule
        from treem.reports.tests.test_services import SET

        schedule = Schedule.objects.create(
            code="test", name="Báo cáo 6 tháng", period_kind="half",
            due={"commune": {"S1": "05-15", "S2": "12-15"}})
        schedule.indicator_sets.add(load_set(SET))
        case = closed_case(personas, tree.commune_a)
        child = case.child
        make_circumstance(child=child, code="l", start_date=datetime.date(2026, 3, 1))
        household = make_household(commune=tree.commune_a, head_name="Lò Văn Hải",
                                   phone="0912000111", address="Tổ 3")
        Child.objects.filter(pk=child.pk).update(household=household)
        make_caregiver(child=child, full_name="Lò Thị Xuân", phone="0987654321")
        make_child(commune=tree.commune_a, full_name="Trẻ khác", birth_date=BORN)
        report = reports.report_open(actor=personas.officer, schedule=schedule,
                                     unit=tree.commune_a, period="2026S1")
        reports.report_write(actor=personas.officer, report=report, results="Đã rà soát",
                             difficulties="", proposals="")
        report = reports.report_submit(actor=personas.officer, report=report)
        frozen = {(v.indicator_version_id, v.unit_id, v.breakdown): (v.numerator, v.denominator)
                  for v in ReportValue.objects.filter(report=report)}
        assert frozen and report.case_tables

        # Years later: the job finds the case and the child, the province reviews them.
        monkeypatch.setattr(timezone, "localdate", lambda *a: AFTER)
        services.retention_run()
        due_case = RetentionDue.objects.get(case=case)
        services.due_decide(actor=personas.province_officer, due=due_case,
                            decision="anonymise", reason=REASON)
        due_child = RetentionDue.objects.get(child=child)
        services.due_decide(actor=personas.province_officer, due=due_child,
                            decision="anonymise", reason=REASON)

        child.refresh_from_db()
        assert child.full_name == ANONYMOUS_CHILD and child.personal_id is None
        assert "lo thi may" not in child.name_prefixes
        assert child.birth_date == BORN and child.sex == "f"  # what indicators count stays
        caregiver = Caregiver.objects.get(child=child)
        assert "Xuân" not in caregiver.full_name and caregiver.phone == ""
        household.refresh_from_db()
        assert (household.head_name, household.phone, household.address) == (
            ANONYMOUS_HOUSEHOLD, "", "")
        notification = case.notifications.get()
        assert notification.reporter_name == "" and notification.reporter_phone == ""
        assert "Mây" not in Protection.objects.get(case=case).description
        assert CaseEvent.objects.filter(case=case, note__contains="Xuân").count() == 0
        assert RetentionDue.objects.get(pk=due_child.pk).status == DueStatus.ANONYMISED

        # The past period's figures, recomputed now, are the frozen ones.
        recomputed = report_figures(report)
        assert recomputed.rows == frozen
        report.refresh_from_db()
        assert recomputed.case_tables == report.case_tables
        assert AuditEvent.objects.filter(object_id=str(child.public_id),
                                         reason=REASON).exists()

    def test_erase_deletes_the_caregivers_and_keeps_the_counts(self, tree, personas,
                                                              rules) -> None:
        case = closed_case(personas, tree.commune_a)
        make_caregiver(child=case.child)
        services.retention_run(today=AFTER)
        due = RetentionDue.objects.get(child=case.child)
        services.due_decide(actor=personas.province_officer, due=due, decision="erase",
                            reason=REASON)
        assert not Caregiver.objects.filter(child=case.child).exists()
        assert RetentionDue.objects.get(case=case).status == DueStatus.ERASED

    def test_its_merged_duplicates_and_the_requests_about_it_lose_their_names_too(
            self, tree, personas, rules) -> None:
        from treem.privacy.models import Correction, SubjectRequest
        from treem.privacy.requests import services as requests
        from treem.privacy.tests.world import receive

        case = closed_case(personas, tree.commune_a)
        duplicate = make_child(commune=tree.commune_a, full_name="Lò Thị Mây Cũ",
                               birth_date=BORN, personal_id="004315000777", sex="f")
        Child.objects.filter(pk=duplicate.pk).update(merged_into=case.child)
        asked = receive(personas, case.child, kind="correct", requester_name="Lò Thị Xuân",
                        requester_contact="0912000111", received_on=datetime.date(2026, 5, 1))
        requests.correction_apply(actor=personas.officer, request=asked, field="full_name",
                                  value="Lò Thị Mấy", child_version=case.child.version)
        services.retention_run(today=AFTER)
        due = RetentionDue.objects.get(child=case.child)
        services.due_decide(actor=personas.province_officer, due=due, decision="anonymise",
                            reason=REASON)
        duplicate.refresh_from_db()
        assert (duplicate.full_name, duplicate.personal_id) == (ANONYMOUS_CHILD, None)
        kept = SubjectRequest.objects.get(pk=asked.pk)
        assert (kept.requester_name, kept.requester_contact, kept.kind) == (
            requests.ANONYMOUS_REQUESTER, "", "correct")
        assert list(Correction.objects.values_list("old_value", "new_value")) == [("", "")]

    def test_a_household_another_child_lives_in_keeps_its_head(self, tree, personas,
                                                              rules) -> None:
        case = closed_case(personas, tree.commune_a)
        household = make_household(commune=tree.commune_a, head_name="Lò Văn Hải")
        Child.objects.filter(pk=case.child_id).update(household=household)
        make_child(commune=tree.commune_a, full_name="Em của Mây", household=household,
                   birth_date=datetime.date(2022, 1, 1))
        services.retention_run(today=AFTER)
        services.due_decide(actor=personas.province_officer,
                            due=RetentionDue.objects.get(child=case.child_id),
                            decision="anonymise", reason=REASON)
        assert Household.objects.get(pk=household.pk).head_name == "Lò Văn Hải"

    def test_the_review_can_hold_a_record(self, tree, personas, rules) -> None:
        case = closed_case(personas, tree.commune_a)
        services.retention_run(today=AFTER)
        due = RetentionDue.objects.get(case=case)
        services.due_decide(actor=personas.province_officer, due=due, decision="hold",
                            reason="Đang có khiếu nại của gia đình")
        due.refresh_from_db()
        assert due.status == DueStatus.HELD
        assert LegalHold.objects.active().get().case == case

    def test_bad_decisions_change_nothing(self, tree, personas, rules) -> None:
        case = closed_case(personas, tree.commune_a)
        services.retention_run(today=AFTER)
        due = RetentionDue.objects.get(case=case)
        for kwargs in ({"decision": "burn", "reason": REASON},
                       {"decision": "anonymise", "reason": "ngắn"}):
            refused(services.due_decide, snapshot=counts, actor=personas.province_officer,
                    due=due, **kwargs)
        for actor in (personas.officer, personas.auditor, personas.admin):
            refused(services.due_decide, snapshot=counts, actor=actor, due=due,
                    decision="anonymise", reason=REASON)
        services.due_decide(actor=personas.province_officer, due=due, decision="anonymise",
                            reason=REASON)
        refused(services.due_decide, snapshot=counts, actor=personas.province_officer,
                due=due, decision="anonymise", reason=REASON)

    def test_a_hold_needs_a_reviewer_or_auditor_in_scope(self, tree, personas, rules) -> None:
        case = closed_case(personas, tree.commune_a)
        for actor in (personas.officer, personas.admin):
            refused(services.hold_place, snapshot=counts, actor=actor, case=case,
                    reason="Một lý do đủ dài")
        refused(services.hold_place, snapshot=counts, actor=personas.auditor, case=case,
                child=case.child, reason="Một lý do đủ dài")
        refused(services.hold_place, snapshot=counts, actor=personas.auditor, case=case,
                reason="ngắn")


class DissolvedUnitTests:
    def test_a_case_of_a_commune_dissolved_in_2025_is_reviewed_by_the_province_after(
            self, tree, personas, rules) -> None:
        case = old_commune_case(tree, personas)
        closed_case(personas, tree.commune_a)
        services.retention_run(today=AFTER)
        due = RetentionDue.objects.get(case=case)
        assert due.unit_path == tree.old_commune.path
        seen = selectors.due_list(user=personas.province_officer,
                                  filters=selectors.DueFilters(record_kind="case"))
        assert due in seen and seen.count() == 2
        assert selectors.due_list(user=personas.outsider).count() == 0
        with pytest.raises(PermissionDenied):
            services.due_decide(actor=personas.outsider, due=due, decision="anonymise",
                                reason=REASON)
        services.due_decide(actor=personas.province_officer, due=due, decision="anonymise",
                            reason=REASON)
        assert case.notifications.get().reporter_name == ""

    def test_the_other_province_sees_none_of_it(self, tree, personas, rules) -> None:
        from treem.accounts.roles import Role
        from treem.testing import make_user

        closed_case(personas, tree.commune_a)
        old_commune_case(tree, personas)
        services.retention_run(today=AFTER)
        other = make_user("province_c", role=Role.AREA_OFFICER, unit=tree.other_province)
        assert selectors.due_list(user=other).count() == 0
        assert selectors.hold_list(user=other).count() == 0

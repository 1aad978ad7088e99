"""The data subject's requests: receipt with the decree's deadlines, corrections through the
register, decisions with their legal ground, the answer; each refusal writes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from treem.audit.models import Action, AuditEvent
from treem.cases.workdays import WorkCalendar
from treem.edits.conflicts import EditConflict
from treem.privacy.models import (
    AnswerChannel,
    Correction,
    Decision,
    IdentityCheck,
    RefusalGround,
    Requester,
    RequestKind,
    Status,
    SubjectRequest,
)
from treem.privacy.requests import deadlines, selectors, services
from treem.privacy.tests.world import World, receive
from treem.registry.models import ChildStatusPast
from treem.registry.tests.factories import make_child
from treem.testing import Personas, Tree, messages_of, writes_nothing

pytestmark = pytest.mark.django_db


def count() -> tuple[int, int]:
    return SubjectRequest.objects.count(), Correction.objects.count()


class DeadlineTests:
    def test_it_sets_the_decree_periods_by_kind(self) -> None:
        day = datetime.date(2026, 3, 2)
        assert deadlines.due_on(RequestKind.ACCESS, day) == datetime.date(2026, 3, 12)
        assert deadlines.due_on(RequestKind.CORRECT, day) == datetime.date(2026, 3, 12)
        assert deadlines.due_on(RequestKind.RESTRICT, day) == datetime.date(2026, 3, 17)
        assert deadlines.due_on(RequestKind.WITHDRAW, day) == datetime.date(2026, 3, 17)
        assert deadlines.due_on(RequestKind.DELETE, day) == datetime.date(2026, 3, 22)

    def test_the_first_reply_counts_working_days(self) -> None:
        calendar = WorkCalendar.of(holidays=[datetime.date(2026, 9, 1), datetime.date(2026, 9, 2)])
        # Friday 28 August 2026: Monday 31 is the first; 1 and 2 September are days off, so
        # the second is Thursday 3.
        assert deadlines.first_reply_due_on(datetime.date(2026, 8, 28), calendar) == \
            datetime.date(2026, 9, 3)

    def test_an_extension_adds_the_kinds_own_days_once(self) -> None:
        due = datetime.date(2026, 3, 22)
        assert deadlines.extended(RequestKind.DELETE, due) == datetime.date(2026, 4, 11)
        assert deadlines.extended(RequestKind.ACCESS, due) == datetime.date(2026, 4, 1)


class ReceiveTests:
    def test_it_logs_a_request_with_its_deadlines_and_audits_it(self, personas: Personas,
                                                                world: World) -> None:
        made = receive(personas, world.child)
        today = timezone.localdate()
        assert made.due_on == today + datetime.timedelta(days=10)
        assert made.first_reply_due_on > today
        assert made.unit == world.child.commune and made.status == Status.RECEIVED
        assert AuditEvent.objects.filter(action=Action.CREATE, object_id=str(made.public_id)
                                         ).exists()

    @pytest.mark.parametrize(("values", "field"), [
        ({"requester_name": "  "}, "requester_name"),
        ({"kind": "erase_everything"}, "kind"),
        ({"identity_check": IdentityCheck.KNOWN, "identity_note": ""}, "identity_note"),
        ({"received_on": timezone.localdate() + datetime.timedelta(days=1)}, "received_on"),
        ({"received_on": datetime.date(2010, 1, 1)}, "received_on"),
        ({"kind": RequestKind.CORRECT, "details": ""}, "details"),
    ])
    def test_bad_input_is_refused_and_writes_nothing(self, personas: Personas, world: World,
                                                     values: dict, field: str) -> None:
        with writes_nothing(count), pytest.raises(ValidationError) as refused:
            receive(personas, world.child, **values)
        assert messages_of(refused.value, field)

    def test_a_child_under_seven_cannot_ask_alone(self, tree: Tree, personas: Personas,
                                                  world: World) -> None:
        small = make_child(commune=tree.commune_a, full_name="Bé Út",
                           birth_date=timezone.localdate() - datetime.timedelta(days=6 * 365))
        with writes_nothing(count), pytest.raises(ValidationError) as refused:
            receive(personas, small, requester=Requester.CHILD)
        assert "7 tuổi" in messages_of(refused.value, "requester")[0]
        assert receive(personas, world.child, requester=Requester.CHILD).requester == "child"

    def test_the_officer_of_another_commune_cannot_log_it(self, personas: Personas,
                                                          world: World) -> None:
        with writes_nothing(count), pytest.raises(PermissionDenied):
            services.request_receive(
                actor=personas.outsider, child=world.child, kind=RequestKind.ACCESS,
                requester_name="X", requester=Requester.FATHER,
                identity_check=IdentityCheck.CITIZEN_ID, received_on=timezone.localdate())

    def test_a_merged_record_is_refused(self, personas: Personas, world: World) -> None:
        type(world.child).objects.filter(pk=world.sister.pk).update(merged_into=world.child)
        world.sister.refresh_from_db()
        with writes_nothing(count), pytest.raises(ValidationError):
            receive(personas, world.sister)

    def test_a_child_on_a_commune_dissolved_in_2025_is_handled_by_its_successor(
            self, tree: Tree, personas: Personas) -> None:
        old = make_child(commune=tree.old_commune, full_name="Nông Văn Cũ")
        made = receive(personas, old)
        assert made.unit == tree.old_commune
        assert selectors.request_list(user=personas.officer).filter(pk=made.pk).exists()
        assert not selectors.request_list(user=personas.outsider).filter(pk=made.pk).exists()


class CorrectionTests:
    def test_it_corrects_through_the_register_and_keeps_the_wrong_value(
            self, personas: Personas, world: World) -> None:
        made = receive(personas, world.child, kind=RequestKind.CORRECT)
        child = world.child
        fixed = services.correction_apply(actor=personas.officer, request=made,
                                          field="birth_date", value=datetime.date(2015, 4, 3),
                                          child_version=child.version)
        child.refresh_from_db()
        assert child.birth_date == datetime.date(2015, 4, 3) and child.version == 2
        assert (fixed.old_value, fixed.new_value) == ("02/04/2015", "03/04/2015")
        event = AuditEvent.objects.filter(object_type="registry.child",
                                          object_id=str(child.public_id),
                                          action=Action.UPDATE).get()
        assert event.changed_fields == ["birth_date"]

    def test_a_stale_version_is_a_conflict_and_writes_nothing(self, personas: Personas,
                                                              world: World) -> None:
        made = receive(personas, world.child, kind=RequestKind.CORRECT)
        with writes_nothing(count), pytest.raises(EditConflict):
            services.correction_apply(actor=personas.officer, request=made, field="full_name",
                                      value="Lương Văn Mình", child_version=0)
        world.child.refresh_from_db()
        assert world.child.full_name == "Lương Văn Minh"

    def test_only_a_correction_request_corrects(self, personas: Personas, world: World) -> None:
        made = receive(personas, world.child)
        with writes_nothing(count), pytest.raises(ValidationError):
            services.correction_apply(actor=personas.officer, request=made, field="full_name",
                                      value="Lương Văn Mình", child_version=1)

    def test_the_province_office_handles_but_cannot_edit_the_register(
            self, personas: Personas, world: World) -> None:
        made = receive(personas, world.child, kind=RequestKind.CORRECT)
        with writes_nothing(count), pytest.raises(PermissionDenied):
            services.correction_apply(actor=personas.province_officer, request=made,
                                      field="full_name", value="Lương Văn Mình", child_version=1)

    def test_a_status_is_not_corrected_here(self, personas: Personas, world: World) -> None:
        made = receive(personas, world.child, kind=RequestKind.CORRECT)
        with writes_nothing(lambda: (count(), ChildStatusPast.objects.count())), \
                pytest.raises(ValidationError):
            services.correction_apply(actor=personas.officer, request=made,
                                      field="school_status", value="out", child_version=1)


class DecisionTests:
    def test_a_deletion_is_refused_with_its_legal_ground(self, personas: Personas,
                                                         world: World) -> None:
        made = receive(personas, world.child, kind=RequestKind.DELETE)
        decided = services.request_decide(
            actor=personas.officer, request=made, base_version=made.version,
            decision=Decision.REFUSED, refusal_ground=RefusalGround.STATE_DUTY,
            reason="Hồ sơ cần cho việc bảo vệ trẻ của Ủy ban nhân dân xã.")
        assert decided.status == Status.DECIDED and decided.decided_by == personas.officer
        assert "Điều 19" in decided.get_refusal_ground_display()

    @pytest.mark.parametrize(("ground", "reason", "field"), [
        ("", "Lý do", "refusal_ground"), (RefusalGround.STATE_DUTY, "  ", "decision_reason")])
    def test_a_refusal_needs_a_ground_and_a_reason(self, personas: Personas, world: World,
                                                   ground: str, reason: str, field: str) -> None:
        made = receive(personas, world.child, kind=RequestKind.DELETE)
        with writes_nothing(lambda: SubjectRequest.objects.values_list("status", "version")
                            .get(pk=made.pk)), pytest.raises(ValidationError) as refused:
            services.request_decide(actor=personas.officer, request=made, base_version=1,
                                    decision=Decision.REFUSED, refusal_ground=ground,
                                    reason=reason)
        assert messages_of(refused.value, field)

    def test_a_correction_is_granted_only_once_something_was_corrected(
            self, personas: Personas, world: World) -> None:
        made = receive(personas, world.child, kind=RequestKind.CORRECT)
        with pytest.raises(ValidationError):
            services.request_decide(actor=personas.officer, request=made, base_version=1,
                                    decision=Decision.GRANTED)

    def test_a_stale_decision_is_refused(self, personas: Personas, world: World) -> None:
        made = receive(personas, world.child, kind=RequestKind.DELETE)
        services.request_extend(actor=personas.officer, request=made, base_version=1,
                                reason="Cần hỏi ý kiến Sở Y tế.")
        with pytest.raises(EditConflict):
            services.request_decide(actor=personas.officer, request=made, base_version=1,
                                    decision=Decision.GRANTED)

    def test_an_extension_is_granted_once(self, personas: Personas, world: World) -> None:
        made = receive(personas, world.child, kind=RequestKind.DELETE)
        first = made.due_on
        made = services.request_extend(actor=personas.officer, request=made, base_version=1,
                                       reason="Cần hỏi ý kiến Sở Y tế.")
        assert made.due_on == first + datetime.timedelta(days=20)
        with pytest.raises(ValidationError):
            services.request_extend(actor=personas.officer, request=made,
                                    base_version=made.version, reason="Lần nữa.")


class AnswerTests:
    def test_an_access_request_is_answered_only_after_its_export(
            self, personas: Personas, world: World) -> None:
        made = receive(personas, world.child)
        made = services.request_decide(actor=personas.officer, request=made, base_version=1,
                                       decision=Decision.GRANTED)
        with pytest.raises(ValidationError):
            services.request_answer(actor=personas.officer, request=made, base_version=2,
                                    answered_on=timezone.localdate(),
                                    channel=AnswerChannel.IN_PERSON, note="Trao bản in.")
        services.export_recorded(actor=personas.officer, request=made, cases=[], kind="pdf")
        answered = services.request_answer(actor=personas.officer, request=made, base_version=2,
                                           answered_on=timezone.localdate(),
                                           channel=AnswerChannel.IN_PERSON, note="Trao bản in.")
        assert answered.status == Status.ANSWERED
        with pytest.raises(ValidationError):
            services.request_first_reply(actor=personas.officer, request=answered,
                                         replied_on=timezone.localdate())

    def test_an_answer_before_the_request_is_refused(self, personas: Personas,
                                                     world: World) -> None:
        made = receive(personas, world.child, kind=RequestKind.OBJECT)
        made = services.request_decide(actor=personas.officer, request=made, base_version=1,
                                       decision=Decision.REFUSED,
                                       refusal_ground=RefusalGround.STATE_DUTY, reason="Lý do.")
        with pytest.raises(ValidationError) as refused:
            services.request_answer(actor=personas.officer, request=made, base_version=2,
                                    answered_on=made.received_on - datetime.timedelta(days=1),
                                    channel=AnswerChannel.POST, note="Gửi thư.")
        assert messages_of(refused.value, "answered_on")


class OverdueTests:
    def test_the_overdue_list_holds_what_passed_its_deadline_unanswered(
            self, personas: Personas, world: World) -> None:
        late = receive(personas, world.child,
                       received_on=timezone.localdate() - datetime.timedelta(days=11))
        receive(personas, world.child)
        assert list(selectors.overdue_for(user=personas.officer)) == [late]
        assert list(selectors.overdue_for(user=personas.province_officer)) == [late]
        assert not selectors.overdue_for(user=personas.outsider).exists()

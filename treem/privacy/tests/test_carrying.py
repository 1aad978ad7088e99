"""A granted request carried out on the register: a restriction (the record then read only by
the roles named, lifted with a reason), a deletion (identifying fields erased); the answer
waits for it; every refusal writes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from treem.accounts.roles import Role
from treem.audit.models import Action, AuditEvent
from treem.privacy.models import (
    AnswerChannel,
    Decision,
    RefusalGround,
    RequestKind,
    Status,
    SubjectRequest,
)
from treem.privacy.requests import carrying, services
from treem.privacy.tests.world import World, receive
from treem.registry import selectors as registry
from treem.registry.anonymise import ANONYMOUS_CHILD
from treem.registry.consent.selectors import consent_valid
from treem.registry.models import Caregiver, ChildRestriction
from treem.registry.tests.factories import make_consent
from treem.testing import Personas, login, writes_nothing

pytestmark = pytest.mark.django_db


def decide(personas: Personas, request: SubjectRequest, decision: str = Decision.GRANTED
           ) -> SubjectRequest:
    values = ({"refusal_ground": RefusalGround.STATE_DUTY, "reason": "Cần cho nhiệm vụ."}
              if decision != Decision.GRANTED else {})
    return services.request_decide(actor=personas.officer, request=request,
                                   base_version=request.version, decision=decision, **values)


def answer(personas: Personas, request: SubjectRequest) -> SubjectRequest:
    request.refresh_from_db()
    return services.request_answer(actor=personas.officer, request=request,
                                   base_version=request.version,
                                   answered_on=timezone.localdate(), channel=AnswerChannel.POST,
                                   note="Đã gửi thư cho mẹ của trẻ.")


def restrictions() -> int:
    return ChildRestriction.objects.count()


class RestrictTests:
    def test_a_granted_restriction_hides_the_child_then_the_answer_goes(
            self, personas: Personas, world: World) -> None:
        request = decide(personas, receive(personas, world.child, RequestKind.RESTRICT))
        with pytest.raises(ValidationError) as early:
            answer(personas, request)
        assert "trước khi ghi việc trả lời" in str(early.value)
        carrying.request_restrict(actor=personas.officer, request=request,
                                  roles=[Role.COMMUNE_OFFICER], reason="Theo yêu cầu của mẹ.")
        request.refresh_from_db()
        assert request.carried_out_at is not None and request.carried_out_by == personas.officer
        assert carrying.restriction_of(request) is not None
        assert not registry.child_list(user=personas.province_officer).filter(
            pk=world.child.pk).exists()
        assert registry.child_list(user=personas.officer).filter(pk=world.child.pk).exists()
        assert answer(personas, request).status == Status.ANSWERED
        events = AuditEvent.objects.filter(action=Action.UPDATE, object_id__in=[
            str(request.public_id), str(world.child.public_id)])
        assert sum("restriction" in e.changed_fields for e in events) == 2  # request, child

    def test_the_restriction_is_lifted_after_the_answer_too(self, personas: Personas,
                                                            world: World) -> None:
        request = decide(personas, receive(personas, world.child, RequestKind.OBJECT))
        carrying.request_restrict(actor=personas.officer, request=request,
                                  roles=[Role.COMMUNE_OFFICER], reason="Phản đối được chấp nhận.")
        answer(personas, request)
        lifted = carrying.request_lift_restriction(actor=personas.officer, request=request,
                                                   reason="Mẹ của trẻ rút phản đối.")
        assert lifted.lifted_by == personas.officer
        assert carrying.restriction_of(request) is None
        assert registry.child_list(user=personas.province_officer).filter(
            pk=world.child.pk).exists()
        with pytest.raises(ValidationError):
            carrying.request_lift_restriction(actor=personas.officer, request=request,
                                              reason="Lần nữa.")

    @pytest.mark.parametrize(("kind", "decision"), [
        (RequestKind.RESTRICT, Decision.REFUSED),
        (RequestKind.ACCESS, Decision.GRANTED),
        (RequestKind.RESTRICT, None),
    ])
    def test_only_a_granted_restriction_or_objection_is_carried_out(
            self, personas: Personas, world: World, kind: str, decision: str | None) -> None:
        request = receive(personas, world.child, kind)
        if decision:
            request = decide(personas, request, decision)
        with writes_nothing(restrictions), pytest.raises(ValidationError):
            carrying.request_restrict(actor=personas.officer, request=request,
                                      roles=[Role.COMMUNE_OFFICER], reason="Lý do.")
        request.refresh_from_db()
        assert request.carried_out_at is None

    def test_bad_roles_write_nothing_on_the_request_either(self, personas: Personas,
                                                           world: World) -> None:
        request = decide(personas, receive(personas, world.child, RequestKind.RESTRICT))
        with writes_nothing(restrictions), pytest.raises(ValidationError):
            carrying.request_restrict(actor=personas.officer, request=request, roles=[],
                                      reason="Lý do.")
        request.refresh_from_db()
        assert request.carried_out_at is None

    def test_an_auditor_reads_but_does_not_carry_out(self, personas: Personas,
                                                     world: World) -> None:
        request = decide(personas, receive(personas, world.child, RequestKind.RESTRICT))
        with writes_nothing(restrictions), pytest.raises(PermissionDenied):
            carrying.request_restrict(actor=personas.auditor, request=request,
                                      roles=[Role.AUDITOR], reason="Lý do.")


class EraseTests:
    def test_a_granted_deletion_erases_who_the_child_is(self, personas: Personas,
                                                        world: World) -> None:
        request = decide(personas, receive(personas, world.child, RequestKind.DELETE))
        with pytest.raises(ValidationError):
            answer(personas, request)
        carrying.request_erase(actor=personas.officer, request=request)
        child = world.child
        child.refresh_from_db()
        assert child.full_name == ANONYMOUS_CHILD and child.personal_id is None
        assert child.birth_date.year == 2015  # what indicators count stays
        assert not Caregiver.objects.filter(child=child).exists()
        assert AuditEvent.objects.filter(object_id=str(child.public_id),
                                         action=Action.DELETE).exists()
        assert answer(personas, request).status == Status.ANSWERED

    def test_it_is_carried_out_once_and_only_when_granted(self, personas: Personas,
                                                          world: World) -> None:
        refused = decide(personas, receive(personas, world.child, RequestKind.DELETE),
                         Decision.REFUSED)
        with pytest.raises(ValidationError):
            carrying.request_erase(actor=personas.officer, request=refused)
        world.child.refresh_from_db()
        assert world.child.full_name == "Lương Văn Minh"
        granted = decide(personas, receive(personas, world.sister, RequestKind.DELETE))
        carrying.request_erase(actor=personas.officer, request=granted)
        with pytest.raises(ValidationError):
            carrying.request_erase(actor=personas.officer, request=granted)

    def test_the_officer_of_another_commune_cannot(self, personas: Personas,
                                                   world: World) -> None:
        request = decide(personas, receive(personas, world.child, RequestKind.DELETE))
        with pytest.raises(PermissionDenied):
            carrying.request_erase(actor=personas.outsider, request=request)
        world.child.refresh_from_db()
        assert world.child.full_name == "Lương Văn Minh"


class WithdrawConsentTests:
    def test_a_granted_withdrawal_withdraws_the_consents_chosen(self, personas: Personas,
                                                                world: World) -> None:
        named = make_consent(child=world.child, purpose="named_in_activity",
                             given_on=datetime.date(2025, 5, 1))
        photo = make_consent(child=world.child, purpose="photo_evidence",
                             given_on=datetime.date(2025, 5, 1))
        request = decide(personas, receive(personas, world.child, RequestKind.WITHDRAW))
        with pytest.raises(ValidationError):
            answer(personas, request)  # the withdrawal first
        carrying.request_withdraw_consents(actor=personas.officer, request=request,
                                           consent_ids=[str(named.public_id)])
        named.refresh_from_db()
        photo.refresh_from_db()
        assert named.withdrawn_on == request.received_on and named.withdrawn_by == \
            personas.officer
        assert photo.withdrawn_on is None  # not asked
        assert consent_valid(world.child, "named_in_activity",
                             on=timezone.localdate()) is None
        assert answer(personas, request).status == Status.ANSWERED

    def test_another_childs_consent_or_none_is_refused_and_nothing_changes(
            self, personas: Personas, world: World) -> None:
        own = make_consent(child=world.child, given_on=datetime.date(2025, 5, 1))
        other = make_consent(child=world.sister, given_on=datetime.date(2025, 5, 1))
        request = decide(personas, receive(personas, world.child, RequestKind.WITHDRAW))
        for ids in ([], [str(other.public_id)], [str(own.public_id), str(other.public_id)]):
            with pytest.raises(ValidationError):
                carrying.request_withdraw_consents(actor=personas.officer, request=request,
                                                   consent_ids=ids)
        own.refresh_from_db()
        other.refresh_from_db()
        assert own.withdrawn_on is None and other.withdrawn_on is None
        request.refresh_from_db()
        assert request.carried_out_at is None

    def test_without_a_standing_consent_the_answer_does_not_wait(self, personas: Personas,
                                                                 world: World) -> None:
        request = decide(personas, receive(personas, world.child, RequestKind.WITHDRAW))
        assert answer(personas, request).status == Status.ANSWERED

    def test_the_page_lists_the_standing_consents_and_withdraws(
            self, client: Client, personas: Personas, world: World) -> None:
        consent = make_consent(child=world.child, given_on=datetime.date(2025, 5, 1),
                               representative_name="Đinh Thị Mẹ")
        request = decide(personas, receive(personas, world.child, RequestKind.WITHDRAW))
        login(client, personas.officer)
        page = client.get(reverse("privacy:request_detail", args=[request.public_id]))
        assert "Nêu tên trẻ trong hoạt động — Đinh Thị Mẹ, ngày 01/05/2025" in \
            page.content.decode()
        url = reverse("privacy:request_withdraw", args=[request.public_id])
        assert client.post(url, {}).status_code == 400
        assert client.post(url, {"consents": [str(consent.public_id)]}).status_code == 302
        consent.refresh_from_db()
        assert consent.withdrawn_on is not None


class PageAndApiTests:
    def test_the_page_restricts_and_lifts(self, client: Client, personas: Personas,
                                          world: World) -> None:
        request = decide(personas, receive(personas, world.child, RequestKind.RESTRICT))
        login(client, personas.officer)
        detail = reverse("privacy:request_detail", args=[request.public_id])
        assert "Hạn chế xử lý hồ sơ của trẻ" in client.get(detail).content.decode()
        refused = client.post(reverse("privacy:request_restrict", args=[request.public_id]),
                              {"reason": "Theo yêu cầu."})
        assert refused.status_code == 400 and not ChildRestriction.objects.exists()
        done = client.post(reverse("privacy:request_restrict", args=[request.public_id]),
                           {"roles": ["commune_officer", "auditor"], "reason": "Theo yêu cầu."})
        assert done.status_code == 302
        page = client.get(detail).content.decode()
        assert "đang bị hạn chế xử lý" in page and "Thanh tra, kiểm tra" in page
        lifted = client.post(reverse("privacy:request_lift", args=[request.public_id]),
                             {"lift_reason": "Rút yêu cầu."})
        assert lifted.status_code == 302 and not ChildRestriction.objects.active().exists()

    def test_the_erase_form_needs_its_confirmation(self, client: Client, personas: Personas,
                                                   world: World) -> None:
        request = decide(personas, receive(personas, world.child, RequestKind.DELETE))
        login(client, personas.officer)
        url = reverse("privacy:request_erase", args=[request.public_id])
        assert client.post(url, {}).status_code == 400
        world.child.refresh_from_db()
        assert world.child.full_name == "Lương Văn Minh"
        assert client.post(url, {"confirm": "on"}).status_code == 302
        world.child.refresh_from_db()
        assert world.child.full_name == ANONYMOUS_CHILD

    def test_the_api_restricts_with_roles_and_refuses_bad_ones(
            self, client: Client, personas: Personas, world: World) -> None:
        request = decide(personas, receive(personas, world.child, RequestKind.RESTRICT))
        login(client, personas.officer)
        url = f"/api/v1/privacy/requests/{request.public_id}/restriction"
        for body in ({"roles": [], "reason": "Lý do."}, {"roles": ["king"], "reason": "Lý do."},
                     {"roles": ["auditor"], "reason": " "}):
            assert client.post(url, body, content_type="application/json").status_code in (
                400, 422), body
        assert not ChildRestriction.objects.exists()
        made = client.post(url, {"roles": ["commune_officer"], "reason": "Lý do."},
                           content_type="application/json")
        assert made.status_code == 200
        assert made.json()["restriction"]["roles"] == ["commune_officer"]
        assert made.json()["carried_out_at"] is not None

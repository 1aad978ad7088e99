"""Referrals: the worker sends, the receiving sector of the area sees the case and answers."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from treem.accounts.roles import Role, Sector
from treem.cases import selectors, services
from treem.cases.choices import ReferralStatus, Service
from treem.cases.models import Referral
from treem.cases.tests.test_services import _notify
from treem.registry.tests.factories import make_child
from treem.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(tree, personas):
    child = make_child(commune=tree.commune_a, full_name="Lý Văn Páo")
    return services.case_open(actor=personas.officer, child=child,
                              notification=_notify(personas.intake, tree.commune_a))


def _send(personas, case, service=Service.POLICE, **extra) -> Referral:
    values = {"organisation": "Công an xã Thục Phán",
              "due_on": timezone.localdate() + datetime.timedelta(days=3),
              "note": "Đề nghị điều tra hành vi bạo lực"}
    return services.referral_create(actor=personas.officer, case=case, service=service,
                                    **{**values, **extra})


class ReferralTests:
    def test_the_worker_sends_and_the_police_of_the_province_sees_and_answers(
            self, case, personas, tree) -> None:
        police = personas.sector_focal  # police focal point of the province
        assert not selectors.case_list(user=police).exists()
        referral = _send(personas, case)
        assert referral.sector == Sector.POLICE
        assert list(selectors.case_list(user=police)) == [case]
        health = make_user("health", role=Role.SECTOR_FOCAL, unit=tree.province,
                           sector=Sector.HEALTH)
        assert not selectors.case_list(user=health).exists()
        with pytest.raises(PermissionDenied):
            services.referral_answer(actor=health, referral=referral, accept=True)
        services.referral_answer(actor=police, referral=referral, accept=True)
        with pytest.raises(ValidationError):
            services.referral_answer(actor=police, referral=referral, accept=False)
        with pytest.raises(ValidationError):
            services.referral_result(actor=police, referral=referral, result=" ")
        done = services.referral_result(actor=police, referral=referral,
                                        result="Đã khởi tố vụ án, trẻ được bảo vệ")
        assert done.status == ReferralStatus.DONE and done.done_at is not None

    def test_police_of_another_province_sees_nothing(self, case, personas, tree) -> None:
        _send(personas, case)
        elsewhere = make_user("police_hn", role=Role.SECTOR_FOCAL, unit=tree.other_province,
                              sector=Sector.POLICE)
        assert not selectors.case_list(user=elsewhere).exists()

    def test_bad_input_and_other_users_are_refused(self, case, personas, tree) -> None:
        with pytest.raises(ValidationError):
            _send(personas, case, organisation="  ")
        with pytest.raises(ValidationError):
            _send(personas, case, due_on=timezone.localdate() - datetime.timedelta(days=1))
        colleague = make_user("officer_a2", role=Role.COMMUNE_OFFICER, unit=tree.commune_a)
        with pytest.raises(PermissionDenied):
            services.referral_create(actor=colleague, case=case, service=Service.HEALTH,
                                     organisation="Trạm y tế",
                                     due_on=timezone.localdate())
        assert not Referral.objects.exists()

    def test_a_declined_referral_gets_no_result_and_the_worker_may_record_one(
            self, case, personas) -> None:
        declined = _send(personas, case)
        services.referral_answer(actor=personas.sector_focal, referral=declined, accept=False,
                                 note="Không thuộc thẩm quyền")
        with pytest.raises(ValidationError):
            services.referral_result(actor=personas.officer, referral=declined, result="x")
        accepted = _send(personas, case)
        services.referral_answer(actor=personas.sector_focal, referral=accepted, accept=True)
        services.referral_result(actor=personas.officer, referral=accepted, result="Xong")


class ReferralPageTests:
    def test_the_police_open_the_referred_case_and_accept(self, case, personas) -> None:
        from django.test import Client
        from django.urls import reverse

        from treem.testing import login

        officer, police = login(Client(), personas.officer), login(Client(), personas.sector_focal)
        url = reverse("cases:case_detail", args=[case.public_id])
        assert police.get(url).status_code == 404  # nothing referred yet
        officer.post(reverse("cases:referral_add", args=[case.public_id]),
                     {"service": "police", "organisation": "Công an xã",
                      "due_on": (timezone.localdate() + datetime.timedelta(days=2)).isoformat()})
        referral = Referral.objects.get()
        page = police.get(url).content.decode()
        assert "Công an xã" in page and "Tiếp nhận" in page
        assert "Bắt đầu xác minh" not in page  # the police do not move the case
        police.post(reverse("cases:referral_answer", args=[referral.public_id]),
                    {"action": "accept", "text": "Đã cử cán bộ"})
        referral.refresh_from_db()
        assert referral.status == ReferralStatus.ACCEPTED
        bad = officer.post(reverse("cases:referral_add", args=[case.public_id]),
                           {"service": "health", "organisation": "", "due_on": "2099-01-01"},
                           follow=True)
        assert "Hãy ghi cơ quan, tổ chức tiếp nhận." in bad.content.decode()
        assert Referral.objects.count() == 1

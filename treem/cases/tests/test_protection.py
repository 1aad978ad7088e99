"""Emergency measures and temporary separation: who decides, how long, what it meets."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from treem.cases import services
from treem.cases.models import CaseDeadline, Protection
from treem.cases.tests.test_services import _notify
from treem.registry.tests.factories import make_child

pytestmark = pytest.mark.django_db

Step = CaseDeadline.Step


@pytest.fixture
def case(tree, personas):
    child = make_child(commune=tree.commune_a, full_name="Lý Văn Páo")
    received = timezone.now() - datetime.timedelta(hours=2)
    return services.case_open(actor=personas.officer, child=child,
                              notification=_notify(personas.intake, tree.commune_a,
                                                   received_at=received, urgent=True))


def _running(case) -> set[str]:
    return set(case.deadlines.filter(met_at__isnull=True).values_list("step", flat=True))


class MeasureTests:
    def test_an_emergency_measure_meets_the_12_hour_limit(self, case, personas) -> None:
        taken = timezone.now() - datetime.timedelta(minutes=30)
        services.protection_measure(actor=personas.officer, case=case, taken_at=taken,
                                    description="Đưa trẻ đến trạm y tế, báo công an")
        emergency = case.deadlines.get(step=Step.EMERGENCY)
        assert emergency.met_at == taken and emergency.met_at <= emergency.due_at

    @pytest.mark.parametrize(("shift", "description"), [
        (datetime.timedelta(hours=1), "Đưa trẻ đi"),     # in the future
        (-datetime.timedelta(hours=5), "Đưa trẻ đi"),    # before the report was received
        (-datetime.timedelta(minutes=5), "  "),
    ])
    def test_bad_input_records_nothing(self, case, personas, shift, description) -> None:
        with pytest.raises(ValidationError):
            services.protection_measure(actor=personas.officer, case=case,
                                        taken_at=timezone.now() + shift,
                                        description=description)
        assert not Protection.objects.exists() and _running(case) == {Step.EMERGENCY}

    def test_only_the_cases_workers_record_one(self, case, personas) -> None:
        for user in (personas.chairman, personas.outsider, personas.intake):
            with pytest.raises(PermissionDenied):
                services.protection_measure(actor=user, case=case, taken_at=timezone.now(),
                                            description="x")


class SeparationTests:
    def _decide(self, case, personas, days: int = 7, **extra) -> Protection:
        return services.separation_decide(
            actor=personas.chairman, case=case, taken_at=timezone.now(), days=days,
            description="Cha đánh trẻ khi say rượu", care_place="Nhà bà ngoại, thôn Nà Pồng",
            **{"separated_from": "Ông Hoàng Văn Dũng (cha)", **extra})

    def test_the_chairman_separates_the_child_for_at_most_15_days(self, case,
                                                                 personas) -> None:
        with pytest.raises(PermissionDenied):
            services.separation_decide(actor=personas.officer, case=case,
                                       taken_at=timezone.now(), days=7, description="x",
                                       care_place="y", separated_from="cha")
        with pytest.raises(ValidationError):
            self._decide(case, personas, days=16)
        with pytest.raises(ValidationError) as raised:
            self._decide(case, personas, separated_from="  ")
        assert "separated_from" in raised.value.message_dict
        assert not Protection.objects.exists()
        protection = self._decide(case, personas, days=7,
                                  alternative_carer="Bà Nông Thị Hoa (bà ngoại)")
        assert protection.separated_from == "Ông Hoàng Văn Dũng (cha)"
        assert protection.alternative_carer == "Bà Nông Thị Hoa (bà ngoại)"
        assert _running(case) == {Step.SEPARATION_END}  # the 12 hours are met by it
        end = case.deadlines.get(step=Step.SEPARATION_END)
        assert end.due_at == protection.until == protection.taken_at + datetime.timedelta(days=7)
        with pytest.raises(ValidationError):
            self._decide(case, personas, days=3)  # one separation at a time

    def test_an_extension_stays_within_15_days_unless_an_authority_asks(self, case,
                                                                        personas) -> None:
        protection = self._decide(case, personas, days=7)
        services.separation_extend(actor=personas.chairman, protection=protection, days=15)
        assert case.deadlines.get(step=Step.SEPARATION_END, met_at__isnull=True).due_at == \
            protection.taken_at + datetime.timedelta(days=15)
        with pytest.raises(ValidationError):
            services.separation_extend(actor=personas.chairman, protection=protection, days=20)
        services.separation_extend(actor=personas.chairman, protection=protection, days=20,
                                   authority_request="Công văn của Tòa án nhân dân khu vực")
        protection.refresh_from_db()
        assert protection.until == protection.taken_at + datetime.timedelta(days=20)

    def test_an_extension_from_a_stale_page_cannot_shorten_another(self, case,
                                                                   personas) -> None:
        protection = self._decide(case, personas, days=7)
        stale = Protection.objects.get(pk=protection.pk)  # a second chairman's page
        services.separation_extend(actor=personas.chairman, protection=protection, days=14)
        for days in (10, 14):
            with pytest.raises(ValidationError) as raised:
                services.separation_extend(actor=personas.chairman, protection=stale, days=days)
            assert "days" in raised.value.message_dict
        protection.refresh_from_db()
        assert protection.until == protection.taken_at + datetime.timedelta(days=14)
        assert case.deadlines.get(step=Step.SEPARATION_END, met_at__isnull=True).due_at == \
            protection.until

    def test_ending_it_meets_the_limit_and_needs_a_reason(self, case, personas) -> None:
        protection = self._decide(case, personas)
        with pytest.raises(ValidationError):
            services.separation_end(actor=personas.officer, protection=protection, reason="")
        services.separation_end(actor=personas.officer, protection=protection,
                                reason="Đánh giá lại (Mẫu 03): gia đình đã an toàn")
        assert _running(case) == set()
        with pytest.raises(ValidationError):
            services.separation_end(actor=personas.chairman, protection=protection,
                                    reason="lần nữa")


class ProtectionPageTests:
    def test_measure_and_separation_from_the_case_page(self, case, personas) -> None:
        from django.test import Client
        from django.urls import reverse

        from treem.testing import login

        officer, chairman = login(Client(), personas.officer), login(Client(), personas.chairman)
        page = officer.get(reverse("cases:case_detail", args=[case.public_id])).content.decode()
        assert "Ghi biện pháp can thiệp khẩn cấp" in page
        assert "Quyết định tạm thời cách ly" not in page  # the chairman's
        now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
        bad = officer.post(reverse("cases:protection_add", args=[case.public_id, "measure"]),
                           {"taken_at": now, "description": ""}, follow=True)
        assert "Hãy ghi nội dung biện pháp." in bad.content.decode()
        officer.post(reverse("cases:protection_add", args=[case.public_id, "measure"]),
                     {"taken_at": now, "description": "Báo công an, đưa trẻ đi khám"})
        assert case.deadlines.get(step=Step.EMERGENCY).met_at is not None
        refused = officer.post(reverse("cases:protection_add", args=[case.public_id,
                                                                     "separation"]),
                               {"taken_at": now, "description": "x", "care_place": "y",
                                "days": 5, "separated_from": "cha"}, follow=True)
        assert "Bạn không được tiếp nhận, xử lý vụ việc của địa bàn này." in \
            refused.content.decode()
        chairman.post(reverse("cases:protection_add", args=[case.public_id, "separation"]),
                      {"taken_at": now, "description": "Cha say rượu đánh trẻ",
                       "care_place": "Nhà bà ngoại", "days": 20,
                       "separated_from": "Ông Dũng (cha)"})
        assert not Protection.objects.filter(kind="separation").exists()  # over 15 days
        chairman.post(reverse("cases:protection_add", args=[case.public_id, "separation"]),
                      {"taken_at": now, "description": "Cha say rượu đánh trẻ",
                       "care_place": "Nhà bà ngoại", "days": 10,
                       "separated_from": "Ông Dũng (cha)"})
        separation = Protection.objects.get(kind="separation")
        officer.post(reverse("cases:separation_change", args=[separation.public_id]),
                     {"action": "end", "reason": "Gia đình đã an toàn"})
        separation.refresh_from_db()
        assert separation.ended_at is not None
        # The decision prints as a decision (Mẫu 07), and its end as a second one (Điều 32 k3).
        printed = chairman.get(reverse("cases:separation_print",
                                       args=[separation.public_id])).content.decode()
        assert "Tạm thời cách ly trẻ em" in printed and "khỏi Ông Dũng (cha)" in printed
        assert "Về việc hủy bỏ quyết định tạm thời cách ly trẻ em" in printed
        assert printed.index("Gia đình đã an toàn") > printed.index("hủy bỏ quyết định")

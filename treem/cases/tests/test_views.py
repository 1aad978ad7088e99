"""The intake and case pages: forms, need-to-know, masking, the home page's deadlines."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from treem.audit.models import Action, AuditEvent
from treem.cases import services
from treem.cases.choices import AbuseForm, Status
from treem.cases.models import Case, Notification
from treem.cases.tests.test_services import _notify
from treem.registry.tests.factories import make_child
from treem.testing import login, make_user

pytestmark = pytest.mark.django_db

FORM = {"commune": "01273", "channel": "hotline_111", "received_at": "2026-03-02T09:30",
        "abuse_forms": ["violence", "neglect"], "place": "family",
        "description": "Trẻ bị cha đánh, bỏ đói.", "child_description": "Bé trai 8 tuổi",
        "reporter_name": "Bà Hoa", "reporter_phone": "0912000111", "urgent": "on"}


def _client(user) -> Client:
    return login(Client(), user)


class IntakePageTests:
    def test_the_hotline_records_a_report_and_the_commune_gets_it(self, tree, personas) -> None:
        response = _client(personas.intake).post(reverse("cases:notification_create"), FORM)
        notification = Notification.objects.get()
        assert response["Location"] == reverse("cases:notification_detail",
                                               args=[notification.public_id])
        assert notification.commune == tree.commune_a and notification.urgent
        assert notification.forms == ["violence", "neglect"]
        inbox = _client(personas.officer).get(reverse("cases:notification_list"))
        assert "Chờ xã xử lý" in inbox.content.decode()
        assert not Notification.objects.filter(commune=tree.commune_b).exists()

    def test_the_commune_is_filled_in_for_its_staff_not_for_the_hotline(self, tree,
                                                                        personas) -> None:
        url = reverse("cases:notification_create")
        own = _client(personas.officer).get(url).content.decode()
        assert 'value="01273"' in own
        hotline = _client(personas.intake).get(url).content.decode()
        assert 'name="commune"' in hotline and 'value="01273"' not in hotline

    @pytest.mark.parametrize(("change", "message"), [
        ({"abuse_forms": []}, "Hãy chọn ít nhất một hình thức xâm hại."),
        ({"description": ""}, "Hãy ghi nội dung vụ việc."),
        ({"commune": "99999"}, "Không có xã, phường hiện hành với mã này."),
        ({"received_at": "2099-01-01T10:00"},
         "Thời điểm tiếp nhận không được sau thời điểm hiện tại."),
        ({"reporter_anonymous": "on"},
         "Người báo tin không cho biết danh tính: không ghi họ tên, điện thoại."),
    ])
    def test_bad_input_says_why_and_writes_nothing(self, tree, personas, change,
                                                   message) -> None:
        page = _client(personas.intake).post(reverse("cases:notification_create"),
                                             {**FORM, **change})
        assert page.status_code == 200 and message in page.content.decode()
        assert not Notification.objects.exists()

    def test_the_reporter_is_shown_only_to_who_recorded_it(self, tree, personas) -> None:
        _client(personas.intake).post(reverse("cases:notification_create"), FORM)
        url = reverse("cases:notification_detail",
                      args=[Notification.objects.get().public_id])
        assert "Bà Hoa" in _client(personas.intake).get(url).content.decode()
        seen = _client(personas.officer).get(url).content.decode()
        assert "Bà Hoa" not in seen and "0912000111" not in seen
        assert "Được giữ bí mật" in seen
        reads = AuditEvent.objects.filter(action=Action.VIEW, actor=personas.officer)
        assert reads.count() == 1


class ReceiptFormTests:
    def test_the_receipt_form_prints_with_the_reporter_only_for_who_recorded_it(
            self, tree, personas) -> None:
        _client(personas.intake).post(reverse("cases:notification_create"),
                                      {**FORM, "reporter_address": "Thôn Nà Pồng",
                                       "family_situation": "Cha nghiện rượu",
                                       "father": "Hoàng Văn Dũng, 38 tuổi, làm ruộng",
                                       "mother": "Nông Thị Lan, 35 tuổi, buôn bán",
                                       "carer": "Bà nội"})
        notification = Notification.objects.get()
        url = reverse("cases:notification_print", args=[notification.public_id])
        own = _client(personas.intake).get(url).content.decode()
        assert "Mẫu số 01" in own and "Thôn Nà Pồng" in own and "Cha nghiện rượu" in own
        assert "Tổng đài điện thoại quốc gia bảo vệ trẻ em 111" in own
        # The parents and the carer each on their line, as the form lists them.
        for line in ("Hoàng Văn Dũng, 38 tuổi, làm ruộng", "Nông Thị Lan, 35 tuổi, buôn bán",
                     "Hiện ai là người chăm sóc trẻ em (nếu biết)", "Bà nội", "Số: ……/BC-"):
            assert line in own
        commune = _client(personas.officer).get(url).content.decode()
        assert "Bà Hoa" not in commune and "Thôn Nà Pồng" not in commune
        assert AuditEvent.objects.filter(action=Action.VIEW, reason="print",
                                         actor=personas.officer).count() == 1


class CasePageTests:
    def test_the_officer_finds_the_child_opens_the_case_and_moves_it(self, tree,
                                                                     personas) -> None:
        child = make_child(commune=tree.commune_a, full_name="Lý Văn Páo")
        notification = _notify(personas.intake, tree.commune_a)
        officer = _client(personas.officer)
        url = reverse("cases:notification_detail", args=[notification.public_id])
        found = officer.post(url, {"q": "ly van pao"}).content.decode()
        assert "Lý Văn Páo" in found and str(child.public_id) in found
        response = officer.post(reverse("cases:case_open", args=[notification.public_id]),
                                {"child": str(child.public_id)})
        case = Case.objects.get()
        assert response["Location"] == reverse("cases:case_detail", args=[case.public_id])
        page = officer.get(response["Location"]).content.decode()
        assert "Bắt đầu xác minh, đánh giá ban đầu" in page
        officer.post(reverse("cases:case_move", args=[case.public_id]),
                     {"move": "verify", "note": "Đã gặp gia đình"})
        case.refresh_from_db()
        assert case.status == Status.VERIFYING
        wrong = officer.post(reverse("cases:case_move", args=[case.public_id]),
                             {"move": "approve_plan"}, follow=True).content.decode()
        assert "Không thể chuyển hồ sơ" in wrong
        case.refresh_from_db()
        assert case.status == Status.VERIFYING

    def test_opening_without_choosing_a_child_changes_nothing(self, tree, personas) -> None:
        notification = _notify(personas.intake, tree.commune_a)
        response = _client(personas.officer).post(
            reverse("cases:case_open", args=[notification.public_id]), {"child": "x"},
            follow=True)
        assert "Hãy tìm và chọn trẻ trong sổ theo dõi." in response.content.decode()
        assert not Case.objects.exists()

    def test_a_colleague_who_is_not_a_worker_gets_not_found(self, tree, personas) -> None:
        child = make_child(commune=tree.commune_a, full_name="Lý Văn Páo")
        case = services.case_open(actor=personas.officer, child=child,
                                  notification=_notify(personas.intake, tree.commune_a))
        colleague = make_user("officer_a2", role="commune_officer", unit=tree.commune_a)
        assert _client(colleague).get(
            reverse("cases:case_detail", args=[case.public_id])).status_code == 404
        assert "Lý Văn Páo" not in _client(colleague).get(
            reverse("cases:case_list")).content.decode()

    def test_names_of_sexual_abuse_cases_are_masked_in_lists(self, tree, personas) -> None:
        child = make_child(commune=tree.commune_a, full_name="Lý Thị Mai", sex="f")
        services.case_open(actor=personas.officer, child=child,
                           notification=_notify(personas.intake, tree.commune_a,
                                                forms=[AbuseForm.SEXUAL_ABUSE]))
        listing = _client(personas.officer).get(reverse("cases:case_list")).content.decode()
        assert "Lý Thị Mai" not in listing and "L***" in listing


class HomePageTests:
    def test_due_steps_for_the_officer_and_counts_for_the_province(self, tree,
                                                                   personas) -> None:
        child = make_child(commune=tree.commune_a, full_name="Lý Văn Páo")
        received = timezone.now() - datetime.timedelta(hours=13)
        services.case_open(actor=personas.officer, child=child,
                           notification=_notify(personas.intake, tree.commune_a,
                                                received_at=received, urgent=True))
        home = _client(personas.officer).get(reverse("web:home")).content.decode()
        assert "Lý Văn Páo" in home and "quá hạn" in home
        above = _client(personas.province_officer).get(reverse("web:home")).content.decode()
        assert "<td>Phường Thục Phán</td><td>1</td>" in above and "Lý Văn Páo" not in above


class AssessmentAndPlanPageTests:
    def test_a_missing_rating_or_a_bad_plan_row_says_why_and_records_nothing(
            self, tree, personas) -> None:
        from treem.cases.models import Assessment, Plan

        child = make_child(commune=tree.commune_a, full_name="Lý Văn Páo")
        case = services.case_open(actor=personas.officer, child=child,
                                  notification=_notify(personas.intake, tree.commune_a))
        services.case_move(actor=personas.officer, case=case, move="verify")
        officer = _client(personas.officer)
        page = officer.get(reverse("cases:case_detail", args=[case.public_id])).content.decode()
        assert "Mức độ tổn hại của trẻ em" in page  # the initial assessment's form is offered
        today = timezone.localdate().isoformat()
        response = officer.post(reverse("cases:assessment_add", args=[case.public_id, "initial"]),
                                {"done_on": today, "rating_harm": "low", "conclusion": "safe"},
                                follow=True)
        assert "Hãy chọn mức đánh giá." in response.content.decode()
        assert not Assessment.objects.exists()
        Case.objects.filter(pk=case.pk).update(status=Status.PLANNING)
        response = officer.post(reverse("cases:plan_save", args=[case.public_id]),
                                {"version": "0", "goal": "An toàn", "task_1": "Tư vấn",
                                 "starts_on_1": today,
                                 "ends_on_1": "2000-01-01", "responsible_1": "Trạm y tế"},
                                follow=True)
        assert "Dòng 1" in response.content.decode()
        assert not Plan.objects.exists()


class AlertTests:
    def test_the_commune_sees_new_reports_in_its_menu_and_gets_an_email(
            self, tree, personas, settings, mailoutbox,
            django_capture_on_commit_callbacks) -> None:
        settings.EMAIL_HOST = "smtp.example.org"
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        personas.officer.email = "officer@example.org"
        personas.officer.save(update_fields=["email"])
        with django_capture_on_commit_callbacks(execute=True):
            _notify(personas.intake, tree.commune_a, reporter_name="Bà Hoa")
        assert [m.to for m in mailoutbox] == [["officer@example.org"]]
        assert "Bà Hoa" not in mailoutbox[0].body and "Thục Phán" not in mailoutbox[0].body
        home = _client(personas.officer).get(reverse("web:home")).content.decode()
        assert 'class="badge"' in home
        assert 'class="badge"' not in _client(personas.outsider).get(
            reverse("web:home")).content.decode()


class SharePageTests:
    def test_the_chairman_shares_a_case_with_the_province_which_then_reads_it(
            self, tree, personas) -> None:
        child = make_child(commune=tree.commune_a, full_name="Lý Văn Páo")
        case = services.case_open(actor=personas.officer, child=child,
                                  notification=_notify(personas.intake, tree.commune_a))
        url = reverse("cases:case_detail", args=[case.public_id])
        province = _client(personas.province_officer)
        assert province.get(url).status_code == 404
        chairman = _client(personas.chairman)
        refused = chairman.post(reverse("cases:case_share", args=[case.public_id]),
                                {"unit": str(tree.province.public_id), "reason": ""},
                                follow=True)
        assert "Hãy ghi lý do chia sẻ hồ sơ." in refused.content.decode()
        chairman.post(reverse("cases:case_share", args=[case.public_id]),
                      {"unit": str(tree.province.public_id), "reason": "Xin ý kiến Sở"})
        page = province.get(url)
        assert page.status_code == 200 and "Lý Văn Páo" in page.content.decode()
        assert "Bắt đầu xác minh" not in page.content.decode()

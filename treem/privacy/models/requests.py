"""A data subject's requests about a child's personal data (Luật 91/2025/QH15: the rights of
the data subject, exercised for a child by the legal representative; docs/privacy-law.md),
each with the identity check made, its legal deadline, the decision and its reason, and the
answer sent."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from treem.geo.models import ScopedQuerySet
from treem.geo.paths import PathField


class RequestKind(models.TextChoices):
    KNOW = "know", _("Được biết về việc xử lý dữ liệu")
    ACCESS = "access", _("Xem, nhận bản dữ liệu")
    CORRECT = "correct", _("Chỉnh sửa dữ liệu")
    DELETE = "delete", _("Xóa dữ liệu")
    RESTRICT = "restrict", _("Hạn chế xử lý dữ liệu")
    OBJECT = "object", _("Phản đối xử lý dữ liệu")
    WITHDRAW = "withdraw", _("Rút lại sự đồng ý")


class Requester(models.TextChoices):
    """Who may ask for a child: the legal representative (parents, guardian), or the child."""

    MOTHER = "mother", _("Mẹ")
    FATHER = "father", _("Cha")
    GUARDIAN = "guardian", _("Người giám hộ")
    CHILD = "child", _("Trẻ em (tự yêu cầu)")
    REPRESENTATIVE = "representative", _("Người đại diện theo pháp luật khác")


class IdentityCheck(models.TextChoices):
    """How the officer made sure the requester is who they say: the document seen, never its
    number (the request must not become another copy of personal data)."""

    CITIZEN_ID = "citizen_id", _("Thẻ căn cước, căn cước công dân")
    VNEID = "vneid", _("Tài khoản định danh điện tử (VNeID)")
    BIRTH_CERTIFICATE = "birth_cert", _("Giấy khai sinh của trẻ kèm giấy tờ của người yêu cầu")
    GUARDIANSHIP = "guardianship", _("Quyết định, giấy tờ về giám hộ")
    KNOWN = "known", _("Cán bộ biết trực tiếp (ghi rõ trong ghi chú)")


class Status(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    DECIDED = "decided", _("Đã quyết định")
    ANSWERED = "answered", _("Đã trả lời")


class Decision(models.TextChoices):
    GRANTED = "granted", _("Đồng ý")
    PARTLY = "partly", _("Đồng ý một phần")
    REFUSED = "refused", _("Từ chối")


class RefusalGround(models.TextChoices):
    """Why a request can be refused, each with its legal ground (Luật 91/2025/QH15; the
    quotes are in docs/privacy-law.md §1)."""

    STATE_DUTY = "state_duty", _(
        "Dữ liệu được xử lý không cần sự đồng ý, phục vụ hoạt động của cơ quan nhà nước (Điều 19 "
        "khoản 1 điểm c): không xóa, không rút lại sự đồng ý, không hạn chế (Điều 10 khoản 1, "
        "Điều 14 khoản 2)")
    LEGAL_KEEPING = "legal_keeping", _("Pháp luật có quy định khác, phải lưu giữ dữ liệu (Điều 10 "
                                       "khoản 1, Điều 14 khoản 2)")
    OTHERS_SAFETY = "others_safety", _(
        "Cung cấp dữ liệu có thể xâm phạm tính mạng, sức khỏe, tài sản của người khác (Điều 15 "
        "khoản 2 điểm a)")
    CHILD_INTEREST = "child_interest", _("Vì lợi ích tốt nhất và an toàn của trẻ (Luật Trẻ em 2016 "
                                         "Điều 21; Luật 91/2025/QH15 Điều 24)")
    CANNOT_CORRECT = "cannot_correct", _("Không thể chỉnh sửa vì lý do chính đáng (Điều 13 khoản "
                                         "3)")
    IDENTITY = "identity", _("Không xác minh được người yêu cầu là người đại diện của trẻ")
    OTHER = "other", _("Lý do khác (ghi rõ)")


class AnswerChannel(models.TextChoices):
    IN_PERSON = "in_person", _("Trao trực tiếp")
    POST = "post", _("Gửi bưu điện")
    EMAIL = "email", _("Thư điện tử")
    PHONE = "phone", _("Điện thoại (có ghi biên bản)")


class SubjectRequestQuerySet(ScopedQuerySet):
    scope_path = "unit_path"


class SubjectRequest(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    child = models.ForeignKey("registry.Child", on_delete=models.PROTECT, related_name="+",
                              db_constraint=False)
    # The child's commune when the request came: where it is handled and who sees it.
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = PathField(max_length=64)
    province_code = models.CharField(max_length=2)
    kind = models.CharField(_("yêu cầu"), max_length=10, choices=RequestKind.choices)
    details = models.TextField(_("nội dung yêu cầu"), blank=True)
    requester_name = models.CharField(_("người yêu cầu"), max_length=150)
    requester = models.CharField(_("quan hệ với trẻ"), max_length=16, choices=Requester.choices)
    requester_contact = models.CharField(_("cách liên hệ"), max_length=200, blank=True)
    identity_check = models.CharField(_("giấy tờ đã kiểm tra"), max_length=16,
                                      choices=IdentityCheck.choices)
    identity_note = models.CharField(_("ghi chú kiểm tra"), max_length=300, blank=True)
    received_on = models.DateField(_("ngày nhận"))
    # Nghị định 356/2025/NĐ-CP Điều 5: a first reply within 2 working days of receipt, then the
    # request carried out within a period set by its kind, extended once with a reason told to
    # the requester (requests.deadlines).
    first_reply_due_on = models.DateField(_("hạn phản hồi"))
    first_reply_on = models.DateField(_("ngày phản hồi"), null=True, blank=True)
    due_on = models.DateField(_("hạn giải quyết"))
    extended_at = models.DateTimeField(null=True, blank=True)
    extension_reason = models.TextField(_("lý do gia hạn"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    decision = models.CharField(_("quyết định"), max_length=8, choices=Decision.choices,
                                blank=True)
    refusal_ground = models.CharField(_("căn cứ từ chối"), max_length=16,
                                      choices=RefusalGround.choices, blank=True)
    decision_reason = models.TextField(_("lý do"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    answered_on = models.DateField(_("ngày trả lời"), null=True, blank=True)
    answer_channel = models.CharField(_("cách trả lời"), max_length=10,
                                      choices=AnswerChannel.choices, blank=True)
    answer_note = models.TextField(_("nội dung trả lời"), blank=True)
    # The last "what treem holds" export made for the request, and which of the child's cases
    # the officer judged the requester may know of (public ids).
    exported_at = models.DateTimeField(null=True, blank=True)
    exported_cases = models.JSONField(default=list, blank=True)
    # When a granted restriction or deletion was carried out on the register, and by whom.
    carried_out_at = models.DateTimeField(null=True, blank=True)
    carried_out_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    version = models.PositiveIntegerField(default=1)

    objects = SubjectRequestQuerySet.as_manager()
    # The request names the child and the requester: every display is audited.
    audit_reads = True

    class Meta:
        verbose_name = _("yêu cầu về dữ liệu cá nhân")
        verbose_name_plural = _("yêu cầu về dữ liệu cá nhân")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["unit_path", "status", "due_on"], name="privacy_request_due_idx"),
            models.Index(fields=["child"], name="privacy_request_child_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.received_on:%d/%m/%Y})"


class Correction(models.Model):
    """A value changed on the register because a request asked it: what it was, what it
    became. The register keeps the record as corrected (through its own service, its history
    and audit); this row keeps the value that was wrong, so nothing is lost."""

    request = models.ForeignKey(SubjectRequest, on_delete=models.PROTECT,
                                related_name="corrections")
    field = models.CharField(max_length=40)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    applied_at = models.DateTimeField(auto_now_add=True)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.field}: {self.old_value} → {self.new_value}"

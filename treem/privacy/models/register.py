"""The register of processing activities (Luật 91/2025/QH15; docs/privacy-law.md): for each
kind of record treem keeps, why, on what legal basis, which data, who sees it, how long it is
kept and where it goes. Kept as data, so a province's data-protection officer reads and files
what the installation really does, and the impact-assessment dossier is generated from it."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from treem.geo.models import ScopedQuerySet
from treem.geo.paths import PathField


class RecordKind(models.TextChoices):
    CHILD = "child", _("Trẻ em trong sổ theo dõi")
    HOUSEHOLD = "household", _("Hộ gia đình")
    CAREGIVER = "caregiver", _("Người chăm sóc trẻ")
    NOTIFICATION = "notification", _("Thông báo, tố giác (kể cả Tổng đài 111)")
    CASE = "case", _("Hồ sơ vụ việc bảo vệ trẻ em")
    ASSESSMENT = "assessment", _("Đánh giá nguy cơ, kế hoạch hỗ trợ")
    FUND_BENEFICIARY = "fund_beneficiary", _("Trẻ em nhận hỗ trợ của Quỹ")
    FORUM_PARTICIPANT = "forum_participant", _("Trẻ em tham gia hoạt động, diễn đàn")
    DONOR = "donor", _("Nhà tài trợ")
    USER_ACCOUNT = "user_account", _("Tài khoản người dùng")
    AUDIT_TRAIL = "audit_trail", _("Nhật ký truy cập")
    DATA_REQUEST = "data_request", _("Yêu cầu của chủ thể dữ liệu")


class Basis(models.TextChoices):
    """The legal bases treem relies on (Luật 91/2025/QH15 Điều 19 khoản 1 for processing
    without consent; docs/privacy-law.md quotes them)."""

    STATE_DUTY = "state_duty", _("Phục vụ hoạt động của cơ quan nhà nước, quản lý nhà nước "
                                 "theo quy định của pháp luật (không cần sự đồng ý)")
    VITAL = "vital", _("Bảo vệ tính mạng, sức khỏe, danh dự, nhân phẩm trong tình huống khẩn "
                       "cấp (không cần sự đồng ý)")
    LAW = "law", _("Theo quy định của luật khác (không cần sự đồng ý)")
    CONSENT = "consent", _("Sự đồng ý của chủ thể dữ liệu (với trẻ em: người đại diện theo "
                           "pháp luật, và trẻ từ đủ 7 tuổi)")
    AGREEMENT = "agreement", _("Thực hiện thỏa thuận của chủ thể dữ liệu")


class ProcessingActivityQuerySet(ScopedQuerySet):
    scope_path = "unit_path"


class ProcessingActivity(models.Model):
    """One line of a province's register: the province's People's Committee is the controller
    of the data its communes keep in treem, and files its own register and dossier."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = PathField(max_length=64)
    record_kind = models.CharField(_("loại hồ sơ"), max_length=20, choices=RecordKind.choices)
    purposes = models.TextField(_("mục đích xử lý"))
    basis = models.CharField(_("căn cứ xử lý"), max_length=12, choices=Basis.choices)
    basis_articles = models.TextField(_("điều khoản căn cứ"))
    basic_data = models.TextField(_("dữ liệu cá nhân cơ bản"), blank=True)
    sensitive_data = models.TextField(_("dữ liệu cá nhân nhạy cảm"), blank=True)
    # Capability names (treem.accounts.capabilities): the roles shown are read from the map
    # the code enforces, so the register cannot say one thing while the software does another.
    capabilities = models.JSONField(default=list)
    retention = models.TextField(_("thời hạn lưu trữ"))
    transfers = models.TextField(_("chuyển, chia sẻ dữ liệu"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    objects = ProcessingActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("hoạt động xử lý dữ liệu cá nhân")
        verbose_name_plural = _("hoạt động xử lý dữ liệu cá nhân")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["unit", "record_kind"],
                                               name="privacy_one_activity_per_kind")]

    def __str__(self) -> str:
        return str(self.get_record_kind_display())

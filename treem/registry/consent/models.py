"""A consent to one purpose of processing a child's data, with its signed form and its
withdrawal.

Most of what treem does with a child's data rests on the state's child-protection work (Luật
91/2025/QH15 Điều 19 khoản 1 điểm c) and needs no consent. Publishing or disclosing a child's
private life does (Điều 24 khoản 2): the legal representative's, and the child's own from 7.
A withdrawal stops the processing that rested on the consent (Điều 24 khoản 3 điểm a); the
row stays, as the proof of what was allowed and until when."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from treem.geo.models import ScopedQuerySet
from treem.geo.paths import PathField
from treem.ui.stored_files import StoredFile


class ConsentPurpose(models.TextChoices):
    NAMED_IN_ACTIVITY = "named_in_activity", _("Nêu tên trẻ trong hoạt động")
    PHOTO_EVIDENCE = "photo_evidence", _("Ảnh của trẻ làm minh chứng")
    BENEFICIARY_STORY = "beneficiary_story", _("Câu chuyện của trẻ được hỗ trợ")


class ConsentRelation(models.TextChoices):
    MOTHER = "mother", _("Mẹ")
    FATHER = "father", _("Cha")
    GUARDIAN = "guardian", _("Người giám hộ")
    OTHER = "other", _("Người đại diện theo pháp luật khác")


def _form_path(instance: "ConsentForm", _filename: str) -> str:
    from treem.ui.uploads import random_path

    return random_path("registry/consents", instance.content_type)


class ConsentForm(StoredFile):
    """The signed consent form, scanned or photographed (PDF, JPEG or PNG)."""

    file = models.FileField(upload_to=_form_path, max_length=200)


class ConsentQuerySet(ScopedQuerySet):
    scope_path = "unit_path"

    def standing(self) -> "ConsentQuerySet":
        """Consents not withdrawn."""
        return self.filter(withdrawn_on__isnull=True)


class ChildConsent(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    child = models.ForeignKey("registry.Child", on_delete=models.PROTECT,
                              related_name="consents", db_constraint=False)
    # The child's place when the consent was recorded: who may read it (the child's page
    # shows the consents of the child it shows, wherever it lives now).
    unit_path = PathField(max_length=64, db_index=True)
    province_code = models.CharField(max_length=2)
    purpose = models.CharField(_("mục đích"), max_length=20, choices=ConsentPurpose.choices)
    representative_name = models.CharField(_("người đại diện theo pháp luật"), max_length=150)
    relation = models.CharField(_("quan hệ với trẻ"), max_length=10,
                                choices=ConsentRelation.choices)
    # Luật 91/2025 Điều 24 khoản 2: from 7, the child's own agreement as well.
    child_agreed = models.BooleanField(_("trẻ đồng ý"), default=False)
    given_on = models.DateField(_("ngày đồng ý"))
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    form = models.OneToOneField(ConsentForm, on_delete=models.PROTECT, related_name="consent")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_on = models.DateField(_("ngày rút lại"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    withdrawal_note = models.CharField(_("ghi chú khi rút lại"), max_length=500, blank=True)
    # Raised by one by every write of the row (`treem.edits.conflicts`).
    version = models.PositiveIntegerField(default=1)

    objects = ConsentQuerySet.as_manager()
    # Who consented to what about a child is personal data: reading its form is audited.
    audit_reads = True

    class Meta:
        verbose_name = _("sự đồng ý của trẻ")
        verbose_name_plural = _("sự đồng ý của trẻ")
        ordering = ["-given_on", "-id"]
        indexes = [models.Index(fields=["child", "purpose"], name="registry_consent_purpose")]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
                name="registry_consent_withdrawn_after_given"),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True, withdrawn_by__isnull=True)
                | Q(withdrawn_on__isnull=False, withdrawn_by__isnull=False),
                name="registry_consent_withdrawn_by"),
            models.CheckConstraint(condition=~Q(representative_name=""),
                                   name="registry_consent_representative"),
        ]

    def __str__(self) -> str:
        return f"{self.child_id} {self.purpose} {self.given_on}"

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_on is not None

"""The fund's yearly report attached to the province's periodic report of the year
(`treem.fund.yearly_attach`), as a plan's implementation report is (`plans.ImplementationReport`):
the report's workflow stays the reports app's, and the fund's figures are frozen as JSON when
attached, so that the report says for ever what it said, whatever is received or corrected
afterwards."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from treem.fund.models.ledger import Fund
from treem.geo.models import ScopedQuerySet


class YearlyFundReportQuerySet(ScopedQuerySet):
    scope_path = "fund__unit_path"


class YearlyFundReport(models.Model):
    """The yearly fund report of `year` (`treem.fund.yearly.YearlyReport.content`) as attached
    to `report` (a `reports.Report` of the fund's province for that year)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="yearly_reports")
    year = models.PositiveSmallIntegerField(_("năm báo cáo"))
    report = models.ForeignKey("reports.Report", on_delete=models.PROTECT,
                               related_name="fund_yearly_reports",
                               verbose_name=_("báo cáo định kỳ"))
    content = models.JSONField(default=dict)
    attached_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    attached_at = models.DateTimeField(auto_now_add=True)

    objects = YearlyFundReportQuerySet.as_manager()

    class Meta:
        ordering = ["fund", "-year", "-attached_at"]
        constraints = [models.UniqueConstraint(fields=["report"],
                                               name="fund_yearly_once_a_report")]

    def __str__(self) -> str:
        return f"{self.fund} {self.year} → {self.report_id}"

"""The yearly fund report attached to the province's periodic report of the year (Hải Phòng's
plan 256/KH-UBND: the province reports every year what was mobilised and how many children
were helped, before 10 December), as a plan's implementation report is attached
(`treem.plans.implementation_services`): the figures the yearly page shows
(`treem.fund.yearly.YearlyReport.content`: the public account's figures, the earmarks' balances
at the year's end, the needs list met) are frozen as JSON when attached, and the report's page
shows them as frozen, whatever is received or corrected afterwards.

Which report: a yearly report (period "2026", a schedule of kind "year": the national
"Báo cáo công tác trẻ em năm", Hải Phòng's Đề án 588 report) of the fund's own unit, a unit of
today (a province dissolved in 2025 reports no more: its successor's fund reports), still a
draft or returned, its latest version. One fund report a periodic report: a second attach is
refused, as the plans' is; the manager takes the first off (while the report may still
change) and attaches the figures again.

The periodic reports belong to `treem.reports`, which the fund does not import (the two are
siblings, `lint-imports`): they are read through the model the attachment's foreign key names
(`_reports`), with the reports' statuses spelt here (`EDITABLE`)."""

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from treem.accounts.capabilities import Capability
from treem.accounts.models import User
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.fund import public, selectors, yearly
from treem.fund.models import Fund, YearlyFundReport
from treem.fund.services import require_manager

# The reports' statuses in which a report may still change (treem.reports.models.Status): a
# report submitted or approved says what it said when it was sent.
EDITABLE = ("draft", "returned")

REPORT_UNIT_DISSOLVED = _("Báo cáo định kỳ này là của %(unit)s, đơn vị đã giải thể năm 2025: "
                          "báo cáo năm của quỹ chỉ đính kèm vào báo cáo của tỉnh hiện hành.")
REPORT_OTHER_UNIT = _("Báo cáo định kỳ này là của %(unit)s, không phải của %(fund_unit)s, nơi "
                      "có quỹ.")
REPORT_OTHER_YEAR = _("Báo cáo định kỳ này là của kỳ %(report)s, không phải báo cáo năm "
                      "%(year)s.")
REPORT_NOT_EDITABLE = _("Báo cáo định kỳ đã gửi hoặc đã được duyệt: không đính kèm hay gỡ "
                        "được nữa.")
REPORT_ALREADY_ATTACHED = _("Báo cáo định kỳ này đã có báo cáo năm của quỹ đính kèm: muốn cập "
                            "nhật số liệu, hãy gỡ bản đã đính kèm rồi đính kèm lại.")
YEAR_WITHOUT_FIGURES = _("Quỹ chưa có số liệu của năm %(year)s.")


def _reports() -> Any:
    """The periodic reports' model, through the foreign key that names it (`reports.Report`):
    this app does not import its sibling."""
    return YearlyFundReport._meta.get_field("report").related_model


def is_editable(report: Any) -> bool:
    return bool(report.is_latest and report.status in EDITABLE)


def get_report_for_user(*, user: User, report_id: uuid.UUID | str) -> Any:
    """A periodic report of a unit in the user's fund-keeping scope (its province and the
    communes under it); 404 for any other, or for no id at all. Whether it may carry the
    fund's report is the service's to say."""
    try:
        key = uuid.UUID(str(report_id))
    except ValueError as error:
        raise Http404 from error
    found = (_reports().objects.visible_to(user, capability=Capability.MANAGE_FUND)
             .select_related("unit", "schedule").filter(public_id=key).first())
    if found is None:
        raise Http404
    return found


def candidate_reports(*, fund: Fund, year: int) -> list[Any]:
    """The reports the fund's report of `year` may be attached to: the yearly reports of the
    fund's unit (of today) for that year, latest versions, still editable, carrying no fund
    report yet."""
    return list(_reports().objects.filter(
        unit=fund.unit, unit__valid_to__isnull=True, period=str(year), is_latest=True,
        status__in=EDITABLE, fund_yearly_reports__isnull=True)
        .select_related("unit", "schedule").order_by("schedule__code"))


def attachments_for(*, user: User) -> QuerySet[YearlyFundReport]:
    """The attached reports of the funds the user reads. Whoever reads a province's periodic
    report (its officers, the reviewers above) reads its fund too (`VIEW_FUND`)."""
    return YearlyFundReport.objects.filter(fund__in=selectors.funds_for(user=user))


def get_attachment_for_user(*, user: User, attachment_id: uuid.UUID | str) -> YearlyFundReport:
    """An attached yearly report of a fund the user reads; 404 for any other."""
    found = attachments_for(user=user).select_related(
        "fund", "fund__unit", "report", "report__unit", "report__schedule", "attached_by"
    ).filter(public_id=attachment_id).first()
    if found is None:
        raise Http404
    return found


def fund_attachments(*, fund: Fund, year: int) -> list[YearlyFundReport]:
    return list(YearlyFundReport.objects.filter(fund=fund, year=year)
                .select_related("report", "report__unit", "report__schedule", "attached_by")
                .order_by("-attached_at"))


def _check_report(*, fund: Fund, year: int, report: Any) -> None:
    if report.unit.valid_to is not None:
        raise ValidationError({"report": REPORT_UNIT_DISSOLVED % {"unit": report.unit.name}})
    if report.unit_id != fund.unit_id:
        raise ValidationError({"report": REPORT_OTHER_UNIT % {
            "unit": report.unit.name, "fund_unit": fund.unit.name}})
    if report.period != str(year):
        raise ValidationError({"report": REPORT_OTHER_YEAR % {"report": report.period,
                                                               "year": year}})
    if not is_editable(report):
        raise ValidationError({"report": REPORT_NOT_EDITABLE})


@transaction.atomic
def yearly_attach(*, actor: User, fund: Fund, year: int, report: Any) -> YearlyFundReport:
    """Attach the fund's yearly report of `year` to `report` (a `reports.Report`: the yearly
    report of the fund's unit for that year, still a draft or returned), assembled now and
    frozen. Only the fund's manager; audited."""
    require_manager(actor, fund)
    if year not in public.public_years(fund):
        raise ValidationError({"year": YEAR_WITHOUT_FIGURES % {"year": year}})
    # The report's row read locked: a report submitted meanwhile is not attached to, and two
    # managers attaching at once do not both pass the check below.
    report = type(report).objects.select_for_update().select_related("unit").get(pk=report.pk)
    _check_report(fund=fund, year=year, report=report)
    if YearlyFundReport.objects.filter(report=report).exists():
        raise ValidationError({"report": REPORT_ALREADY_ATTACHED})
    content = yearly.assemble(fund=fund, year=year).content()
    item = YearlyFundReport.objects.create(fund=fund, year=year, report=report,
                                           content=content, attached_by=actor)
    event_record(actor=actor, action=Action.CREATE, obj=item, unit=fund.unit,
                 fields=["report", "year", "content"], reason=f"{year} → {report.public_id}")
    return item


@transaction.atomic
def yearly_detach(*, actor: User, item: YearlyFundReport) -> None:
    """Take the fund's report off its periodic report, while that may still change."""
    require_manager(actor, item.fund)
    report = type(item.report).objects.select_for_update().get(pk=item.report_id)
    if not is_editable(report):
        raise ValidationError({"report": REPORT_NOT_EDITABLE})
    event_record(actor=actor, action=Action.DELETE, obj=item, unit=item.fund.unit,
                 fields=["report"], reason=f"{item.year} → {report.public_id}")
    item.delete()

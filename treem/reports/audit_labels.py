"""How the audit log names reports to its reader (`treem.auditlog.labels`): by unit and
period (a report holds figures, no names), with a link for who may open it."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from treem.accounts.models import User
from treem.accounts.permissions import Capability
from treem.auditlog.labels import ObjectLabel, register, uuids_of
from treem.reports.models import Report
from treem.reports.selectors import report_list


def report_labels(reader: User, ids: list[str]) -> dict[str, ObjectLabel]:
    opens = report_list(user=reader).filter(pk=OuterRef("pk"))
    reports = (Report.objects.visible_to(reader, capability=Capability.VIEW_AUDIT)
               .filter(public_id__in=uuids_of(ids)).annotate(opens=Exists(opens))
               .select_related("unit").only("public_id", "period", "version", "unit__name"))
    return {str(report.public_id): ObjectLabel(
        _("báo cáo kỳ %(period)s của %(unit)s") % {"period": report.period,
                                                   "unit": report.unit.name},
        reverse("reports:report_detail", args=[report.public_id]) if report.opens else "")
        for report in reports}


def register_labellers() -> None:
    register("reports.report", report_labels)

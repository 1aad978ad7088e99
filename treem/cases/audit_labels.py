"""How the audit log names cases and notifications to its reader (`treem.auditlog.labels`).

A case is named by its number only, never by its child: the audit log is read by inspectors,
who see a case's child only when they may open the case (need-to-know, `selectors.case_list`),
and then through the link."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.accounts.models import User
from treem.accounts.permissions import Capability
from treem.auditlog.labels import ObjectLabel, register, uuids_of
from treem.cases.models import Case, Notification
from treem.cases.selectors import case_list, notification_list


def case_labels(reader: User, ids: list[str]) -> dict[str, ObjectLabel]:
    opens = case_list(user=reader).filter(pk=OuterRef("pk"))
    cases = (Case.objects.visible_to(reader, capability=Capability.VIEW_AUDIT)
             .filter(public_id__in=uuids_of(ids)).annotate(opens=Exists(opens))
             .only("public_id", "number", "number_year"))
    return {str(case.public_id): ObjectLabel(
        _("hồ sơ trường hợp số %(number)s") % {"number": case.number_label},
        reverse("cases:case_detail", args=[case.public_id]) if case.opens else "")
        for case in cases}


def notification_labels(reader: User, ids: list[str]) -> dict[str, ObjectLabel]:
    opens = notification_list(user=reader).filter(pk=OuterRef("pk"))
    notifications = (Notification.objects.visible_to(reader, capability=Capability.VIEW_AUDIT)
                     .filter(public_id__in=uuids_of(ids)).annotate(opens=Exists(opens))
                     .only("public_id", "received_at"))
    return {str(n.public_id): ObjectLabel(
        _("tin báo tiếp nhận lúc %(at)s")
        % {"at": timezone.localtime(n.received_at).strftime("%H:%M %d/%m/%Y")},
        reverse("cases:notification_detail", args=[n.public_id]) if n.opens else "")
        for n in notifications}


def register_labellers() -> None:
    register("cases.case", case_labels)
    register("cases.notification", notification_labels)

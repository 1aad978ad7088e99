"""The end of a case's (or a notification's) retention period (docs/retention.md): the
narratives and the names of the people in it cleared, what the statistics count kept.

Called by `treem.privacy` once an officer of the province has reviewed the record. What
stays: the case's commune, status, dates, forms of abuse, places, days, perpetrator's kind,
close reason, the steps and deadlines with their dates, protections' kinds and dates,
referrals' services, sectors and dates, assessments' ratings and conclusions, plans' dates
and costs — what `treem.indicators`, the case statistics and the reports' case tables count.
What goes: every free text (a story names people), the reporter's identity, the parents and
carers named on the receipt form, whom the child was separated from and who cared for it.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from treem.accounts.capabilities import Capability
from treem.accounts.models import User
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.cases.models import (
    Assessment,
    Case,
    CaseEvent,
    CaseShare,
    Notification,
    Plan,
    PlanItem,
    Protection,
    Referral,
)

REMOVED = "[Đã ẩn danh]"
NOT_YOURS = _("Hồ sơ này nằm ngoài phạm vi xem xét thời hạn lưu trữ của bạn.")

NOTIFICATION_FIELDS = {
    "reporter_name": "", "reporter_phone": "", "reporter_address": "", "reporter_relation": "",
    "child_description": "", "child_condition": "", "likely_consequences": "", "father": "",
    "mother": "", "carer": "", "family_situation": "", "actions_before": "",
    "description": REMOVED,
}
PROTECTION_FIELDS = {"description": REMOVED, "care_place": "", "separated_from": "",
                     "alternative_carer": "", "authority_request": "", "end_reason": ""}
REFERRAL_FIELDS = {"note": "", "result": ""}
PLAN_ITEM_FIELDS = {"task": REMOVED, "responsible": REMOVED, "provider": ""}


def _notifications(rows: Iterable[Notification], *, actor: User, action: str, reason: str) -> None:
    for notification in rows:  # a case has one or a few
        Notification.objects.filter(pk=notification.pk).update(**NOTIFICATION_FIELDS)
        event_record(actor=actor, action=action, obj=notification, unit=notification.commune,
                     fields=list(NOTIFICATION_FIELDS), reason=reason)


@transaction.atomic
def case_anonymise(*, actor: User, case: Case, erase: bool = False, reason: str) -> Case:
    """Clear the case's narratives and names, and those of its notifications. `erase` also
    empties the assessments' answers and the plans' goals rather than leaving a placeholder
    (both keep every count). One audit event for the case, one a notification."""
    case = Case.objects.select_for_update().select_related("commune").get(pk=case.pk)
    if not actor.in_scope(case.unit_path, capability=Capability.REVIEW_RETENTION):
        raise PermissionDenied(NOT_YOURS)
    action = Action.DELETE if erase else Action.UPDATE
    CaseEvent.objects.filter(case=case).exclude(note="").update(note="")
    Protection.objects.filter(case=case).update(**PROTECTION_FIELDS)
    Referral.objects.filter(case=case).update(**REFERRAL_FIELDS)
    Assessment.objects.filter(case=case).update(answers={})
    Plan.objects.filter(case=case).update(goal="" if erase else REMOVED)
    PlanItem.objects.filter(plan__case=case).update(**PLAN_ITEM_FIELDS)
    CaseShare.objects.filter(case=case).update(reason=REMOVED)
    event_record(actor=actor, action=action, obj=case, unit=case.commune,
                 fields=["events.note", "protections", "referrals", "assessments.answers",
                         "plans", "shares.reason"], reason=reason)
    _notifications(case.notifications.select_related("commune"), actor=actor, action=action,
                   reason=reason)
    return case


@transaction.atomic
def notification_anonymise(*, actor: User, notification: Notification, erase: bool = False,
                           reason: str) -> Notification:
    """Clear a notification that led to no case (its reporter, its story, the family it
    names); its channel, commune, day, forms and place stay counted."""
    notification = Notification.objects.select_for_update().select_related("commune").get(
        pk=notification.pk)
    if not actor.in_scope(notification.unit_path, capability=Capability.REVIEW_RETENTION):
        raise PermissionDenied(NOT_YOURS)
    _notifications([notification], actor=actor,
                   action=Action.DELETE if erase else Action.UPDATE, reason=reason)
    notification.refresh_from_db()
    return notification

"""Telling the commune at once that a report arrived: the inbox count in the menu, and an
email to its case officers when the installation has a mail server (EMAIL_HOST).

The email carries no name, place or detail — only that something waits behind the sign-in."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _

from treem.accounts.models import RoleAssignment, User
from treem.accounts.roles import Role
from treem.cases.models import Notification

logger = logging.getLogger(__name__)


def waiting_count(user: User) -> int:
    """Notifications routed to the user's communes that no case was opened for yet."""
    from treem.cases.selectors import notification_list

    return notification_list(user=user).filter(case__isnull=True).exclude(
        received_by=user).count()


def officers_of(notification: Notification) -> list[str]:
    """Emails of the child-protection officers of the commune where it happened."""
    return sorted(set(
        RoleAssignment.objects.active().filter(role=Role.COMMUNE_OFFICER,
                                               unit_id=notification.commune_id,
                                               user__is_active=True)
        .exclude(user__email="").values_list("user__email", flat=True)))


def notification_routed(notification: Notification) -> None:
    if not getattr(settings, "EMAIL_HOST", ""):
        return
    recipients = officers_of(notification)
    if not recipients:
        return
    site = str(getattr(settings, "TREEM_SITE_URL", "") or "").rstrip("/")
    link = f"{site}{reverse('cases:notification_list')}"
    try:
        send_mail(_("[treem] Có thông báo mới cần xử lý"),
                  _("Xã, phường của bạn vừa nhận một thông báo về trẻ em cần được xử lý. "
                    "Hãy đăng nhập để xem: %(link)s") % {"link": link},
                  settings.DEFAULT_FROM_EMAIL, recipients)
    except OSError:  # the report is recorded; a mail server down must not lose it
        logger.exception("alert email for notification %s not sent", notification.pk)


"""E-mail reminders to agencies' focal points of the tasks due within a few days or overdue
(the same list as their home page's, which needs no e-mail). One message a user a run, each
task and due date reminded once; a mail server down loses nothing (the next run sends it).
The message names tasks and plans (public documents), never a child."""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from treem.accounts.models import User
from treem.plans import selectors
from treem.plans.models import FocalPoint, TaskReminder

logger = logging.getLogger(__name__)
DAYS_BEFORE = 7


def send_task_reminders(*, today: datetime.date, days: int = DAYS_BEFORE) -> int:
    """Remind every focal point with an e-mail address; the number of messages sent."""
    users = User.objects.filter(
        pk__in=FocalPoint.objects.filter(revoked_at__isnull=True).values("user_id"),
        is_active=True).exclude(email="")
    site = str(getattr(settings, "TREEM_SITE_URL", "") or "").rstrip("/")
    sent = 0
    for user in users:
        due = [state for state in selectors.tasks_waiting(user=user, today=today)
               if state.due_on is not None
               and (state.overdue or state.due_on <= today + datetime.timedelta(days=days))]
        reminded = set(TaskReminder.objects.filter(
            user=user, task__in=[s.task for s in due]).values_list("task_id", "due_on"))
        new = [s for s in due if (s.task.pk, s.due_on) not in reminded]
        dues = {s.task.pk: s.due_on for s in new if s.due_on is not None}
        if not new:
            continue
        with translation.override("vi"):
            lines = [f"- {s.task.section} ({s.task.plan.number or s.task.plan.title[:60]}): "
                     + (_("quá hạn") if s.overdue else _("hạn %(day)s") % {
                         "day": s.due_on.strftime("%d/%m/%Y")})  # type: ignore[union-attr]
                     + f" — {site}{reverse('plans:task_detail', args=[s.task.public_id])}"
                     for s in new]
            subject = _("[treem] %(n)s nhiệm vụ cần báo cáo tiến độ") % {"n": len(new)}
            body = _("Các nhiệm vụ sau của cơ quan bạn đã đến hạn hoặc sắp đến hạn báo cáo:"
                     ) + "\n" + "\n".join(lines)
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        except OSError:  # the next run tries again: nothing was recorded
            logger.exception("task reminder to user %s not sent", user.pk)
            continue
        for state in new:
            try:
                with transaction.atomic():
                    TaskReminder.objects.create(user=user, task=state.task,
                                                due_on=dues[state.task.pk])
            except IntegrityError:  # another run recorded it meanwhile
                pass
        sent += 1
    return sent

import datetime

from django.db import migrations
from django.db.models import Exists, F, OuterRef, Subquery


def forwards(apps, schema_editor):
    """The limits written before 0011, read as the services now write them (set-based):

    - each limit's start, from what started it: receipt for the 12 hours, the move into
      planning (not a plan returned) or the submission for the working-day limits, the
      separation's decision for its end;
    - limits "met" at the very moment their case was closed were ended by the closure (a
      report found untrue, a case handed over), not done: cancelled; limits still running on a
      closed case are cancelled at its closure;
    - the 12 hours of an urgent notification belong to it (its case carries them), and an
      urgent notification no case was opened for yet gets its own.
    """
    Deadline = apps.get_model("cases", "CaseDeadline")
    Case = apps.get_model("cases", "Case")
    Event = apps.get_model("cases", "CaseEvent")
    Notification = apps.get_model("cases", "Notification")
    Protection = apps.get_model("cases", "Protection")
    unstarted = Deadline.objects.filter(started_at__isnull=True)

    unstarted.filter(step="emergency").update(started_at=Subquery(
        Case.objects.filter(pk=OuterRef("case_id")).values("received_at")[:1]))
    for step, sources, target in (("plan", ["assessing", "reviewing"], "planning"),
                                  ("approval", ["planning"], "awaiting_approval")):
        unstarted.filter(step=step).update(started_at=Subquery(
            Event.objects.filter(case_id=OuterRef("case_id"), from_status__in=sources,
                                 to_status=target, at__lte=OuterRef("due_at"))
            .order_by("-at", "-id").values("at")[:1]))
    unstarted.filter(step="separation_end").update(started_at=Subquery(
        Protection.objects.filter(case_id=OuterRef("case_id"), kind="separation",
                                  taken_at__lte=OuterRef("due_at"))
        .order_by("-taken_at", "-id").values("taken_at")[:1]))

    closed_then = Event.objects.filter(case_id=OuterRef("case_id"), to_status="closed",
                                       at=OuterRef("met_at"))
    Deadline.objects.filter(met_at__isnull=False).filter(Exists(closed_then)).update(
        cancelled_at=F("met_at"), met_at=None)
    Deadline.objects.filter(met_at__isnull=True, cancelled_at__isnull=True,
                            case__status="closed").update(cancelled_at=Subquery(
                                Case.objects.filter(pk=OuterRef("case_id"))
                                .values("closed_at")[:1]))

    Deadline.objects.filter(step="emergency", notification__isnull=True).update(
        notification=Subquery(Notification.objects.filter(case_id=OuterRef("case_id"),
                                                          urgent=True)
                              .order_by("received_at", "id").values("pk")[:1]))
    waiting = (Notification.objects.filter(urgent=True, case__isnull=True)
               .exclude(pk__in=Deadline.objects.filter(notification__isnull=False)
                        .values("notification_id"))
               .values_list("pk", "received_at"))
    Deadline.objects.bulk_create(
        Deadline(notification_id=pk, step="emergency", started_at=received,
                 due_at=received + datetime.timedelta(hours=12))
        for pk, received in waiting.iterator())


def backwards(apps, schema_editor):
    # Before 0011 a limit belonged to a case, and one ended by the case was "met".
    Deadline = apps.get_model("cases", "CaseDeadline")
    Deadline.objects.filter(case__isnull=True).delete()
    Deadline.objects.filter(cancelled_at__isnull=False).update(met_at=F("cancelled_at"),
                                                               cancelled_at=None)


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_deadline_clock_from_receipt")]

    operations = [migrations.RunPython(forwards, backwards)]

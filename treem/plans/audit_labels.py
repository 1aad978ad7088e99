"""How the audit log names plans and their tasks to its reader (`treem.auditlog.labels`): by
number or title, with a link for who may open the plan. Plans hold no personal data."""

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from treem.accounts.models import User
from treem.auditlog.labels import ObjectLabel, register, uuids_of
from treem.plans.models import Task
from treem.plans.selectors import plans_for


def plan_labels(reader: User, ids: list[str]) -> dict[str, ObjectLabel]:
    plans = plans_for(user=reader).filter(public_id__in=uuids_of(ids)).only(
        "public_id", "number", "title")
    return {str(plan.public_id): ObjectLabel(
        _("kế hoạch %(name)s") % {"name": plan.number or Truncator(plan.title).chars(60)},
        reverse("plans:plan_detail", args=[plan.public_id])) for plan in plans}


def task_labels(reader: User, ids: list[str]) -> dict[str, ObjectLabel]:
    tasks = (Task.objects.filter(plan__in=plans_for(user=reader), public_id__in=uuids_of(ids))
             .select_related("plan").only("public_id", "section", "plan__public_id",
                                          "plan__number", "plan__title"))
    return {str(task.public_id): ObjectLabel(
        _("nhiệm vụ %(section)s của kế hoạch %(name)s") % {
            "section": task.section,
            "name": task.plan.number or Truncator(task.plan.title).chars(60)},
        reverse("plans:plan_detail", args=[task.plan.public_id]) + f"#task-{task.public_id}")
        for task in tasks}


def register_labellers() -> None:
    register("plans.plan", plan_labels)
    register("plans.task", task_labels)

"""When a task is due, from its time frame: the last day of the year, quarter or month it
names, its own deadline, the end of the plan's years; every year of the plan for a yearly
task. A task with no time in its plan has no due date (it is never overdue)."""

import calendar
import datetime

from treem.plans.models import Task, TimeFrame


def due_on(task: Task, *, year: int) -> datetime.date | None:
    """The day `task` is due for `year` of its plan (None when it is not due that year)."""
    kind = task.time_frame
    if kind == TimeFrame.YEARLY:
        return datetime.date(year, 12, 31)
    if kind == TimeFrame.YEAR and task.year == year:
        return datetime.date(year, 12, 31)
    if kind == TimeFrame.QUARTER and task.year == year and task.quarter:
        month = 3 * task.quarter
        return datetime.date(year, month, calendar.monthrange(year, month)[1])
    if kind == TimeFrame.MONTH and task.year == year and task.month:
        return datetime.date(year, task.month, calendar.monthrange(year, task.month)[1])
    if kind == TimeFrame.DATES and task.end_date and task.end_date.year == year:
        return task.end_date
    if kind == TimeFrame.PLAN_PERIOD and year == task.plan.end_year:
        return datetime.date(year, 12, 31)
    return None


def next_due(task: Task, *, today: datetime.date) -> datetime.date | None:
    """The first due date of `task` from `today` on within its plan's years, else its last
    one before (a task due in the past stays due until it is reported done)."""
    plan = task.plan
    dues = [day for year in range(plan.start_year, plan.end_year + 1)
            if (day := due_on(task, year=year)) is not None]
    coming = [day for day in dues if day >= today]
    if coming:
        return coming[0]
    return dues[-1] if dues else None

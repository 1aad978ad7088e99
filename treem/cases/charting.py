"""The cases' chart (`treem.ui.charts`): open cases by step and by where their limits stand."""

from collections.abc import Sequence

from django.utils.translation import gettext as _

from treem.cases.selectors import StepCount
from treem.ui import charts
from treem.ui.charts import Chart


def step_chart(steps: Sequence[StepCount]) -> Chart | None:
    """One bar per step with open cases, split into overdue, due within two days, running
    and without a running limit; None when no case is open."""
    shown = [s for s in steps if s.total]
    if not shown:
        return None
    overdue = sum(s.overdue for s in shown)
    return charts.stacked(
        title=_("Vụ việc đang xử lý theo bước và thời hạn"),
        labels=[str(s.label) for s in shown],
        series=[(_("Quá hạn"), [s.overdue for s in shown]),
                (_("Sắp đến hạn (2 ngày)"), [s.soon for s in shown]),
                (_("Còn trong hạn"), [s.running for s in shown]),
                (_("Không có thời hạn đang chạy"), [s.none for s in shown])],
        colours=[charts.LATE, charts.SOON, charts.GOOD, charts.NONE],
        summary=_("%(n)s vụ việc đang xử lý, %(late)s quá hạn") % {
            "n": sum(s.total for s in shown), "late": overdue})

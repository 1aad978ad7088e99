"""A plan's task table with each agency's latest progress, as .xlsx: the table provinces paste
into their reports. Formula-safe cells; plans hold no personal data (the download is audited
as every export is)."""

import datetime
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from treem.accounts.models import User
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.lib.routing import replica_reads
from treem.lib.spreadsheet import safe_cell
from treem.plans import selectors
from treem.plans.models import Plan

WIDTHS = (9, 60, 24, 30, 16, 16, 10, 50, 36, 10, 14)


@replica_reads()
def task_table(*, actor: User, plan: Plan, today: datetime.date) -> bytes:
    tasks = selectors.plan_tasks(plan=plan)
    states = selectors.task_states(tasks, today=today)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Nhiệm vụ")[:31]
    sheet.append([safe_cell(f"{plan.number} {plan.title}".strip())])
    sheet.append([safe_cell(plan.issuer_name), "",
                  _("Tình hình đến ngày %(day)s") % {"day": today.strftime("%d/%m/%Y")}])
    sheet.append([])
    headers = [_("Mục"), _("Nhiệm vụ"), _("Cơ quan chủ trì"), _("Cơ quan phối hợp"),
               _("Thời gian"), _("Tình trạng"), _("Tỷ lệ hoàn thành (%)"), _("Kết quả thực hiện"),
               _("Khó khăn, vướng mắc"), _("Kỳ báo cáo"), _("Hạn")]
    sheet.append(headers)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    sheet["A1"].font = Font(bold=True, size=13)
    for state in states:
        task, report = state.task, state.lead_report
        status = report.get_status_display() if report else _("Chưa báo cáo")
        if state.overdue:
            status = f"{status} ({_('quá hạn')})"
        sheet.append([
            safe_cell(task.section), safe_cell(task.text), safe_cell(task.lead.name),
            safe_cell("; ".join(a.name for a in task.cooperating.all())),
            safe_cell(task.time_label), status,
            report.percent_done if report else None,
            safe_cell(report.done_text) if report else "",
            safe_cell(report.difficulties) if report else "",
            report.period if report else "",
            state.due_on.strftime("%d/%m/%Y") if state.due_on else ""])
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    for row in sheet.iter_rows(min_row=5):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "C5"
    buffer = io.BytesIO()
    book.save(buffer)
    event_record(actor=actor, action=Action.EXPORT, obj=plan, unit=plan.unit,
                 fields=["tasks", "xlsx"])
    return buffer.getvalue()

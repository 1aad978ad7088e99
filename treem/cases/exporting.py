"""The counts of a period as an .xlsx (one sheet a breakdown), audited with its reason."""

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from treem.audit.models import Action
from treem.audit.services import event_record
from treem.lib.spreadsheet import safe_cell


def statistics_workbook(*, actor: Any, tables: list[tuple[str, list[tuple[str, int]]]],
                        period: str, reason: str, unit: Any) -> bytes:
    book = Workbook(write_only=True)
    for title, rows in tables:
        sheet = book.create_sheet(title=title[:31])
        sheet.append([safe_cell(title), safe_cell(period)])
        sheet.append([_("Nhóm"), _("Số trường hợp")])
        for label, count in rows:
            sheet.append([safe_cell(label), count])
    buffer = io.BytesIO()
    book.save(buffer)
    event_record(actor=actor, action=Action.EXPORT, unit=unit, reason=reason.strip(),
                 fields=["case_statistics"])
    return buffer.getvalue()

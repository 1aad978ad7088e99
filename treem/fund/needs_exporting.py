"""The needs list as .xlsx, for the province (the fund's readers): one row a need in priority
order, a child's name only where the exporter may read that child in the register now
(`needs.names_shown`), the others by their reference. One audited export with its reason,
the number of rows and of names, as the register's own export is audited."""

import io
from itertools import islice

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from treem.accounts.models import User
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.fund import exceptions as exc
from treem.fund.models import Need
from treem.fund.needs import REASON_MIN, names_shown
from treem.geo.models import Unit
from treem.lib.routing import replica_reads
from treem.lib.spreadsheet import safe_cell

EXPORT_LIMIT = 60_000  # above a province's needs list (50,000 in the benchmark)
BATCH = 2000  # needs whose names are read at once (one IN list a batch)
COLUMNS = ("reference", "beneficiary", "name", "commune", "kind", "description", "amount",
           "year", "priority", "status")


@replica_reads()
def needs_export(*, actor: User, needs: QuerySet[Need], reason: str, unit: Unit | None
                 ) -> bytes:
    """An .xlsx of `needs` (already limited to the actor's scope by the selector)."""
    reason = " ".join(reason.split())
    if len(reason) < REASON_MIN:
        raise ValidationError({"reason": exc.REASON_TOO_SHORT % {"n": REASON_MIN}})
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_("Danh sách nhu cầu"))
    sheet.append([_("Mã nhu cầu"), _("Đối tượng"), _("Họ và tên trẻ em"), _("Xã, phường"),
                  _("Loại nhu cầu"), _("Mô tả"), _("Kinh phí dự kiến (đồng)"), _("Năm"),
                  _("Điểm ưu tiên"), _("Tình trạng")])
    rows = named = 0
    found = needs.select_related("kind", "commune").iterator(chunk_size=BATCH)
    while batch := list(islice(found, BATCH)):
        if rows + len(batch) > EXPORT_LIMIT:
            batch = batch[:EXPORT_LIMIT - rows]
        names = names_shown(user=actor, needs=batch, audit=False)
        for need in batch:
            sheet.append([need.reference, str(need.get_beneficiary_display()),
                          safe_cell(names.get(need.pk, "")),
                          safe_cell(need.commune.name), safe_cell(need.kind.label),
                          safe_cell(need.facility and f"{need.facility}: {need.description}"
                                    or need.description),
                          need.amount, need.year, need.priority,
                          str(need.get_status_display())])
        rows, named = rows + len(batch), named + len(names)
        if rows >= EXPORT_LIMIT:
            break
    buffer = io.BytesIO()
    book.save(buffer)
    event_record(actor=actor, action=Action.EXPORT, unit=unit, reason=reason,
                 fields=["fund_needs", *COLUMNS, f"rows={rows}", f"names={named}"])
    return buffer.getvalue()


def export_filename() -> str:
    # No name, place or filter in the file name: it ends up in download folders and logs.
    return f"nhu-cau-{timezone.localdate():%Y%m%d}.xlsx"

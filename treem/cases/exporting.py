"""Exports as .xlsx, each audited with its reason: the counts of a period (one sheet a
breakdown), and a list of cases."""

import io
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from treem.accounts.models import User
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.cases.models import CaseAbuse
from treem.lib.routing import replica_reads
from treem.lib.spreadsheet import safe_cell


def statistics_workbook(*, actor: User, tables: list[tuple[str, list[tuple[str, int]]]],
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


EXPORT_LIMIT = 20_000  # far above a province's cases of a year; a larger list is refused


def masked_name(case: Any) -> str:
    """Sexual-abuse cases are extra-sensitive: their lists show the first letter only."""
    name = case.child.full_name
    return f"{name[:1]}***" if case.sexual_abuse else name


@replica_reads()
def case_list_workbook(*, actor: User, cases: QuerySet, reason: str, unit: Any) -> bytes:
    """One row a case, in the order of the list: two queries in all (the cases with their
    child and commune, then their forms of abuse, grouped here)."""
    rows = list(cases.select_related("child", "child__ethnicity", "commune")
                .order_by("-received_at", "-id")[:EXPORT_LIMIT])
    abuses: dict[int, list[Any]] = {}
    for abuse in CaseAbuse.objects.filter(case_id__in=[c.pk for c in rows]).order_by("id"):
        abuses.setdefault(abuse.case_id, []).append(abuse)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_("Hồ sơ trường hợp"))
    sheet.append([_("Mã hồ sơ"), _("Họ và tên trẻ"), _("Giới tính"), _("Năm sinh"),
                  _("Dân tộc"), _("Xã, phường"), _("Tiếp nhận"), _("Hình thức"),
                  _("Nơi xảy ra"), _("Người gây hại"), _("Bước"), _("Lý do kết thúc")])
    for case in rows:
        found = abuses.get(case.pk, [])
        sheet.append([
            str(case.public_id)[:8], safe_cell(masked_name(case)),
            case.child.get_sex_display(), case.child.birth_date.year,
            safe_cell(case.child.ethnicity.name if case.child.ethnicity_id else ""),
            safe_cell(case.commune.name),
            timezone.localtime(case.received_at).strftime("%d/%m/%Y %H:%M"),
            ", ".join(str(a.get_form_display()) for a in found),
            ", ".join(sorted({str(a.get_place_display()) for a in found})),
            str(case.get_perpetrator_display()), str(case.get_status_display()),
            str(case.get_close_reason_display())])
    buffer = io.BytesIO()
    book.save(buffer)
    event_record(actor=actor, action=Action.EXPORT, reason=reason.strip(), unit=unit,
                 fields=["case_list", f"rows:{len(rows)}"])
    return buffer.getvalue()

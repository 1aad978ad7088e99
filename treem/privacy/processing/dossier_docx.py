"""The impact-assessment dossier as a Word file (.docx), the same parts as its PDF
(`privacy/processing/dossier.html`): a province completes it (its own organisational
measures, signatures) and files it. Built with python-docx from the assembled `Dossier`."""

import io

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from treem.privacy.processing.dossier import Dossier

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _row_table(document: DocxDocument, rows: list[tuple[str, str]]) -> None:
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].text = value or "—"


def render(dossier: Dossier) -> bytes:
    document = Document()
    document.styles["Normal"].font.name = "Times New Roman"
    document.styles["Normal"].font.size = Pt(13)

    def centred(text: str, *, bold: bool = False) -> None:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(text).bold = bold

    centred(dossier.controller.upper(), bold=True)
    document.add_heading(_("HỒ SƠ ĐÁNH GIÁ TÁC ĐỘNG XỬ LÝ DỮ LIỆU CÁ NHÂN"), level=0)
    centred(_("Phần mềm bảo vệ trẻ em treem — %(p)s") % {"p": dossier.province.name})
    centred(_("Lập ngày %(d)s") % {"d": f"{dossier.made_on:%d/%m/%Y}"})

    document.add_heading("1. " + _("Bên kiểm soát và người bảo vệ dữ liệu cá nhân"), level=1)
    document.add_paragraph(f"{dossier.controller}; {dossier.address}")
    document.add_paragraph(f"{_('Người, bộ phận bảo vệ dữ liệu cá nhân')}: {dossier.officer} — "
                           f"{dossier.officer_contact}")

    document.add_heading("2. " + _("Quy mô"), level=1)
    document.add_paragraph(ngettext("Sổ theo dõi của tỉnh có %(n)s trẻ em.",
                                    "Sổ theo dõi của tỉnh có %(n)s trẻ em.",
                                    dossier.subjects) % {"n": dossier.subjects})

    document.add_heading("3. " + _("Hoạt động xử lý: mục đích, căn cứ, dữ liệu, người được "
                                   "xem, thời hạn, chuyển dữ liệu"), level=1)
    for number, activity in enumerate(dossier.activities, start=1):
        record = activity.record
        document.add_heading(f"3.{number}. {record.get_record_kind_display()}", level=2)
        _row_table(document, [
            (_("Mục đích"), record.purposes),
            (_("Căn cứ"), f"{record.get_basis_display()}. {record.basis_articles}"),
            (_("Dữ liệu cơ bản"), record.basic_data),
            (_("Dữ liệu nhạy cảm"), record.sensitive_data),
            (_("Người được xem"), "; ".join(activity.roles)),
            (_("Thời hạn lưu trữ"), record.retention),
            (_("Chuyển, chia sẻ"), record.transfers),
        ])

    document.add_heading("4. " + _("Chuyển dữ liệu ra nước ngoài"), level=1)
    document.add_paragraph(_("Không. Dữ liệu được lưu trên máy chủ của cơ quan nhà nước trong "
                             "nước."))

    document.add_heading("5. " + _("Biện pháp bảo vệ dữ liệu cá nhân"), level=1)
    for measure in dossier.measures:
        document.add_paragraph(str(measure), style="List Number")

    document.add_heading("6. " + _("Đánh giá rủi ro, hậu quả có thể xảy ra và biện pháp giảm "
                                   "thiểu"), level=1)
    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    header = table.rows[0].cells
    header[0].paragraphs[0].add_run(_("Rủi ro")).bold = True
    header[1].paragraphs[0].add_run(_("Biện pháp giảm thiểu")).bold = True
    for risk, mitigation in dossier.risks:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = str(risk), str(mitigation)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()

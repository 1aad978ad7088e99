from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NOT_YOUR_REPORT = _("Bạn không phải người lập báo cáo của đơn vị này.")
NOT_YOURS_TO_REVIEW = _("Chỉ cấp trên của đơn vị được duyệt hoặc trả lại báo cáo này.")
NO_DUE_DATE = _("Lịch báo cáo chưa có hạn gửi cho cấp %(level)s ở kỳ này.")
PERIOD_KIND = _("Kỳ này không đúng loại kỳ của lịch báo cáo (6 tháng hoặc năm).")
NOT_FOR_UNIT = _("Lịch báo cáo này thuộc kế hoạch của đơn vị khác: không áp dụng cho đơn vị này.")
OUTSIDE_YEARS = _("Kế hoạch của lịch báo cáo này không có kỳ báo cáo năm %(year)s.")
PERIOD_NOT_STARTED = _("Kỳ báo cáo chưa bắt đầu.")
ALREADY_OPEN = _("Đơn vị đã có báo cáo kỳ này: hãy mở báo cáo đó.")
NOT_EDITABLE = _("Báo cáo đã gửi hoặc đã duyệt: không sửa được.")
CHILDREN_WAITING = _("Còn báo cáo của đơn vị trực thuộc đang chờ duyệt: hãy duyệt hoặc trả lại "
                     "trước khi gửi báo cáo tổng hợp.")
RESULTS_REQUIRED = _("Hãy ghi kết quả đạt được trước khi gửi.")
NOT_SUBMITTED = _("Chỉ duyệt hoặc trả lại báo cáo đang chờ duyệt.")
COMMENT_REQUIRED = _("Hãy ghi ý kiến để đơn vị sửa báo cáo.")
ONLY_APPROVED_CORRECTED = _("Chỉ sửa đổi báo cáo đã duyệt (phiên bản mới nhất).")
REASON_REQUIRED = _("Hãy ghi lý do sửa đổi báo cáo đã duyệt.")
BAD_DUE_DATE = _("Lịch báo cáo “%(code)s”: hạn gửi “%(day)s” của cấp %(level)s phải là ngày có "
                 "thật, viết tháng-ngày bằng chữ số 0–9 (ví dụ 05-15).")
FIGURES_CHANGED = _("Số liệu đã thay đổi từ khi trang xác nhận được mở (sổ theo dõi hoặc số liệu "
                    "ngành vừa được cập nhật). Báo cáo chưa được gửi: hãy xem lại số liệu mới "
                    "dưới đây rồi xác nhận lần nữa.")
CONFIRM_FIRST = _("Hãy xem số liệu sẽ gửi rồi bấm “Xác nhận gửi báo cáo”.")


class FiguresChanged(ValidationError):
    """The figures confirmed are not those the report would freeze now; `figures` are."""

    def __init__(self, figures: Any) -> None:
        super().__init__(FIGURES_CHANGED)
        self.figures = figures

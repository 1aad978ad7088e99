"""Why a sector's figures are refused, in Vietnamese (English in the catalogue)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

OUT_OF_SCOPE = _("Bạn không được nhập số liệu của chỉ tiêu này cho địa bàn này.")
UNIT_LEVEL = _("Số liệu của chỉ tiêu này được nhập cho đơn vị hiện hành cấp: %(levels)s.")
NOT_ENTERED = _("Chỉ tiêu này được tính từ sổ theo dõi, không nhập tay.")
SET_NOT_FOR_UNIT = _("Chỉ tiêu này thuộc kế hoạch của đơn vị khác: không áp dụng cho đơn vị này.")
PERIOD_KIND = _("Chỉ tiêu này báo cáo theo kỳ “%(kind)s”: kỳ “%(code)s” không phù hợp.")
PERIOD_FUTURE = _("Kỳ %(code)s chưa bắt đầu: chưa nhập được số liệu.")
PERIOD_BEFORE_UNIT = _("Kỳ %(code)s kết thúc trước khi đơn vị này được thành lập.")
TOTAL_REQUIRED = _("Hãy nhập số tổng.")
NOT_A_WHOLE_NUMBER = _("Số liệu phải là số nguyên không âm.")
TOO_LARGE = _("Số liệu quá lớn.")
DENOMINATOR_REQUIRED = _("Hãy nhập mẫu số.")
DENOMINATOR_FORBIDDEN = _("Chỉ tiêu số lượng không có mẫu số.")
ABOVE_DENOMINATOR = _("Tử số không được lớn hơn mẫu số.")
BREAKDOWN_UNKNOWN = _("Chỉ tiêu này không phân tổ theo “%(breakdown)s”.")
BREAKDOWN_TWICE = _("Phân tổ “%(breakdown)s” được nhập hai lần.")
SUM_NUMERATOR = _("Tổng tử số theo %(dimension)s (%(sum)s) phải bằng số tổng (%(total)s).")
SUM_DENOMINATOR = _("Tổng mẫu số theo %(dimension)s (%(sum)s) phải bằng mẫu số tổng "
                    "(%(total)s).")
COMMENT_REQUIRED = _("Số liệu thay đổi hơn %(threshold)s%% so với kỳ trước (%(previous)s): "
                     "hãy ghi giải trình.")


class EntryRefused(ValidationError):
    """Several indicators saved at once, some refused: each one's error by version id, and
    each one whose figures were changed since the page was read (`EditConflict`, by version
    id); nothing of the others was written either."""

    def __init__(self, errors: dict[int, ValidationError],
                 conflicts: dict[int, Any] | None = None) -> None:
        self.conflicts = conflicts or {}
        super().__init__([message for error in errors.values() for message in error.messages]
                         + [c.message for c in self.conflicts.values()])
        self.by_version = errors

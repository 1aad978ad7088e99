"""What each assessment of the process asks, as data (Nghị định 56/2017; the sources and what
is verified of each form are in data/legal_basis.md).

- Initial assessment (Mẫu số 02, Điều 26 khoản 2): the risk and the harm done; whether the
  child is in danger now, which calls for emergency measures within 12 hours.
- Detailed assessment (Mẫu số 03, Điều 27 khoản 1 a–h): the eight matters the decree lists.
- Review (Mẫu số 06, Điều 30): the three risk items of the form rated high / medium / low, the
  child's capacity to protect themselves and recover, and the conclusion that decides between
  ending the plan and a new one (Điều 30 khoản 1 b, c).
"""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Item:
    key: str
    label: Any  # a lazy translation
    rated: bool = False  # rated high / medium / low, else answered in words


LEVELS = (("high", _("Cao")), ("medium", _("Trung bình")), ("low", _("Thấp")))

INITIAL = "initial"
DETAILED = "detailed"
REVIEW = "review"

FORMS: dict[str, tuple[str, Any]] = {
    INITIAL: ("Mẫu số 02", _("Đánh giá nguy cơ ban đầu, mức độ tổn hại của trẻ em")),
    DETAILED: ("Mẫu số 03", _("Thu thập thông tin, đánh giá nguy cơ cụ thể")),
    REVIEW: ("Mẫu số 06", _("Rà soát, đánh giá tình trạng của trẻ em sau khi thực hiện "
                            "kế hoạch hỗ trợ, can thiệp")),
}
# Items a detailed assessment may leave empty: the carers' views are not asked when they are
# the ones who harmed the child (Điều 27 khoản 1 điểm h); the child's may not be obtainable.
OPTIONAL = {"child_views", "carer_views", "notes", "findings"}
# The conclusions each assessment may reach.
CONCLUSIONS: dict[str, tuple[str, ...]] = {
    INITIAL: ("in_danger", "at_risk", "safe"),
    DETAILED: ("", "at_risk", "in_danger"),
    REVIEW: ("safe", "at_risk"),
}

ITEMS: dict[str, tuple[Item, ...]] = {
    INITIAL: (
        Item("harm", _("Mức độ tổn hại của trẻ em"), rated=True),
        Item("risk", _("Nguy cơ trẻ em tiếp tục bị xâm hại"), rated=True),
        Item("findings", _("Kết quả kiểm tra, xác minh")),
    ),
    DETAILED: (
        Item("condition", _("Tình trạng thể chất, tâm lý, tình cảm")),
        Item("family", _("Hoàn cảnh gia đình, mối quan hệ của trẻ em và năng lực bảo vệ trẻ em "
                         "của cha, mẹ, các thành viên trong gia đình")),
        Item("factors", _("Các yếu tố làm trẻ em có thể bị xâm hại hoặc tiếp tục bị xâm hại")),
        Item("schooling", _("Điều kiện, khả năng học tập và khả năng tự bảo vệ của trẻ em")),
        Item("community", _("Mức độ an toàn và khả năng hỗ trợ của cộng đồng dân cư nơi trẻ em "
                            "sinh sống")),
        Item("needs", _("Nhu cầu chăm sóc y tế, trợ giúp xã hội, giáo dục, trợ giúp pháp lý, "
                        "tư vấn, trị liệu tâm lý và dịch vụ bảo vệ trẻ em khác")),
        Item("child_views", _("Ý kiến, nguyện vọng của trẻ em")),
        Item("carer_views", _("Ý kiến, nguyện vọng của cha, mẹ, người chăm sóc trẻ em (trừ khi "
                              "họ là người gây tổn hại)")),
    ),
    REVIEW: (
        Item("harm", _("Mức độ tổn hại của trẻ em có còn nghiêm trọng không"), rated=True),
        Item("access", _("Khả năng tiếp cận trẻ em của đối tượng xâm hại"), rated=True),
        Item("obstacles", _("Những trở ngại trong môi trường chăm sóc trẻ em đối với việc bảo "
                            "đảm an toàn cho trẻ em"), rated=True),
        Item("resilience", _("Khả năng tự bảo vệ, phục hồi của trẻ em"), rated=True),
        Item("notes", _("Nhận xét")),
    ),
}


def totals(ratings: dict[str, str]) -> dict[str, int]:
    """How many items were rated high, medium and low (the form's "Tổng số")."""
    return {level: sum(1 for value in ratings.values() if value == level)
            for level, _label in LEVELS}

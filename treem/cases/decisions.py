"""What the chairman's decisions (Mẫu 05, 07) say besides their facts: the grounds they cite
and to whom they are sent. Nghị định 56/2017 Điều 28 khoản 5 sends the plan's decision to the
bodies that carry it out and to the parents or carer; Điều 32 khoản 2 makes the separation
the chairman's, on the officer's assessment (treem/cases/data/legal_basis.md)."""

from typing import Any

from django.utils.translation import gettext as _


def plan_grounds() -> list[str]:
    return [_("Xét đề nghị của người làm công tác bảo vệ trẻ em cấp xã về kế hoạch hỗ trợ, "
              "can thiệp và kết quả đánh giá nguy cơ, nhu cầu của trẻ em,")]


def plan_recipients(items: list[Any]) -> list[str]:
    """The bodies named in the plan's rows (once each, in order), then the carers."""
    bodies = list(dict.fromkeys(item.responsible for item in items))
    return [*bodies, _("Cha, mẹ hoặc người chăm sóc trẻ em"),
            _("Người làm công tác bảo vệ trẻ em cấp xã")]


def separation_grounds() -> list[str]:
    return [_("Căn cứ điểm b khoản 2 Điều 50 và khoản 3 Điều 52 Luật Trẻ em; Điều 32 Nghị "
              "định số 56/2017/NĐ-CP;"),
            _("Xét báo cáo đánh giá nguy cơ của người làm công tác bảo vệ trẻ em cấp xã,")]


def separation_end_grounds() -> list[str]:
    return [_("Căn cứ khoản 3 Điều 32 Nghị định số 56/2017/NĐ-CP;"),
            _("Xét đánh giá của người làm công tác bảo vệ trẻ em cấp xã về sự an toàn của trẻ "
              "em khi trở về với cha, mẹ, người chăm sóc,")]


def separation_recipients(protection: Any) -> list[str]:
    found = [protection.separated_from, protection.alternative_carer or protection.care_place,
             _("Công an cấp xã"), _("Người làm công tác bảo vệ trẻ em cấp xã")]
    return [name for name in found if name]

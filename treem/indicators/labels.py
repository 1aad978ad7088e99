"""Breakdown keys ("sex=f", "age_group=6-10", "ethnicity=02", "place=school") as words."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from treem.indicators.breakdowns import value_label

_TITLES = {"sex": gettext_lazy("Giới tính"), "age_group": gettext_lazy("Nhóm tuổi"),
           "ethnicity": gettext_lazy("Dân tộc"), "place": gettext_lazy("Nơi xảy ra")}


def breakdown_label(breakdown: str) -> str:
    if not breakdown:
        return _("Tổng")
    dimension, _sep, value = breakdown.partition("=")
    if dimension not in _TITLES:
        return breakdown
    return f"{_TITLES[dimension]}: {value_label(dimension, value)}"

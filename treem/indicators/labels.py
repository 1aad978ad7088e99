"""Breakdown keys ("sex=f", "age_group=6-10", "ethnicity=02", "place=school") as words."""

from functools import lru_cache

from django.utils.translation import gettext as _

from treem.cases.choices import Place
from treem.registry.choices import Sex


@lru_cache(maxsize=1)
def _ethnicities() -> dict[str, str]:
    from treem.registry.models import Ethnicity

    return dict(Ethnicity.objects.values_list("code", "name"))


def breakdown_label(breakdown: str) -> str:
    if not breakdown:
        return _("Tổng")
    dimension, _sep, value = breakdown.partition("=")
    if dimension == "sex":
        return f"{_('Giới tính')}: {dict(Sex.choices).get(value, value)}"
    if dimension == "age_group":
        return f"{_('Nhóm tuổi')}: {value}"
    if dimension == "ethnicity":
        return f"{_('Dân tộc')}: {_ethnicities().get(value, value or '—')}"
    if dimension == "place":
        return f"{_('Nơi xảy ra')}: {dict(Place.choices).get(value, value or '—')}"
    return breakdown

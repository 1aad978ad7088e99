"""A small set of entered indicators for tests (the shipped ones are all yearly and none is
broken down), and figures made directly."""

from decimal import Decimal
from typing import Any

from treem.indicators.catalogue import current_versions, load_set
from treem.indicators.models import IndicatorVersion, SectorFigure

ENTERED_SET: dict[str, Any] = {
    "set": {"code": "thu-nganh", "name": "Chỉ tiêu thử của các ngành"},
    "indicators": [
        {"code": "YT1", "name": "Tỷ lệ trẻ em dưới 1 tuổi được tiêm chủng đầy đủ",
         "unit_kind": "percent", "source": "entered", "agency": "health",
         "period_kind": "half", "disaggregations": ["sex"]},
        {"code": "CA1", "name": "Số vụ trẻ em vi phạm pháp luật", "unit_kind": "count",
         "source": "entered", "agency": "police", "period_kind": "half"},
        {"code": "CA2", "name": "Số cán bộ công an được tập huấn về bảo vệ trẻ em",
         "unit_kind": "count", "source": "entered", "agency": "police", "period_kind": "half",
         "entry_levels": ["province", "commune"]},
        {"code": "YT2", "name": "Tỷ số giới tính khi sinh", "unit_kind": "per_100",
         "source": "entered", "agency": "health", "period_kind": "year"},
        {"code": "TE1", "name": "Số trẻ em", "unit_kind": "count", "source": "computed",
         "spec": {"numerator": {"population": "children"}}, "period_kind": "half"},
    ],
}


def load_entered() -> dict[str, IndicatorVersion]:
    """The set's current versions by indicator code."""
    load_set(ENTERED_SET)
    return {v.indicator.code: v for v in current_versions()
            .filter(indicator__indicator_set__code="thu-nganh")}


def make_figure(*, version: IndicatorVersion, unit: Any, period: str, numerator: int,
                denominator: int | None = None, breakdown: str = "", comment: str = "",
                by: Any) -> SectorFigure:
    return SectorFigure.objects.create(
        version=version, unit=unit, unit_path=unit.path, province_code=unit.province_code,
        period=period, breakdown=breakdown,
        numerator=Decimal(numerator),
        denominator=None if denominator is None else Decimal(denominator), comment=comment,
        entered_by=by)

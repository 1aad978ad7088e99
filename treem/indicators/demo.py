"""The demo province's own plan for `make run`: a few indicators (two the police enters, two
computed from the register) with targets on the units of TODAY (the province and the demo
commune, never a unit dissolved in July 2025), and the police figures of one commune entered,
so that the province's home judges its indicators and the police focal point sees what is left
to enter. Never used in production."""

from decimal import Decimal

from django.utils import timezone

from treem.accounts.models import User
from treem.indicators import dashboard
from treem.indicators.catalogue import current_versions, load_set
from treem.indicators.models import Direction, IndicatorSet, Target
from treem.indicators.services import figures_save
from treem.indicators.targets import Row, targets_save

DEMO_SET_CODE = "cao-bang-demo"


def _plan(code: str, name: str) -> dict:
    return {
        "set": {"code": code, "name": name,
                "source": "Dữ liệu mẫu của bản demo, theo các chỉ tiêu của Kế hoạch 715/KH-UBND "
                          "ngày 29/3/2022 của UBND tỉnh Cao Bằng (TT 13/2021/TT-BLĐTBXH)."},
        "indicators": [
            {"code": "CB01", "name": "Tỷ lệ trẻ em có hoàn cảnh đặc biệt", "unit_kind": "percent",
             "source": "computed", "period_kind": "half",
             "spec": {"numerator": {"population": "children",
                                    "where": {"circumstance": ["*"]}},
                      "denominator": {"population": "children"}}},
            {"code": "CB02", "name": "Số trẻ em dưới 16 tuổi", "unit_kind": "count",
             "source": "computed", "period_kind": "half",
             "spec": {"numerator": {"population": "children"}}},
            {"code": "CB03", "name": "Số vụ xâm hại trẻ em cơ quan công an thụ lý",
             "unit_kind": "count", "source": "entered", "agency": "police",
             "period_kind": "half", "direction": "at_most"},
            {"code": "CB04", "name": "Số trẻ em bị tai nạn giao thông", "unit_kind": "count",
             "source": "entered", "agency": "police", "period_kind": "half",
             "direction": "at_most"},
        ],
    }


# (indicator, value, direction) for the province and for the demo commune.
TARGETS = {"province": (("CB01", "4.5", Direction.AT_MOST), ("CB02", "1000", Direction.AT_LEAST),
                        ("CB03", "20", Direction.AT_MOST), ("CB04", "30", Direction.AT_MOST)),
           "commune": (("CB01", "4.5", Direction.AT_MOST), ("CB03", "1", Direction.AT_MOST))}


def setup_demo_plan() -> int:
    """Once: the plan, its targets for this year on today's units, one commune's police
    figures for the last half-year that has ended; return the number of targets."""
    if IndicatorSet.objects.filter(code=DEMO_SET_CODE).exists():
        return Target.objects.filter(indicator__indicator_set__code=DEMO_SET_CODE).count()
    province_officer = User.objects.get(username="demo.tinh")
    chairman = User.objects.get(username="demo.chutich")
    police = User.objects.get(username="demo.congan")
    province = province_officer.assignments.get().unit
    commune = chairman.assignments.get().unit
    assert province.is_current and commune.is_current
    indicator_set = load_set(_plan(DEMO_SET_CODE, "Chỉ tiêu bảo vệ trẻ em tỉnh Cao Bằng "
                                                  "(dữ liệu mẫu)"), owner=province)
    versions = {v.indicator.code: v for v in current_versions(
        IndicatorSet.objects.filter(pk=indicator_set.pk))}
    year = timezone.localdate().year
    for actor, unit, rows in ((province_officer, province, TARGETS["province"]),
                              (chairman, commune, TARGETS["commune"])):
        targets_save(actor=actor, rows=[
            Row(versions[code].indicator, unit, year, Target.Kind.TARGET, Decimal(value),
                direction) for code, value, direction in rows])
    period = dashboard.default_period("half")
    for code, value in (("CB03", 1), ("CB04", 2)):
        figures_save(actor=police, unit=commune, period=period.code, version=versions[code],
                     rows=[{"breakdown": "", "numerator": value}])
    return Target.objects.filter(indicator__indicator_set__code=DEMO_SET_CODE).count()

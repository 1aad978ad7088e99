"""A computed indicator's definition as data, and its checks.

A spec names what its numerator and its denominator count: a *population* and filters on it.

    {"numerator": {"population": "children", "where": {"circumstance": ["*"]}},
     "denominator": {"population": "children"}}

Populations (see `treem.indicators.compute` for how each becomes SQL):

- children: children (under 16, alive, on record) living in the unit on the period's last day;
- births: children born in the period, where they lived on their day of birth;
- deaths: children who died in the period under 16 (their age on the day they died), where
  they lived that day;
- cases: protection cases received in the period of children under 16 on the day of the abuse
  (or of the receipt when that day is not known), in the commune of the case;
- abused_children: children with a confirmed case received in the period (each once), under 16
  on the day of the abuse likewise.

Ages follow one rule for every population (`treem.registry.counting`): a stock by the age on
the period's last day, an event by the age on its day; "injury" deaths are the causes listed
there (violence included).

The value is numerator / denominator × scale (100 for a percentage, 1,000 per 1,000 live
births, 100,000 per 100,000 children); a count has no denominator.
"""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from treem.cases import choices as case_choices
from treem.indicators import populations
from treem.registry import choices as registry_choices

POPULATIONS = ("children", "births", "deaths", "cases", "abused_children")

# The filters each population takes, with the values each accepts (None: checked apart).
_CHILD_FILTERS: dict[str, Any] = {
    "sex": registry_choices.Sex.values,
    "age": None,                      # [youngest, oldest], completed years on the day counted
    "circumstance": None,             # group codes of Luật Trẻ em Điều 10 (subgroups included),
                                      # or ["*"]: any group
    "risk": [*registry_choices.RiskFlag.values, "*"],
    "supported": [True, False],       # receives a support on the day counted
    "birth_registered": [True, False],
    "health_insurance": [True, False],
    "disability": [True, False],
    "minority": [True, False],        # of an ethnic minority (not Kinh)
    "school_status": registry_choices.SchoolStatus.values,
    "nutrition_status": registry_choices.NutritionStatus.values,
    "vaccination_status": registry_choices.VaccinationStatus.values,
    "living_arrangement": registry_choices.LivingArrangement.values,
}
FILTERS: dict[str, dict[str, Any]] = {
    "children": _CHILD_FILTERS,
    "births": {"sex": registry_choices.Sex.values, "birth_registered": [True, False],
               "minority": [True, False]},
    "deaths": {"sex": registry_choices.Sex.values, "cause": registry_choices.DeathCause.values,
               "injury": [True],  # the injury causes of treem.registry.counting
               "under_age": None, "under_days": None, "minority": [True, False]},
    "cases": {"form": case_choices.AbuseForm.values, "place": case_choices.Place.values,
              "confirmed": [True, False], "sex": registry_choices.Sex.values},
    "abused_children": {"form": case_choices.AbuseForm.values,
                        "place": case_choices.Place.values, "sex": registry_choices.Sex.values,
                        "helped": [True, False],  # with an approved plan or a measure
                        # an approved plan, planned and approved within the decree's limits
                        "plan_in_time": [True, False]},
}
# The breakdowns each population offers.
DIMENSIONS: dict[str, tuple[str, ...]] = {
    "children": ("sex", "age_group", "ethnicity"),
    "births": ("sex", "ethnicity"),
    "deaths": ("sex", "ethnicity"),
    "cases": ("sex", "place"),
    "abused_children": ("sex",),
}


def population_names() -> tuple[str, ...]:
    """The populations a spec may name: treem's own, then those the apps above registered
    (`treem.indicators.populations`)."""
    return POPULATIONS + populations.names()


def filters_of(population: str) -> dict[str, Any]:
    registered = populations.get(population)
    return registered.filters if registered else FILTERS[population]


def dimensions_of(population: str) -> tuple[str, ...]:
    registered = populations.get(population)
    return registered.dimensions if registered else DIMENSIONS[population]


SCALES = {"count": 1, "percent": 100, "per_100": 100, "per_1000": 1000, "per_1000_births": 1000,
          "per_100k_children": 100_000}


class SpecError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Count:
    """What one side of the ratio counts."""

    population: str
    where: tuple[tuple[str, Any], ...] = ()  # sorted (filter, value) pairs, hashable

    @property
    def filters(self) -> dict[str, Any]:
        return {name: _thaw(value) for name, value in self.where}


@dataclass(frozen=True)
class Spec:
    numerator: Count
    denominator: Count | None
    scale: int
    breakdowns: tuple[str, ...] = field(default=())

    def counts(self) -> list[Count]:
        return [self.numerator] + ([self.denominator] if self.denominator else [])


def _freeze(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _thaw(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _count(data: Any, side: str, problems: list[str]) -> Count | None:
    if not isinstance(data, dict) or data.get("population") not in population_names():
        problems.append(_("%(side)s: hãy chọn một trong các đối tượng: %(names)s.")
                        % {"side": side, "names": ", ".join(population_names())})
        return None
    population = data["population"]
    where = data.get("where") or {}
    if not isinstance(where, dict):
        problems.append(_("%(side)s: điều kiện lọc phải là một bảng tên → giá trị.")
                        % {"side": side})
        return None
    allowed = filters_of(population)
    for name, value in where.items():
        if name not in allowed:
            problems.append(_("%(side)s: không có điều kiện “%(name)s” cho %(population)s.")
                            % {"side": side, "name": name, "population": population})
            continue
        problems.extend(f"{side}: {message}" for message in _check(name, value, allowed[name]))
    return Count(population, tuple(sorted((k, _freeze(v)) for k, v in where.items())))


def _check(name: str, value: Any, accepted: Any) -> list[str]:
    if name == "age":
        if (not isinstance(value, list) or len(value) != 2
                or not all(isinstance(v, int) and 0 <= v <= 15 for v in value)
                or value[0] > value[1]):
            return [_("tuổi phải là [từ, đến] trong khoảng 0–15.")]
        return []
    if name == "under_age":
        return [] if isinstance(value, int) and 1 <= value <= 16 else [
            _("“dưới tuổi” phải là số năm từ 1 đến 16.")]
    if name == "under_days":
        return [] if isinstance(value, int) and 1 <= value <= 365 else [
            _("“dưới số ngày tuổi” phải là số ngày từ 1 đến 365.")]
    if name == "circumstance":
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            return [_("nhóm hoàn cảnh đặc biệt phải là danh sách mã (ví dụ [\"a\", \"l\"]) "
                      "hoặc [\"*\"].")]
        return []
    if accepted is None:  # codes a registered population checks itself (a training's topic)
        if (not isinstance(value, list) or not value
                or not all(isinstance(v, str) and v for v in value)):
            return [_("“%(name)s” phải là danh sách mã.") % {"name": name}]
        return []
    values = value if isinstance(value, list) else [value]
    if not values or any(v not in accepted for v in values):
        return [_("giá trị không hợp lệ cho “%(name)s”: %(value)s.")
                % {"name": name, "value": value}]
    return []


def parse(data: Any, *, unit_kind: str, breakdowns: list[str] | None = None) -> Spec:
    """The spec of a computed indicator, checked; SpecError lists every problem."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise SpecError([_("Định nghĩa phải là một bảng có tử số và mẫu số.")])
    numerator = _count(data.get("numerator"), _("Tử số"), problems)
    denominator = None
    if unit_kind == "count":
        if data.get("denominator"):
            problems.append(_("Chỉ tiêu đếm số lượng không có mẫu số."))
    else:
        denominator = _count(data.get("denominator"), _("Mẫu số"), problems)
    scale = SCALES.get(unit_kind)
    if scale is None:
        problems.append(_("Đơn vị tính không hợp lệ."))
    chosen = tuple(breakdowns or ())
    if numerator is not None:
        offered = set(dimensions_of(numerator.population))
        if denominator is not None:
            offered &= set(dimensions_of(denominator.population))
        for name in chosen:
            if name not in offered:
                problems.append(_("Không phân tổ được theo “%(name)s” cho chỉ tiêu này.")
                                % {"name": name})
    if problems or numerator is None or scale is None:
        raise SpecError(problems)
    return Spec(numerator, denominator, scale, chosen)

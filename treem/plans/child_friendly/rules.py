"""The verdict of a child-friendly self-assessment, and the points an item's bands give a
figure: pure functions of the criteria version's data, explained in Vietnamese.

QĐ 06/QĐ-TTg recognises a commune when (1) all 13 criteria are met, (2) no criterion scores
0, and (3) the total reaches its class's threshold (900 / 800 / 850). What makes one
criterion "met" could not be read in the decision (docs/child-friendly.md): a version may set
a minimum for a criterion (`min_points_to_meet`); without one a criterion is met when it
scores more than 0 — so conditions (1) and (2) coincide until a version says otherwise.
"""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class CriterionResult:
    number: int
    title: str
    max_points: int | None
    points: int
    unscored: int            # items of the criterion not scored yet
    met: bool


@dataclass(frozen=True)
class Verdict:
    total: int
    threshold: int | None
    commune_class: str
    criteria: list[CriterionResult]
    # True: recognisable; False: a rule fails (`reasons`); None: it cannot be told yet (the
    # version lacks points, or items are not scored).
    recognised: bool | None
    reasons: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"total": self.total, "threshold": self.threshold,
                "commune_class": self.commune_class, "recognised": self.recognised,
                "reasons": self.reasons,
                "criteria": [{"number": c.number, "points": c.points,
                              "max_points": c.max_points, "met": c.met}
                             for c in self.criteria]}


def band_points(bands: list[dict[str, Any]] | None, numerator: int | None,
                denominator: int | None) -> int | None:
    """The points of the first band the figure reaches (bands in the order the text gives
    them, best first); 0 when it reaches none; None when there is no figure (nothing to
    divide by: no child of the age in the commune)."""
    if not bands or numerator is None:
        return None
    percent = None
    if denominator is not None:
        if denominator == 0:
            return None
        percent = numerator * 100 / denominator
    for band in bands:
        if "at_least_percent" in band and percent is not None \
                and percent >= band["at_least_percent"]:
            return int(band["points"])
        if "at_most_percent" in band and percent is not None \
                and percent <= band["at_most_percent"]:
            return int(band["points"])
        if "at_least_count" in band and numerator >= band["at_least_count"]:
            return int(band["points"])
        if "at_most_count" in band and numerator <= band["at_most_count"]:
            return int(band["points"])
    return 0


@dataclass(frozen=True)
class CriterionData:
    number: int
    title: str
    max_points: int | None
    min_points_to_meet: int | None
    points: list[int | None]   # its items' points (None: not scored)


def judge(*, criteria: list[CriterionData], thresholds: dict[str, int], commune_class: str,
          complete: bool) -> Verdict:
    results: list[CriterionResult] = []
    reasons: list[str] = []
    undecided = False
    if not complete:
        undecided = True
        reasons.append(_("Bộ tiêu chí đang dùng chưa đủ thang điểm của mọi mục: chưa kết luận "
                         "được. Hãy nạp bộ tiêu chí đầy đủ."))
    total = 0
    for criterion in criteria:
        scored = [p for p in criterion.points if p is not None]
        unscored = len(criterion.points) - len(scored)
        points = sum(scored)
        total += points
        if criterion.min_points_to_meet is not None:
            met = points >= criterion.min_points_to_meet
        else:
            met = points > 0
        results.append(CriterionResult(criterion.number, criterion.title,
                                       criterion.max_points, points, unscored, met))
        if unscored:
            undecided = True
            reasons.append(_("Tiêu chí %(n)s: còn %(k)s mục chưa chấm.")
                           % {"n": criterion.number, "k": unscored})
        elif points == 0:
            reasons.append(_("Tiêu chí %(n)s bị 0 điểm: không được công nhận khi có tiêu chí "
                             "0 điểm.") % {"n": criterion.number})
        elif not met:
            reasons.append(_("Tiêu chí %(n)s chưa đạt: %(p)s điểm, cần ít nhất %(m)s.")
                           % {"n": criterion.number, "p": points,
                              "m": criterion.min_points_to_meet})
    threshold = thresholds.get(commune_class)
    if threshold is None:
        undecided = True
        reasons.append(_("Chưa có ngưỡng điểm cho loại xã này."))
    elif total < threshold:
        reasons.append(_("Tổng điểm %(t)s thấp hơn %(m)s điểm cần đạt của loại xã này.")
                       % {"t": total, "m": threshold})
    failing = any(not r.met and not r.unscored for r in results) or (
        threshold is not None and total < threshold and not undecided)
    recognised: bool | None
    if failing:
        recognised = False
    elif undecided:
        recognised = None
    else:
        recognised = True
    return Verdict(total, threshold, commune_class, results, recognised, reasons)

"""Loading a criteria version from its file (`treem/plans/data/child_friendly/*.json`, or a
province's file of a replacing decision): checked whole, then written in one transaction.

A version's points may not change once an assessment uses it (the assessment would change
under its commune's feet): a corrected table is loaded under a new code. What does not score
(an item's wording, its sources, which of treem's figures is shown beside it) may be
corrected in place: the scores already given stay as they are.
"""

import datetime
import json
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from treem.plans.child_friendly import prefill
from treem.plans.child_friendly.models import (
    Assessment,
    CommuneClass,
    CriteriaVersion,
    Criterion,
    Item,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "child_friendly"
BAND_KEYS = {"at_least_percent", "at_most_percent", "at_least_count", "at_most_count"}


class CriteriaError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _check(data: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    for key in ("code", "title", "legal_basis", "effective_from", "thresholds", "criteria",
                "recognition_rule"):
        if key not in data:
            problems.append(_("Thiếu “%(key)s”.") % {"key": key})
    if problems:
        return problems
    try:
        datetime.date.fromisoformat(data["effective_from"])
    except (TypeError, ValueError):
        problems.append(_("“effective_from” phải là ngày YYYY-MM-DD."))
    if set(data["thresholds"]) != set(CommuneClass.values) or not all(
            isinstance(v, int) and v > 0 for v in data["thresholds"].values()):
        problems.append(_("“thresholds” phải cho đủ các loại xã %(c)s, mỗi loại một số điểm.")
                        % {"c": ", ".join(CommuneClass.values)})
    complete = bool(data.get("complete"))
    numbers: set[int] = set()
    total = 0
    for criterion in data["criteria"]:
        number = criterion.get("number")
        if not isinstance(number, int) or number in numbers:
            problems.append(_("Số tiêu chí “%(n)s” thiếu hoặc trùng.") % {"n": number})
            continue
        numbers.add(number)
        codes: set[str] = set()
        points = 0
        for item in criterion.get("items", []):
            code = item.get("code")
            if not code or code in codes:
                problems.append(_("Mục “%(c)s” của tiêu chí %(n)s thiếu mã hoặc trùng.")
                                % {"c": code, "n": number})
            codes.add(code)
            maximum = item.get("max_points")
            if maximum is None:
                if complete:
                    problems.append(_("Mục %(c)s chưa có điểm tối đa.") % {"c": code})
            else:
                points += maximum
            for band in item.get("bands") or []:
                if not isinstance(band, dict) or len(set(band) & BAND_KEYS) != 1 or \
                        not isinstance(band.get("points"), int) or \
                        (maximum is not None and band["points"] > maximum):
                    problems.append(_("Mục %(c)s: một mức điểm không hợp lệ (%(b)s).")
                                    % {"c": code, "b": band})
            key = item.get("prefill")
            if key and key not in prefill.known_keys():
                problems.append(_("Mục %(c)s: không có dữ liệu “%(k)s” để điền sẵn.")
                                % {"c": code, "k": key})
        if not criterion.get("items"):
            problems.append(_("Tiêu chí %(n)s không có mục nào.") % {"n": number})
        maximum = criterion.get("max_points")
        if complete and maximum != points:
            problems.append(_("Tiêu chí %(n)s: tổng điểm các mục (%(p)s) khác điểm tối đa "
                              "(%(m)s).") % {"n": number, "p": points, "m": maximum})
        total += maximum or 0
    if complete and total != data.get("total_points"):
        problems.append(_("Tổng điểm các tiêu chí (%(t)s) khác tổng điểm tối đa (%(m)s).")
                        % {"t": total, "m": data.get("total_points")})
    return problems


@transaction.atomic
def load_version(data: dict[str, Any]) -> CriteriaVersion:
    """The version of `data`, checked (CriteriaError lists every problem, nothing written),
    then written: created, or replaced while no assessment uses it."""
    problems = _check(data)
    if problems:
        raise CriteriaError(problems)
    version = CriteriaVersion.objects.select_for_update().filter(code=data["code"]).first()
    if version is not None and Assessment.objects.filter(version=version).exists():
        if version.source == data:
            return version
        if _scoring(version.source) != _scoring(data):
            raise CriteriaError([_("Bộ tiêu chí “%(c)s” đã được dùng để đánh giá: hãy nạp bảng "
                                   "đã sửa với mã mới.") % {"c": data["code"]}])
        return _describe_again(version, data)
    fields = {"title": data["title"], "legal_basis": data["legal_basis"],
              "effective_from": datetime.date.fromisoformat(data["effective_from"]),
              "complete": bool(data.get("complete")),
              "completeness_note": data.get("completeness_note", ""),
              "total_points": data.get("total_points") or 1000,
              "thresholds": data["thresholds"], "recognition_rule": data["recognition_rule"],
              "criterion_met_rule": data.get("criterion_met_rule", ""), "source": data}
    if version is None:
        version = CriteriaVersion.objects.create(code=data["code"], **fields)
    else:
        for name, value in fields.items():
            setattr(version, name, value)
        version.save()
        version.criteria.all().delete()
    for criterion in data["criteria"]:
        made = Criterion.objects.create(
            version=version, number=criterion["number"], title=criterion.get("title", ""),
            max_points=criterion.get("max_points"),
            min_points_to_meet=criterion.get("min_points_to_meet"))
        Item.objects.bulk_create([Item(
            criterion=made, code=item["code"], position=position, text=item.get("text", ""),
            max_points=item.get("max_points"), scoring=item.get("scoring", ""),
            bands=item.get("bands"), prefill=item.get("prefill") or "",
            verified=bool(item.get("verified")),
            verified_source=item.get("verified_source", ""))
            for position, item in enumerate(criterion["items"])])
    return version


def _scoring(data: dict[str, Any]) -> Any:
    """What scores an assessment in a version's data: points, bands, thresholds, rules."""
    return (data.get("complete"), data.get("total_points"), data.get("thresholds"),
            data.get("criterion_met_rule"),
            [(c.get("number"), c.get("max_points"), c.get("min_points_to_meet"),
              [(i.get("code"), i.get("max_points"), i.get("bands")) for i in c.get("items", [])])
             for c in data.get("criteria", [])])


def _describe_again(version: CriteriaVersion, data: dict[str, Any]) -> CriteriaVersion:
    """A used version's words corrected, its points the same (`_scoring` checked)."""
    version.title, version.legal_basis = data["title"], data["legal_basis"]
    version.completeness_note = data.get("completeness_note", "")
    version.recognition_rule, version.source = data["recognition_rule"], data
    version.save()
    items = {item.code: item for item in Item.objects.filter(criterion__version=version)}
    for criterion in data["criteria"]:
        Criterion.objects.filter(version=version, number=criterion["number"]).update(
            title=criterion.get("title", ""))
        for entry in criterion["items"]:
            item = items[entry["code"]]
            item.text, item.scoring = entry.get("text", ""), entry.get("scoring", "")
            item.prefill = entry.get("prefill") or ""
            item.verified = bool(entry.get("verified"))
            item.verified_source = entry.get("verified_source", "")
    Item.objects.bulk_update(items.values(), ["text", "scoring", "prefill", "verified",
                                              "verified_source"])
    return version


def load_file(path: Path) -> CriteriaVersion:
    return load_version(json.loads(path.read_text(encoding="utf-8")))


def load_shipped() -> list[CriteriaVersion]:
    """The versions shipped with treem (`data/child_friendly/`, the prefill table aside)."""
    return [load_file(path) for path in sorted(DATA.glob("*.json")) if path.name != "prefill.json"]


def version_on(day: datetime.date) -> CriteriaVersion | None:
    """The version in force on `day`: the latest whose effect began by then."""
    return CriteriaVersion.objects.filter(effective_from__lte=day).order_by(
        "-effective_from").first()

"""Every write of the child-friendly assessment: a commune's class, an assessment begun and
filled from treem's data, an item scored, the flow (submitted → returned, recognised or not).
One transaction a call; bad input is a Vietnamese ValidationError and nothing is written.

Who: the commune's office (who may manage plans over the commune) scores and submits; the
level that recognises appraises and decides. Under QĐ 06 that was the district; since July
2025 there is none, and which level recognises could not be verified (docs/child-friendly.md):
`TREEM_CHILD_FRIENDLY_RECOGNISER` says it — "province" (default: a province officer over the
commune) or "commune_leader" (the commune's chairman)."""

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from treem.accounts.capabilities import Capability
from treem.accounts.models import User
from treem.accounts.roles import Role
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.edits import conflicts
from treem.geo.models import Level, Unit
from treem.geo.paths import ancestor_paths
from treem.lib.text import normalize
from treem.plans.child_friendly import prefill, rules
from treem.plans.child_friendly.loading import version_on
from treem.plans.child_friendly.models import (
    ALLOWED,
    Assessment,
    AssessmentEvent,
    AssessmentStatus,
    CommuneClass,
    CommuneClassing,
    Item,
    ItemScore,
)

NOT_A_COMMUNE = _("Chỉ đánh giá xã, phường, đặc khu.")
UNIT_NOT_CURRENT = _("Đơn vị đã giải thể: hãy chọn đơn vị hiện hành.")
OUT_OF_SCOPE = _("Xã, phường này ngoài phạm vi của bạn.")
NOT_RECOGNISER = _("Bạn không thuộc cấp thẩm định, công nhận xã, phường phù hợp với trẻ em.")
YEAR_RANGE = _("Năm đánh giá từ 2019 (Quyết định 06/QĐ-TTg) đến năm nay.")
NO_VERSION = _("Chưa có bộ tiêu chí có hiệu lực trong năm %(year)s.")
ALREADY = _("Xã, phường đã có bản tự đánh giá năm %(year)s.")
NOT_EDITABLE = _("Bản đánh giá đã gửi hoặc đã có quyết định: không sửa điểm được nữa.")
POINTS_RANGE = _("Điểm của mục %(code)s từ 0 đến %(max)s.")
POINTS_UNKNOWN_MAX = _("Mục %(code)s chưa có điểm tối đa trong bộ tiêu chí: chưa chấm được.")
EVIDENCE_REQUIRED = _("Điểm khác điểm tính từ dữ liệu (%(suggested)s): hãy ghi minh chứng, lý "
                      "do.")
NOT_ALLOWED = _("Không chuyển được từ “%(from)s” sang “%(to)s”.")
UNSCORED = _("Còn mục chưa chấm điểm: chưa gửi được.")
INCOMPLETE_VERSION = _("Bộ tiêu chí chưa đủ thang điểm: chưa gửi thẩm định được.")
MINUTES_REQUIRED = _("Hãy ghi ngày họp và biên bản họp đánh giá trước khi gửi.")
REASON_REQUIRED = _("Hãy ghi lý do.")
DECISION_REQUIRED = _("Hãy ghi số và ngày quyết định công nhận.")
NOT_RECOGNISABLE = _("Kết quả chưa đủ điều kiện công nhận: %(reasons)s")
DECISION_DATE = _("Ngày quyết định không trước ngày gửi và không sau hôm nay.")
CLASS_DATE = _("Ngày áp dụng phải trong khoảng 2019 đến hôm nay.")
TOO_LONG = _("Dài quá %(n)s ký tự.")
SCORE_POINTS = _("Điểm mục %(code)s")
SCORE_EVIDENCE = _("Minh chứng mục %(code)s")
YEAR_MIN = 2019


def _require_keeper(actor: User, unit: Unit) -> None:
    if not actor.in_scope(unit.path, capability=Capability.MANAGE_PLANS):
        raise PermissionDenied(OUT_OF_SCOPE)


def may_recognise(actor: User, unit: Unit) -> bool:
    """Whether `actor` is of the level that appraises and recognises `unit`."""
    if getattr(settings, "TREEM_CHILD_FRIENDLY_RECOGNISER", "province") == "commune_leader":
        return unit.path in actor.role_paths([Role.COMMUNE_LEADER])
    above = set(ancestor_paths(unit.path)) - {unit.path}
    return any(path in above for path in actor.role_paths([Role.AREA_OFFICER]))


def _normalized(value: Any) -> str:
    return "\n".join(normalize(line) for line in str(value or "").splitlines()).strip()


def _text(name: str, value: Any, limit: int) -> str:
    text = _normalized(value)
    if len(text) > limit:
        raise ValidationError({name: TOO_LONG % {"n": limit}})
    return text


def class_on(unit: Unit, day: datetime.date) -> str:
    """The commune's class on `day` (the others' by default, until a province says)."""
    found = (CommuneClassing.objects.filter(unit=unit, valid_from__lte=day)
             .order_by("-valid_from").values_list("commune_class", flat=True).first())
    return found or CommuneClass.OTHER


@transaction.atomic
def classing_set(*, actor: User, unit: Unit, commune_class: str, valid_from: datetime.date,
                 basis: str = "") -> CommuneClassing:
    """The commune's class from `valid_from` (a decision listing the especially difficult
    communes), set by the level that recognises."""
    if unit.level != Level.COMMUNE:
        raise ValidationError({"unit": NOT_A_COMMUNE})
    if not may_recognise(actor, unit):
        raise PermissionDenied(NOT_RECOGNISER)
    if commune_class not in CommuneClass.values:
        raise ValidationError({"commune_class": _("Giá trị này không có trong danh sách.")})
    if not datetime.date(YEAR_MIN, 1, 1) <= valid_from <= timezone.localdate():
        raise ValidationError({"valid_from": CLASS_DATE})
    classing, _created = CommuneClassing.objects.update_or_create(
        unit=unit, valid_from=valid_from, defaults={
            "unit_path": unit.path, "commune_class": commune_class,
            "basis": _text("basis", basis, 300), "created_by": actor})
    event_record(actor=actor, action=Action.UPDATE, obj=unit, unit=unit,
                 fields=["child_friendly_class"], reason=f"{commune_class} {valid_from}")
    return classing


def _prefill_rows(assessment: Assessment, items: list[Item],
                  figures: dict[tuple[str, int], Any]) -> list[ItemScore]:
    rows = []
    for item in items:
        score = ItemScore(assessment=assessment, item=item)
        if item.prefill:
            cell = figures.get((item.prefill, assessment.unit_id))
            score.numerator = cell.numerator if cell else 0
            score.denominator = cell.denominator if cell else (
                0 if prefill.specs({item.prefill})[item.prefill].denominator else None)
            score.suggested = rules.band_points(item.bands, score.numerator,
                                                score.denominator)
            score.points = score.suggested
            score.source = prefill.source_of(item.prefill)[:300]
        rows.append(score)
    return rows


@transaction.atomic
def assessment_start(*, actor: User, unit: Unit, year: int,
                     figures: dict[tuple[str, int], Any] | None = None) -> Assessment:
    """The commune's self-assessment of `year`, under the criteria in force on its last day
    and the commune's class then; every item treem's data can score is scored from it (the
    figure and its source kept beside), the others wait for the officer. `figures`: those of
    `prefill.figures` for a scope holding the commune, computed once for many communes."""
    if unit.level != Level.COMMUNE:
        raise ValidationError({"unit": NOT_A_COMMUNE})
    if unit.valid_to is not None:
        raise ValidationError({"unit": UNIT_NOT_CURRENT})
    _require_keeper(actor, unit)
    if not YEAR_MIN <= year <= timezone.localdate().year:
        raise ValidationError({"year": YEAR_RANGE})
    last_day = datetime.date(year, 12, 31)
    version = version_on(last_day)
    if version is None:
        raise ValidationError({"year": NO_VERSION % {"year": year}})
    items = list(Item.objects.filter(criterion__version=version).select_related("criterion"))
    if figures is None:
        wanted = {item.prefill for item in items if item.prefill}
        figures = prefill.figures(wanted, year, unit.path)
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                unit=unit, unit_path=unit.path, year=year, version=version,
                commune_class=class_on(unit, last_day), created_by=actor)
    except IntegrityError as error:
        raise ValidationError({"year": ALREADY % {"year": year}}) from error
    ItemScore.objects.bulk_create(_prefill_rows(assessment, items, figures))
    event_record(actor=actor, action=Action.CREATE, obj=assessment, unit=unit,
                 fields=["year", "version", "scores"])
    return assessment


def _editable(assessment: Assessment) -> None:
    if assessment.status not in (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED):
        raise ValidationError({"points": NOT_EDITABLE})


@transaction.atomic
def item_score(*, actor: User, score: ItemScore, points: int | None, evidence: str = ""
               ) -> ItemScore:
    """An item's points given by the commune (by hand, or other than the data's figure gives:
    then with the evidence or reason)."""
    assessment = Assessment.objects.select_for_update().get(pk=score.assessment_id)
    _require_keeper(actor, assessment.unit)
    _editable(assessment)
    item = score.item
    if points is not None:
        if item.max_points is None:
            raise ValidationError({"points": POINTS_UNKNOWN_MAX % {"code": item.code}})
        if type(points) is not int or not 0 <= points <= item.max_points:
            raise ValidationError({"points": POINTS_RANGE % {"code": item.code,
                                                             "max": item.max_points}})
    text = _text("evidence", evidence, 5_000)
    if points is not None and score.suggested is not None and points != score.suggested \
            and not text:
        raise ValidationError({"evidence": EVIDENCE_REQUIRED % {"suggested": score.suggested}})
    score = ItemScore.objects.select_for_update().get(pk=score.pk)
    if (score.points, score.evidence) == (points, text):
        return score
    score.points, score.evidence = points, text
    score.scored_by, score.scored_at = actor, timezone.now()
    score.save(update_fields=["points", "evidence", "scored_by", "scored_at"])
    assessment.edit_version += 1
    assessment.save(update_fields=["edit_version", "updated_at"])
    event_record(actor=actor, action=Action.UPDATE, obj=assessment, unit=assessment.unit,
                 fields=["scores"], reason=item.code)
    return score


def verdict_of(assessment: Assessment) -> rules.Verdict:
    """The verdict of the assessment's scores now (or as frozen when decided)."""
    scores = list(ItemScore.objects.filter(assessment=assessment)
                  .select_related("item__criterion"))
    by_criterion: dict[int, list[ItemScore]] = {}
    criteria = {}
    for score in scores:
        criterion = score.item.criterion
        criteria[criterion.number] = criterion
        by_criterion.setdefault(criterion.number, []).append(score)
    data = [rules.CriterionData(number, criteria[number].title, criteria[number].max_points,
                                criteria[number].min_points_to_meet,
                                [s.points for s in by_criterion[number]])
            for number in sorted(criteria)]
    version = assessment.version
    return rules.judge(criteria=data, thresholds=version.thresholds,
                       commune_class=assessment.commune_class, complete=version.complete)


@transaction.atomic
def assessment_details(*, actor: User, assessment: Assessment, base_version: int,
                       scored_by_text: str, meeting_on: datetime.date | None,
                       minutes: str) -> Assessment:
    """Who scored, the day of the commune's meeting and its minutes."""
    assessment = conflicts.locked(assessment)
    _require_keeper(actor, assessment.unit)
    _editable(assessment)
    conflicts.check(assessment, version=assessment.edit_version, base_version=base_version,
                    changes={"scored_by_text": scored_by_text, "meeting_on": meeting_on,
                             "minutes": minutes})
    assessment.scored_by_text = _text("scored_by_text", scored_by_text, 500)
    assessment.minutes = _text("minutes", minutes, 20_000)
    if meeting_on is not None and meeting_on > timezone.localdate():
        raise ValidationError({"meeting_on": DECISION_DATE})
    assessment.meeting_on = meeting_on
    conflicts.save_new_version(assessment, ["scored_by_text", "minutes", "meeting_on",
                                            "updated_at"], version_field="edit_version")
    event_record(actor=actor, action=Action.UPDATE, obj=assessment, unit=assessment.unit,
                 fields=["scored_by_text", "meeting_on", "minutes"])
    return assessment


def _move(actor: User, assessment: Assessment, to: str, comment: str = "") -> None:
    if to not in ALLOWED[assessment.status]:
        raise ValidationError({"status": NOT_ALLOWED % {
            "from": assessment.get_status_display(), "to": AssessmentStatus(to).label}})
    assessment.status = to
    AssessmentEvent.objects.create(assessment=assessment, to_status=to, by=actor,
                                   comment=comment)


@transaction.atomic
def assessment_submit(*, actor: User, assessment: Assessment) -> Assessment:
    """Sent to the level that recognises: every item scored, the meeting recorded, the
    figures frozen."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _require_keeper(actor, assessment.unit)
    if not assessment.version.complete:
        raise ValidationError({"status": INCOMPLETE_VERSION})
    if ItemScore.objects.filter(assessment=assessment, points__isnull=True).exists():
        raise ValidationError({"status": UNSCORED})
    if assessment.meeting_on is None or not assessment.minutes:
        raise ValidationError({"minutes": MINUTES_REQUIRED})
    _move(actor, assessment, AssessmentStatus.SUBMITTED)
    verdict = verdict_of(assessment)
    assessment.total, assessment.verdict = verdict.total, verdict.as_json()
    assessment.save(update_fields=["status", "total", "verdict", "updated_at"])
    event_record(actor=actor, action=Action.UPDATE, obj=assessment, unit=assessment.unit,
                 fields=["status"], reason=AssessmentStatus.SUBMITTED)
    return assessment


@transaction.atomic
def assessment_decide(*, actor: User, assessment: Assessment, status: str, reason: str = "",
                      decision_number: str = "",
                      decision_on: datetime.date | None = None) -> Assessment:
    """The recognising level's decision: returned (with reasons), recognised (with the
    decision's number and date; only when the rules are met), or not recognised (reasons)."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not may_recognise(actor, assessment.unit):
        raise PermissionDenied(NOT_RECOGNISER)
    reason = _text("return_reason", reason, 5_000)
    if status in (AssessmentStatus.RETURNED, AssessmentStatus.NOT_RECOGNISED) and not reason:
        raise ValidationError({"return_reason": REASON_REQUIRED})
    number = _text("decision_number", decision_number, 60)
    if status == AssessmentStatus.RECOGNISED:
        if not number or decision_on is None:
            raise ValidationError({"decision_number": DECISION_REQUIRED})
        submitted = assessment.events.filter(to_status=AssessmentStatus.SUBMITTED).order_by(
            "-at").values_list("at", flat=True).first()
        if decision_on > timezone.localdate() or (
                submitted is not None and decision_on < timezone.localtime(submitted).date()):
            raise ValidationError({"decision_on": DECISION_DATE})
        verdict = verdict_of(assessment)
        if verdict.recognised is not True:
            raise ValidationError({"status": NOT_RECOGNISABLE % {
                "reasons": " ".join(verdict.reasons)}})
    _move(actor, assessment, status, reason)
    assessment.return_reason = reason
    assessment.decision_number = number if status == AssessmentStatus.RECOGNISED else ""
    assessment.decision_on = decision_on if status == AssessmentStatus.RECOGNISED else None
    assessment.save(update_fields=["status", "return_reason", "decision_number", "decision_on",
                                   "updated_at"])
    event_record(actor=actor, action=Action.UPDATE, obj=assessment, unit=assessment.unit,
                 fields=["status"], reason=status)
    return assessment


def _check_scores(assessment: Assessment, scores: dict[int, ItemScore],
                  changes: dict[int, tuple[int | None, str]], base_version: int,
                  base: dict[int, tuple[int | None, str]] | None) -> None:
    """The version check of `treem.edits.conflicts` for a save of several items' points and
    evidence: each item's points and evidence are two fields (named as the form's inputs),
    compared with those saved now (`scores`, read under the assessment's lock)."""
    mine: dict[str, Any] = {}
    saved: dict[str, Any] = {}
    read: dict[str, Any] = {}
    codes: dict[int, str] = {}
    for pk, (points, evidence) in changes.items():
        score = scores[pk]
        codes[pk] = score.item.code
        mine |= {f"points_{pk}": points, f"evidence_{pk}": _normalized(evidence)}
        saved |= {f"points_{pk}": score.points, f"evidence_{pk}": score.evidence}
        if base is not None and pk in base:
            read |= {f"points_{pk}": base[pk][0], f"evidence_{pk}": _normalized(base[pk][1])}

    def describe(name: str, value: Any) -> tuple[str, str]:
        kind, pk = name.split("_")
        label = SCORE_POINTS if kind == "points" else SCORE_EVIDENCE
        return str(label % {"code": codes[int(pk)]}), conflicts.text_of(None, value)

    # Every save of a score is audited on the assessment as a change of its "scores".
    conflicts.check(assessment, version=assessment.edit_version, base_version=base_version,
                    changes=mine, base=read, current=saved, describe=describe,
                    audited_as=dict.fromkeys(mine, "scores"))


@transaction.atomic
def scores_save(*, actor: User, assessment: Assessment,
                changes: dict[int, tuple[int | None, str]], base_version: int | None = None,
                base: dict[int, tuple[int | None, str]] | None = None) -> int:
    """Several items' points and evidence saved together (the assessment's form): all or
    nothing. `changes`: score id → (points, evidence). Returns how many changed.

    `base_version`: the assessment's `edit_version` the scores were read at, and `base` the
    (points, evidence) read of each item, when known: an item saved since with other values
    than these is refused (EditConflict, nothing written) rather than overwritten; items
    nobody else changed merge. None: no check (a system's own write)."""
    # The lock first: the scores compared and changed are those no other save is changing.
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _require_keeper(actor, locked.unit)
    scores = {s.pk: s for s in ItemScore.objects.filter(assessment=locked,
                                                        pk__in=list(changes))
              .select_related("item")}
    if set(changes) - set(scores):
        raise PermissionDenied(OUT_OF_SCOPE)
    if base_version is not None:
        _check_scores(locked, scores, changes, base_version, base)
    changed = 0
    errors: dict[str, Any] = {}
    for pk, (points, evidence) in changes.items():
        score = scores[pk]
        if (score.points, score.evidence) == (points, evidence.strip()):
            continue
        try:
            item_score(actor=actor, score=score, points=points, evidence=evidence)
        except ValidationError as error:
            for field_name, messages in error.message_dict.items():
                errors[f"{field_name}_{pk}"] = messages
        else:
            changed += 1
    if errors:
        raise ValidationError(errors)
    return changed


def assessments_start_all(*, actor: User, units: list[Unit], year: int,
                          scope_path: str) -> list[Assessment]:
    """The assessments of `year` of every commune in `units` that has none yet, all filled
    from one computation of the figures for `scope_path` (a province: one grouped query per
    population for its hundred communes, not a hundred). Each commune's is its own
    transaction: one refused (a dissolved unit) does not stop the others."""
    version = version_on(datetime.date(year, 12, 31))
    if version is None:
        raise ValidationError({"year": NO_VERSION % {"year": year}})
    wanted = set(Item.objects.filter(criterion__version=version).exclude(prefill="")
                 .values_list("prefill", flat=True))
    figures = prefill.figures(wanted, year, scope_path)
    taken = set(Assessment.objects.filter(year=year, unit__in=units)
                .values_list("unit_id", flat=True))
    return [assessment_start(actor=actor, unit=unit, year=year, figures=figures)
            for unit in units if unit.pk not in taken]

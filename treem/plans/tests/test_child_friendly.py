"""The child-friendly commune assessment: the recognition rule at its edges, the criteria as
versioned data, items prefilled from hand-made data (each figure worked out by hand), the flow
and who may move it."""

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from treem.accounts.roles import Role
from treem.geo.models import Level
from treem.indicators import periods
from treem.indicators.compute import Cell, compute
from treem.indicators.spec import parse
from treem.plans.activities import services as activity_services
from treem.plans.activities.models import ActivityType
from treem.plans.child_friendly import loading, rules, services
from treem.plans.child_friendly.models import (
    Assessment,
    AssessmentStatus,
    CommuneClass,
    CriteriaVersion,
    ItemScore,
)
from treem.registry.tests.factories import make_child
from treem.testing import Personas, Tree, make_unit, make_user, refused

pytestmark = pytest.mark.django_db

YEAR = 2025
THRESHOLDS = {"urban_ward": 900, "difficult": 800, "other": 850}


def version_data(code: str = "test-2019", **changes: Any) -> dict[str, Any]:
    """A complete version of 13 criteria worth 1,000 points: criterion 1 of 100 (its item
    1.1 prefilled from board meetings: 2 or more give 100), criterion 2 of 100 (births
    registered: 100 % → 100, 90 % → 50), criterion 3 of 100 (children 7+ consulted: 30 % →
    100), and ten of 70 scored by hand."""
    criteria = [
        {"number": 1, "title": "Nguồn lực", "max_points": 100, "items": [
            {"code": "1.1", "text": "Họp Ban", "max_points": 100, "prefill": "board_meetings",
             "bands": [{"at_least_count": 2, "points": 100}, {"at_least_count": 1,
                                                              "points": 50}]}]},
        {"number": 2, "title": "Khai sinh", "max_points": 100, "items": [
            {"code": "2.1", "text": "Khai sinh", "max_points": 100,
             "prefill": "birth_registration",
             "bands": [{"at_least_percent": 100, "points": 100},
                       {"at_least_percent": 90, "points": 50}]}]},
        {"number": 3, "title": "Tham gia", "max_points": 100, "items": [
            {"code": "3.1", "text": "Lấy ý kiến", "max_points": 100,
             "prefill": "children_consultations",
             "bands": [{"at_least_percent": 30, "points": 100}]}]},
    ] + [{"number": n, "title": f"Tiêu chí {n}", "max_points": 70,
          "items": [{"code": f"{n}.1", "text": "Chấm tay", "max_points": 70}]}
         for n in range(4, 14)]
    data = {"code": code, "title": "Bộ tiêu chí thử", "legal_basis": "QĐ 06/QĐ-TTg",
            "effective_from": "2019-01-03", "complete": True, "total_points": 1000,
            "thresholds": THRESHOLDS, "recognition_rule": "Đủ 13 tiêu chí…",
            "criteria": criteria}
    data.update(changes)
    return data


def criteria_with(points: list[int]) -> list[rules.CriterionData]:
    return [rules.CriterionData(n, f"Tiêu chí {n}", None, None, [p])
            for n, p in enumerate(points, start=1)]


class RecognitionRuleTests:
    def test_one_criterion_at_zero_fails_even_with_950_points(self) -> None:
        points = [0] + [80] * 10 + [75, 75]
        assert sum(points) == 950
        verdict = rules.judge(criteria=criteria_with(points), thresholds=THRESHOLDS,
                              commune_class="other", complete=True)
        assert verdict.recognised is False and verdict.total == 950
        assert verdict.reasons == [
            "Tiêu chí 1 bị 0 điểm: không được công nhận khi có tiêu chí 0 điểm."]

    def test_exactly_850_is_recognised_for_an_ordinary_commune_and_849_is_not(self) -> None:
        points = [70] * 12 + [10]
        assert sum(points) == 850
        yes = rules.judge(criteria=criteria_with(points), thresholds=THRESHOLDS,
                          commune_class="other", complete=True)
        assert (yes.recognised, yes.reasons) == (True, [])
        no = rules.judge(criteria=criteria_with([*points[:-1], 9]), thresholds=THRESHOLDS,
                         commune_class="other", complete=True)
        assert no.recognised is False
        assert no.reasons == ["Tổng điểm 849 thấp hơn 850 điểm cần đạt của loại xã này."]

    def test_the_threshold_follows_the_communes_class(self) -> None:
        points = [62] * 12 + [56]  # 800
        for commune_class, expected in (("difficult", True), ("other", False),
                                        ("urban_ward", False)):
            verdict = rules.judge(criteria=criteria_with(points), thresholds=THRESHOLDS,
                                  commune_class=commune_class, complete=True)
            assert verdict.recognised is expected, commune_class

    def test_no_verdict_while_items_are_unscored_or_the_version_lacks_points(self) -> None:
        criteria = criteria_with([80] * 13)
        criteria[4] = rules.CriterionData(5, "Tiêu chí 5", None, None, [None])
        assert rules.judge(criteria=criteria, thresholds=THRESHOLDS, commune_class="other",
                           complete=True).recognised is None
        verdict = rules.judge(criteria=criteria_with([80] * 13), thresholds=THRESHOLDS,
                              commune_class="other", complete=False)
        assert verdict.recognised is None and "chưa đủ thang điểm" in verdict.reasons[0]

    def test_a_minimum_set_by_the_version_makes_a_criterion_unmet(self) -> None:
        criteria = criteria_with([80] * 13)
        criteria[0] = rules.CriterionData(1, "Tiêu chí 1", 100, 50, [40])
        verdict = rules.judge(criteria=criteria, thresholds=THRESHOLDS,
                              commune_class="other", complete=True)
        assert verdict.recognised is False
        assert "Tiêu chí 1 chưa đạt: 40 điểm, cần ít nhất 50." in verdict.reasons

    def test_bands_give_the_first_level_reached(self) -> None:
        bands = [{"at_least_percent": 98, "points": 50}, {"at_least_percent": 90,
                                                          "points": 30}]
        assert rules.band_points(bands, 98, 100) == 50
        assert rules.band_points(bands, 97, 100) == 30
        assert rules.band_points(bands, 89, 100) == 0
        assert rules.band_points(bands, 0, 0) is None  # nothing to divide by
        assert rules.band_points([{"at_most_percent": 10, "points": 40}], 1, 20) == 40


class VersionTests:
    def test_the_shipped_decision_loads_as_incomplete_with_its_verified_items(self) -> None:
        (version,) = loading.load_shipped()
        assert (version.code, version.complete) == ("qd-06-2019", False)
        assert version.thresholds == THRESHOLDS
        assert version.criteria.count() == 13
        officer = version.criteria.get(number=1).items.get(code="1.1")
        assert (officer.max_points, officer.verified) == (50, True)
        assert officer.verified_source

    def test_a_complete_version_must_add_up_and_name_known_data(self) -> None:
        data = version_data()
        data["criteria"][0]["max_points"] = 90
        data["criteria"][1]["items"][0]["prefill"] = "horoscope"
        with pytest.raises(loading.CriteriaError) as error:
            loading.load_version(data)
        assert any("Tiêu chí 1: tổng điểm các mục (100) khác điểm tối đa (90)" in p
                   for p in error.value.problems)
        assert any("horoscope" in p for p in error.value.problems)
        assert not CriteriaVersion.objects.exists()

    def test_a_version_in_use_is_not_changed_under_its_assessments(
            self, tree: Tree, personas: Personas) -> None:
        loading.load_version(version_data())
        services.assessment_start(actor=personas.officer, unit=tree.commune_a, year=YEAR)
        changed = version_data()
        changed["thresholds"] = {**THRESHOLDS, "other": 800}
        with pytest.raises(loading.CriteriaError):
            loading.load_version(changed)
        assert CriteriaVersion.objects.get().thresholds["other"] == 850
        loading.load_version(version_data())  # the same file again: nothing to do

    def test_a_used_version_has_its_words_corrected_in_place_but_not_its_bands(
            self, tree: Tree, personas: Personas) -> None:
        loading.load_version(version_data())
        assessment = services.assessment_start(actor=personas.officer, unit=tree.commune_a,
                                               year=YEAR)
        scores = list(ItemScore.objects.filter(assessment=assessment).values_list(
            "item_id", "points"))
        worded = version_data()
        worded["criteria"][2]["items"][0]["text"] = "Trẻ em từ 7 tuổi được lấy ý kiến"
        worded["criteria"][3]["items"][0]["prefill"] = "children_forums"
        loading.load_version(worded)
        items = {i.code: i for i in CriteriaVersion.objects.get().criteria.get(
            number=3).items.all()}
        assert items["3.1"].text == "Trẻ em từ 7 tuổi được lấy ý kiến"
        assert CriteriaVersion.objects.get().criteria.get(number=4).items.get().prefill \
            == "children_forums"
        assert list(ItemScore.objects.filter(assessment=assessment).values_list(
            "item_id", "points")) == scores  # the same rows, the same points
        rebanded = version_data()
        rebanded["criteria"][0]["items"][0]["bands"] = [{"at_least_count": 3, "points": 100}]
        with pytest.raises(loading.CriteriaError):
            loading.load_version(rebanded)
        bands = CriteriaVersion.objects.get().criteria.get(number=1).items.get().bands
        assert bands is not None and bands[0] == {"at_least_count": 2, "points": 100}


def _board_meeting(actor: Any, unit: Any, day: datetime.date) -> None:
    activity_services.activity_create(actor=actor, unit=unit, title="Họp Ban",
                                      type=ActivityType.objects.get(code="board-meeting"),
                                      start_date=day, end_date=day)


class PrefillTests:
    @pytest.fixture
    def version(self) -> CriteriaVersion:
        return loading.load_version(version_data())

    def test_items_are_scored_from_hand_made_data(self, tree: Tree, personas: Personas,
                                                  version: CriteriaVersion) -> None:
        """Commune A, 2025: 4 births, 3 registered (75 % → 0 points); two board meetings in
        2025 and one in 2024 (2 → 100); 2 consulted of the 3 children aged 7–15 (67 % → 100).
        Commune B is untouched by A's figures."""
        for registered in (True, True, True, False):
            make_child(commune=tree.commune_a, birth_date=datetime.date(YEAR, 3, 1),
                       birth_registered=registered)
        for born in (2012, 2016, 2018):
            make_child(commune=tree.commune_a, birth_date=datetime.date(born, 1, 1))
        for day in (datetime.date(YEAR, 2, 1), datetime.date(YEAR, 9, 1),
                    datetime.date(YEAR - 1, 9, 1)):
            _board_meeting(personas.officer, tree.commune_a, day)
        activity_services.activity_create(
            actor=personas.officer, unit=tree.commune_a, title="Lấy ý kiến",
            type=ActivityType.objects.get(code="consultation"), subject="Kế hoạch",
            start_date=datetime.date(YEAR, 5, 1), end_date=datetime.date(YEAR, 5, 1),
            children=2, children_7_10=1, children_11_15=1)
        make_child(commune=tree.commune_b, birth_date=datetime.date(YEAR, 3, 1),
                   birth_registered=True)
        assessment = services.assessment_start(actor=personas.officer, unit=tree.commune_a,
                                               year=YEAR)
        scores = {s.item.code: s for s in ItemScore.objects.filter(assessment=assessment)
                  .select_related("item")}
        assert (scores["1.1"].numerator, scores["1.1"].denominator,
                scores["1.1"].points) == (2, None, 100)
        assert (scores["2.1"].numerator, scores["2.1"].denominator,
                scores["2.1"].points) == (3, 4, 0)
        assert (scores["3.1"].numerator, scores["3.1"].denominator,
                scores["3.1"].points) == (2, 3, 100)
        assert "khai sinh" in scores["2.1"].source
        assert scores["4.1"].points is None and scores["4.1"].source == ""
        other = services.assessment_start(actor=personas.outsider, unit=tree.commune_b,
                                          year=YEAR)
        b = ItemScore.objects.get(assessment=other, item__code="2.1")
        assert (b.numerator, b.denominator, b.points) == (1, 1, 100)
        assert ItemScore.objects.get(assessment=other, item__code="1.1").points == 0

    def test_a_commune_without_children_of_an_age_gets_no_figure_to_score(
            self, tree: Tree, personas: Personas, version: CriteriaVersion) -> None:
        assessment = services.assessment_start(actor=personas.officer, unit=tree.commune_a,
                                               year=YEAR)
        births = ItemScore.objects.get(assessment=assessment, item__code="2.1")
        assert (births.numerator, births.denominator, births.points) == (0, 0, None)


class FlowTests:
    @pytest.fixture
    def assessment(self, tree: Tree, personas: Personas) -> Assessment:
        loading.load_version(version_data())
        return services.assessment_start(actor=personas.officer, unit=tree.commune_a,
                                         year=YEAR)

    def _score_all(self, actor: Any, assessment: Assessment, points: int = 70) -> None:
        for score in ItemScore.objects.filter(assessment=assessment).select_related("item"):
            value = min(points, score.item.max_points or 0)
            services.item_score(actor=actor, score=score, points=value,
                                evidence="Biên bản kiểm tra")

    def test_a_commune_scores_submits_and_the_province_recognises(
            self, tree: Tree, personas: Personas, assessment: Assessment) -> None:
        with pytest.raises(ValidationError):
            services.assessment_submit(actor=personas.officer, assessment=assessment)
        self._score_all(personas.officer, assessment, 70)  # 3 × 70 + 10 × 70 = 910
        with pytest.raises(ValidationError) as error:
            services.assessment_submit(actor=personas.officer, assessment=assessment)
        assert "minutes" in error.value.message_dict
        assessment.refresh_from_db()
        services.assessment_details(actor=personas.officer, assessment=assessment,
                                    base_version=assessment.edit_version,
                                    scored_by_text="Ban bảo vệ trẻ em phường",
                                    meeting_on=datetime.date(2026, 1, 10),
                                    minutes="Họp ngày 10/01/2026, thống nhất điểm.")
        services.assessment_submit(actor=personas.officer, assessment=assessment)
        assessment.refresh_from_db()
        assert (assessment.status, assessment.total) == ("submitted", 910)
        with pytest.raises(ValidationError):  # submitted: scores are frozen
            services.item_score(actor=personas.officer,
                                score=ItemScore.objects.get(assessment=assessment,
                                                            item__code="4.1"),
                                points=0)
        with pytest.raises(PermissionDenied):  # the commune does not recognise itself
            services.assessment_decide(actor=personas.chairman, assessment=assessment,
                                       status="recognised", decision_number="1/QĐ-UBND",
                                       decision_on=datetime.date.today())
        services.assessment_decide(actor=personas.province_officer, assessment=assessment,
                                   status="recognised", decision_number="125/QĐ-UBND",
                                   decision_on=datetime.date.today())
        assessment.refresh_from_db()
        assert (assessment.status, assessment.decision_number) == ("recognised",
                                                                   "125/QĐ-UBND")
        assert list(assessment.events.values_list("to_status", flat=True)) == [
            "submitted", "recognised"]

    def test_a_total_below_the_threshold_cannot_be_recognised_only_returned(
            self, tree: Tree, personas: Personas, assessment: Assessment) -> None:
        self._score_all(personas.officer, assessment, 60)  # 780
        services.assessment_details(actor=personas.officer, assessment=assessment,
                                    base_version=Assessment.objects.get().edit_version,
                                    scored_by_text="Ban", meeting_on=datetime.date(2026, 1, 5),
                                    minutes="Biên bản")
        services.assessment_submit(actor=personas.officer, assessment=assessment)
        error = refused(services.assessment_decide, snapshot=lambda: list(
            Assessment.objects.values_list("status", flat=True)),
            actor=personas.province_officer, assessment=assessment, status="recognised",
            decision_number="1/QĐ", decision_on=datetime.date.today())
        assert "Tổng điểm 780 thấp hơn 850" in error.message_dict["status"][0]
        with pytest.raises(ValidationError):  # a return needs its reasons
            services.assessment_decide(actor=personas.province_officer,
                                       assessment=assessment, status="returned")
        services.assessment_decide(actor=personas.province_officer, assessment=assessment,
                                   status="returned", reason="Chấm lại tiêu chí 5.")
        assessment.refresh_from_db()
        assert assessment.status == "returned"
        score = ItemScore.objects.get(assessment=assessment, item__code="5.1")
        services.item_score(actor=personas.officer, score=score, points=65,
                            evidence="Đã bổ sung")  # editable again

    def test_a_score_above_its_maximum_or_unlike_the_data_without_reason_is_refused(
            self, tree: Tree, personas: Personas, assessment: Assessment) -> None:
        hand = ItemScore.objects.get(assessment=assessment, item__code="4.1")
        error = refused(services.item_score, snapshot=lambda: list(
            ItemScore.objects.values_list("points", flat=True)), actor=personas.officer,
            score=hand, points=71)
        assert error.message_dict["points"] == ["Điểm của mục 4.1 từ 0 đến 70."]
        data = ItemScore.objects.get(assessment=assessment, item__code="1.1")
        assert data.suggested == 0
        error = refused(services.item_score, snapshot=lambda: list(
            ItemScore.objects.values_list("points", flat=True)), actor=personas.officer,
            score=data, points=100)
        assert "evidence" in error.message_dict

    def test_only_the_communes_office_starts_and_scores(
            self, tree: Tree, personas: Personas, assessment: Assessment) -> None:
        with pytest.raises(PermissionDenied):
            services.assessment_start(actor=personas.outsider, unit=tree.commune_a, year=2024)
        hand = ItemScore.objects.get(assessment=assessment, item__code="4.1")
        for actor in (personas.outsider, personas.auditor, personas.sector_focal):
            with pytest.raises(PermissionDenied):
                services.item_score(actor=actor, score=hand, points=10, evidence="x")
        with pytest.raises(ValidationError):  # one a year
            services.assessment_start(actor=personas.officer, unit=tree.commune_a, year=YEAR)
        with pytest.raises(ValidationError):  # dissolved in 2025: no new assessment
            officer = make_user("old", role=Role.AREA_OFFICER, unit=tree.old_province)
            services.assessment_start(actor=officer, unit=tree.old_commune, year=YEAR)

    @override_settings(TREEM_CHILD_FRIENDLY_RECOGNISER="commune_leader")
    def test_the_recognising_level_is_a_setting(self, tree: Tree, personas: Personas,
                                                assessment: Assessment) -> None:
        assert services.may_recognise(personas.chairman, tree.commune_a)
        assert not services.may_recognise(personas.province_officer, tree.commune_a)


class ClassTests:
    def test_a_communes_class_is_effective_dated(self, tree: Tree,
                                                 personas: Personas) -> None:
        assert services.class_on(tree.commune_a, datetime.date(2025, 12, 31)) == "other"
        services.classing_set(actor=personas.province_officer, unit=tree.commune_a,
                              commune_class=CommuneClass.DIFFICULT,
                              valid_from=datetime.date(2021, 6, 1), basis="QĐ 861/QĐ-TTg")
        services.classing_set(actor=personas.province_officer, unit=tree.commune_a,
                              commune_class=CommuneClass.OTHER,
                              valid_from=datetime.date(2025, 7, 1), basis="Sáp nhập")
        assert services.class_on(tree.commune_a, datetime.date(2024, 12, 31)) == "difficult"
        assert services.class_on(tree.commune_a, datetime.date(2025, 12, 31)) == "other"
        with pytest.raises(PermissionDenied):
            services.classing_set(actor=personas.officer, unit=tree.commune_a,
                                  commune_class="difficult",
                                  valid_from=datetime.date(2025, 1, 1))


class ComputedShareTests:
    def test_the_share_of_communes_recognised_is_computed(self, tree: Tree,
                                                          personas: Personas) -> None:
        loading.load_version(version_data())
        assessment = services.assessment_start(actor=personas.officer, unit=tree.commune_a,
                                               year=YEAR)
        Assessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.RECOGNISED)
        spec = parse({"numerator": {"population": "child_friendly_communes"},
                      "denominator": {"population": "communes"}}, unit_kind="percent")
        values = compute({"x": spec}, periods.parse(str(YEAR)), tree.province.path)
        assert values[("x", tree.commune_a.pk, "")] == Cell(1, 1)
        assert values[("x", tree.commune_b.pk, "")] == Cell(0, 1)


class EveryPrefillKeyTests:
    """Each figure the assessment is filled with, on hand-made data of commune A in 2025,
    worked out by hand (commune B's data never reaches A's figures)."""

    def test_each_key_gives_its_figure(self, tree: Tree, personas: Personas) -> None:
        from django.utils import timezone as tz

        from treem.accounts.models import RoleAssignment
        from treem.cases import services as case_services
        from treem.cases.models import CaseAbuse
        from treem.cases.models import Plan as CasePlan
        from treem.cases.tests.test_services import _notify
        from treem.plans.child_friendly import prefill
        from treem.registry.tests.factories import make_circumstance, make_support

        day = datetime.date(YEAR, 6, 1)
        a, b = tree.commune_a, tree.commune_b
        # Statuses on 31/12/2025: two under-1s (one fully vaccinated), three under-5s (one
        # stunted), two 5-year-olds (one at school), three 7–15s.
        make_child(commune=a, birth_date=datetime.date(YEAR, 2, 1), vaccination_status="full")
        make_child(commune=a, birth_date=datetime.date(YEAR, 3, 1), vaccination_status="none")
        make_child(commune=a, birth_date=datetime.date(YEAR - 3, 1, 1),
                   nutrition_status="stunted")
        five = make_child(commune=a, birth_date=datetime.date(YEAR - 5, 1, 1),
                          school_status="in_school")
        make_child(commune=a, birth_date=datetime.date(YEAR - 5, 2, 1), school_status="never")
        special = make_child(commune=a, birth_date=datetime.date(YEAR - 10, 1, 1))
        make_circumstance(child=special, code="a", start_date=datetime.date(YEAR - 1, 1, 1))
        make_support(child=special, start_date=datetime.date(YEAR - 1, 1, 1))
        other_special = make_child(commune=a, birth_date=datetime.date(YEAR - 12, 1, 1))
        make_circumstance(child=other_special, code="d",
                          start_date=datetime.date(YEAR - 1, 1, 1))
        make_child(commune=a, birth_date=datetime.date(YEAR - 9, 1, 1))
        make_child(commune=b, birth_date=datetime.date(YEAR, 2, 1), vaccination_status="full")
        # An injury death in 2025.
        make_child(commune=a, birth_date=datetime.date(YEAR - 8, 1, 1),
                   death_date=datetime.date(YEAR, 4, 1), death_cause="drowning")
        # Two confirmed cases of sexual abuse in 2025, one with an approved plan.
        local = tz.get_current_timezone()
        for n, with_plan in enumerate((True, False)):
            child = make_child(commune=a, birth_date=datetime.date(YEAR - 11, 1, 1 + n))
            case = case_services.case_open(
                actor=personas.officer, child=child, notification=_notify(
                    personas.intake, a, forms=["sexual_abuse"],
                    received_at=datetime.datetime(YEAR, 5, 1 + n, 9, tzinfo=local)))
            CaseAbuse.objects.filter(case=case).update(confirmed=True)
            if with_plan:
                CasePlan.objects.create(case=case, goal="Hỗ trợ", created_by=personas.officer,
                                        approved_at=datetime.datetime(YEAR, 5, 5,
                                                                      tzinfo=local))
        # Activities of 2025 (and one of 2024, not counted).
        for code in ("children-forum", "play-culture-sport", "action-month", "communication",
                     "communication", "training", "board-meeting"):
            activity_services.activity_create(
                actor=personas.officer, unit=a, type=ActivityType.objects.get(code=code),
                title=code, start_date=day, end_date=day, forum_level="commune")
        activity_services.activity_create(
            actor=personas.officer, unit=a, type=ActivityType.objects.get(code="communication"),
            title="2024", start_date=datetime.date(YEAR - 1, 6, 1),
            end_date=datetime.date(YEAR - 1, 6, 1))
        RoleAssignment.objects.filter(user__in=[personas.officer, personas.collaborator]).update(
            created_at=datetime.datetime(YEAR - 1, 1, 1, tzinfo=datetime.UTC))
        # Commune A has two villages on 31/12, one with a collaborator; money of the year.
        make_unit(parent=a, level=Level.VILLAGE, code="01273-002", name="Bản Hai", kind="Bản")
        make_unit(parent=a, level=Level.VILLAGE, code="01273-003", name="Bản Cũ", kind="Bản",
                  current=False)
        activity_services.activity_create(
            actor=personas.officer, unit=a, type=ActivityType.objects.get(code="action-month"),
            title="Tháng hành động", start_date=day, end_date=day,
            budget={"state": (5_000_000, 4_500_000), "mobilised": (1_000_000, 1_000_000)})
        activity_services.activity_create(
            actor=personas.officer, unit=a, type=ActivityType.objects.get(code="communication"),
            title="Dự kiến", start_date=datetime.date(YEAR, 12, 1),
            end_date=datetime.date(YEAR, 12, 1), status="planned",
            budget={"state": (9_000_000, 0)})
        figures = prefill.figures(prefill.known_keys(), YEAR, tree.province.path)

        def figure(key: str) -> tuple[int, int | None]:
            cell = figures.get((key, a.pk))
            return (cell.numerator, cell.denominator) if cell else (0, None)

        expected = {
            "vaccination_under_1": (1, 2),
            "malnutrition": (1, 3),       # under 5: the stunted one and the two babies
            "preschool": (1, 2),
            "special_circumstance_supported": (1, 2),
            "injuries": (1, None),
            "abused_children": (2, None),
            "protection_plans_in_time": (1, 2),
            "children_forums": (1, None),
            "play_activities": (3, None),   # play and the two Months of Action
            "village_collaborators": (1, 2),
            "state_budget_spent": (4_500_000, None),  # spent, not planned; held only
            "communication_activities": (2, None),
            "trainings": (1, None),
            "board_meetings": (1, None),
            "protection_officer": (1, None),
            "birth_registration": (0, 2),   # the two babies of 2025, neither registered
        }
        assert {key: figure(key) for key in expected} == expected
        assert five.school_status == "in_school"
        assert figures[("vaccination_under_1", b.pk)].numerator == 1


class StartAllTests:
    def test_every_commune_of_a_province_is_begun_from_one_computation(
            self, tree: Tree, personas: Personas) -> None:
        loading.load_version(version_data())
        services.assessment_start(actor=personas.officer, unit=tree.commune_a, year=YEAR)
        for day in (datetime.date(YEAR, 2, 1), datetime.date(YEAR, 3, 1)):
            _board_meeting(personas.outsider, tree.commune_b, day)
        made = services.assessments_start_all(
            actor=personas.province_officer, units=[tree.commune_a, tree.commune_b],
            year=YEAR, scope_path=tree.province.path)
        assert [a.unit for a in made] == [tree.commune_b]  # A had its own already
        meetings = ItemScore.objects.get(assessment=made[0], item__code="1.1")
        assert (meetings.numerator, meetings.points) == (2, 100)
        assert Assessment.objects.count() == 2

"""Two officers writing the same record of the plans app at once, in two real transactions on
PostgreSQL: a stale edit (an activity, an answer, the scores of an assessment) is refused
rather than lost, a rule that counts rows (the children named, the trainees) holds when two
writes count at once, a second write of the same thing is told so in Vietnamese rather than
answered with a server error, a submission never freezes scores a save is changing, and two
imports of one plan's tasks are each all or nothing, without a task twice.

Also, on any database: an import killed mid-write leaves no task, and the version check of
a save of the scores, one save after the other."""

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from treem import testing
from treem.accounts.models import User
from treem.accounts.roles import Role
from treem.audit.models import Action, AuditEvent
from treem.edits import conflicts
from treem.edits.conflicts import EditConflict
from treem.plans import exceptions as plan_exc
from treem.plans import services as plan_services
from treem.plans import task_import
from treem.plans.activities import exceptions as exc
from treem.plans.activities import named, recommendation_services, services, trainee_services
from treem.plans.activities.models import (
    Activity,
    ActivityType,
    Attendee,
    NamedChild,
    Recommendation,
    RecommendationStatus,
)
from treem.plans.child_friendly import loading
from treem.plans.child_friendly import services as assessments
from treem.plans.child_friendly.models import Assessment, AssessmentStatus, ItemScore
from treem.plans.models import Agency, Plan, Task
from treem.plans.task_import import ImportRefused, tasks_import
from treem.plans.tests.factories import make_agency, make_plan
from treem.plans.tests.test_child_friendly import YEAR, version_data
from treem.plans.tests.test_task_import import filled
from treem.registry.tests.factories import make_consenting_child as make_child
from treem.registry.tests.test_import_crash import SharedDatabase
from treem.testing import Personas, Tree

DAY = datetime.date(2025, 6, 1)
REASON = "Đại biểu trẻ em của xã dự diễn đàn cấp tỉnh"
AT_ONCE = testing.at_once_marker()


def colleague(tree: Tree) -> User:
    return testing.make_user("officer_a2", role=Role.COMMUNE_OFFICER, unit=tree.commune_a,
                             full_name="Lò Thị Hằng")


def record(actor: User, unit: Any, code: str = "communication", **fields: Any) -> Activity:
    values: dict[str, Any] = {"title": "Truyền thông phòng, chống xâm hại trẻ em",
                              "start_date": DAY, "end_date": DAY}
    return services.activity_create(actor=actor, unit=unit,
                                    type=ActivityType.objects.get(code=code),
                                    **{**values, **fields})


def fresh(activity: Activity) -> Activity:
    """The activity as a page of this thread would read it (threads share no instance)."""
    return Activity.objects.get(pk=activity.pk)


def winner(results: dict[str, Any], loser: Any, won: type) -> str:
    """The label of the one call that returned a `won`; the other must have got `loser`."""
    [label] = [label for label, result in results.items() if isinstance(result, won)]
    assert [str(result) for other, result in results.items() if other != label] == [
        str(loser)], results
    return label


@AT_ONCE
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("committed")
class ConcurrentActivityEditTests:
    def test_two_edits_of_one_field_at_once_apply_one_and_refuse_the_other(
        self, tree: Tree, personas: Personas, monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        activity = record(personas.officer, tree.commune_a)
        titles = {"first": "Truyền thông ở thôn Nà Pồng", "second": "Truyền thông ở trường"}

        def edit(actor: User, label: str) -> Callable[[], Any]:
            return lambda: services.activity_update(
                actor=actor, activity=fresh(activity), base_version=1,
                base={"title": activity.title}, title=titles[label])

        results = testing.at_once({"first": edit(personas.officer, "first"),
                                   "second": edit(colleague(tree), "second")},
                                  meet=(services, "_require_manager"), monkeypatch=monkeypatch)

        saved = winner(results, "EditConflict", Activity)
        activity.refresh_from_db()
        assert (activity.title, activity.version) == (titles[saved], 2)
        assert AuditEvent.objects.filter(action=Action.UPDATE,
                                         object_id=str(activity.public_id)).count() == 1

    def test_two_edits_of_different_fields_at_once_both_stay(
        self, tree: Tree, personas: Personas, monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        activity = record(personas.officer, tree.commune_a, place_text="Nhà văn hóa")
        other = colleague(tree)
        results = testing.in_turn(
            lambda: services.activity_update(actor=personas.officer, activity=fresh(activity),
                                             base_version=1, base={"title": activity.title},
                                             title="Truyền thông ở thôn Nà Pồng"),
            lambda: services.activity_update(actor=other, activity=fresh(activity),
                                             base_version=1, base={"place_text": "Nhà văn hóa"},
                                             place_text="Trường Tiểu học"),
            holding=(conflicts, "locked"), monkeypatch=monkeypatch)

        assert all(isinstance(result, Activity) for result in results.values()), results
        activity.refresh_from_db()
        assert (activity.title, activity.place_text, activity.version) == (
            "Truyền thông ở thôn Nà Pồng", "Trường Tiểu học", 3)


@AT_ONCE
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("committed")
class ConcurrentAnswerTests:
    def test_two_answers_of_one_recommendation_at_once_keep_one_and_refuse_the_other(
        self, tree: Tree, personas: Personas, monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        forum = record(personas.officer, tree.commune_a, "children-forum",
                       forum_level="commune", children=30, girls=16)
        school = make_agency(tree.commune_a, "Trường Tiểu học Thục Phán")
        item = recommendation_services.recommendation_add(
            actor=personas.officer, activity=forum, text="Có thêm sân chơi cho trẻ em ở thôn",
            agency=school)
        answers = {"first": "Trường mở sân chơi từ tháng 9.",
                   "second": "Chưa có kinh phí trong năm nay."}

        def answer(actor: User, label: str) -> Callable[[], Any]:
            return lambda: recommendation_services.recommendation_answer(
                actor=actor, item=Recommendation.objects.get(pk=item.pk), base_version=1,
                base={"answer": "", "status": RecommendationStatus.OPEN},
                status=RecommendationStatus.ANSWERED, answer=answers[label])

        results = testing.at_once({"first": answer(personas.officer, "first"),
                                   "second": answer(colleague(tree), "second")},
                                  meet=(recommendation_services, "may_answer"),
                                  monkeypatch=monkeypatch)

        saved = winner(results, "EditConflict", Recommendation)
        item.refresh_from_db()
        assert (item.answer, item.status, item.version) == (
            answers[saved], RecommendationStatus.ANSWERED, 2)


@AT_ONCE
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("committed")
class ConcurrentNamingTests:
    def test_one_child_named_twice_at_once_is_named_once_and_the_other_told(
        self, tree: Tree, personas: Personas, monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        activity = record(personas.officer, tree.commune_a, "children-forum",
                          forum_level="commune", children=20)
        child = make_child(commune=tree.commune_a, full_name="Lò Thị Mai",
                           birth_date=datetime.date(2014, 5, 1))

        def name(actor: User) -> Callable[[], Any]:
            return lambda: named.named_add(actor=actor, activity=fresh(activity),
                                           child_id=child.public_id, reason=REASON)

        results = testing.at_once({"first": name(personas.officer),
                                   "second": name(colleague(tree))},
                                  meet=(named, "may_manage"), monkeypatch=monkeypatch)

        winner(results, [str(exc.NAMED_ALREADY)], NamedChild)
        assert NamedChild.objects.filter(activity=activity, child=child).count() == 1

    def test_two_children_named_at_once_in_a_held_activity_of_one_child_name_one(
        self, tree: Tree, personas: Personas, monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        activity = record(personas.officer, tree.commune_a, "children-forum",
                          forum_level="commune", children=1)
        kids = [make_child(commune=tree.commune_a, full_name=full_name,
                           birth_date=datetime.date(2014, 5, 1))
                for full_name in ("Lò Thị Mai", "Lò Văn Minh")]

        def name(actor: User, index: int) -> Callable[[], Any]:
            return lambda: named.named_add(actor=actor, activity=fresh(activity),
                                           child_id=kids[index].public_id, reason=REASON)

        results = testing.at_once({"first": name(personas.officer, 0),
                                   "second": name(colleague(tree), 1)},
                                  meet=(named, "may_manage"), monkeypatch=monkeypatch)

        winner(results, [str(exc.NAMED_OVER_CHILDREN % {"named": 2, "children": 1})],
               NamedChild)
        assert NamedChild.objects.filter(activity=activity).count() == 1


@AT_ONCE
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("committed")
class ConcurrentTraineeTests:
    @pytest.fixture
    def training(self, tree: Tree, personas: Personas) -> Activity:
        return record(personas.province_officer, tree.province, "training",
                      topics=["child-database"], adults=2)

    def test_two_trainees_added_at_once_for_the_last_place_make_the_class_full_not_over(
        self, tree: Tree, personas: Personas, training: Activity,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        monkeypatch.setattr(trainee_services, "MAX_ATTENDEES", 2)
        trainee_services.attendee_add(actor=personas.province_officer, activity=training,
                                      name="Lò Thị Mai", position_text="Giáo viên")

        def add(name: str) -> Callable[[], Any]:
            return lambda: trainee_services.attendee_add(actor=personas.province_officer,
                                                         activity=fresh(training), name=name)

        results = testing.at_once({"first": add("Hoàng Văn Nam"), "second": add("Bế Thị Lan")},
                                  meet=(trainee_services, "_texts"), monkeypatch=monkeypatch)

        winner(results, [str(exc.ATTENDEES_TOO_MANY % {"n": 2})], Attendee)
        assert Attendee.objects.filter(activity=training).count() == 2

    def test_one_user_added_twice_at_once_is_a_trainee_once_and_the_other_told(
        self, tree: Tree, personas: Personas, training: Activity,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        def add() -> Any:
            return trainee_services.attendee_add(actor=personas.province_officer,
                                                 activity=fresh(training), user=personas.officer)

        results = testing.at_once({"first": add, "second": add},
                                  meet=(trainee_services, "_texts"), monkeypatch=monkeypatch)

        winner(results, [str(exc.ATTENDEE_ALREADY)], Attendee)
        assert Attendee.objects.filter(activity=training, user=personas.officer).count() == 1


def tasks_of(plan: Plan) -> list[tuple[int, str]]:
    return list(Task.objects.filter(plan=plan).order_by("position")
                .values_list("position", "section"))


def rows(sections: list[str]) -> list[dict[str, Any]]:
    return [{"section": section, "text": f"Nhiệm vụ {section}", "lead": "CA"}
            for section in sections]


@pytest.fixture
def plan(tree: Tree) -> Plan:
    make_agency(tree.commune_a, "Công an Phường Thục Phán", short_name="CA")
    return make_plan(tree.commune_a, "Kế hoạch bảo vệ trẻ em 2026–2027", start_year=2026,
                     end_year=2027, number="12/KH-UBND")


def importing(actor: User, plan: Plan, data: bytes) -> Callable[[], Any]:
    """An import whose outcome the test reads: how many tasks, or every row's refusal."""

    def run() -> Any:
        try:
            return len(tasks_import(actor=actor, plan=Plan.objects.get(pk=plan.pk), data=data))
        except ImportRefused as refusal:
            return sorted({error.message for error in refusal.errors})

    return run


@AT_ONCE
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("committed")
class ConcurrentTaskImportTests:
    SECTIONS = [f"I.{n}" for n in range(1, 31)]

    def test_one_file_imported_twice_at_once_writes_its_tasks_once(
        self, tree: Tree, personas: Personas, plan: Plan, monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        data = filled(plan, rows(self.SECTIONS))
        results = testing.at_once({"first": importing(personas.officer, plan, data),
                                   "second": importing(colleague(tree), plan, data)},
                                  meet=(task_import, "_time_frames"), monkeypatch=monkeypatch)

        taken = sorted(str(plan_exc.SECTION_TAKEN % {"section": section})
                       for section in self.SECTIONS)
        assert sorted(results.values(), key=str) == sorted([len(self.SECTIONS), taken], key=str)
        assert tasks_of(plan) == list(enumerate(self.SECTIONS, start=1))

    def test_two_files_imported_at_once_are_each_whole_and_never_interleaved(
        self, tree: Tree, personas: Personas, plan: Plan, monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        files = {"first": self.SECTIONS[:15], "second": self.SECTIONS[15:]}
        results = testing.at_once(
            {label: importing(personas.officer, plan, filled(plan, rows(sections)))
             for label, sections in files.items()},
            meet=(task_import, "_time_frames"), monkeypatch=monkeypatch)

        assert results == {"first": 15, "second": 15}
        saved = tasks_of(plan)
        assert [position for position, _section in saved] == list(range(1, 31))
        # One file's tasks, then the other's: the positions follow each sheet's rows.
        assert [section for _position, section in saved] in (
            files["first"] + files["second"], files["second"] + files["first"])


@AT_ONCE
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("committed")
class ConcurrentTaskCreateTests:
    def adding(self, actor: User, plan: Plan, section: str) -> Callable[[], Any]:
        def run() -> Any:
            lead = Agency.objects.get(short_name="CA")
            return plan_services.task_create(
                actor=actor, plan=Plan.objects.get(pk=plan.pk), section=section,
                text=f"Nhiệm vụ {section}", lead=lead).section
        return run

    def test_one_section_added_twice_at_once_is_one_task_and_the_other_told(
        self, tree: Tree, personas: Personas, plan: Plan, monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        results = testing.at_once({"first": self.adding(personas.officer, plan, "II.1"),
                                   "second": self.adding(colleague(tree), plan, "II.1")},
                                  meet=(plan_services, "_require_manager"),
                                  monkeypatch=monkeypatch)

        assert sorted(map(str, results.values())) == sorted(
            ["II.1", str([str(plan_exc.SECTION_TAKEN % {"section": "II.1"})])])
        assert tasks_of(plan) == [(1, "II.1")]

    def test_two_sections_added_at_once_take_two_positions(
        self, tree: Tree, personas: Personas, plan: Plan, monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        results = testing.at_once({"first": self.adding(personas.officer, plan, "II.1"),
                                   "second": self.adding(colleague(tree), plan, "II.2")},
                                  meet=(plan_services, "_require_manager"),
                                  monkeypatch=monkeypatch)

        assert sorted(results.values()) == ["II.1", "II.2"]
        assert [position for position, _section in tasks_of(plan)] == [1, 2]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("committed")
class KilledImportTests:
    """The import is one transaction: a worker killed while it writes leaves no task of its
    file (`test_import_crash` runs the registry's import the same way, on either database)."""

    def test_a_worker_killed_mid_import_leaves_no_task_and_the_file_imports_again(
        self, tmp_path: Path, tree: Tree, personas: Personas, plan: Plan,
    ) -> None:
        sections = [f"I.{n}" for n in range(1, 201)]
        path = tmp_path / "nhiem vu.xlsx"
        path.write_bytes(filled(plan, rows(sections)))
        marker = tmp_path / "inserting"
        SharedDatabase(tmp_path).killed_once(
            marker, "treem.plans.tests.task_import_worker", str(marker), "150",
            str(plan.public_id), personas.officer.username, str(path))

        assert tasks_of(plan) == []
        assert not AuditEvent.objects.filter(object_type="plans.task").exists()
        assert len(tasks_import(actor=personas.officer, plan=plan,
                                data=path.read_bytes())) == 200
        assert tasks_of(plan) == list(enumerate(sections, start=1))


@pytest.fixture
def assessment(tree: Tree, personas: Personas) -> Assessment:
    """Commune A's assessment of 2025, every item scored (70, within each maximum), the
    meeting recorded: ready to submit."""
    loading.load_version(version_data())
    made = assessments.assessment_start(actor=personas.officer, unit=tree.commune_a, year=YEAR)
    for score in ItemScore.objects.filter(assessment=made).select_related("item"):
        assessments.item_score(actor=personas.officer, score=score,
                               points=min(70, score.item.max_points or 0),
                               evidence="Biên bản kiểm tra")
    made.refresh_from_db()
    assessments.assessment_details(actor=personas.officer, assessment=made,
                                   base_version=made.edit_version, scored_by_text="Ban",
                                   meeting_on=datetime.date(2026, 1, 10), minutes="Biên bản")
    made.refresh_from_db()
    return made


def hand_item(assessment: Assessment) -> ItemScore:
    return ItemScore.objects.get(assessment=assessment, item__code="4.1")


@AT_ONCE
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("committed")
class ConcurrentAssessmentTests:
    def test_two_saves_of_one_score_read_at_one_version_keep_one_and_refuse_the_other(
        self, tree: Tree, personas: Personas, assessment: Assessment,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        score = hand_item(assessment)
        version = assessment.edit_version

        def save(actor: User, points: int) -> Callable[[], Any]:
            return lambda: assessments.scores_save(
                actor=actor, assessment=Assessment.objects.get(pk=assessment.pk),
                base_version=version, changes={score.pk: (points, "Biên bản kiểm tra")})

        results = testing.in_turn(save(personas.officer, 60), save(colleague(tree), 50),
                                  holding=(assessments, "_require_keeper"),
                                  monkeypatch=monkeypatch)

        assert results["first"] == 1
        assert isinstance(results["second"], EditConflict), results
        assert results["second"].fields == [f"points_{score.pk}"]
        message = results["second"].message
        assert "Điểm mục 4.1: giá trị của bạn «50», giá trị đã lưu «60» (officer_a lưu" in message
        score.refresh_from_db()
        assessment.refresh_from_db()
        assert (score.points, assessment.edit_version) == (60, version + 1)

    def test_two_saves_of_different_scores_at_one_version_both_stay(
        self, tree: Tree, personas: Personas, assessment: Assessment,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        first, second = (ItemScore.objects.get(assessment=assessment, item__code=code)
                         for code in ("4.1", "5.1"))
        version = assessment.edit_version

        def save(actor: User, score: ItemScore) -> Callable[[], Any]:
            return lambda: assessments.scores_save(
                actor=actor, assessment=Assessment.objects.get(pk=assessment.pk),
                base_version=version, base={score.pk: (70, "Biên bản kiểm tra")},
                changes={score.pk: (40, "Biên bản kiểm tra")})

        results = testing.in_turn(save(personas.officer, first), save(colleague(tree), second),
                                  holding=(assessments, "_require_keeper"),
                                  monkeypatch=monkeypatch)

        assert results == {"first": 1, "second": 1}
        assert [s.points for s in ItemScore.objects.filter(pk__in=[first.pk, second.pk])
                .order_by("item__code")] == [40, 40]

    @pytest.mark.parametrize("submit_first", [True, False], ids=["submit", "score"])
    def test_a_submission_racing_a_save_of_the_scores_never_leaves_a_score_after_it(
        self, tree: Tree, personas: Personas, assessment: Assessment, submit_first: bool,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        score, other = hand_item(assessment), colleague(tree)

        def submit() -> Any:
            return assessments.assessment_submit(
                actor=personas.officer, assessment=Assessment.objects.get(pk=assessment.pk))

        def save() -> Any:
            return assessments.scores_save(
                actor=other, assessment=Assessment.objects.get(pk=assessment.pk),
                base_version=assessment.edit_version, changes={score.pk: (10, "Chấm lại")})

        calls = (submit, save) if submit_first else (save, submit)
        results = testing.in_turn(*calls, holding=(assessments, "_require_keeper"),
                                  monkeypatch=monkeypatch)

        assessment.refresh_from_db()
        score.refresh_from_db()
        submitted = assessment.events.get(to_status=AssessmentStatus.SUBMITTED).at
        assert assessment.status == AssessmentStatus.SUBMITTED
        scores = list(ItemScore.objects.filter(assessment=assessment))
        assert all(s.scored_at is None or s.scored_at < submitted for s in scores)
        assert assessment.total == sum(s.points or 0 for s in scores)
        if submit_first:
            assert score.points == 70
            assert str(assessments.NOT_EDITABLE) in str(results["second"])
        else:
            assert (score.points, results["first"]) == (10, 1)


def scores_and_events(assessment: Assessment) -> tuple[list[Any], int, int]:
    return (list(ItemScore.objects.filter(assessment=assessment).order_by("pk")
                 .values_list("points", "evidence")),
            Assessment.objects.get(pk=assessment.pk).edit_version, AuditEvent.objects.count())


@pytest.mark.django_db
class StaleScoresTests:
    """The version check of a save of the scores, one save after the other (any database)."""

    def test_a_stale_save_of_a_score_saved_since_is_refused_and_writes_nothing(
        self, tree: Tree, personas: Personas, assessment: Assessment,
    ) -> None:
        score, version, other = hand_item(assessment), assessment.edit_version, colleague(tree)
        assessments.scores_save(actor=personas.officer, assessment=assessment,
                                base_version=version, changes={score.pk: (60, "Biên bản")})
        with testing.writes_nothing(lambda: scores_and_events(assessment)), \
                pytest.raises(EditConflict) as raised:
            assessments.scores_save(actor=other, assessment=assessment,
                                    base_version=version,
                                    base={score.pk: (70, "Biên bản kiểm tra")},
                                    changes={score.pk: (50, "Biên bản kiểm tra")})
        [points, evidence] = raised.value.conflicts
        assert (points.label, points.mine, points.theirs, points.base) == (
            "Điểm mục 4.1", 50, 60, 70)
        assert (evidence.label, evidence.theirs) == ("Minh chứng mục 4.1", "Biên bản")

    def test_a_stale_save_of_a_score_nobody_changed_since_merges(
        self, tree: Tree, personas: Personas, assessment: Assessment,
    ) -> None:
        first, second = (ItemScore.objects.get(assessment=assessment, item__code=code)
                         for code in ("4.1", "5.1"))
        version = assessment.edit_version
        assessments.scores_save(actor=personas.officer, assessment=assessment,
                                base_version=version, changes={first.pk: (60, "Biên bản")})
        assert assessments.scores_save(
            actor=colleague(tree), assessment=assessment, base_version=version,
            base={second.pk: (70, "Biên bản kiểm tra")},
            changes={second.pk: (50, "Biên bản kiểm tra")}) == 1
        assert scores_and_events(assessment)[1] == version + 2

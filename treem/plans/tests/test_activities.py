"""Activities: recording them (bad input refused in Vietnamese, nothing written), forums with
their recommendations and 15-day report, consultations' steps, trainees; and the indicators
computed from them, each figure worked out by hand."""

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from treem.accounts.models import RoleAssignment
from treem.accounts.roles import Role
from treem.audit.models import AuditEvent
from treem.edits.conflicts import EditConflict
from treem.indicators import periods
from treem.indicators.compute import Cell, compute, roll_up
from treem.indicators.spec import SpecError, parse
from treem.plans.activities import exceptions as exc
from treem.plans.activities import recommendation_services, selectors, services, trainee_services
from treem.plans.activities.models import (
    Activity,
    ActivityBudget,
    ActivityStatus,
    ActivityType,
    Attendee,
    Recommendation,
    RecommendationStatus,
)
from treem.plans.services import focal_point_add
from treem.plans.tests.factories import make_agency, make_plan, make_task
from treem.registry.tests.factories import make_child
from treem.testing import Personas, Tree, make_user, refused

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 6, 1)
Y2025 = periods.parse("2025")
DATA = Path(__file__).resolve().parents[2] / "indicators" / "data"


def kind(code: str) -> ActivityType:
    return ActivityType.objects.get(code=code)


def record(actor: Any, unit: Any, code: str = "communication", **fields: Any) -> Activity:
    values: dict[str, Any] = {"title": "Truyền thông phòng, chống xâm hại trẻ em",
                              "start_date": DAY, "end_date": DAY}
    values.update(fields)
    return services.activity_create(actor=actor, unit=unit, type=kind(code), **values)


def rows() -> tuple[int, ...]:
    return (Activity.objects.count(), ActivityBudget.objects.count(),
            Recommendation.objects.count(), Attendee.objects.count(),
            AuditEvent.objects.count())


class RecordingTests:
    def test_it_records_a_held_activity_with_its_people_and_money(
            self, tree: Tree, personas: Personas) -> None:
        activity = record(personas.officer, tree.commune_a, adults=12, adult_women=7,
                          children=40, girls=22, children_0_6=0, children_7_10=15,
                          children_11_15=25, children_minority=9, children_special=2,
                          budget={"state": (5_000_000, 4_200_000), "fund": (0, 0)})
        assert activity.participants == 52
        assert activity.unit_path == tree.commune_a.path
        assert services.budget_of(activity) == {"state": (5_000_000, 4_200_000)}
        event = AuditEvent.objects.filter(action="create").latest("id")
        assert event.unit_id == tree.commune_a.pk

    def test_more_girls_than_children_is_refused_and_nothing_written(
            self, tree: Tree, personas: Personas) -> None:
        error = refused(record, snapshot=rows, actor=personas.officer, unit=tree.commune_a,
                        children=10, girls=11)
        assert error.message_dict["girls"] == [
            str(exc.GIRLS_OVER_CHILDREN % {"girls": 11, "children": 10})]

    def test_other_impossible_counts_are_refused(self, tree: Tree,
                                                 personas: Personas) -> None:
        cases = [({"adults": 3, "adult_women": 4}, "adult_women"),
                 ({"children": 5, "children_minority": 6}, "children_minority"),
                 ({"children": 5, "children_7_10": 2, "children_11_15": 2}, "children_0_6"),
                 ({"children": -1}, "children"),
                 ({"children": 2_000_000}, "children")]
        for counts, field in cases:
            error = refused(record, snapshot=rows, actor=personas.officer,
                            unit=tree.commune_a, **counts)
            assert field in error.message_dict, counts

    def test_dates_are_checked(self, tree: Tree, personas: Personas) -> None:
        error = refused(record, snapshot=rows, actor=personas.officer, unit=tree.commune_a,
                        start_date=DAY, end_date=DAY - datetime.timedelta(days=1))
        assert error.message_dict["end_date"] == [str(exc.DATES_ORDER)]
        future = datetime.date.today() + datetime.timedelta(days=30)
        error = refused(record, snapshot=rows, actor=personas.officer, unit=tree.commune_a,
                        start_date=future, end_date=future)
        assert error.message_dict["status"] == [str(exc.HELD_IN_FUTURE)]
        planned = record(personas.officer, tree.commune_a, start_date=future, end_date=future,
                         status=ActivityStatus.PLANNED)
        assert planned.status == ActivityStatus.PLANNED

    def test_a_date_outside_the_plan_of_its_task_is_refused(
            self, tree: Tree, personas: Personas) -> None:
        plan = make_plan(tree.province, start_year=2026, end_year=2027)
        task = make_task(plan, make_agency(tree.province, "Sở Y tế"))
        error = refused(record, snapshot=rows, actor=personas.officer, unit=tree.commune_a,
                        task=task)
        assert error.message_dict["start_date"] == [str(exc.DATE_OUTSIDE_PLAN % {
            "day": "01/06/2025", "start": 2026, "end": 2027})]

    def test_a_task_of_another_provinces_plan_is_refused(
            self, tree: Tree, personas: Personas) -> None:
        plan = make_plan(tree.other_province, start_year=2025, end_year=2025)
        task = make_task(plan, make_agency(tree.other_province, "Sở Y tế Hà Nội"))
        error = refused(record, snapshot=rows, actor=personas.officer, unit=tree.commune_a,
                        task=task)
        assert error.message_dict["task"] == [str(exc.UNIT_OUTSIDE_PLAN)]

    def test_a_task_of_a_district_dissolved_in_2025_reaches_the_commune_that_took_it(
            self, tree: Tree, personas: Personas) -> None:
        plan = make_plan(tree.old_district, start_year=2025, end_year=2025)
        task = make_task(plan, make_agency(tree.old_district, "Phòng Văn hóa - Xã hội"))
        activity = record(personas.officer, tree.commune_a, task=task)
        assert activity.task == task

    def test_only_who_keeps_the_places_plans_records_there(
            self, tree: Tree, personas: Personas) -> None:
        for actor in (personas.outsider, personas.auditor, personas.sector_focal):
            error = refused(record, snapshot=rows, actor=actor, unit=tree.commune_a)
            assert isinstance(error, PermissionDenied)
        assert record(personas.province_officer, tree.commune_a).unit == tree.commune_a

    def test_a_unit_dissolved_in_2025_takes_no_new_activity(
            self, tree: Tree, personas: Personas) -> None:
        officer = make_user("old_officer", role=Role.AREA_OFFICER, unit=tree.old_province)
        error = refused(record, snapshot=rows, actor=officer, unit=tree.old_commune)
        assert error.message_dict["unit"] == [str(exc.UNIT_NOT_CURRENT)]

    def test_money_is_whole_dong_and_not_negative(self, tree: Tree,
                                                  personas: Personas) -> None:
        for amounts in ((-1, 0), (0, 1.5), (10**14, 0)):
            error = refused(record, snapshot=rows, actor=personas.officer,
                            unit=tree.commune_a, budget={"mobilised": amounts})
            assert str(exc.MONEY_INVALID) in error.messages

    def test_an_organiser_of_another_province_is_refused(
            self, tree: Tree, personas: Personas) -> None:
        foreign = make_agency(tree.other_province, "Thành đoàn Hà Nội")
        error = refused(record, snapshot=rows, actor=personas.officer, unit=tree.commune_a,
                        organiser=foreign)
        assert error.message_dict["organiser"] == [str(exc.ORGANISER_NOT_HERE)]


class EditTests:
    def test_a_stale_edit_of_the_same_field_is_refused_others_merge(
            self, tree: Tree, personas: Personas) -> None:
        activity = record(personas.officer, tree.commune_a, children=10, girls=4)
        services.activity_update(actor=personas.chairman, activity=activity, base_version=1,
                                 children=12)
        with pytest.raises(EditConflict):
            services.activity_update(actor=personas.officer, activity=activity,
                                     base_version=1, children=11, base={"children": 10})
        activity.refresh_from_db()
        assert (activity.children, activity.version) == (12, 2)
        services.activity_update(actor=personas.officer, activity=activity, base_version=1,
                                 girls=5, base={"girls": 4})
        activity.refresh_from_db()
        assert (activity.children, activity.girls, activity.version) == (12, 5, 3)

    def test_an_edit_is_checked_as_a_whole(self, tree: Tree, personas: Personas) -> None:
        activity = record(personas.officer, tree.commune_a, children=10, girls=4)
        with pytest.raises(ValidationError):
            services.activity_update(actor=personas.officer, activity=activity,
                                     base_version=1, children=3)
        activity.refresh_from_db()
        assert activity.children == 10


class ForumTests:
    def test_a_commune_forum_owes_its_report_15_days_after_it_ends(
            self, tree: Tree, personas: Personas) -> None:
        forum = record(personas.officer, tree.commune_a, "children-forum",
                       forum_level="commune", children=30, girls=16)
        assert forum.report_due_on == DAY + datetime.timedelta(days=15)
        assert forum.forum_report_overdue(today=DAY + datetime.timedelta(days=16))
        assert not forum.forum_report_overdue(today=DAY + datetime.timedelta(days=15))
        assert list(selectors.forums_to_report(user=personas.province_officer,
                                               today=DAY)) == [forum]
        assert list(selectors.forums_to_report(user=personas.outsider, today=DAY)) == []
        services.activity_update(actor=personas.officer, activity=forum, base_version=1,
                                 reported_on=DAY + datetime.timedelta(days=10))
        assert list(selectors.forums_to_report(user=personas.province_officer,
                                               today=DAY)) == []

    def test_a_report_before_the_forum_ends_or_a_forum_without_level_is_refused(
            self, tree: Tree, personas: Personas) -> None:
        error = refused(record, snapshot=rows, actor=personas.officer, unit=tree.commune_a,
                        code="children-forum", forum_level="commune",
                        reported_on=DAY - datetime.timedelta(days=1))
        assert error.message_dict["reported_on"] == [str(exc.FORUM_REPORTED_EARLY)]
        error = refused(record, snapshot=rows, actor=personas.officer, unit=tree.commune_a,
                        code="children-forum")
        assert error.message_dict["forum_level"] == [str(exc.FORUM_LEVEL_REQUIRED)]

    def test_recommendations_go_to_an_agency_whose_focal_point_answers(
            self, tree: Tree, personas: Personas) -> None:
        education = make_agency(tree.province, "Sở Giáo dục và Đào tạo")
        police = make_agency(tree.province, "Công an tỉnh")
        teacher = make_user("giaoduc", role=Role.SECTOR_FOCAL, unit=tree.province,
                            sector="education")
        focal_point_add(actor=personas.province_officer, agency=education, user=teacher)
        focal_point_add(actor=personas.province_officer, agency=police,
                        user=personas.sector_focal)
        forum = record(personas.officer, tree.commune_a, "children-forum",
                       forum_level="commune", children=30, girls=16)
        error = refused(recommendation_services.recommendation_add, snapshot=rows,
                        actor=personas.officer, activity=forum, text="Có thêm sân chơi")
        assert error.message_dict["agency"] == [str(exc.RECOMMENDATION_AGENCY_REQUIRED)]
        first = recommendation_services.recommendation_add(
            actor=personas.officer, activity=forum, text="Có thêm sân chơi cho trẻ em ở thôn",
            agency=education)
        recommendation_services.recommendation_add(
            actor=personas.officer, activity=forum, text="Có đèn đường trên đường tới trường",
            agency=police)
        assert list(selectors.recommendations_waiting(user=teacher)) == [first]
        with pytest.raises(PermissionDenied):
            recommendation_services.recommendation_answer(
                actor=personas.sector_focal, item=first, base_version=1, status="answered",
                answer="Được")
        error = refused(recommendation_services.recommendation_answer, snapshot=rows,
                        actor=teacher, item=first, base_version=1, status="answered", answer="")
        assert error.message_dict["answer"] == [str(exc.ANSWER_REQUIRED)]
        recommendation_services.recommendation_answer(
            actor=teacher, item=first, base_version=1, status=RecommendationStatus.ANSWERED,
            answer="Sở sẽ bố trí sân chơi ở điểm trường trong 2026.")
        first.refresh_from_db()
        assert (first.status, first.answered_by, first.version) == ("answered", teacher, 2)
        assert list(selectors.recommendations_waiting(user=teacher)) == []
        # The teacher sees the recommendation given to the agency, not only its activity's.
        assert selectors.get_recommendation_for_user(
            user=teacher, recommendation_id=first.public_id) == first

    def test_a_plain_activity_takes_no_recommendation(self, tree: Tree,
                                                      personas: Personas) -> None:
        activity = record(personas.officer, tree.commune_a)
        error = refused(recommendation_services.recommendation_add, snapshot=rows,
                        actor=personas.officer, activity=activity, text="Ý kiến")
        assert error.message_dict["text"] == [str(exc.NO_RECOMMENDATIONS)]


class ConsultationTests:
    def test_a_consultation_takes_children_of_7_and_over_in_its_four_steps(
            self, tree: Tree, personas: Personas) -> None:
        values = {"subject": "Dự thảo kế hoạch công tác trẻ em năm 2026", "children": 20,
                  "girls": 10, "children_7_10": 8, "children_11_15": 12}
        error = refused(record, snapshot=rows, actor=personas.officer, unit=tree.commune_a,
                        code="consultation", **{**values, "children_0_6": 2,
                                                "children_7_10": 6})
        assert error.message_dict["children_0_6"] == [str(exc.CONSULTATION_UNDER_7)]
        error = refused(record, snapshot=rows, actor=personas.officer, unit=tree.commune_a,
                        code="consultation", **{**values, "subject": ""})
        assert error.message_dict["subject"] == [str(exc.CONSULTATION_SUBJECT)]
        error = refused(record, snapshot=rows, actor=personas.officer, unit=tree.commune_a,
                        code="consultation", compiled_on=DAY - datetime.timedelta(days=3),
                        **values)
        assert error.message_dict["compiled_on"] == [str(exc.STEP_ORDER)]
        consultation = record(personas.officer, tree.commune_a, "consultation",
                              prepared_on=DAY - datetime.timedelta(days=7),
                              compiled_on=DAY + datetime.timedelta(days=3),
                              feedback_on=DAY + datetime.timedelta(days=10),
                              explanation="Tiếp thu ý kiến về sân chơi", **values)
        opinion = recommendation_services.recommendation_add(
            actor=personas.officer, activity=consultation, text="Muốn có thư viện")
        recommendation_services.recommendation_answer(
            actor=personas.officer, item=opinion, base_version=1, status="answered",
            adoption="taken_up", answer="Đưa vào kế hoạch 2026")
        opinion.refresh_from_db()
        assert opinion.adoption == "taken_up"


class TraineeTests:
    def test_a_training_names_staff_of_its_area_once_and_outsiders_by_name(
            self, tree: Tree, personas: Personas) -> None:
        training = record(personas.province_officer, tree.province, "training",
                          topics=["child-database"], adults=2)
        trainee_services.attendee_add(actor=personas.province_officer, activity=training,
                                      user=personas.officer)
        trainee_services.attendee_add(actor=personas.province_officer, activity=training,
                                      name="Lò Thị Mai", position_text="Giáo viên")
        error = refused(trainee_services.attendee_add, snapshot=rows,
                        actor=personas.province_officer, activity=training,
                        user=personas.officer)
        assert error.message_dict["user"] == [str(exc.ATTENDEE_ALREADY)]
        foreign = make_user("officer_hn", role=Role.COMMUNE_OFFICER, unit=tree.commune_c)
        error = refused(trainee_services.attendee_add, snapshot=rows,
                        actor=personas.province_officer, activity=training, user=foreign)
        assert error.message_dict["user"] == [str(exc.ATTENDEE_NOT_IN_AREA)]
        error = refused(trainee_services.attendee_add, snapshot=rows,
                        actor=personas.province_officer, activity=training)
        assert error.message_dict["name"] == [str(exc.ATTENDEE_REQUIRED)]
        assert training.attendees.count() == 2

    def test_only_a_training_has_trainees(self, tree: Tree, personas: Personas) -> None:
        activity = record(personas.officer, tree.commune_a)
        error = refused(trainee_services.attendee_add, snapshot=rows, actor=personas.officer,
                        activity=activity, name="Lò Văn A")
        assert error.message_dict["user"] == [str(exc.NOT_A_TRAINING)]


def _catalogue_spec(file: str, code: str) -> dict[str, Any]:
    data = json.loads((DATA / file).read_text(encoding="utf-8"))
    return next(i["spec"] for i in data["indicators"] if i["code"] == code)


def _value(spec: dict[str, Any], scope: Any) -> dict[Any, Cell]:
    values = compute({"x": parse(spec, unit_kind="percent")}, Y2025, scope.path)
    return {unit: cell for (_key, unit, _b), cell in roll_up(values, scope.path).items()
            if _b == ""}


class ComputedIndicatorTests:
    def test_the_share_of_commune_officers_trained_on_the_child_database(
            self, tree: Tree, personas: Personas) -> None:
        """Bắc Sơn's BS11: commune A has two officers (officer_a and a colleague), one
        trained on the database in 2025; a training on another topic, a planned one and
        one of 2024 do not count; commune B's officer is untrained."""
        colleague = make_user("officer_a2", role=Role.COMMUNE_OFFICER, unit=tree.commune_a)
        RoleAssignment.objects.filter(user=colleague).update(
            created_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
        RoleAssignment.objects.filter(user__in=[personas.officer, personas.outsider]).update(
            created_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))

        def training(topic: str, day: datetime.date, **fields: Any) -> Activity:
            return record(personas.province_officer, tree.province, "training",
                          topics=[topic], start_date=day, end_date=day, **fields)

        trainee_services.attendee_add(actor=personas.province_officer,
                                      activity=training("child-database", DAY),
                                      user=personas.officer)
        trainee_services.attendee_add(actor=personas.province_officer,
                                      activity=training("online-safety", DAY), user=colleague)
        trainee_services.attendee_add(
            actor=personas.province_officer,
            activity=training("child-database", datetime.date(2024, 6, 1)), user=colleague)
        trainee_services.attendee_add(actor=personas.province_officer,
                                      activity=training("child-database", DAY,
                                                        status=ActivityStatus.CANCELLED),
                                      user=colleague)
        cells = _value(_catalogue_spec("bac-son-2024.json", "BS11"), tree.province)
        assert cells[tree.commune_a.pk] == Cell(1, 2)
        assert cells[tree.commune_b.pk] == Cell(0, 1)
        assert cells[tree.province.pk] == Cell(1, 3)

    def test_the_share_of_children_7_and_over_consulted(self, tree: Tree,
                                                        personas: Personas) -> None:
        """TT 13/2021's 0601: 5 children of commune A aged 7–15 at the end of 2025 (and one
        of 5, one of 16, not counted); consultations held in 2025 took 2 + 1 children; a
        planned one and one of 2024 do not count; a forum's children are not consulted."""
        for born in (2010, 2012, 2014, 2016, 2018):
            make_child(commune=tree.commune_a, birth_date=datetime.date(born, 3, 1))
        make_child(commune=tree.commune_a, birth_date=datetime.date(2020, 3, 1))
        make_child(commune=tree.commune_a, birth_date=datetime.date(2009, 3, 1))
        consult = {"subject": "Kế hoạch năm 2026", "girls": 1}
        record(personas.officer, tree.commune_a, "consultation", children=2,
               children_7_10=1, children_11_15=1, **consult)
        record(personas.officer, tree.commune_a, "consultation", children=1,
               children_11_15=1, **consult)
        record(personas.officer, tree.commune_a, "consultation", children=4,
               children_11_15=4, start_date=datetime.date(2024, 5, 1),
               end_date=datetime.date(2024, 5, 1), **consult)
        record(personas.officer, tree.commune_a, "children-forum", forum_level="commune",
               children=6)
        cells = _value(_catalogue_spec("tt13-2021-tre-em.json", "0601"), tree.province)
        assert cells[tree.commune_a.pk] == Cell(3, 5)
        assert _catalogue_spec("binh-long-2022-2030.json", "CT22") == \
            _catalogue_spec("tt13-2021-tre-em.json", "0601")

    def test_a_spec_naming_an_unknown_filter_of_a_registered_population_is_refused(
            self) -> None:
        with pytest.raises(SpecError):
            parse({"numerator": {"population": "activities", "where": {"kind": ["dance"]}}},
                  unit_kind="count")
        with pytest.raises(SpecError):
            parse({"numerator": {"population": "commune_staff", "where": {"trained": "x"}},
                   "denominator": {"population": "commune_staff"}}, unit_kind="percent")
        parse({"numerator": {"population": "activities", "where": {"type": ["board-meeting"]}}},
              unit_kind="count")

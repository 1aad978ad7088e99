"""The demo's plans: made through the services, once."""

import datetime

from django.core.management import call_command

from treem.accounts.roles import Role, Sector
from treem.plans.demo import DEMO_CODE, setup_demo_plans
from treem.plans.models import FocalPoint, Plan, TaskProgress
from treem.plans.tests.test_loading import issuers  # noqa: F401 - the seed plans' units
from treem.registry.tests.factories import make_child
from treem.testing import Tree, make_user


def test_the_demo_province_gets_this_years_plan_its_police_focal_point_and_a_report(
        tree: Tree, issuers: object) -> None:  # noqa: F811
    call_command("load_plans", verbosity=0)
    make_user("demo.tinh", role=Role.AREA_OFFICER, unit=tree.province)
    police = make_user("demo.congan", role=Role.SECTOR_FOCAL, unit=tree.province,
                       sector=Sector.POLICE)
    assert setup_demo_plans() == 5
    plan = Plan.objects.get(code=DEMO_CODE)
    assert plan.unit == tree.province and "minh họa" in plan.title
    assert FocalPoint.objects.get(user=police).agency.name == "Công an tỉnh"
    assert TaskProgress.objects.get().reported_by == police
    assert setup_demo_plans() == 5  # a second `make run` adds nothing
    assert Plan.objects.filter(code=DEMO_CODE).count() == 1


def test_the_demo_activities_are_made_once_with_their_recommendations_and_trainee(
        tree: Tree, issuers: object) -> None:  # noqa: F811
    from treem.plans.activities.demo import setup_demo_activities
    from treem.plans.activities.models import Activity, Attendee, NamedChild, Recommendation

    call_command("load_plans", verbosity=0)
    officer = make_user("demo.xa", role=Role.COMMUNE_OFFICER, unit=tree.commune_a)
    make_user("demo.tinh", role=Role.AREA_OFFICER, unit=tree.province)
    teacher = make_user("demo.giaoduc", role=Role.SECTOR_FOCAL, unit=tree.province,
                        sector=Sector.EDUCATION)
    delegate = make_child(commune=tree.commune_a, full_name="Nông Thị Đại Biểu",
                          birth_date=datetime.date(2013, 3, 1))
    assert setup_demo_activities() == 4
    forum = Activity.objects.get(type__code="children-forum")
    # The delegate is named on the written consent of the mother and of the child.
    [row] = NamedChild.objects.filter(activity=forum)
    assert row.child == delegate and row.consent is not None
    assert row.consent.child_agreed and row.consent.form.content_type == "application/pdf"
    assert forum.unit == tree.commune_a and forum.forum_report_overdue()
    assert Recommendation.objects.filter(activity=forum).count() == 2
    assert FocalPoint.objects.get(user=teacher).agency.name == "Sở Giáo dục và Đào tạo"
    assert Attendee.objects.get().user == officer
    assert setup_demo_activities() == 4  # a second `make run` adds nothing

"""The activities of the demo of `make run` (illustrative): in the demo officer's commune, a
children's forum with two recommendations (one for the education department, whose focal
point `demo.giaoduc` answers it) and its delegate to the province's forum named, a
consultation of children, a board meeting; at the province, a training on the child
database that the commune officer attended. Made through the services the pages use. Never
used in production."""

import datetime

from django.utils import timezone

from treem.accounts.models import User
from treem.plans.activities import named, recommendation_services, services, trainee_services
from treem.plans.activities.models import Activity, ActivityType
from treem.plans.models import Agency
from treem.plans.services import focal_point_add
from treem.registry.consent.services import consent_record
from treem.registry.models import Child, ConsentPurpose, ConsentRelation, years_before
from treem.ui.demo_pdf import text_pdf

DEMO_TITLE = "Diễn đàn trẻ em phường năm {year} (dữ liệu minh họa)"


def _type(code: str) -> ActivityType:
    return ActivityType.objects.get(code=code)


def setup_demo_activities() -> int:
    """Once: the demo activities; the number of activities there are."""
    officer = User.objects.filter(username="demo.xa").first()
    province_officer = User.objects.filter(username="demo.tinh").first()
    if officer is None or province_officer is None:
        return 0
    commune = officer.assignments.get().unit
    province = province_officer.assignments.get().unit
    today = timezone.localdate()
    year = today.year
    if Activity.objects.filter(title=DEMO_TITLE.format(year=year)).exists():
        return Activity.objects.count()
    day = today - datetime.timedelta(days=30)  # a month ago: the forum's report is overdue
    education = Agency.objects.filter(unit=province, name="Sở Giáo dục và Đào tạo").first()
    police = Agency.objects.filter(unit=province, name="Công an tỉnh").first()
    teacher = User.objects.filter(username="demo.giaoduc").first()
    if education is not None and teacher is not None:
        focal_point_add(actor=province_officer, agency=education, user=teacher)
    forum = services.activity_create(
        actor=officer, unit=commune, type=_type("children-forum"),
        title=DEMO_TITLE.format(year=year), start_date=day, end_date=day,
        forum_level="commune", place_text="Nhà văn hóa phường", adults=12, adult_women=8,
        children=48, girls=25, children_7_10=18, children_11_15=30, children_minority=31,
        children_special=3, description="Chủ đề: Trẻ em được an toàn trên đường tới trường.",
        budget={"state": (6_000_000, 5_450_000), "mobilised": (2_000_000, 2_000_000)})
    if education is not None:
        recommendation_services.recommendation_add(
            actor=officer, activity=forum, agency=education,
            text="Mở thêm lớp học bơi miễn phí cho học sinh trong dịp hè.")
    if police is not None:
        recommendation_services.recommendation_add(
            actor=officer, activity=forum, agency=police,
            text="Bố trí người hướng dẫn giao thông ở cổng trường giờ tan học.")
    delegate = (Child.objects.on_record().filter(commune=commune,
                                                 birth_date__lte=years_before(today, 10))
                .order_by("-birth_date", "pk").first())
    if delegate is not None:
        # Naming a child rests on the written consent of the mother and of the child (10 or
        # more): recorded first, as the officer does on the child's page.
        consent_record(
            actor=officer, child=delegate, purpose=ConsentPurpose.NAMED_IN_ACTIVITY,
            representative_name="Mẹ của đại biểu (dữ liệu minh họa)",
            relation=ConsentRelation.MOTHER, child_agreed=True,
            given_on=day - datetime.timedelta(days=3), form_name="giay-dong-y.pdf",
            form_data=text_pdf(["GIAY DONG Y NEU TEN TRE (du lieu minh hoa)",
                                "Dai bieu tre em du dien dan tre em cap tinh",
                                "Me cua tre ky: ....................",
                                "Tre ky: ...................."]))
        named.named_add(actor=officer, activity=forum, child_id=delegate.public_id,
                        reason="Đại biểu trẻ em của phường dự diễn đàn trẻ em cấp tỉnh.")
    services.activity_create(
        actor=officer, unit=commune, type=_type("consultation"),
        title="Lấy ý kiến trẻ em về dự thảo kế hoạch công tác trẻ em (dữ liệu minh họa)",
        start_date=day, end_date=day, subject="Dự thảo kế hoạch công tác trẻ em của phường",
        prepared_on=day - datetime.timedelta(days=7), children=25, girls=13,
        children_7_10=10, children_11_15=15, children_minority=14)
    services.activity_create(
        actor=officer, unit=commune, type=_type("board-meeting"),
        title="Họp Ban bảo vệ trẻ em phường (dữ liệu minh họa)", start_date=day, end_date=day,
        adults=9, adult_women=5)
    training = services.activity_create(
        actor=province_officer, unit=province, type=_type("training"),
        title="Tập huấn sử dụng cơ sở dữ liệu trẻ em (dữ liệu minh họa)", start_date=day,
        end_date=day + datetime.timedelta(days=1), topics=["child-database"], adults=35,
        adult_women=21, budget={"state": (30_000_000, 28_500_000)})
    trainee_services.attendee_add(actor=province_officer, activity=training, user=officer)
    return Activity.objects.count()

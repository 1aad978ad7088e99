"""Cases for the demo of `make run`: reports about children of the demo officer's commune,
received over the last weeks and taken to different steps through the same services the
pages use. Never used in production."""

import datetime
import random

from django.utils import timezone

from treem.accounts.models import User
from treem.cases import assessments, services
from treem.cases.choices import AbuseForm, Channel, Perpetrator, Place
from treem.cases.models import Case
from treem.geo.models import Unit
from treem.registry.models import Child

DEMO_CASES = 24
SEED = 2026
STORIES = (
    ([AbuseForm.VIOLENCE], Place.FAMILY, Perpetrator.PARENT,
     "Hàng xóm nghe trẻ bị đánh, kêu khóc nhiều lần."),
    ([AbuseForm.NEGLECT], Place.FAMILY, Perpetrator.PARENT,
     "Trẻ thường xuyên ở nhà một mình, không được ăn uống."),
    ([AbuseForm.VIOLENCE], Place.SCHOOL, Perpetrator.CHILD,
     "Trẻ bị nhóm bạn đánh hội đồng sau giờ học."),
    ([AbuseForm.SEXUAL_ABUSE], Place.COMMUNITY, Perpetrator.ACQUAINTANCE,
     "Giáo viên phát hiện dấu hiệu trẻ bị xâm hại."),
    ([AbuseForm.EXPLOITATION], Place.COMMUNITY, Perpetrator.STRANGER,
     "Trẻ bỏ học, làm thuê ở xưởng gỗ."),
    ([AbuseForm.VIOLENCE, AbuseForm.NEGLECT], Place.FAMILY, Perpetrator.STEP_PARENT,
     "Cha dượng say rượu đánh trẻ."),
    ([AbuseForm.OTHER], Place.ONLINE, Perpetrator.UNKNOWN,
     "Trẻ bị đe dọa, bắt nạt trên mạng xã hội."),
)
# How far each case has gone: the moves taken, in order, by officer (o) or chairman (c).
PATHS: tuple[list[tuple[str, str]], ...] = (
    [], [("verify", "o")], [("verify", "o"), ("not_confirmed", "o")],
    [("verify", "o"), ("confirm", "o")],
    [("verify", "o"), ("confirm", "o"), ("plan", "o")],
    [("verify", "o"), ("confirm", "o"), ("plan", "o"), ("submit_plan", "o")],
    [("verify", "o"), ("confirm", "o"), ("plan", "o"), ("submit_plan", "o"),
     ("approve_plan", "c")],
    [("verify", "o"), ("confirm", "o"), ("plan", "o"), ("submit_plan", "o"),
     ("approve_plan", "c"), ("review", "o"), ("close", "c")],
)
DETAILED = {item.key: "Đã tìm hiểu qua gặp trẻ, gia đình và trưởng thôn."
            for item in assessments.ITEMS[assessments.DETAILED]}


def setup_demo_cases() -> int:
    """Create the demo cases once; return how many cases there are."""
    if Case.objects.exists():
        return Case.objects.count()
    intake = User.objects.get(username="demo.tongdai")
    officer = User.objects.get(username="demo.xa")
    chairman = User.objects.get(username="demo.chutich")
    commune = officer.assignments.get().unit
    rng = random.Random(SEED)  # noqa: S311 - demo data, not a secret
    children = list(Child.objects.on_record().filter(commune=commune, death_date__isnull=True)
                    .order_by("id")[:500])
    now = timezone.now()
    for number, child in enumerate(rng.sample(children, min(DEMO_CASES, len(children)))):
        forms, place, perpetrator, text = rng.choice(STORIES)
        received = now - datetime.timedelta(days=rng.randint(0, 40), hours=rng.randint(1, 20))
        notification = services.notification_record(
            actor=intake, commune=commune, channel=rng.choice(list(Channel)),
            received_at=received, place=place, description=text, forms=forms,
            child_description=f"{child.full_name}, {child.birth_date:%Y}",
            urgent=number % 5 == 0, reporter_anonymous=number % 3 == 0,
            reporter_name="" if number % 3 == 0 else "Người dân trong thôn")
        case = services.case_open(actor=officer, notification=notification, child=child)
        if PATHS[number % len(PATHS)]:  # verification found who did it
            services.case_facts(actor=officer, case=case, forms=forms, place=place,
                                happened_on=None, perpetrator=perpetrator)
        for move, who in PATHS[number % len(PATHS)]:
            _documents(case, move, officer, received)
            services.case_move(actor=chairman if who == "c" else officer, case=case, move=move)
    _waiting_notifications(intake, commune, now)
    return Case.objects.count()


def _waiting_notifications(intake: User, commune: Unit, now: datetime.datetime) -> None:
    """What the commune's home shows first: a call to 111 about a child in danger now, its
    12 hours running, and a report of yesterday no case was opened for yet."""
    services.notification_record(
        actor=intake, commune=commune, channel=Channel.HOTLINE,
        received_at=now - datetime.timedelta(minutes=40), place=Place.FAMILY,
        description="Người gọi nghe trẻ kêu cứu, cha say rượu đánh trẻ, trẻ đang bị nhốt "
                    "trong nhà.",
        forms=[AbuseForm.VIOLENCE], child_description="Bé trai khoảng 9 tuổi, thôn Nà Pồng",
        urgent=True, reporter_anonymous=True, reporter_name="")
    services.notification_record(
        actor=intake, commune=commune, channel=Channel.HOTLINE,
        received_at=now - datetime.timedelta(hours=26), place=Place.SCHOOL,
        description="Giáo viên báo trẻ nghỉ học nhiều ngày, nghi phải đi làm thuê.",
        forms=[AbuseForm.EXPLOITATION], child_description="Bé gái lớp 7",
        urgent=False, reporter_anonymous=False, reporter_name="Giáo viên chủ nhiệm")


def _documents(case: Case, move: str, officer: User, received: datetime.datetime) -> None:
    today = timezone.localdate()
    if move in ("confirm", "not_confirmed"):
        services.assessment_record(
            actor=officer, case=case, kind=assessments.INITIAL, done_on=today,
            answers={"findings": "Đã gặp trẻ và gia đình."},
            ratings={"harm": "medium", "risk": "high" if move == "confirm" else "low"},
            conclusion="at_risk" if move == "confirm" else "safe")
    elif move == "plan":
        services.assessment_record(actor=officer, case=case, kind=assessments.DETAILED,
                                   done_on=today, answers=DETAILED, ratings={})
    elif move == "submit_plan":
        services.plan_save(actor=officer, case=case, goal="Trẻ được an toàn và đi học đều",
                           items=[{"task": "Tư vấn tâm lý cho trẻ và gia đình",
                                   "responsible": "Công chức văn hóa - xã hội",
                                   "starts_on": today, "ends_on": today + datetime.timedelta(30),
                                   "cost": 0}])
    elif move == "close":
        services.assessment_record(
            actor=officer, case=case, kind=assessments.REVIEW, done_on=today, answers={},
            ratings={"harm": "low", "access": "low", "obstacles": "low", "resilience": "high"},
            conclusion="safe")

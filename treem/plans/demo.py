"""The plans of the demo of `make run`: the demo province's plan for this year (illustrative,
built from the duties of Cao Bằng's 2022 plan), its police focal point, and a first progress
report, made through the services the pages use. Never used in production."""

from django.utils import timezone

from treem.accounts.models import User
from treem.plans import progress_services, services
from treem.plans.models import Agency, Plan, ProgressStatus, TimeFrame

SOURCE = "cao-bang-2022"
DEMO_CODE = "demo-cao-bang"
# (section, lead agency of the 2022 plan, its section there, time frame, quarter)
DUTIES = [
    ("1", "Sở Lao động - Thương binh và Xã hội", "V.1.a", TimeFrame.YEARLY, None),
    ("2", "Công an tỉnh", "V.7.a", TimeFrame.YEARLY, None),
    ("3", "Công an tỉnh", "V.7.b", TimeFrame.QUARTER, 2),
    ("4", "Sở Giáo dục và Đào tạo", "V.5.a", TimeFrame.QUARTER, 3),
    ("5", "Sở Y tế", "V.4", TimeFrame.YEARLY, None),
]


def setup_demo_plans() -> int:
    """Once: the demo province's plan of this year with five tasks, `demo.congan` the focal
    point of the provincial police, which has reported its first task of the year."""
    found = Plan.objects.filter(code=DEMO_CODE).first()
    if found is not None:
        return found.tasks.count()
    source = Plan.objects.filter(code=SOURCE).select_related("unit").first()
    if source is None:  # the seed plans are not loaded
        return 0
    province = User.objects.get(username="demo.tinh")
    year = timezone.localdate().year
    plan = services.plan_create(
        actor=province, unit=source.unit, code=DEMO_CODE, number="",
        title=f"Kế hoạch thực hiện công tác trẻ em năm {year} trên địa bàn tỉnh Cao Bằng "
              "(dữ liệu minh họa)",
        start_year=year, end_year=year,
        legal_basis=f"Dữ liệu minh họa của bản chạy thử, dựng từ các nhiệm vụ của kế hoạch "
                    f"“{source.title}”.")
    tasks = {task.section: task for task in source.tasks.select_related("lead")}
    made = []
    for section, lead_name, from_section, frame, quarter in DUTIES:
        duty = tasks.get(from_section)
        lead = Agency.objects.filter(unit=source.unit, name=lead_name).first()
        if duty is None or lead is None:
            continue
        made.append(services.task_create(
            actor=province, plan=plan, section=section, text=duty.text, lead=lead,
            cooperating=list(duty.cooperating.all()), time_frame=frame,
            year=year if frame == TimeFrame.QUARTER else None, quarter=quarter,
            heading=duty.heading))
    police = Agency.objects.filter(unit=source.unit, name="Công an tỉnh").first()
    focal = User.objects.filter(username="demo.congan").first()
    if police is not None and focal is not None:
        services.focal_point_add(actor=province, agency=police, user=focal)
        first = next((task for task in made if task.lead_id == police.pk), None)
        if first is not None:
            progress_services.progress_report(
                actor=focal, task=first, agency=police, period=f"{year}S1",
                status=ProgressStatus.IN_PROGRESS, percent_done=60,
                done_text="Đã tiếp nhận, điều tra 4 vụ việc xâm hại trẻ em; phối hợp với Sở "
                          "Lao động - Thương binh và Xã hội hỗ trợ 4 trẻ.",
                difficulties="Một số vụ việc phát hiện muộn, khó thu thập chứng cứ.")
    return len(made)

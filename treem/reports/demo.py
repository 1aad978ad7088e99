"""A year of periodic reports for the demo of `make run`: the demo communes' half-year and
annual reports sent and approved, and the latest one waiting for the province's approval, made
through the services the pages use. Never used in production."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from treem.accounts.models import User
from treem.indicators import periods
from treem.reports import services
from treem.reports.models import Report, Schedule

HALF_YEAR = "bao-cao-6-thang"
YEAR = "bao-cao-nam"
RESULTS = ("Đã rà soát, cập nhật thông tin trẻ em trên phần mềm; tổ chức truyền thông phòng, "
           "chống xâm hại trẻ em tại các thôn, tổ dân phố.")
DIFFICULTIES = "Một số thôn xa, cộng tác viên thay đổi nhiều."
PROPOSALS = "Đề nghị tỉnh tổ chức tập huấn nghiệp vụ quản lý trường hợp."


def _send(officer: User, schedule: Schedule, period: periods.Period) -> Report | None:
    unit = officer.assignments.get().unit
    try:
        report = services.report_open(actor=officer, schedule=schedule, unit=unit,
                                      period=period.code)
        services.report_write(actor=officer, report=report, results=RESULTS,
                              difficulties=DIFFICULTIES, proposals=PROPOSALS)
        return services.report_submit(actor=officer, report=report)
    except ValidationError:  # a period the schedule does not run in, or already sent
        return None


def setup_demo_reports() -> int:
    """Once: the last two half-years and the last year of both demo communes, sent; all
    approved by the province but the demo officer's latest, which waits for its approval."""
    if Report.objects.exists():
        return Report.objects.count()
    province = User.objects.get(username="demo.tinh")
    today = timezone.localdate()
    half = Schedule.objects.get(code=HALF_YEAR)
    year = Schedule.objects.get(code=YEAR)
    current = periods.of_kind("half", today)
    waiting = None
    for username in ("demo.xa", "demo.xa2"):
        officer = User.objects.get(username=username)
        sent = [_send(officer, half, periods.previous(periods.previous(current))),
                _send(officer, half, periods.previous(current)),
                _send(officer, year, periods.previous(periods.of_kind("year", today))),
                _send(officer, half, current)]
        if username == "demo.xa":
            waiting = sent[-1]
        for report in sent:
            if report is not None and report != waiting:
                services.report_approve(actor=province, report=report)
    return Report.objects.count()

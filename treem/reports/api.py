"""Reports over the API: their status (for the level above, who has reported) and a report
with its frozen values."""

import datetime
import uuid
from typing import Annotated, Any

from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from treem.accounts.authentication import API_AUTH
from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability
from treem.api_support import Input, Page, model_text, require
from treem.indicators.schemas import PeriodCode
from treem.reports import rendering, selectors
from treem.reports.models import Report, Schedule


class ReportOut(Schema):
    id: uuid.UUID
    schedule: str
    unit: str
    period: str
    version: int
    status: str
    due_on: datetime.date
    first_submitted_at: datetime.datetime | None
    on_time: bool | None
    data_from: datetime.date | None  # the days its figures count, frozen on submission
    data_until: datetime.date | None

    @staticmethod
    def resolve_id(r: Report) -> uuid.UUID:
        return r.public_id

    @staticmethod
    def resolve_schedule(r: Report) -> str:
        return r.schedule.code

    @staticmethod
    def resolve_unit(r: Report) -> str:
        return r.unit.code

    @staticmethod
    def resolve_on_time(r: Report) -> bool | None:
        if r.first_submitted_at is None:
            return None
        return timezone.localdate(r.first_submitted_at) <= r.due_on


class ReportDetailOut(ReportOut):
    results: str
    difficulties: str
    proposals: str
    values: list[dict[str, Any]]

    @staticmethod
    def resolve_values(r: Report) -> list[dict[str, Any]]:
        return [{"indicator": line.version.indicator.code,
                 "set": line.version.indicator.indicator_set.code, "unit": line.unit_name,
                 "breakdown": line.breakdown, "numerator": line.numerator,
                 "denominator": line.denominator, "value": line.value}
                for line in rendering.lines(r)]


class ReportFilter(Input):
    period: PeriodCode | None = None
    schedule: Annotated[str, model_text(Schedule, "code")] | None = None


router = Router(tags=["reports"], auth=API_AUTH)


@router.get("/reports", response=list[ReportOut], summary="Tình hình báo cáo")
@paginate(Page, page_size=50)
def report_status_list(request: AuthedRequest, filters: Query[ReportFilter]) -> Any:
    """The latest version of every report of the units in your scope, with its status."""
    require(request, Capability.WRITE_REPORTS)
    reports = selectors.report_list(user=request.user).filter(is_latest=True)
    if filters.period:
        reports = reports.filter(period=filters.period)
    if filters.schedule:
        reports = reports.filter(schedule__code=filters.schedule)
    return reports


@router.get("/reports/{report_id}", response=ReportDetailOut, summary="Một báo cáo")
def report_detail(request: AuthedRequest, report_id: uuid.UUID) -> Report:
    require(request, Capability.WRITE_REPORTS)
    return selectors.get_report_for_user(user=request.user, report_id=report_id)

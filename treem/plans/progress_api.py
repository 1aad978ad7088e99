"""The progress of a local plan's tasks over the API: an agency's report on a task for a
period, created or edited (`If-Match`) by who reports for the agency. The task with all its
reports is `plans.task_api`."""

import datetime
import uuid
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from ninja import Router, Schema

from treem.accounts.authentication import API_AUTH
from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability
from treem.api_support import (
    VERSIONED_WRITE,
    ConflictOut,
    ErrorOut,
    Input,
    Whole,
    etag,
    if_match,
    model_text,
    not_found,
    refusal,
    require,
)
from treem.indicators.schemas import PeriodCode
from treem.plans import progress_services, selectors
from treem.plans.models import Evidence, ProgressStatus, TaskProgress


class EvidenceOut(Schema):
    id: uuid.UUID
    name: str
    content_type: str
    size: int

    @staticmethod
    def resolve_id(e: Evidence) -> uuid.UUID:
        return e.public_id


class ProgressOut(Schema):
    id: uuid.UUID
    agency: uuid.UUID
    period: str
    status: str
    percent_done: int
    done_text: str
    difficulties: str
    version: int
    reported_at: datetime.datetime
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_id(p: TaskProgress) -> uuid.UUID:
        return p.public_id

    @staticmethod
    def resolve_agency(p: TaskProgress) -> uuid.UUID:
        return p.agency.public_id

    @staticmethod
    def resolve_evidence(p: TaskProgress) -> list[Evidence]:
        return list(p.evidence.all())


class ProgressIn(Input):
    status: ProgressStatus
    percent_done: Annotated[int, Whole(0, 100)]
    done_text: Annotated[str, model_text(TaskProgress, "done_text")] = ""
    difficulties: Annotated[str, model_text(TaskProgress, "difficulties")] = ""


router = Router(tags=["plans"], auth=API_AUTH)


@router.put("/plan-tasks/{task_id}/progress/{agency_id}/{period}",
            response={200: ProgressOut, 412: ConflictOut, 428: ErrorOut},
            summary="Báo cáo tiến độ một nhiệm vụ", openapi_extra=VERSIONED_WRITE)
def plan_task_report(request: AuthedRequest, task_id: uuid.UUID, agency_id: uuid.UUID,
                     period: PeriodCode, data: ProgressIn,
                     response: HttpResponse) -> TaskProgress:
    """The report of an agency (the task's lead or a co-operating one, which you report for)
    for a period ("2026", "2026S1", "2026Q3"): created, or edited naming in If-Match the
    version read ("0" for a report not made yet; `*` to write whatever the version): 412 with
    the fields saved since and both values, nothing written."""
    require(request, Capability.VIEW_PLANS)
    task = selectors.get_task_for_user(user=request.user, task_id=task_id)
    agency = next((a for a in [task.lead, *task.cooperating.all()]
                   if a.public_id == agency_id), None)
    if agency is None:
        raise not_found()
    named = if_match(request)
    current = TaskProgress.objects.filter(task=task, agency=agency, period=period).first()
    base_version = (current.version if current else None) if named is None else named
    try:
        saved = progress_services.progress_report(
            actor=request.user, task=task, agency=agency, period=period,
            base_version=base_version, **data.dict())
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error
    response["ETag"] = etag(saved.version)
    return saved

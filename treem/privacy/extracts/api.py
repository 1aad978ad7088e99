"""Extracts over the API: the requests of your area, a request, another officer's decision,
the file for the one who asked. The same services and scope as the pages."""

import datetime
import uuid
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from treem.accounts.authentication import API_AUTH
from treem.accounts.capabilities import Capability
from treem.accounts.http import AuthedRequest
from treem.api_support import Input, Page, Text, not_found, refusal, require
from treem.privacy.extracts import selectors, services
from treem.privacy.models import ExtractField, ExtractFormat
from treem.ui.downloads import attachment

router = Router(tags=["privacy extracts"], auth=API_AUTH)


class ExtractOut(Schema):
    id: uuid.UUID
    reference: str
    unit: str
    purpose: str
    fields: list[str]
    file_format: str
    status: str
    requested_at: datetime.datetime
    decided_at: datetime.datetime | None = None
    decision_reason: str
    rows: int
    suppressed_rows: int

    @staticmethod
    def resolve_id(obj: Any) -> uuid.UUID:
        return obj.public_id

    @staticmethod
    def resolve_unit(obj: Any) -> str:
        return obj.unit.code


class ExtractIn(Input):
    unit: Annotated[str, Text(16)]  # a province's or commune's code
    purpose: Annotated[str, Text(2000, multiline=True)]
    fields: list[ExtractField] = Field(default_factory=list, max_length=len(ExtractField))
    file_format: ExtractFormat = ExtractFormat.CSV


class ExtractDecisionIn(Input):
    approve: bool
    reason: Annotated[str, Text(1000, multiline=True)] = ""


@router.get("/privacy/extracts", response=list[ExtractOut],
            summary="Các đề nghị trích xuất dữ liệu đã giả danh")
@paginate(Page, page_size=50)
def privacy_extract_list(request: AuthedRequest) -> Any:
    require(request, Capability.REQUEST_EXTRACTS)
    return selectors.extract_list(user=request.user)


@router.post("/privacy/extracts", response={201: ExtractOut},
             summary="Đề nghị một trích xuất (mục đích, phạm vi, các trường)")
def privacy_extract_request(request: AuthedRequest, data: ExtractIn) -> Any:
    require(request, Capability.REQUEST_EXTRACTS)
    unit = next((u for u in selectors.units_to_request(user=request.user)
                 if u.code == data.unit), None)
    if unit is None:
        raise not_found()
    try:
        return Status(201, services.extract_request(
            actor=request.user, unit=unit, purpose=data.purpose,
            fields=[str(f) for f in data.fields], file_format=str(data.file_format)))
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error


@router.post("/privacy/extracts/{extract_id}/decision", response=ExtractOut,
             summary="Duyệt hoặc không duyệt (không phải người đề nghị)")
def privacy_extract_decide(request: AuthedRequest, extract_id: uuid.UUID,
                           data: ExtractDecisionIn) -> Any:
    require(request, Capability.APPROVE_EXTRACTS)
    extract = selectors.get_extract_for_user(user=request.user, extract_id=extract_id)
    try:
        return services.extract_decide(actor=request.user, extract=extract,
                                       approve=data.approve, reason=data.reason)
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error


@router.post("/privacy/extracts/{extract_id}/file",
             summary="Tải tệp dữ liệu đã duyệt (người đề nghị; ghi vào nhật ký)")
def privacy_extract_file(request: AuthedRequest, extract_id: uuid.UUID) -> HttpResponse:
    require(request, Capability.REQUEST_EXTRACTS)
    extract = selectors.get_extract_for_user(user=request.user, extract_id=extract_id)
    try:
        content, name = services.extract_produce(actor=request.user, extract=extract)
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error
    kind = "text/csv; charset=utf-8" if name.endswith(".csv") else None
    return attachment(content, filename=name, **({"content_type": kind} if kind else {}))


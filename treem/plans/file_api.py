"""The files of plans over the API: a plan's documents (the signed plan, its annexes) uploaded
and removed by the office keeping the plan's unit; every file of the app — those documents,
the evidence of an agency's progress, an activity's photos and sheets — read by who may read
what it belongs to (404 for anything else, alike). The pages do the same
(`plans.views`, `plans.activities.views`)."""

import uuid
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import File, Form, Router, UploadedFile
from ninja.errors import HttpError

from treem.accounts.authentication import API_AUTH
from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability
from treem.api_support import Text, refusal, require
from treem.plans import attachment_services, selectors
from treem.plans.activities import selectors as activity_selectors
from treem.plans.api import DocumentOut
from treem.plans.models import PlanAttachment
from treem.ui import uploads

NO_FILE = File(None)
FILE_REQUIRED = _("Hãy chọn tệp (ảnh JPEG, PNG hoặc PDF) để tải lên.")
BINARY = {"schema": {"type": "string", "format": "binary"}}
A_FILE = {"responses": {200: {"description": "Tệp (PDF tải về; ảnh hiển thị).",
                              "content": {kind: BINARY for kind in uploads.EXTENSIONS}}}}

router = Router(tags=["plans"], auth=API_AUTH)


@router.post("/local-plans/{plan_id}/documents", response={201: DocumentOut},
             summary="Đính kèm một tài liệu của kế hoạch (bản ký, phụ lục)")
def plan_document_create(request: AuthedRequest, plan_id: uuid.UUID,
                         title: Annotated[str, Text(200)] = Form(""),
                         file: UploadedFile | None = NO_FILE) -> PlanAttachment:
    """multipart/form-data: `file` (PDF, JPEG or PNG; photos lose their location) and an
    optional `title`."""
    require(request, Capability.MANAGE_PLANS)
    plan = selectors.get_plan_for_user(user=request.user, plan_id=plan_id, for_write=True)
    if file is None:
        raise HttpError(422, str(FILE_REQUIRED))
    if (too_large := uploads.size_refusal(file.size)) is not None:
        raise HttpError(422, too_large)
    try:
        return attachment_services.attachment_add(actor=request.user, plan=plan,
                                                  data=file.read(), name=file.name or "",
                                                  title=title)
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error


@router.get("/plan-documents/{document_id}", summary="Tệp của một tài liệu kế hoạch",
            openapi_extra=A_FILE)
def plan_document_file(request: AuthedRequest, document_id: uuid.UUID) -> FileResponse:
    require(request, Capability.VIEW_PLANS)
    item = selectors.get_attachment_for_user(user=request.user, attachment_id=document_id)
    return uploads.file_response(item)


@router.delete("/plan-documents/{document_id}", response={204: None},
               summary="Xóa một tài liệu của kế hoạch")
def plan_document_delete(request: AuthedRequest, document_id: uuid.UUID) -> Any:
    require(request, Capability.MANAGE_PLANS)
    item = selectors.get_attachment_for_user(user=request.user, attachment_id=document_id)
    try:
        attachment_services.attachment_remove(actor=request.user, item=item)
    except PermissionDenied as error:
        raise refusal(error) from error
    return HttpResponse(status=204)


@router.get("/plan-evidence/{evidence_id}", summary="Tệp minh chứng của một báo cáo tiến độ",
            openapi_extra=A_FILE)
def plan_evidence_file(request: AuthedRequest, evidence_id: uuid.UUID) -> FileResponse:
    require(request, Capability.VIEW_PLANS)
    item = selectors.get_evidence_for_user(user=request.user, evidence_id=evidence_id)
    return uploads.file_response(item)


@router.get("/activity-files/{file_id}", summary="Tệp của một hoạt động (ảnh, điểm danh…)",
            openapi_extra=A_FILE)
def activity_file(request: AuthedRequest, file_id: uuid.UUID) -> FileResponse:
    require(request, Capability.VIEW_PLANS)
    item = activity_selectors.get_file_for_user(user=request.user, file_id=file_id)
    return uploads.file_response(item)

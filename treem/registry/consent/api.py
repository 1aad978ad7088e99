"""Consents over the API: a child's list, one consent (its ETag), recording one with its
signed form (multipart), withdrawing one (If-Match), the form itself. The same services and
scope as the child's page: a child outside the caller's scope is 404, one it reads but may not
change 403."""

import datetime
import uuid
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from ninja import Field, File, Form, Router, Schema, UploadedFile

from treem.accounts.authentication import API_AUTH
from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability
from treem.api_support import (
    VERSIONED_READ,
    VERSIONED_WRITE,
    ApiError,
    ConflictOut,
    Day,
    ErrorOut,
    Input,
    Text,
    etag,
    if_match,
    invalid,
    refusal,
    require,
)
from treem.audit.services import read_record
from treem.registry.consent import messages as msg
from treem.registry.consent import selectors, services
from treem.registry.consent.models import ChildConsent, ConsentPurpose, ConsentRelation
from treem.registry.selectors import get_child_for_user
from treem.ui import uploads

router = Router(tags=["consents"], auth=API_AUTH)

BINARY = {"schema": {"type": "string", "format": "binary"}}
A_FILE = {"responses": {200: {"description": "Tệp (PDF tải về; ảnh hiển thị).",
                              "content": {kind: BINARY for kind in uploads.EXTENSIONS}}}}
Note = Annotated[str, Text(services.NOTE_MAX)]
# Every field optional to the schema, required by the operation: a child outside the caller's
# scope is 404 before anything in the body is judged.
NO_TEXT, NO_DAY, NO_CHOICE, NO_FALSE = Form(""), Form(None), Form(None), Form(False)
THE_FORM = File(None)


class ConsentOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    child: uuid.UUID = Field(alias="child.public_id")
    purpose: ConsentPurpose
    representative_name: str
    relation: ConsentRelation
    child_agreed: bool
    given_on: datetime.date
    note: str
    form_name: str = Field(alias="form.name")
    form_content_type: str = Field(alias="form.content_type")
    recorded_at: datetime.datetime
    withdrawn_on: datetime.date | None
    withdrawal_note: str
    version: int  # the ETag, for If-Match on the withdrawal


@router.get("/children/{child_id}/consents", response=list[ConsentOut],
            summary="Sự đồng ý đã ghi cho trẻ (cả sự đồng ý đã rút lại)")
def consent_list(request: AuthedRequest, child_id: uuid.UUID) -> Any:
    """Newest first. The signed form of each is read at /consents/{id}/form."""
    require(request, Capability.VIEW_CHILDREN)
    _view, rows = selectors.consent_list(user=request.user, child_id=child_id)
    return list(rows)


@router.post("/children/{child_id}/consents", response={201: ConsentOut},
             summary="Ghi sự đồng ý, kèm bản có chữ ký")
def consent_create(request: AuthedRequest, child_id: uuid.UUID,
                   purpose: ConsentPurpose | None = NO_CHOICE,
                   representative_name: Annotated[str, Text(services.NAME_MAX)] = NO_TEXT,
                   relation: ConsentRelation | None = NO_CHOICE,
                   given_on: Day | None = NO_DAY,
                   child_agreed: bool = NO_FALSE,
                   note: Note = NO_TEXT,
                   form: UploadedFile | None = THE_FORM) -> Any:
    """multipart/form-data: `purpose`, `representative_name`, `relation`, `given_on`
    (YYYY-MM-DD), `child_agreed` (required true when the child is 7 or more that day: Luật
    91/2025/QH15 Điều 24 khoản 2), `note`, and `form`: the signed form (PDF, JPEG or PNG)."""
    require(request, Capability.MANAGE_CHILDREN)
    view = get_child_for_user(user=request.user, child_id=child_id, for_write=True)
    if purpose is None:
        raise invalid("purpose", msg.REQUIRED)
    if relation is None:
        raise invalid("relation", msg.REQUIRED)
    if given_on is None:
        raise invalid("given_on", msg.REQUIRED)
    if form is None:
        raise invalid("form", msg.FORM_REQUIRED)
    if (too_large := uploads.size_refusal(form.size)) is not None:
        raise ApiError(422, f"form: {too_large}", [
            {"loc": ["body", "form"], "msg": too_large, "type": "too_large"}])
    try:
        return services.consent_record(
            actor=request.user, child=view.child, purpose=purpose,
            representative_name=representative_name, relation=relation,
            child_agreed=child_agreed, given_on=given_on, note=note,
            form_data=form.read(), form_name=form.name or "")
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error


@router.get("/consents/{consent_id}", response=ConsentOut, summary="Một sự đồng ý",
            openapi_extra=VERSIONED_READ)
def consent_detail(request: AuthedRequest, consent_id: uuid.UUID,
                   response: HttpResponse) -> ChildConsent:
    """ETag: the consent's version, for If-Match on its withdrawal."""
    require(request, Capability.VIEW_CHILDREN)
    consent, _view = selectors.get_consent_for_user(user=request.user, consent_id=consent_id)
    response["ETag"] = etag(consent.version)
    return consent


class WithdrawIn(Input):
    withdrawn_on: Day
    note: Note = ""


@router.post("/consents/{consent_id}/withdrawal",
             response={200: ConsentOut, 412: ConflictOut, 428: ErrorOut},
             summary="Ghi việc rút lại sự đồng ý", openapi_extra=VERSIONED_WRITE)
def consent_withdraw(request: AuthedRequest, consent_id: uuid.UUID, data: WithdrawIn,
                     response: HttpResponse) -> Any:
    """If-Match: the consent's ETag. From then on the child's name in activities and its
    photos in the fund's deliveries that rested on it are hidden (the files are kept)."""
    require(request, Capability.MANAGE_CHILDREN)
    consent, _view = selectors.get_consent_for_user(user=request.user, consent_id=consent_id,
                                                    for_write=True)
    version = if_match(request)
    try:
        consent = services.consent_withdraw(actor=request.user, consent=consent,
                                            base_version=version,
                                            withdrawn_on=data.withdrawn_on, note=data.note)
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error
    response["ETag"] = etag(consent.version)
    return consent


@router.get("/consents/{consent_id}/form", summary="Bản đồng ý có chữ ký",
            openapi_extra=A_FILE)
def consent_form(request: AuthedRequest, consent_id: uuid.UUID) -> FileResponse:
    """Audited as a read of the consent."""
    require(request, Capability.VIEW_CHILDREN)
    consent, view = selectors.get_consent_for_user(user=request.user, consent_id=consent_id)
    read_record(actor=request.user, obj=consent, unit=view.child.commune,
                reason="signed consent form")
    return uploads.file_response(consent.form)

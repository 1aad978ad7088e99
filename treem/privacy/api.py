"""Personal-data protection over the API: the register of processing activities, and the data
subject's requests from receipt to answer, with "what treem holds on this child" as JSON.

The same services and scope as the pages: a request outside the caller's scope is 404, one it
reads but may not handle 403; a child named in a body outside the caller's scope is 404."""

import datetime
import uuid
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from treem.accounts.authentication import API_AUTH
from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability
from treem.accounts.roles import Role
from treem.api_support import (
    IF_MATCH,
    VERSIONED_READ,
    VERSIONED_WRITE,
    ConflictOut,
    Day,
    ErrorOut,
    Input,
    Page,
    QueryBool,
    Text,
    etag,
    if_match,
    refusal,
    require,
)
from treem.cases.selectors import case_list
from treem.privacy.models import (
    AnswerChannel,
    Basis,
    Decision,
    IdentityCheck,
    RecordKind,
    RefusalGround,
    Requester,
    RequestKind,
    Status,
    SubjectRequest,
)
from treem.privacy.processing import selectors as processing
from treem.privacy.requests import carrying, holdings, selectors, services
from treem.privacy.requests import messages as msg
from treem.registry import selectors as registry
from treem.registry.models import Ethnicity

router = Router(tags=["privacy"], auth=API_AUTH)

Note = Annotated[str, Text(2000, multiline=True)]


class ProcessingActivityOut(Schema):
    id: uuid.UUID = Field(alias="record.public_id")
    province: str = Field(alias="record.unit.code")
    record_kind: RecordKind = Field(alias="record.record_kind")
    purposes: str = Field(alias="record.purposes")
    basis: Basis = Field(alias="record.basis")
    basis_articles: str = Field(alias="record.basis_articles")
    basic_data: str = Field(alias="record.basic_data")
    sensitive_data: str = Field(alias="record.sensitive_data")
    capabilities: list[str] = Field(alias="record.capabilities")
    roles: list[str]
    retention: str = Field(alias="record.retention")
    transfers: str = Field(alias="record.transfers")
    version: int = Field(alias="record.version")


class ProcessingProvinceQuery(Input):
    province: Annotated[str, Text(2)] = ""


@router.get("/privacy/processing", response=list[ProcessingActivityOut],
            summary="Sổ đăng ký hoạt động xử lý dữ liệu cá nhân của một tỉnh")
def processing_list(request: AuthedRequest, filters: Query[ProcessingProvinceQuery]) -> Any:
    """Each kind of record: purposes, legal basis, data, who sees it (the roles holding the
    capabilities named, read from the map the software enforces), retention, transfers.
    `province`: its code (the caller's first province when not given); another is 404."""
    require(request, Capability.VIEW_PROCESSING_REGISTER)
    province = processing.get_province_for_user(user=request.user,
                                                code=filters.province or None)
    return processing.activities(province=province)


class RequestCorrectionOut(Schema):
    field: str
    old_value: str
    new_value: str
    applied_at: datetime.datetime


class RequestOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    child: uuid.UUID = Field(alias="child.public_id")
    commune: str = Field(alias="unit.code")
    kind: RequestKind
    details: str
    requester_name: str
    requester: Requester
    identity_check: IdentityCheck
    received_on: datetime.date
    first_reply_due_on: datetime.date
    first_reply_on: datetime.date | None
    due_on: datetime.date
    extended: bool
    extension_reason: str
    status: Status
    decision: str
    refusal_ground: str
    decision_reason: str
    answered_on: datetime.date | None
    exported_at: datetime.datetime | None
    carried_out_at: datetime.datetime | None
    version: int

    @staticmethod
    def resolve_extended(r: SubjectRequest) -> bool:
        return r.extended_at is not None


class RequestRestrictionOut(Schema):
    roles: list[str] = Field(alias="role_list")
    reason: str
    created_at: datetime.datetime


class RequestDetailOut(RequestOut):
    corrections: list[RequestCorrectionOut]
    restriction: RequestRestrictionOut | None = Field(
        None, description="The restriction of the child's record this request set, while it "
                          "lasts.")

    @staticmethod
    def resolve_corrections(r: SubjectRequest) -> list[Any]:
        return list(r.corrections.all())

    @staticmethod
    def resolve_restriction(r: SubjectRequest) -> Any:
        return carrying.restriction_of(r)


class SubjectRequestFilter(Input):
    status: Status | None = None
    overdue: QueryBool = False


@router.get("/privacy/requests", response=list[RequestOut],
            summary="Yêu cầu về dữ liệu cá nhân trong phạm vi của bạn")
@paginate(Page, page_size=50)
def request_list(request: AuthedRequest, filters: Query[SubjectRequestFilter]) -> Any:
    """Newest first; `overdue=true`: those not answered by their legal deadline."""
    require(request, Capability.VIEW_DATA_REQUESTS)
    return selectors.request_list(user=request.user, filters=selectors.RequestFilters(
        status=filters.status or "", overdue=filters.overdue))


class RequestIn(Input):
    child: uuid.UUID
    kind: RequestKind
    details: Note = ""
    requester_name: Annotated[str, Text(150)]
    requester: Requester
    requester_contact: Annotated[str, Text(200)] = ""
    identity_check: IdentityCheck
    identity_note: Annotated[str, Text(300)] = ""
    received_on: Day


@router.post("/privacy/requests", response={201: RequestDetailOut},
             summary="Ghi nhận một yêu cầu về dữ liệu của trẻ")  # one status: the body's
def request_create(request: AuthedRequest, data: RequestIn) -> Any:
    """The deadlines (first reply, request carried out) are set by its kind (Nghị định
    356/2025/NĐ-CP Điều 5)."""
    require(request, Capability.HANDLE_DATA_REQUESTS)
    values = data.dict()
    view = registry.get_child_for_user(user=request.user, child_id=values.pop("child"))
    if view.until is not None:
        raise PermissionDenied
    try:
        return services.request_receive(actor=request.user, child=view.child, **values)
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error


def _read(request: AuthedRequest, request_id: uuid.UUID, *, for_write: bool = False
          ) -> SubjectRequest:
    return selectors.get_request_for_user(user=request.user, request_id=request_id,
                                          for_write=for_write)


@router.get("/privacy/requests/{request_id}", response=RequestDetailOut,
            summary="Một yêu cầu về dữ liệu cá nhân", openapi_extra=VERSIONED_READ)
def request_detail(request: AuthedRequest, request_id: uuid.UUID,
                   response: HttpResponse) -> Any:
    """ETag: the request's version, for If-Match on its writes."""
    require(request, Capability.VIEW_DATA_REQUESTS)
    subject = _read(request, request_id)
    response["ETag"] = etag(subject.version)
    return subject


WRITTEN = {200: RequestDetailOut, 412: ConflictOut, 428: ErrorOut}


def _write(request: AuthedRequest, request_id: uuid.UUID, response: HttpResponse | None,
           act: Any, *, versioned: bool = True) -> Any:
    """One write on a request in scope: the version named in If-Match (for a correction, the
    child's), the service's refusal as 422 (a version moved on: 412 with both values)."""
    require(request, Capability.HANDLE_DATA_REQUESTS)
    subject = _read(request, request_id, for_write=True)
    version = if_match(request) if versioned else None
    try:
        act(subject, version)
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error
    subject.refresh_from_db()
    if response is not None:
        response["ETag"] = etag(subject.version)
    return subject


class RequestFirstReplyIn(Input):
    replied_on: Day


@router.post("/privacy/requests/{request_id}/first-reply", response=WRITTEN,
             summary="Ghi phản hồi lần đầu (trong 02 ngày làm việc)")
def request_first_reply(request: AuthedRequest, request_id: uuid.UUID,
                        data: RequestFirstReplyIn) -> Any:
    return _write(request, request_id, None, lambda r, _version: services.request_first_reply(
        actor=request.user, request=r, replied_on=data.replied_on), versioned=False)


class RequestExtendIn(Input):
    reason: Note


@router.post("/privacy/requests/{request_id}/extension", response=WRITTEN,
             summary="Gia hạn giải quyết một lần, với lý do gửi người yêu cầu",
             openapi_extra=VERSIONED_WRITE)
def request_extend(request: AuthedRequest, request_id: uuid.UUID, data: RequestExtendIn,
                   response: HttpResponse) -> Any:
    """If-Match: the request's ETag."""
    return _write(request, request_id, response, lambda r, version: services.request_extend(
        actor=request.user, request=r, base_version=version, reason=data.reason))


class RequestCorrectionIn(Input):
    field: Annotated[str, Text(20)]
    value: Annotated[str, Text(150)]


def _correction_value(field: str, value: str) -> Any:
    """The value typed, as the register's field takes it."""
    if field == "birth_date":
        try:
            return datetime.date.fromisoformat(value)
        except ValueError as error:
            raise refusal(ValidationError({"value": msg.DAY_FORMAT})) from error
    if field == "ethnicity":
        found = Ethnicity.objects.filter(code=value).first()
        if found is None:
            raise refusal(ValidationError({"value": msg.CHOICE_UNKNOWN}))
        return found
    return value


@router.post("/privacy/requests/{request_id}/corrections", response=WRITTEN,
             summary="Sửa một trường của trẻ theo yêu cầu (qua lịch sử của sổ theo dõi)",
             openapi_extra={"parameters": [IF_MATCH]})
def request_correct(request: AuthedRequest, request_id: uuid.UUID, data: RequestCorrectionIn) -> Any:
    """`field`: full_name, birth_date (YYYY-MM-DD), sex (M/F), personal_id, ethnicity (its
    code). If-Match: the CHILD's ETag (GET /children/{id}): a change saved on the child since
    is a 412 with both values, nothing written."""
    value = _correction_value(data.field, data.value)
    return _write(request, request_id, None, lambda r, version: services.correction_apply(
        actor=request.user, request=r, field=data.field, value=value,
        child_version=version))


class RequestDecisionIn(Input):
    decision: Decision
    refusal_ground: RefusalGround | None = None
    reason: Note = ""


@router.post("/privacy/requests/{request_id}/decision", response=WRITTEN,
             summary="Quyết định (từ chối phải có căn cứ và lý do)",
             openapi_extra=VERSIONED_WRITE)
def request_decide(request: AuthedRequest, request_id: uuid.UUID, data: RequestDecisionIn,
                   response: HttpResponse) -> Any:
    """If-Match: the request's ETag."""
    return _write(request, request_id, response, lambda r, version: services.request_decide(
        actor=request.user, request=r, base_version=version, decision=data.decision,
        refusal_ground=data.refusal_ground or "", reason=data.reason))


class RequestAnswerIn(Input):
    answered_on: Day
    channel: AnswerChannel
    note: Note


@router.post("/privacy/requests/{request_id}/answer", response=WRITTEN,
             summary="Ghi việc trả lời người yêu cầu", openapi_extra=VERSIONED_WRITE)
def request_answer(request: AuthedRequest, request_id: uuid.UUID, data: RequestAnswerIn,
                   response: HttpResponse) -> Any:
    """If-Match: the request's ETag."""
    return _write(request, request_id, response, lambda r, version: services.request_answer(
        actor=request.user, request=r, base_version=version,
        answered_on=data.answered_on, channel=data.channel, note=data.note))


class RequestRestrictIn(Input):
    roles: list[Role] = Field(min_length=1, max_length=len(Role.values))
    reason: Annotated[str, Text(1000, multiline=True)]


@router.post("/privacy/requests/{request_id}/restriction", response=WRITTEN,
             summary="Hạn chế xử lý hồ sơ của trẻ theo yêu cầu đã được đồng ý")
def request_restrict(request: AuthedRequest, request_id: uuid.UUID,
                     data: RequestRestrictIn) -> Any:
    """For a granted request to restrict (or objection): the child's record is then read only
    by users holding one of `roles` over it. 422 when the request is not granted or the record
    is restricted already."""
    return _write(request, request_id, None, lambda r, _version: carrying.request_restrict(
        actor=request.user, request=r, roles=[str(role) for role in data.roles],
        reason=data.reason), versioned=False)


class RequestLiftIn(Input):
    reason: Annotated[str, Text(1000, multiline=True)]


@router.post("/privacy/requests/{request_id}/restriction/lift", response=WRITTEN,
             summary="Bỏ hạn chế xử lý mà yêu cầu này đã đặt")
def request_lift(request: AuthedRequest, request_id: uuid.UUID, data: RequestLiftIn) -> Any:
    return _write(request, request_id, None, lambda r, _version:
                  carrying.request_lift_restriction(actor=request.user, request=r,
                                                    reason=data.reason), versioned=False)


@router.post("/privacy/requests/{request_id}/erasure", response=WRITTEN,
             summary="Xóa dữ liệu cá nhân của trẻ theo yêu cầu xóa đã được đồng ý")
def request_erase(request: AuthedRequest, request_id: uuid.UUID) -> Any:
    """The child's name, personal id, caregivers and notes erased for good; what the indicators
    count is kept. 422 unless the deletion was granted and not yet carried out."""
    return _write(request, request_id, None, lambda r, _version: carrying.request_erase(
        actor=request.user, request=r), versioned=False)


class RequestWithdrawIn(Input):
    consents: list[uuid.UUID] = Field(min_length=1, max_length=200)


@router.post("/privacy/requests/{request_id}/consent-withdrawal", response=WRITTEN,
             summary="Rút lại sự đồng ý của trẻ theo yêu cầu đã được đồng ý")
def request_withdraw(request: AuthedRequest, request_id: uuid.UUID,
                     data: RequestWithdrawIn) -> Any:
    """`consents`: the child's standing consents the requester took back (GET
    /children/{id}/consents); what rested on them is hidden from the day of the request. 422
    unless the withdrawal was granted, or when a consent is not the child's or withdrawn."""
    return _write(request, request_id, None, lambda r, _version:
                  carrying.request_withdraw_consents(
                      actor=request.user, request=r,
                      consent_ids=[str(consent) for consent in data.consents]),
                  versioned=False)


class HoldingsIn(Input):
    cases: list[uuid.UUID] = Field(default_factory=list, max_length=200)


@router.post("/privacy/requests/{request_id}/holdings", response=dict[str, Any],
             summary="Dữ liệu treem đang lưu về trẻ (JSON), cho yêu cầu được biết, được xem")
def request_holdings(request: AuthedRequest, request_id: uuid.UUID, data: HoldingsIn) -> Any:
    """Every field and history row of the child, the cases listed in `cases` (the child's,
    among those the caller may see; none by default) and the access log. Never the reporter
    or another child. Audited as an export."""
    require(request, Capability.HANDLE_DATA_REQUESTS)
    subject = _read(request, request_id, for_write=True)
    cases = list(case_list(user=request.user).filter(child=subject.child,
                                                     public_id__in=data.cases))
    if len(cases) != len(set(data.cases)):
        raise refusal(ValidationError({"cases": str(holdings.UNKNOWN_CASE)}))
    try:
        subject = services.export_recorded(actor=request.user, request=subject,
                                           cases=[str(c.public_id) for c in cases], kind="json")
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error
    return holdings.assemble(request=subject, cases=cases).as_json()

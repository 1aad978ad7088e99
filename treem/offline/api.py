"""The API the offline app speaks (docs/offline.md), under /api/v1/offline/: the same session
or token and the same scope as the rest of treem. Every call but `contact` names the phone in
`X-Treem-Device`; a phone that must wipe itself is answered 410 by any of them."""

import json
import uuid
from typing import Annotated, Any, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.views.decorators.gzip import gzip_page
from ninja import Field, Router, Schema
from ninja.responses import Status

from treem.accounts.authentication import API_AUTH
from treem.accounts.capabilities import Capability
from treem.accounts.http import AuthedRequest
from treem.api_support import ApiError, ErrorOut, Input, Moment, Text, invalid, refusal, require
from treem.offline import decisions, devices, selectors, sync, village
from treem.offline import messages as msg
from treem.offline.models import Device, OperationKind
from treem.offline.results import result_of

router = Router(tags=["offline"], auth=API_AUTH)

DEVICE_HEADER = "X-Treem-Device"
PAYLOAD_MAX = 20_000  # characters of one operation's payload, as JSON
GONE = {410: ErrorOut}


def idle_days() -> int:
    return int(settings.TREEM_OFFLINE_IDLE_DAYS)


class WipeError(ApiError):
    def __init__(self) -> None:
        super().__init__(410, str(msg.WIPE))


def _device(request: AuthedRequest) -> Device:
    """The calling phone, refused 410 when it must wipe itself."""
    raw = request.headers.get(DEVICE_HEADER, "")
    try:
        device_id = uuid.UUID(raw) if raw and len(raw) <= 36 else None
    except ValueError:
        device_id = None
    device = Device.objects.select_related("user").filter(pk=device_id).first() \
        if device_id else None
    if device is not None and device.user_id == request.user.pk and devices.must_wipe(device):
        devices.wiped(device)
        raise WipeError()
    if not devices.is_collaborator(request.user):
        raise ApiError(403, str(msg.NOT_A_COLLABORATOR))
    try:
        return devices.device_of(request.user, device_id)
    except PermissionDenied as denied:
        raise ApiError(403, str(denied)) from denied


class SessionOut(Schema):
    username: str
    full_name: str
    collaborator: bool
    csrf_token: str


@router.get("/offline/session", response=SessionOut, summary="Ai đang đăng nhập (ứng dụng "
            "không có mạng)")
def offline_session(request: AuthedRequest) -> Any:
    """The app asks it first: the signed-in user, whether it is a village collaborator, and
    the CSRF token its writes through the session send in `X-CSRFToken`."""
    user = request.user
    return {"username": user.get_username(), "full_name": user.full_name,
            "collaborator": devices.is_collaborator(user), "csrf_token": get_token(request)}


class EnrolIn(Input):
    id: uuid.UUID
    label: Annotated[str, Text(100)] = ""


class EnrolOut(Schema):
    id: uuid.UUID
    secret: str
    salt: str
    idle_days: int


@router.post("/offline/devices", response={201: EnrolOut, 403: ErrorOut, 422: ErrorOut},
             summary="Đăng ký máy của cộng tác viên")
def offline_device_enrol(request: AuthedRequest, data: EnrolIn) -> Any:
    """`secret` is shown once: the phone keeps it to ask `contact` whether it must wipe itself;
    `salt` is the salt of the key it derives from the password (PBKDF2-SHA-256)."""
    try:
        device, secret = devices.device_enrol(user=request.user, device_id=data.id,
                                              label=data.label)
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error
    return Status(201, {"id": device.pk, "secret": secret, "salt": device.salt,
                        "idle_days": idle_days()})


@router.get("/offline/village", response={200: dict[str, Any], 403: ErrorOut, 410: ErrorOut},
            summary="Dữ liệu thôn, bản để làm việc không có mạng")
def offline_village(request: AuthedRequest) -> Any:
    """The villages the collaborator holds today, their households and children (only what
    the role reads), the closed lists of the forms and the phone's operations still waiting
    (docs/offline.md). Compressed when the phone accepts gzip; audited as an export."""
    device = _device(request)
    body = village.village_download(user=request.user, device=device, idle_days=idle_days())
    return _gzipped(request, body)


def _gzipped(request: HttpRequest, body: dict[str, Any]) -> HttpResponse:
    # JSON without a secret of the session in it: compressing it is safe (no BREACH).
    response = HttpResponse(json.dumps(body, ensure_ascii=False, separators=(",", ":")),
                            content_type="application/json")
    response["Cache-Control"] = "no-store"
    return gzip_page(lambda _request: response)(request)


class OperationIn(Input):
    id: uuid.UUID
    kind: OperationKind
    recorded_at: Moment
    payload: dict[str, Any] = Field(default_factory=dict)


class SyncIn(Input):
    operations: Annotated[list[OperationIn], Field(max_length=sync.MAX_OPERATIONS)]


class SyncOut(Schema):
    results: list[dict[str, Any]]


@router.post("/offline/sync", response={200: SyncOut, 403: ErrorOut, 410: ErrorOut,
                                         422: ErrorOut},
             summary="Gửi các thao tác đã ghi khi không có mạng")
def offline_sync(request: AuthedRequest, data: SyncIn) -> Any:
    """Applied in order, each exactly once (its `id`, made by the phone, is the key: a retry
    answers the first result). Each result: applied, conflict (both values, who and when),
    held, or invalid (messages per field); nothing is dropped."""
    device = _device(request)
    for index, operation in enumerate(data.operations):
        _check_payload(operation.payload, f"operations.{index}.payload")
    incoming = [sync.Incoming(id=op.id, kind=op.kind, recorded_at=op.recorded_at,
                              payload=op.payload) for op in data.operations]
    return {"results": sync.sync(user=request.user, device=device, operations=incoming)}


def _check_payload(payload: dict[str, Any], field: str) -> None:
    """A payload is kept as the phone sent it: plain JSON (no NaN or Infinity, which a
    browser's JSON never writes) of a bounded size."""
    try:
        text = json.dumps(payload, allow_nan=False)
    except ValueError:
        raise invalid(field, msg.PAYLOAD_NOT_JSON) from None
    if len(text) > PAYLOAD_MAX:
        raise invalid(field, msg.PAYLOAD_TOO_LARGE)


class OperationDecisionIn(Input):
    fields: dict[Annotated[str, Text(40)], Literal["mine", "theirs"]] | None = None
    payload: dict[str, Any] | None = None
    dismiss: bool = False
    reason: Annotated[str, Text(decisions.REASON_MAX)] = ""


@router.post("/offline/operations/{operation_id}/decision",
             response={200: dict[str, Any], 403: ErrorOut, 404: ErrorOut, 410: ErrorOut,
                       422: ErrorOut},
             summary="Quyết định về một thao tác đang chờ")
def offline_decision(request: AuthedRequest, operation_id: uuid.UUID, data: OperationDecisionIn) -> Any:
    """One of: `fields` (a conflict: for each field `mine` or `theirs`), `payload` (an invalid
    operation corrected and sent again under its id), `dismiss` with a `reason`. The
    collaborator who sent it, or an officer who keeps the register of its commune."""
    require(request, Capability.MANAGE_CHILDREN)
    operation = selectors.get_operation_for_user(user=request.user, operation_id=operation_id)
    try:
        if data.dismiss:
            decisions.operation_dismiss(actor=request.user, operation=operation,
                                        reason=data.reason)
        elif data.fields is not None:
            decisions.conflict_decide(actor=request.user, operation=operation,
                                      fields=data.fields)
        elif data.payload is not None:
            _check_payload(data.payload, "payload")
            decisions.operation_correct(actor=request.user, operation=operation,
                                        payload=data.payload)
        else:
            raise invalid("fields", msg.CHOICE_REQUIRED)
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error
    operation.refresh_from_db()
    return result_of(operation, record=sync.record_of(operation))


class ContactIn(Input):
    device: uuid.UUID
    secret: Annotated[str, Text(100)]


class ContactOut(Schema):
    wipe: bool


@router.post("/offline/contact", response={200: ContactOut, 422: ErrorOut}, auth=None,
             summary="Máy có phải xóa dữ liệu không")
def offline_contact(request: HttpRequest, data: ContactIn) -> Any:
    """No session needed (a deactivated account has none): the phone proves itself with the
    secret it got at enrolment. `wipe`: delete everything of treem on the phone now."""
    return {"wipe": devices.contact(device_id=data.device, secret=data.secret)}

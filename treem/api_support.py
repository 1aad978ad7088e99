"""What every API operation does the same way: check the caller's capability (403), turn a
service's refusal into an HTTP error with its Vietnamese message, and carry a record's version
(ETag on a read, If-Match on a write)."""

import datetime
import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _
from ninja import Schema
from ninja.errors import HttpError

from treem.accounts.permissions import has_capability
from treem.edits.conflicts import EditConflict

# A multipart body Django cannot parse (no boundary, an empty or non-ASCII one): the client's
# mistake, answered 400 on the pages (treem.web.views.bad_request_view) and the API alike.
MALFORMED_UPLOAD = gettext_lazy(
    "Dữ liệu tải lên không đúng dạng multipart/form-data (thiếu hoặc sai “boundary”). Hãy chọn "
    "lại tệp rồi gửi lại; chương trình gọi API hãy để thư viện HTTP tự đặt tiêu đề "
    "Content-Type cho biểu mẫu có tệp.")


def require(request: HttpRequest, capability: str) -> None:
    if not has_capability(request.user, capability):
        raise HttpError(403, "Forbidden")


def refusal(error: ValidationError | PermissionDenied) -> HttpError:
    """422 with the messages (each prefixed by its field, if any); 403 for a refused scope."""
    if isinstance(error, PermissionDenied):
        return HttpError(403, str(error) or "Forbidden")
    if hasattr(error, "error_dict"):
        detail = "; ".join(f"{field}: {' '.join(str(m) for m in messages)}"
                           for field, messages in error.message_dict.items())
    else:
        detail = " ".join(error.messages)
    return HttpError(422, detail)


# --- Versions: ETag on a read, If-Match on a write (`treem.edits.conflicts`) ------------------------
#
# RFC 9110: the ETag of a versioned record is its version as a strong entity tag ("7"); a write
# must name the version it was read at in If-Match. A write without it is refused with 428
# (RFC 6585), one naming another version with 412 Precondition Failed, listing the fields
# the write would undo with both values. `If-Match: *` writes whatever the version (a client
# that means to overwrite says so).

IF_MATCH_MISSING = _("Hãy gửi tiêu đề If-Match với ETag nhận được khi đọc bản ghi (GET), để "
                     "không ghi đè những thay đổi người khác đã lưu sau đó.")
NO_VERSION = 0  # an If-Match naming no version of ours: every changed field is compared
_TAG = re.compile(r'\s*(W/)?"([\x21\x23-\x7e]*)"\s*')  # RFC 9110 §8.8.3 entity-tag

ETAG_HEADER = {"ETag": {"description": "Phiên bản của bản ghi, gửi lại trong If-Match khi ghi.",
                        "schema": {"type": "string"}}}
IF_MATCH = {
    "name": "If-Match", "in": "header", "required": True, "schema": {"type": "string"},
    "description": "ETag của bản ghi khi đọc (GET), ví dụ \"3\"; hoặc * để ghi bất kể phiên "
                   "bản. Thiếu: 428. Bản ghi đã được sửa từ phiên bản đó: 412, kèm các trường "
                   "xung đột với giá trị của bạn và giá trị đã lưu; không ghi gì."}
VERSIONED_READ: dict[str, Any] = {"responses": {"200": {"headers": ETAG_HEADER}}}
VERSIONED_WRITE: dict[str, Any] = {"parameters": [IF_MATCH],
                                   "responses": {"200": {"headers": ETAG_HEADER}}}


class Detail(Schema):
    detail: str


class FieldConflictOut(Schema):
    field: str
    label: str
    mine: Any
    theirs: Any
    saved_by: str
    saved_at: datetime.datetime | None


class ConflictOut(Schema):
    """412: the record was changed since the version named; nothing was written."""

    detail: str
    version: int
    conflicts: list[FieldConflictOut]


def etag(version: int) -> str:
    return f'"{version}"'


def if_match(request: HttpRequest) -> int | None:
    """The version a write names in If-Match: None for "*" (no precondition), NO_VERSION for
    tags that name none (weak, not a number, several). 428 without the header."""
    header = request.headers.get("If-Match")
    if header is None or not header.strip():
        raise HttpError(428, str(IF_MATCH_MISSING))
    if header.strip() == "*":
        return None
    parsed = _TAG.fullmatch(header)
    if parsed is None:
        return NO_VERSION  # not one entity tag (several, or malformed): names no version
    weak, value = parsed.group(1, 2)
    if weak or not value.isdigit():
        return NO_VERSION  # a weak tag never matches (strong comparison, RFC 9110 §13.1.1)
    return int(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, models.Model):
        return getattr(value, "code", None) or str(getattr(value, "public_id", value.pk))
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    return value


def conflict_body(conflict: EditConflict) -> dict[str, Any]:
    return {"detail": conflict.message, "version": conflict.version, "conflicts": [
        {"field": c.field, "label": c.label, "mine": _json_value(c.mine),
         "theirs": _json_value(c.theirs), "saved_by": c.saved_by,
         "saved_at": c.saved_at.isoformat() if c.saved_at else None}
        for c in conflict.conflicts]}

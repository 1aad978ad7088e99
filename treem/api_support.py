"""The API's contract, in one place: what every operation does the same way.

- Input: schemas that refuse what they do not describe (`Input`: an object with the fields it
  names, nothing else) and field types holding every value to a bound before any work is done
  on it (`Text`, `Day`, `Moment`, `BodyInt`, `QueryInt`, `QueryBool`…): a length, a range, a
  pattern, no control character. The OpenAPI document states each bound, so that a client (and
  schemathesis) knows what is accepted before sending it.
- Errors: one shape for every error answer, the framework's own included (`ErrorOut`:
  `{"detail": …, "code": …, "errors": [{"loc", "msg", "type"}]}`), in Vietnamese, with each
  field's problem at its location; documented on every operation.
- Scope: 404 for what is not found or not the caller's (raised by the selectors), 403 for a
  role without the capability (`require`), 422 for input the services refuse (`refusal`).
- Pagination: bounded page numbers (`Page`).
"""

import datetime
import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any

import annotated_types
from annotated_types import GroupedMetadata
from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext_lazy as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaError
from ninja.pagination import PageNumberPagination
from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    GetJsonSchemaHandler,
    Strict,
    StringConstraints,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from treem.edits.conflicts import EditConflict
from treem.lib.limits import FREE_TEXT_MAX, MAX_PAGE, forbidden_character

# --- Messages -----------------------------------------------------------------------------------

UNAUTHORIZED = _("Chưa xác thực: hãy gửi khóa API (Authorization: Bearer <khóa>) hoặc đăng nhập.")
FORBIDDEN = _("Vai trò của bạn không được làm thao tác này.")
NOT_FOUND = _("Không tìm thấy (không có, hoặc nằm ngoài phạm vi của bạn).")
METHOD_NOT_ALLOWED = _("Địa chỉ này không nhận phương thức %(method)s.")
CONFLICT = _("Yêu cầu xung đột với trạng thái hiện tại.")
INVALID = _("Dữ liệu không hợp lệ.")
BAD_REQUEST = _("Yêu cầu không đọc được.")
BODY_NOT_JSON = _("Nội dung yêu cầu không phải JSON hợp lệ.")
# A multipart body Django cannot parse (no boundary, an empty or non-ASCII one): the client's
# mistake, answered 400 on the pages (treem.web.views.bad_request_view) and the API alike.
MALFORMED_UPLOAD = _(
    "Dữ liệu tải lên không đúng dạng multipart/form-data (thiếu hoặc sai “boundary”). Hãy chọn "
    "lại tệp rồi gửi lại; chương trình gọi API hãy để thư viện HTTP tự đặt tiêu đề "
    "Content-Type cho biểu mẫu có tệp.")
TOO_LARGE = _("Nội dung yêu cầu quá lớn (tối đa %(limit)s MB).")
SERVER_ERROR = _("Lỗi hệ thống. Vui lòng thử lại sau.")
NO_BODY_EXPECTED = _("Thao tác này không nhận nội dung (body).")
CSRF_FAILED = _("Yêu cầu ghi bằng phiên đăng nhập của trình duyệt cần mã CSRF (hoặc hãy dùng "
                "khóa API).")

# The stable machine-readable code of each error status.
CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
         405: "method_not_allowed", 409: "conflict", 412: "precondition_failed",
         413: "too_large", 414: "uri_too_long", 422: "invalid", 428: "precondition_required",
         410: "gone", 429: "throttled", 500: "server_error"}
DEFAULT_DETAIL = {400: BAD_REQUEST, 401: UNAUTHORIZED, 403: FORBIDDEN, 404: NOT_FOUND,
                  409: CONFLICT, 413: TOO_LARGE, 422: INVALID, 500: SERVER_ERROR}


# --- The error shape -------------------------------------------------------------------------------

class FieldErrorOut(Schema):
    loc: list[str | int] = Field(description="Where: body, query or path, then the field's name.")
    msg: str = Field(description="What is wrong, in Vietnamese.")
    type: str = Field(description="A stable code of the kind of error (missing, too_long…).")


class ErrorOut(Schema):
    """Every error answer of the API has this shape."""

    detail: str = Field(description="One sentence for a person, in Vietnamese.")
    code: str = Field(description="A stable code of the error: invalid, not_found, forbidden, "
                                  "unauthorized, conflict, too_large, bad_request…")
    errors: list[FieldErrorOut] = Field(default_factory=list,
                                        description="Each field's problem (422).")


def upload_limit_mb() -> str:
    return f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024):g}"


def error_body(status: int, detail: str | None = None,
               errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    if detail is None:
        detail = str(DEFAULT_DETAIL.get(status, BAD_REQUEST))
        if status == 413:
            detail = detail % {"limit": upload_limit_mb()}
    return {"detail": detail, "code": CODES.get(status, "error"), "errors": errors or []}


class ApiError(HttpError):
    """An error answer with its fields' problems: 422 `errors` at their locations."""

    def __init__(self, status_code: int, message: str,
                 errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(status_code, message)
        self.errors = errors or []


def invalid(field: str, message: Any, *, where: str = "body") -> ApiError:
    """422 for one field (`field: message`), as the services' refusals read."""
    return ApiError(422, f"{field}: {message}",
                    [{"loc": [where, field], "msg": str(message), "type": "invalid"}])


def not_found() -> ApiError:
    return ApiError(404, str(NOT_FOUND))


# --- Capabilities and the services' refusals -------------------------------------------------

def require(request: HttpRequest, capability: str) -> None:
    """403 unless one of the caller's roles grants `capability`."""
    # The caller's own method (treem.accounts' User): this layer lies below the accounts.
    user: Any = request.user
    if not (getattr(user, "is_authenticated", False) and user.has_capability(capability)):
        raise ApiError(403, str(FORBIDDEN))


def refusal(error: ValidationError | PermissionDenied) -> HttpError:
    """A service's refusal: 422 with its messages (each prefixed by its field, if any), or 403
    when the caller may see the object but not act on it."""
    if isinstance(error, PermissionDenied):
        return ApiError(403, str(error) or str(FORBIDDEN))
    if hasattr(error, "error_dict"):
        items = [(field, " ".join(str(m) for m in messages))
                 for field, messages in error.message_dict.items()]
        detail = "; ".join(f"{field}: {text}" for field, text in items)
        errors = [{"loc": ["body", field] if field != "__all__" else ["body"], "msg": text,
                   "type": "invalid"} for field, text in items]
        return ApiError(422, detail, errors)
    detail = " ".join(error.messages)
    return ApiError(422, detail, [{"loc": ["body"], "msg": detail, "type": "invalid"}])


# --- The framework's validation errors, in Vietnamese ----------------------------------------

# pydantic's error types → a Vietnamese message; ctx values fill the placeholders.
SCHEMA_MESSAGES: dict[str, Any] = {
    "missing": _("Thiếu giá trị bắt buộc."),
    "extra_forbidden": _("Trường này không có trong mô tả của thao tác."),
    "string_type": _("Phải là một chuỗi ký tự."),
    "string_unicode": _("Chuỗi chứa ký tự Unicode không hợp lệ."),
    "string_too_long": _("Dài tối đa %(max_length)s ký tự."),
    "string_too_short": _("Cần ít nhất %(min_length)s ký tự."),
    "control_character": _("Không được chứa ký tự điều khiển (như NUL, mã U+%(code)s)."),
    "format": _("Không đúng định dạng: %(expected)s."),
    "int_type": _("Phải là một số nguyên."),
    "int_parsing": _("Phải là một số nguyên."),
    "int_from_float": _("Phải là một số nguyên."),
    "int_parsing_size": _("Số quá lớn."),
    "greater_than_equal": _("Phải lớn hơn hoặc bằng %(ge)s."),
    "greater_than": _("Phải lớn hơn %(gt)s."),
    "less_than_equal": _("Phải nhỏ hơn hoặc bằng %(le)s."),
    "less_than": _("Phải nhỏ hơn %(lt)s."),
    "decimal_type": _("Phải là một số."),
    "decimal_parsing": _("Phải là một số."),
    "decimal_max_digits": _("Tối đa %(max_digits)s chữ số."),
    "decimal_max_places": _("Tối đa %(decimal_places)s chữ số thập phân."),
    "decimal_whole_digits": _("Phần nguyên tối đa %(whole_digits)s chữ số."),
    "finite_number": _("Phải là một số hữu hạn."),
    "float_type": _("Phải là một số."),
    "float_parsing": _("Phải là một số."),
    "bool_type": _("Phải là true hoặc false."),
    "bool_parsing": _("Phải là true hoặc false."),
    "date_type": _("Phải là một ngày dạng YYYY-MM-DD."),
    "date_parsing": _("Phải là một ngày dạng YYYY-MM-DD."),
    "date_from_datetime_parsing": _("Phải là một ngày dạng YYYY-MM-DD."),
    "datetime_type": _("Phải là thời điểm dạng YYYY-MM-DDTHH:MM:SS+07:00."),
    "datetime_parsing": _("Phải là thời điểm dạng YYYY-MM-DDTHH:MM:SS+07:00."),
    "datetime_from_date_parsing": _("Phải là thời điểm dạng YYYY-MM-DDTHH:MM:SS+07:00."),
    "timezone_aware": _("Thời điểm phải có múi giờ (ví dụ +07:00)."),
    "uuid_type": _("Phải là một mã định danh (UUID)."),
    "uuid_parsing": _("Phải là một mã định danh (UUID)."),
    "enum": _("Phải là một trong: %(expected)s."),
    "literal_error": _("Phải là một trong: %(expected)s."),
    "model_type": _("Phải là một đối tượng JSON."),
    "model_attributes_type": _("Phải là một đối tượng JSON."),
    "dict_type": _("Phải là một đối tượng JSON."),
    "list_type": _("Phải là một danh sách."),
    "too_long": _("Tối đa %(max_length)s phần tử."),
    "too_short": _("Cần ít nhất %(min_length)s phần tử."),
    "none_required": _("Phải để trống (null)."),
    "value_error": _("Giá trị không hợp lệ: %(error)s"),
}
UNKNOWN_PROBLEM = _("Giá trị không hợp lệ.")


def _message(error: dict[str, Any]) -> str:
    template = SCHEMA_MESSAGES.get(error.get("type", ""), UNKNOWN_PROBLEM)
    # pydantic lists the choices of an enum as "'m' or 'f'".
    ctx = {key: str(value).replace("' or '", "' hoặc '")
           for key, value in (error.get("ctx") or {}).items()}
    try:
        return str(template) % ctx if "%(" in str(template) else str(template)
    except (KeyError, ValueError):
        return str(UNKNOWN_PROBLEM)


def _location(loc: Any) -> list[str | int]:
    """("body", "data", "full_name") → ["body", "full_name"]: ninja wraps a body in the view
    argument's name, which a client never sees."""
    parts = [p for p in loc if isinstance(p, (str, int))]
    if len(parts) >= 2 and parts[0] == "body" and parts[1] == "data":
        parts = [parts[0], *parts[2:]]
    # pydantic names the branch of a union it tried ("literal['']", "enum[Place]"): no field.
    return [p for p in parts if not (isinstance(p, str) and "[" in p)]


def schema_errors(errors: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """pydantic's errors as (detail, errors) in Vietnamese: "full_name: Dài tối đa 150 ký tự."."""
    found: list[dict[str, Any]] = []
    for error in errors:
        loc = _location(error.get("loc", ()))
        found.append({"loc": loc, "msg": _message(error), "type": error.get("type", "invalid")})
    lines = []
    for item in found:
        field = ".".join(str(p) for p in item["loc"][1:])
        lines.append(f"{field}: {item['msg']}" if field else item["msg"])
    return "; ".join(dict.fromkeys(lines)), found


# --- Field types -------------------------------------------------------------------------------

def _fail(kind: str, expected: Any = "", **ctx: Any) -> PydanticCustomError:
    return PydanticCustomError(kind, "{expected}", {"expected": str(expected), **ctx})


def _printable(*, multiline: bool) -> Callable[[str], str]:
    def check(value: str) -> str:
        bad = forbidden_character(value, multiline=multiline)
        if bad is not None:
            raise PydanticCustomError("control_character", "control character U+{code}",
                                      {"code": f"{ord(bad):04X}"})
        return value
    return check


_check_line, _check_text = _printable(multiline=False), _printable(multiline=True)
# The same rule as a JSON Schema pattern, so that a client (and a generator of test data) knows
# it before sending: no C0/C1 control character (free text keeps tabs and line breaks).
LINE_PATTERN = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"
TEXT_PATTERN = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$"


@dataclass(frozen=True)
class _JsonSchemaExtra:
    """Adds keys to a field's JSON Schema (what a validator checks, said in the document)."""

    extra: tuple[tuple[str, Any], ...]

    def __get_pydantic_json_schema__(self, schema: core_schema.CoreSchema,
                                     handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        found = handler(schema)
        found.update(dict(self.extra))
        return found


@dataclass(frozen=True)
class Text(GroupedMetadata):
    """A string of at most `max_length` characters (checked before anything reads it) with no
    control character; `multiline` free text keeps its tabs and line breaks.
    Use as `Annotated[str, Text(150)]`."""

    max_length: int
    min_length: int = 0
    multiline: bool = False

    def __iter__(self) -> Iterator[Any]:  # type: ignore[override]
        yield StringConstraints(min_length=self.min_length or None, max_length=self.max_length)
        yield AfterValidator(_check_text if self.multiline else _check_line)
        yield _JsonSchemaExtra((("pattern", TEXT_PATTERN if self.multiline else LINE_PATTERN),))


def model_text(model: Any, field: str) -> Text:
    """The bound of a model's text field: its column's length, or FREE_TEXT_MAX (with line
    breaks) for free text with no column limit. Read from the model, so the two never drift."""
    max_length = model._meta.get_field(field).max_length
    if max_length is None:
        return Text(FREE_TEXT_MAX, multiline=True)
    return Text(max_length)


@dataclass(frozen=True)
class Matching(GroupedMetadata):
    """A string matching `pattern` (anchored), at most `max_length` long; `example` is what the
    Vietnamese message shows of the expected form."""

    pattern: str
    example: str
    max_length: int = 64

    def __iter__(self) -> Iterator[Any]:  # type: ignore[override]
        compiled = re.compile(self.pattern)
        example = self.example

        def check(value: str) -> str:
            if not compiled.fullmatch(value):
                raise _fail("format", example)
            return value

        yield StringConstraints(max_length=self.max_length)
        yield AfterValidator(check)
        yield _JsonSchemaExtra((("pattern", self.pattern),))


# Days between 1900-01-01 and 2199-12-31 (treem.lib.limits), written YYYY-MM-DD, nothing else:
# pydantic alone would read 0 as 1970-01-01 and 0001-01-01 as a day to shift across time zones.
_YEAR = "(19|20|21)[0-9]{2}"
_LEAP_YEAR = "(19|20|21)(0[48]|[2468][048]|[13579][26])|2000"
_MONTH_DAY = ("((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)"
              "|(0[13578]|1[02])-31)")
DAY_PATTERN = f"^({_YEAR}-{_MONTH_DAY}|({_LEAP_YEAR})-02-29)$"
_CLOCK = "([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,6})?)?"
_OFFSET = "(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])"
MOMENT_PATTERN = f"^({_YEAR}-{_MONTH_DAY}|({_LEAP_YEAR})-02-29)T{_CLOCK}{_OFFSET}$"
_DAY = re.compile(DAY_PATTERN)
_MOMENT = re.compile(MOMENT_PATTERN)
DAY_EXAMPLE = "YYYY-MM-DD, năm 1900–2199"
MOMENT_EXAMPLE = "YYYY-MM-DDTHH:MM:SS+07:00, năm 1900–2199"


DAY_LENGTH, MOMENT_LENGTH = 10, 32  # 2026-03-02, 2026-03-02T09:30:00.123456+07:00


def _day(value: Any) -> Any:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str) and len(value) <= DAY_LENGTH and _DAY.fullmatch(value):
        return value
    raise _fail("format", DAY_EXAMPLE)


def _moment(value: Any) -> Any:
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value
    if isinstance(value, str) and len(value) <= MOMENT_LENGTH and _MOMENT.fullmatch(value):
        return value
    raise _fail("format", MOMENT_EXAMPLE)


Day = Annotated[datetime.date, BeforeValidator(_day),
                _JsonSchemaExtra((("pattern", DAY_PATTERN), ("maxLength", DAY_LENGTH)))]
Moment = Annotated[datetime.datetime, BeforeValidator(_moment),
                   _JsonSchemaExtra((("pattern", MOMENT_PATTERN),
                                     ("maxLength", MOMENT_LENGTH)))]

# A query string carries text: an integer is written in digits, a boolean true or false (as
# OpenAPI serialises them), nothing pydantic would also read ("1.0", "yes", " 7").
_INTEGER = re.compile(r"-?[0-9]{1,18}")
_DIGITS = re.compile(r"-?[0-9]+")


def _query_int(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _INTEGER.fullmatch(value):
        return int(value)
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        raise _fail("int_parsing_size")  # an integer, past any bound: "too large", not "not one"
    raise _fail("int_parsing")


def _query_bool(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise _fail("bool_parsing")


QueryBool = Annotated[bool, BeforeValidator(_query_bool)]
# A JSON body's boolean is true or false, never "yes" or 1.
BodyBool = Annotated[bool, Strict()]


@dataclass(frozen=True)
class Whole(GroupedMetadata):
    """An integer from `ge` to `le`. In a JSON body a number without fraction (never "7", 7.0
    or true); in a query string (`query=True`) digits only. Use as
    `Annotated[int, Whole(1, 365)]`."""

    ge: int
    le: int
    query: bool = False

    def __iter__(self) -> Iterator[Any]:  # type: ignore[override]
        # The bounds first: they belong to the integer (and its JSON Schema's minimum and
        # maximum); the text of a query string is read into it before.
        yield annotated_types.Ge(self.ge)
        yield annotated_types.Le(self.le)
        yield BeforeValidator(_query_int) if self.query else Strict()


class Input(Schema):
    """A request's body or query: an object with the fields it names and nothing else.

    ninja's Schema reads any object through its attributes (to serialise models), so a body
    `"AAA"` or `[null, null]` was read as every field left to its default: a search for
    everything, a dismissal with no note. Inputs are JSON objects, checked as written."""

    model_config = ConfigDict(extra="forbid", from_attributes=False)

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values: Any, handler: Callable[[Any], Any],
                            info: Any) -> Any:
        return handler(values)


# --- Pagination -------------------------------------------------------------------------------

class Page(PageNumberPagination):
    """ninja's page numbers, bounded: a page past MAX_PAGE is refused (422) instead of becoming
    an offset past what the database's integers hold."""

    class Input(Schema):
        page: Annotated[int, Whole(1, MAX_PAGE, query=True)] = 1
        # Absent: the operation's own page size.
        page_size: Annotated[int, Whole(1, 100, query=True)] | None = None


# --- The API ------------------------------------------------------------------------------------

BODY_SOURCES = ("body", "form", "file")


def _expects_body(view_func: Callable[..., Any]) -> bool:
    operation = getattr(view_func, "_ninja_operation", None)
    models = getattr(operation, "models", [])
    return any(getattr(m, "__ninja_param_source__", None) in BODY_SOURCES for m in models)


# What a client sends when it means no body at all.
EMPTY_BODIES = (b"", b"{}", b"null")


def _empty_form(request: HttpRequest) -> bool:
    """A form with no field and no file (what a browser or a client library sends for a POST
    with nothing to say) is no body either."""
    return (request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded")
            and not request.POST and not request.FILES)


def refuse_unexpected_body(view_func: Callable[..., Any]) -> Callable[..., Any]:
    """An operation that takes no body refuses one (after authentication and validation,
    before it acts): a client that sends one means something the operation would not do."""
    if _expects_body(view_func):
        return view_func

    @functools.wraps(view_func)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.body.strip() not in EMPTY_BODIES and not _empty_form(request):
            raise ApiError(422, str(NO_BODY_EXPECTED),
                           [{"loc": ["body"], "msg": str(NO_BODY_EXPECTED),
                             "type": "extra_forbidden"}])
        return view_func(request, *args, **kwargs)

    return checked


def _error_ref() -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}


RESPONSE_TEXT = {
    400: "Yêu cầu không đọc được (JSON hay multipart hỏng).",
    401: "Chưa xác thực (thiếu khóa API hoặc khóa không còn hiệu lực).",
    403: "Vai trò không được làm thao tác này, hoặc được xem nhưng không được sửa.",
    404: "Không có, hoặc nằm ngoài phạm vi của người gọi (hai trường hợp trả lời như nhau).",
    409: "Xung đột với trạng thái hiện tại.",
    412: "Bản ghi đã được sửa từ phiên bản nêu trong If-Match: không ghi gì; `conflicts` nêu "
         "từng trường với giá trị của bạn và giá trị đã lưu.",
    413: "Nội dung yêu cầu quá lớn.",
    422: "Dữ liệu không hợp lệ: `errors` nói từng trường sai ở đâu.",
    428: "Thiếu tiêu đề If-Match (ETag nhận được khi đọc bản ghi).",
}


def document(*statuses: int) -> dict[str, Any]:
    """`openapi_extra` documenting error answers of an operation beyond the usual ones."""
    return {"responses": {status: {"description": RESPONSE_TEXT[status],
                                   "content": _error_ref()} for status in statuses}}


class TreemApi(NinjaAPI):
    """NinjaAPI with treem's contract: errors in one Vietnamese shape, each operation named
    by its function and documented with the errors it may answer."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for exc_class, handler in (
                (SchemaError, self._invalid), (ApiError, self._http_error),
                (HttpError, self._http_error), (AuthenticationError, self._unauthorized),
                (Http404, self._not_found), (PermissionDenied, self._forbidden),
                (ValidationError, self._refused), (RequestDataTooBig, self._too_large),
                (MultiPartParserError, self._multipart), (EditConflict, self._stale)):
            self.add_exception_handler(exc_class, handler)  # type: ignore[arg-type]
        self.add_decorator(refuse_unexpected_body, mode="operation")

    def validation_error_from_error_contexts(self, error_contexts: list[Any]) -> SchemaError:
        """ninja's, with the names pydantic gives the branches of a union it tried
        ("enum[Sex]", "literal['']") taken out of each location first: ninja maps a query
        parameter's location back to its name only when the location is the field's own."""
        errors: list[dict[str, Any]] = []
        for context in error_contexts:
            model = context.model
            for error in context.pydantic_validation_error.errors(include_url=False):
                loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and "[" in p))
                loc = model.__ninja_flatten_map_reverse__.get(loc, loc)
                ctx = {key: str(value) if isinstance(value, Exception) else value
                       for key, value in (error.get("ctx") or {}).items()}
                errors.append({"type": error["type"], "loc": (model.__ninja_param_source__, *loc),
                               "msg": error["msg"], "ctx": ctx})
        return SchemaError(errors)

    def error(self, request: HttpRequest, status: int, detail: str | None = None,
              errors: list[dict[str, Any]] | None = None) -> HttpResponse:
        return self.create_response(request, error_body(status, detail, errors), status=status)

    def _invalid(self, request: HttpRequest, exc: SchemaError) -> HttpResponse:
        detail, errors = schema_errors(exc.errors)
        return self.error(request, 422, detail, errors)

    def _http_error(self, request: HttpRequest, exc: HttpError) -> HttpResponse:
        message = str(exc)
        if exc.status_code == 400 and message.startswith("Cannot parse request body"):
            message = str(BODY_NOT_JSON)
        elif message == "CSRF check Failed":  # ninja's, for a session without its token
            message = str(CSRF_FAILED)
        elif message in ("Not Found", "Forbidden", "Unauthorized", ""):
            message = str(DEFAULT_DETAIL.get(exc.status_code, message))
        return self.error(request, exc.status_code, message, getattr(exc, "errors", None))

    def _unauthorized(self, request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = self._http_error(request, exc)
        response["WWW-Authenticate"] = 'Bearer realm="treem"'
        return response

    def _not_found(self, request: HttpRequest, exc: Http404) -> HttpResponse:
        # The same answer for "does not exist" and "not yours": nothing to learn by guessing.
        return self.error(request, 404)

    def _forbidden(self, request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return self.error(request, 403, str(exc) or None)

    def _refused(self, request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return self._http_error(request, refusal(exc))

    def _too_large(self, request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return self.error(request, 413)

    def _multipart(self, request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
        return self.error(request, 400, str(MALFORMED_UPLOAD))

    def _stale(self, request: HttpRequest, exc: EditConflict) -> HttpResponse:
        """A write naming a version the record has left (If-Match): 412, nothing written, the
        fields it would undo with both values, and the version now current as ETag."""
        response = self.create_response(request, conflict_body(exc), status=412)
        if exc.version is not None:  # every record the API writes has a version
            response["ETag"] = etag(exc.version)
        return response

    def get_openapi_operation_id(self, operation: Any) -> str:
        return str(operation.view_func.__name__)

    def get_openapi_schema(self, *, path_prefix: str | None = None,
                           path_params: dict[str, Any] | None = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schemas = schema["components"]["schemas"]
        found = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(found.pop("$defs", {}))
        schemas["ErrorOut"] = found
        for methods in schema["paths"].values():
            for method, operation in methods.items():
                for parameter in operation.get("parameters", []):
                    _no_null_in_query(parameter)
                responses = operation["responses"]
                for status in _error_statuses(method, operation):
                    responses.setdefault(status, {"description": RESPONSE_TEXT[status],
                                                  "content": _error_ref()})
        return schema


def _no_null_in_query(parameter: dict[str, Any]) -> None:
    """A query string cannot carry a null: an optional parameter is left out instead. pydantic
    describes `X | None` as anyOf X or null; the document says X."""
    schema = parameter.get("schema", {})
    branches = schema.get("anyOf")
    if parameter.get("in") != "query" or not branches:
        return
    kept = [branch for branch in branches if branch.get("type") != "null"]
    if len(kept) == 1:
        del schema["anyOf"]
        schema.update(kept[0])
    else:
        schema["anyOf"] = kept


def _error_statuses(method: str, operation: dict[str, Any]) -> list[int]:
    """The errors any operation may answer: 400 and 413 (a body or query it cannot read),
    422 (input it refuses), and with authentication 401, 403, 404 (what is not the caller's
    is not found); 409 on writes."""
    statuses = [400, 413, 422]  # 422 also to a body sent where none is taken
    if operation.get("security"):
        statuses += [401, 403, 404]
        if method != "get":
            statuses.append(409)
    return statuses


def schema_error_message(error_type: str, **ctx: Any) -> str:
    """The Vietnamese message of a pydantic error type (for tests and documentation)."""
    return _message({"type": error_type, "ctx": ctx})



# --- Versions: ETag on a read, If-Match on a write (`treem.edits.conflicts`) ------------------------
#
# RFC 9110: the ETag of a versioned record is its version as a strong entity tag ("7"); a write
# must name the version it was read at in If-Match. A write without it is refused with 428
# (RFC 6585), one naming another version with 412 Precondition Failed, listing the fields
# the write would undo with both values. `If-Match: *` writes whatever the version (a client
# that means to overwrite says so).

IF_MATCH_MISSING = _("Hãy gửi tiêu đề If-Match với ETag nhận được khi đọc bản ghi (GET), để "
                     "không ghi đè những thay đổi người khác đã lưu sau đó.")
IF_MATCH_MAX = 200  # one entity tag, or a few: a version is at most ten digits
NO_VERSION = 0  # an If-Match naming no version of ours: every changed field is compared
_TAG = re.compile(r'\s*(W/)?"([\x21\x23-\x7e]*)"\s*')  # RFC 9110 §8.8.3 entity-tag

ETAG_HEADER = {"ETag": {"description": "Phiên bản của bản ghi, gửi lại trong If-Match khi ghi.",
                        "schema": {"type": "string", "maxLength": 200}}}
IF_MATCH = {
    "name": "If-Match", "in": "header", "required": True,
    # Not blank: an empty If-Match names nothing and is answered as a missing one (428).
    "schema": {"type": "string", "minLength": 1, "maxLength": IF_MATCH_MAX, "pattern": "\\S"},
    "description": "ETag của bản ghi khi đọc (GET), ví dụ \"3\"; hoặc * để ghi bất kể phiên "
                   "bản. Thiếu: 428. Bản ghi đã được sửa từ phiên bản đó: 412, kèm các trường "
                   "xung đột với giá trị của bạn và giá trị đã lưu; không ghi gì."}
VERSIONED_READ: dict[str, Any] = {"responses": {200: {"headers": ETAG_HEADER}}}
VERSIONED_WRITE: dict[str, Any] = {"parameters": [IF_MATCH],
                                   "responses": {200: {"headers": ETAG_HEADER}}}


class FieldConflictOut(Schema):
    field: str
    label: str
    mine: Any
    theirs: Any
    saved_by: str
    saved_at: datetime.datetime | None


class ConflictOut(ErrorOut):
    """412: the record was changed since the version named; nothing was written."""

    version: int
    conflicts: list[FieldConflictOut]


class ReadConflictOut(ErrorOut):
    """409: a record without a version was changed since the values the write says it read
    (`base`); nothing was written. `conflicts` lists each field with both values."""

    conflicts: list[FieldConflictOut]


def etag(version: int) -> str:
    return f'"{version}"'


def if_match(request: HttpRequest) -> int | None:
    """The version a write names in If-Match: None for "*" (no precondition), NO_VERSION for
    tags that name none (weak, not a number, several). 428 without the header."""
    header = request.headers.get("If-Match")
    if header is None or not header.strip():
        raise ApiError(428, str(IF_MATCH_MISSING))
    if len(header) > IF_MATCH_MAX:
        raise invalid("If-Match", schema_error_message("string_too_long", max_length=IF_MATCH_MAX),
                      where="header")
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
    return {**error_body(412, str(conflict.message)), "version": conflict.version,
            "conflicts": _field_conflicts(conflict)}


def read_conflict_body(conflict: EditConflict) -> dict[str, Any]:
    """The answer to a write whose `base` a save since contradicts (`ReadConflictOut`): 409,
    as a state changed meanwhile is; no version to name."""
    return {**error_body(409, str(conflict.message)), "conflicts": _field_conflicts(conflict)}


def _field_conflicts(conflict: EditConflict) -> list[dict[str, Any]]:
    return [{"field": c.field, "label": c.label, "mine": _json_value(c.mine),
             "theirs": _json_value(c.theirs), "saved_by": c.saved_by,
             "saved_at": c.saved_at.isoformat() if c.saved_at else None}
            for c in conflict.conflicts]

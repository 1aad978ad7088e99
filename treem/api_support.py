"""What every API operation does the same way: check the caller's capability (403), and turn
a service's refusal into an HTTP error with its Vietnamese message."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from ninja.errors import HttpError

from treem.accounts.permissions import has_capability

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

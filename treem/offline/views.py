"""The installable app: its shell, service worker and manifest (no personal data in any of
them: the data comes from the API once the collaborator has signed in).

All three are the same for everyone, signed in or not: the service worker keeps them on the
phone and serves them without a connection, so nothing in them may depend on the user."""

import hashlib
import json
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

STATIC_DIR = Path(__file__).resolve().parent / "static"
TEMPLATE = Path(__file__).resolve().parent / "templates" / "offline" / "app.html"
THEME_COLOUR = "#0b6e4f"  # --brand of treem.css
BACKGROUND_COLOUR = "#f6f7f9"  # --bg of treem.css
ICON_SIZES = (192, 512)
# What the service worker keeps on the phone (static names; their URLs carry the hashes of the
# production storage).
SHELL_STATIC = ("treem/treem.css", "offline/app.css", "offline/app.js",
                *(f"offline/icons/icon-{size}.png" for size in ICON_SIZES))


def _strings() -> dict[str, str]:
    """The app's words built in JavaScript, translated here (the JSON block of the shell)."""
    return {
        "appName": _("treem — cộng tác viên"),
        "signInNeeded": _("Hãy đăng nhập bằng tài khoản cộng tác viên để bắt đầu."),
        "signIn": _("Đăng nhập"),
        "signInAgain": _("Phiên đăng nhập đã hết. Dữ liệu trên máy vẫn được giữ; hãy đăng "
                         "nhập lại để gửi và tải dữ liệu."),
        "notCollaborator": _("Tài khoản này không phải cộng tác viên thôn, bản: ứng dụng này "
                             "chỉ dành cho cộng tác viên."),
        "otherUser": _("Điện thoại này đang giữ dữ liệu của một tài khoản khác. Hãy đăng nhập "
                       "bằng tài khoản đó, hoặc đăng xuất để xóa dữ liệu trên máy."),
        "enrolling": _("Đang đăng ký điện thoại…"),
        "passwordTitle": _("Mở khóa dữ liệu trên điện thoại"),
        "passwordHelp": _("Dữ liệu về trẻ em trên điện thoại được mã hóa bằng mật khẩu đăng "
                          "nhập của bạn. Hãy nhập mật khẩu (không cần mạng)."),
        "passwordFirstHelp": _("Nhập mật khẩu đăng nhập treem của bạn. Mật khẩu dùng để mã hóa "
                               "dữ liệu về trẻ em lưu trên điện thoại."),
        "password": _("Mật khẩu"),
        "passwordConfirm": _("Nhập lại mật khẩu"),
        "passwordMismatch": _("Hai mật khẩu không giống nhau."),
        "passwordWrong": _("Mật khẩu không đúng: không giải mã được dữ liệu trên điện thoại."),
        "unlock": _("Mở khóa"),
        "working": _("Đang xử lý…"),
        "downloading": _("Đang tải dữ liệu của thôn…"),
        "needNetworkFirst": _("Cần có mạng để tải dữ liệu của thôn lần đầu."),
        "online": _("Có mạng"),
        "offline": _("Không có mạng"),
        "lastSync": _("Cập nhật lần cuối"),
        "never": _("chưa"),
        "children": _("Trẻ em"),
        "searchName": _("Tìm theo tên"),
        "noChildren": _("Không có trẻ nào."),
        "waiting": _("chờ gửi"),
        "registerChild": _("Thêm trẻ em"),
        "registerHousehold": _("Thêm hộ gia đình"),
        "reportConcern": _("Báo tin về trẻ cần bảo vệ"),
        "queue": _("Chờ gửi"),
        "results": _("Kết quả cần xem"),
        "sendNow": _("Gửi ngay"),
        "signOut": _("Đăng xuất"),
        "signOutConfirm": _("Đăng xuất sẽ xóa mọi dữ liệu trên điện thoại này."),
        "signOutUnsent": _("Còn {n} thay đổi chưa gửi: đăng xuất bây giờ sẽ làm mất chúng. "
                           "Vẫn đăng xuất?"),
        "back": _("Quay lại danh sách"),
        "save": _("Lưu"),
        "saved": _("Đã lưu trên điện thoại, chờ gửi."),
        "village": _("Thôn, bản"),
        "household": _("Hộ gia đình"),
        "noHousehold": _("— Không chọn —"),
        "fullName": _("Họ và tên"),
        "sex": _("Giới tính"),
        "birthDate": _("Ngày sinh"),
        "ethnicity": _("Dân tộc"),
        "birthRegistered": _("Đã đăng ký khai sinh"),
        "schoolLevel": _("Cấp học"),
        "schoolStatus": _("Tình trạng đi học"),
        "livingArrangement": _("Nơi ở, người chăm sóc"),
        "healthInsurance": _("Có thẻ bảo hiểm y tế"),
        "deathDate": _("Ngày mất"),
        "deathCause": _("Nguyên nhân mất"),
        "yes": _("Có"),
        "no": _("Không"),
        "unknown": _("Chưa rõ"),
        "choose": _("— Chọn —"),
        "statuses": _("Tình trạng của trẻ"),
        "move": _("Chuyển đi"),
        "moveHelp": _("Trẻ chuyển đến thôn khác của xã, hoặc ra khỏi xã."),
        "moveTo": _("Chuyển đến"),
        "moveVillage": _("Thôn khác của xã"),
        "moveCommune": _("Xã khác trong tỉnh"),
        "movedOn": _("Ngày chuyển"),
        "commune": _("Xã, phường"),
        "headName": _("Họ và tên chủ hộ"),
        "address": _("Địa chỉ"),
        "emergency": _("Trường hợp khẩn cấp: gọi ngay 111 (Tổng đài quốc gia bảo vệ trẻ em) "
                       "hoặc công an. Không chờ gửi tin qua ứng dụng."),
        "concernChild": _("Trẻ em (nếu có trong danh sách)"),
        "concernChildDescription": _("Mô tả trẻ (nếu không có trong danh sách)"),
        "concernWhat": _("Chuyện gì đã xảy ra"),
        "concernWhere": _("Ở đâu"),
        "concernWhen": _("Ngày xảy ra (nếu biết)"),
        "concernForms": _("Hình thức xâm hại"),
        "urgent": _("Khẩn cấp"),
        "send": _("Ghi lại để gửi"),
        "queueEmpty": _("Không có gì chờ gửi."),
        "recordedAt": _("Ghi lúc"),
        "resultsEmpty": _("Không có kết quả nào cần xem."),
        "kind_household_create": _("Thêm hộ gia đình"),
        "kind_child_register": _("Thêm trẻ em"),
        "kind_child_update": _("Cập nhật tình trạng"),
        "kind_child_move": _("Chuyển đi"),
        "kind_concern_record": _("Báo tin về trẻ cần bảo vệ"),
        "status_conflict": _("Xung đột: trường này đã được người khác sửa"),
        "status_held": _("Tạm giữ"),
        "status_invalid": _("Không hợp lệ"),
        "status_resolved": _("Đã quyết định"),
        "status_dismissed": _("Đã bỏ"),
        "mine": _("Giữ giá trị của tôi"),
        "theirs": _("Giữ giá trị trên máy chủ"),
        "base": _("Giá trị khi tải về"),
        "changedBy": _("Người sửa"),
        "decide": _("Gửi quyết định"),
        "correct": _("Sửa và gửi lại"),
        "resend": _("Gửi lại"),
        "confirmNew": _("Đây là trẻ khác, chưa có trong sổ: vẫn thêm"),
        "dismiss": _("Bỏ thay đổi này"),
        "dismissReason": _("Lý do bỏ"),
        "reasonNeeded": _("Hãy ghi lý do."),
        "needsNetwork": _("Việc này cần có mạng."),
        "sending": _("Đang gửi…"),
        "sent": _("Đã gửi và cập nhật dữ liệu."),
        "sendFailed": _("Chưa gửi được (mạng chập chờn). Các thay đổi vẫn được giữ để gửi lại."),
        "wiped": _("Dữ liệu trên điện thoại này đã bị xóa theo yêu cầu của xã."),
        "required": _("Trường này là bắt buộc."),
        "unnamed": _("(chưa có tên)"),
        "errorGeneric": _("Có lỗi xảy ra. Hãy thử lại."),
    }


def _shell_urls() -> list[str]:
    return [reverse("offline:app"), reverse("offline:manifest"),
            *(static(name) for name in SHELL_STATIC)]


def _static_bytes(name: str) -> bytes:
    path = finders.find(name)
    return Path(str(path)).read_bytes() if path else b""


def _shell_version() -> str:
    """A digest of everything the service worker keeps: a change to any of them (or to the
    words of the current language) is a new version, which replaces the old cache."""
    digest = hashlib.sha256()
    digest.update((STATIC_DIR / "offline" / "sw.js").read_bytes())
    digest.update(TEMPLATE.read_bytes())
    digest.update(json.dumps(_strings(), sort_keys=True).encode())
    digest.update((get_language() or "").encode())
    for name in SHELL_STATIC:
        digest.update(_static_bytes(name))
        digest.update(static(name).encode())
    return digest.hexdigest()[:16]


def app_view(request: HttpRequest) -> HttpResponse:
    # Rendered without the request: no context processor, no CSRF token, nothing of the user
    # (the page is cached on the phone and shown to whoever opens it).
    html = render_to_string("offline/app.html", {
        "strings": _strings(),
        "service_worker_url": reverse("offline:service_worker"),
        "theme_colour": THEME_COLOUR,
    })
    response = HttpResponse(html)
    response["Cache-Control"] = "no-cache"
    return response


def service_worker_view(request: HttpRequest) -> HttpResponse:
    shell = {"version": _shell_version(), "urls": _shell_urls(),
             "app": reverse("offline:app")}
    source = (STATIC_DIR / "offline" / "sw.js").read_text(encoding="utf-8")
    response = HttpResponse(f"const TREEM_SHELL = {json.dumps(shell)};\n{source}",
                            content_type="text/javascript")
    # Always asked again (the browser compares it byte for byte to find a new version).
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = reverse("offline:app")
    return response


def manifest_view(request: HttpRequest) -> HttpResponse:
    app = reverse("offline:app")
    manifest = {
        "id": app,
        "name": _("treem — cộng tác viên"),
        "short_name": "treem",
        "description": _("Sổ theo dõi trẻ em của thôn, bản, dùng được cả khi không có mạng."),
        "start_url": app,
        "scope": app,
        "display": "standalone",
        "orientation": "portrait",
        "lang": "vi",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [{"src": static(f"offline/icons/icon-{size}.png"), "sizes": f"{size}x{size}",
                   "type": "image/png", "purpose": "any maskable"} for size in ICON_SIZES],
    }
    response = HttpResponse(json.dumps(manifest, ensure_ascii=False),
                            content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response

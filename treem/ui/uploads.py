"""Files people upload (a progress report's evidence, a plan's documents, an activity's photos,
a fund delivery's signed receipt): what is taken and how it is stored.

A JPEG or PNG photo, or a PDF, up to TREEM_EVIDENCE_MAX_MB, known by its first bytes (not its
name or the browser's word). A photo is opened, checked for its size in pixels (a small file
may hold a huge image) and saved again without its metadata: a phone's photo carries where it
was taken (GPS) and on what device, which the evidence does not need."""

import io
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PIXELS = 40_000_000  # a 40-megapixel photo; more is not a phone's picture
NAME_MAX = 200

TOO_LARGE = _("Tệp lớn quá %(mb)s MB.")


def size_refusal(size: int | None) -> str | None:
    """The message refusing an upload of `size` bytes above the limit, before it is read into
    memory (pages and API alike); None when it may be read."""
    limit = settings.TREEM_EVIDENCE_MAX_BYTES
    if size is not None and size > limit:
        return str(TOO_LARGE) % {"mb": limit // (1024 * 1024)}
    return None
NOT_ALLOWED = _("Chỉ nhận ảnh JPEG, PNG hoặc tệp PDF.")
BROKEN = _("Không đọc được tệp ảnh này (tệp hỏng hoặc không phải ảnh).")
HUGE_IMAGE = _("Ảnh quá lớn (hơn 40 triệu điểm ảnh): hãy chụp hoặc lưu lại ở cỡ nhỏ hơn.")
EMPTY = _("Tệp trống.")


@dataclass(frozen=True)
class Checked:
    content: bytes
    content_type: str
    name: str


def _kind(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def _clean_name(name: str) -> str:
    """The file's name as shown: its last part, printable, bounded."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip() or "tep"
    return name[-NAME_MAX:]


def check(*, data: bytes, name: str) -> Checked:
    """The file as it will be stored, or ValidationError {"file": message}."""
    if (too_large := size_refusal(len(data))) is not None:
        raise ValidationError({"file": too_large})
    if not data:
        raise ValidationError({"file": EMPTY})
    kind = _kind(data[:8])
    if kind is None:
        raise ValidationError({"file": NOT_ALLOWED})
    if kind == "application/pdf":
        return Checked(data, kind, _clean_name(name))
    try:
        with Image.open(io.BytesIO(data)) as probe:
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise ValidationError({"file": HUGE_IMAGE})
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if kind == "image/jpeg":
                upright.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
            else:
                upright.save(out, "PNG", optimize=True)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError({"file": BROKEN}) from error
    return Checked(out.getvalue(), kind, _clean_name(name))


EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}


def random_path(folder: str, content_type: str) -> str:
    """Where a stored file goes: a random name under the year, nothing of the uploader's file
    name on the disk."""
    extension = EXTENSIONS.get(content_type, "bin")
    return f"{folder}/{timezone.now():%Y}/{uuid.uuid4().hex}.{extension}"


def file_response(item: Any) -> FileResponse:
    """A stored file (`file`, `content_type`, `name`) to whoever may read it: a PDF as a
    download, a photo shown; never cached, never sniffed as another type."""
    response = FileResponse(item.file.open("rb"), content_type=item.content_type,
                            as_attachment=item.content_type == "application/pdf",
                            filename=item.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

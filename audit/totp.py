"""RFC 6238 codes, as an authenticator app computes them, for the demo's staff sign-ins."""

import base64
import hashlib
import hmac
import struct
import time

STEP_SECONDS = 30


def window(now: float | None = None) -> int:
    return int(time.time() if now is None else now) // STEP_SECONDS


def code(secret: str, *, now: float | None = None) -> str:
    """The six digits of base32 `secret` at `now` (default: the current 30-second window)."""
    compact = secret.replace(" ", "").upper()
    key = base64.b32decode(compact + "=" * (-len(compact) % 8))
    digest = hmac.new(key, struct.pack(">Q", window(now)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"

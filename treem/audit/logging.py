"""Log filters: every line carries the request id, and no line carries a query string.

Query strings hold what users typed into search boxes (names of children, phone numbers), so
they are cut from the request lines that the server and Django log.
"""

import logging
import re

from treem.audit import context

# In a request line ("GET /units/?q=… HTTP/1.1") the query runs up to the protocol and may hold
# spaces when a client sent them unencoded; elsewhere it ends at the first space or quote.
_REQUEST_LINE_QUERY = re.compile(r"\?[^\"\r\n]*?(?=\s+HTTP/\d)")
_QUERY = re.compile(r"\?[^\s\"']*")


def redact(text: str) -> str:
    return _QUERY.sub("?…", _REQUEST_LINE_QUERY.sub("?…", text))


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        current = context.current()
        record.request_id = current.request_id if current else "-"
        return True


class RedactQueryStringFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        # The message is redacted once formatted: a query split between the format string and
        # its arguments is then seen whole, and a "?%s" in the format cannot lose its "%s".
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            # A malformed logging call: leave it to the handler to report, but redact its parts.
            if isinstance(record.msg, str):
                record.msg = redact(record.msg)
            if isinstance(record.args, tuple):
                record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
            return True
        record.msg, record.args = redact(message), ()
        return True

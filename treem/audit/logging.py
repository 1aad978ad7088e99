"""Log filters: every line carries the request id, and no line carries a query string.

Query strings hold what users typed into search boxes (names of children, phone numbers), so
they are cut from the request lines that the server and Django log.
"""

import logging
import re

from treem.audit import context

_QUERY = re.compile(r"\?[^\s\"']*")


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        current = context.current()
        record.request_id = current.request_id if current else "-"
        return True


class RedactQueryStringFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = _QUERY.sub("?…", record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(
                _QUERY.sub("?…", arg) if isinstance(arg, str) else arg for arg in record.args
            )
        return True

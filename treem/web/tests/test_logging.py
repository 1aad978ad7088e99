import logging
from collections.abc import Iterator

import pytest
from django.test import Client

from treem.audit import context
from treem.audit.logging import RedactQueryStringFilter, RequestContextFilter


def server_record(msg: str, args: tuple | None) -> logging.LogRecord:
    return logging.LogRecord("django.server", logging.INFO, __file__, 1, msg, args, None)


def redacted(record: logging.LogRecord) -> str:
    assert RedactQueryStringFilter().filter(record) is True
    return record.getMessage()


class RedactQueryStringFilterTests:
    def test_it_removes_the_query_from_a_server_request_line(self) -> None:
        record = server_record('"%s" %s %s', ("GET /units/?q=Nguyễn Văn A HTTP/1.1", 200, 10))
        assert redacted(record) == '"GET /units/?… HTTP/1.1" 200 10'

    def test_it_removes_an_encoded_query_from_a_request_line(self) -> None:
        record = server_record('"%s" %s %s',
                               ("GET /units/?q=Nguy%E1%BB%85n+V%C4%83n+A&page=2 HTTP/1.1", 200, 9))
        message = redacted(record)
        assert message == '"GET /units/?… HTTP/1.1" 200 9'

    def test_it_removes_the_query_from_the_message_itself(self) -> None:
        record = server_record("Not Found: /units/?q=0912345678&level=commune", None)
        assert redacted(record) == "Not Found: /units/?…"

    def test_it_removes_a_query_split_between_message_and_arguments(self) -> None:
        record = server_record("Bad Request: /audit/?username=%s&date_from=%s",
                               ("tran.thi.b", "2026-01-10"))
        assert redacted(record) == "Bad Request: /audit/?…"

    def test_it_redacts_mapping_arguments_too(self) -> None:
        record = server_record("%(line)s", ({"line": "GET /units/?q=Lê Văn C HTTP/1.1"},))
        assert redacted(record) == "GET /units/?… HTTP/1.1"

    def test_it_leaves_a_line_without_a_query_alone(self) -> None:
        record = server_record('"%s" %s %s', ("GET /units/ HTTP/1.1", 200, 10))
        assert redacted(record) == '"GET /units/ HTTP/1.1" 200 10'

    def test_a_malformed_call_keeps_its_record_and_loses_its_query(self) -> None:
        record = server_record("GET %s %s", ("/units/?q=Nguyễn",))  # one argument missing
        assert RedactQueryStringFilter().filter(record) is True
        assert "Nguyễn" not in f"{record.msg} {record.args}"


class RequestContextFilterTests:
    @pytest.fixture
    def request_context(self) -> Iterator[None]:
        context.activate(context.RequestContext(request_id="req-12345678", ip="127.0.0.1"))
        yield
        context.clear()

    def test_it_sets_the_request_id_of_the_current_request(self, request_context: None) -> None:
        record = server_record("x", None)
        assert RequestContextFilter().filter(record) is True
        assert record.request_id == "req-12345678"  # type: ignore[attr-defined]

    def test_outside_a_request_the_id_is_a_dash(self) -> None:
        context.clear()
        record = server_record("x", None)
        RequestContextFilter().filter(record)
        assert record.request_id == "-"  # type: ignore[attr-defined]

    def test_djangos_own_log_line_about_a_request_carries_its_id(self, db: None) -> None:
        records: list[logging.LogRecord] = []

        class Collect(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                records.append(record)

        handler = Collect()
        handler.addFilter(RequestContextFilter())
        handler.addFilter(RedactQueryStringFilter())
        logger = logging.getLogger("django.request")
        logger.addHandler(handler)
        try:
            response = Client().get("/no-such-page/?q=Nguyễn Văn A")
        finally:
            logger.removeHandler(handler)
        assert response.status_code == 404
        assert len(records) == 1
        assert records[0].request_id == response["X-Request-ID"]  # type: ignore[attr-defined]
        assert "Nguyễn" not in records[0].getMessage()

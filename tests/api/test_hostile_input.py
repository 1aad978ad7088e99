"""No input is a server error: property-based tests over every URL of the scope test's table
(its API operations and its pages), with the call each row makes inside the actor's scope as
the starting point and hypothesis drawing what replaces its parameters: NUL bytes and other
control characters, integers past 64 bits, days of year 0 and 9999, odd Unicode, long strings,
wrong JSON types.

The property: the answer is never a 5xx; under /api/ an error is the API's one shape (JSON,
Vietnamese detail). schemathesis (test_schemathesis.py) drives the API from its document; these
drive the pages too, and the query strings of the lists with parameters no document names.
"""

import json
import re
from typing import Any
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from treem.api_support import ErrorOut
from treem.web.tests.test_scope_coverage import (
    PDF,
    SCOPE_CASES,
    Case,
    World,
    client_as,
    is_api,
    resolved,
)

# What the property tests draw from. Text: any printable or control character (no lone
# surrogate: a URL or a form cannot carry one; JSON bodies get their own), up to a few thousand.
TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=50)
LONG = st.text(alphabet=st.characters(exclude_categories=["Cs"]), min_size=2_000,
               max_size=20_000)
SPECIAL = st.sampled_from([
    "\x00", "a\x00b", "0", "-1", "1e30", "NaN", "Infinity", "9223372036854775808",
    str(10**30), str(-(10**30)), "0001-01-01", "0000-00-00", "9999-12-31", "10000-01-01",
    "2026-02-30", "0001-01-01T00:00", "9999-12-31T23:59", "true", "null", "[]", "{}",
    "\u202e\u0301", "ǅ", "🧒", " ", "%00", "../../etc/passwd", "' OR 1=1 --"])
QUERY_VALUE = st.one_of(SPECIAL, TEXT, LONG, st.integers(-(10**40), 10**40).map(str))
JSON_SCALAR = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**40), 10**40), st.floats(allow_nan=False),
    SPECIAL, TEXT, LONG, st.text(alphabet=st.characters(categories=["Cs", "Cc"]), max_size=5))
JSON_VALUE = st.recursive(JSON_SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)), max_leaves=8)
# The parameters the pages and lists read from their query strings, and a few nobody reads.
QUERY_NAMES = ("page", "page_size", "q", "status", "form", "place", "perpetrator", "start",
               "end", "overdue", "year", "period", "schedule", "level", "former", "commune",
               "unit", "ref", "sort", "village", "age_group", "sex", "circumstance",
               "support", "school_status", "action", "username", "object_type", "object_id",
               "date_from", "date_to", "kind", "scheme", "partial", "province", "next",
               "ethnicity", "zzz")
PROPERTY = settings(max_examples=80, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow,
                                           HealthCheck.data_too_large])


def _rows(predicate: Any) -> list[str]:
    return sorted(name for name, case in SCOPE_CASES.items()
                  if case.actor is not None and predicate(name, case))


# The printed forms (PDF) read no query string and cost a rendering each: left out.
GET_ROWS = _rows(lambda name, case: case.method == "get" and PDF not in case.shows)
API_BODY_ROWS = _rows(lambda name, case: is_api(name) and case.method != "get" and case.data)
PAGE_FORM_ROWS = _rows(lambda name, case: not is_api(name) and case.method == "post"
                       and case.data and not case.signs_out)


def _url(world: World, name: str, case: Case) -> str:
    return reverse(name, args=[world.resolve(arg) for arg in case.args])


def _data(world: World, case: Case) -> dict[str, Any]:
    return resolved(world, case.data)


def _assert_no_server_error(name: str, response: Any) -> None:
    assert response.status_code < 500, (name, response.status_code, response.content[:300])
    if is_api(name) and response.status_code >= 400:
        assert response["Content-Type"].startswith("application/json"), name
        body = response.json()
        ErrorOut.model_validate(body)
        assert re.search("[À-ỹ]", body["detail"]), body


class HostileInputTests:
    @PROPERTY
    @given(data=st.data())
    def test_no_query_string_is_a_server_error(self, world: World, data: Any) -> None:
        name = data.draw(st.sampled_from(GET_ROWS), label="url")
        case = SCOPE_CASES[name]
        query = dict(case.query or {})
        query.update(data.draw(st.dictionaries(st.sampled_from(QUERY_NAMES), QUERY_VALUE,
                                               min_size=1, max_size=4), label="query"))
        client = client_as(world, case.actor, "token" if is_api(name) else "session")
        response = client.get(f"{_url(world, name, case)}?{urlencode(query)}")
        _assert_no_server_error(name, response)

    @PROPERTY
    @given(data=st.data())
    def test_no_json_body_is_a_server_error(self, world: World, data: Any) -> None:
        name = data.draw(st.sampled_from(API_BODY_ROWS), label="operation")
        case = SCOPE_CASES[name]
        body: Any = _data(world, case)
        how = data.draw(st.sampled_from(["field", "field", "extra", "whole"]), label="how")
        if how == "field":
            body[data.draw(st.sampled_from(sorted(body)), label="field")] = data.draw(JSON_VALUE)
        elif how == "extra":
            body[data.draw(TEXT, label="name")] = data.draw(JSON_VALUE)
        else:
            body = data.draw(JSON_VALUE, label="body")
        client = client_as(world, case.actor, "token")
        # ensure_ascii: lone surrogates travel as \\udxxx escapes, as a JSON client sends them.
        response = getattr(client, case.method)(_url(world, name, case), json.dumps(body),
                                                content_type="application/json")
        _assert_no_server_error(name, response)

    @PROPERTY
    @given(data=st.data())
    def test_no_form_is_a_server_error(self, world: World, data: Any) -> None:
        name = data.draw(st.sampled_from(PAGE_FORM_ROWS), label="page")
        case = SCOPE_CASES[name]
        form = _data(world, case)
        field = data.draw(st.sampled_from(sorted(form)), label="field")
        form[field] = data.draw(QUERY_VALUE, label="value")
        client = client_as(world, case.actor)
        response = client.post(_url(world, name, case), form)
        _assert_no_server_error(name, response)


@pytest.mark.parametrize("name", GET_ROWS)
def test_every_list_and_page_refuses_a_hostile_query_without_a_server_error(
    world: World, name: str,
) -> None:
    """The same, row by row, with the values that were server errors before: a NUL, a page
    past a bigint, a day of year 1 and 9999, a year 0 — in every parameter at once."""
    case = SCOPE_CASES[name]
    client = client_as(world, case.actor, "token" if is_api(name) else "session")
    for value in ("a\x00b", str(10**30), "0001-01-01", "9999-12-31"):
        query = {**dict(case.query or {}), **dict.fromkeys(QUERY_NAMES, value)}
        response = client.get(f"{_url(world, name, case)}?{urlencode(query)}")
        _assert_no_server_error(name, response)


@pytest.mark.parametrize("name", PAGE_FORM_ROWS)
def test_every_form_refuses_out_of_range_values_without_a_server_error(
    world: World, name: str,
) -> None:
    """Each field of each page's form in turn: a NUL, a number past 64 bits, days of year 1
    and 9999 (which the forms now bound), a hundred thousand characters."""
    case = SCOPE_CASES[name]
    client = client_as(world, case.actor)
    for field in sorted(_data(world, case)):
        for value in ("a\x00b", str(10**30), "0001-01-01", "9999-12-31T23:59",
                      "x" * 100_000):
            form = {**_data(world, case), field: value}
            _assert_no_server_error(name, client.post(_url(world, name, case), form))


"""Fuzzing every reply parser of the Zoho and Fxiaoke connectors, over HTTP.

Each API call gets a generated reply: the real shape with fields left out or of the wrong
type, any JSON at all, an HTML error page, a body cut short, an empty or a binary body, a
huge one, with any status and content type. Whatever comes back, a call ends with its
result (records, tokens, one write result per record) or a typed ``ConnectorError`` whose
message says what went wrong; at the adapter level a write that cannot go on raises
``WriteInterruptedError`` carrying every record's result; a transport failure stays the
``requests`` error the HTTP core documents. Never a KeyError, TypeError or a parser's own
exception.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
import requests
import responses
from hypothesis import example, given
from hypothesis import strategies as st

from connectors.fxiaoke import FxiaokeClient, FxiaokeSettings
from connectors.fxiaoke.system import FxiaokeRecordSystem
from connectors.http import ConnectorError, RetryPolicy
from connectors.record_system import WriteInterruptedError
from connectors.zoho import ZohoClient, ZohoSettings
from connectors.zoho.system import ZohoRecordSystem
from tests.sandbox_clients import NO_CLIENT_RATE_LIMIT, no_wait

ZOHO_API, ZOHO_ACCOUNTS, FXIAOKE_API = (
    "https://zoho.test",
    "https://accounts.test",
    "https://fx.test",
)
Reply = tuple[int, dict[str, str], bytes]

SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20))
JSON = st.recursive(
    SCALAR,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)
STATUS = st.sampled_from([200, 200, 200, 201, 202, 204, 207, 400, 401, 403, 404, 413, 429, 500,
                          502, 503])  # fmt: skip
HEADERS = st.fixed_dictionaries(
    {"Content-Type": st.sampled_from(["application/json", "text/html", "text/plain", ""])},
    optional={"Retry-After": st.one_of(st.sampled_from(["1", "0", "-5", "soon",
                                                        "Wed, 21 Oct 2015 07:28:00 GMT"]),
                                       st.text(max_size=5))},
)  # fmt: skip
HTML = b"<html><head><title>502 Bad Gateway</title></head><body><h1>nginx</h1></body></html>"


def _maybe(value: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(value, JSON)


def _bodies(shaped: st.SearchStrategy[Any]) -> st.SearchStrategy[bytes]:
    """A reply body: the real shape (mutated), any JSON, HTML, cut short, empty, bytes."""
    as_json = st.one_of(shaped, JSON).map(lambda v: json.dumps(v, ensure_ascii=False).encode())
    return st.one_of(
        as_json,
        as_json.flatmap(lambda b: st.integers(0, max(len(b) - 1, 0)).map(lambda n: b[:n])),
        st.just(HTML),
        st.just(b""),
        st.binary(max_size=200),
    )


def replies(shaped: st.SearchStrategy[Any]) -> st.SearchStrategy[Reply]:
    # HTTP forbids a body on 204: a client library refuses one before any parser sees it.
    return st.tuples(STATUS, HEADERS, _bodies(shaped)).map(
        lambda r: (r[0], r[1], b"" if r[0] == 204 else r[2])
    )


HUGE: Reply = (
    200,
    {"Content-Type": "application/json"},
    b'{"data": [' + b'{"id": "1"},' * 200_000 + b"{}]}",
)

# -- the real shapes -----------------------------------------------------------------------------
ZOHO_TOKEN = st.fixed_dictionaries({}, optional={
    "access_token": _maybe(st.just("1000.tok.en")), "api_domain": _maybe(st.just(ZOHO_API)),
    "expires_in": _maybe(st.integers(-10, 10_000)), "expires_in_sec": JSON,
    "token_type": JSON, "error": _maybe(st.sampled_from(["invalid_code", "invalid_client",
                                                          "Access Denied"])),
})  # fmt: skip
ZOHO_RECORD = st.fixed_dictionaries({}, optional={
    "id": _maybe(st.from_regex(r"\A[0-9]{6,19}\Z")),
    "Modified_Time": _maybe(st.sampled_from(["2025-03-01T08:00:00+08:00", "yesterday", ""])),
    "Created_Time": JSON, "Last_Name": JSON, "Email": JSON,
    "Owner": _maybe(st.fixed_dictionaries({"id": JSON, "name": JSON, "email": JSON})),
})  # fmt: skip
ZOHO_PAGE = st.fixed_dictionaries({}, optional={
    "data": _maybe(st.lists(ZOHO_RECORD, max_size=4)),
    "info": _maybe(st.fixed_dictionaries({}, optional={
        "more_records": JSON, "page": JSON, "per_page": JSON, "count": JSON,
        "next_page_token": JSON, "page_token_expiry": JSON})),
})  # fmt: skip
ZOHO_WRITTEN = st.fixed_dictionaries({}, optional={
    "data": _maybe(st.lists(st.fixed_dictionaries({}, optional={
        "code": _maybe(st.sampled_from(["SUCCESS", "DUPLICATE_DATA", "INVALID_DATA",
                                        "MANDATORY_NOT_FOUND", "SCHEDULED"])),
        "status": _maybe(st.sampled_from(["success", "error"])),
        "message": JSON,
        "details": _maybe(st.fixed_dictionaries({}, optional={
            "id": JSON, "api_name": JSON, "duplicate_record": JSON, "maximum_length": JSON})),
    }), max_size=3)),
    "code": JSON, "message": JSON, "status": JSON,
})  # fmt: skip
FX_TOKEN = st.fixed_dictionaries({}, optional={
    "errorCode": _maybe(st.sampled_from([0, 20016, 10006, 30004, -1])),
    "errorMessage": JSON, "corpAccessToken": _maybe(st.just("CORPTOKEN")),
    "corpId": _maybe(st.just("FSCID_1")), "expiresIn": _maybe(st.integers(-5, 7200)),
    "traceId": JSON,
})  # fmt: skip
FX_RECORD = st.fixed_dictionaries({}, optional={
    "_id": _maybe(st.from_regex(r"\A[0-9a-f]{24}\Z")), "name": JSON,
    "last_modified_time": _maybe(st.integers(-10**15, 10**15)), "create_time": JSON,
    "life_status": JSON, "owner": JSON,
})  # fmt: skip
FX_QUERY = st.fixed_dictionaries({}, optional={
    "errorCode": _maybe(st.sampled_from([0, 0, 0, 20016, 30004, 320001403, 10006])),
    "errorMessage": JSON, "traceId": JSON,
    "data": _maybe(st.fixed_dictionaries({}, optional={
        "dataList": _maybe(st.lists(FX_RECORD, max_size=4)), "total": JSON, "offset": JSON,
        "limit": JSON})),
})  # fmt: skip
FX_WRITTEN = st.fixed_dictionaries({}, optional={
    "errorCode": _maybe(st.sampled_from([0, 0, 20016, 30004, 10006, 320001400])),
    "errorMessage": JSON, "traceId": JSON, "dataId": JSON,
    "data": _maybe(st.fixed_dictionaries({}, optional={"_id": JSON, "dataId": JSON})),
})  # fmt: skip
ZOHO_GOOD_TOKEN: Reply = (
    200,
    {"Content-Type": "application/json"},
    json.dumps(
        {"access_token": "1000.tok.en", "api_domain": ZOHO_API, "expires_in": 3600}
    ).encode(),
)
FX_GOOD_TOKEN: Reply = (200, {"Content-Type": "application/json"}, json.dumps(
    {"errorCode": 0, "corpAccessToken": "CORPTOKEN", "corpId": "FSCID_1", "expiresIn": 7200}
).encode())  # fmt: skip


# -- the clients ---------------------------------------------------------------------------------
def _zoho() -> ZohoClient:
    settings = ZohoSettings(client_id="c", client_secret="s", refresh_token="r",
                            accounts_url=ZOHO_ACCOUNTS, api_base_url=ZOHO_API)  # fmt: skip
    return ZohoClient(settings, sleep=no_wait, retry=RetryPolicy(sleep=no_wait, max_attempts=2))


def _fxiaoke() -> FxiaokeClient:
    settings = FxiaokeSettings(app_id="a", app_secret="s", permanent_code="p",
                               current_open_user_id="FSUID_1", base_url=FXIAOKE_API,
                               write_concurrency=1, **NO_CLIENT_RATE_LIMIT)  # fmt: skip
    return FxiaokeClient(settings, sleep=no_wait, retry=RetryPolicy(sleep=no_wait, max_attempts=2))


def _has_message(error: Exception) -> None:
    assert str(error).strip(), f"{type(error).__name__} without a message"


def _serve(routes: dict[str, Reply], call: Callable[[], object]) -> None:
    """Answer each URL pattern with its reply, make the call, accept only typed outcomes."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        for pattern, (status, headers, body) in routes.items():
            for method in ("GET", "POST", "PUT", "DELETE"):
                mock.add(method, re.compile(pattern), status=status, headers=headers, body=body)
        try:
            call()
        except (ConnectorError, WriteInterruptedError, requests.RequestException) as error:
            _has_message(error)


# -- Zoho ----------------------------------------------------------------------------------------
@given(replies(ZOHO_TOKEN))
def test_zoho_token_replies(reply: Reply) -> None:
    _serve({f"{ZOHO_ACCOUNTS}/oauth/.*": reply}, lambda: _zoho().auth.current_token())


@given(replies(ZOHO_PAGE))
@example(HUGE)
def test_zoho_record_pages(reply: Reply) -> None:
    client = _zoho()
    _serve({f"{ZOHO_ACCOUNTS}/.*": ZOHO_GOOD_TOKEN, f"{ZOHO_API}/crm/.*": reply},
           lambda: list(client.reader.read("Contacts", ["Last_Name", "Email"])))  # fmt: skip


@given(replies(ZOHO_WRITTEN), st.sampled_from(["create", "update", "delete", "erase"]))
def test_zoho_write_results(reply: Reply, operation: str) -> None:
    system = ZohoRecordSystem("zoho", _zoho())
    calls = {
        "create": lambda: system.create("Contacts", [{"Last_Name": "a"}, {"Last_Name": "b"}]),
        "update": lambda: system.update("Contacts", [("1", {"Title": "x"}), ("2", {"Title": "y"})]),
        "delete": lambda: system.delete("Contacts", ["1", "2"]),
        "erase": lambda: system.erase("Contacts", ["1", "2"]),
    }

    def write() -> None:
        results = calls[operation]()
        assert [r.index for r in results] == [0, 1]

    _serve({f"{ZOHO_ACCOUNTS}/.*": ZOHO_GOOD_TOKEN, f"{ZOHO_API}/crm/.*": reply}, write)


# -- Fxiaoke -------------------------------------------------------------------------------------
@given(replies(FX_TOKEN))
def test_fxiaoke_token_replies(reply: Reply) -> None:
    _serve({f"{FXIAOKE_API}/cgi/corpAccessToken/.*": reply},
           lambda: _fxiaoke().auth.current_token())  # fmt: skip


@given(replies(FX_QUERY))
@example(HUGE)
@example((200, {}, b'{"data": {"dataList": [{"_id": "000000000000000000000000", "owner": {}}]}}'))
def test_fxiaoke_query_pages(reply: Reply) -> None:
    client = _fxiaoke()
    _serve({f"{FXIAOKE_API}/cgi/corpAccessToken/.*": FX_GOOD_TOKEN,
            f"{FXIAOKE_API}/cgi/crm/.*": reply},
           lambda: list(client.reader.query("ContactObj", fields=["name"])))  # fmt: skip


@given(replies(FX_WRITTEN), st.sampled_from(["create", "update", "delete", "erase"]))
def test_fxiaoke_write_results(reply: Reply, operation: str) -> None:
    system = FxiaokeRecordSystem("fxiaoke", _fxiaoke())
    calls = {
        "create": lambda: system.create("ContactObj", [{"name": "a"}, {"name": "b"}]),
        "update": lambda: system.update("ContactObj", [("1", {"job_title": "x"}),
                                                       ("2", {"job_title": "y"})]),
        "delete": lambda: system.delete("ContactObj", ["1", "2"]),
        "erase": lambda: system.erase("ContactObj", ["1", "2"]),
    }  # fmt: skip

    def write() -> None:
        results = calls[operation]()
        assert [r.index for r in results] == [0, 1]

    _serve({f"{FXIAOKE_API}/cgi/corpAccessToken/.*": FX_GOOD_TOKEN,
            f"{FXIAOKE_API}/cgi/crm/.*": reply}, write)  # fmt: skip


@pytest.fixture(autouse=True)
def _quiet_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("CRITICAL")

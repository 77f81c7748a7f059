"""Fxiaoke errorCode classification: every reply is HTTP 200; the code decides."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import responses

from connectors.fxiaoke import (
    FxiaokeClient,
    FxiaokeSettings,
    WriteOutcome,
    classify_fxiaoke_response,
)
from connectors.http import (
    FatalAPIError,
    RecordError,
    RequestSpec,
    RetriableAPIError,
    RetryPolicy,
    Verdict,
)

API = "https://fx.test"
QUERY = f"{API}/cgi/crm/v2/data/query"
CREATE = f"{API}/cgi/crm/v2/data/create"
TOKEN = {"errorCode": 0, "corpAccessToken": "T", "corpId": "FSCID_C", "expiresIn": 7200}
OK_PAGE = {"errorCode": 0, "data": {"dataList": [], "offset": 0, "limit": 100, "total": 0}}


def reply(payload: dict[str, Any], url: str = QUERY, status: int = 200) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(payload).encode()
    response.url = url
    return response


@pytest.mark.parametrize(
    ("code", "verdict"),
    [
        (0, Verdict.OK),
        (-1, Verdict.RETRIABLE),
        (50009, Verdict.RETRIABLE),
        (30004, Verdict.RETRIABLE),
        (14001, Verdict.RETRIABLE),
        (20016, Verdict.FATAL),
        (20017, Verdict.FATAL),
        (10006, Verdict.FATAL),
        (20006, Verdict.FATAL),
        (20015, Verdict.FATAL),
        (15003, Verdict.FATAL),
        (20014, Verdict.FATAL),
        (20020, Verdict.FATAL),
        (20022, Verdict.FATAL),
        (30002, Verdict.FATAL),
        (30003, Verdict.FATAL),
        (10013, Verdict.FATAL),
        (15002, Verdict.RECORD),
        (32000, Verdict.RECORD),
        (30027, Verdict.RECORD),
    ],
)
def test_codes_are_classified(code: int, verdict: Verdict) -> None:
    result = classify_fxiaoke_response(
        reply({"errorCode": code, "errorMessage": "m", "traceId": "E-O.1"})
    )
    assert result.verdict is verdict
    if verdict is not Verdict.OK:
        assert result.code == str(code)
        assert result.trace_id == "E-O.1"
        assert "m" in result.message


def test_frequency_limits_are_marked_not_processed_but_system_busy_is_not() -> None:
    assert classify_fxiaoke_response(reply({"errorCode": 30004})).not_processed
    assert classify_fxiaoke_response(reply({"errorCode": "14001"})).not_processed
    assert not classify_fxiaoke_response(reply({"errorCode": -1})).not_processed


def test_unknown_codes_are_record_level_on_writes_and_fatal_on_reads() -> None:
    payload = {"errorCode": 320001, "errorMessage": "字段[tel]格式错误"}
    assert classify_fxiaoke_response(reply(payload, CREATE)).verdict is Verdict.RECORD
    assert classify_fxiaoke_response(reply(payload, QUERY)).verdict is Verdict.FATAL


def test_non_gateway_replies_are_fatal() -> None:
    redirect = reply({}, status=302)
    assert classify_fxiaoke_response(redirect).verdict is Verdict.FATAL
    html = requests.Response()
    html.status_code = 200
    html._content = b"<html></html>"
    html.url = QUERY
    assert "gateway" in classify_fxiaoke_response(html).message
    assert classify_fxiaoke_response(reply({}, status=503)).verdict is Verdict.RETRIABLE


def test_message_and_description_are_both_kept() -> None:
    result = classify_fxiaoke_response(
        reply(
            {
                "errorCode": 10013,
                "errorMessage": "offset out of range 10000",
                "errorDescription": "offset 不能超过10000",
            }
        )
    )
    assert "offset out of range 10000" in result.message
    assert "不能超过" in result.message


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add(responses.POST, f"{API}/cgi/corpAccessToken/get/V2", json=TOKEN)
        yield mock


def make_client(waits: list[float]) -> FxiaokeClient:
    settings = FxiaokeSettings(
        app_id="a", app_secret="s", permanent_code="p", base_url=API, current_open_user_id="FSUID_1"
    )
    retry = RetryPolicy(sleep=waits.append, rand=lambda: 0.0, max_attempts=3)
    return FxiaokeClient(settings, retry=retry, sleep=waits.append)


def query(client: FxiaokeClient) -> requests.Response:
    return client.http.send(RequestSpec("POST", "/cgi/crm/v2/data/query", json={"data": {}}))


@pytest.mark.parametrize("code", [-1, 50009, 30004, 14001])
def test_retriable_codes_are_retried_on_reads(rsps: responses.RequestsMock, code: int) -> None:
    rsps.add(responses.POST, QUERY, json={"errorCode": code, "errorMessage": "busy"})
    rsps.add(responses.POST, QUERY, json=OK_PAGE)
    waits: list[float] = []
    assert query(make_client(waits)).json() == OK_PAGE
    assert waits == [0.5]


def test_retriable_codes_give_up_with_the_trace_id(rsps: responses.RequestsMock) -> None:
    rsps.add(
        responses.POST,
        QUERY,
        json={"errorCode": -1, "errorMessage": "系统繁忙", "traceId": "E-O.t"},
    )
    with pytest.raises(RetriableAPIError) as info:
        query(make_client([]))
    assert (info.value.code, info.value.trace_id) == ("-1", "E-O.t")


@pytest.mark.parametrize("code", [30002, 30003, 20020, 15003])
def test_quota_and_permission_codes_stop_at_once(rsps: responses.RequestsMock, code: int) -> None:
    rsps.add(
        responses.POST, QUERY, json={"errorCode": code, "errorMessage": "no", "traceId": "E-O.q"}
    )
    waits: list[float] = []
    client = make_client(waits)
    with pytest.raises(FatalAPIError) as info:
        query(client)
    assert info.value.trace_id == "E-O.q"
    assert waits == []
    assert client.http.calls_made == 1


def test_record_error_raised_on_a_raw_write(rsps: responses.RequestsMock) -> None:
    rsps.add(responses.POST, CREATE, json={"errorCode": 15002, "errorMessage": "参数不合法"})
    with pytest.raises(RecordError):
        make_client([]).http.send(RequestSpec("POST", "/cgi/crm/v2/data/create", json={"data": {}}))


def test_a_create_is_resent_after_a_frequency_limit_but_not_after_system_busy(
    rsps: responses.RequestsMock,
) -> None:
    rsps.add(responses.POST, CREATE, json={"errorCode": 30004, "errorMessage": "秒频次超限"})
    rsps.add(responses.POST, CREATE, json={"errorCode": 0, "dataId": "id1"})
    rsps.add(responses.POST, CREATE, json={"errorCode": -1, "errorMessage": "系统繁忙"})
    client = make_client([])
    client.writer.concurrency = 1

    report = client.writer.create("AccountObj", [{"name": "A"}, {"name": "B"}])

    first, second = report.results
    assert (first.outcome, first.record_id) == (WriteOutcome.CREATED, "id1")
    assert (second.outcome, second.code) == (WriteOutcome.FAILED, "-1")
    assert len([c for c in rsps.calls if c.request.url.startswith(CREATE)]) == 3

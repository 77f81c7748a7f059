"""Fxiaoke auth: both grants, token reuse for 6600 s, refresh once on 20016, token-call rate,
operator looked up once by mobile."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses
from pydantic import ValidationError

from connectors.fxiaoke import FxiaokeClient, FxiaokeSettings
from connectors.http import FatalAPIError, RequestSpec, RetryPolicy
from connectors.http.client import TOKEN_REFUSALS
from tests.connectors.fakes import FakeTime

API = "https://fx.test"
QUERY = f"{API}/cgi/crm/v2/data/query"
OK_PAGE = {"errorCode": 0, "data": {"dataList": [], "offset": 0, "limit": 100, "total": 0}}


def body(request: requests.PreparedRequest) -> dict[str, Any]:
    return json.loads(request.body or b"{}")


def trace_ids(calls: Any) -> list[str]:
    return [parse_qs(urlsplit(c.request.url).query)["thirdTraceId"][0] for c in calls]


def make_client(t: FakeTime, **extra: Any) -> FxiaokeClient:
    values: dict[str, Any] = {
        "app_id": "FSAID_1",
        "app_secret": "sec",
        "permanent_code": "perm",
        "base_url": API,
        "current_open_user_id": "FSUID_OP",
        **extra,
    }
    settings = FxiaokeSettings(**values)
    retry = RetryPolicy(sleep=t.sleep, rand=lambda: 0.0)
    return FxiaokeClient(settings, retry=retry, clock=t.clock, sleep=t.sleep)


def corp_tokens(*tokens: str) -> Iterator[dict[str, Any]]:
    for token in tokens:
        yield {
            "errorCode": 0,
            "errorMessage": "success",
            "corpAccessToken": token,
            "corpId": "FSCID_C",
            "expiresIn": 7200,
        }


def add_corp_tokens(rsps: responses.RequestsMock, *tokens: str) -> None:
    for reply in corp_tokens(*tokens):
        rsps.add(responses.POST, f"{API}/cgi/corpAccessToken/get/V2", json=reply)


def query(client: FxiaokeClient) -> None:
    client.http.send(RequestSpec("POST", "/cgi/crm/v2/data/query", json={"data": {}}))


def test_legacy_grant_puts_credentials_in_the_body(rsps: responses.RequestsMock) -> None:
    add_corp_tokens(rsps, "TOK1")
    rsps.add(responses.POST, QUERY, json=OK_PAGE)
    client = make_client(FakeTime())

    query(client)

    token_call, data_call = rsps.calls
    assert body(token_call.request) == {
        "appId": "FSAID_1",
        "appSecret": "sec",
        "permanentCode": "perm",
    }
    sent = body(data_call.request)
    assert sent["corpAccessToken"] == "TOK1"
    assert sent["corpId"] == "FSCID_C"
    assert sent["currentOpenUserId"] == "FSUID_OP"
    assert sent["data"] == {}
    assert "Authorization" not in data_call.request.headers
    ids = trace_ids(rsps.calls)
    assert len(set(ids)) == 2


def test_app_secret_grant_uses_bearer_and_fs_headers(rsps: responses.RequestsMock) -> None:
    rsps.add(
        responses.POST,
        f"{API}/oauth2.0/token",
        json={
            "errorCode": 0,
            "accessToken": "BC1",
            "expiresIn": 7084,
            "ea": "fx123",
            "openUserId": "FSCID_X",
        },
    )
    rsps.add(responses.POST, QUERY, json=OK_PAGE)
    client = make_client(FakeTime(), grant_type="app_secret", current_open_user_id="1000")

    query(client)

    token_call, data_call = rsps.calls
    assert body(token_call.request)["grantType"] == "app_secret"
    headers = data_call.request.headers
    assert headers["Authorization"] == "Bearer BC1"
    assert headers["x-fs-ea"] == "fx123"
    assert headers["x-fs-userid"] == "1000"
    assert "corpAccessToken" not in body(data_call.request)


def test_token_is_reused_within_6600_s_and_renewed_after(rsps: responses.RequestsMock) -> None:
    add_corp_tokens(rsps, "TOK1", "TOK2")
    rsps.add(responses.POST, QUERY, json=OK_PAGE)
    t = FakeTime()
    client = make_client(t)

    query(client)
    t.now = 6599.0
    query(client)
    assert client.auth.token_calls == 1
    t.now = 6601.0
    query(client)

    assert client.auth.token_calls == 2
    tokens = [
        body(c.request).get("corpAccessToken")
        for c in rsps.calls
        if c.request.url.startswith(QUERY)
    ]
    assert tokens == ["TOK1", "TOK1", "TOK2"]


def test_errorcode_20016_refreshes_the_token_once_and_resends(rsps: responses.RequestsMock) -> None:
    add_corp_tokens(rsps, "OLD", "NEW")
    refused = {
        "errorCode": 20016,
        "errorMessage": "the cropId,cropAccessToken or authorization is error",
    }
    rsps.add(responses.POST, QUERY, json=refused)
    rsps.add(responses.POST, QUERY, json=OK_PAGE)
    client = make_client(FakeTime())

    query(client)

    tokens = [
        body(c.request).get("corpAccessToken")
        for c in rsps.calls
        if c.request.url.startswith(QUERY)
    ]
    assert tokens == ["OLD", "NEW"]
    assert client.auth.token_calls == 2


def test_a_20016_that_outlasts_the_retries_is_fatal_with_the_trace_id(
    rsps: responses.RequestsMock,
) -> None:
    add_corp_tokens(rsps, *[f"T{i}" for i in range(6)])
    refused = {"errorCode": 20016, "errorMessage": "token error", "traceId": "E-O.x.1-abc"}
    rsps.add(responses.POST, QUERY, json=refused)
    client = make_client(FakeTime())

    with pytest.raises(FatalAPIError) as info:
        query(client)

    assert info.value.code == "20016"
    assert info.value.trace_id == "E-O.x.1-abc"
    assert "check appId/appSecret/permanentCode" in str(info.value)
    # The first token, then one refresh per attempt, TOKEN_REFUSALS of them: never a loop.
    assert client.auth.token_calls == 1 + TOKEN_REFUSALS


def test_token_calls_are_limited_to_10_a_minute(rsps: responses.RequestsMock) -> None:
    add_corp_tokens(rsps, *[f"T{i}" for i in range(11)])
    t = FakeTime()
    client = make_client(t)

    for _ in range(11):
        client.auth.invalidate(None)
        client.auth.current_token()

    assert client.auth.token_calls == 11
    assert sum(t.waits) == pytest.approx(6.0)  # the 11th waits for one token of 10/60 s


def test_bad_credentials_are_fatal(rsps: responses.RequestsMock) -> None:
    rsps.add(
        responses.POST,
        f"{API}/cgi/corpAccessToken/get/V2",
        json={
            "errorCode": 10006,
            "errorMessage": "the parameter appSecret is missing or illegal",
            "traceId": "open-api-gateway-web/1",
        },
    )
    client = make_client(FakeTime())
    with pytest.raises(FatalAPIError, match="appSecret") as info:
        query(client)
    assert info.value.code == "10006"
    assert "sec" not in str(info.value)


def test_operator_is_resolved_once_by_mobile(rsps: responses.RequestsMock) -> None:
    add_corp_tokens(rsps, "TOK")
    rsps.add(
        responses.POST,
        f"{API}/cgi/user/getByMobile",
        json={"errorCode": 0, "empList": [{"openUserId": "FSUID_M", "mobile": "13800000000"}]},
    )
    rsps.add(responses.POST, QUERY, json=OK_PAGE)
    client = make_client(FakeTime(), current_open_user_id=None, operator_mobile="13800000000")

    query(client)
    query(client)

    lookups = [c for c in rsps.calls if "getByMobile" in c.request.url]
    assert len(lookups) == 1
    sent = body(lookups[0].request)
    assert sent == {"mobile": "13800000000", "corpAccessToken": "TOK", "corpId": "FSCID_C"}
    queries = [body(c.request) for c in rsps.calls if c.request.url.startswith(QUERY)]
    assert [q["currentOpenUserId"] for q in queries] == ["FSUID_M", "FSUID_M"]


def test_settings_need_an_operator_and_read_the_env(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValidationError, match="operator"):
        FxiaokeSettings(app_id="a", app_secret="s", permanent_code="p")
    monkeypatch.setenv("FXIAOKE_APP_ID", "FSAID_ENV")
    monkeypatch.setenv("FXIAOKE_APP_SECRET", "s3")
    monkeypatch.setenv("FXIAOKE_PERMANENT_CODE", "p3")
    monkeypatch.setenv("FXIAOKE_CURRENT_OPEN_USER_ID", "FSUID_E")
    monkeypatch.setenv("FXIAOKE_GRANT_TYPE", "app_secret")
    settings = FxiaokeSettings()
    assert settings.app_id == "FSAID_ENV"
    assert settings.grant_type == "app_secret"
    assert "s3" not in repr(settings)
    assert settings.rate_limit_calls == 100
    assert settings.rate_limit_seconds == 20.0

"""Zoho OAuth: data-centre hosts, HTTP-200 token errors, throttle, refresh-once on 401."""

from __future__ import annotations

import json
from typing import Any, cast
from urllib.parse import parse_qs

import pytest
import requests
import responses

from connectors.http import FatalAPIError, RetryPolicy
from connectors.http.client import TOKEN_REFUSALS
from connectors.zoho import (
    DATA_CENTRES,
    DataCentre,
    ZohoAuthConfigurationError,
    ZohoClient,
    ZohoSettings,
    ZohoTokenThrottledError,
)
from tests.connectors.fakes import FakeTime

TOKEN_OK = {
    "access_token": "1000.access.one",
    "api_domain": "https://www.zohoapis.eu",
    "token_type": "Bearer",
    "expires_in": 3600,
}
EXPECTED_HOSTS = {
    "US": ("https://accounts.zoho.com", "https://www.zohoapis.com"),
    "EU": ("https://accounts.zoho.eu", "https://www.zohoapis.eu"),
    "IN": ("https://accounts.zoho.in", "https://www.zohoapis.in"),
    "AU": ("https://accounts.zoho.com.au", "https://www.zohoapis.com.au"),
    "CN": ("https://accounts.zoho.com.cn", "https://www.zohoapis.com.cn"),
    "JP": ("https://accounts.zoho.jp", "https://www.zohoapis.jp"),
    "CA": ("https://accounts.zohocloud.ca", "https://www.zohoapis.ca"),
    "SA": ("https://accounts.zoho.sa", "https://www.zohoapis.sa"),
}


def settings(dc: str = "EU", **extra: Any) -> ZohoSettings:
    return ZohoSettings(
        client_id="1000.CLIENT",
        client_secret="s3cret",
        refresh_token="1000.refresh.tok",
        data_centre=dc,
        **extra,
    )


def make_client(s: ZohoSettings, time: FakeTime) -> ZohoClient:
    return ZohoClient(
        s, clock=time.clock, sleep=time.sleep, retry=RetryPolicy(sleep=time.sleep, max_attempts=2)
    )


@pytest.mark.parametrize("dc", sorted(EXPECTED_HOSTS))
def test_each_data_centre_uses_its_accounts_server_and_the_returned_api_domain(
    dc: str, rsps: responses.RequestsMock
) -> None:
    accounts, api = EXPECTED_HOSTS[dc]
    hosts = DATA_CENTRES[cast(DataCentre, dc)]
    assert (hosts.accounts_url, hosts.api_domain) == (accounts, api)
    rsps.add(responses.POST, f"{accounts}/oauth/v2/token", json={**TOKEN_OK, "api_domain": api})
    rsps.add(responses.GET, f"{api}/crm/v8/Contacts", status=204)

    pages = list(make_client(settings(dc), FakeTime()).reader.read("Contacts", ["Email"]))

    assert [p.records for p in pages] == [[]]
    token_call, api_call = rsps.calls
    assert token_call.request.url == f"{accounts}/oauth/v2/token"  # nothing in the URL
    body = parse_qs(str(token_call.request.body))
    assert body == {
        "grant_type": ["refresh_token"],
        "client_id": ["1000.CLIENT"],
        "client_secret": ["s3cret"],
        "refresh_token": ["1000.refresh.tok"],
    }
    assert api_call.request.headers["Authorization"] == "Zoho-oauthtoken 1000.access.one"


def test_overrides_point_at_a_sandbox(rsps: responses.RequestsMock) -> None:
    s = settings(accounts_url="http://127.0.0.1:9", api_base_url="http://127.0.0.1:9")
    rsps.add(responses.POST, "http://127.0.0.1:9/oauth/v2/token", json=TOKEN_OK)
    rsps.add(responses.GET, "http://127.0.0.1:9/crm/v8/Leads", status=204)

    list(make_client(s, FakeTime()).reader.read("Leads", ["Email"]))

    assert [str(c.request.url).split("?")[0] for c in rsps.calls] == [
        "http://127.0.0.1:9/oauth/v2/token",
        "http://127.0.0.1:9/crm/v8/Leads",
    ]


@pytest.mark.parametrize("error", ["invalid_code", "invalid_client", "invalid_client_secret"])
def test_http_200_token_errors_are_configuration_errors_naming_the_data_centre(
    error: str, rsps: responses.RequestsMock
) -> None:
    rsps.add(responses.POST, "https://accounts.zoho.jp/oauth/v2/token", json={"error": error})

    with pytest.raises(ZohoAuthConfigurationError) as info:
        list(make_client(settings("JP"), FakeTime()).reader.read("Leads", ["Email"]))

    message = str(info.value)
    assert error in message and "JP" in message and "accounts.zoho.jp" in message
    assert "s3cret" not in message and "1000.refresh.tok" not in message
    assert len(rsps.calls) == 1


@pytest.mark.parametrize("status", [200, 400])
def test_refresh_throttle_waits_instead_of_hammering(
    status: int, rsps: responses.RequestsMock
) -> None:
    throttled = {
        "error_description": "You have made too many requests continuously.",
        "error": "Access Denied",
        "status": "failure",
    }
    url = "https://accounts.zoho.eu/oauth/v2/token"
    rsps.add(responses.POST, url, json=throttled, status=status)
    rsps.add(responses.POST, url, json=TOKEN_OK)
    time = FakeTime()
    client = make_client(settings(), time)

    assert client.auth.api_domain == "https://www.zohoapis.eu"
    assert time.waits == [60.0]
    assert len(rsps.calls) == 2


def test_refresh_throttle_gives_up_after_the_maximum_wait(rsps: responses.RequestsMock) -> None:
    rsps.add(
        responses.POST, "https://accounts.zoho.eu/oauth/v2/token", json={"error": "Access Denied"}
    )
    time = FakeTime()
    client = make_client(settings(), time)

    with pytest.raises(ZohoTokenThrottledError):
        client.auth.current_token()
    assert sum(time.waits) == 900.0
    assert len(rsps.calls) == 16


def test_token_is_reused_until_shortly_before_expiry(rsps: responses.RequestsMock) -> None:
    rsps.add(responses.POST, "https://accounts.zoho.eu/oauth/v2/token", json=TOKEN_OK)
    rsps.add(responses.GET, "https://www.zohoapis.eu/crm/v8/Leads", status=204)
    time = FakeTime()
    client = make_client(settings(), time)

    for now in (0.0, 1000.0, 3299.0):
        time.now = now
        list(client.reader.read("Leads", ["Email"]))
    assert client.auth.refreshes == 1
    time.now = 3301.0  # inside the 300 s margin
    list(client.reader.read("Leads", ["Email"]))
    assert client.auth.refreshes == 2


def test_invalid_token_401_refreshes_once_and_retries_once(rsps: responses.RequestsMock) -> None:
    tokens = iter(["1000.old", "1000.new", "1000.newer"])

    def issue(_: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        return 200, {}, json.dumps({**TOKEN_OK, "access_token": next(tokens)})

    def api(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        if request.headers["Authorization"] == "Zoho-oauthtoken 1000.old":
            return (
                401,
                {},
                '{"code":"INVALID_TOKEN","details":{},"message":"invalid oauth token","status":"error"}',
            )
        return 204, {}, ""

    rsps.add_callback(responses.POST, "https://accounts.zoho.eu/oauth/v2/token", callback=issue)
    rsps.add_callback(responses.GET, "https://www.zohoapis.eu/crm/v8/Leads", callback=api)
    client = make_client(settings(), FakeTime())

    list(client.reader.read("Leads", ["Email"]))

    assert client.auth.refreshes == 2
    assert client.calls_made == 2


def test_invalid_token_after_refreshes_is_fatal_not_a_refresh_loop(
    rsps: responses.RequestsMock,
) -> None:
    rsps.add(responses.POST, "https://accounts.zoho.eu/oauth/v2/token", json=TOKEN_OK)
    rsps.add(
        responses.GET,
        "https://www.zohoapis.eu/crm/v8/Leads",
        status=401,
        json={"code": "INVALID_TOKEN", "details": {}, "message": "invalid oauth token"},
    )
    client = make_client(settings(), FakeTime())

    with pytest.raises(FatalAPIError, match="INVALID_TOKEN"):
        list(client.reader.read("Leads", ["Email"]))
    assert client.auth.refreshes == 1 + TOKEN_REFUSALS
    assert client.calls_made == 2 * TOKEN_REFUSALS


def test_secrets_do_not_appear_in_settings_repr() -> None:
    text = repr(settings())
    assert "s3cret" not in text and "1000.refresh.tok" not in text

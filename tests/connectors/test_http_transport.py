"""Transport rules: HTTPS to every CRM host but this machine, TLS always verified."""

from __future__ import annotations

import pytest
import requests
import responses

from connectors.fxiaoke import FxiaokeSettings
from connectors.http import FatalAPIError, HttpClient, InsecureURLError, RetryPolicy
from connectors.http.transport import is_loopback_url, require_secure_url
from connectors.zoho import ZohoClient, ZohoSettings
from tests.connectors.fakes import FakeTime


@pytest.mark.parametrize(
    "url",
    [
        "https://www.zohoapis.com.cn",
        "https://open.fxiaoke.com/cgi",
        "http://127.0.0.1:8701",
        "http://127.8.9.10",
        "http://localhost:8702/x",
        "http://[::1]:8702",
    ],
)
def test_https_and_loopback_http_are_accepted(url: str) -> None:
    assert require_secure_url(url) == url


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://crm.example.com", "plain http to crm.example.com"),
        ("http://10.0.0.5:8701", "plain http to 10.0.0.5"),
        ("http://127.0.0.1.evil.com", "plain http to 127.0.0.1.evil.com"),
        ("ftp://files.example.com", "not an https:// URL"),
        ("https://", "not an https:// URL"),
    ],
)
def test_plain_http_elsewhere_is_refused(url: str, why: str) -> None:
    with pytest.raises(InsecureURLError, match=why):
        require_secure_url(url, what="the URL")


def test_the_message_never_repeats_a_key_in_the_url() -> None:
    with pytest.raises(InsecureURLError) as caught:
        require_secure_url("http://robot.example.com/send?key=SECRETKEY123", what="the webhook")
    assert "SECRETKEY123" not in str(caught.value)
    assert not is_loopback_url("http://[not an address")


def test_connector_settings_refuse_plain_http_to_another_host() -> None:
    with pytest.raises(ValueError, match="HTTPS only"):
        ZohoSettings(client_id="c", client_secret="s", refresh_token="r",
                     accounts_url="http://accounts.example.com")  # fmt: skip
    with pytest.raises(ValueError, match="HTTPS only"):
        FxiaokeSettings(app_id="a", app_secret="s", permanent_code="p",
                        current_open_user_id="u", base_url="http://open.example.com")  # fmt: skip
    local = FxiaokeSettings(app_id="a", app_secret="s", permanent_code="p",
                            current_open_user_id="u", base_url="http://127.0.0.1:8702")  # fmt: skip
    assert local.base_url == "http://127.0.0.1:8702"


def test_an_api_domain_without_tls_named_by_the_token_reply_is_refused(
    rsps: responses.RequestsMock,
) -> None:
    # A forged or misrouted token reply must not send the API calls (and the token) in clear.
    rsps.post(
        "https://accounts.zoho.com/oauth/v2/token",
        json={"access_token": "1000.tok", "api_domain": "http://evil.example.com",
              "expires_in": 3600},
    )  # fmt: skip
    settings = ZohoSettings(client_id="c", client_secret="s", refresh_token="r")
    time = FakeTime()
    client = ZohoClient(settings, clock=time.clock, sleep=time.sleep,
                        retry=RetryPolicy(sleep=time.sleep, max_attempts=1))  # fmt: skip
    with pytest.raises(FatalAPIError, match=r"plain http to evil\.example\.com"):
        client.auth.current_token()


def test_the_token_request_follows_no_redirect(rsps: responses.RequestsMock) -> None:
    rsps.post(
        "https://accounts.zoho.com/oauth/v2/token",
        status=307,
        headers={"Location": "http://elsewhere.example.com/steal"},
    )
    stolen = rsps.post("http://elsewhere.example.com/steal", json={})
    settings = ZohoSettings(client_id="c", client_secret="s", refresh_token="r")
    time = FakeTime()
    client = ZohoClient(settings, clock=time.clock, sleep=time.sleep,
                        retry=RetryPolicy(sleep=time.sleep, max_attempts=1))  # fmt: skip
    with pytest.raises(Exception):  # noqa: B017, PT011 - any refusal; the point is below
        client.auth.current_token()
    assert stolen.call_count == 0


def test_tls_verification_is_on_and_no_setting_turns_it_off() -> None:
    assert requests.Session().verify is True
    assert HttpClient().session.verify is True
    for model in (ZohoSettings, FxiaokeSettings):
        assert not [name for name in model.model_fields if "verify" in name or "tls" in name]

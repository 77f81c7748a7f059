"""The shared retry policy: bounded, Retry-After honoured, nothing slept for real."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

import pytest
import requests
import responses

from connectors.http import (
    HttpClient,
    RequestSpec,
    RetriableAPIError,
    RetryPolicy,
    parse_retry_after,
)

URL = "https://api.example.test/items"
NOW = 1_700_000_000.0


class FakeSleep:
    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def make_client(sleep: FakeSleep, **policy: Any) -> HttpClient:
    retry = RetryPolicy(sleep=sleep, clock=lambda: NOW, rand=lambda: 0.5, **policy)
    return HttpClient(base_url="https://api.example.test", retry=retry)


def test_429_with_retry_after_seconds_is_waited_then_succeeds(rsps: responses.RequestsMock) -> None:
    rsps.add(responses.GET, URL, status=429, headers={"Retry-After": "7"})
    rsps.add(responses.GET, URL, json={"ok": True})
    sleep = FakeSleep()
    client = make_client(sleep)

    response = client.send(RequestSpec("GET", "/items"))

    assert response.json() == {"ok": True}
    assert sleep.waits == [7.0]
    assert client.calls_made == 2


def test_retry_after_http_date_is_converted_to_seconds(rsps: responses.RequestsMock) -> None:
    when = format_datetime(datetime.fromtimestamp(NOW + 30, tz=UTC), usegmt=True)
    rsps.add(responses.GET, URL, status=503, headers={"Retry-After": when})
    rsps.add(responses.GET, URL, json={})
    sleep = FakeSleep()

    make_client(sleep).send(RequestSpec("GET", "/items"))

    assert sleep.waits == [30.0]


def test_5xx_retries_are_bounded_and_the_last_error_escapes(rsps: responses.RequestsMock) -> None:
    rsps.add(responses.GET, URL, status=500)
    sleep = FakeSleep()
    client = make_client(sleep, max_attempts=4, initial_wait=1.0, multiplier=2.0)

    with pytest.raises(RetriableAPIError) as info:
        client.send(RequestSpec("GET", "/items"))

    assert info.value.status == 500
    assert client.calls_made == 4
    # Exponential with the jitter pinned at half: base/2 + 0.5 * base/2 = 0.75 * base.
    assert sleep.waits == [0.75, 1.5, 3.0]


def test_timeouts_and_connection_errors_are_retried(rsps: responses.RequestsMock) -> None:
    rsps.add(responses.GET, URL, body=requests.ReadTimeout("slow"))
    rsps.add(responses.GET, URL, body=requests.ConnectionError("reset"))
    rsps.add(responses.GET, URL, json={"ok": 1})
    sleep = FakeSleep()
    client = make_client(sleep)

    assert client.send(RequestSpec("GET", "/items")).json() == {"ok": 1}
    assert client.calls_made == 3
    assert len(sleep.waits) == 2


def test_timeout_retries_are_bounded_too(rsps: responses.RequestsMock) -> None:
    rsps.add(responses.GET, URL, body=requests.ReadTimeout("slow"))
    client = make_client(FakeSleep(), max_attempts=3)

    with pytest.raises(requests.ReadTimeout):
        client.send(RequestSpec("GET", "/items"))
    assert client.calls_made == 3


def test_retry_after_longer_than_the_total_wait_gives_up_at_once(
    rsps: responses.RequestsMock,
) -> None:
    rsps.add(responses.GET, URL, status=429, headers={"Retry-After": "3600"})
    sleep = FakeSleep()
    client = make_client(sleep, max_total_wait=120.0)

    with pytest.raises(RetriableAPIError) as info:
        client.send(RequestSpec("GET", "/items"))

    assert info.value.retry_after == 3600.0
    assert sleep.waits == []
    assert client.calls_made == 1


def test_non_idempotent_request_is_not_resent_after_a_5xx(rsps: responses.RequestsMock) -> None:
    rsps.add(responses.POST, URL, status=502)
    client = make_client(FakeSleep())

    with pytest.raises(RetriableAPIError):
        client.send(RequestSpec("POST", "/items", json={"a": 1}, idempotent=False))
    assert client.calls_made == 1


def test_non_idempotent_request_is_resent_after_a_429(rsps: responses.RequestsMock) -> None:
    rsps.add(responses.POST, URL, status=429)
    rsps.add(responses.POST, URL, status=201, json={"id": "1"})
    client = make_client(FakeSleep())

    response = client.send(RequestSpec("POST", "/items", json={"a": 1}, idempotent=False))
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12", 12.0), ("0", 0.0), ("-5", 0.0), ("soon", None), ("", None), (None, None)],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value, now=NOW) == expected

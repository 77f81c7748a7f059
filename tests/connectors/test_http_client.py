"""The HTTP client: classification hook, credit budget, redaction, limits, auth refresh."""

from __future__ import annotations

import logging
import threading

import pytest
import requests
import responses

from connectors.http import (
    AccessToken,
    BudgetExhaustedError,
    Classification,
    ConcurrencyLimit,
    CreditBudget,
    FatalAPIError,
    HttpClient,
    RecordError,
    RefreshingAuth,
    RequestSpec,
    RetryPolicy,
    TokenBucket,
    Verdict,
    sanitize_url,
)
from connectors.http.client import TOKEN_REFUSALS

BASE = "https://api.example.test"


def no_sleep(_: float) -> None:
    raise AssertionError("this test must not wait")


def errors_in_200(response: requests.Response) -> Classification:
    body = response.json()
    if body.get("errorCode", 0) == 0:
        return Classification.ok()
    if body["errorCode"] == 1:
        return Classification(Verdict.RECORD, "BAD_ROW", body["message"])
    return Classification(Verdict.FATAL, "BAD_KEY", body["message"])


def test_classifier_turns_http_200_errors_into_typed_exceptions(
    rsps: responses.RequestsMock,
) -> None:
    rsps.add(responses.POST, f"{BASE}/rows", json={"errorCode": 1, "message": "row refused"})
    rsps.add(responses.POST, f"{BASE}/keys", json={"errorCode": 2, "message": "bad app key"})
    rsps.add(responses.POST, f"{BASE}/ok", json={"errorCode": 0})
    client = HttpClient(base_url=BASE, classifier=errors_in_200)

    with pytest.raises(RecordError, match="row refused") as record:
        client.send(RequestSpec("POST", "/rows", json={}))
    with pytest.raises(FatalAPIError, match="bad app key"):
        client.send(RequestSpec("POST", "/keys", json={}))

    assert record.value.code == "BAD_ROW"
    assert client.send(RequestSpec("POST", "/ok", json={})).status_code == 200


def test_budget_refuses_before_sending(rsps: responses.RequestsMock) -> None:
    rsps.add(responses.GET, f"{BASE}/a", json={})
    budget = CreditBudget(daily_limit=5)
    client = HttpClient(base_url=BASE, budget=budget, cost=lambda spec: 2)

    client.send(RequestSpec("GET", "/a"))
    client.send(RequestSpec("GET", "/a"))
    with pytest.raises(BudgetExhaustedError) as info:
        client.send(RequestSpec("GET", "/a"))

    assert (info.value.needed, info.value.remaining) == (2, 1)
    assert client.calls_made == 2
    assert len(rsps.calls) == 2


def test_budget_follows_the_remaining_credits_the_api_reports(
    rsps: responses.RequestsMock,
) -> None:
    rsps.add(responses.GET, f"{BASE}/a", json={}, headers={"X-Credits-Left": "1"})
    rsps.add(responses.GET, f"{BASE}/a", json={}, headers={"X-Credits-Left": "0"})
    budget = CreditBudget(daily_limit=1000, remaining_header="X-Credits-Left")
    client = HttpClient(base_url=BASE, budget=budget)

    client.send(RequestSpec("GET", "/a"))
    assert budget.remaining == 1
    client.send(RequestSpec("GET", "/a"))
    with pytest.raises(BudgetExhaustedError):
        client.send(RequestSpec("GET", "/a"))
    assert len(rsps.calls) == 2


def test_budget_window_resets_after_a_day() -> None:
    now = [0.0]
    budget = CreditBudget(daily_limit=3, clock=lambda: now[0])
    budget.charge(3)
    with pytest.raises(BudgetExhaustedError):
        budget.ensure(1)
    now[0] = 86_400.0
    budget.ensure(3)
    assert budget.remaining == 3


def test_logged_urls_are_sanitised_and_authorization_never_logged(
    rsps: responses.RequestsMock, caplog: pytest.LogCaptureFixture
) -> None:
    rsps.add(responses.GET, f"{BASE}/a", status=503)
    rsps.add(responses.GET, f"{BASE}/a", json={})
    client = HttpClient(
        base_url=BASE,
        headers={"Authorization": "Bearer sekrit-header"},
        retry=RetryPolicy(sleep=lambda _: None, rand=lambda: 0.0),
    )
    params = {"access_token": "tok-123", "client_secret": "cs-456", "page": "2", "code": "c-789"}

    with caplog.at_level(logging.DEBUG, logger="connectors.http"):
        client.send(RequestSpec("GET", "/a", params=params))

    text = caplog.text
    for secret in ("tok-123", "cs-456", "c-789", "sekrit-header"):
        assert secret not in text
    assert "page=2" in text
    assert any(r.levelno == logging.WARNING for r in caplog.records)


def test_sanitize_url_masks_secret_params_and_userinfo() -> None:
    url = "https://user:pw@h.test/p?refresh_token=r1&page_token=p1&password=x&fields=a,b"
    clean = sanitize_url(url)
    assert clean == "https://***@h.test/p?refresh_token=***&page_token=***&password=***&fields=a,b"


class CountingAuth(RefreshingAuth):
    def __init__(self) -> None:
        super().__init__(clock=lambda: 0.0)
        self.issued = 0

    def fetch_token(self) -> AccessToken:
        self.issued += 1
        return AccessToken(f"t{self.issued}", expires_at=3600.0)


def test_refused_token_is_refreshed_once_and_request_resent_once(
    rsps: responses.RequestsMock,
) -> None:
    seen: list[str] = []

    def answer(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        seen.append(str(request.headers["Authorization"]))
        return (
            (200, {}, "{}") if request.headers["Authorization"] == "Bearer t2" else (401, {}, "{}")
        )

    rsps.add_callback(responses.GET, f"{BASE}/a", callback=answer)
    auth = CountingAuth()
    client = HttpClient(base_url=BASE, auth=auth, retry=RetryPolicy(sleep=no_sleep))

    assert client.send(RequestSpec("GET", "/a")).status_code == 200
    assert seen == ["Bearer t1", "Bearer t2"]


def test_persistent_401_is_fatal_when_the_retries_run_out(rsps: responses.RequestsMock) -> None:
    rsps.add(responses.POST, f"{BASE}/a", status=401, json={})
    auth = CountingAuth()
    retry = RetryPolicy(sleep=lambda _: None, max_attempts=3)
    client = HttpClient(base_url=BASE, auth=auth, retry=retry)

    with pytest.raises(FatalAPIError) as info:
        client.send(RequestSpec("POST", "/a", idempotent=False))
    assert type(info.value) is FatalAPIError
    assert info.value.status == 401
    # Each attempt refreshes once and resends once: bounded, never a loop.
    assert auth.issued == 1 + TOKEN_REFUSALS
    assert client.calls_made == 2 * TOKEN_REFUSALS


def test_a_fresh_token_refused_too_is_refreshed_again_after_a_back_off(
    rsps: responses.RequestsMock,
) -> None:
    """Another client of the same app refreshed meanwhile and took the new token away: the
    insert is retried (nothing was processed) with a third token and lands once."""
    seen: list[str] = []

    def answer(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        seen.append(str(request.headers["Authorization"]))
        return (
            (200, {}, "{}") if request.headers["Authorization"] == "Bearer t3" else (401, {}, "{}")
        )

    rsps.add_callback(responses.POST, f"{BASE}/a", callback=answer)
    sleeps: list[float] = []
    client = HttpClient(
        base_url=BASE,
        auth=CountingAuth(),
        retry=RetryPolicy(sleep=sleeps.append, rand=lambda: 0.0),
    )

    assert client.send(RequestSpec("POST", "/a", idempotent=False)).status_code == 200
    assert seen == ["Bearer t1", "Bearer t2", "Bearer t2", "Bearer t3"]
    assert len(sleeps) == 1


def test_token_bucket_spaces_calls_using_the_injected_clock() -> None:
    now = [0.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    bucket = TokenBucket(calls=2, per_seconds=10.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(4):
        bucket.acquire()

    assert waits == [5.0, 5.0]
    assert now[0] == 10.0


def test_concurrency_limit_bounds_calls_in_flight() -> None:
    limit = ConcurrencyLimit(2)
    inside = threading.Barrier(2)
    release = threading.Event()

    def work() -> None:
        with limit.slot():
            inside.wait(timeout=5)
            release.wait(timeout=5)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    inside_blocked = limit._semaphore.acquire(blocking=False)
    release.set()
    for t in threads:
        t.join(timeout=5)

    assert inside_blocked is False
    assert limit.peak == 2

"""Core additions: per-endpoint token buckets, trace ids and `not_processed` retries."""

from __future__ import annotations

import pytest
import requests
import responses

from connectors.http import (
    Classification,
    EndpointRateLimits,
    FatalAPIError,
    HttpClient,
    RequestSpec,
    RetriableAPIError,
    RetryPolicy,
    Verdict,
    is_retriable,
)
from tests.connectors.fakes import FakeTime

BASE = "https://api.example.test"


def test_each_endpoint_has_its_own_bucket(rsps: responses.RequestsMock) -> None:
    rsps.add(responses.POST, f"{BASE}/a", json={})
    rsps.add(responses.POST, f"{BASE}/b", json={})
    t = FakeTime()
    limits = EndpointRateLimits(2, 10.0, clock=t.clock, sleep=t.sleep)
    client = HttpClient(base_url=BASE, endpoint_limits=limits)

    for _ in range(2):
        client.send(RequestSpec("POST", "/a"))
        client.send(RequestSpec("POST", "/b"))
    assert t.waits == []  # two calls each: within both buckets
    client.send(RequestSpec("POST", "/a?x=1"))
    # /a is full until its window (10 s + a 5 % margin) has passed; the query string is the same
    # endpoint.
    assert t.waits == [pytest.approx(10.5)]
    assert limits.bucket("/a") is limits.bucket(f"{BASE}/a")


def test_bad_bucket_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="rate limit"):
        EndpointRateLimits(0, 10.0)


def test_no_window_ever_holds_more_than_the_limit() -> None:
    # A token bucket would let 2x through one window (a full bucket, then its refill); a gateway
    # counting a sliding window refuses that excess. The log of send times never allows it.
    from connectors.http import SlidingWindowLimit

    t = FakeTime()
    limit = SlidingWindowLimit(100, 20.0, clock=t.clock, sleep=t.sleep)
    sent: list[float] = []
    for _ in range(450):
        limit.acquire()
        sent.append(t.clock())
    for i, start in enumerate(sent):
        in_window = [s for s in sent[i:] if s < start + 20.0]
        assert len(in_window) <= 100


def classify_body(response: requests.Response) -> Classification:
    body = response.json()
    if body["code"] == "busy":
        return Classification(Verdict.RETRIABLE, "busy", "busy", trace_id="t-1", not_processed=True)
    if body["code"] == "bad":
        return Classification(Verdict.FATAL, "bad", "bad", trace_id="t-2")
    return Classification.ok()


def test_not_processed_lets_a_non_idempotent_request_be_resent(
    rsps: responses.RequestsMock,
) -> None:
    rsps.add(responses.POST, f"{BASE}/w", json={"code": "busy"})
    rsps.add(responses.POST, f"{BASE}/w", json={"code": "ok"})
    waits: list[float] = []
    client = HttpClient(
        base_url=BASE,
        classifier=classify_body,
        retry=RetryPolicy(sleep=waits.append, rand=lambda: 0.0),
    )
    assert client.send(RequestSpec("POST", "/w", idempotent=False)).json() == {"code": "ok"}
    assert client.calls_made == 2


def test_trace_id_is_kept_on_errors(rsps: responses.RequestsMock) -> None:
    rsps.add(responses.POST, f"{BASE}/f", json={"code": "bad"})
    client = HttpClient(base_url=BASE, classifier=classify_body)
    with pytest.raises(FatalAPIError) as info:
        client.send(RequestSpec("POST", "/f"))
    assert info.value.trace_id == "t-2"
    assert "t-2" in str(info.value)


def test_ambiguous_retriable_error_is_not_resent_for_writes() -> None:
    plain = RetriableAPIError("busy", status=200)
    marked = RetriableAPIError("busy", status=200, not_processed=True)
    assert not is_retriable(plain, idempotent=False)
    assert is_retriable(marked, idempotent=False)


def test_a_rounding_short_bucket_does_not_spin_a_fake_clock() -> None:
    t = FakeTime()
    t.now = 30.0
    bucket = EndpointRateLimits(100, 20.0, clock=t.clock, sleep=t.sleep).bucket("/x")
    bucket._tokens = 1 - 1e-12  # what repeated refills leave behind
    assert bucket.try_acquire() == 0.0

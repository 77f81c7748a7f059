"""Client-side limits: calls per time window (token bucket) and calls in flight (semaphore)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from connectors.http.clock import Clock, Sleep, monotonic_clock, real_sleep

__all__ = ["ConcurrencyLimit", "EndpointRateLimits", "TokenBucket"]

_EPSILON = 1e-9


class TokenBucket:
    """At most `calls` per `per_seconds`, with bursts up to `calls`; safe across threads.

    `acquire` blocks by calling `sleep`; with a fake clock, the fake sleep must advance it.
    """

    def __init__(
        self,
        calls: int,
        per_seconds: float,
        *,
        clock: Clock = monotonic_clock,
        sleep: Sleep = real_sleep,
    ) -> None:
        if calls < 1 or per_seconds <= 0:
            raise ValueError("a token bucket needs calls >= 1 and per_seconds > 0")
        self.capacity = float(calls)
        self.rate = calls / per_seconds
        self._tokens = float(calls)
        self._clock = clock
        self._sleep = sleep
        self._updated = clock()
        self._lock = threading.Lock()

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.rate)
        self._updated = now

    def try_acquire(self) -> float:
        """Take a token and return 0, or take nothing and return the seconds to wait."""
        with self._lock:
            self._refill()
            # Tolerate float rounding: a wait shorter than the clock's resolution would never
            # advance a (fake) clock, and the caller would spin forever.
            if self._tokens >= 1 - _EPSILON:
                self._tokens = max(0.0, self._tokens - 1)
                return 0.0
            return (1 - self._tokens) / self.rate

    def acquire(self) -> None:
        # Sleep outside the lock so other threads can refill and compute their own wait.
        while (wait := self.try_acquire()) > 0:
            self._sleep(wait)


class EndpointRateLimits:
    """One `TokenBucket` per endpoint (URL path), for APIs that limit each path separately
    (Fxiaoke: 100 calls per 20 s per interface). Buckets are made on first use and shared by
    every thread sending to that path."""

    def __init__(
        self,
        calls: int,
        per_seconds: float,
        *,
        clock: Clock = monotonic_clock,
        sleep: Sleep = real_sleep,
    ) -> None:
        TokenBucket(calls, per_seconds)  # validate the arguments once, up front
        self.calls = calls
        self.per_seconds = per_seconds
        self._clock = clock
        self._sleep = sleep
        self._buckets: dict[str, TokenBucket] = {}
        self._lock = threading.Lock()

    @staticmethod
    def endpoint(url: str) -> str:
        return urlsplit(url).path.rstrip("/") or "/"

    def bucket(self, url: str) -> TokenBucket:
        key = self.endpoint(url)
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = TokenBucket(
                    self.calls, self.per_seconds, clock=self._clock, sleep=self._sleep
                )
                self._buckets[key] = bucket
            return bucket

    def acquire(self, url: str) -> None:
        self.bucket(url).acquire()


class ConcurrencyLimit:
    """At most `max_in_flight` calls at once (Zoho: the edition's concurrency limit)."""

    def __init__(self, max_in_flight: int) -> None:
        if max_in_flight < 1:
            raise ValueError("max_in_flight must be at least 1")
        self.max_in_flight = max_in_flight
        self._semaphore = threading.BoundedSemaphore(max_in_flight)
        self._lock = threading.Lock()
        self._in_flight = 0
        self.peak = 0

    @contextmanager
    def slot(self) -> Iterator[None]:
        with self._semaphore:
            with self._lock:
                self._in_flight += 1
                self.peak = max(self.peak, self._in_flight)
            try:
                yield
            finally:
                with self._lock:
                    self._in_flight -= 1

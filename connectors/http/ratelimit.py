"""Client-side limits: calls per time window (token bucket) and calls in flight (semaphore)."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from connectors.http.clock import Clock, Sleep, monotonic_clock, real_sleep

__all__ = ["ConcurrencyLimit", "EndpointRateLimits", "SlidingWindowLimit", "TokenBucket"]

_EPSILON = 1e-9
_MIN_WAIT = 1e-6  # a positive wait, so a fake clock always moves


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


class SlidingWindowLimit:
    """At most `calls` sends in ANY window of `per_seconds`, as gateways count them.

    A token bucket lets up to twice its rate through one window (a full bucket, then the
    refill); a gateway that counts a sliding window refuses the excess. This keeps a log of
    send times instead. The window is widened by 5 % (at least 50 ms), because requests reach
    the server a little later than they leave here.
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
            raise ValueError("a rate limit needs calls >= 1 and per_seconds > 0")
        self.calls = calls
        self.window = per_seconds + max(per_seconds * 0.05, 0.05)
        self._sent: deque[float] = deque()
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()

    def try_acquire(self) -> float:
        """Record a send and return 0, or record nothing and return the seconds to wait."""
        with self._lock:
            now = self._clock()
            while self._sent and self._sent[0] <= now - self.window:
                self._sent.popleft()
            if len(self._sent) < self.calls:
                self._sent.append(now)
                return 0.0
            return max(self._sent[0] + self.window - now, _MIN_WAIT)

    def acquire(self) -> None:
        while (wait := self.try_acquire()) > 0:
            self._sleep(wait)


class EndpointRateLimits:
    """One `SlidingWindowLimit` per endpoint (URL path), for APIs that limit each path
    separately (Fxiaoke: 100 calls per 20 s per interface). Limits are made on first use and
    shared by every thread sending to that path."""

    def __init__(
        self,
        calls: int,
        per_seconds: float,
        *,
        clock: Clock = monotonic_clock,
        sleep: Sleep = real_sleep,
    ) -> None:
        SlidingWindowLimit(calls, per_seconds)  # validate the arguments once, up front
        self.calls = calls
        self.per_seconds = per_seconds
        self._clock = clock
        self._sleep = sleep
        self._buckets: dict[str, SlidingWindowLimit] = {}
        self._lock = threading.Lock()

    @staticmethod
    def endpoint(url: str) -> str:
        return urlsplit(url).path.rstrip("/") or "/"

    def bucket(self, url: str) -> SlidingWindowLimit:
        key = self.endpoint(url)
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = SlidingWindowLimit(
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

"""Client-side limits: calls per time window (token bucket) and calls in flight (semaphore)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from connectors.http.clock import Clock, Sleep, monotonic_clock, real_sleep

__all__ = ["ConcurrencyLimit", "TokenBucket"]


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
            if self._tokens >= 1:
                self._tokens -= 1
                return 0.0
            return (1 - self._tokens) / self.rate

    def acquire(self) -> None:
        # Sleep outside the lock so other threads can refill and compute their own wait.
        while (wait := self.try_acquire()) > 0:
            self._sleep(wait)


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

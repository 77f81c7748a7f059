"""The one retry policy of every connector: bounded exponential backoff with jitter.

`Retry-After` (seconds or an HTTP date) wins over the computed backoff. Attempts and the total
time spent waiting are both bounded; a server asking for a longer wait than the budget allows
makes us give up at once and re-raise, rather than sleep for hours.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

import requests
from tenacity import RetryCallState, Retrying, retry_if_exception

from connectors.http.clock import Sleep, WallClock, real_sleep, wall_clock
from connectors.http.errors import RetriableAPIError

__all__ = ["RetryPolicy", "is_retriable", "parse_retry_after"]


def parse_retry_after(value: str | None, *, now: float) -> float | None:
    """Seconds to wait from a Retry-After header value (delta-seconds or HTTP date)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


def is_retriable(exc: BaseException, *, idempotent: bool) -> bool:
    """Whether resending is safe and useful after `exc`.

    A non-idempotent request (an insert) is resent only when the server surely did nothing:
    a 429 (or an error marked `not_processed`), or a connection that was never made. A read
    timeout or 5xx may hide a done write.
    """
    if isinstance(exc, RetriableAPIError):
        return idempotent or exc.status == 429 or exc.not_processed
    if isinstance(exc, requests.ConnectTimeout):
        return True
    if isinstance(exc, requests.ConnectionError | requests.Timeout):
        return idempotent
    return isinstance(exc, requests.exceptions.ChunkedEncodingError) and idempotent


# Jitter from a stream of its own: retries run in worker threads, and drawing from the
# global one would change the state every other user of ``random`` in the process sees.
_JITTER = random.Random()  # noqa: S311 (a backoff jitter, not a secret)


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry. `sleep`, `clock` and `rand` are injectable for tests."""

    max_attempts: int = 5
    initial_wait: float = 1.0
    multiplier: float = 2.0
    max_wait: float = 60.0
    max_total_wait: float = 300.0
    jitter: bool = True
    sleep: Sleep = real_sleep
    clock: WallClock = wall_clock
    rand: Callable[[], float] = field(default_factory=lambda: _JITTER.random)

    def backoff(self, attempt: int) -> float:
        """Wait before attempt `attempt + 1`: exponential, capped, with half of it jittered."""
        base = min(self.max_wait, self.initial_wait * self.multiplier ** max(0, attempt - 1))
        if not self.jitter:
            return base
        return base / 2 + self.rand() * base / 2

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome is not None else None
        if isinstance(exc, RetriableAPIError) and exc.retry_after is not None:
            return exc.retry_after
        return self.backoff(state.attempt_number)

    def _stop(self, state: RetryCallState) -> bool:
        if state.attempt_number >= self.max_attempts:
            return True
        return state.idle_for + state.upcoming_sleep > self.max_total_wait

    def retrying(
        self,
        *,
        idempotent: bool,
        before_sleep: Callable[[RetryCallState], None] | None = None,
        max_elapsed: float | None = None,
    ) -> Retrying:
        """A tenacity controller for one request; the last error is re-raised unchanged.
        ``max_elapsed``: no retry starts past this many seconds since the first attempt."""

        def stop(state: RetryCallState) -> bool:
            if max_elapsed is not None:
                elapsed = state.seconds_since_start or 0.0
                if elapsed + (state.upcoming_sleep or 0.0) > max_elapsed:
                    return True
            return self._stop(state)

        return Retrying(
            retry=retry_if_exception(lambda e: is_retriable(e, idempotent=idempotent)),
            wait=self._wait,
            stop=stop,
            sleep=self.sleep,
            before_sleep=before_sleep,
            reraise=True,
        )

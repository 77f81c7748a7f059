"""API-credit accounting: every call is charged before it is sent, against a daily budget.

When the API reports what it has left (Zoho `X-API-CREDITS-REMAINING`), that figure caps ours,
since other apps of the same org spend from the same pool.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TypeAlias

import requests

from connectors.http.clock import WallClock, wall_clock
from connectors.http.errors import BudgetExhaustedError
from connectors.http.request import RequestSpec

__all__ = ["CostFunction", "CreditBudget", "one_credit_per_call"]

logger = logging.getLogger(__name__)

CostFunction: TypeAlias = Callable[[RequestSpec], int]

_DAY = 86_400.0


def one_credit_per_call(_: RequestSpec) -> int:
    return 1


class CreditBudget:
    """Credits spent in the current 24-hour window, refusing any call that would overspend.

    `daily_limit=None` means no budget of our own; a reported remaining figure still applies.
    """

    def __init__(
        self,
        daily_limit: int | None,
        *,
        remaining_header: str | None = None,
        clock: WallClock = wall_clock,
    ) -> None:
        self.daily_limit = daily_limit
        self.remaining_header = remaining_header
        self._clock = clock
        self._window_start = clock()
        self._lock = threading.Lock()
        self.spent = 0
        self.calls = 0
        self.reported_remaining: int | None = None

    def _roll(self) -> None:
        if self._clock() - self._window_start >= _DAY:
            self._window_start = self._clock()
            self.spent = 0
            self.reported_remaining = None

    @property
    def remaining(self) -> int | None:
        """Credits still allowed, or None when nothing bounds them."""
        with self._lock:
            self._roll()
            return self._remaining()

    def _remaining(self) -> int | None:
        own = None if self.daily_limit is None else self.daily_limit - self.spent
        if self.reported_remaining is None:
            return own
        return self.reported_remaining if own is None else min(own, self.reported_remaining)

    def ensure(self, credits: int, *, detail: str = "") -> None:
        """Raise `BudgetExhaustedError` if `credits` more would exceed what remains."""
        with self._lock:
            self._roll()
            left = self._remaining()
            if left is not None and credits > left:
                raise BudgetExhaustedError(credits, max(0, left), detail=detail)

    def charge(self, credits: int) -> None:
        """Check and spend `credits` atomically, before the call is sent."""
        with self._lock:
            self._roll()
            left = self._remaining()
            if left is not None and credits > left:
                raise BudgetExhaustedError(credits, max(0, left))
            self.spent += credits
            self.calls += 1
            if self.reported_remaining is not None:
                self.reported_remaining -= credits

    def observe(self, response: requests.Response) -> None:
        """Take the API's own remaining figure from the response header, when present."""
        if self.remaining_header is None:
            return
        raw = response.headers.get(self.remaining_header)
        if raw is None:
            return
        try:
            value = int(raw.strip())
        except ValueError:
            logger.warning("ignoring unreadable %s header: %r", self.remaining_header, raw)
            return
        with self._lock:
            self.reported_remaining = value

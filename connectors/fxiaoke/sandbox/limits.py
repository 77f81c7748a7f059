"""Per-endpoint sliding-window frequency limit and the daily call quota."""

from __future__ import annotations

import threading
from collections import defaultdict, deque

from connectors.fxiaoke.sandbox.config import Clock, RateLimitConfig
from connectors.fxiaoke.sandbox.errors import FxiaokeCode, SandboxApiError

__all__ = ["DailyQuota", "EndpointRateLimiter"]

_CHINA_OFFSET = 8 * 3600  # the quota resets at 00:00 Beijing time


class EndpointRateLimiter:
    """`calls` per `window_seconds` for each path separately; refused calls are not counted."""

    def __init__(self, config: RateLimitConfig, clock: Clock) -> None:
        self._config = config
        self._clock = clock
        self._lock = threading.Lock()
        self._seen: defaultdict[str, deque[float]] = defaultdict(deque)

    def admit(self, path: str) -> None:
        now = self._clock()
        with self._lock:
            window = self._seen[path]
            while window and window[0] <= now - self._config.window_seconds:
                window.popleft()
            if len(window) >= self._config.calls:
                raise SandboxApiError(self._config.error_code)
            window.append(now)


class DailyQuota:
    """Business calls per day; `None` = unlimited, 0 = no quota purchased (30003)."""

    def __init__(self, limit: int | None, clock: Clock) -> None:
        self.limit = limit
        self._clock = clock
        self._lock = threading.Lock()
        self._day = -1
        self.used = 0

    def admit(self) -> None:
        if self.limit is None:
            return
        if self.limit <= 0:
            raise SandboxApiError(FxiaokeCode.NO_QUOTA_PURCHASED)
        day = int((self._clock() + _CHINA_OFFSET) // 86400)
        with self._lock:
            if day != self._day:
                self._day, self.used = day, 0
            if self.used >= self.limit:
                raise SandboxApiError(FxiaokeCode.DAILY_QUOTA_EXCEEDED)
            self.used += 1

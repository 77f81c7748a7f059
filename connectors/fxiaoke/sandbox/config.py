"""Settings of a sandbox run: demo credentials, rate limits, fault rates and the clock."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from connectors.fxiaoke.sandbox.errors import FxiaokeCode

__all__ = [
    "Clock",
    "DemoUser",
    "FaultConfig",
    "ManualClock",
    "RateLimitConfig",
    "SandboxCredentials",
]

Clock = Callable[[], float]
"""Seconds since the epoch; `time.time` by default, a `ManualClock` in tests."""


class ManualClock:
    """A clock that moves only when told to, so tests can jump token and rate windows."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self._now = start
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += seconds


@dataclass(frozen=True)
class DemoUser:
    """An employee: `open_user_id` for the legacy convention, `employee_id` for headers."""

    open_user_id: str
    employee_id: str
    name: str
    mobile: str
    email: str
    status: str = "NORMAL"


@dataclass(frozen=True)
class SandboxCredentials:
    """The one tenant the sandbox serves. Demo values only; nothing here is a real secret."""

    app_id: str = "FSAID_131SANDBOX"
    app_secret: str = "0123456789abcdef0123456789abcdef"  # noqa: S105 - demo value
    permanent_code: str = "FEDCBA9876543210FEDCBA9876543210"
    corp_id: str = "FSCID_00112233445566778899AABBCCDDEEFF"
    ea: str = "sandbox"
    users: tuple[DemoUser, ...] = (
        DemoUser(
            "FSUID_FFEEDDCCBBAA99887766554433221100",
            "1000",
            "管理员",
            "13800000000",
            "admin@example.com",
        ),
        DemoUser(
            "FSUID_0123456789ABCDEF0123456789ABCDEF",
            "1001",
            "销售一",
            "13900000001",
            "sales1@example.com",
        ),
    )

    @property
    def admin(self) -> DemoUser:
        return self.users[0]


@dataclass(frozen=True)
class RateLimitConfig:
    """Per-endpoint sliding window (100 calls / 20 s documented) and the token-call cap.

    Which of 30004 and 14001 signals the per-endpoint limit is undocumented; 30004 by default.
    """

    calls: int = 100
    window_seconds: float = 20.0
    error_code: int = FxiaokeCode.FREQUENCY_LIMITED
    token_calls_per_minute: int = 10


@dataclass(frozen=True)
class FaultConfig:
    """Probabilities (0..1) of an injected fault per business call, drawn from the seed.

    `lost_reply` runs the call and then drops the connection, so the write happened but the
    client cannot know; every other fault happens before the call touches any data.
    """

    rate_limited: float = 0.0
    system_error: float = 0.0
    timeout: float = 0.0
    dropped: float = 0.0
    token_invalidation: float = 0.0
    lost_reply: float = 0.0
    timeout_seconds: float = 2.0
    paths: tuple[str, ...] = field(default=("/cgi/crm/",))

    @classmethod
    def mixed(cls, rate: float, *, timeout_seconds: float = 2.0) -> FaultConfig:
        """Spread `rate` over the retriable faults (no lost replies)."""
        share = rate / 5
        return cls(
            rate_limited=share,
            system_error=share,
            timeout=share,
            dropped=share,
            token_invalidation=share,
            timeout_seconds=timeout_seconds,
        )

    def total(self) -> float:
        return (
            self.rate_limited
            + self.system_error
            + self.timeout
            + self.dropped
            + self.token_invalidation
            + self.lost_reply
        )


def real_clock() -> float:
    return time.time()

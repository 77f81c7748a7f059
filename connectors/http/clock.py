"""Injectable time: every wait and every time reading in the HTTP core goes through these.

Tests pass a fake clock and a recording sleep so retries and rate limits run instantly.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeAlias

__all__ = ["Clock", "Sleep", "WallClock", "monotonic_clock", "real_sleep", "wall_clock"]

Clock: TypeAlias = Callable[[], float]
"""Seconds on a monotonic scale (rate limiting, token expiry)."""

WallClock: TypeAlias = Callable[[], float]
"""Seconds since the epoch (HTTP dates such as Retry-After, daily budget windows)."""

Sleep: TypeAlias = Callable[[float], None]

monotonic_clock: Clock = time.monotonic
wall_clock: WallClock = time.time
real_sleep: Sleep = time.sleep

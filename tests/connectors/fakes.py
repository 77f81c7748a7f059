"""Test doubles shared by connector tests."""

from __future__ import annotations

import threading


class FakeTime:
    """A clock that moves only when something sleeps; records every wait; thread-safe."""

    def __init__(self) -> None:
        self.now = 0.0
        self.waits: list[float] = []
        self._lock = threading.Lock()

    def clock(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.waits.append(seconds)
            self.now += seconds

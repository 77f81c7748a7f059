"""Wall and CPU seconds of a stage's phases, for its log line.

On a machine whose cores other work shares, wall time says little about what a change saved:
the CPU seconds of this process (``time.process_time``, forked workers not included) say it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["PhaseClock"]


class PhaseClock:
    """Adds up the wall and CPU seconds spent in each named phase, from its creation on. A
    phase entered inside another counts as its own, not in the enclosing one."""

    def __init__(self) -> None:
        self._started = (time.perf_counter(), time.process_time())
        self._phases: dict[str, list[float]] = {}
        self._open: list[list[float]] = []  # per open phase: nested wall and CPU seconds

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        wall, cpu = time.perf_counter(), time.process_time()
        nested = [0.0, 0.0]
        self._open.append(nested)
        try:
            yield
        finally:
            self._open.pop()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            spent = self._phases.setdefault(name, [0.0, 0.0])
            spent[0] += wall - nested[0]
            spent[1] += cpu - nested[1]
            if self._open:
                self._open[-1][0] += wall
                self._open[-1][1] += cpu

    def seconds(self, name: str) -> float:
        """Wall seconds spent in phase ``name`` so far (0 if never entered)."""
        return self._phases.get(name, [0.0, 0.0])[0]

    def wall(self) -> float:
        """Wall seconds since the clock was made."""
        return time.perf_counter() - self._started[0]

    def cpu(self) -> float:
        """CPU seconds of this process since the clock was made."""
        return time.process_time() - self._started[1]

    def summary(self) -> str:
        """``name W.WWs (C.CC CPU), ...`` of each phase, in the order they first ended."""
        return ", ".join(
            f"{name} {wall:.2f}s ({cpu:.2f} CPU)" for name, (wall, cpu) in self._phases.items()
        )

"""A stage's phases are timed each on its own, a nested phase apart from the enclosing one."""

from __future__ import annotations

import re
import time

from flows.dedupe.phase_clock import PhaseClock


def _spent(summary: str) -> dict[str, tuple[float, float]]:
    found = re.findall(r"(\w[\w ]*?) (\d+\.\d+)s \((\d+\.\d+) CPU\)", summary)
    return {name: (float(wall), float(cpu)) for name, wall, cpu in found}


def test_a_nested_phase_counts_apart_from_the_one_around_it() -> None:
    clock = PhaseClock()
    with clock.phase("outer"):
        with clock.phase("inner"):
            time.sleep(0.2)
        with clock.phase("inner"):
            time.sleep(0.2)
    spent = _spent(clock.summary())
    assert list(spent) == ["inner", "outer"]
    assert spent["inner"][0] >= 0.4
    assert spent["outer"][0] < 0.1
    assert clock.wall() >= 0.4
    assert 0 <= clock.cpu() < clock.wall()

"""Reason texts: short, stable and readable ("monetary 1.2M ≥ 1M in 365 days").

A reason is written into the CRM next to the tier, so it names thresholds and the figures
that only change when deals change; never an age that grows every day.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["amount", "listing"]

_UNITS = ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "k"))


def amount(value: float) -> str:
    """1234567 -> "1.2M", 1000000 -> "1M", 950 -> "950"."""
    for size, unit in _UNITS:
        if abs(value) >= size:
            scaled = value / size
            text = f"{scaled:.1f}".rstrip("0").rstrip(".")
            return f"{text}{unit}"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def listing(values: Iterable[str], limit: int = 4) -> str:
    """[a, b, c] shortened to ``limit`` items: "[a, b, c, d, …]"."""
    items = list(values)
    shown = ", ".join(items[:limit]) + (", …" if len(items) > limit else "")
    return f"[{shown}]"

"""Where a dedupe run says which stage it is in and how far it got, for a progress display.

A stage starts with the number of items it will count to (None when unknown) and advances as
it goes; the command line turns that into a bar with records and ETA. Without a display (a
test, a Prefect run) it costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from flows.context import StageCallback

__all__ = ["StageProgress"]


def _no_start(stage: str, total: int | None) -> None:
    return None


def _no_advance(stage: str, count: int) -> None:
    return None


class StageProgress:
    """Stages of one run, reported to ``start`` and ``advance`` callbacks."""

    def __init__(
        self,
        start: StageCallback | None = None,
        advance: Callable[[str, int], None] | None = None,
    ) -> None:
        self._start = start or _no_start
        self._advance = advance or _no_advance

    def start(self, stage: str, total: int | None) -> None:
        self._start(stage, total)

    def advance(self, stage: str, count: int) -> None:
        self._advance(stage, count)

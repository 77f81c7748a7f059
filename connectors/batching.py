"""Cutting a sequence into batches: the one place a batch is sliced.

A write goes out in batches at two levels: the flows hand a system ``max_write_batch`` items
per write call (``write_batches``: the unit they commit by), and an adapter cuts what it is
given to its API's limits (``chunks``: Zoho's 100 records per request, two children per
merge, 100 ids per query).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

from connectors.record_system import RecordSystem

__all__ = ["chunks", "write_batches"]

T = TypeVar("T")


def chunks(items: Sequence[T], size: int) -> Iterator[tuple[int, Sequence[T]]]:
    """(offset of the first item, the items) in slices of at most ``size``."""
    for start in range(0, len(items), size):
        yield start, items[start : start + size]


def write_batches(system: RecordSystem, items: Sequence[T]) -> Iterator[Sequence[T]]:
    """``items`` in batches of the system's ``max_write_batch``: what one write call is given
    and one commit covers. A system that states none (0, files) takes one item at a time."""
    for _, batch in chunks(items, max(1, system.max_write_batch)):
        yield batch

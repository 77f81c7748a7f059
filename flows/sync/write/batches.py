"""Sending one write batch, isolating the record that makes a CRM refuse the whole batch.

Zoho refuses a whole request for some errors in a single record (a malformed value): every
record of the batch comes back REJECTED with the same message. Such a batch is split in
halves and each half sent again, until the bad record is alone and the others went through:
about 2 * log2(batch) extra calls for one bad record, instead of losing 99 good ones.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TypeVar

from connectors.record_system import WriteInterruptedError, WriteResult, WriteStatus

__all__ = ["refused_as_a_whole", "send_isolating"]

log = logging.getLogger(__name__)

T = TypeVar("T")


def refused_as_a_whole(results: Sequence[WriteResult]) -> bool:
    """Every record refused with one and the same message: the request, not a record, failed."""
    if len(results) < 2:
        return False
    if any(r.status is not WriteStatus.REJECTED for r in results):
        return False
    return len({r.message for r in results}) == 1


def _ordered(results: Sequence[WriteResult], count: int, offset: int = 0) -> list[WriteResult]:
    by_index = {r.index: r for r in results}
    missing = [i for i in range(count) if i not in by_index]
    if missing:
        raise RuntimeError(f"the system gave no result for items {missing[:10]} of a batch")
    return [replace(by_index[i], index=i + offset) for i in range(count)]


def send_isolating(
    items: Sequence[T], send: Callable[[Sequence[T]], list[WriteResult]]
) -> list[WriteResult]:
    """Results in the order of ``items``; raises WriteInterruptedError with every result known
    (NOT_SENT for the items never sent) when the system stops the run."""
    results = _ordered(send(items), len(items))
    if not refused_as_a_whole(results):
        return results
    middle = len(items) // 2
    log.info("a batch of %d was refused as a whole (%s); splitting", len(items), results[0].message)
    try:
        left = send_isolating(items[:middle], send)
    except WriteInterruptedError as exc:
        rest = [
            WriteResult(middle + i, WriteStatus.NOT_SENT, None, f"not sent: {exc}")
            for i in range(len(items) - middle)
        ]
        raise WriteInterruptedError(str(exc), [*exc.results, *rest]) from exc
    try:
        right = send_isolating(items[middle:], send)
    except WriteInterruptedError as exc:
        shifted = [replace(r, index=r.index + middle) for r in exc.results]
        raise WriteInterruptedError(str(exc), [*left, *shifted]) from exc
    return [*left, *(replace(r, index=r.index + middle) for r in right)]

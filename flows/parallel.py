"""Ordered, bounded fan-out of CPU-heavy chunks to worker processes.

``executor.map`` would submit every chunk at once and read a whole file into memory; this keeps
at most ``4 * workers`` chunks in flight, so memory stays constant, and yields results in input
order, so output files keep the order of their sources.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

__all__ = ["batch_gc", "ordered_map"]

# Collect the youngest generation every 50,000 allocations instead of 700: batch work makes
# millions of short-lived objects, and each collection also walks the survivors.
_BATCH_THRESHOLD = (50_000, 20, 20)


def _tune_gc() -> None:
    # The imported modules (pypinyin's and phonenumbers' tables) live as long as the process;
    # freezing them keeps every full collection from walking them again.
    gc.freeze()
    gc.set_threshold(*_BATCH_THRESHOLD)


@contextmanager
def batch_gc() -> Iterator[None]:
    """Garbage collection tuned for batch throughput, restored afterwards (1.5x on mapping)."""
    previous = gc.get_threshold()
    _tune_gc()
    try:
        yield
    finally:
        gc.set_threshold(*previous)
        gc.unfreeze()


T = TypeVar("T")
R = TypeVar("R")


def ordered_map(
    work: Callable[[T], R], items: Iterable[T], *, workers: int, fork: bool = False
) -> Iterator[R]:
    """``map(work, items)``, spread over ``workers`` processes when more than one.

    ``work`` must pickle (a module-level function or a small dataclass with ``__call__``).
    Workers are spawned unless ``fork``: the parent may hold threads (the job lock's renewal)
    and locks that a forked child would inherit in an unknown state. Forked workers start at
    once instead of importing everything again (a second or two each); fork only where the
    work touches nothing but its arguments and pure functions (mapping rows, normalisers).
    """
    if workers <= 1:
        yield from map(work, items)
        return
    context = multiprocessing.get_context("fork" if fork else "spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_tune_gc) as pool:
        pending: deque[Future[R]] = deque()
        try:
            for item in items:
                pending.append(pool.submit(work, item))
                if len(pending) >= 4 * workers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()

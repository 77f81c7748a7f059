"""Running normalisers on several processes.

The canonical normalisers are pure Python (pinyin, OpenCC, regular expressions): a million
contacts hold a few hundred thousand distinct names and company names, tens of seconds of one
core. Forked workers share the work. Their arguments are inherited through fork, never
pickled: a worker reads the parent's lists of values as they are, and only its results travel
back (numpy code arrays pickle as one block of memory). Below ``MIN_PARALLEL`` values, with
one worker, or where fork is unavailable, everything runs in this process.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
from collections.abc import Callable, Sequence
from typing import Any, Final, TypeVar

__all__ = ["MIN_PARALLEL", "Pending", "map_distinct", "map_many", "start_calls", "start_many"]

logger = logging.getLogger(__name__)

MIN_PARALLEL: Final = 20_000  # below this a pool costs more than it saves
_CHUNKS_PER_WORKER: Final = 4

T = TypeVar("T")
R = TypeVar("R")
Call = tuple[Callable[[Any], Any], Any]

# The calls of the pool being started: set just before the fork, so each worker holds them.
_INHERITED: list[Call] = []


def _run_inherited(index: int) -> Any:
    function, argument = _INHERITED[index]
    return function(argument)


def _map_chunk(job: tuple[Callable[[Any], Any], Sequence[Any]]) -> list[Any]:
    function, chunk = job
    return [function(value) for value in chunk]


class Pending:
    """Results of ``start_calls``: computing in forked workers while this process goes on,
    or (small inputs, one worker, no fork) computed here when asked for."""

    def __init__(self, calls: Sequence[Call], workers: int, size: int) -> None:
        self._calls = list(calls)
        self._pool: Any = None
        self._async: Any = None
        if workers <= 1 or size < MIN_PARALLEL or len(self._calls) == 0:
            return
        try:
            context = multiprocessing.get_context("fork")
        except ValueError:
            return
        global _INHERITED
        # Frozen objects are left out of the children's garbage collections, so the
        # parent's heap (the caller's records) is not copied page by page into every child.
        gc.freeze()
        _INHERITED = self._calls
        try:
            self._pool = context.Pool(min(workers, len(self._calls)))
        finally:
            _INHERITED = []
        self._async = self._pool.map_async(_run_inherited, range(len(self._calls)), chunksize=1)
        logger.debug("%d calls over %d values on %d processes", len(self._calls), size, workers)

    def results(self) -> list[Any]:
        """One result per call, in the calls' order."""
        if self._async is None:
            return [function(argument) for function, argument in self._calls]
        return list(self._async.get())

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
            gc.unfreeze()

    def __enter__(self) -> Pending:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def start_calls(calls: Sequence[Call], workers: int, size: int) -> Pending:
    """Start ``function(argument)`` for each call on up to ``workers`` forked processes
    (``size``: how many values they cover, to judge whether forking pays); use as a context
    manager (it ends the pool) and call ``results()`` when this process needs them. Functions
    must be module-level (workers find them by name); results must pickle."""
    return Pending(calls, workers, size)


class _PendingMaps:
    """``start_many``'s results: the chunks' results joined per task."""

    def __init__(
        self, tasks: Sequence[tuple[Callable[[Any], Any], Sequence[Any]]], workers: int
    ) -> None:
        total = sum(len(values) for _, values in tasks)
        size = max(1, -(-total // (max(workers, 1) * _CHUNKS_PER_WORKER)))
        calls: list[Call] = []
        self._owners: list[int] = []
        for task, (function, values) in enumerate(tasks):
            for start in range(0, len(values), size):
                calls.append((_map_chunk, (function, values[start : start + size])))
                self._owners.append(task)
        self._tasks = len(tasks)
        self._pending = Pending(calls, workers, total)

    def results(self) -> list[list[Any]]:
        results: list[list[Any]] = [[] for _ in range(self._tasks)]
        for task, part in zip(self._owners, self._pending.results(), strict=True):
            results[task].extend(part)
        return results

    def __enter__(self) -> _PendingMaps:
        return self

    def __exit__(self, *_: object) -> None:
        self._pending.close()


def start_many(
    tasks: Sequence[tuple[Callable[[Any], Any], Sequence[Any]]], workers: int
) -> _PendingMaps:
    """Several ``map_distinct`` at once on one pool, in balanced chunks; use as a context
    manager and call ``results()`` (one list per task) when this process needs them."""
    return _PendingMaps(tasks, workers)


def map_many(
    tasks: Sequence[tuple[Callable[[Any], Any], Sequence[Any]]], workers: int
) -> list[list[Any]]:
    """``[[function(v) for v in values] for function, values in tasks]`` on one pool."""
    with start_many(tasks, workers) as pending:
        return pending.results()


def map_distinct(function: Callable[[T], R], values: Sequence[T], workers: int) -> list[R]:
    """``[function(v) for v in values]``, on ``workers`` forked processes when it pays.
    ``function`` must be a module-level function (workers find it by name)."""
    return map_many([(function, values)], workers)[0]

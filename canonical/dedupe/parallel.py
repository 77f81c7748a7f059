"""Running a normaliser over many distinct values on several processes.

The canonical normalisers are pure Python (pinyin, OpenCC, regular expressions): a million
contacts hold a few hundred thousand distinct names and company names, tens of seconds of one
core. Forked workers split them; below ``MIN_PARALLEL`` values, or where fork is unavailable,
everything runs in this process.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
from collections.abc import Callable, Sequence
from typing import Any, Final, TypeVar

__all__ = ["MIN_PARALLEL", "Pending", "map_distinct", "map_many", "start_many"]

logger = logging.getLogger(__name__)

MIN_PARALLEL: Final = 20_000  # below this a pool costs more than it saves
_CHUNKS_PER_WORKER: Final = 4

T = TypeVar("T")
R = TypeVar("R")


def _apply(job: tuple[Callable[[T], R], Sequence[T]]) -> list[R]:
    function, chunk = job
    return [function(value) for value in chunk]


def map_distinct(function: Callable[[T], R], values: Sequence[T], workers: int) -> list[R]:
    """``[function(v) for v in values]``, on ``workers`` forked processes when it pays.

    ``function`` must be a module-level function (it is pickled by name).
    """
    return map_many([(function, values)], workers)[0]


def map_many(
    tasks: Sequence[tuple[Callable[[Any], Any], Sequence[Any]]], workers: int
) -> list[list[Any]]:
    """Several ``map_distinct`` at once on one pool (one fork, balanced chunks)."""
    with start_many(tasks, workers) as pending:
        return pending.results()


class Pending:
    """Results of ``start_many``: computing in forked workers while this process goes on,
    or (below ``MIN_PARALLEL`` values, one worker, no fork) computed when asked for."""

    def __init__(
        self, tasks: Sequence[tuple[Callable[[Any], Any], Sequence[Any]]], workers: int
    ) -> None:
        self._tasks = tasks
        self._pool: Any = None
        self._async: Any = None
        self._owners: list[int] = []
        total = sum(len(values) for _, values in tasks)
        if workers <= 1 or total < MIN_PARALLEL:
            return
        try:
            context = multiprocessing.get_context("fork")
        except ValueError:
            return
        size = max(1, -(-total // (workers * _CHUNKS_PER_WORKER)))
        jobs = []
        for task, (function, values) in enumerate(tasks):
            for start in range(0, len(values), size):
                jobs.append((function, values[start : start + size]))
                self._owners.append(task)
        # Frozen objects are left out of the children's garbage collections, so the
        # parent's heap (the caller's records) is not copied page by page into every child.
        gc.freeze()
        self._pool = context.Pool(workers)
        self._async = self._pool.map_async(_apply, jobs)
        logger.debug("%d values to normalise on %d processes", total, workers)

    def results(self) -> list[list[Any]]:
        """One result list per task, in the tasks' order."""
        if self._async is None:
            return [[function(value) for value in values] for function, values in self._tasks]
        parts = self._async.get()
        results: list[list[Any]] = [[] for _ in self._tasks]
        for task, part in zip(self._owners, parts, strict=True):
            results[task].extend(part)
        return results

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


def start_many(
    tasks: Sequence[tuple[Callable[[Any], Any], Sequence[Any]]], workers: int
) -> Pending:
    """Start several ``map_distinct`` on one pool; use as a context manager (it ends the
    pool) and call ``results()`` when this process needs them."""
    return Pending(tasks, workers)

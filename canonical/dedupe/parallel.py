"""Running normalisers on several processes.

The canonical normalisers are pure Python (pinyin, OpenCC, regular expressions): a million
contacts hold a few hundred thousand distinct names and company names, tens of seconds of one
core. Forked workers share the work. Below ``MIN_PARALLEL`` values, with one worker, or where
fork is unavailable, everything runs in this process.

A worker's arguments are copied into fresh memory just before the fork (``_detached``), and
only its results travel back. Reading an object writes its reference count, and after a fork
the first write to a page copies it (4 KiB, copy-on-write): workers reading values that sit
among the caller's million records, and this process reading them again meanwhile, copied
pages all over the heap, several seconds of CPU at 1,000,000 contacts. A pickled copy of the
arguments is one compact block instead.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import pickle
import signal
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any, Final, TypeVar

__all__ = ["MIN_PARALLEL", "Pending", "map_distinct", "map_many", "start_calls", "start_many"]

logger = logging.getLogger(__name__)

MIN_PARALLEL: Final = 20_000  # below this forking costs more than it saves
_CHUNKS_PER_WORKER: Final = 4

T = TypeVar("T")
R = TypeVar("R")
Call = tuple[Callable[[Any], Any], Any]


def _detached(value: T) -> T:
    """A copy of ``value`` in fresh, compact memory (see the module docstring), for a
    process about to fork to hand to its workers."""
    # Loads only what this process has just dumped itself.
    copy: T = pickle.loads(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))  # noqa: S301
    return copy


def _map_chunk(job: tuple[Callable[[Any], Any], Sequence[Any]]) -> list[Any]:
    function, chunk = job
    return [function(value) for value in chunk]


def _serve(calls: Sequence[Call], worker: int, workers: int, sender: Connection) -> None:
    """A forked worker: run every ``workers``-th call from ``worker`` on and send back
    [(index, result)], or ("error", description) if a call raised. Ctrl-C is the parent's
    to handle (``Pending.close`` ends the workers), so a worker ignores it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        done = [
            (index, calls[index][0](calls[index][1]))
            for index in range(worker, len(calls), workers)
        ]
        payload: Any = ("done", done)
    except BaseException as error:
        detail = "".join(traceback.format_exception(error))
        payload = ("error", f"{type(error).__name__}: {error}\n{detail}")
    sender.send(payload)
    sender.close()


class Pending:
    """Results of ``start_calls``: computing in forked workers while this process goes on,
    or (small inputs, one worker, no fork) computed here when asked for.

    Each worker is a plain forked process that starts on its calls at once: the calls and
    (detached copies of) their arguments are already in its memory. (A multiprocessing.Pool
    hands tasks over from a thread of this process, which waits for the GIL: while this
    process ran a long C call over a million records, the workers sat idle for 7 to 9 s.)"""

    def __init__(self, calls: Sequence[Call], workers: int, size: int) -> None:
        self._calls = list(calls)
        self._workers: list[tuple[Any, Connection]] = []
        if workers <= 1 or size < MIN_PARALLEL or len(self._calls) == 0:
            return
        try:
            context = multiprocessing.get_context("fork")
        except ValueError:
            return
        self._calls = [(function, _detached(argument)) for function, argument in self._calls]
        # Frozen objects are left out of the children's garbage collections, so the
        # parent's heap (the caller's records) is not copied page by page into every child.
        gc.freeze()
        count = min(workers, len(self._calls))
        for worker in range(count):
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(
                target=_serve, args=(self._calls, worker, count, sender), daemon=True
            )
            process.start()
            sender.close()
            self._workers.append((process, receiver))
        logger.debug("%d calls over %d values on %d processes", len(self._calls), size, count)

    def results(self) -> list[Any]:
        """One result per call, in the calls' order."""
        if not self._workers:
            return [function(argument) for function, argument in self._calls]
        results: list[Any] = [None] * len(self._calls)
        for process, receiver in self._workers:
            try:
                status, payload = receiver.recv()
            except EOFError:
                process.join()
                raise RuntimeError(
                    f"dedupe worker process {process.pid} ended without a result (exit code "
                    f"{process.exitcode}); a negative code is the signal that ended it, -9 "
                    "usually the out-of-memory killer: run with workers=1 to see the error here"
                ) from None
            if status == "error":
                raise RuntimeError(f"dedupe worker process {process.pid} failed: {payload}")
            for index, result in payload:
                results[index] = result
        return results

    def close(self) -> None:
        if not self._workers:
            return
        for process, receiver in self._workers:
            if process.is_alive():
                process.terminate()  # before closing its pipe, so it dies without a traceback
            process.join()
            receiver.close()
        self._workers = []
        gc.unfreeze()

    def __enter__(self) -> Pending:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def start_calls(calls: Sequence[Call], workers: int, size: int) -> Pending:
    """Start ``function(argument)`` for each call on up to ``workers`` forked processes
    (``size``: how many values they cover, to judge whether forking pays); use as a context
    manager (it ends the workers) and call ``results()`` when this process needs them.
    Functions are inherited through fork; arguments and results must pickle."""
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
    """Several ``map_distinct`` at once on the same workers, in balanced chunks; use as a context
    manager and call ``results()`` (one list per task) when this process needs them."""
    return _PendingMaps(tasks, workers)


def map_many(
    tasks: Sequence[tuple[Callable[[Any], Any], Sequence[Any]]], workers: int
) -> list[list[Any]]:
    """``[[function(v) for v in values] for function, values in tasks]`` on forked workers."""
    with start_many(tasks, workers) as pending:
        return pending.results()


def map_distinct(function: Callable[[T], R], values: Sequence[T], workers: int) -> list[R]:
    """``[function(v) for v in values]``, on ``workers`` forked processes when it pays.
    Results must pickle."""
    return map_many([(function, values)], workers)[0]

"""One piece of a run's work in a forked process, while this process goes on with another.

A dedupe run writes its output files (clusters, pairs, golden records, the report) from the
records and clusters it holds, and writes its entity index into the state store from the
same. The two are independent; on two cores the files are written by a forked copy of this
process while this one writes the index. The fork inherits everything it reads (a million
records need no pickling); only its result (small) comes back through a pipe.

The forked process touches no database connection, lock or terminal: it writes files and
exits without running the parent's finalizers. Logging is switched off in it, because a
handler lock held by another thread at the moment of the fork would never be released there.
Where fork is unavailable (Windows) or not wanted, the work runs here when its result is
asked for.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import time
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

__all__ = ["ForkedCall", "ForkedCallError"]

log = logging.getLogger(__name__)

T = TypeVar("T")


class ForkedCallError(RuntimeError):
    """The forked work failed; the message holds its traceback."""


def _serve(work: Callable[[], Any], sender: Connection) -> None:
    logging.disable(logging.CRITICAL)
    started = time.perf_counter()
    try:
        payload: tuple[str, Any, float] = ("done", work(), 0.0)
    except BaseException as error:
        detail = "".join(traceback.format_exception(error))
        payload = ("error", f"{type(error).__name__}: {error}\n{detail}", 0.0)
    sender.send((payload[0], payload[1], time.perf_counter() - started))
    sender.close()


class ForkedCall(Generic[T]):
    """``work()`` started in a forked process (or deferred, without fork); ``result()``
    waits for it and re-raises its failure as ForkedCallError."""

    def __init__(self, work: Callable[[], T], *, fork: bool = True) -> None:
        self._work = work
        self._process: Any = None
        self._receiver: Connection | None = None
        self.seconds = 0.0
        if not fork:
            return
        try:
            context = multiprocessing.get_context("fork")
        except ValueError:
            return
        receiver, sender = context.Pipe(duplex=False)
        # Frozen objects stay out of the child's collections: it would otherwise write to
        # the header of every object (the records) and copy every page of the heap.
        gc.freeze()
        try:
            self._process = context.Process(target=_serve, args=(work, sender), daemon=True)
            self._process.start()
        finally:
            gc.unfreeze()
        sender.close()
        self._receiver = receiver

    def result(self) -> T:
        if self._process is None:
            started = time.perf_counter()
            done = self._work()
            self.seconds = time.perf_counter() - started
            return done
        assert self._receiver is not None
        try:
            status, payload, self.seconds = self._receiver.recv()
        except EOFError:
            self._process.join()
            raise ForkedCallError(
                f"forked process {self._process.pid} ended without a result (exit code "
                f"{self._process.exitcode}; -9 is usually the out-of-memory killer)"
            ) from None
        finally:
            self._receiver.close()
        self._process.join()
        if status == "error":
            raise ForkedCallError(f"forked process {self._process.pid} failed: {payload}")
        value: T = payload
        return value

    def cancel(self) -> None:
        """End the forked process if it still runs (this run failed elsewhere)."""
        if self._process is not None and self._process.is_alive():
            self._process.terminate()
            self._process.join()

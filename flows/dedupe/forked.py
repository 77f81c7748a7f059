"""One piece of a run's work in a forked process, while this process goes on with another.

A dedupe run writes its output files (clusters, pairs, golden records, the report) from the
records and clusters it holds, and writes its entity index into the state store from the
same. The two are independent; on two cores the files are written by a forked copy of this
process while this one writes the index. The fork inherits everything it reads (a million
records need no pickling); only its result (small) comes back through a pipe. A first run's
index rows are made the same way (``ForkedStream``): batch after batch in a forked process,
each sent through a pipe as it is made while this process writes the one before.

A forked process touches no database connection, lock or terminal: it writes files (or
sends rows) and exits without running the parent's finalizers. Logging is switched off in
it, because a handler lock held by another thread at the moment of the fork would never be
released there. Where fork is unavailable (Windows) or not wanted, the work runs here when
its result is asked for.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import signal
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

__all__ = ["ForkedCall", "ForkedCallError", "ForkedStream"]

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


def _start(target: Callable[..., None], *args: Any) -> tuple[Any, Connection] | None:
    """A forked daemon process running ``target(*args, sender)`` and the end of its pipe to
    receive on; None where fork is unavailable."""
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:
        return None
    receiver, sender = context.Pipe(duplex=False)
    # Frozen objects stay out of the child's collections: it would otherwise write to
    # the header of every object (the records) and copy every page of the heap.
    gc.freeze()
    try:
        process = context.Process(target=target, args=(*args, sender), daemon=True)
        process.start()
    finally:
        gc.unfreeze()
    sender.close()
    return process, receiver


def _ended(process: Any) -> ForkedCallError:
    process.join()
    return ForkedCallError(
        f"forked process {process.pid} ended without a result (exit code "
        f"{process.exitcode}; -9 is usually the out-of-memory killer)"
    )


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
        started = _start(_serve, work)
        if started is not None:
            self._process, self._receiver = started

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
            raise _ended(self._process) from None
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


def _stream(produce: Callable[[], Iterable[Any]], sender: Connection) -> None:
    # Ctrl-C is the parent's to handle: it stops reading and ends this process
    # (``ForkedStream.close``, ``flows.interrupt.reap_children``).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.disable(logging.CRITICAL)
    started = time.perf_counter()
    try:
        for item in produce():
            if not _send(sender, ("item", item)):
                return  # the parent stopped reading: nothing more to make
        _send(sender, ("done", None, time.perf_counter() - started))
    except BaseException as error:
        detail = "".join(traceback.format_exception(error))
        _send(sender, ("error", f"{type(error).__name__}: {error}\n{detail}", 0.0))
    finally:
        sender.close()


def _send(sender: Connection, message: tuple[Any, ...]) -> bool:
    """Send ``message``; False when the parent has closed its end (no traceback to print)."""
    try:
        sender.send(message)
    except (BrokenPipeError, ConnectionResetError):
        return False
    return True


class ForkedStream(Generic[T]):
    """The items of ``produce()`` made in a forked process while this one uses the items
    before (or made here, one by one, without fork). The pipe holds about one item at a
    time: the producer waits while this process is behind. Iterate it once; ``close`` ends
    the producer early (this process failed, or stopped reading)."""

    def __init__(self, produce: Callable[[], Iterable[T]], *, fork: bool = True) -> None:
        self._produce = produce
        self._started = _start(_stream, produce) if fork else None
        self.seconds = 0.0  # the producer's, once every item was received

    @property
    def forked(self) -> bool:
        return self._started is not None

    def __iter__(self) -> Iterator[T]:
        if self._started is None:
            yield from self._produce()
            return
        process, receiver = self._started
        try:
            while True:
                try:
                    message = receiver.recv()
                except EOFError:
                    raise _ended(process) from None
                if message[0] == "item":
                    item: T = message[1]
                    yield item
                    continue
                if message[0] == "error":
                    raise ForkedCallError(f"forked process {process.pid} failed: {message[1]}")
                self.seconds = message[2]
                return
        finally:
            self.close()

    def close(self) -> None:
        if self._started is None:
            return
        process, receiver = self._started
        if process.is_alive():
            process.terminate()
        process.join()
        receiver.close()

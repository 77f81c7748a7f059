"""Ctrl-C: every command stops within two seconds with exit code 130, without a traceback
and without leaving worker processes behind.

The first SIGINT raises KeyboardInterrupt in the main thread as usual, so runs are journaled
as aborted and locks released on the way out, and starts a watchdog: whatever still holds
the process after ``GRACE_SECONDS`` (a worker pool joining, an HTTP read, a thread) is cut
short, child processes first. A second Ctrl-C exits at once.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from types import FrameType

__all__ = ["GRACE_SECONDS", "exit_promptly_on_interrupt", "reap_children"]

GRACE_SECONDS = 1.5
EXIT_CODE = 130  # 128 + SIGINT, what shells report for a command stopped by Ctrl-C

_interrupted = threading.Event()


def reap_children(timeout: float = 0.3) -> int:
    """Terminate, then kill, every child process this process started; returns how many."""
    children = multiprocessing.active_children()
    for child in children:
        child.terminate()
    deadline = time.monotonic() + timeout
    for child in children:
        child.join(max(0.0, deadline - time.monotonic()))
        if child.is_alive():
            child.kill()
            child.join(0.2)
    return len(children)


def _hard_exit() -> None:
    reap_children()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(EXIT_CODE)


def _watchdog() -> None:
    time.sleep(GRACE_SECONDS)
    _hard_exit()


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    if _interrupted.is_set():
        _hard_exit()
    _interrupted.set()
    threading.Thread(target=_watchdog, name="interrupt-watchdog", daemon=True).start()
    raise KeyboardInterrupt


def exit_promptly_on_interrupt() -> None:
    """Install the Ctrl-C handling above (main thread only; a no-op elsewhere)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, _on_sigint)

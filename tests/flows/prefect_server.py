"""A real Prefect server for the tests, and the settings that point a client at it.

One server per session (see ``prefect_api`` in conftest.py): ``prefect server start`` in a
subprocess, on a free port, with its own PREFECT_HOME (its SQLite database), the UI and
telemetry off. Its log is kept beside PREFECT_HOME and shown if it fails to start.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import requests

STARTUP_SECONDS = 120.0

T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def client_env(api_url: str, home: Path) -> dict[str, str]:
    """Variables of a Prefect client (a test, a `crmbridge serve` subprocess) of ``api_url``."""
    home.mkdir(parents=True, exist_ok=True)
    return {
        "PREFECT_API_URL": api_url,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": "INFO",
        # A served deployment looks for due runs every second instead of every 10.
        "PREFECT_RUNNER_POLL_FREQUENCY": "1",
    }


@contextmanager
def use_server(api_url: str) -> Iterator[None]:
    """Point this process's Prefect client at ``api_url`` for the block."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        yield


@contextmanager
def start_prefect_server(folder: Path) -> Iterator[str]:
    port = free_port()
    home = folder / "home"
    home.mkdir()
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
        "PREFECT_SERVER_UI_ENABLED": "false",
    }
    env.pop("PREFECT_API_URL", None)
    log = folder / "server.log"
    prefect = Path(sys.executable).with_name("prefect")
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,  # its own process group: stopped whole at the end
        )
    url = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"prefect server exited:\n{log.read_text()[-3000:]}")
            try:
                if requests.get(f"{url}/health", timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"prefect server not up in {STARTUP_SECONDS}s:\n"
                                   f"{log.read_text()[-3000:]}")  # fmt: skip
            time.sleep(0.3)
        yield url
    finally:
        try:
            if "prefect" in sys.modules:  # send this process's buffered run logs while it is up
                from prefect.logging.handlers import APILogHandler

                APILogHandler().flush()
        finally:
            stop_process_group(process)


def stop_process_group(process: subprocess.Popen[bytes], grace: float = 15.0) -> None:
    """SIGTERM to the process's group, then SIGKILL if it lingers."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


def wait_for(check: Callable[[], T | None], *, timeout: float, what: str, every: float = 0.5) -> T:
    """Poll ``check`` until it returns something, or fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value is not None:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(every)

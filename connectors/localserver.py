"""A local HTTP server on a background thread: what every sandbox is served by."""

from __future__ import annotations

import logging
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Self

__all__ = ["LocalServer", "LocalServerStateError"]

logger = logging.getLogger(__name__)


class LocalServerStateError(RuntimeError):
    """The server was started twice, or asked for its URL before it started."""


class _Server(ThreadingHTTPServer):
    """A client that went away mid-reply (a timeout, a killed process) is routine for a
    sandbox: log it at debug level instead of printing a traceback to stderr."""

    def handle_error(self, request: object, client_address: object) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError):
            logger.debug("client %s went away: %s", client_address, error)
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class LocalServer:
    """Serves ``handler_class()`` on ``host:port`` (0 = a free port) in a daemon thread.

    ``start()`` returns the base URL; ``stop()`` shuts the server down and waits for its thread;
    a ``with`` block does both. Subclasses provide the handler and may hook ``_before_stop``.
    """

    name = "local-server"

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._host, self._port = host, port
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        raise NotImplementedError

    def start(self) -> str:
        """Serve in a background thread; returns the base URL (e.g. http://127.0.0.1:54321)."""
        if self._server is not None:
            raise LocalServerStateError(f"{self.name} already started")
        server = _Server((self._host, self._port), self.handler_class())
        server.daemon_threads = True
        server.block_on_close = False
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, args=(0.05,), name=self.name, daemon=True
        )
        self._thread.start()
        logger.info("%s listening on %s", self.name, self.base_url)
        return self.base_url

    def _before_stop(self) -> None:
        """Hook: wake handlers that are sleeping (latency, timeout faults) before shutdown."""

    def stop(self) -> None:
        self._before_stop()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise LocalServerStateError(f"{self.name} not started")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

"""`FxiaokeSandbox`: the dispatcher behind a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import urlsplit

from connectors.fxiaoke.sandbox.auth import TokenRegistry
from connectors.fxiaoke.sandbox.config import (
    Clock,
    DemoUser,
    FaultConfig,
    RateLimitConfig,
    SandboxCredentials,
    real_clock,
)
from connectors.fxiaoke.sandbox.data_api import DataEndpoints
from connectors.fxiaoke.sandbox.describes import FieldSpec
from connectors.fxiaoke.sandbox.dispatcher import CallCounts, Dispatcher, Outcome
from connectors.fxiaoke.sandbox.faults import FaultInjector
from connectors.fxiaoke.sandbox.limits import DailyQuota, EndpointRateLimiter
from connectors.fxiaoke.sandbox.store import RecordStore
from connectors.localserver import LocalServer, LocalServerStateError

__all__ = ["FxiaokeSandbox", "SandboxStateError"]

logger = logging.getLogger(__name__)

_MAX_BODY = 8 * 1024 * 1024


SandboxStateError = LocalServerStateError


class FxiaokeSandbox(LocalServer):
    """A local stand-in for the Fxiaoke open API gateway.

    ``with FxiaokeSandbox(seed=1) as sb: requests.post(sb.base_url + path, json=...)``.
    `store` holds the data; `calls` counts requests; `credentials` are the demo tenant's.
    """

    name = "fxiaoke-sandbox"

    def __init__(
        self,
        seed_file: Path | str | None = None,
        latency: float = 0.0,
        faults: FaultConfig | None = None,
        seed: int = 0,
        rate_limit: RateLimitConfig | None = None,
        daily_quota: int | None = None,
        *,
        clock: Clock = real_clock,
        credentials: SandboxCredentials | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        strict_paths: bool = False,
        clamp_limit: bool = False,
        custom_fields: Mapping[str, Sequence[FieldSpec]] | None = None,
    ) -> None:
        self.credentials = _with_seeded_users(credentials or SandboxCredentials(), seed_file)
        self.latency = latency
        self.rate_limit = rate_limit or RateLimitConfig()
        super().__init__(host, port)
        self.store = RecordStore(clock, self.credentials, seed)
        for api_name, fields in (custom_fields or {}).items():
            self.store.customise(api_name, fields)
        if seed_file is not None:
            self.store.load_seed_file(Path(seed_file))
        self.tokens = TokenRegistry(clock, self.credentials, seed)
        self.quota = DailyQuota(daily_quota, clock)
        self._faults = FaultInjector(faults or FaultConfig(), seed)
        self._dispatcher = Dispatcher(
            store=self.store,
            tokens=self.tokens,
            credentials=self.credentials,
            rate_limit=self.rate_limit,
            limiter=EndpointRateLimiter(self.rate_limit, clock),
            quota=self.quota,
            faults=self._faults,
            data=DataEndpoints(
                self.store, self.credentials, strict_paths=strict_paths, clamp_limit=clamp_limit
            ),
            seed=seed,
        )

    # -- lifecycle (start, stop, with-block, base_url: LocalServer) ---------------------------

    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        return _handler_class(self)

    # -- inspection and control ------------------------------------------------------------

    @property
    def calls(self) -> CallCounts:
        """A snapshot of the request counters."""
        return self._dispatcher.counts.copy()

    def invalidate_tokens(self) -> None:
        """Revoke every token now (as if the tenant re-authorised): later calls get 20016."""
        self.tokens.invalidate_all()

    def handle(self, path: str, headers: dict[str, str], body: bytes) -> Outcome:
        """One request without the network (what the HTTP layer calls)."""
        return self._dispatcher.handle(path, headers, body)


def _with_seeded_users(
    credentials: SandboxCredentials, seed_file: Path | str | None
) -> SandboxCredentials:
    """The tenant's employees plus those a seed file lists under ``"users"`` (``openUserId``,
    ``employeeId``, ``name``, ``mobile``, ``email``), as a tenant's contact book holds them."""
    if seed_file is None:
        return credentials
    raw = json.loads(Path(seed_file).read_text(encoding="utf-8"))
    listed = raw.get("users", []) if isinstance(raw, dict) else []
    known = {u.open_user_id for u in credentials.users}
    extra = tuple(
        DemoUser(
            str(u["openUserId"]),
            str(u["employeeId"]),
            str(u["name"]),
            str(u.get("mobile", "")),
            str(u.get("email", "")),
        )
        for u in listed
        if u["openUserId"] not in known
    )
    return replace(credentials, users=credentials.users + extra) if extra else credentials


def _handler_class(sandbox: FxiaokeSandbox) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out in separate writes
        server_version = "fxiaoke-sandbox"

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(min(length, _MAX_BODY)) if length > 0 else b""
            path = urlsplit(self.path).path  # thirdTraceId and other query params are tolerated
            outcome = sandbox.handle(path, dict(self.headers.items()), raw)
            self._deliver(outcome)

        def do_GET(self) -> None:
            # Every gateway path is POST; a GET reaches no route, like an unknown path.
            outcome = sandbox.handle("GET " + urlsplit(self.path).path, {}, b"{}")
            self._deliver(outcome)

        def _deliver(self, outcome: Outcome) -> None:
            if outcome.stall_seconds:
                time.sleep(outcome.stall_seconds)
            elif sandbox.latency:
                time.sleep(sandbox.latency)
            if outcome.drop or outcome.payload is None:
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)
                return
            data = json.dumps(outcome.payload, ensure_ascii=False).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/json;charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            logger.debug("%s - " + format, self.address_string(), *args)

    return _Handler

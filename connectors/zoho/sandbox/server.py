"""``ZohoSandbox``: a local HTTP server that behaves like Zoho CRM v8 and its accounts server."""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from connectors.localserver import LocalServer
from connectors.zoho.sandbox.auth import TokenAuthority
from connectors.zoho.sandbox.config import FaultConfig, SandboxCredentials
from connectors.zoho.sandbox.credits import CreditLedger, credit_cost
from connectors.zoho.sandbox.faults import Fault, FaultPlan
from connectors.zoho.sandbox.metadata import DEFAULT_MODULES, FieldSpec, ModuleSpec
from connectors.zoho.sandbox.paging import PageTokenBook
from connectors.zoho.sandbox.records_api import RecordsApi
from connectors.zoho.sandbox.replies import Reply, ZohoApiError, error_body
from connectors.zoho.sandbox.router import resolve_route
from connectors.zoho.sandbox.settings_api import SettingsApi
from connectors.zoho.sandbox.store import RecordStore, UserRef
from connectors.zoho.sandbox.timefmt import format_zoho_datetime, parse_offset

__all__ = ["ADMIN", "ZohoSandbox"]

logger = logging.getLogger(__name__)

JSON_TYPE = "application/json;charset=UTF-8"
_BASE_HEADERS = {
    "Cache-Control": "no-store, no-cache, must-revalidate, private",
    "Pragma": "no-cache",
    "X-Content-Type-Options": "nosniff",
}
_TOO_MANY = (
    "Number of API requests for the 24 hour period is exceeded or the concurrency limit of the "
    "user for the app is exceeded"
)
_HTML_5XX = b"<html><body><h1>Service Unavailable</h1></body></html>"
ADMIN = UserRef("5725767000000411001", "Sandbox Admin", "sandbox01@local.com")
"""The org's admin: the API's current user, and the owner of records created without one."""


class ZohoSandbox(LocalServer):
    """A faithful local Zoho CRM. ``start()`` returns the base URL (also the ``api_domain``)."""

    name = "zoho-sandbox"

    def __init__(
        self,
        seed_file: str | Path | None = None,
        latency: float = 0.0,
        faults: FaultConfig | None = None,
        seed: int = 0,
        *,
        credentials: SandboxCredentials | None = None,
        token_lifetime: int = 3600,
        credit_budget: int = 50_000,
        credits_header_always: bool = False,
        throttle_status: int = 200,
        tz_offset: str = "+00:00",
        host: str = "127.0.0.1",
        port: int = 0,
        clock: Callable[[], float] = time.time,
        modules: Iterable[ModuleSpec] = DEFAULT_MODULES,
        users: Sequence[UserRef] = (),
        custom_fields: Mapping[str, Sequence[FieldSpec]] | None = None,
    ) -> None:
        self.latency = latency
        self.fault_config = faults or FaultConfig()
        self.credentials = credentials or SandboxCredentials()
        self.credits_header_always = credits_header_always
        self.clock = clock
        super().__init__(host, port)
        self.user = ADMIN
        org_users = [ADMIN, *(u for u in users if u.id != ADMIN.id)]
        self.store = RecordStore(modules, org_users, clock, parse_offset(tz_offset))
        for module, fields in (custom_fields or {}).items():
            self.store.add_fields(module, fields)
        self.auth = TokenAuthority(
            self.credentials, clock, token_lifetime, throttle_status, seed=seed
        )
        self.credits = CreditLedger(credit_budget, clock)
        self.fault_plan = FaultPlan(self.fault_config, seed)
        self.records_api = RecordsApi(self.store, PageTokenBook(clock, seed))
        self.settings_api = SettingsApi(self.store, clock())
        self.calls: Counter[str] = Counter()
        self.faults_injected: Counter[str] = Counter()
        self._counter_lock = threading.Lock()
        self._stopping = threading.Event()
        if seed_file is not None:
            self.load_seed(Path(seed_file))

    # -- lifecycle (start, stop, with-block, base_url: LocalServer) ---------------------------
    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        return type("_BoundHandler", (_Handler,), {"sandbox": self})

    def _before_stop(self) -> None:
        self._stopping.set()  # wakes handlers sleeping for latency or a timeout fault

    @property
    def token_url(self) -> str:
        return f"{self.base_url}/oauth/v2/token"

    def expire_tokens(self) -> None:
        """Invalidate every access token now, as if they all reached their hour."""
        self.auth.expire()

    def load_seed(self, path: Path) -> None:
        """Seed from JSON: ``{"Contacts": [{...}], ...}`` or the same under ``"records"``,
        beside which ``"users"`` (``[{"id", "name", "email"}]``) adds users and ``"fields"``
        (``{"Accounts": [{"api_name", "data_type", "pick_list_values"}]}``) custom fields."""
        raw = json.loads(path.read_text(encoding="utf-8"))
        extra = [
            UserRef(str(u["id"]), str(u["name"]), str(u["email"])) for u in raw.get("users", [])
        ]
        if extra:
            known = {u.id for u in self.store.users}
            self.store.users += tuple(u for u in extra if u.id not in known)
        for module, fields in raw.get("fields", {}).items():
            if self.store.spec(module) is None:
                raise ValueError(f"seed file adds fields to unknown module {module!r}")
            self.store.add_fields(module, [FieldSpec.from_wire(f) for f in fields])
        modules = raw.get("records", {k: v for k, v in raw.items() if k not in ("users", "fields")})
        for module, rows in modules.items():
            if self.store.spec(module) is None:
                raise ValueError(f"seed file names unknown module {module!r}")
            for row in rows:
                self.store.add(module, row)

    # -- request handling (called from handler threads) ------------------------------------
    def _count(self, counter: Counter[str], key: str) -> None:
        with self._counter_lock:
            counter[key] += 1

    def _sleep(self, seconds: float) -> None:
        if seconds > 0:
            self._stopping.wait(seconds)

    def handle_token(self, query: dict[str, str], body: bytes) -> Reply:
        params = dict(query)
        params.update(dict(parse_qsl(body.decode("utf-8", "replace"))))
        status, payload = self.auth.grant(params, self.base_url)
        return Reply(status, payload)

    def handle_revoke(self, query: dict[str, str], body: bytes) -> Reply:
        params = dict(query)
        params.update(dict(parse_qsl(body.decode("utf-8", "replace"))))
        return Reply(200, self.auth.revoke(params.get("token", "")))

    def fault_for(self, method: str, target: str, body: bytes) -> tuple[Fault | None, int]:
        digest = hashlib.sha256(body).hexdigest()
        return self.fault_plan.draw(f"{method}|{target}|{digest}")

    def handle_api(
        self, method: str, parts: list[str], query: dict[str, str], headers: Any, body: bytes
    ) -> Reply:
        authorization = headers.get("Authorization") or ""
        scheme, _, value = authorization.partition(" ")
        if scheme != "Zoho-oauthtoken" or not value.strip():
            return Reply(401, error_body("AUTHENTICATION_FAILURE", "Authentication failed"))
        token = self.auth.lookup(value.strip())
        if token is None:
            return Reply(401, error_body("INVALID_TOKEN", "invalid oauth token"))
        extra = {"X-ACCESSTOKEN-RESET": format_zoho_datetime(token.expires_at, self.store.tz)}
        try:
            payload = json.loads(body) if body.strip() else None
        except (json.JSONDecodeError, UnicodeDecodeError):
            return Reply(
                400, error_body("INVALID_DATA", "body", {"expected_data_type": "jsonobject"})
            )
        try:
            route = resolve_route(
                method,
                parts,
                query,
                headers.get("If-Modified-Since"),
                payload,
                self.records_api,
                self.settings_api,
            )
        except ZohoApiError as err:
            err.reply.headers.update(extra)
            return err.reply
        if not self.credits.try_spend(credit_cost(route.operation, route.record_count)):
            return Reply(429, error_body("TOO_MANY_REQUESTS", _TOO_MANY), extra)
        try:
            reply = route.run()
        except ZohoApiError as err:
            reply = err.reply
        reply.headers.update(extra)
        used = self.credits.used()
        if self.credits_header_always or used * 2 >= self.credits.budget:
            reply.headers["X-API-CREDITS-REMAINING"] = str(max(0, self.credits.budget - used))
        return reply

    def fault_reply(self, fault: Fault, spare: int) -> Reply:
        if fault is Fault.TOO_MANY_REQUESTS:
            headers = {}
            if self.fault_config.retry_after is not None:
                headers["Retry-After"] = str(self.fault_config.retry_after)
            return Reply(429, error_body("TOO_MANY_REQUESTS", _TOO_MANY), headers)
        status = (500, 502, 503)[spare % 3]
        if status == 500:
            return Reply(500, error_body("INTERNAL_ERROR", "Internal server error occurred."))
        return Reply(status, raw=_HTML_5XX, raw_type="text/html;charset=UTF-8")


class _Handler(BaseHTTPRequestHandler):
    sandbox: ZohoSandbox
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: with Nagle's algorithm on, the body of a
    # keep-alive reply waits for the client's delayed ACK (~40 ms a call).
    disable_nagle_algorithm = True

    def version_string(self) -> str:
        return "ZGS"

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("sandbox %s", format % args)

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def _dispatch(self, method: str) -> None:
        sandbox = self.sandbox
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        split = urlsplit(self.path)
        query = dict(parse_qsl(split.query, keep_blank_values=True))
        parts = [p for p in split.path.split("/") if p]
        sandbox._sleep(sandbox.latency)
        is_token = parts[:3] == ["oauth", "v2", "token"]
        is_api = parts[:2] == ["crm", "v8"]
        label = "/".join("{id}" if p.isdigit() else p for p in parts)
        sandbox._count(sandbox.calls, f"{method} /{label}")
        if is_api or (is_token and sandbox.fault_config.include_token_endpoint):
            fault, spare = sandbox.fault_for(method, self.path, body)
            if fault is not None:
                sandbox._count(sandbox.faults_injected, fault.value)
                if fault in (Fault.TIMEOUT, Fault.DROP):
                    if fault is Fault.TIMEOUT:
                        sandbox._sleep(sandbox.fault_config.timeout_seconds)
                    self.close_connection = True  # no response at all, the socket just closes
                    return
                if fault is Fault.TOKEN_EXPIRY:
                    sandbox.expire_tokens()  # the request goes on and meets 401 INVALID_TOKEN
                else:
                    self._send(sandbox.fault_reply(fault, spare))
                    return
        if is_token and parts == ["oauth", "v2", "token"] and method == "POST":
            reply = sandbox.handle_token(query, body)
        elif is_token and parts == ["oauth", "v2", "token", "revoke"] and method == "POST":
            reply = sandbox.handle_revoke(query, body)
        elif is_api:
            reply = sandbox.handle_api(method, parts[2:], query, self.headers, body)
        else:
            reply = Reply(
                404,
                error_body(
                    "INVALID_URL_PATTERN",
                    "Please check if the URL trying to access is a correct one",
                ),
            )
        self._send(reply)

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        for name, value in {**_BASE_HEADERS, **reply.headers}.items():
            self.send_header(name, value)
        if reply.status in (204, 304):
            self.end_headers()
            return
        if reply.raw is not None:
            payload = reply.raw
            self.send_header("Content-Type", reply.raw_type or "text/plain")
        else:
            payload = json.dumps(reply.body, ensure_ascii=False).encode("utf-8")
            self.send_header("Content-Type", JSON_TYPE)
            self.send_header("Content-Disposition", "attachment; filename=response.json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

"""From (path, headers, body) to a reply: routing, auth, quota, frequency limit, faults.

Transport-free, so the HTTP layer only has to carry bytes, sleep and drop connections.
Every reply is the gateway's envelope: `traceId`, `errorCode`, `errorMessage`,
`errorDescription` plus the payload, and always HTTP 200.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from connectors.fxiaoke.sandbox.auth import Caller, TokenRegistry
from connectors.fxiaoke.sandbox.config import RateLimitConfig, SandboxCredentials
from connectors.fxiaoke.sandbox.data_api import DataEndpoints
from connectors.fxiaoke.sandbox.errors import FxiaokeCode, SandboxApiError
from connectors.fxiaoke.sandbox.faults import FaultInjector, FaultKind
from connectors.fxiaoke.sandbox.limits import DailyQuota, EndpointRateLimiter
from connectors.fxiaoke.sandbox.meta_api import MetaEndpoints
from connectors.fxiaoke.sandbox.store import RecordStore

__all__ = ["CallCounts", "Dispatcher", "Outcome"]

logger = logging.getLogger(__name__)

Json = dict[str, Any]
Handler = Callable[[Json, Caller], Json]

LEGACY_TOKEN_PATH = "/cgi/corpAccessToken/get/V2"  # noqa: S105 - a path
OAUTH_TOKEN_PATH = "/oauth2.0/token"  # noqa: S105 - a path
_DATA_ACTIONS = (
    "query", "get", "create", "update", "invalid", "delete", "recover", "changeOwner"
)  # fmt: skip


@dataclass(frozen=True)
class Outcome:
    """What the HTTP layer does: send `payload`, or stall and/or drop the connection."""

    payload: Json | None
    drop: bool = False
    stall_seconds: float = 0.0


@dataclass
class CallCounts:
    """Counters of one sandbox run (a snapshot when read through `FxiaokeSandbox.calls`)."""

    by_path: Counter[str] = field(default_factory=Counter)
    by_code: Counter[int] = field(default_factory=Counter)
    faults: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.by_path.values())

    def copy(self) -> CallCounts:
        return CallCounts(Counter(self.by_path), Counter(self.by_code), Counter(self.faults))


@dataclass(frozen=True)
class _Route:
    handler: Handler
    needs_operator: bool


class Dispatcher:
    def __init__(
        self,
        *,
        store: RecordStore,
        tokens: TokenRegistry,
        credentials: SandboxCredentials,
        rate_limit: RateLimitConfig,
        limiter: EndpointRateLimiter,
        quota: DailyQuota,
        faults: FaultInjector,
        data: DataEndpoints,
        seed: int,
    ) -> None:
        self._store = store
        self._tokens = tokens
        self._credentials = credentials
        self._rate_limit = rate_limit
        self._limiter = limiter
        self._quota = quota
        self._faults = faults
        self._seed = seed
        self._lock = threading.Lock()
        self._traces = 0
        self.counts = CallCounts()
        self._meta = MetaEndpoints(store, tokens, credentials)
        self._routes = self._build_routes(data)

    def _build_routes(self, data: DataEndpoints) -> dict[str, _Route]:
        meta = self._meta
        routes: dict[str, _Route] = {
            "/cgi/user/getByMobile": _Route(meta.user_by_mobile, False),
            "/cgi/user/list": _Route(meta.user_list, False),
            "/cgi/user/get/batchByUpdTime": _Route(meta.users_by_update_time, False),
            "/cgi/crm/v2/object/describe": _Route(meta.describe, True),
            "/cgi/crm/v2/object/list": _Route(meta.object_list, True),
        }
        methods = {
            "query": data.query, "get": data.get, "create": data.create, "update": data.update,
            "invalid": data.invalid, "delete": data.delete, "recover": data.recover,
            "changeOwner": data.change_owner, "findOne": data.find_one, "findSimple": data.query,
        }  # fmt: skip
        for action in (*_DATA_ACTIONS, "findOne", "findSimple"):
            method = methods[action]
            if action in _DATA_ACTIONS:
                routes[f"/cgi/crm/v2/data/{action}"] = _Route(_bind(method, False), True)
            routes[f"/cgi/crm/custom/v2/data/{action}"] = _Route(_bind(method, True), True)
        # The one v1 custom path still documented: batch invalid with idList.
        routes["/cgi/crm/custom/data/invalid"] = _Route(_bind(data.invalid, True), True)
        return routes

    # -- envelope --------------------------------------------------------------------------

    def _trace_id(self, prefix: str) -> str:
        with self._lock:
            self._traces += 1
            n = self._traces
        digest = hashlib.sha256(f"{self._seed}:trace:{n}".encode()).hexdigest()[:16]
        return f"{prefix}-{digest}"

    def _reply(self, path: str, trace: str, payload: Json) -> Outcome:
        body = {
            "traceId": trace,
            "errorCode": 0,
            "errorMessage": "OK",
            "errorDescription": "success",
        }
        body.update(payload)
        self._count(path, 0)
        return Outcome(body)

    def _error(
        self, path: str, trace: str, err: SandboxApiError, *, oauth: bool = False
    ) -> Outcome:
        body: Json = {
            "traceId": trace,
            "errorCode": err.code,
            "errorMessage": err.message,
            "errorDescription": err.description,
        }
        if oauth:  # the OAuth endpoint adds OAuth-style keys (probe log)
            body |= {"error": "非法请求", "error_description": err.description}
        self._count(path, err.code)
        return Outcome(body)

    def _count(self, path: str, code: int) -> None:
        with self._lock:
            self.counts.by_path[path] += 1
            self.counts.by_code[code] += 1

    # -- entry point -----------------------------------------------------------------------

    def handle(self, path: str, headers: Mapping[str, str], raw: bytes) -> Outcome:
        headers = {k.lower(): v for k, v in headers.items()}
        is_token = path in (LEGACY_TOKEN_PATH, OAUTH_TOKEN_PATH)
        anonymous = f"open-api-gateway-web/{self._credentials.ea}" if is_token else "E-O.null.-1000"
        route = self._routes.get(path)
        if route is None and not is_token:
            err = SandboxApiError(
                FxiaokeCode.PARAMETER_MISSING,
                f"the request uri=[{path}] is not exists",
                "请求的接口不存在",
            )
            return self._error(path, self._trace_id(anonymous), err)
        try:
            body = _parse(raw)
        except SandboxApiError as err:
            return self._error(path, self._trace_id(anonymous), err)
        if is_token:
            return self._token(path, body, self._trace_id(anonymous))
        assert route is not None
        try:
            caller = self._tokens.authenticate(body, headers, needs_operator=route.needs_operator)
        except SandboxApiError as err:
            return self._error(path, self._trace_id(anonymous), err)
        trace = self._trace_id(f"E-O.{self._credentials.ea}.{caller.user_id}")
        try:
            self._quota.admit()
            self._limiter.admit(path)
        except SandboxApiError as err:
            return self._error(path, trace, err)
        return self._run(path, route, body, caller, trace)

    def _token(self, path: str, body: Json, trace: str) -> Outcome:
        oauth = path == OAUTH_TOKEN_PATH
        try:
            cap = self._rate_limit.token_calls_per_minute
            self._tokens.check_grant_rate(cap, self._rate_limit.error_code)
            grant = self._meta.oauth_token if oauth else self._meta.legacy_token
            payload = grant(body)
        except SandboxApiError as err:
            return self._error(path, trace, err, oauth=oauth)
        if not oauth:
            payload |= {"errorMessage": "success"}
        return self._reply(path, trace, payload)

    def _run(self, path: str, route: _Route, body: Json, caller: Caller, trace: str) -> Outcome:
        fault = self._faults.draw(path)
        if fault is not None:
            with self._lock:
                self.counts.faults[fault.kind.value] += 1
            logger.debug("injecting %r on %s", fault, path)
            if fault.kind is FaultKind.TOKEN_INVALIDATION:
                self._tokens.invalidate_all()
            if fault.code is not None:
                return self._error(path, trace, SandboxApiError(fault.code))
            if fault.kind is FaultKind.TIMEOUT:
                self._count(path, -9)  # a transport failure: no errorCode reaches the client
                return Outcome(None, drop=True, stall_seconds=self._faults.config.timeout_seconds)
            if fault.kind is FaultKind.DROPPED:
                self._count(path, -9)
                return Outcome(None, drop=True)
        try:
            with self._store.lock:
                payload = route.handler(body, caller)
        except SandboxApiError as err:
            return self._error(path, trace, err)
        outcome = self._reply(path, trace, payload)
        if fault is not None and fault.kind is FaultKind.LOST_REPLY:
            return Outcome(None, drop=True)
        return outcome


def _bind(method: Callable[[Json, Caller, bool], Json], custom_path: bool) -> Handler:
    def handler(body: Json, caller: Caller) -> Json:
        return method(body, caller, custom_path)

    return handler


def _parse(raw: bytes) -> Json:
    if not raw.strip():
        raise SandboxApiError(FxiaokeCode.EMPTY_BODY)
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise SandboxApiError(FxiaokeCode.PARAMETER_ILLEGAL, "请求体不是合法的JSON") from None
    if not isinstance(body, dict):
        raise SandboxApiError(FxiaokeCode.PARAMETER_ILLEGAL, "请求体应为JSON对象")
    return body

"""Token grants and request authentication, with the documented timing rules.

A grant made within 6600 s of the current token's issue returns that same token (with the
remaining lifetime as `expiresIn`); later grants issue a new one while the old stays valid until
its 7200 s are up. Both conventions authenticate a business call: body `corpAccessToken` +
`corpId` + `currentOpenUserId`, or headers `authorization: Bearer`, `x-fs-ea`, `x-fs-userid`.
"""

from __future__ import annotations

import hashlib
import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from connectors.fxiaoke.sandbox.config import Clock, DemoUser, SandboxCredentials
from connectors.fxiaoke.sandbox.errors import FxiaokeCode, SandboxApiError

__all__ = ["Caller", "IssuedToken", "TokenRegistry"]

TOKEN_LIFETIME = 7200.0
REUSE_WINDOW = 6600.0


@dataclass
class IssuedToken:
    value: str
    issued_at: float
    expires_at: float
    revoked: bool = False


@dataclass(frozen=True)
class Caller:
    """Who a business call runs as, and which id form its owner fields use."""

    user: DemoUser | None
    header_mode: bool

    @property
    def user_id(self) -> str:
        """The operator id in the caller's own convention."""
        if self.user is None:
            return "-10000"  # the system user
        return self.user.employee_id if self.header_mode else self.user.open_user_id


class TokenRegistry:
    """Issues tokens per grant style (`legacy`, `oauth`) and answers whether one is valid."""

    def __init__(self, clock: Clock, credentials: SandboxCredentials, seed: int = 0) -> None:
        self._clock = clock
        self._credentials = credentials
        self._seed = seed
        self._lock = threading.Lock()
        self._tokens: dict[str, IssuedToken] = {}
        self._current: dict[str, IssuedToken] = {}
        self._grants: deque[float] = deque()
        self._issued = 0

    def check_grant_rate(self, per_minute: int, error_code: int) -> None:
        """At most `per_minute` token calls in any 60 s (documented: 10, never concurrent)."""
        now = self._clock()
        with self._lock:
            while self._grants and self._grants[0] <= now - 60.0:
                self._grants.popleft()
            if len(self._grants) >= per_minute:
                raise SandboxApiError(
                    error_code,
                    "获取token接口调用超过限制",
                    "token endpoint: at most 10 calls a minute",
                )
            self._grants.append(now)

    def check_app_credentials(self, body: Mapping[str, Any]) -> None:
        creds = self._credentials
        if (
            body.get("appId") != creds.app_id
            or body.get("appSecret") != creds.app_secret
            or body.get("permanentCode") != creds.permanent_code
        ):
            raise SandboxApiError(FxiaokeCode.PARAMETER_MISSING)

    def grant(self, style: str) -> tuple[IssuedToken, int]:
        """The token for this grant style and its remaining lifetime in whole seconds."""
        now = self._clock()
        with self._lock:
            token = self._current.get(style)
            if token is None or token.revoked or now - token.issued_at >= REUSE_WINDOW:
                self._issued += 1
                digest = hashlib.sha256(f"{self._seed}:{style}:{self._issued}".encode()).hexdigest()
                token = IssuedToken(digest[:32].upper(), now, now + TOKEN_LIFETIME)
                self._tokens[token.value] = token
                self._current[style] = token
            return token, max(0, int(token.expires_at - now))

    def is_valid(self, value: str) -> bool:
        with self._lock:
            token = self._tokens.get(value)
            return token is not None and not token.revoked and self._clock() < token.expires_at

    def invalidate_all(self) -> None:
        """Revoke every issued token: later calls get 20016 until the client grants again."""
        with self._lock:
            for token in self._tokens.values():
                token.revoked = True

    def authenticate(
        self, body: Mapping[str, Any], headers: Mapping[str, str], *, needs_operator: bool
    ) -> Caller:
        """The caller of a business call, or the documented auth error."""
        creds = self._credentials
        bearer = headers.get("authorization", "")
        if bearer:
            token = bearer.removeprefix("Bearer ").strip()
            if not self.is_valid(token) or headers.get("x-fs-ea", creds.ea) != creds.ea:
                raise SandboxApiError(FxiaokeCode.TOKEN_INVALID)
            return Caller(self._operator(headers.get("x-fs-userid"), True, needs_operator), True)
        corp_token = body.get("corpAccessToken")
        if not corp_token:
            raise SandboxApiError(FxiaokeCode.CREDENTIALS_MISSING)
        if not self.is_valid(str(corp_token)) or body.get("corpId") != creds.corp_id:
            raise SandboxApiError(FxiaokeCode.TOKEN_INVALID)
        return Caller(self._operator(body.get("currentOpenUserId"), False, needs_operator), False)

    def _operator(self, user_id: object, header_mode: bool, needed: bool) -> DemoUser | None:
        if not user_id:
            if needed:
                raise SandboxApiError(FxiaokeCode.OPERATOR_MISSING)
            return None
        for user in self._credentials.users:
            # Header mode speaks employee ids; accept an openUserId there too (convertUserId).
            if str(user_id) in (user.open_user_id, user.employee_id if header_mode else None):
                return user
        raise SandboxApiError(FxiaokeCode.OPERATOR_NOT_FOUND)

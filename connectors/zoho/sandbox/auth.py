"""The accounts server: refresh-token grants, access tokens, Zoho's refresh throttle."""

from __future__ import annotations

import hashlib
import threading
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from connectors.zoho.sandbox.config import SandboxCredentials
from connectors.zoho.sandbox.replies import JsonObject

__all__ = ["AccessToken", "TokenAuthority"]

_THROTTLE_BODY: JsonObject = {
    "error_description": (
        "You have made too many requests continuously. Please try again after some time."
    ),
    "error": "Access Denied",
    "status": "failure",
}


@dataclass
class AccessToken:
    value: str
    expires_at: float
    revoked: bool = False


class TokenAuthority:
    """Issues and checks access tokens; every rule is from the reference, section 1."""

    def __init__(
        self,
        credentials: SandboxCredentials,
        clock: Callable[[], float],
        lifetime: int = 3600,
        throttle_status: int = 200,
        max_refreshes: int = 10,
        throttle_window: float = 600.0,
        max_live_tokens: int = 15,
        seed: int = 0,
    ) -> None:
        self.credentials = credentials
        self.clock = clock
        self.lifetime = lifetime
        self.throttle_status = throttle_status
        self.max_refreshes = max_refreshes
        self.throttle_window = throttle_window
        self.max_live_tokens = max_live_tokens
        self._seed = seed
        self._tokens: dict[str, AccessToken] = {}
        self._live: deque[str] = deque()
        self._issued: deque[float] = deque()
        self._refresh_tokens = {credentials.refresh_token}
        self._grant_used = False
        self._counter = 0
        self._lock = threading.Lock()

    def grant(self, params: Mapping[str, str], api_domain: str) -> tuple[int, JsonObject]:
        """Answer ``POST /oauth/v2/token``; errors come back as HTTP 200 like Zoho's."""
        grant_type = params.get("grant_type", "")
        if params.get("client_id") != self.credentials.client_id:
            return 200, {"error": "invalid_client"}
        if params.get("client_secret") != self.credentials.client_secret:
            return 200, {"error": "invalid_client_secret"}
        with self._lock:
            if grant_type == "refresh_token":
                if params.get("refresh_token") not in self._refresh_tokens:
                    return 200, {"error": "invalid_code"}
                return self._issue(api_domain, None)
            if grant_type == "authorization_code":
                if params.get("code") != self.credentials.grant_code or self._grant_used:
                    return 200, {"error": "invalid_code"}
                self._grant_used = True
                return self._issue(api_domain, self.credentials.refresh_token)
        return 200, {"error": "unsupported_grant_type"}

    def revoke(self, token: str) -> JsonObject:
        with self._lock:
            self._refresh_tokens.discard(token)
            for access in self._tokens.values():
                access.revoked = True
        return {"status": "success"}

    def lookup(self, value: str) -> AccessToken | None:
        """The token if it is live, else None (unknown, revoked, evicted or expired)."""
        with self._lock:
            token = self._tokens.get(value)
            if token is None or token.revoked or token.expires_at <= self.clock():
                return None
            return token

    def expire(self, value: str | None = None) -> None:
        """Invalidate one token, or all of them (token expiry mid-run)."""
        with self._lock:
            for token in self._tokens.values():
                if value is None or token.value == value:
                    token.revoked = True

    def _issue(self, api_domain: str, refresh_token: str | None) -> tuple[int, JsonObject]:
        now = self.clock()
        while self._issued and self._issued[0] <= now - self.throttle_window:
            self._issued.popleft()
        if len(self._issued) >= self.max_refreshes:
            return self.throttle_status, dict(_THROTTLE_BODY)
        self._issued.append(now)
        self._counter += 1
        digest = hashlib.sha256(f"{self._seed}:{self._counter}".encode()).hexdigest()
        value = f"1000.{digest[:32]}.{digest[32:64]}"
        self._tokens[value] = AccessToken(value, now + self.lifetime)
        self._live.append(value)
        while len(self._live) > self.max_live_tokens:
            self._tokens[self._live.popleft()].revoked = True
        body: JsonObject = {
            "access_token": value,
            "scope": "ZohoCRM.modules.ALL ZohoCRM.settings.ALL ZohoCRM.users.READ ZohoCRM.org.READ",
            "api_domain": api_domain,
            "token_type": "Bearer",
            "expires_in": self.lifetime,
        }
        if refresh_token is not None:
            body["refresh_token"] = refresh_token
        return 200, body

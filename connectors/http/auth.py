"""Auth objects attached to the client: they fetch, cache and refresh their own tokens.

Call sites never see a token. The client asks the auth whether a response means "token
refused" and, if so, invalidates it and resends once.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

import requests
from requests.auth import AuthBase

from connectors.http.clock import Clock, monotonic_clock

__all__ = ["AccessToken", "RefreshingAuth"]


@dataclass(frozen=True)
class AccessToken:
    """A bearer-like token and when it stops working (on the monotonic clock)."""

    value: str = field(repr=False)
    expires_at: float


class RefreshingAuth(AuthBase, ABC):
    """Caches one access token, refreshing it `refresh_margin` seconds before expiry.

    Refreshes are serialised by a lock so concurrent workers share a single token, which keeps
    us far from token-creation throttles. Subclasses implement `fetch_token` only.
    """

    header = "Authorization"
    scheme = "Bearer"

    def __init__(self, *, clock: Clock = monotonic_clock, refresh_margin: float = 60.0) -> None:
        self._clock = clock
        self.refresh_margin = refresh_margin
        self._token: AccessToken | None = None
        self._lock = threading.RLock()
        self.refreshes = 0

    @abstractmethod
    def fetch_token(self) -> AccessToken:
        """Obtain a fresh access token from the authorisation server."""

    def current_token(self) -> AccessToken:
        with self._lock:
            token = self._token
            if token is None or self._clock() >= token.expires_at - self.refresh_margin:
                token = self.fetch_token()
                self._token = token
                self.refreshes += 1
            return token

    def _header_value(self, token: str) -> str:
        return f"{self.scheme} {token}" if self.scheme else token

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.headers[self.header] = self._header_value(self.current_token().value)
        return r

    def is_token_refused(self, response: requests.Response) -> bool:
        """Whether `response` says the token was not accepted (override for API specifics)."""
        return response.status_code == 401

    def invalidate(self, request: requests.PreparedRequest | None) -> None:
        """Drop the cached token if `request` was signed with it (another thread may already
        have refreshed, in which case the newer token is kept)."""
        with self._lock:
            if self._token is None:
                return
            sent = request.headers.get(self.header) if request is not None else None
            if sent is None or sent == self._header_value(self._token.value):
                self._token = None

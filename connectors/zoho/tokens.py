"""Where a Zoho access token can be kept between processes, as Zoho's SDK keeps it in a token
store: Zoho issues at most 10 access tokens per refresh token in 10 minutes, so processes
that each asked for their own would soon stall.

The connector defines the shape (`TokenStore`) and a process-local store; the application
supplies a shared one (crmbridge's state store, see flows/tokens.py). Only access tokens are
stored, never the refresh token that makes them.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Protocol

__all__ = ["CachedToken", "MemoryTokenStore", "TokenStore", "token_key"]


@dataclass(frozen=True)
class CachedToken:
    """An access token, the API domain it was issued for, and its expiry (epoch seconds)."""

    access_token: str = field(repr=False)
    api_domain: str | None
    expires_at: float


class TokenStore(Protocol):
    """Access tokens by key, shared by every client that uses the same store."""

    def load(self, key: str) -> CachedToken | None:
        """The token kept under ``key``, or None."""

    def save(self, key: str, token: CachedToken) -> None:
        """Keep ``token`` under ``key``, replacing what was there."""

    def discard(self, key: str, access_token: str) -> None:
        """Forget the token of ``key`` if it is still ``access_token`` (it was refused)."""

    def refreshing(self, key: str) -> AbstractContextManager[None]:
        """Held while one client asks for a new token, so that the others wait for it and
        take it from the store instead of asking too."""


def token_key(token_url: str, client_id: str, refresh_token: str) -> str:
    """The key of the tokens made by one refresh token of one client at one accounts server.

    A hash: the refresh token must not be recoverable from a key kept beside the tokens."""
    material = "\n".join((token_url, client_id, refresh_token)).encode()
    return "zoho:" + hashlib.sha256(material).hexdigest()


class MemoryTokenStore:
    """A `TokenStore` in this process's memory: clients built on one instance share tokens."""

    def __init__(self) -> None:
        self._tokens: dict[str, CachedToken] = {}
        self._lock = threading.Lock()
        self._refresh = threading.RLock()

    def load(self, key: str) -> CachedToken | None:
        with self._lock:
            return self._tokens.get(key)

    def save(self, key: str, token: CachedToken) -> None:
        with self._lock:
            self._tokens[key] = token

    def discard(self, key: str, access_token: str) -> None:
        with self._lock:
            token = self._tokens.get(key)
            if token is not None and token.access_token == access_token:
                del self._tokens[key]

    @contextmanager
    def refreshing(self, key: str) -> Iterator[None]:
        with self._refresh:
            yield

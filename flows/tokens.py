"""The Zoho connector's token store, kept in crmbridge's state store.

Every process that opens the same state store (commands in a row, scheduled runs, workers on
a shared PostgreSQL) reuses one Zoho access token until it expires instead of asking Zoho for
its own: Zoho grants 10 per refresh token in 10 minutes. One process at a time refreshes
(a lock in the store); the others wait for it and take its token.

Tokens are never stored in the clear: with CRMBRIDGE_STATE_KEY set (a Fernet key) they are
encrypted with it; without it, with a key derived from the OAuth client's own secrets (its
client secret and refresh token), which every process that may use the token holds anyway
and a reader of the store alone does not. Refresh tokens are never stored.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING

from connectors.zoho.tokens import CachedToken
from flows.store import JobLockedError, StateStore
from flows.store.cipher import STATE_KEY_ENV, StateKeyError, state_key

if TYPE_CHECKING:
    from cryptography.fernet import Fernet, MultiFernet

__all__ = ["STATE_KEY_ENV", "StateKeyError", "StoreTokenStore", "client_key", "state_key"]

logger = logging.getLogger(__name__)

# A refresh takes a second or two; a holder that died frees the lock after the TTL.
_REFRESH_TTL = timedelta(seconds=60)
_REFRESH_WAIT_SECONDS = 30.0
_POLL_SECONDS = 0.2


def client_key(*secrets: str) -> Fernet:
    """A Fernet key derived (HKDF-SHA256) from an OAuth client's secrets: whoever can use
    the stored token could ask for one anyway; whoever only reads the store cannot open it."""
    import base64

    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    material = "\0".join(secrets).encode()
    derived = HKDF(hashes.SHA256(), 32, salt=None, info=b"crmbridge access token").derive(material)
    return Fernet(base64.urlsafe_b64encode(derived))


class StoreTokenStore:
    """A `connectors.zoho.TokenStore` on the state store at ``state_url``.

    Each call opens the store briefly: a process asks at most a few times per token."""

    def __init__(self, state_url: str, fernet: Fernet | MultiFernet | None = None) -> None:
        self._url = state_url
        self._fernet = fernet

    @cached_property
    def _owner(self) -> str:
        return uuid.uuid4().hex

    def load(self, key: str) -> CachedToken | None:
        with StateStore.open(self._url) as store:
            row = store.tokens.get(key)
        if row is None:
            return None
        value = self._reveal(row.value, row.encrypted)
        if value is None:
            return None
        return CachedToken(value, row.api_domain, row.expires_at.timestamp())

    def save(self, key: str, token: CachedToken) -> None:
        value = token.access_token
        if self._fernet is not None:
            value = self._fernet.encrypt(value.encode()).decode()
        expires_at = datetime.fromtimestamp(token.expires_at, UTC)
        with StateStore.open(self._url) as store:
            store.tokens.put(
                key,
                value,
                encrypted=self._fernet is not None,
                api_domain=token.api_domain,
                expires_at=expires_at,
            )

    def discard(self, key: str, access_token: str) -> None:
        with StateStore.open(self._url) as store:
            row = store.tokens.get(key)
            if row is not None and self._reveal(row.value, row.encrypted) == access_token:
                store.tokens.discard(key, row.value)

    @contextmanager
    def refreshing(self, key: str) -> Iterator[None]:
        name = f"token:{key}"
        with StateStore.open(self._url) as store:
            deadline = time.monotonic() + _REFRESH_WAIT_SECONDS
            held = False
            while not held:
                try:
                    store.locks.acquire(name, self._owner, _REFRESH_TTL)
                    held = True
                except JobLockedError:
                    if time.monotonic() > deadline:
                        logger.warning("another process has been refreshing for 30s; going on")
                        break
                    time.sleep(_POLL_SECONDS)
            try:
                yield
            finally:
                if held:
                    store.locks.release(name, self._owner)

    def _reveal(self, value: str, encrypted: bool) -> str | None:
        if not encrypted:
            return value
        if self._fernet is None:
            logger.info("the stored token is encrypted and %s is not set: not used", STATE_KEY_ENV)
            return None
        from cryptography.fernet import InvalidToken

        try:
            return self._fernet.decrypt(value.encode()).decode()
        except InvalidToken:
            logger.warning("the stored token does not decrypt with %s: not used", STATE_KEY_ENV)
            return None

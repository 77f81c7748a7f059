"""Encryption at rest of what the state store keeps of people and credentials.

One key, ``CRMBRIDGE_STATE_KEY`` (a Fernet key), encrypts the Zoho access tokens the store
shares, the raw records of dead letters, the before-images of the undo journal and the keys
of write intents. Several keys, comma-separated, rotate it: the first encrypts, every one
decrypts (``crmbridge state rekey`` then re-encrypts what the store holds with the first).

A sealed JSON value is stored as ``{"$fernet": "<token>"}`` in the column it replaces, so the
schema does not change with encryption, and a store may hold both forms (rows written before
a key was set stay readable).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

from flows.store.errors import StateStoreError

if TYPE_CHECKING:
    from cryptography.fernet import MultiFernet

__all__ = [
    "SEALED_KEY",
    "STATE_KEY_ENV",
    "PayloadCipher",
    "SealedPayloadError",
    "StateKeyError",
    "state_key",
]

STATE_KEY_ENV = "CRMBRIDGE_STATE_KEY"
"""The Fernet key(s) that encrypt personal data and credentials in the state store."""
SEALED_KEY = "$fernet"
"""The one key of a sealed JSON value: ``{"$fernet": token}``."""
_MAKE_KEY = (
    "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
)


class StateKeyError(ValueError):
    """CRMBRIDGE_STATE_KEY is set but is not a Fernet key (or a comma-separated list of them)."""


class SealedPayloadError(StateStoreError):
    """An encrypted value that cannot be opened: no key, or not the key that sealed it."""


def state_key(env: Mapping[str, str] | None = None) -> MultiFernet | None:
    """The keys of CRMBRIDGE_STATE_KEY (the first encrypts), or None when it is not set."""
    text = (os.environ if env is None else env).get(STATE_KEY_ENV, "").strip()
    if not text:
        return None
    # Imported on use: most commands never need it.
    from cryptography.fernet import Fernet, MultiFernet

    keys = [part.strip() for part in text.split(",") if part.strip()]
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError:
        raise StateKeyError(
            f"{STATE_KEY_ENV} is not a Fernet key (32 url-safe base64-encoded bytes), nor a "
            f"comma-separated list of them; make one with: {_MAKE_KEY}"
        ) from None


def is_sealed(value: object) -> bool:
    return isinstance(value, dict) and len(value) == 1 and isinstance(value.get(SEALED_KEY), str)


class PayloadCipher:
    """Seals and opens JSON values with the store's key; without a key, seals nothing."""

    def __init__(self, fernet: MultiFernet | None = None) -> None:
        self._fernet = fernet

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> PayloadCipher:
        return cls(state_key(env))

    @property
    def enabled(self) -> bool:
        return self._fernet is not None

    def seal(self, value: object) -> object:
        """``value`` encrypted (``{"$fernet": token}``) when a key is set, else as it is."""
        if self._fernet is None or value is None:
            return value
        plain = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
        return {SEALED_KEY: self._fernet.encrypt(plain).decode()}

    def open(self, value: object, *, what: str) -> object:
        """The plain value of a sealed one (a plain value as it is). ``what`` names it in
        the error raised when it cannot be opened."""
        if not is_sealed(value):
            return value
        assert isinstance(value, dict)
        token = value[SEALED_KEY]
        assert isinstance(token, str)
        if self._fernet is None:
            raise SealedPayloadError(
                f"{what} is encrypted and {STATE_KEY_ENV} is not set; set it to the key the "
                "store was written with"
            )
        from cryptography.fernet import InvalidToken

        try:
            opened: object = json.loads(self._fernet.decrypt(token.encode()))
        except InvalidToken:
            raise SealedPayloadError(
                f"{what} does not decrypt with {STATE_KEY_ENV}: it was sealed with another "
                "key (list the old key after the new one, comma-separated, to read it)"
            ) from None
        return opened

    def encrypt_text(self, text: str) -> str:
        """A text encrypted with the first key (the caller records that it is)."""
        assert self._fernet is not None, "encrypt_text needs a key"
        return self._fernet.encrypt(text.encode()).decode()

    def decrypt_text(self, token: str) -> str | None:
        """The text of a token, or None when no key opens it."""
        if self._fernet is None:
            return None
        from cryptography.fernet import InvalidToken

        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            return None

    def reseal(self, value: object, *, what: str) -> object:
        """``value`` sealed again with the first key (plain values are sealed now)."""
        return self.seal(self.open(value, what=what))

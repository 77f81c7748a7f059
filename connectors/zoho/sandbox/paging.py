"""Opaque ``page_token`` values bound to the request that produced them."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass

from connectors.zoho.sandbox.replies import ZohoApiError

__all__ = ["TOKEN_LIFETIME", "PageCursor", "PageTokenBook"]

TOKEN_LIFETIME = 24 * 3600.0
MAX_TOKEN_RECORDS = 100_000


@dataclass(frozen=True)
class PageCursor:
    binding: str
    offset: int
    page: int
    expires_at: float


class PageTokenBook:
    def __init__(self, clock: Callable[[], float], seed: int) -> None:
        self._clock = clock
        self._seed = seed
        self._tokens: dict[str, PageCursor] = {}
        self._counter = 0
        self._lock = threading.Lock()

    def issue(self, binding: str, offset: int, page: int) -> tuple[str, float]:
        with self._lock:
            self._counter += 1
            raw = f"{self._seed}|{self._counter}|{binding}|{offset}".encode()
            token = hashlib.sha256(raw).hexdigest()[:40]
            expires_at = self._clock() + TOKEN_LIFETIME
            self._tokens[token] = PageCursor(binding, offset, page, expires_at)
            return token, expires_at

    def resolve(self, token: str, binding: str) -> PageCursor:
        """The cursor for ``token``, or the error Zoho gives for a bad one."""
        with self._lock:
            cursor = self._tokens.get(token)
        if cursor is None or cursor.binding != binding:
            raise ZohoApiError(
                400,
                "TOKEN_BOUND_DATA_MISMATCH",
                "The page_token given seems to be invalid or input param is added or altered "
                "or deleted",
                {"param_name": "page_token"},
            )
        if cursor.expires_at <= self._clock():
            raise ZohoApiError(
                400,
                "EXPIRED_VALUE",
                "Page token expired",
                {"api_name": "page_token", "json_path": "$.query.page_token"},
            )
        if cursor.offset >= MAX_TOKEN_RECORDS:
            raise ZohoApiError(
                400,
                "PAGINATION_LIMIT_EXCEEDED",
                "You can only get upto 100000 records using page_token param",
                {"param_name": "page_token"},
            )
        return cursor

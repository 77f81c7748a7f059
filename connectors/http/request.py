"""What to send: an immutable request description that paginators derive new pages from."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TypeAlias

__all__ = ["JSONValue", "RequestSpec", "Timeouts"]

JSONValue: TypeAlias = str | int | float | bool | list["JSONValue"] | dict[str, "JSONValue"] | None


@dataclass(frozen=True)
class Timeouts:
    """Bounds of every request: seconds to wait for a connection and for each read, the
    whole reply's seconds (a read timeout restarts with every byte; this does not), the most
    decoded bytes a reply may have, and the seconds one call may take with all its retries
    (an unanswered call then costs minutes, not tries x read timeout)."""

    connect: float = 10.0
    read: float = 60.0
    reply: float = 120.0
    max_reply_bytes: int = 256 * 2**20
    call: float = 300.0

    def as_tuple(self) -> tuple[float, float]:
        return (self.connect, self.read)


@dataclass(frozen=True)
class RequestSpec:
    """One HTTP request, before auth, limits and retries are applied by the client.

    `url` is absolute or relative to the client's base URL. `idempotent=False` marks requests
    that must not be resent after an ambiguous failure (a read timeout or a 5xx may mean the
    server did the work): they are only retried when the server surely did nothing (429, or no
    connection was made).
    """

    method: str
    url: str
    params: Mapping[str, str] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    json: JSONValue = None
    idempotent: bool = True

    def with_params(self, *, drop: tuple[str, ...] = (), **updates: str) -> RequestSpec:
        """A copy with `updates` set and the `drop` parameters removed."""
        params = {k: v for k, v in self.params.items() if k not in drop}
        params.update(updates)
        return replace(self, params=params)

    def with_headers(self, **updates: str) -> RequestSpec:
        return replace(self, headers={**self.headers, **updates})

    def fingerprint(self) -> str:
        """A stable identity of what this request asks for, used to refuse pagination loops."""
        return json.dumps(
            [self.method.upper(), self.url, sorted(self.params.items()), self.json],
            sort_keys=True,
            default=str,
        )

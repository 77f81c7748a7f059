"""Turning a response into what the caller should do, before anyone reads the body.

Each connector supplies one `ResponseClassifier`. APIs that report errors inside HTTP 200
(Fxiaoke `errorCode`) or per record inside 207 (Zoho) are handled there, not at call sites.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import TypeAlias

import requests

__all__ = [
    "RETRIABLE_STATUSES",
    "Classification",
    "ResponseClassifier",
    "Verdict",
    "classify_by_status",
]

RETRIABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


class Verdict(Enum):
    OK = "ok"
    """The body is usable; it may still hold per-record outcomes for the caller to read."""
    RETRIABLE = "retriable"
    """Transient: back off and resend."""
    FATAL = "fatal"
    """Stop the run."""
    RECORD = "record"
    """The request's records were refused as a whole; dead-letter them and go on."""


@dataclass(frozen=True)
class Classification:
    verdict: Verdict
    code: str | None = None
    message: str = ""
    retry_after: float | None = None
    """Seconds to wait, when the body says so; the Retry-After header is read by the client."""
    trace_id: str | None = None
    """The server's id for this request (Fxiaoke `traceId`), kept for support tickets."""
    not_processed: bool = False
    """The server says it did nothing (a rate limit in a 200 body), so even a non-idempotent
    request may be resent, as after a 429."""

    @classmethod
    def ok(cls) -> Classification:
        return cls(Verdict.OK)


ResponseClassifier: TypeAlias = Callable[[requests.Response], Classification]


def classify_by_status(response: requests.Response) -> Classification:
    """The conventional reading: 2xx/304 ok, 408/429/5xx retriable, any other status fatal."""
    status = response.status_code
    if 200 <= status < 300 or status == 304:
        return Classification.ok()
    reason = response.reason or "error"
    if status in RETRIABLE_STATUSES or status >= 500:
        return Classification(Verdict.RETRIABLE, message=reason)
    return Classification(Verdict.FATAL, message=reason)

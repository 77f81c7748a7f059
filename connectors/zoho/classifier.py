"""How Zoho responses are classified: what is usable, what to retry, what stops the run.

Write responses hold per-record outcomes (207, and 400 with a `data` list when every record
failed): those are OK here and read record by record by `results`. A top-level error about
the data of a single-record call is record-level; other top-level 4xx errors are fatal.
"""

from __future__ import annotations

from collections.abc import Mapping

import requests

from connectors.http import Classification, Verdict

__all__ = ["CREDITS_REMAINING_HEADER", "classify_zoho_response"]

CREDITS_REMAINING_HEADER = "X-API-CREDITS-REMAINING"

_OK_STATUSES = frozenset({200, 201, 202, 204, 207, 304})
_RECORD_CODES = frozenset(
    {
        "INVALID_DATA",
        "MANDATORY_NOT_FOUND",
        "DUPLICATE_DATA",
        "RECORD_LOCKED",
        "RECORD_IN_BLUEPRINT",
        "NOT_APPROVED",
        "CANNOT_DELETE",
        "DEPENDENT_FIELD_MISSING",
        "ID_ALREADY_CONVERTED",
    }
)
_AUTH_HINTS = {
    "INVALID_TOKEN": "the token was refused even after a refresh; check the data centre",
    "OAUTH_SCOPE_MISMATCH": "the refresh token lacks a scope this call needs",
    "AUTHENTICATION_FAILURE": "the Authorization header was not accepted",
}


def _body(response: requests.Response) -> Mapping[str, object]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def classify_zoho_response(response: requests.Response) -> Classification:
    status = response.status_code
    if status in _OK_STATUSES:
        return Classification.ok()
    body = _body(response)
    code = str(body["code"]) if "code" in body else None
    message = str(body.get("message") or response.reason or "error")
    if status == 400 and isinstance(body.get("data"), list):
        return Classification.ok()
    if status == 429:
        if response.headers.get(CREDITS_REMAINING_HEADER, "").strip() == "0":
            # Credits come back over a rolling 24 h; waiting seconds cannot help.
            return Classification(
                Verdict.FATAL, code or "TOO_MANY_REQUESTS", "daily API credits exhausted"
            )
        return Classification(Verdict.RETRIABLE, code or "TOO_MANY_REQUESTS", message)
    if status >= 500:
        return Classification(Verdict.RETRIABLE, code, message)
    if status == 401:
        hint = _AUTH_HINTS.get(code or "", "authentication failed")
        return Classification(Verdict.FATAL, code, f"{message}: {hint}")
    if status == 400 and code in _RECORD_CODES:
        return Classification(Verdict.RECORD, code, message)
    return Classification(Verdict.FATAL, code, message)

"""The one hook that turns every Fxiaoke reply into ok, retriable, fatal or record-level.

The gateway answers HTTP 200 to everything it routes; success is `errorCode == 0` only, and
the docs forbid branching on `errorMessage`. `traceId` travels into the exception. Codes are
the published global table; unknown codes are record-level on write endpoints (a business
rule refused this record) and fatal elsewhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

import requests

from connectors.http import Classification, JSONValue, Verdict, classify_by_status

__all__ = [
    "FATAL_CODES",
    "FREQUENCY_LIMIT_CODES",
    "RECORD_CODES",
    "RETRIABLE_CODES",
    "TOKEN_REFUSED_CODE",
    "classify_fxiaoke_response",
    "error_code",
    "json_object",
]

TOKEN_REFUSED_CODE = 20016
FREQUENCY_LIMIT_CODES = frozenset({30004, 14001})
"""Per-interface limit; which of the two the gateway sends is undocumented, so both."""
RETRIABLE_CODES = FREQUENCY_LIMIT_CODES | {-1, 50009}
_CREDENTIAL_CODES = frozenset(
    {*range(10001, 10016), *range(11001, 11019), 12002, 20005, 20006, 20010, 20012, 20015}
    | {TOKEN_REFUSED_CODE, 20017}
)
_PERMISSION_CODES = frozenset({15003, 20014, 20020, 20021, 20022, 20023})
_QUOTA_CODES = frozenset({30002, 30003})
FATAL_CODES = _CREDENTIAL_CODES | _PERMISSION_CODES | _QUOTA_CODES
RECORD_CODES = frozenset({15002, 30007, 30027, 32000, 40010})
_WRITE_ACTIONS = frozenset({"create", "update", "invalid", "delete", "recover", "changeOwner"})


def json_object(response: requests.Response) -> Mapping[str, JSONValue]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def error_code(body: Mapping[str, JSONValue]) -> int | None:
    """`errorCode` as an int (some replies send it as a string); None when absent."""
    raw = body.get("errorCode")
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str):
        try:
            return int(raw.strip())
        except ValueError:
            return None
    return None


def _message(body: Mapping[str, JSONValue], code: int) -> str:
    parts = [str(body.get(k)) for k in ("errorMessage", "errorDescription") if body.get(k)]
    unique = list(dict.fromkeys(parts))
    return " / ".join(unique) or f"errorCode {code}"


def _hint(code: int) -> str:
    if code == TOKEN_REFUSED_CODE:
        return "token refused even after a refresh; check appId/appSecret/permanentCode"
    if code in _QUOTA_CODES:
        return "Open API call quota exhausted (daily total resets at 00:00, or none bought)"
    if code in _PERMISSION_CODES:
        return "the app or operator lacks permission; use a CRM administrator as operator"
    if code == 10013:
        return "offset beyond 10000; deep reads must use the _id cursor"
    return "check the app credentials, host (cloud) and operator"


def _is_write(response: requests.Response) -> bool:
    path = urlsplit(response.url or "").path.rstrip("/")
    return path.rsplit("/", 1)[-1] in _WRITE_ACTIONS


def classify_fxiaoke_response(response: requests.Response) -> Classification:
    if response.status_code != 200:
        verdict = classify_by_status(response)
        if 300 <= response.status_code < 400:
            return Classification(
                Verdict.FATAL, message="redirected: base_url is not an Open API gateway host"
            )
        return verdict
    body = json_object(response)
    if not body:
        return Classification(
            Verdict.FATAL, message="reply is not a JSON object: is base_url the API gateway?"
        )
    code = error_code(body)
    if code is None or code == 0:
        return Classification.ok()
    trace = body.get("traceId")
    trace_id = str(trace) if trace else None
    message = _message(body, code)
    if code in RETRIABLE_CODES:
        return Classification(
            Verdict.RETRIABLE,
            str(code),
            message,
            trace_id=trace_id,
            not_processed=code in FREQUENCY_LIMIT_CODES,
        )
    if code in FATAL_CODES:
        return Classification(
            Verdict.FATAL, str(code), f"{message}: {_hint(code)}", trace_id=trace_id
        )
    if code in RECORD_CODES or _is_write(response):
        return Classification(Verdict.RECORD, str(code), message, trace_id=trace_id)
    return Classification(Verdict.FATAL, str(code), message, trace_id=trace_id)

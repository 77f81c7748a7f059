"""Keeping secrets out of logs: sanitised URLs and headers, whatever the connector."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = ["REDACTED", "SENSITIVE_HEADERS", "SENSITIVE_PARAMS", "redact_headers", "sanitize_url"]

REDACTED = "***"

SENSITIVE_PARAMS = frozenset(
    {
        "access_token",
        "api_key",
        "apikey",
        "appsecret",
        "auth",
        "client_secret",
        "code",
        "key",
        "password",
        "passwd",
        "refresh_token",
        "secret",
        "signature",
        "token",
    }
)
SENSITIVE_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization", "set-cookie"})
_SENSITIVE_FRAGMENTS = ("token", "secret", "password", "passwd", "apikey", "api_key")


def _is_sensitive(name: str) -> bool:
    lowered = name.lower()
    return lowered in SENSITIVE_PARAMS or any(f in lowered for f in _SENSITIVE_FRAGMENTS)


def sanitize_url(url: str) -> str:
    """The URL with secret-looking query values and any user:password@ replaced by `***`.

    Names are matched whole (`code`, `key`) or by fragment (`...token...`, `...secret...`), so
    `page_token` is masked too: it is a bearer-like cursor bound to the user.
    """
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        netloc = f"{REDACTED}@{netloc.rsplit('@', 1)[1]}"
    if not parts.query:
        return urlunsplit(parts._replace(netloc=netloc))
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    safe = [(k, REDACTED if _is_sensitive(k) else v) for k, v in pairs]
    return urlunsplit(parts._replace(netloc=netloc, query=urlencode(safe, safe="*,")))


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """A copy of `headers` fit for a DEBUG log: credentials and cookies masked."""
    return {
        k: (REDACTED if k.lower() in SENSITIVE_HEADERS or _is_sensitive(k) else v)
        for k, v in headers.items()
    }

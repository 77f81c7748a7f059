"""Keeping secrets out of logs: sanitised URLs and headers, whatever the connector."""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = [
    "REDACTED",
    "SENSITIVE_HEADERS",
    "SENSITIVE_PARAMS",
    "redact_headers",
    "redact_text",
    "sanitize_url",
]

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


_URL = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s'\"<>]+")
_AUTH_SCHEME = re.compile(r"\b(Zoho-oauthtoken|Bearer|Basic)\s+[^\s'\",;]+", re.IGNORECASE)
# name=value, name: value, "name": "value" (query strings, form bodies, JSON, reprs).
_PAIR = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)([\"']?\s*[:=]\s*[\"']?)([^\s\"'&,;}\]]+)")


def redact_text(text: str) -> str:
    """Free text (a log message, an error) with secrets masked: URLs sanitised as
    ``sanitize_url`` does (``user:password@`` included, any scheme), tokens after an auth
    scheme, and the values of secret-looking names (``access_token=...``,
    ``"client_secret": "..."``)."""
    text = _URL.sub(lambda m: sanitize_url(m.group(0)), text)
    text = _AUTH_SCHEME.sub(lambda m: f"{m.group(1)} {REDACTED}", text)

    def pair(match: re.Match[str]) -> str:
        name, between, value = match.groups()
        if _is_sensitive(name) and value != REDACTED:
            return f"{name}{between}{REDACTED}"
        return match.group(0)

    return _PAIR.sub(pair, text)

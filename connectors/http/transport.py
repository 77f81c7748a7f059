"""Transport rules: a CRM is spoken to over HTTPS, except on this machine.

Credentials and customer data cross every call, so a plain ``http://`` URL is refused unless
its host is the loopback interface (``localhost``, ``127.0.0.0/8``, ``::1``), where the local
sandboxes listen. TLS certificates are always verified: no setting of crmbridge turns that
off (a private CA is added with the standard ``REQUESTS_CA_BUNDLE``, which still verifies).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

__all__ = ["InsecureURLError", "is_loopback_url", "require_secure_url"]


class InsecureURLError(ValueError):
    """A URL a connector would send credentials or records to without TLS."""


def is_loopback_url(url: str) -> bool:
    """Whether the URL's host is this machine (``localhost`` or a loopback address)."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def require_secure_url(url: str, *, what: str = "the URL") -> str:
    """``url`` if it is ``https://``, or ``http://`` to this machine; else InsecureURLError.

    The message names ``what`` and the scheme and host only: a URL may carry a key."""
    try:
        parts = urlsplit(url)
    except ValueError:
        raise InsecureURLError(f"{what} is not a URL") from None
    scheme = parts.scheme.lower()
    if scheme == "https" and parts.hostname:
        return url
    if scheme == "http" and is_loopback_url(url):
        return url
    if scheme == "http":
        raise InsecureURLError(
            f"{what} uses plain http to {parts.hostname or '?'}: crmbridge sends credentials "
            "and customer data over HTTPS only (http is allowed to this machine: localhost, "
            "127.0.0.1, ::1); write https://"
        )
    raise InsecureURLError(f"{what} is not an https:// URL")

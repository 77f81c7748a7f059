"""Errors specific to Zoho CRM, on top of the shared HTTP error kinds."""

from __future__ import annotations

from connectors.http import FatalAPIError, RetriableAPIError

__all__ = [
    "ZohoAuthConfigurationError",
    "ZohoFieldLimitError",
    "ZohoPaginationError",
    "ZohoResponseError",
    "ZohoTokenThrottledError",
]

_HINTS = {
    "invalid_client": (
        "check the client id and that the client was registered in this data centre "
        "(or multi-DC is enabled for it)"
    ),
    "invalid_client_secret": "check the client secret",
    "invalid_code": (
        "the refresh token is wrong, revoked or from another data centre; generate a new one"
    ),
    "invalid_redirect_uri": "check the redirect URI registered for the client",
}


class ZohoAuthConfigurationError(FatalAPIError):
    """The accounts server refused our credentials: a configuration problem, not transient."""

    def __init__(self, error: str, *, data_centre: str, token_url: str) -> None:
        hint = _HINTS.get(error, "check client id, client secret and refresh token")
        super().__init__(
            f"Zoho token request refused ({error}) by {token_url} for data centre "
            f"{data_centre}: {hint}",
            status=200,
            code=error,
            url=token_url,
        )
        self.error = error
        self.data_centre = data_centre


class ZohoTokenThrottledError(RetriableAPIError):
    """The accounts server still throttles token creation after we waited as long as allowed."""


class ZohoFieldLimitError(ValueError):
    """More fields were asked for than one Zoho read call accepts (50)."""


class ZohoPaginationError(FatalAPIError):
    """Zoho said more records exist but gave no way to reach them (no next_page_token)."""


class ZohoResponseError(FatalAPIError):
    """A reply we cannot read as what was asked for (``null``, text, ``{"data": "x"}`` with
    HTTP 200): an error of that call, never an empty page, or a plan would propose creating
    records that exist."""

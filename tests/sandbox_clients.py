"""Connector clients and settings on a running Zoho or Fxiaoke sandbox, for any test package.

Connector tests and flows tests both talk to the sandboxes; this module is where their
clients are built (tests/connectors must not import tests/flows). A client's retries and
Retry-After waits never sleep unless the test passes its own ``sleep``; a lost reply fails
after 10 s, and incremental reads look back nothing unless asked.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from connectors.fxiaoke import FxiaokeClient, FxiaokeSettings
from connectors.fxiaoke.sandbox import FxiaokeSandbox, RateLimitConfig
from connectors.http import RetryPolicy
from connectors.http.clock import Sleep
from connectors.zoho import ZohoClient, ZohoSettings
from connectors.zoho.sandbox import ZohoSandbox

__all__ = [
    "NO_CLIENT_RATE_LIMIT",
    "UNLIMITED_RATE",
    "clear_settings_env",
    "fxiaoke_client",
    "fxiaoke_settings",
    "no_wait",
    "zoho_client",
    "zoho_settings",
]

UNLIMITED_RATE = RateLimitConfig(calls=1_000_000, window_seconds=1.0, token_calls_per_minute=10_000)
"""A Fxiaoke gateway that never refuses for frequency (tests assert outcomes, not pacing)."""
NO_CLIENT_RATE_LIMIT: dict[str, Any] = {
    "rate_limit_calls": 1_000_000,
    "rate_limit_seconds": 1.0,
    "token_calls_per_minute": 10_000,
}
"""FxiaokeSettings that never pace calls: the client side of ``UNLIMITED_RATE``."""
_TEST_TIMING: dict[str, Any] = {"read_timeout": 10.0, "lookback_seconds": 0}
# ZohoSettings and FxiaokeSettings read these prefixes; a developer's real credentials must
# never reach a test, and no test may depend on them.
_SETTINGS_PREFIXES = ("ZOHO_", "FXIAOKE_")


def clear_settings_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Remove every connector setting from the environment for one test (an autouse fixture
    of the test packages that build settings calls this)."""
    for name in list(os.environ):
        if name.upper().startswith(_SETTINGS_PREFIXES):
            monkeypatch.delenv(name)


def no_wait(_: float) -> None:
    """A sleep that returns at once: retries and Retry-After run instantly in tests."""


def zoho_settings(sandbox: ZohoSandbox, **values: Any) -> ZohoSettings:
    """ZohoSettings with the sandbox's credentials; ``values`` set or override fields."""
    creds = sandbox.credentials
    base: dict[str, Any] = {
        "client_id": creds.client_id,
        "client_secret": creds.client_secret,
        "refresh_token": creds.refresh_token,
        # Only the accounts server is given: API calls go to the token's `api_domain`.
        "accounts_url": sandbox.base_url,
    }
    return ZohoSettings(**(base | values))


def fxiaoke_settings(sandbox: FxiaokeSandbox, **values: Any) -> FxiaokeSettings:
    """FxiaokeSettings with the sandbox's credentials, acting as its admin; ``values`` set or
    override fields."""
    creds = sandbox.credentials
    base: dict[str, Any] = {
        "app_id": creds.app_id,
        "app_secret": creds.app_secret,
        "permanent_code": creds.permanent_code,
        "base_url": sandbox.base_url,
        "current_open_user_id": creds.admin.open_user_id,
    }
    return FxiaokeSettings(**(base | values))


def zoho_client(
    sandbox: ZohoSandbox,
    *,
    retry: RetryPolicy | None = None,
    sleep: Sleep = no_wait,
    **settings: Any,
) -> ZohoClient:
    """A ZohoClient on ``sandbox`` (see ``zoho_settings``)."""
    values = _TEST_TIMING | settings
    return ZohoClient(
        zoho_settings(sandbox, **values), retry=retry or RetryPolicy(sleep=sleep), sleep=sleep
    )


def fxiaoke_client(
    sandbox: FxiaokeSandbox,
    *,
    retry: RetryPolicy | None = None,
    sleep: Sleep = no_wait,
    **settings: Any,
) -> FxiaokeClient:
    """A FxiaokeClient on ``sandbox`` as its admin, with no client-side rate limit unless
    ``settings`` give one (see ``fxiaoke_settings``)."""
    values = NO_CLIENT_RATE_LIMIT | _TEST_TIMING | settings
    return FxiaokeClient(
        fxiaoke_settings(sandbox, **values), retry=retry or RetryPolicy(sleep=sleep), sleep=sleep
    )

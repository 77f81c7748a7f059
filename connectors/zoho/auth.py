"""OAuth2 refresh-token grant against the configured data centre's accounts server.

Zoho answers token errors with HTTP 200 and an `error` field, so success is judged by the
presence of `access_token`, never by the status. Token creation is throttled (10 per refresh
token per 10 minutes): we reuse one token until shortly before expiry, serialise refreshes,
and if the throttle is met anyway we wait rather than ask again at once. With a `TokenStore`
the token is also shared with other clients and processes of that store, until it expires.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import requests

from connectors.http import (
    AccessToken,
    Clock,
    FatalAPIError,
    InsecureURLError,
    RefreshingAuth,
    RetriableAPIError,
    Sleep,
    Timeouts,
    require_secure_url,
    sanitize_url,
)
from connectors.http.clock import WallClock, monotonic_clock, real_sleep, wall_clock
from connectors.zoho.errors import ZohoAuthConfigurationError, ZohoTokenThrottledError
from connectors.zoho.settings import ZohoSettings
from connectors.zoho.tokens import CachedToken, TokenStore, token_key

__all__ = ["ZohoOAuth"]

logger = logging.getLogger(__name__)

_THROTTLE_ERRORS = frozenset({"Access Denied", "access_denied"})


def _json_object(response: requests.Response) -> Mapping[str, object]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


class ZohoOAuth(RefreshingAuth):
    """Signs requests with `Authorization: Zoho-oauthtoken <token>`, refreshing as needed."""

    scheme = "Zoho-oauthtoken"

    def __init__(
        self,
        settings: ZohoSettings,
        *,
        session: requests.Session | None = None,
        timeouts: Timeouts | None = None,
        clock: Clock = monotonic_clock,
        sleep: Sleep = real_sleep,
        throttle_wait: float = 60.0,
        max_throttle_wait: float = 900.0,
        token_store: TokenStore | None = None,
        wall: WallClock = wall_clock,
    ) -> None:
        super().__init__(clock=clock, refresh_margin=settings.token_refresh_margin_seconds)
        self._settings = settings
        self._session = session if session is not None else requests.Session()
        self._timeouts = timeouts or Timeouts(settings.connect_timeout, settings.read_timeout)
        self._sleep = sleep
        self._wall = wall
        self.throttle_wait = throttle_wait
        self.max_throttle_wait = max_throttle_wait
        self._api_domain: str | None = None
        self._store = token_store
        self._key = token_key(
            settings.token_url, settings.client_id, settings.refresh_token.get_secret_value()
        )
        self.grants = 0
        """Access tokens this client obtained from Zoho (not counting ones from the store)."""

    @property
    def api_domain(self) -> str:
        """The API host named with the token (fetching one if none was obtained yet)."""
        if self._api_domain is None:
            self.current_token()
        return self._api_domain or self._settings.hosts.api_domain

    def is_token_refused(self, response: requests.Response) -> bool:
        return response.status_code == 401 and _json_object(response).get("code") == (
            "INVALID_TOKEN"
        )

    def fetch_token(self) -> AccessToken:
        """A token from the store while it lasts, else a new one from Zoho (and stored)."""
        store = self._store
        if store is None:
            return self._grant()
        token = self._stored()
        if token is not None:
            return token
        try:
            refreshing = store.refreshing(self._key)
            refreshing.__enter__()
        except Exception as exc:  # the store is a help, never a reason to fail
            logger.warning("token store unavailable (%s); asking Zoho directly", exc)
            return self._grant()
        try:
            # Another process may have refreshed while this one waited for its turn.
            token = self._stored()
            if token is None:
                token = self._grant()
                self._save(token)
            return token
        finally:
            refreshing.__exit__(None, None, None)

    def invalidate(self, request: requests.PreparedRequest | None) -> None:
        """Drop a refused token here and, if it came from the store, there too."""
        with self._lock:
            refused = self._token
            super().invalidate(request)
            if refused is not None and self._token is None and self._store is not None:
                try:
                    self._store.discard(self._key, refused.value)
                except Exception as exc:
                    logger.warning("could not drop a refused token from the store: %s", exc)

    def _stored(self) -> AccessToken | None:
        assert self._store is not None
        try:
            cached = self._store.load(self._key)
        except Exception as exc:
            logger.warning("could not read the token store (%s); asking Zoho directly", exc)
            return None
        if cached is None:
            return None
        left = cached.expires_at - self._wall()
        if left <= self.refresh_margin:
            return None
        if cached.api_domain:
            self._api_domain = cached.api_domain
        logger.debug("reusing a stored Zoho access token (%.0fs left)", left)
        return AccessToken(value=cached.access_token, expires_at=self._clock() + left)

    def _save(self, token: AccessToken) -> None:
        assert self._store is not None
        expires_at = self._wall() + (token.expires_at - self._clock())
        try:
            self._store.save(self._key, CachedToken(token.value, self._api_domain, expires_at))
        except Exception as exc:
            logger.warning("could not keep the Zoho access token in the token store: %s", exc)

    def _grant(self) -> AccessToken:
        waited = 0.0
        while True:
            body = self._request_token()
            if "access_token" in body:
                return self._accept(body)
            error = str(body.get("error") or "unknown_error")
            if error not in _THROTTLE_ERRORS:
                raise ZohoAuthConfigurationError(
                    error,
                    data_centre=self._settings.data_centre,
                    token_url=sanitize_url(self._settings.token_url),
                )
            if waited + self.throttle_wait > self.max_throttle_wait:
                raise ZohoTokenThrottledError(
                    f"Zoho token creation still throttled after waiting {waited:.0f}s; "
                    "another process may be refreshing the same refresh token too often",
                    code=error,
                    url=sanitize_url(self._settings.token_url),
                )
            logger.warning(
                "Zoho token creation throttled; waiting %.0fs before asking again",
                self.throttle_wait,
            )
            self._sleep(self.throttle_wait)
            waited += self.throttle_wait

    def _request_token(self) -> Mapping[str, object]:
        # Credentials go in the form body: a URL ends up in proxy and server logs.
        response = self._session.post(
            self._settings.token_url,
            data={
                "grant_type": "refresh_token",
                "client_id": self._settings.client_id,
                "client_secret": self._settings.client_secret.get_secret_value(),
                "refresh_token": self._settings.refresh_token.get_secret_value(),
            },
            timeout=self._timeouts.as_tuple(),
            # A redirect could carry the form (client secret, refresh token) to another host.
            allow_redirects=False,
        )
        if response.status_code >= 500 or response.status_code == 429:
            raise RetriableAPIError(
                "Zoho accounts server unavailable",
                status=response.status_code,
                url=sanitize_url(self._settings.token_url),
            )
        return _json_object(response)

    def _accept(self, body: Mapping[str, object]) -> AccessToken:
        domain = body.get("api_domain")
        if isinstance(domain, str) and domain:
            try:
                require_secure_url(domain, what="the api_domain Zoho named")
            except InsecureURLError as exc:
                raise FatalAPIError(str(exc), url=sanitize_url(self._settings.token_url)) from None
            self._api_domain = domain.rstrip("/")
        lifetime = _lifetime_seconds(body)
        self.grants += 1
        logger.info("obtained a Zoho access token valid for %.0fs", lifetime)
        return AccessToken(value=str(body["access_token"]), expires_at=self._clock() + lifetime)


def _lifetime_seconds(body: Mapping[str, object]) -> float:
    # Before 2020 Zoho sent `expires_in` in ms next to `expires_in_sec`; now seconds only.
    for key in ("expires_in_sec", "expires_in"):
        value = body.get(key)
        if isinstance(value, int | float | str):
            try:
                return float(value)
            except ValueError:
                continue
    return 3600.0

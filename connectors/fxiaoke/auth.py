"""Both Fxiaoke token grants, attached to the client as one auth object.

`corp_access_token`: POST /cgi/corpAccessToken/get/V2 -> corpAccessToken + corpId, sent in
every JSON body with `currentOpenUserId`. `app_secret`: POST /oauth2.0/token -> accessToken +
ea, sent as `Authorization: Bearer`, `x-fs-ea` and `x-fs-userid` headers. The gateway returns
the same token for 6600 s, so we reuse it that long; token calls are serialised and limited to
10 a minute. A 20016 reply makes the HTTP client drop the token and resend once. Every request
gets a fresh `thirdTraceId`.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Mapping
from urllib.parse import urlsplit

import requests
from requests.auth import AuthBase

from connectors.fxiaoke.classifier import (
    TOKEN_REFUSED_CODE,
    classify_fxiaoke_response,
    error_code,
    json_object,
)
from connectors.fxiaoke.errors import FxiaokeOperatorError, FxiaokeResponseError
from connectors.fxiaoke.settings import FxiaokeSettings
from connectors.http import (
    AccessToken,
    HttpClient,
    JSONValue,
    RefreshingAuth,
    RequestSpec,
    RetryPolicy,
    Timeouts,
    TokenBucket,
)
from connectors.http.clock import Clock, Sleep, monotonic_clock, real_sleep

__all__ = [
    "CORP_TOKEN_PATH",
    "DEFAULT_TOKEN_LIFETIME",
    "GET_BY_MOBILE_PATH",
    "OAUTH_TOKEN_PATH",
    "FxiaokeAuth",
    "TraceIdStamp",
]

logger = logging.getLogger(__name__)

CORP_TOKEN_PATH = "/cgi/corpAccessToken/get/V2"  # noqa: S105 (a path, not a secret)
OAUTH_TOKEN_PATH = "/oauth2.0/token"  # noqa: S105
GET_BY_MOBILE_PATH = "/cgi/user/getByMobile"
DEFAULT_TOKEN_LIFETIME = 7200.0
# Contact-book calls take the token and corpId only, no operator.
_DIRECTORY_PREFIXES = ("/cgi/user/", "/cgi/department/")


def _stamp_trace_id(r: requests.PreparedRequest) -> None:
    r.prepare_url(r.url, {"thirdTraceId": str(uuid.uuid4())})


class TraceIdStamp(AuthBase):
    """Adds a unique `thirdTraceId` to each request (used for the token calls themselves)."""

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        _stamp_trace_id(r)
        return r


def _body_of(r: requests.PreparedRequest) -> dict[str, JSONValue] | None:
    raw = r.body
    if raw is None or raw == b"" or raw == "":
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _lifetime(body: Mapping[str, object]) -> float:
    raw = body.get("expiresIn")
    if isinstance(raw, int | float | str) and not isinstance(raw, bool):
        try:
            return float(raw)
        except ValueError:
            pass
    return DEFAULT_TOKEN_LIFETIME


class FxiaokeAuth(RefreshingAuth):
    def __init__(
        self,
        settings: FxiaokeSettings,
        *,
        session: requests.Session | None = None,
        timeouts: Timeouts | None = None,
        retry: RetryPolicy | None = None,
        clock: Clock = monotonic_clock,
        sleep: Sleep = real_sleep,
    ) -> None:
        super().__init__(clock=clock, refresh_margin=0.0)
        self._settings = settings
        self.token_http = HttpClient(
            base_url=settings.api_base,
            session=session,
            auth=TraceIdStamp(),
            timeouts=timeouts or Timeouts(settings.connect_timeout, settings.read_timeout),
            retry=retry or RetryPolicy(sleep=sleep),
            classifier=classify_fxiaoke_response,
            rate_limit=TokenBucket(settings.token_calls_per_minute, 60.0, clock=clock, sleep=sleep),
        )
        self.tenant: str | None = None
        """corpId (legacy grant) or ea (app_secret grant) from the last token reply."""
        self._operator = settings.current_open_user_id
        self._operator_lock = threading.Lock()

    @property
    def token_calls(self) -> int:
        return self.token_http.calls_made

    def fetch_token(self) -> AccessToken:
        legacy = self._settings.grant_type == "corp_access_token"
        body: dict[str, JSONValue] = {
            "appId": self._settings.app_id,
            "appSecret": self._settings.app_secret.get_secret_value(),
            "permanentCode": self._settings.permanent_code.get_secret_value(),
        }
        if not legacy:
            body["grantType"] = "app_secret"
        path = CORP_TOKEN_PATH if legacy else OAUTH_TOKEN_PATH
        reply = json_object(self.token_http.send(RequestSpec("POST", path, json=body)))
        # Either grant's token key is accepted: replies of the two have been seen mixed up.
        token = reply.get("corpAccessToken") or reply.get("accessToken")
        tenant = reply.get("corpId") if legacy else reply.get("ea")
        if not isinstance(token, str) or not token or not isinstance(tenant, str) or not tenant:
            want = "corpAccessToken and corpId" if legacy else "accessToken and ea"
            raise FxiaokeResponseError(f"token reply lacks {want}", status=200, url=path)
        self.tenant = tenant
        lifetime = _lifetime(reply)
        # expiresIn is the token's remaining life; keep a little of it in hand.
        reuse = min(self._settings.token_reuse_seconds, lifetime * 0.95)
        logger.info("obtained a Fxiaoke token (%s grant), reused for %.0fs", path, reuse)
        return AccessToken(value=token, expires_at=self._clock() + reuse)

    @property
    def operator(self) -> str:
        """The operator's user id: configured, or looked up once by mobile."""
        with self._operator_lock:
            if self._operator is None:
                self._operator = self._resolve_operator()
            return self._operator

    def _resolve_operator(self) -> str:
        mobile = self._settings.operator_mobile or ""
        token = self.current_token()
        body: dict[str, JSONValue] = {"mobile": mobile}
        headers: dict[str, str] = {}
        self._sign(body, headers, token.value, operator=None)
        spec = RequestSpec("POST", GET_BY_MOBILE_PATH, headers=headers, json=body)
        reply = json_object(self.token_http.send(spec))
        for key in ("empList", "employees", "userList"):
            people = reply.get(key)
            if isinstance(people, list) and people and isinstance(people[0], dict):
                user_id = people[0].get("openUserId") or people[0].get("userId")
                if isinstance(user_id, str | int) and str(user_id):
                    logger.info("operator resolved by mobile")
                    return str(user_id)
        raise FxiaokeOperatorError(
            "no employee found for the configured operator mobile", status=200, url=spec.url
        )

    def _sign(
        self, body: dict[str, JSONValue], headers: dict[str, str], token: str, operator: str | None
    ) -> None:
        tenant = self.tenant or ""
        if self._settings.grant_type == "corp_access_token":
            body["corpAccessToken"] = token
            body["corpId"] = tenant
            if operator is not None:
                body["currentOpenUserId"] = operator
            return
        headers["Authorization"] = f"Bearer {token}"
        headers["x-fs-ea"] = tenant
        if operator is not None:
            headers["x-fs-userid"] = operator

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        token = self.current_token().value
        path = urlsplit(r.url or "").path
        operator = None if path.startswith(_DIRECTORY_PREFIXES) else self.operator
        body = _body_of(r)
        if body is None:
            raise FxiaokeResponseError("Fxiaoke requests must have a JSON object body")
        headers: dict[str, str] = {}
        self._sign(body, headers, token, operator)
        r.headers.update(headers)
        if self._settings.grant_type == "corp_access_token":
            r.prepare_body(data=None, files=None, json=body)
        _stamp_trace_id(r)
        return r

    def is_token_refused(self, response: requests.Response) -> bool:
        return response.status_code == 200 and error_code(json_object(response)) == (
            TOKEN_REFUSED_CODE
        )

    def invalidate(self, request: requests.PreparedRequest | None) -> None:
        """Drop the token if `request` was signed with it (a concurrent refresh is kept)."""
        sent: object = None
        if request is not None:
            header = request.headers.get("Authorization")
            sent = header.removeprefix("Bearer ") if header else None
            if sent is None:
                body = _body_of(request)
                sent = body.get("corpAccessToken") if body else None
        with self._lock:
            if self._token is not None and sent in (None, self._token.value):
                self._token = None

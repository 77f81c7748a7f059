"""The HTTP client every connector uses: one `requests.Session` plus our policies.

Per attempt: charge the credit budget (refusing before sending), wait for the rate limit,
take a concurrency slot, send with timeouts, let the auth refresh once on a refused token,
then let the connector's classifier decide. Retries wrap the whole attempt.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager, nullcontext
from urllib.parse import urlsplit

import requests
from requests.auth import AuthBase
from tenacity import RetryCallState

from connectors.http.auth import RefreshingAuth
from connectors.http.bounded import read_bounded
from connectors.http.budget import CostFunction, CreditBudget, one_credit_per_call
from connectors.http.classify import ResponseClassifier, Verdict, classify_by_status
from connectors.http.errors import (
    FatalAPIError,
    RecordError,
    RetriableAPIError,
    TokenRefusedError,
    UnreachableError,
)
from connectors.http.ratelimit import ConcurrencyLimit, EndpointRateLimits, TokenBucket
from connectors.http.redaction import redact_headers, sanitize_url
from connectors.http.request import RequestSpec, Timeouts
from connectors.http.retry import RetryPolicy, parse_retry_after
from connectors.http.transport import is_loopback_url

__all__ = ["TOKEN_REFUSALS", "HttpClient"]

TOKEN_REFUSALS = 2
"""Attempts of one request whose fresh token was refused before the refusal is fatal: two
tell a token another client refreshed away from wrong credentials, and token calls are
scarce (Fxiaoke 10 a minute, Zoho 10 per refresh token in 10 minutes)."""

logger = logging.getLogger(__name__)


# A port of this machine that refuses a connection has nothing listening: one short second
# try covers a server that is just starting, and then the caller hears it at once.
LOOPBACK_RETRY_SECONDS = 0.5


def _refused(exc: BaseException) -> bool:
    """Whether a requests error comes from a refused TCP connection (ECONNREFUSED)."""
    seen: set[int] = set()
    todo: list[object] = [exc]
    while todo:
        item = todo.pop()
        if not isinstance(item, BaseException) or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, ConnectionRefusedError):
            return True
        todo += [item.__cause__, item.__context__, getattr(item, "reason", None), *item.args]
    return "Connection refused" in str(exc)


def _full_url(url: str, params: Mapping[str, str]) -> str:
    prepared = requests.PreparedRequest()
    prepared.prepare_url(url, dict(params))
    return prepared.url or url


class HttpClient:
    """Sends `RequestSpec`s with timeouts, retries, limits, auth and classification.

    `base_url` may be a callable so that it is resolved late, e.g. from the `api_domain` a
    token response names. Thread-safe: one client may be shared by concurrent workers.
    """

    def __init__(
        self,
        *,
        base_url: str | Callable[[], str] = "",
        session: requests.Session | None = None,
        auth: AuthBase | None = None,
        timeouts: Timeouts | None = None,
        retry: RetryPolicy | None = None,
        classifier: ResponseClassifier = classify_by_status,
        rate_limit: TokenBucket | None = None,
        endpoint_limits: EndpointRateLimits | None = None,
        concurrency: ConcurrencyLimit | None = None,
        budget: CreditBudget | None = None,
        cost: CostFunction = one_credit_per_call,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self._base_url = base_url
        self.session = session if session is not None else requests.Session()
        self.auth = auth
        self.timeouts = timeouts or Timeouts()
        self.retry = retry or RetryPolicy()
        self.classifier = classifier
        self.rate_limit = rate_limit
        self.endpoint_limits = endpoint_limits
        self.concurrency = concurrency
        self.budget = budget
        self.cost = cost
        self.headers = dict(headers or {})
        self._calls = 0
        self._calls_lock = threading.Lock()

    @property
    def calls_made(self) -> int:
        """HTTP requests actually sent, retries and token-refused resends included."""
        return self._calls

    def url_for(self, url: str) -> str:
        if url.startswith(("http://", "https://")):
            return url
        base = self._base_url() if callable(self._base_url) else self._base_url
        return f"{base.rstrip('/')}/{url.lstrip('/')}"

    def send(self, spec: RequestSpec) -> requests.Response:
        """Send `spec` under the retry policy and return the response classified as ok.

        Raises `FatalAPIError`, `RecordError`, `RetriableAPIError` (retries used up),
        `BudgetExhaustedError` (nothing sent) or the last `requests` exception.
        """
        retrying = self.retry.retrying(
            idempotent=spec.idempotent,
            before_sleep=self._log_retry,
            max_elapsed=self.timeouts.call,
        )
        refusals = 0

        def attempt(spec: RequestSpec) -> requests.Response:
            nonlocal refusals
            try:
                return self._attempt(spec)
            except TokenRefusedError as exc:
                refusals += 1
                if refusals >= TOKEN_REFUSALS:
                    raise exc.fatal() from None
                raise

        return retrying(attempt, spec)

    def _attempt(self, spec: RequestSpec) -> requests.Response:
        response = self._transmit_or_unreachable(spec)
        auth = self.auth
        if isinstance(auth, RefreshingAuth) and auth.is_token_refused(response):
            # One refresh and one resend per attempt. A fresh token refused as well is retried
            # after a back-off (another client may have refreshed it away), fatal at the end;
            # the next attempt refreshes only if it is refused again (token calls are scarce).
            logger.info("token refused by %s; refreshing", sanitize_url(response.url))
            auth.invalidate(response.request)
            response = self._transmit(spec)
            if auth.is_token_refused(response):
                try:
                    self._check(response)
                except FatalAPIError as refused:
                    raise TokenRefusedError(refused) from None
        return self._check(response)

    def _transmit_or_unreachable(self, spec: RequestSpec) -> requests.Response:
        """Send; a loopback server that refuses twice is reported as unreachable at once.

        The refused URL is the failed request's own: it may be the token endpoint, asked
        while this request was being signed."""
        for attempt in (1, 2):
            try:
                return self._transmit(spec)
            except requests.ConnectionError as exc:
                refused = exc.request.url if exc.request is not None else None
                if not refused or not is_loopback_url(refused) or not _refused(exc):
                    raise
                if attempt == 2:
                    parts = urlsplit(refused)
                    raise UnreachableError(
                        f"connection refused by {parts.hostname}:{parts.port}: nothing listens "
                        "there; is the sandbox running?",
                        url=sanitize_url(f"{parts.scheme}://{parts.netloc}"),
                    ) from None
                time.sleep(LOOPBACK_RETRY_SECONDS)
        raise AssertionError("unreachable")

    def _transmit(self, spec: RequestSpec) -> requests.Response:
        if self.budget is not None:
            self.budget.charge(self.cost(spec))
        if self.rate_limit is not None:
            self.rate_limit.acquire()
        if self.endpoint_limits is not None:
            self.endpoint_limits.acquire(spec.url)
        url = self.url_for(spec.url)
        headers = {**self.headers, **spec.headers}
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s %s headers=%s",
                spec.method,
                sanitize_url(_full_url(url, spec.params)),
                redact_headers(headers),
            )
        slot: AbstractContextManager[None] = (
            self.concurrency.slot() if self.concurrency is not None else nullcontext()
        )
        with slot:
            with self._calls_lock:
                self._calls += 1
            started = time.monotonic()
            response = self.session.request(
                spec.method,
                url,
                params=dict(spec.params),
                headers=headers,
                json=spec.json,
                auth=self.auth,
                timeout=self.timeouts.as_tuple(),
                allow_redirects=False,
                stream=True,
            )
            read_bounded(
                response,
                seconds=self.timeouts.reply,
                max_bytes=self.timeouts.max_reply_bytes,
                started=started,
            )
        logger.debug("%s %s -> %s", spec.method, sanitize_url(response.url), response.status_code)
        if self.budget is not None:
            self.budget.observe(response)
        return response

    def _check(self, response: requests.Response) -> requests.Response:
        verdict = self.classifier(response)
        if verdict.verdict is Verdict.OK:
            return response
        url = sanitize_url(response.url)
        message = verdict.message or response.reason or "request failed"
        status = response.status_code
        if verdict.verdict is Verdict.RETRIABLE:
            retry_after = verdict.retry_after
            if retry_after is None:
                header = response.headers.get("Retry-After")
                retry_after = parse_retry_after(header, now=self.retry.clock())
            raise RetriableAPIError(
                message,
                status=status,
                code=verdict.code,
                url=url,
                retry_after=retry_after,
                trace_id=verdict.trace_id,
                not_processed=verdict.not_processed,
            )
        trace_id = verdict.trace_id
        if verdict.verdict is Verdict.RECORD:
            raise RecordError(message, status=status, code=verdict.code, url=url, trace_id=trace_id)
        raise FatalAPIError(message, status=status, code=verdict.code, url=url, trace_id=trace_id)

    @staticmethod
    def _log_retry(state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome is not None else None
        logger.warning(
            "attempt %d failed (%s); retrying in %.1fs",
            state.attempt_number,
            exc,
            state.upcoming_sleep,
        )

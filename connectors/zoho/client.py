"""The Zoho CRM connector assembled: settings -> auth, limits, budget, reader and writer."""

from __future__ import annotations

import math
from datetime import timedelta

import requests

from connectors.http import (
    ConcurrencyLimit,
    CreditBudget,
    HttpClient,
    RequestSpec,
    RetryPolicy,
    Timeouts,
    TokenBucket,
)
from connectors.http.clock import Clock, Sleep, monotonic_clock, real_sleep
from connectors.zoho.auth import ZohoOAuth
from connectors.zoho.classifier import CREDITS_REMAINING_HEADER, classify_zoho_response
from connectors.zoho.reads import ZohoReader
from connectors.zoho.settings import ZohoSettings
from connectors.zoho.tokens import TokenStore
from connectors.zoho.writes import ZohoWriter

__all__ = ["ZohoClient", "zoho_credit_cost"]

_RECORDS_PER_WRITE_CREDIT = 10


def zoho_credit_cost(spec: RequestSpec) -> int:
    """Credits one call costs: 1, but writes of records cost 1 per started 10 records."""
    body = spec.json
    if spec.method in ("POST", "PUT") and isinstance(body, dict):
        data = body.get("data")
        if isinstance(data, list) and data:
            return math.ceil(len(data) / _RECORDS_PER_WRITE_CREDIT)
    return 1


class ZohoClient:
    """One Zoho org: `reader` and `writer` share one HTTP client, token, limits and budget.

    `sleep` and `clock` are injectable so tests never wait; `session` lets tests or the
    sandbox supply the transport; `token_store` shares access tokens with other clients.
    """

    def __init__(
        self,
        settings: ZohoSettings,
        *,
        session: requests.Session | None = None,
        retry: RetryPolicy | None = None,
        rate_limit: TokenBucket | None = None,
        clock: Clock = monotonic_clock,
        sleep: Sleep = real_sleep,
        token_store: TokenStore | None = None,
    ) -> None:
        self.settings = settings
        session = session if session is not None else requests.Session()
        timeouts = Timeouts(settings.connect_timeout, settings.read_timeout)
        self.auth = ZohoOAuth(
            settings,
            session=session,
            timeouts=timeouts,
            clock=clock,
            sleep=sleep,
            token_store=token_store,
        )
        self.budget = CreditBudget(
            settings.daily_credit_budget, remaining_header=CREDITS_REMAINING_HEADER
        )
        self.http = HttpClient(
            base_url=self._api_base,
            session=session,
            auth=self.auth,
            timeouts=timeouts,
            retry=retry or RetryPolicy(sleep=sleep),
            classifier=classify_zoho_response,
            rate_limit=rate_limit,
            concurrency=ConcurrencyLimit(settings.max_concurrency),
            budget=self.budget,
            cost=zoho_credit_cost,
        )
        api_path = f"/crm/{settings.api_version}"
        self.reader = ZohoReader(
            self.http, api_path=api_path, lookback=timedelta(seconds=settings.lookback_seconds)
        )
        self.writer = ZohoWriter(self.http, api_path=api_path)

    def _api_base(self) -> str:
        return self.settings.api_base_url or self.auth.api_domain

    @property
    def calls_made(self) -> int:
        return self.http.calls_made

"""The Fxiaoke connector assembled: settings -> auth, per-endpoint limits, quota, reader, writer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import requests

from connectors.fxiaoke.auth import FxiaokeAuth
from connectors.fxiaoke.classifier import classify_fxiaoke_response
from connectors.fxiaoke.reads import FxiaokeReader
from connectors.fxiaoke.settings import FxiaokeSettings
from connectors.fxiaoke.writes import FxiaokeWriter
from connectors.http import (
    CreditBudget,
    EndpointRateLimits,
    HttpClient,
    RetryPolicy,
    Timeouts,
)
from connectors.http.clock import Clock, Sleep, monotonic_clock, real_sleep

__all__ = ["FxiaokeClient"]


class FxiaokeClient:
    """One Fxiaoke tenant: `reader` and `writer` share one HTTP client, token, per-endpoint
    token buckets (shared by all write workers) and the daily call quota.

    `clock`, `sleep` and `now` are injectable so tests never wait; `session` lets tests or the
    sandbox supply the transport.
    """

    def __init__(
        self,
        settings: FxiaokeSettings,
        *,
        session: requests.Session | None = None,
        retry: RetryPolicy | None = None,
        clock: Clock = monotonic_clock,
        sleep: Sleep = real_sleep,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.settings = settings
        session = session if session is not None else requests.Session()
        timeouts = Timeouts(settings.connect_timeout, settings.read_timeout)
        retry = retry or RetryPolicy(sleep=sleep)
        self.auth = FxiaokeAuth(
            settings, session=session, timeouts=timeouts, retry=retry, clock=clock, sleep=sleep
        )
        self.budget = CreditBudget(settings.daily_call_quota)
        self.rate_limits = EndpointRateLimits(
            settings.rate_limit_calls, settings.rate_limit_seconds, clock=clock, sleep=sleep
        )
        self.http = HttpClient(
            base_url=settings.api_base,
            session=session,
            auth=self.auth,
            timeouts=timeouts,
            retry=retry,
            classifier=classify_fxiaoke_response,
            endpoint_limits=self.rate_limits,
            budget=self.budget,
        )
        self.reader = FxiaokeReader(
            self.http, lookback=timedelta(seconds=settings.lookback_seconds), now=now
        )
        self.writer = FxiaokeWriter(
            self.http,
            concurrency=settings.write_concurrency,
            owner_id_as_list=settings.owner_id_as_list,
        )

    @property
    def calls_made(self) -> int:
        """Business calls plus token and operator-lookup calls."""
        return self.http.calls_made + self.auth.token_calls

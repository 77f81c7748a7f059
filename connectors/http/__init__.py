"""The shared HTTP core of every HTTP connector.

Timeouts, one retry policy, per-connector response classification, self-refreshing auth,
rate and concurrency limits, API-credit budgets, redacted logging and one pagination loop.
"""

from connectors.http.auth import AccessToken, RefreshingAuth
from connectors.http.budget import CostFunction, CreditBudget, one_credit_per_call
from connectors.http.classify import (
    RETRIABLE_STATUSES,
    Classification,
    ResponseClassifier,
    Verdict,
    classify_by_status,
)
from connectors.http.client import HttpClient
from connectors.http.clock import Clock, Sleep, WallClock
from connectors.http.errors import (
    APIError,
    BudgetExhaustedError,
    ConnectorError,
    FatalAPIError,
    PaginationLoopError,
    RecordError,
    RetriableAPIError,
    UnreachableError,
)
from connectors.http.pagination import Page, Paginator, RequestSender, paginate
from connectors.http.ratelimit import (
    ConcurrencyLimit,
    EndpointRateLimits,
    SlidingWindowLimit,
    TokenBucket,
)
from connectors.http.redaction import redact_headers, redact_text, sanitize_url
from connectors.http.request import JSONValue, RequestSpec, Timeouts
from connectors.http.retry import RetryPolicy, is_retriable, parse_retry_after
from connectors.http.transport import InsecureURLError, is_loopback_url, require_secure_url

__all__ = [
    "RETRIABLE_STATUSES",
    "APIError",
    "AccessToken",
    "BudgetExhaustedError",
    "Classification",
    "Clock",
    "ConcurrencyLimit",
    "ConnectorError",
    "CostFunction",
    "CreditBudget",
    "EndpointRateLimits",
    "FatalAPIError",
    "HttpClient",
    "InsecureURLError",
    "JSONValue",
    "Page",
    "PaginationLoopError",
    "Paginator",
    "RecordError",
    "RefreshingAuth",
    "RequestSender",
    "RequestSpec",
    "ResponseClassifier",
    "RetriableAPIError",
    "RetryPolicy",
    "Sleep",
    "SlidingWindowLimit",
    "Timeouts",
    "TokenBucket",
    "UnreachableError",
    "Verdict",
    "WallClock",
    "classify_by_status",
    "is_loopback_url",
    "is_retriable",
    "one_credit_per_call",
    "paginate",
    "parse_retry_after",
    "redact_headers",
    "redact_text",
    "require_secure_url",
    "sanitize_url",
]

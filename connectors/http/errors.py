"""Errors of the shared HTTP core, named by what the caller can do about them.

- `FatalAPIError`: stop the run; retrying will not help (bad config, permission, our bug).
  `UnreachableError`: a loopback port refused the connection (is the sandbox running?).
- `RetriableAPIError`: back off and try again; the retry policy does this by itself and only
  lets it escape once its attempts or its total wait are used up. `TokenRefusedError`: a
  fresh token was refused too; retried like the others, fatal when the retries run out.
- `RecordError`: this request's records were refused; dead-letter them and go on.
- `BudgetExhaustedError`: raised before sending, so the caller stops at a batch boundary.
- `PaginationLoopError`: the API handed back a page state we already followed.
"""

from __future__ import annotations

__all__ = [
    "APIError",
    "BudgetExhaustedError",
    "ConnectorError",
    "FatalAPIError",
    "PaginationLoopError",
    "RecordError",
    "RetriableAPIError",
    "TokenRefusedError",
    "UnreachableError",
]


class ConnectorError(Exception):
    """Base of every error raised by a connector."""


class APIError(ConnectorError):
    """An API answered (or failed to answer) in a way the caller has to act on.

    `url` is always sanitised: it is safe to log and to show.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        url: str = "",
        trace_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.url = url
        self.trace_id = trace_id

    def __str__(self) -> str:
        where = f" ({self.url})" if self.url else ""
        status = f"HTTP {self.status} " if self.status is not None else ""
        code = f"{self.code}: " if self.code else ""
        trace = f" [trace {self.trace_id}]" if self.trace_id else ""
        return f"{status}{code}{self.message}{where}{trace}"


class FatalAPIError(APIError):
    """Stop: the request cannot succeed as it stands (configuration, permission, bad request)."""


class UnreachableError(FatalAPIError):
    """A server on this machine refused the connection: nothing listens on that port (a
    sandbox that is not running). Retrying for minutes would not start it."""


class RetriableAPIError(APIError):
    """Back off and retry; `retry_after` is the server's requested wait in seconds, if any."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        url: str = "",
        retry_after: float | None = None,
        trace_id: str | None = None,
        not_processed: bool = False,
    ) -> None:
        super().__init__(message, status=status, code=code, url=url, trace_id=trace_id)
        self.retry_after = retry_after
        self.not_processed = not_processed
        """The server said it did nothing, so resending a non-idempotent request is safe."""


class TokenRefusedError(RetriableAPIError):
    """A token was refused right after a refresh. Another client of the same app may have
    refreshed meanwhile (a token per app: the older stops working) or the credentials are
    wrong; the retry policy refreshes again after a back-off, and when its attempts run out
    the error is fatal (`fatal`). Nothing was processed, so resending a write is safe."""

    def __init__(self, refused: FatalAPIError) -> None:
        super().__init__(
            refused.message,
            status=refused.status,
            code=refused.code,
            url=refused.url,
            trace_id=refused.trace_id,
            not_processed=True,
        )

    def fatal(self) -> FatalAPIError:
        return FatalAPIError(
            self.message, status=self.status, code=self.code, url=self.url, trace_id=self.trace_id
        )


class RecordError(APIError):
    """The records of this request were refused; dead-letter them and carry on with the rest."""


class BudgetExhaustedError(ConnectorError):
    """The next call would exceed the API-credit budget; nothing was sent.

    `needed` is the cost of the refused call, `remaining` what the budget still allows.
    Everything before the refused call was sent and answered; nothing after it was.
    """

    def __init__(
        self, needed: int, remaining: int, *, detail: str = "", pending: int | None = None
    ) -> None:
        msg = f"API credit budget exhausted: next call needs {needed}, {remaining} remain"
        super().__init__(f"{msg}; {detail}" if detail else msg)
        self.needed = needed
        self.remaining = remaining
        self.pending = pending
        """Items (records, ids) the caller asked for that were not sent, when known."""


class PaginationLoopError(ConnectorError):
    """The paginator asked for a page it had already fetched; following it would never end."""

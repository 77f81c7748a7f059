"""Settings of a sandbox run: credentials it accepts and the faults it injects."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FaultConfig", "SandboxCredentials"]


@dataclass(frozen=True)
class SandboxCredentials:
    """The one OAuth client the sandbox knows. Not secrets: they only open this fake."""

    client_id: str = "1000.SANDBOXCLIENTID"
    client_secret: str = "sandbox-client-secret"  # noqa: S105 - a fixed fake credential
    refresh_token: str = "1000.sandbox.refresh.token"  # noqa: S105 - a fixed fake credential
    grant_code: str = "1000.sandbox.grant.code"


@dataclass(frozen=True)
class FaultConfig:
    """Shares of CRM API calls that fail, decided from the seed and the request itself.

    The draw for a request hashes the seed, the request (method, path, query, body) and how many
    times that same request was seen, so a run is reproducible whatever the thread interleaving,
    and a retry of a failed request gets a fresh draw.
    """

    rate_429: float = 0.0
    rate_5xx: float = 0.0
    rate_timeout: float = 0.0
    rate_drop: float = 0.0
    rate_token_expiry: float = 0.0
    retry_after: int | None = 1
    timeout_seconds: float = 5.0
    include_token_endpoint: bool = False

    def __post_init__(self) -> None:
        total = (
            self.rate_429 + self.rate_5xx + self.rate_timeout + self.rate_drop
        ) + self.rate_token_expiry
        if total > 1.0 or min(self.rate_429, self.rate_5xx, self.rate_timeout) < 0:
            raise ValueError("fault rates must be non-negative and sum to at most 1")

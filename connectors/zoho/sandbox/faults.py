"""Deterministic fault decisions: the same seed and requests give the same faults."""

from __future__ import annotations

import enum
import hashlib
import threading
from collections import Counter

from connectors.zoho.sandbox.config import FaultConfig

__all__ = ["Fault", "FaultPlan"]


class Fault(enum.Enum):
    TOO_MANY_REQUESTS = "429"
    SERVER_ERROR = "5xx"
    TIMEOUT = "timeout"
    DROP = "drop"
    TOKEN_EXPIRY = "token_expiry"  # noqa: S105 - a fault name, not a secret


class FaultPlan:
    def __init__(self, config: FaultConfig, seed: int) -> None:
        self.config = config
        self._seed = seed
        self._seen: Counter[str] = Counter()
        self._lock = threading.Lock()

    def draw(self, request_key: str) -> tuple[Fault | None, int]:
        """Decide the fate of a request; also returns a stable number for sub-choices."""
        with self._lock:
            self._seen[request_key] += 1
            occurrence = self._seen[request_key]
        digest = hashlib.sha256(f"{self._seed}|{request_key}|{occurrence}".encode()).digest()
        share = int.from_bytes(digest[:8], "big") / 2**64
        spare = int.from_bytes(digest[8:12], "big")
        c = self.config
        for fault, rate in (
            (Fault.TOO_MANY_REQUESTS, c.rate_429),
            (Fault.SERVER_ERROR, c.rate_5xx),
            (Fault.TIMEOUT, c.rate_timeout),
            (Fault.DROP, c.rate_drop),
            (Fault.TOKEN_EXPIRY, c.rate_token_expiry),
        ):
            if share < rate:
                return fault, spare
            share -= rate
        return None, spare

"""Deterministic fault injection: the n-th call to a path draws from (seed, path, n).

Keying the draw on the path and its own call count keeps a run reproducible even when calls to
different paths interleave differently between runs.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from enum import Enum

from connectors.fxiaoke.sandbox.config import FaultConfig
from connectors.fxiaoke.sandbox.errors import FxiaokeCode

__all__ = ["Fault", "FaultInjector", "FaultKind"]


class FaultKind(Enum):
    RATE_LIMITED = "rate_limited"
    SYSTEM_ERROR = "system_error"
    TIMEOUT = "timeout"
    DROPPED = "dropped"
    TOKEN_INVALIDATION = "token_invalidation"  # noqa: S105 - a fault name
    LOST_REPLY = "lost_reply"


class Fault:
    """One drawn fault; `code` is the errorCode for the kinds that answer with one."""

    def __init__(self, kind: FaultKind, code: int | None) -> None:
        self.kind = kind
        self.code = code

    def __repr__(self) -> str:
        return f"Fault({self.kind.value}, {self.code})"


class FaultInjector:
    def __init__(self, config: FaultConfig, seed: int) -> None:
        self.config = config
        self._seed = seed
        self._lock = threading.Lock()
        self._calls: Counter[str] = Counter()
        self.injected: Counter[FaultKind] = Counter()

    def applies_to(self, path: str) -> bool:
        return self.config.total() > 0 and path.startswith(self.config.paths)

    def draw(self, path: str) -> Fault | None:
        if not self.applies_to(path):
            return None
        with self._lock:
            self._calls[path] += 1
            n = self._calls[path]
        rng = random.Random(f"{self._seed}:{path}:{n}")  # noqa: S311 - not for security
        roll = rng.random()
        cfg = self.config
        bands = (
            (FaultKind.RATE_LIMITED, cfg.rate_limited),
            (FaultKind.SYSTEM_ERROR, cfg.system_error),
            (FaultKind.TIMEOUT, cfg.timeout),
            (FaultKind.DROPPED, cfg.dropped),
            (FaultKind.TOKEN_INVALIDATION, cfg.token_invalidation),
            (FaultKind.LOST_REPLY, cfg.lost_reply),
        )
        edge = 0.0
        for kind, share in bands:
            edge += share
            if roll < edge:
                with self._lock:
                    self.injected[kind] += 1
                return Fault(kind, _code_for(kind, rng))
        return None


def _code_for(kind: FaultKind, rng: random.Random) -> int | None:
    # Both documented variants of each class occur, so clients must handle either.
    if kind is FaultKind.RATE_LIMITED:
        return rng.choice((FxiaokeCode.FREQUENCY_LIMITED, FxiaokeCode.CALL_LIMIT_EXCEEDED))
    if kind is FaultKind.SYSTEM_ERROR:
        return rng.choice((FxiaokeCode.SYSTEM_BUSY, FxiaokeCode.SERVICE_ERROR))
    if kind is FaultKind.TOKEN_INVALIDATION:
        return FxiaokeCode.TOKEN_INVALID
    return None

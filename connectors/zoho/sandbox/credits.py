"""API credits: a rolling 24-hour ledger with Zoho's per-call costs."""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Callable

__all__ = ["CreditLedger", "credit_cost"]

_WINDOW = 24 * 3600.0
_WRITE_ROUTES = frozenset({"insert", "update", "upsert"})


def credit_cost(operation: str, record_count: int) -> int:
    """Most calls cost 1; insert/update/upsert cost 1 per 10 records (reference 3.3)."""
    if operation in _WRITE_ROUTES:
        return max(1, math.ceil(record_count / 10))
    return 1


class CreditLedger:
    def __init__(self, budget: int, clock: Callable[[], float]) -> None:
        self.budget = budget
        self._clock = clock
        self._spent: deque[tuple[float, int]] = deque()
        self._lock = threading.Lock()

    def used(self) -> int:
        with self._lock:
            self._prune()
            return sum(cost for _, cost in self._spent)

    def remaining(self) -> int:
        return max(0, self.budget - self.used())

    def try_spend(self, cost: int) -> bool:
        """Spend ``cost`` if the rolling window allows it; False means answer 429."""
        with self._lock:
            self._prune()
            if sum(c for _, c in self._spent) + cost > self.budget:
                return False
            self._spent.append((self._clock(), cost))
            return True

    def _prune(self) -> None:
        cutoff = self._clock() - _WINDOW
        while self._spent and self._spent[0][0] <= cutoff:
            self._spent.popleft()

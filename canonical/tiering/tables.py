"""Columns of customers, deals, interactions and feedback, as numpy arrays.

Tiering works on whole columns so that a million customers cost a few numpy passes, not a
million Python calls. Customers are rows 0..n-1; every other table names its customer by
row (``-1``: none). Days are whole days since 1970-01-01 (UTC). Text attributes are
categoricals: an int32 code per row and the labels (code ``-1``: empty).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import numpy as np
import numpy.typing as npt

__all__ = [
    "BoolArray",
    "Categorical",
    "CodeArray",
    "CustomerTable",
    "DealTable",
    "FeedbackTable",
    "FloatArray",
    "IntArray",
    "InteractionTable",
    "day_number",
    "day_of",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
CodeArray = npt.NDArray[np.int8]
_EPOCH = date(1970, 1, 1)


def day_number(when: datetime | date) -> int:
    """Whole days since 1970-01-01; a datetime counts by its UTC date."""
    if isinstance(when, datetime):
        when = when.astimezone(UTC).date()
    return (when - _EPOCH).days


def day_of(number: int) -> date:
    return date.fromordinal(_EPOCH.toordinal() + number)


@dataclass(frozen=True)
class Categorical:
    """Text values as codes into ``labels`` (-1 = no value)."""

    codes: npt.NDArray[np.int32]
    labels: tuple[str, ...]

    @classmethod
    def of(cls, values: Iterable[str | None]) -> Categorical:
        index: dict[str, int] = {}
        codes = [-1 if v is None else index.setdefault(v, len(index)) for v in values]
        return cls(np.asarray(codes, dtype=np.int32), tuple(index))

    @classmethod
    def empty(cls, n: int) -> Categorical:
        return cls(np.full(n, -1, dtype=np.int32), ())

    def isin(self, wanted: Iterable[str]) -> BoolArray:
        """Rows whose value is one of ``wanted`` (compared case-folded)."""
        keys = {w.casefold() for w in wanted}
        hits = [i for i, label in enumerate(self.labels) if label.casefold() in keys]
        if not hits:
            return np.zeros(len(self.codes), dtype=np.bool_)
        return np.isin(self.codes, np.asarray(hits, dtype=np.int32))

    def value(self, row: int) -> str | None:
        code = int(self.codes[row])
        return None if code < 0 else self.labels[code]

    def __len__(self) -> int:
        return len(self.codes)


@dataclass(frozen=True)
class CustomerTable:
    """One row per customer (an account, or a contact without one)."""

    ids: Sequence[str]
    industry: Categorical
    size: Categorical
    province: Categorical
    city: Categorical
    employees: FloatArray  # NaN: unknown
    strategic: BoolArray

    def __post_init__(self) -> None:
        n = len(self.ids)
        columns = (self.industry, self.size, self.province, self.city)
        sizes = {len(c) for c in columns} | {len(self.employees), len(self.strategic)}
        if sizes != {n}:
            raise ValueError(f"customer columns differ in length: {sorted(sizes)} for {n} ids")

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def bare(cls, ids: Sequence[str]) -> CustomerTable:
        """Customers with no profile (tests, benchmarks)."""
        n = len(ids)
        empty = Categorical.empty(n)
        return cls(ids, empty, empty, empty, empty, np.full(n, np.nan), np.zeros(n, np.bool_))


@dataclass(frozen=True)
class DealTable:
    """Deals: their customer row, amount in the job's currency (NaN: unknown), the day
    that counts (closing day of a won deal), and whether it was won."""

    customer: IntArray
    amount: FloatArray
    day: IntArray
    won: BoolArray

    def __len__(self) -> int:
        return len(self.customer)

    @classmethod
    def empty(cls) -> DealTable:
        return cls(np.empty(0, np.int64), np.empty(0), np.empty(0, np.int64), np.empty(0, bool))


@dataclass(frozen=True)
class InteractionTable:
    """Notes, follow-ups and feedback: who and when (any contact counts as a sign of life)."""

    customer: IntArray
    day: IntArray

    @classmethod
    def empty(cls) -> InteractionTable:
        return cls(np.empty(0, np.int64), np.empty(0, np.int64))


@dataclass(frozen=True)
class FeedbackTable:
    """Feedback per customer: complaint and still open, CSAT (1-5) and NPS (0-10) with NaN
    where not given, and the day it was received."""

    customer: IntArray
    complaint: BoolArray
    open: BoolArray
    csat: FloatArray
    nps: FloatArray
    day: IntArray
    labels: Sequence[str] = field(default=())  # optional: the feedback ids, for reports

    @classmethod
    def empty(cls) -> FeedbackTable:
        none = np.empty(0)
        return cls(
            np.empty(0, np.int64),
            np.empty(0, bool),
            np.empty(0, bool),
            none,
            none,
            np.empty(0, np.int64),
        )

"""Small tables for tiering tests: customers by profile, deals by (customer, amount, day)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from canonical.tiering import (
    Categorical,
    CustomerTable,
    DealTable,
    FeedbackTable,
    InteractionTable,
    TieringResult,
    TierSettings,
    tier_customers,
)

AS_OF = 20_000  # a day number (2024-10-04)


@dataclass(frozen=True)
class Profile:
    industry: str | None = None
    size: str | None = None
    province: str | None = None
    city: str | None = None
    employees: float | None = None
    strategic: bool = False


def customers(profiles: Sequence[Profile]) -> CustomerTable:
    return CustomerTable(
        ids=[f"c{i}" for i in range(len(profiles))],
        industry=Categorical.of(p.industry for p in profiles),
        size=Categorical.of(p.size for p in profiles),
        province=Categorical.of(p.province for p in profiles),
        city=Categorical.of(p.city for p in profiles),
        employees=np.asarray([np.nan if p.employees is None else p.employees for p in profiles]),
        strategic=np.asarray([p.strategic for p in profiles], dtype=bool),
    )


def deals(rows: Sequence[tuple[int, float, int, bool]]) -> DealTable:
    """(customer, amount, days before AS_OF, won)."""
    if not rows:
        return DealTable.empty()
    return DealTable(
        customer=np.asarray([r[0] for r in rows], dtype=np.int64),
        amount=np.asarray([r[1] for r in rows], dtype=np.float64),
        day=np.asarray([AS_OF - r[2] for r in rows], dtype=np.int64),
        won=np.asarray([r[3] for r in rows], dtype=bool),
    )


def interactions(rows: Sequence[tuple[int, int]]) -> InteractionTable:
    """(customer, days before AS_OF)."""
    if not rows:
        return InteractionTable.empty()
    return InteractionTable(
        np.asarray([r[0] for r in rows], dtype=np.int64),
        np.asarray([AS_OF - r[1] for r in rows], dtype=np.int64),
    )


def feedback(rows: Sequence[tuple[int, bool, bool, float, float, int]]) -> FeedbackTable:
    """(customer, complaint, open, csat or nan, nps or nan, days before AS_OF)."""
    if not rows:
        return FeedbackTable.empty()
    return FeedbackTable(
        customer=np.asarray([r[0] for r in rows], dtype=np.int64),
        complaint=np.asarray([r[1] for r in rows], dtype=bool),
        open=np.asarray([r[2] for r in rows], dtype=bool),
        csat=np.asarray([r[3] for r in rows], dtype=np.float64),
        nps=np.asarray([r[4] for r in rows], dtype=np.float64),
        day=np.asarray([AS_OF - r[5] for r in rows], dtype=np.int64),
    )


def tier(
    profiles: Sequence[Profile],
    deal_rows: Sequence[tuple[int, float, int, bool]] = (),
    settings: TierSettings | None = None,
    *,
    touches: Sequence[tuple[int, int]] = (),
    feedback_rows: Sequence[tuple[int, bool, bool, float, float, int]] = (),
) -> TieringResult:
    return tier_customers(
        customers(profiles),
        deals(deal_rows),
        interactions(touches),
        feedback(feedback_rows),
        settings or TierSettings(),
        as_of=AS_OF,
    )

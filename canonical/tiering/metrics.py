"""Per-customer figures: RFM over a window, lifetime purchases, last signs of life, and
satisfaction (CSAT, NPS) and complaints from feedback. Whole columns at a time."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from canonical.tiering.tables import (
    BoolArray,
    DealTable,
    FeedbackTable,
    FloatArray,
    IntArray,
    InteractionTable,
)

__all__ = ["NEVER", "FeedbackStats", "Metrics", "compute_metrics", "feedback_stats"]

NEVER = -(2**40)
"""The day of an event that never happened: older than any window."""


@dataclass(frozen=True)
class Metrics:
    """Figures per customer row at ``as_of`` (a day number) over ``window_days``."""

    as_of: int
    window_days: int
    frequency: IntArray  # won deals in the window
    monetary: FloatArray  # their amounts (unknown amounts count 0)
    prior_frequency: IntArray  # won deals in the window before
    purchases_ever: IntArray  # won deals at any time up to as_of
    has_deal: BoolArray  # any deal, whatever its status
    last_purchase: IntArray  # day of the last won deal (NEVER: none)
    last_interaction: IntArray  # day of the last note, follow-up or feedback (NEVER: none)

    @property
    def recency_days(self) -> IntArray:
        """Days since the last won deal (huge for customers who never bought)."""
        return self.as_of - self.last_purchase

    @property
    def quiet_days(self) -> IntArray:
        """Days since the customer last bought or was heard from."""
        return self.as_of - np.maximum(self.last_purchase, self.last_interaction)


def _latest(n: int, rows: IntArray, days: IntArray) -> IntArray:
    out = np.full(n, NEVER, dtype=np.int64)
    keep = rows >= 0
    np.maximum.at(out, rows[keep], days[keep])
    return out


def compute_metrics(
    n: int, deals: DealTable, interactions: InteractionTable, *, as_of: int, window_days: int
) -> Metrics:
    """RFM and activity of ``n`` customers. Events after ``as_of`` are not counted yet."""
    known = (deals.customer >= 0) & (deals.day <= as_of)
    won = known & deals.won
    start = as_of - window_days
    current = won & (deals.day > start)
    prior = won & (deals.day <= start) & (deals.day > start - window_days)
    amounts = np.nan_to_num(deals.amount[current], nan=0.0)
    seen = (interactions.customer >= 0) & (interactions.day <= as_of)
    return Metrics(
        as_of=as_of,
        window_days=window_days,
        frequency=np.bincount(deals.customer[current], minlength=n).astype(np.int64),
        monetary=np.bincount(deals.customer[current], weights=amounts, minlength=n).astype(
            np.float64
        ),
        prior_frequency=np.bincount(deals.customer[prior], minlength=n).astype(np.int64),
        purchases_ever=np.bincount(deals.customer[won], minlength=n).astype(np.int64),
        has_deal=np.bincount(deals.customer[deals.customer >= 0], minlength=n) > 0,
        last_purchase=_latest(n, deals.customer[won], deals.day[won]),
        last_interaction=_latest(n, interactions.customer[seen], interactions.day[seen]),
    )


@dataclass(frozen=True)
class FeedbackStats:
    """Satisfaction and complaints per customer row.

    ``nps`` is the net promoter score of the customer's answers (% 9-10 minus % 0-6),
    ``oldest_open_days`` the age of its oldest open complaint (-1: none open).
    """

    csat_avg: FloatArray  # NaN: no answer
    csat_count: IntArray
    nps: FloatArray  # NaN: no answer
    nps_count: IntArray
    open_complaints: IntArray
    overdue_complaints: IntArray
    oldest_open_days: IntArray


def feedback_stats(
    n: int, feedback: FeedbackTable, *, as_of: int, overdue_days: int
) -> FeedbackStats:
    rows = feedback.customer
    valid = (rows >= 0) & (feedback.day <= as_of)
    has_csat = valid & ~np.isnan(feedback.csat)
    csat_count = np.bincount(rows[has_csat], minlength=n)
    csat_sum = np.bincount(rows[has_csat], weights=feedback.csat[has_csat], minlength=n)
    has_nps = valid & ~np.isnan(feedback.nps)
    nps_count = np.bincount(rows[has_nps], minlength=n)
    promoters = np.bincount(rows[has_nps & (feedback.nps >= 9)], minlength=n)
    detractors = np.bincount(rows[has_nps & (feedback.nps <= 6)], minlength=n)
    open_complaint = valid & feedback.complaint & feedback.open
    age = as_of - feedback.day
    oldest = np.full(n, -1, dtype=np.int64)
    np.maximum.at(oldest, rows[open_complaint], age[open_complaint])
    with np.errstate(invalid="ignore", divide="ignore"):
        csat_avg = np.where(csat_count > 0, csat_sum / np.maximum(csat_count, 1), np.nan)
        nps = np.where(
            nps_count > 0, 100.0 * (promoters - detractors) / np.maximum(nps_count, 1), np.nan
        )
    return FeedbackStats(
        csat_avg=csat_avg,
        csat_count=csat_count.astype(np.int64),
        nps=nps,
        nps_count=nps_count.astype(np.int64),
        open_complaints=np.bincount(rows[open_complaint], minlength=n).astype(np.int64),
        overdue_complaints=np.bincount(
            rows[open_complaint & (age > overdue_days)], minlength=n
        ).astype(np.int64),
        oldest_open_days=oldest,
    )

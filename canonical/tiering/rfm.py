"""RFM quantile scoring: each of recency, frequency and monetary scores 1..bins among the
customers who bought in the window (equal values always score alike), 0 for the others."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from canonical.tiering.metrics import Metrics
from canonical.tiering.tables import BoolArray, FloatArray, IntArray

__all__ = ["RfmScores", "rfm_scores"]


@dataclass(frozen=True)
class RfmScores:
    recency: IntArray
    frequency: IntArray
    monetary: IntArray

    @property
    def total(self) -> IntArray:
        return self.recency + self.frequency + self.monetary

    def text(self, row: int) -> str:
        r, f, m = int(self.recency[row]), int(self.frequency[row]), int(self.monetary[row])
        return f"RFM {r}-{f}-{m} = {r + f + m}"


def _score(values: FloatArray, active: BoolArray, bins: int) -> IntArray:
    """1..bins by the share of active values below each one: the bottom fifth scores 1,
    the top fifth 5 (bins = 5). Equal values have the same share below, so ties agree."""
    out = np.zeros(len(values), dtype=np.int64)
    if not active.any():
        return out
    sample = values[active]
    below = np.searchsorted(np.sort(sample), sample, side="left")
    out[active] = 1 + (bins * below) // len(sample)
    return out


def rfm_scores(metrics: Metrics, bins: int) -> RfmScores:
    active = metrics.frequency > 0
    return RfmScores(
        recency=_score(metrics.last_purchase.astype(np.float64), active, bins),
        frequency=_score(metrics.frequency.astype(np.float64), active, bins),
        monetary=_score(metrics.monetary, active, bins),
    )

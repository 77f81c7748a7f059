"""Lifecycle stages and the at-risk flag, from a customer's figures and feedback."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from canonical.models import Stage
from canonical.tiering.conditions import Facts, mask
from canonical.tiering.metrics import FeedbackStats, Metrics
from canonical.tiering.settings import AtRiskSettings, StageSettings
from canonical.tiering.tables import BoolArray, CodeArray, CustomerTable, IntArray

__all__ = ["RISKS", "STAGES", "Risk", "at_risk", "stages"]

STAGES: tuple[Stage, ...] = (Stage.PROSPECT, Stage.TARGET, Stage.LOYAL, Stage.CHURNED)
"""Stage codes: the index of each stage in this tuple."""
PROSPECT, TARGET, LOYAL, CHURNED = range(4)


@dataclass(frozen=True)
class Risk:
    bit: int
    name: str


FALLING = Risk(1, "falling frequency")
COMPLAINTS = Risk(2, "overdue complaints")
LOW_CSAT = Risk(4, "low CSAT")
LOW_NPS = Risk(8, "low NPS")
RISKS = (FALLING, COMPLAINTS, LOW_CSAT, LOW_NPS)


def stages(customers: CustomerTable, metrics: Metrics, settings: StageSettings) -> CodeArray:
    """A stage code (index into ``STAGES``) per customer; see ``StageSettings`` for the
    order in which stages are decided."""
    n = len(customers)
    out = np.full(n, PROSPECT, dtype=np.int8)
    ideal = (
        mask(settings.ideal_profile, Facts(customers))
        if settings.ideal_profile is not None
        else np.zeros(n, dtype=np.bool_)
    )
    out[metrics.has_deal | ideal] = TARGET
    out[metrics.frequency >= settings.loyal_min_purchases] = LOYAL
    churned = (metrics.purchases_ever > 0) & (metrics.quiet_days > settings.churn_after_days)
    out[churned] = CHURNED
    return out


def at_risk(
    metrics: Metrics, stats: FeedbackStats, stage: CodeArray, settings: AtRiskSettings
) -> tuple[BoolArray, IntArray]:
    """(flag, risk bits) per customer. Only customers who bought before and have not churned
    can be at risk; the bits say which signs were seen (``RISKS``)."""
    n = len(stage)
    bits = np.zeros(n, dtype=np.int64)
    if settings.falling_ratio is not None:
        prior = metrics.prior_frequency
        falling = (prior >= settings.min_prior_purchases) & (
            metrics.frequency < settings.falling_ratio * prior
        )
        bits[falling] |= FALLING.bit
    if settings.overdue_complaints is not None:
        bits[stats.overdue_complaints >= settings.overdue_complaints] |= COMPLAINTS.bit
    enough_csat = stats.csat_count >= settings.min_responses
    enough_nps = stats.nps_count >= settings.min_responses
    with np.errstate(invalid="ignore"):
        if settings.csat_below is not None:
            bits[enough_csat & (stats.csat_avg < settings.csat_below)] |= LOW_CSAT.bit
        if settings.nps_below is not None:
            bits[enough_nps & (stats.nps < settings.nps_below)] |= LOW_NPS.bit
    eligible = (metrics.purchases_ever > 0) & (stage != CHURNED)
    bits[~eligible] = 0
    return bits > 0, bits

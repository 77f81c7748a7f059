"""Tier, stage and flag every customer, and say why.

    result = tier_customers(customers, deals, interactions, feedback, settings, as_of=day)
    result.tier_of(row), result.stage_of(row), result.at_risk[row], result.reason(row)

Pure and deterministic: the same tables and settings give the same result, whatever the
order of the deals (sums and maxima do not depend on it), and nothing but ``as_of`` says
what "now" is.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from canonical.models import Stage, Tier
from canonical.tiering.conditions import Facts, describe, mask
from canonical.tiering.metrics import FeedbackStats, Metrics, compute_metrics, feedback_stats
from canonical.tiering.reasons import amount
from canonical.tiering.rfm import RfmScores, rfm_scores
from canonical.tiering.settings import TierSettings
from canonical.tiering.stages import (
    CHURNED,
    COMPLAINTS,
    FALLING,
    LOW_CSAT,
    LOW_NPS,
    LOYAL,
    STAGES,
    at_risk,
    stages,
)
from canonical.tiering.tables import (
    BoolArray,
    CodeArray,
    CustomerTable,
    DealTable,
    FeedbackTable,
    IntArray,
    InteractionTable,
)

__all__ = ["TIERS", "TieringResult", "tier_customers"]

TIERS: tuple[Tier, ...] = (Tier.STANDARD, Tier.VIP, Tier.STRATEGIC)
"""Tier codes: the index of each tier in this tuple (higher is better)."""
_CODE = {tier: code for code, tier in enumerate(TIERS)}


@dataclass(frozen=True)
class TieringResult:
    customers: CustomerTable
    settings: TierSettings
    metrics: Metrics
    stats: FeedbackStats
    tier: CodeArray  # index into TIERS
    rule: IntArray  # rules: the index of the rule that decided (-1: none matched); rfm: -1
    scores: RfmScores | None  # rfm only
    stage: CodeArray  # index into STAGES
    at_risk: BoolArray
    risk_bits: IntArray

    def __len__(self) -> int:
        return len(self.tier)

    def tier_of(self, row: int) -> Tier:
        return TIERS[int(self.tier[row])]

    def stage_of(self, row: int) -> Stage:
        return STAGES[int(self.stage[row])]

    def tier_reason(self, row: int) -> str:
        """Why the customer has its tier, e.g. "big spender: monetary 1.2M ≥ 1M in 365 days"."""
        facts = self.facts
        if self.scores is not None:
            if self.tier[row] == _CODE[Tier.STRATEGIC] and bool(
                self.customers.strategic[row] and self.settings.rfm.strategic_flag
            ):
                return "marked strategic"
            rfm = self.settings.rfm
            text = self.scores.text(row)
            if self.tier_of(row) is Tier.STRATEGIC:
                return f"{text} ≥ {rfm.strategic_min}"
            if self.tier_of(row) is Tier.VIP:
                return f"{text} ≥ {rfm.vip_min}"
            if self.metrics.frequency[row] == 0:
                return f"no purchase in {self.settings.window_days} days"
            return f"{text} < {rfm.vip_min}"
        index = int(self.rule[row])
        if index < 0:
            return "no rule matched"
        rule = self.settings.rules[index]
        if rule.when.is_empty:  # a catch-all: its name says it all
            return rule.name or "every customer"
        why = describe(rule.when, facts, row)
        return f"{rule.name}: {why}" if rule.name else why

    def stage_reason(self, row: int) -> str:
        m, s = self.metrics, self.settings.stages
        code = int(self.stage[row])
        if code == CHURNED:
            return f"no purchase or contact for over {s.churn_after_days} days"
        if code == LOYAL:
            return (
                f"{int(m.frequency[row])} purchases ≥ {s.loyal_min_purchases} "
                f"in {m.window_days} days"
            )
        if STAGES[code] is Stage.TARGET:
            return "has deals" if m.has_deal[row] else "fits the ideal profile"
        return "no deal yet"

    def risk_reasons(self, row: int) -> list[str]:
        bits, m, st, a = int(self.risk_bits[row]), self.metrics, self.stats, self.settings.at_risk
        out: list[str] = []
        if bits & FALLING.bit:
            out.append(f"purchases fell {int(m.prior_frequency[row])} → {int(m.frequency[row])}")
        if bits & COMPLAINTS.bit:
            count = int(st.overdue_complaints[row])
            out.append(f"{count} complaint(s) open over {a.complaint_overdue_days} days")
        if bits & LOW_CSAT.bit:
            out.append(f"CSAT {st.csat_avg[row]:.1f} < {a.csat_below:g}")
        if bits & LOW_NPS.bit:
            out.append(f"NPS {st.nps[row]:.0f} < {a.nps_below:g}")
        return out

    def reason(self, row: int) -> str:
        """The text written beside the tier: its reason, and the signs of risk if any."""
        text = self.tier_reason(row)
        risks = self.risk_reasons(row)
        return f"{text}; at risk: {', '.join(risks)}" if risks else text

    @cached_property
    def facts(self) -> Facts:
        """The figures conditions read (computed once: reasons are asked row by row)."""
        m = self.metrics
        return Facts(self.customers, m.frequency, m.monetary, m.recency_days, m.window_days)

    def monetary_text(self, row: int) -> str:
        return amount(float(self.metrics.monetary[row]))


def _by_rules(settings: TierSettings, facts: Facts) -> tuple[CodeArray, IntArray]:
    n = len(facts.customers)
    rule = np.full(n, -1, dtype=np.int64)
    tier = np.zeros(n, dtype=np.int8)
    for index, candidate in enumerate(settings.rules):
        hit = (rule < 0) & mask(candidate.when, facts)
        rule[hit] = index
        tier[hit] = _CODE[candidate.tier]
    return tier, rule


def _by_rfm(
    settings: TierSettings, metrics: Metrics, customers: CustomerTable
) -> tuple[CodeArray, RfmScores]:
    rfm = settings.rfm
    scores = rfm_scores(metrics, rfm.bins)
    total = scores.total
    tier = np.zeros(len(total), dtype=np.int8)
    tier[total >= rfm.vip_min] = _CODE[Tier.VIP]
    tier[total >= rfm.strategic_min] = _CODE[Tier.STRATEGIC]
    if rfm.strategic_flag:
        tier[customers.strategic] = _CODE[Tier.STRATEGIC]
    return tier, scores


def tier_customers(
    customers: CustomerTable,
    deals: DealTable,
    interactions: InteractionTable,
    feedback: FeedbackTable,
    settings: TierSettings,
    *,
    as_of: int,
) -> TieringResult:
    """Tier, stage and at-risk flag of every customer at day ``as_of``."""
    n = len(customers)
    metrics = compute_metrics(n, deals, interactions, as_of=as_of, window_days=settings.window_days)
    stats = feedback_stats(
        n, feedback, as_of=as_of, overdue_days=settings.at_risk.complaint_overdue_days
    )
    facts = Facts(
        customers, metrics.frequency, metrics.monetary, metrics.recency_days, settings.window_days
    )
    scores: RfmScores | None = None
    if settings.method == "rfm":
        tier, scores = _by_rfm(settings, metrics, customers)
        rule = np.full(n, -1, dtype=np.int64)
    else:
        tier, rule = _by_rules(settings, facts)
    stage = stages(customers, metrics, settings.stages)
    flag, bits = at_risk(metrics, stats, stage, settings.at_risk)
    return TieringResult(customers, settings, metrics, stats, tier, rule, scores, stage, flag, bits)

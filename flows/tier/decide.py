"""From what a run read to decisions: customer columns, the tiering engine, one decision
per customer, and the moves against the job's last decisions."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from canonical.models import Stage, Tier
from canonical.tiering import (
    TIERS,
    Categorical,
    CustomerTable,
    DealTable,
    FeedbackTable,
    InteractionTable,
    TieringResult,
    TierSettings,
    day_number,
    tier_customers,
)
from flows.quality import QualityReport
from flows.store import TierAssignment
from flows.tier.inputs import TierInputs

__all__ = ["MAX_REASON", "Decisions", "Move", "decide"]

MAX_REASON = 250  # a CRM text field holds 255 characters
_RANK = {tier.value: rank for rank, tier in enumerate(TIERS)}


@dataclass(frozen=True)
class Move:
    """A customer whose tier, stage or at-risk flag changed since the job's last decision
    (or, on its first run, since what the CRM held)."""

    customer: str
    name: str
    before: TierAssignment | None
    after: TierAssignment

    @property
    def direction(self) -> str:
        """upgrade, downgrade, or same (the tier did not move: the stage or flag did)."""
        if self.before is None:
            return "new"
        old, new = _RANK.get(self.before.tier, -1), _RANK[self.after.tier]
        return "upgrade" if new > old else "downgrade" if new < old else "same"


@dataclass
class Decisions:
    result: TieringResult
    rows: list[str]  # customer ids in row order
    decisions: dict[str, TierAssignment] = field(default_factory=dict)
    moves: list[Move] = field(default_factory=list)
    changed: list[TierAssignment] = field(default_factory=list)  # to store

    def row_of(self, cid: str) -> int:
        return self.rows.index(cid)


def _tables(
    inputs: TierInputs, settings: TierSettings, quality: QualityReport
) -> tuple[CustomerTable, DealTable, InteractionTable, FeedbackTable]:
    rows = list(inputs.customers.values())
    index = {c.cid: i for i, c in enumerate(rows)}
    customers = CustomerTable(
        ids=[c.cid for c in rows],
        industry=Categorical.of(c.industry for c in rows),
        size=Categorical.of(c.size for c in rows),
        province=Categorical.of(c.province for c in rows),
        city=Categorical.of(c.city for c in rows),
        employees=np.asarray(
            [math.nan if c.employees is None else c.employees for c in rows], dtype=np.float64
        ),
        strategic=np.asarray([c.strategic for c in rows], dtype=np.bool_),
    )
    deal_rows: list[tuple[int, float, int, bool]] = []
    for deal in inputs.deals.values():
        if deal.when is None:
            quality.add(
                "deals", "closed_at", "flagged", "deal not counted: it has no date", deal.source
            )
            continue
        amount = math.nan
        if deal.amount is not None:
            rate = settings.rate(deal.currency)
            if rate is None:
                quality.add(
                    "deals",
                    "currency",
                    "flagged",
                    f"no exchange rate for {deal.currency} to {settings.currency} "
                    "(tier.rates); the deal counts, its amount does not",
                    deal.source,
                )
            else:
                amount = float(deal.amount) * rate
        deal_rows.append((index[deal.customer], amount, day_number(deal.when), deal.won))
    deals = DealTable(
        customer=np.asarray([r[0] for r in deal_rows], dtype=np.int64),
        amount=np.asarray([r[1] for r in deal_rows], dtype=np.float64),
        day=np.asarray([r[2] for r in deal_rows], dtype=np.int64),
        won=np.asarray([r[3] for r in deal_rows], dtype=np.bool_),
    )
    dated = [f for f in inputs.feedback.values() if f.when is not None and f.customer in index]
    days = np.asarray([day_number(f.when) for f in dated if f.when], dtype=np.int64)
    who = np.asarray([index[f.customer] for f in dated], dtype=np.int64)
    feedback = FeedbackTable(
        customer=who,
        complaint=np.asarray([f.complaint for f in dated], dtype=np.bool_),
        open=np.asarray([f.open for f in dated], dtype=np.bool_),
        csat=np.asarray([math.nan if f.csat is None else f.csat for f in dated], np.float64),
        nps=np.asarray([math.nan if f.nps is None else f.nps for f in dated], np.float64),
        day=days,
        labels=[f.source for f in dated],
    )
    return customers, deals, InteractionTable(who, days), feedback


def _reason(text: str) -> str:
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 1] + "…"


def decide(
    inputs: TierInputs,
    settings: TierSettings,
    as_of: date,
    previous: Mapping[str, TierAssignment],
    crm_values: Mapping[str, Mapping[str, object]],
    quality: QualityReport,
) -> Decisions:
    """Tier every customer at ``as_of``; moves are measured against ``previous`` (the job's
    last decisions), else against what the CRM holds (``crm_values`` by customer id)."""
    customers, deals, interactions, feedback = _tables(inputs, settings, quality)
    result = tier_customers(
        customers, deals, interactions, feedback, settings, as_of=day_number(as_of)
    )
    out = Decisions(result, list(customers.ids))
    for row, cid in enumerate(customers.ids):
        kind = inputs.customers[cid].kind
        decision = TierAssignment(
            cid,
            kind,
            result.tier_of(row).value,
            result.stage_of(row).value,
            bool(result.at_risk[row]),
            _reason(result.reason(row)),
            settings.version,
        )
        out.decisions[cid] = decision
        before = previous.get(cid) or _from_crm(cid, kind, crm_values.get(cid))
        if before is None or not before.same_decision(decision):
            out.changed.append(decision)
        if before is None or (before.tier, before.stage, before.at_risk) != (
            decision.tier,
            decision.stage,
            decision.at_risk,
        ):
            out.moves.append(Move(cid, inputs.customers[cid].name, before, decision))
    return out


def _from_crm(cid: str, kind: str, values: Mapping[str, object] | None) -> TierAssignment | None:
    """What the CRM holds, as a decision (a first run's "before"); None if it holds no tier."""
    if not values or not isinstance(values.get("tier"), str):
        return None
    tier = Tier(str(values["tier"])).value
    stage = values.get("stage")
    return TierAssignment(
        cid,
        kind,
        tier,
        Stage(str(stage)).value if isinstance(stage, str) else "",
        bool(values.get("at_risk")),
        str(values.get("tier_reason") or ""),
        "(CRM)",
    )

"""Tiering, lifecycle stages, at-risk flags and owner assignment on customer columns.

Pure: numpy arrays and the canonical model in, decisions and their reasons out. Reading
systems and writing tiers back is the flows' business (flows.tier, flows.assign).
"""

from canonical.tiering.assignment import OwnerDecision, assign_owners
from canonical.tiering.balancing import TeamBalancer
from canonical.tiering.conditions import METRIC_LIMITS, Facts, describe, mask
from canonical.tiering.engine import TIERS, TieringResult, tier_customers
from canonical.tiering.metrics import (
    NEVER,
    FeedbackStats,
    Metrics,
    compute_metrics,
    feedback_stats,
)
from canonical.tiering.rfm import RfmScores, rfm_scores
from canonical.tiering.settings import (
    AssignRule,
    AssignSettings,
    AtRiskSettings,
    Condition,
    RfmSettings,
    StageSettings,
    TierRule,
    TierSettings,
)
from canonical.tiering.stages import RISKS, STAGES
from canonical.tiering.tables import (
    Categorical,
    CustomerTable,
    DealTable,
    FeedbackTable,
    InteractionTable,
    day_number,
    day_of,
)

__all__ = [
    "METRIC_LIMITS",
    "NEVER",
    "RISKS",
    "STAGES",
    "TIERS",
    "AssignRule",
    "AssignSettings",
    "AtRiskSettings",
    "Categorical",
    "Condition",
    "CustomerTable",
    "DealTable",
    "Facts",
    "FeedbackStats",
    "FeedbackTable",
    "InteractionTable",
    "Metrics",
    "OwnerDecision",
    "RfmScores",
    "RfmSettings",
    "StageSettings",
    "TeamBalancer",
    "TierRule",
    "TierSettings",
    "TieringResult",
    "assign_owners",
    "compute_metrics",
    "day_number",
    "day_of",
    "describe",
    "feedback_stats",
    "mask",
    "rfm_scores",
    "tier_customers",
]

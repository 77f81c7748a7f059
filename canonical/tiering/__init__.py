"""Tiering, lifecycle stages, at-risk flags and owner assignment on customer columns.

Pure: numpy arrays and the canonical model in, decisions and their reasons out. Reading
systems and writing tiers back is the flows' business (flows.tier, flows.assign).
"""

from typing import TYPE_CHECKING, Any

from canonical.tiering.settings import (
    METRIC_LIMITS,
    AssignRule,
    AssignSettings,
    AtRiskSettings,
    Condition,
    RfmSettings,
    StageSettings,
    TierRule,
    TierSettings,
)

if TYPE_CHECKING:
    from canonical.tiering.assignment import OwnerDecision, assign_owners
    from canonical.tiering.balancing import TeamBalancer
    from canonical.tiering.conditions import Facts, describe, mask
    from canonical.tiering.engine import TIERS, TieringResult, tier_customers
    from canonical.tiering.metrics import (
        NEVER,
        FeedbackStats,
        Metrics,
        compute_metrics,
        feedback_stats,
    )
    from canonical.tiering.rfm import RfmScores, rfm_scores
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

# numpy loads only when a name that needs it is used: flows.yaml's checks import the settings
# above for every command, which must stay quick to start.
_LAZY = {
    "Categorical": "canonical.tiering.tables",
    "CustomerTable": "canonical.tiering.tables",
    "DealTable": "canonical.tiering.tables",
    "Facts": "canonical.tiering.conditions",
    "FeedbackStats": "canonical.tiering.metrics",
    "FeedbackTable": "canonical.tiering.tables",
    "InteractionTable": "canonical.tiering.tables",
    "Metrics": "canonical.tiering.metrics",
    "NEVER": "canonical.tiering.metrics",
    "OwnerDecision": "canonical.tiering.assignment",
    "RISKS": "canonical.tiering.stages",
    "RfmScores": "canonical.tiering.rfm",
    "STAGES": "canonical.tiering.stages",
    "TIERS": "canonical.tiering.engine",
    "TeamBalancer": "canonical.tiering.balancing",
    "TieringResult": "canonical.tiering.engine",
    "assign_owners": "canonical.tiering.assignment",
    "compute_metrics": "canonical.tiering.metrics",
    "day_number": "canonical.tiering.tables",
    "day_of": "canonical.tiering.tables",
    "describe": "canonical.tiering.conditions",
    "feedback_stats": "canonical.tiering.metrics",
    "mask": "canonical.tiering.conditions",
    "rfm_scores": "canonical.tiering.rfm",
    "tier_customers": "canonical.tiering.engine",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(module), name)


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

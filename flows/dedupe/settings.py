"""A dedupe job's flows.yaml options as the matching engine's settings and survivorship rules.

The engine (``canonical.dedupe``) knows nothing of flows.yaml; these two translations are all
the job, the command line and the tests need to agree on.
"""

from __future__ import annotations

import dataclasses

from canonical.dedupe import DedupeSettings
from canonical.dedupe.survivorship import Rule, SurvivorshipRules
from flows.config.dedupe import DedupeOptions

__all__ = ["dedupe_settings", "survivorship_rules"]


def dedupe_settings(options: DedupeOptions) -> DedupeSettings:
    """The engine's defaults, with the thresholds flows.yaml sets."""
    overrides = {
        name: value
        for name in ("match_threshold", "review_threshold", "max_block_size")
        if (value := getattr(options, name)) is not None
    }
    return dataclasses.replace(DedupeSettings(), **overrides)


def survivorship_rules(options: DedupeOptions) -> SurvivorshipRules:
    survivorship = options.survivorship
    return SurvivorshipRules(
        default=Rule(survivorship.default),
        fields={name: Rule(rule) for name, rule in survivorship.fields.items()},
        source_priority=survivorship.source_priority,
    )

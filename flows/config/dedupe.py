"""Options of a dedupe job (``dedupe:`` under a job in flows.yaml).

Survivorship rules are named here as plain strings rather than imported from the dedupe
engine: loading flows.yaml must stay cheap for every command, and the engine pulls in numpy.
A test keeps the two vocabularies equal.
"""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import Field, PositiveInt, model_validator

from flows.config.base import FrozenModel
from flows.config.values import ConfigPath, EnvStr, SystemName

__all__ = ["ChildLink", "DedupeOptions", "RuleName", "SurvivorshipOptions"]

RuleName = Literal["source_priority", "most_recent", "most_complete", "most_frequent"]
Probability = Annotated[float, Field(gt=0.0, lt=1.0)]


class SurvivorshipOptions(FrozenModel):
    """Which member's value each field of a golden record takes.

    ``fields`` overrides ``default`` per top-level canonical field (``email``, ``region``...);
    ``source_priority`` lists system names, best first. An empty value never wins.
    """

    default: RuleName = "most_complete"
    fields: dict[str, RuleName] = Field(default_factory=dict)
    source_priority: tuple[SystemName, ...] = ()


class ChildLink(FrozenModel):
    """A child object whose records point at a deduplicated parent through ``field``.

    On Fxiaoke, which has no merge, apply re-points the children of every duplicate to the
    master before invalidating the duplicate (``ContactObj.account_id`` for accounts).
    """

    object: EnvStr
    field: EnvStr


class DedupeOptions(FrozenModel):
    """Thresholds, survivorship and outputs of a dedupe job.

    Thresholds left out take the engine's defaults. ``outputs`` defaults to a folder named
    after the job beside its rejects file; ``decisions`` to ``decisions.csv`` in it.
    """

    match_threshold: Probability | None = Field(
        default=None, description="merge without review from this match probability"
    )
    review_threshold: Probability | None = Field(
        default=None, description="a human reviews pairs from this probability up to the match one"
    )
    max_block_size: PositiveInt | None = None
    survivorship: SurvivorshipOptions = Field(default_factory=SurvivorshipOptions)
    outputs: ConfigPath | None = None
    decisions: ConfigPath | None = None
    report_max_clusters: PositiveInt = 200
    incremental: bool = Field(
        default=True,
        description="match only new records against the golden records kept in the state store",
    )
    apply: bool = Field(
        default=False,
        description="merge in the systems; usually given on the command line as --apply",
    )
    children: tuple[ChildLink, ...] | None = Field(
        default=None, description="Fxiaoke child objects to re-point; default by object"
    )

    @model_validator(mode="after")
    def _thresholds_ordered(self) -> Self:
        match, review = self.match_threshold, self.review_threshold
        if match is not None and review is not None and review > match:
            raise ValueError(
                f"review_threshold ({review}) must not exceed match_threshold ({match}): "
                "pairs between the two go to review, pairs above match_threshold merge"
            )
        return self

"""Incremental matching: one new record against the golden records of known entities.

The store keeps each entity's ``RecordFeatures`` under its ``blocking_keys``; a new record's
keys find the candidates (``CandidateSource``), and ``match_one`` scores it against each with
the same model and comparisons as the batch run. Term frequencies come from the model (the
shares of the commonest values when it was trained).
"""

from __future__ import annotations

import numpy as np

from canonical.dedupe.features import FeatureTable
from canonical.dedupe.model import MatchModel
from canonical.dedupe.presets import preset_for, preset_named
from canonical.dedupe.scoring import ModelFrequencies, review_held, score_pairs
from canonical.dedupe.types import (
    CandidateSource,
    ClusterDecision,
    DedupeSettings,
    IncrementalMatch,
    RecordFeatures,
    ScoredPair,
)
from canonical.models import Account, Contact

__all__ = ["blocking_keys", "match_one", "record_features"]


def record_features(record: Contact | Account) -> RecordFeatures:
    """The normalised keys of one record, as the batch run computes them."""
    preset = preset_for(record)
    return RecordFeatures(kind=preset.spec.kind, values=preset.row(record))


def blocking_keys(features: RecordFeatures) -> list[str]:
    """One key per blocking rule whose columns the record has: "<rule>:<v1>|<v2>"; a rule
    with alternatives to its first column gives one key per value among them."""
    spec = preset_named(features.kind).spec
    keys = []
    for rule in spec.blocking:
        rest = [features.values.get(column) for column in rule.columns[1:]]
        if not all(rest):
            continue
        for first in (rule.columns[0], *rule.alternatives):
            value = features.values.get(first)
            if value:
                keys.append(f"{rule.name}:{'|'.join([value, *(v for v in rest if v)])}")
    return list(dict.fromkeys(keys))


def match_one(
    features: RecordFeatures,
    source: CandidateSource,
    model: MatchModel,
    settings: DedupeSettings,
) -> IncrementalMatch:
    """The entity this record belongs to, if any.

    AUTO when exactly one candidate reaches the match threshold without conflict; REVIEW when
    the best reaches the review threshold otherwise (or two candidates both reach the match
    threshold: the store may hold duplicates itself); SINGLE (no entity) below that. The
    pair's ``left`` is 0 (this record) and ``right`` the candidate's position + 1 in the
    order ``source`` returned them.
    """
    if features.kind != model.spec.kind:
        raise ValueError(
            f"features of a {features.kind!r} record cannot be scored with a "
            f"{model.spec.kind!r} model"
        )
    candidates = source.candidates(blocking_keys(features))
    if not candidates:
        return IncrementalMatch(None, 0.0, ClusterDecision.SINGLE, None)
    entity_ids = list(candidates)
    rows = [features, *(candidates[e] for e in entity_ids)]
    columns = model.spec.column_names
    table = FeatureTable({c: [r.values.get(c) for r in rows] for c in columns})
    right = np.arange(1, len(rows), dtype=np.int64)
    left = np.zeros(len(right), dtype=np.int64)
    scores = score_pairs(table, model, left, right, ModelFrequencies(table, model))
    probability = np.where(scores.conflicts, 0.0, scores.probabilities)
    best = int(np.argmax(probability))
    best_probability = float(scores.probabilities[best])
    confident = int((probability >= settings.match_threshold).sum())
    if scores.conflicts[best] or best_probability < settings.review_threshold:
        decision = ClusterDecision.SINGLE
    elif (
        confident == 1
        and best_probability >= settings.match_threshold
        and not review_held(model.spec, scores.levels[best : best + 1])[0]
    ):
        decision = ClusterDecision.AUTO
    else:
        decision = ClusterDecision.REVIEW
    contributions = model.contributions(
        scores.levels[best].tolist(), scores.tf[best].astype(np.float64).tolist()
    )
    pair = ScoredPair(
        left=0,
        right=best + 1,
        probability=best_probability,
        weight=float(scores.weights[best]),
        contributions=contributions,
    )
    if decision is ClusterDecision.SINGLE:
        return IncrementalMatch(None, best_probability, decision, pair)
    return IncrementalMatch(entity_ids[best], best_probability, decision, pair)

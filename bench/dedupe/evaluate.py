"""One benchmark row per (dataset, matcher): run the engine or Splink and score the result.

Shared by bench/dedupe_quality.py and bench/dedupe_speed.py. Thresholds are the engine's
defaults (``DedupeSettings()``), fixed before any benchmark ran; Splink clusters at the same
review and match thresholds.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from bench.dedupe.metrics import (
    PairwiseScores,
    blocking_scores,
    decision_scores,
    pairwise_scores,
)
from bench.dedupe.splink_training import SplinkTraining
from canonical.dedupe.blocking import candidate_pairs
from canonical.dedupe.engine import resolve_table
from canonical.dedupe.features import FeatureTable
from canonical.dedupe.spec import LinkageSpec
from canonical.dedupe.types import DedupeSettings, Resolution

__all__ = ["QualityRow", "format_rows", "run_engine", "run_splink_row"]


@dataclass(frozen=True)
class QualityRow:
    dataset: str
    matcher: str
    records: int
    pairs_compared: int
    blocking_recall: float
    scores: PairwiseScores  # every predicted cluster (AUTO and REVIEW) against the labels
    auto_precision: float
    review_share: float | None  # Splink has no review band
    largest_cluster: int
    seconds: float


def run_engine(
    dataset: str,
    table: FeatureTable,
    spec: LinkageSpec,
    labels: Sequence[int],
    settings: DedupeSettings,
    *,
    feature_seconds: float = 0.0,
) -> tuple[QualityRow, Resolution]:
    """The engine on a feature table; blocking recall from the engine's own blocking rules
    run again (they are deterministic), outside the timed run."""
    started = time.perf_counter()
    resolution = resolve_table(table, spec, settings)
    seconds = time.perf_counter() - started + feature_seconds
    pairs = candidate_pairs(table, spec.blocking, settings.max_block_size, settings.subblock_window)
    decisions = decision_scores(resolution.clusters, labels)
    row = QualityRow(
        dataset=dataset,
        matcher="engine",
        records=table.n,
        pairs_compared=resolution.pairs_compared,
        blocking_recall=blocking_scores(pairs.left, pairs.right, labels).recall,
        scores=pairwise_scores([c.members for c in resolution.clusters], labels),
        auto_precision=decisions.auto_precision,
        review_share=decisions.review_share,
        largest_cluster=max((len(c.members) for c in resolution.clusters), default=0),
        seconds=seconds,
    )
    return row, resolution


def run_splink_row(
    dataset: str,
    table: FeatureTable,
    spec: LinkageSpec,
    labels: Sequence[int],
    settings: DedupeSettings,
    training: SplinkTraining,
    *,
    split: int | None = None,
    feature_seconds: float = 0.0,
) -> QualityRow:
    from bench.dedupe.splink_baseline import run_splink  # Splink loads only when asked for

    result = run_splink(
        table,
        spec,
        training,
        threshold=settings.review_threshold,
        auto_threshold=settings.match_threshold,
        split=split,
        seed=settings.seed,
    )
    return QualityRow(
        dataset=dataset,
        matcher="splink",
        records=table.n,
        pairs_compared=result.pairs_compared,
        blocking_recall=blocking_scores(
            result.candidate_left, result.candidate_right, labels
        ).recall,
        scores=pairwise_scores(result.clusters, labels),
        auto_precision=pairwise_scores(result.auto_clusters, labels).precision,
        review_share=None,
        largest_cluster=max((len(c) for c in result.clusters), default=0),
        seconds=result.seconds + feature_seconds,
    )


_HEADER = ("dataset", "matcher", "records", "pairs compared", "block recall", "precision",
           "recall", "F1", "AUTO prec", "review %", "max cluster", "seconds")  # fmt: skip


def format_rows(rows: Sequence[QualityRow]) -> str:
    """A plain-text table, one line per row, columns aligned."""
    cells = [_HEADER] + [
        (
            row.dataset,
            row.matcher,
            f"{row.records:,}",
            f"{row.pairs_compared:,}",
            f"{row.blocking_recall:.4f}",
            f"{row.scores.precision:.4f}",
            f"{row.scores.recall:.4f}",
            f"{row.scores.f1:.4f}",
            f"{row.auto_precision:.4f}",
            "-" if row.review_share is None else f"{100 * row.review_share:.1f}",
            f"{row.largest_cluster:,}",
            f"{row.seconds:.1f}",
        )
        for row in rows
    ]
    widths = [max(len(line[i]) for line in cells) for i in range(len(_HEADER))]
    lines = [
        "  ".join(
            cell.ljust(width) if i < 2 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(line, widths, strict=True))
        )
        for line in cells
    ]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)

"""The two CSV files of a dedupe run's clusters: ``clusters.csv`` and ``cluster_pairs.csv``.

``clusters.csv`` has one row per cluster member (joins well with other exports),
``cluster_pairs.csv`` one row per scored pair with its strongest reasons. The helpers every
cluster file shares (one entity id per cluster, a pair's strongest reasons) are here too.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from canonical import Account, Contact
from canonical.dedupe.types import Cluster, Contribution, ScoredPair
from connectors.csvfile import CsvWriter

__all__ = [
    "CLUSTER_COLUMNS",
    "PAIR_COLUMNS",
    "Records",
    "check_aligned",
    "format_contributions",
    "top_contributions",
    "write_clusters_csv",
    "write_pairs_csv",
]

CLUSTER_COLUMNS = (
    "entity_id",
    "decision",
    "size",
    "min_probability",
    "source.system",
    "source.object",
    "source.id",
    "name",
)
PAIR_COLUMNS = ("entity_id", "left", "right", "probability", "weight", "contributions")

Records = Sequence[Contact] | Sequence[Account]
"""The run's records, indexed by the cluster members' positions."""


def check_aligned(clusters: Sequence[Cluster], entity_ids: Sequence[str]) -> None:
    """Raise ValueError unless there is one entity id per cluster: every row is named by its
    cluster's entity, and lists out of step would name them all wrongly."""
    if len(clusters) != len(entity_ids):
        raise ValueError(
            f"{len(entity_ids)} entity ids for {len(clusters)} clusters: pass one per cluster"
        )


def top_contributions(pair: ScoredPair, limit: int) -> tuple[Contribution, ...]:
    """The ``limit`` contributions that moved the score most, strongest first."""
    ranked = sorted(pair.contributions, key=lambda c: (-abs(c.weight), c.comparison, c.level))
    return tuple(ranked[:limit])


def format_contributions(contributions: Sequence[Contribution]) -> str:
    """``email=exact:+8.10; mobile=none:-0.42`` (weights are log2 Bayes factors)."""
    return "; ".join(f"{c.comparison}={c.level}:{c.weight:+.2f}" for c in contributions)


def _probability(value: float) -> str:
    return f"{value:.6f}"


def write_clusters_csv(
    path: Path, clusters: Sequence[Cluster], records: Records, entity_ids: Sequence[str]
) -> int:
    """One row per member of every cluster; returns the rows written."""
    check_aligned(clusters, entity_ids)
    with CsvWriter(path, CLUSTER_COLUMNS) as writer:
        for entity_id, cluster in zip(entity_ids, clusters, strict=True):
            shared = {
                "entity_id": entity_id,
                "decision": cluster.decision.value,
                "size": str(len(cluster.members)),
                "min_probability": _probability(cluster.min_probability),
            }
            for index in cluster.members:
                record = records[index]
                writer.write(
                    {
                        **shared,
                        "source.system": record.source.system,
                        "source.object": record.source.object,
                        "source.id": record.source.id,
                        "name": record.name,
                    }
                )
        return writer.rows_written


def write_pairs_csv(
    path: Path,
    clusters: Sequence[Cluster],
    records: Records,
    entity_ids: Sequence[str],
    *,
    contributions: int = 3,
) -> int:
    """One row per scored pair, with its ``contributions`` strongest reasons."""
    check_aligned(clusters, entity_ids)
    with CsvWriter(path, PAIR_COLUMNS) as writer:
        for entity_id, cluster in zip(entity_ids, clusters, strict=True):
            for pair in cluster.pairs:
                writer.write(
                    {
                        "entity_id": entity_id,
                        "left": str(records[pair.left].source),
                        "right": str(records[pair.right].source),
                        "probability": _probability(pair.probability),
                        "weight": f"{pair.weight:.4f}",
                        "contributions": format_contributions(
                            top_contributions(pair, contributions)
                        ),
                    }
                )
        return writer.rows_written

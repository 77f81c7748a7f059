"""The two CSV files of a dedupe run's clusters: ``clusters.csv`` and ``cluster_pairs.csv``.

``clusters.csv`` has one row per cluster member (joins well with other exports),
``cluster_pairs.csv`` one row per scored pair with its strongest reasons. The helpers every
cluster file shares (one entity id per cluster, a pair's strongest reasons) are here too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from pathlib import Path

from canonical import Account, Contact
from canonical.dedupe.types import Cluster, Contribution, ScoredPair
from connectors.csvfile import CsvRowRenderer
from flows.dedupe.fragments import Piece, Reuse, each_key, write_pieces

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


def _lines(renderer: CsvRowRenderer, rows: Iterable[Sequence[str | None]]) -> str:
    return "".join([renderer.render_cells(row) for row in rows])


def write_clusters_csv(
    path: Path,
    clusters: Sequence[Cluster],
    records: Records,
    entity_ids: Sequence[str],
    *,
    keys: Sequence[bytes | None] | None = None,
    reuse: Reuse | None = None,
) -> int:
    """One row per member of every cluster; returns the rows written. ``keys`` (one per
    cluster, ``fragments.cluster_key``) and ``reuse``: clusters copied from the run before."""
    check_aligned(clusters, entity_ids)
    renderer = CsvRowRenderer(CLUSTER_COLUMNS)

    def rows(entity_id: str, cluster: Cluster) -> str:
        shared = (
            entity_id,
            cluster.decision.value,
            str(len(cluster.members)),
            _probability(cluster.min_probability),
        )
        members = (records[index] for index in cluster.members)
        return _lines(
            renderer,
            ((*shared, m.source.system, m.source.object, m.source.id, m.name) for m in members),
        )

    write_pieces(path, _pieces(renderer, clusters, entity_ids, keys, rows), reuse)
    return sum(len(cluster.members) for cluster in clusters)


def write_pairs_csv(
    path: Path,
    clusters: Sequence[Cluster],
    records: Records,
    entity_ids: Sequence[str],
    *,
    contributions: int = 3,
    keys: Sequence[bytes | None] | None = None,
    reuse: Reuse | None = None,
) -> None:
    """One row per scored pair, with its ``contributions`` strongest reasons. Counts nothing:
    the pairs of a cluster copied from the run before are never read (counting them parsed
    every cluster's stored evidence, 4 s of a million-record run)."""
    check_aligned(clusters, entity_ids)
    renderer = CsvRowRenderer(PAIR_COLUMNS)

    def rows(entity_id: str, cluster: Cluster) -> str:
        return _lines(
            renderer,
            (
                (
                    entity_id,
                    str(records[pair.left].source),
                    str(records[pair.right].source),
                    _probability(pair.probability),
                    f"{pair.weight:.4f}",
                    format_contributions(top_contributions(pair, contributions)),
                )
                for pair in cluster.pairs
            ),
        )

    write_pieces(path, _pieces(renderer, clusters, entity_ids, keys, rows), reuse)


def _pieces(
    renderer: CsvRowRenderer,
    clusters: Sequence[Cluster],
    entity_ids: Sequence[str],
    keys: Sequence[bytes | None] | None,
    rows: Callable[[str, Cluster], str],
) -> Iterator[Piece]:
    """The header, then each cluster's rows (key, render)."""
    yield renderer.render_cells(renderer.columns)
    for entity_id, cluster, key in zip(entity_ids, clusters, each_key(keys, clusters), strict=True):
        yield key, partial(rows, entity_id, cluster)

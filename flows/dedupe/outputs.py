"""Dedupe outputs: clusters as CSV and JSON, golden records as CSV; every file atomic.

One module per kind of file: ``outputs_csv`` (``clusters.csv``, one row per cluster member;
``cluster_pairs.csv``, one row per scored pair with its strongest reasons), ``outputs_json``
(``clusters.json``, both in one typed document that ``read_clusters_json`` reads back) and
``outputs_golden`` (``golden.csv``, the golden records with their lineage).
``write_dedupe_outputs`` writes all four; every name is importable from here, as it always was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from canonical import Account, Contact
from canonical.dedupe.survivorship import GoldenRecord
from canonical.dedupe.types import Resolution
from flows.dedupe.outputs_csv import (
    CLUSTER_COLUMNS,
    PAIR_COLUMNS,
    Records,
    format_contributions,
    top_contributions,
    write_clusters_csv,
    write_pairs_csv,
)
from flows.dedupe.outputs_golden import golden_columns, write_golden_csv
from flows.dedupe.outputs_json import (
    ClusterDoc,
    ClustersDoc,
    ContributionDoc,
    PairDoc,
    read_clusters_json,
    write_clusters_json,
)
from flows.files import write_text_atomic

__all__ = [
    "CLUSTER_COLUMNS",
    "PAIR_COLUMNS",
    "ClusterDoc",
    "ClustersDoc",
    "ContributionDoc",
    "DedupeOutputs",
    "PairDoc",
    "format_contributions",
    "golden_columns",
    "read_clusters_json",
    "top_contributions",
    "write_clusters_csv",
    "write_clusters_json",
    "write_dedupe_outputs",
    "write_golden_csv",
    "write_pairs_csv",
    "write_text_atomic",
]


@dataclass(frozen=True)
class DedupeOutputs:
    """Where one run's outputs were written."""

    clusters_csv: Path
    pairs_csv: Path
    clusters_json: Path
    golden_csv: Path


def write_dedupe_outputs(
    directory: Path,
    resolution: Resolution,
    records: Records,
    entity_ids: Sequence[str],
    goldens: Sequence[GoldenRecord],
    *,
    model: type[Contact] | type[Account],
    contributions: int = 3,
) -> DedupeOutputs:
    """Write all four files into ``directory`` (created if missing); goldens align with clusters."""
    directory.mkdir(parents=True, exist_ok=True)
    outputs = DedupeOutputs(
        clusters_csv=directory / "clusters.csv",
        pairs_csv=directory / "cluster_pairs.csv",
        clusters_json=directory / "clusters.json",
        golden_csv=directory / "golden.csv",
    )
    clusters = resolution.clusters
    write_clusters_csv(outputs.clusters_csv, clusters, records, entity_ids)
    write_pairs_csv(outputs.pairs_csv, clusters, records, entity_ids, contributions=contributions)
    write_clusters_json(
        outputs.clusters_json, clusters, records, entity_ids, contributions=contributions
    )
    write_golden_csv(outputs.golden_csv, goldens, entity_ids, model=model)
    return outputs

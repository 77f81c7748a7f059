"""Dedupe outputs: clusters as CSV and JSON, golden records as CSV; every file atomic.

``clusters.csv`` has one row per cluster member (joins well with other exports),
``cluster_pairs.csv`` one row per scored pair with its strongest reasons, and
``clusters.json`` holds both in one typed document (``read_clusters_json`` reads it back).
``golden.csv`` is the flat layout of ``canonical.tabular`` (``source.*`` is the master),
preceded by the entity id and followed by one ``lineage.<field>`` column per field that
names the record a value came from when it did not come from the master.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict

from canonical import Account, Contact, SourceRef
from canonical.dedupe.survivorship import GoldenRecord
from canonical.dedupe.types import Cluster, ClusterDecision, Contribution, Resolution, ScoredPair
from canonical.tabular import FlatLayout
from connectors.csvfile import CsvWriter
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
_FORMAT: Final = "crmbridge.dedupe.clusters"
_LINEAGE_SKIPPED = frozenset({"source", "id", "lineage"})

Records = Sequence[Contact] | Sequence[Account]


def _check_aligned(clusters: Sequence[Cluster], entity_ids: Sequence[str]) -> None:
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
    _check_aligned(clusters, entity_ids)
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
    _check_aligned(clusters, entity_ids)
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


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ContributionDoc(_Doc):
    comparison: str
    level: str
    weight: float


class PairDoc(_Doc):
    left: SourceRef
    right: SourceRef
    probability: float
    weight: float
    contributions: tuple[ContributionDoc, ...]


class ClusterDoc(_Doc):
    entity_id: str
    decision: ClusterDecision
    min_probability: float
    members: tuple[SourceRef, ...]
    pairs: tuple[PairDoc, ...]


class ClustersDoc(_Doc):
    """The clusters file: versioned so a later reader can refuse what it does not know."""

    format: Literal["crmbridge.dedupe.clusters"] = _FORMAT
    version: Literal[1] = 1
    clusters: tuple[ClusterDoc, ...]


def _ref(ref: SourceRef) -> dict[str, str]:
    return {"system": ref.system, "object": ref.object, "id": ref.id}


def _cluster_json(
    entity_id: str, cluster: Cluster, records: Records, contributions: int
) -> dict[str, object]:
    """One ``ClusterDoc`` as plain JSON data: building the models costs 3x as much here."""
    return {
        "entity_id": entity_id,
        "decision": cluster.decision.value,
        "min_probability": cluster.min_probability,
        "members": [_ref(records[i].source) for i in cluster.members],
        "pairs": [
            {
                "left": _ref(records[pair.left].source),
                "right": _ref(records[pair.right].source),
                "probability": pair.probability,
                "weight": pair.weight,
                "contributions": [
                    {"comparison": c.comparison, "level": c.level, "weight": c.weight}
                    for c in top_contributions(pair, contributions)
                ],
            }
            for pair in cluster.pairs
        ],
    }


def write_clusters_json(
    path: Path,
    clusters: Sequence[Cluster],
    records: Records,
    entity_ids: Sequence[str],
    *,
    contributions: int = 3,
) -> int:
    """All clusters as one JSON document (``ClustersDoc``); returns the clusters written."""
    _check_aligned(clusters, entity_ids)
    head = json.dumps({"format": _FORMAT, "version": 1})[:-1]

    def pieces() -> Iterator[str]:
        # One cluster per line, compact: json.dumps(indent=...) falls back to the slow
        # encoder. Written as they are made: the whole document of a million records would
        # take gigabytes of memory at once.
        yield f'{head}, "clusters": [\n'
        for number, (entity_id, cluster) in enumerate(zip(entity_ids, clusters, strict=True)):
            line = json.dumps(
                _cluster_json(entity_id, cluster, records, contributions), ensure_ascii=False
            )
            yield f",\n{line}" if number else line
        yield "\n]}\n"

    write_text_atomic(path, pieces())
    return len(clusters)


def read_clusters_json(path: Path) -> ClustersDoc:
    """Read a clusters file back (pydantic's ValidationError names a bad field)."""
    return ClustersDoc.model_validate_json(path.read_bytes())


def golden_columns(model: type[Contact] | type[Account]) -> tuple[str, ...]:
    """``entity_id``, the model's flat columns, then ``lineage.<field>`` per field."""
    lineage = [f"lineage.{name}" for name in model.model_fields if name not in _LINEAGE_SKIPPED]
    return ("entity_id", *FlatLayout(model).columns, *lineage)


def write_golden_csv(
    path: Path,
    goldens: Sequence[GoldenRecord],
    entity_ids: Sequence[str],
    *,
    model: type[Contact] | type[Account],
) -> int:
    """One row per golden record; ``model`` fixes the columns even when there are none."""
    if len(goldens) != len(entity_ids):
        raise ValueError(
            f"{len(entity_ids)} entity ids for {len(goldens)} golden records: pass one per record"
        )
    layout = FlatLayout(model)
    columns = golden_columns(model)
    with CsvWriter(path, columns) as writer:
        renderer = writer.renderer
        for entity_id, golden in zip(entity_ids, goldens, strict=True):
            record = golden.record
            if type(record) is not model:
                raise ValueError(
                    f"golden record of entity {entity_id} is a {type(record).__name__}, "
                    f"but this file holds {model.__name__} records"
                )
            lineage = [
                str(record.lineage[name]) if name in record.lineage else None
                for name in model.model_fields
                if name not in _LINEAGE_SKIPPED
            ]
            writer.write_rendered(
                renderer.render_cells([entity_id, *layout.cells(record), *lineage])
            )
        return writer.rows_written


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

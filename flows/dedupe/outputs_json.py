"""``clusters.json``: every cluster with its members and scored pairs in one typed document.

Written a line per cluster as it is made (a million records would take gigabytes at once);
``read_clusters_json`` reads it back into ``ClustersDoc``, whose format and version let a later
reader refuse what it does not know.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict
from pydantic_core import to_json

from canonical import SourceRef
from canonical.dedupe.types import Cluster, ClusterDecision
from flows.dedupe.fragments import Piece, Reuse, each_key, write_pieces
from flows.dedupe.outputs_csv import Records, check_aligned, top_contributions

__all__ = [
    "ClusterDoc",
    "ClustersDoc",
    "ContributionDoc",
    "PairDoc",
    "read_clusters_json",
    "write_clusters_json",
]

_FORMAT: Final = "crmbridge.dedupe.clusters"


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
    keys: Sequence[bytes | None] | None = None,
    reuse: Reuse | None = None,
) -> int:
    """All clusters as one JSON document (``ClustersDoc``); returns the clusters written.
    ``keys`` (one per cluster) and ``reuse``: clusters copied from the run before."""
    check_aligned(clusters, entity_ids)
    head = json.dumps({"format": _FORMAT, "version": 1})[:-1]

    def line(entity_id: str, cluster: Cluster) -> str:
        return to_json(_cluster_json(entity_id, cluster, records, contributions)).decode()

    def pieces() -> Iterator[Piece]:
        # One cluster per line, compact, encoded by pydantic-core (a quarter of json.dumps'
        # time: a quarter of a million clusters at a million records). Written as they are
        # made: the whole document of a million records would take gigabytes at once.
        yield f'{head}, "clusters": [\n'
        for number, (entity_id, cluster, key) in enumerate(
            zip(entity_ids, clusters, each_key(keys, clusters), strict=True)
        ):
            if number:
                yield ",\n"
            yield key, partial(line, entity_id, cluster)
        yield "\n]}\n"

    write_pieces(path, pieces(), reuse)
    return len(clusters)


def read_clusters_json(path: Path) -> ClustersDoc:
    """Read a clusters file back (pydantic's ValidationError names a bad field)."""
    return ClustersDoc.model_validate_json(path.read_bytes())

"""The review decisions file: which clusters a reviewer skips or approves.

The file is CSV, UTF-8, one decision per line, so it can be written by hand as easily as
downloaded from the HTML report's "download decisions" button::

    # lines starting with # and blank lines are ignored; extra columns (notes) are ignored
    entity_id,decision
    ent-0001,skip
    ent-0002,merge

``skip`` keeps a cluster's records apart, even a cluster the engine would merge on its own
(``auto``). ``merge`` approves a ``review`` cluster; on an ``auto`` cluster it changes
nothing. A cluster the file does not name keeps its default: ``auto`` merges, ``review``
waits for a decision.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from canonical.dedupe.types import Cluster, ClusterDecision

__all__ = [
    "DECISIONS_HEADER",
    "ReviewDecision",
    "ReviewFileError",
    "ReviewOutcome",
    "ReviewedCluster",
    "apply_decisions",
    "parse_decisions",
    "read_decisions",
]

logger = logging.getLogger(__name__)

DECISIONS_HEADER = ("entity_id", "decision")


class ReviewFileError(ValueError):
    """A decisions file that cannot be read; the message names the file and line."""


class ReviewDecision(StrEnum):
    MERGE = "merge"
    SKIP = "skip"


@dataclass(frozen=True)
class ReviewedCluster:
    """A cluster with what the apply step does with it, and why (for the run report)."""

    entity_id: str
    cluster: Cluster
    merge: bool
    reason: str


@dataclass(frozen=True)
class ReviewOutcome:
    """Every cluster, in input order, and the file's entity ids that match no cluster."""

    clusters: tuple[ReviewedCluster, ...]
    unknown_entity_ids: tuple[str, ...]

    @property
    def to_merge(self) -> tuple[ReviewedCluster, ...]:
        return tuple(c for c in self.clusters if c.merge)


def parse_decisions(text: str, *, source: str = "<decisions>") -> dict[str, ReviewDecision]:
    """Parse a decisions file's text; ``source`` names the file in error messages."""
    header: tuple[str, ...] | None = None
    decisions: dict[str, ReviewDecision] = {}
    first_line: dict[str, int] = {}
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    for row in reader:
        line = reader.line_num
        if not row or all(not cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
            continue
        cells = [cell.strip() for cell in row]
        if header is None:
            header = tuple(cell.casefold() for cell in cells[:2])
            if header != DECISIONS_HEADER:
                raise ReviewFileError(
                    f"{source}, line {line}: the header must start with "
                    f"'{','.join(DECISIONS_HEADER)}', found {','.join(cells)!r}"
                )
            continue
        if len(cells) < 2 or not cells[0]:
            raise ReviewFileError(
                f"{source}, line {line}: expected 'entity_id,decision', found {','.join(cells)!r}"
            )
        entity_id, word = cells[0], cells[1].casefold()
        try:
            decision = ReviewDecision(word)
        except ValueError:
            raise ReviewFileError(
                f"{source}, line {line}: decision for {entity_id!r} is {cells[1]!r}; "
                "write 'merge' or 'skip'"
            ) from None
        earlier = decisions.get(entity_id)
        if earlier is not None and earlier is not decision:
            raise ReviewFileError(
                f"{source}, line {line}: {entity_id!r} is '{decision}' here but "
                f"'{earlier}' on line {first_line[entity_id]}; keep one of them"
            )
        decisions[entity_id] = decision
        first_line.setdefault(entity_id, line)
    if header is None:
        raise ReviewFileError(
            f"{source}: no header; the first line must be '{','.join(DECISIONS_HEADER)}'"
        )
    return decisions


def read_decisions(path: Path) -> dict[str, ReviewDecision]:
    """Read a decisions file (UTF-8, with or without a BOM)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReviewFileError(f"{path}: no such decisions file") from None
    except UnicodeDecodeError as exc:
        raise ReviewFileError(
            f"{path}: not UTF-8 text (byte {exc.start}); save the file as UTF-8"
        ) from None
    return parse_decisions(text, source=str(path))


def _review(cluster: Cluster, decision: ReviewDecision | None) -> tuple[bool, str]:
    if cluster.decision is ClusterDecision.SINGLE:
        return False, "a single record: nothing to merge"
    if decision is ReviewDecision.SKIP:
        return False, "skipped by the reviewer"
    if cluster.decision is ClusterDecision.AUTO:
        return True, "merged automatically" if decision is None else "merge confirmed by reviewer"
    if decision is ReviewDecision.MERGE:
        return True, "approved by the reviewer"
    return False, "awaiting review"


def apply_decisions(
    clusters: Sequence[Cluster],
    decisions: Mapping[str, ReviewDecision],
    *,
    entity_ids: Sequence[str],
) -> ReviewOutcome:
    """What the apply step merges: ``auto`` unless skipped, ``review`` only when approved."""
    if len(entity_ids) != len(clusters):
        raise ValueError(
            f"{len(entity_ids)} entity ids for {len(clusters)} clusters: pass one per cluster"
        )
    reviewed = []
    for entity_id, cluster in zip(entity_ids, clusters, strict=True):
        merge, reason = _review(cluster, decisions.get(entity_id))
        reviewed.append(ReviewedCluster(entity_id, cluster, merge, reason))
    unknown = tuple(sorted(set(decisions) - set(entity_ids)))
    if unknown:
        logger.warning(
            "%d decisions name no cluster of this run (e.g. %s); they were ignored",
            len(unknown),
            ", ".join(unknown[:3]),
        )
    return ReviewOutcome(clusters=tuple(reviewed), unknown_entity_ids=unknown)

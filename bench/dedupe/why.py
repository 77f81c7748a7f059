"""Why dedupe decided what it did on a labelled CSV: each wrong or missed pair with its
comparison levels and their weights, whether blocking ever proposed it, and the clusters its
records ended in. ``errors.py`` shows the rows; this shows the evidence, in process (the same
mapping and engine as ``crmbridge dedupe``, without the job around them)::

    python -m bench.dedupe.why --csv DIR/contacts.csv --truth DIR/truth.csv \\
        [--kind missed|wrong|auto|review] [--limit 30]

Counting pairs by their levels (``--levels``) shows which shapes of evidence are right and
wrong how often: the table to read before adding a conflict or review rule.
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

import numpy as np

from bench.dedupe.cli_harness import REPO, read_truth
from canonical.dedupe import DedupeSettings, Resolution, candidate_pairs, resolve, score_pairs
from canonical.models import Contact
from flows.csv_source import CsvSource
from mapping.context import TransformContext

__all__ = ["main"]

_MAPPING = REPO / "mapping" / "files" / "csv_contacts.yaml"


def _contacts(csv_path: Path, mapping: Path | None) -> list[Contact]:
    source = CsvSource(csv_path, mapping or _MAPPING, TransformContext())
    return [r for batch in source.batches() for r in batch.records if isinstance(r, Contact)]


def _show(contact: Contact) -> str:
    city = contact.region.city if contact.region else None
    parts = (contact.source.id, contact.name, contact.mobile, contact.mobile_2, contact.phone,
             contact.email, contact.account_name, city)  # fmt: skip
    return " | ".join("" if p is None else str(p) for p in parts)


def _pairs(kind: str, resolution: Resolution, entity: list[str]) -> list[tuple[int, int]]:
    """Record pairs (i < j) of one kind: true pairs in no common cluster, or wrong pairs in
    clusters of every decision, AUTO or REVIEW."""
    cluster_of: dict[int, int] = {}
    for number, cluster in enumerate(resolution.clusters):
        for member in cluster.members:
            cluster_of[member] = number
    if kind == "missed":
        people: dict[str, list[int]] = defaultdict(list)
        for index, person in enumerate(entity):
            people[person].append(index)
        return [
            (a, b)
            for members in people.values()
            for a, b in combinations(members, 2)
            if cluster_of.get(a, -1) != cluster_of.get(b, -2)
        ]
    return [
        (a, b)
        for cluster in resolution.clusters
        if kind == "wrong" or cluster.decision.value == kind
        for a, b in combinations(sorted(cluster.members), 2)
        if entity[a] != entity[b]
    ]


def explain(
    csv_path: Path, truth_path: Path, kind: str, limit: int, levels: bool, mapping: Path | None
) -> None:
    contacts = _contacts(csv_path, mapping)
    truth = read_truth(truth_path)
    entity = [truth[c.source.id] for c in contacts]
    resolution = resolve(contacts)
    model, table = resolution.model, resolution.table
    assert table is not None  # resolve keeps the table it built
    settings = DedupeSettings()
    spec = model.spec
    candidates = candidate_pairs(
        table, spec.blocking, settings.max_block_size, settings.subblock_window
    )
    if levels:
        _count_levels(resolution, entity, candidates.left, candidates.right)
        return
    proposed = set(zip(candidates.left.tolist(), candidates.right.tolist(), strict=True))
    pairs = _pairs(kind, resolution, entity)
    print(f"{kind}: {len(pairs)} pairs (prior weight {model.prior_weight:+.1f})")
    if not pairs:
        return
    shown = pairs[:limit]
    left = np.array([a for a, _ in shown], dtype=np.int64)
    right = np.array([b for _, b in shown], dtype=np.int64)
    scores = score_pairs(table, model, left, right)
    for row, (a, b) in enumerate(shown):
        parts = []
        for column, comparison in enumerate(spec.comparisons):
            level = int(scores.levels[row, column])
            label = "null" if level < 0 else comparison.levels[level].label
            weight = float(model.column_weights(column, scores.levels[row : row + 1])[0])
            if scores.tf.size:
                weight += float(scores.tf[row, column])
            parts.append(f"{comparison.name}={label}:{weight:+.1f}")
        print(
            f"blocked={(a, b) in proposed} weight={scores.weights[row]:+.1f} "
            f"conflict={bool(scores.conflicts[row])}\n    {' '.join(parts)}\n"
            f"    {_show(contacts[a])}\n    {_show(contacts[b])}"
        )


def _count_levels(
    resolution: Resolution, entity: list[str], left: np.ndarray, right: np.ndarray
) -> None:
    """Candidate pairs by (name, email, mobile, org) levels: true and false, each by where it
    ended (AUTO, REVIEW, apart)."""
    model, table = resolution.model, resolution.table
    assert table is not None
    ended: dict[int, tuple[int, str]] = {}
    for number, cluster in enumerate(resolution.clusters):
        for member in cluster.members:
            ended[member] = (number, cluster.decision.value)
    scores = score_pairs(table, model, left, right)
    comparisons = model.spec.comparisons[:4]
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for row, (a, b) in enumerate(zip(left.tolist(), right.tolist(), strict=True)):
        key = "/".join(
            "null" if scores.levels[row, c] < 0 else comparison.levels[scores.levels[row, c]].label
            for c, comparison in enumerate(comparisons)
        )
        together = a in ended and ended.get(a) == ended.get(b)
        where = ended[a][1] if together else "apart"
        counts[key][("T " if entity[a] == entity[b] else "F ") + where] += 1
    for key, count in sorted(counts.items(), key=lambda kv: -sum(kv[1].values())):
        print(f"{key:55} " + "  ".join(f"{k}={v}" for k, v in sorted(count.items())))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.dedupe.why", description=__doc__)
    parser.add_argument("--csv", type=Path, required=True)
    parser.add_argument("--truth", type=Path, required=True)
    parser.add_argument("--kind", choices=("missed", "wrong", "auto", "review"), default="wrong")
    parser.add_argument("--limit", type=int, default=30)
    parser.add_argument("--levels", action="store_true", help="count candidate pairs by levels")
    parser.add_argument("--mapping", type=Path, help="the CSV's mapping (csv_contacts.yaml)")
    args = parser.parse_args(argv)
    explain(args.csv, args.truth, args.kind, args.limit, args.levels, args.mapping)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

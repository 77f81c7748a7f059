"""Quality of the user path: ``crmbridge dedupe`` on a labelled CSV file, scored against its
truth file (``row_id,entity_id``, where row_id is the CSV's id column).

Every row of the truth counts: a row the run rejected (or never read) is a record in no
cluster, so its true pairs are missed. Clusters come from the run's clusters.csv (AUTO and
REVIEW alike); AUTO precision from the AUTO clusters alone; the review share is REVIEW
clusters over all clusters.
"""

from __future__ import annotations

import csv
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from bench.dedupe.cli_harness import Workspace, labels_of, read_truth
from bench.dedupe.metrics import PairwiseScores, pairwise_scores

__all__ = ["CliQuality", "line_names", "score_csv"]


@dataclass(frozen=True)
class CliQuality:
    records: int  # rows in the truth file
    read: int  # records the run kept (not rejected)
    scores: PairwiseScores
    auto: PairwiseScores
    clusters: int
    review_clusters: int
    seconds: float

    @property
    def review_share(self) -> float:
        return self.review_clusters / self.clusters if self.clusters else 0.0

    def line(self, name: str) -> str:
        return (
            f"{name:24} {self.records:>9,} {self.read:>9,} {self.scores.precision:9.4f} "
            f"{self.scores.recall:7.4f} {self.scores.f1:7.4f} {self.auto.precision:9.4f} "
            f"{100 * self.review_share:8.1f} {self.seconds:8.1f}"
        )


HEADER = (
    f"{'file':24} {'records':>9} {'read':>9} {'precision':>9} {'recall':>7} {'F1':>7} "
    f"{'AUTO prec':>9} {'review %':>8} {'seconds':>8}"
)


def line_names(csv_path: Path, ids: list[str]) -> dict[str, int]:
    """``<file name>:<first line of the row>`` -> the row's place in the truth, when some
    column of the file holds the truth's row ids in the truth's order; else nothing."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            with csv_path.open(encoding=encoding, newline="") as handle:
                reader = csv.reader(handle)
                header = next(reader, [])
                starts: list[int] = []
                rows: list[list[str]] = []
                start = reader.line_num + 1
                for row in reader:
                    if any(cell.strip() for cell in row):
                        starts.append(start)
                        rows.append(row)
                    start = reader.line_num + 1
        except UnicodeDecodeError:
            continue
        for column in range(len(header)):
            if [r[column].strip() if column < len(r) else "" for r in rows] == ids:
                return {f"{csv_path.name}:{line}": i for i, line in enumerate(starts)}
        return {}
    return {}


def score_csv(
    csv_path: Path,
    truth_path: Path,
    state_url: str | None = None,
    match_threshold: float | None = None,
    mapping: Path | None = None,
) -> CliQuality:
    """Run ``crmbridge dedupe`` on ``csv_path`` in a temporary workspace and score it."""
    truth = read_truth(truth_path)
    ids = list(truth)
    position = {row_id: i for i, row_id in enumerate(ids)}
    # A layout whose id column the mapping does not know names its rows by line
    # ("contacts.csv:7"): those names count too, so such a file is scored, not refused.
    position.update(line_names(csv_path, ids))
    labels = labels_of(ids, truth)
    with tempfile.TemporaryDirectory(prefix="crmbridge-dedupe-quality-") as tmp:
        started = time.perf_counter()
        run = Workspace(Path(tmp), csv_path, state_url, match_threshold, mapping).run()
        seconds = time.perf_counter() - started
        members: dict[str, list[int]] = defaultdict(list)
        decisions: dict[str, str] = {}
        unknown = 0
        for row_id, entity_id, decision in run.clusters():
            if row_id not in position:
                unknown += 1
                continue
            members[entity_id].append(position[row_id])
            decisions[entity_id] = decision
        if unknown:
            raise ValueError(f"{unknown} clustered rows of {csv_path} are not in {truth_path}")
    clusters = list(members.values())
    auto = [members[e] for e, d in decisions.items() if d == "auto"]
    return CliQuality(
        records=len(ids),
        read=int(run.counts.get("records", 0)),
        scores=pairwise_scores(clusters, labels),
        auto=pairwise_scores(auto, labels),
        clusters=len(clusters),
        review_clusters=sum(d == "review" for d in decisions.values()),
        seconds=seconds,
    )

"""What one dedupe run found and did (``DedupeResult``), and how the run says so.

``finish`` writes ``summary.json`` beside the outputs (counts, index statistics, stage
timings, problems, unused source columns) and fills the run report the command line and the
journal show: its outputs, counts, message, and a failed status when a merge failed.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path

from flows.context import JobContext
from flows.dedupe.apply import ApplyReport
from flows.dedupe.index import IndexedRun
from flows.dedupe.plan import MergePlan
from flows.dedupe.record_list import RecordList, sources_of
from flows.dedupe.review import ReviewOutcome
from flows.dedupe.sources import LoadedRecords
from flows.files import write_text_atomic
from flows.report import RunStatus

__all__ = ["DedupeResult", "finish"]


@dataclass
class DedupeResult:
    """Everything one run found and did; the CLI prints from it."""

    loaded: LoadedRecords
    indexed: IndexedRun
    reviewed: ReviewOutcome
    plan: MergePlan
    outputs: dict[str, Path] = field(default_factory=dict)
    applied: ApplyReport | None = None
    timings: dict[str, float] = field(default_factory=dict)
    # Clusters' texts in the output files (one per cluster in each of the four cluster files,
    # and one per cluster the report lists in a line) copied from the files of the run
    # before and rendered anew (``fragments``).
    texts: dict[str, int] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        clusters = self.indexed.clusters
        return {
            "records": len(self.loaded.records),
            "rejected": len(self.loaded.rejects),
            "entities": len(set(self.indexed.entity_ids)),
            "clusters": len(clusters),
            "auto": sum(c.decision == "auto" for c in clusters),
            "review": sum(c.decision == "review" for c in clusters),
            "to_merge": len(self.reviewed.to_merge),
            "duplicates": sum(len(c.members) - 1 for c in clusters),
            **{f"plan_{k}": v for k, v in self.plan.counts().items()},
            **(
                {f"applied_{k}": v for k, v in self.applied.counts().items()}
                if self.applied
                else {}
            ),
        }


def _count_duplicates(result: DedupeResult, duplicates: int) -> None:
    """Each source report's duplicates: the members of a cluster but its master."""
    reports = result.loaded.reports
    if len(reports) == 1:  # one source: all of them, counted per cluster
        reports[0].duplicates += duplicates
        return
    sources, origin = sources_of(result.loaded.records), result.loaded.origin
    goldens = result.indexed.goldens
    for entity_id, cluster in zip(
        result.indexed.cluster_entity_ids, result.indexed.clusters, strict=True
    ):
        master = goldens.master(entity_id)
        # Refs compared by their fields (pydantic's __eq__ took seconds at a million records).
        fields = master.__dict__
        for index in cluster.members:
            source = sources[index]
            if source is not master and source.__dict__ != fields:
                reports[origin[index]].duplicates += 1


def finish(result: DedupeResult, ctx: JobContext, out_dir: Path) -> None:
    """Write ``summary.json`` and fill the run report from ``result``."""
    counts = result.counts()
    records = result.loaded.records
    _count_duplicates(result, counts["duplicates"])
    summary = {
        "job": ctx.report.job,
        "run_id": ctx.report.run_id,
        "counts": counts,
        "index": dataclasses.asdict(result.indexed.stats),
        "timings": {k: round(v, 4) for k, v in result.timings.items()},
        "cluster_texts": result.texts,
        # Of the records taken from the record cache, how many this process read whole
        # (``record_list``; the others were only named): what a later run's cost follows.
        "cached_records_decoded": records.decoded if isinstance(records, RecordList) else 0,
        "problems": result.applied.problems if result.applied else [],
        # Per CSV source, its rows mapped by this run and those taken from its record cache.
        "rows": {
            source.label: {k: int(source.details[k]) for k in ("mapped", "cached")}
            for source in ctx.report.sources
            if "mapped" in source.details
        },
        # Columns of a source file its mapping does not read: named, never dropped silently.
        "unused_columns": {
            source.label: source.details["unused_columns"]
            for source in ctx.report.sources
            if source.details.get("unused_columns")
        },
    }
    path = out_dir / "summary.json"
    write_text_atomic(path, json.dumps(summary, indent=1, ensure_ascii=False) + "\n")
    result.outputs["summary"] = path
    ctx.report.outputs.update(result.outputs)
    ctx.report.extra_counts.update(
        {k: counts[k] for k in ("entities", "clusters", "auto", "review") if k in counts}
    )
    applied = ""
    if result.applied is not None:
        applied = f"; applied: {result.applied.merged} merged"
        if result.applied.problems:
            applied += f", {len(result.applied.problems)} failed"
    if result.applied is not None and result.applied.problems:
        ctx.report.status = RunStatus.FAILED  # exit 1: a person should look at the problems
    ctx.report.message = (
        f"{counts['records']} records in {counts['entities']} entities; "
        f"{counts['clusters']} clusters ({counts['auto']} auto, {counts['review']} review)"
        + applied
    )

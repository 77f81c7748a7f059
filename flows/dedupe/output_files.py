"""A dedupe run's output files, written by forked processes while the run writes its index.

The files (clusters and pairs CSV, golden records CSV, clusters JSON, the HTML report) are
made from the records and clusters the run holds, and nothing else reads them during the
run. With two or more workers they are written by two forked processes, the CSV files by one
and the clusters JSON and report by the other (about half of the work each): one process
took 33 s at a million rows, and an incremental run, whose index is written in a few
seconds, spent 17 s of its wall time waiting for it. With one worker, one forked process
writes them all (see ``flows.dedupe.forked``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from canonical.dedupe import Resolution
from canonical.dedupe.survivorship import GoldenRecord
from flows.dedupe.forked import ForkedCall
from flows.dedupe.index import IndexedRun
from flows.dedupe.outputs import (
    write_clusters_csv,
    write_clusters_json,
    write_golden_csv,
    write_pairs_csv,
)
from flows.dedupe.report_html import ReportOptions, write_report
from flows.dedupe.sources import LoadedRecords

__all__ = ["OutputFiles"]

log = logging.getLogger(__name__)

_Paths = dict[str, Path]


@dataclass(frozen=True)
class _Run:
    """What the files are made of."""

    indexed: IndexedRun
    loaded: LoadedRecords
    out_dir: Path
    report: ReportOptions

    @property
    def resolution(self) -> Resolution:
        indexed = self.indexed
        return Resolution(
            clusters=tuple(indexed.clusters),
            pairs_compared=indexed.pairs_compared,
            timings=tuple(indexed.timings),
            model=indexed.model,
        )

    @property
    def goldens(self) -> list[GoldenRecord]:
        return [self.indexed.goldens[e] for e in self.indexed.cluster_entity_ids]


def _tables(run: _Run) -> _Paths:
    """clusters.csv, cluster_pairs.csv and golden.csv."""
    clusters, records = run.indexed.clusters, run.loaded.records
    ids = run.indexed.cluster_entity_ids
    paths = {
        "clusters": run.out_dir / "clusters.csv",
        "pairs": run.out_dir / "cluster_pairs.csv",
        "golden": run.out_dir / "golden.csv",
    }
    write_clusters_csv(paths["clusters"], clusters, records, ids)
    write_pairs_csv(paths["pairs"], clusters, records, ids)
    write_golden_csv(paths["golden"], run.goldens, ids, model=run.loaded.model)
    return paths


def _review(run: _Run) -> _Paths:
    """clusters.json and report.html."""
    records, ids = run.loaded.records, run.indexed.cluster_entity_ids
    paths = {"clusters_json": run.out_dir / "clusters.json", "report": run.out_dir / "report.html"}
    resolution = run.resolution
    write_clusters_json(paths["clusters_json"], resolution.clusters, records, ids)
    write_report(paths["report"], records, resolution, ids, run.goldens, run.report)
    return paths


def _everything(run: _Run) -> _Paths:
    return {**_tables(run), **_review(run)}


class OutputFiles:
    """The output files of one run, started in forked processes; ``result`` waits for them."""

    def __init__(
        self,
        indexed: IndexedRun,
        loaded: LoadedRecords,
        out_dir: Path,
        report: ReportOptions,
        *,
        workers: int,
    ) -> None:
        run = _Run(indexed, loaded, out_dir, report)
        parts: tuple[Callable[[_Run], _Paths], ...] = (
            (_tables, _review) if workers > 1 else (_everything,)
        )
        self._calls = [ForkedCall(partial(part, run)) for part in parts]
        self._names = [part.__name__.strip("_") for part in parts]
        self.seconds = 0.0

    def result(self) -> _Paths:
        """Every file's path by its name in the run's outputs; ``seconds`` is then the time
        the slowest process took."""
        paths: _Paths = {}
        try:
            for call in self._calls:
                paths.update(call.result())
        except BaseException:
            self.cancel()  # the run fails: the other files are not waited for
            raise
        self.seconds = max(call.seconds for call in self._calls)
        spent = zip(self._names, self._calls, strict=True)
        log.info("output files written in %s",
                 ", ".join(f"{name} {call.seconds:.1f}s" for name, call in spent))  # fmt: skip
        return paths

    def cancel(self) -> None:
        """End the processes that still run (the run failed elsewhere)."""
        for call in self._calls:
            call.cancel()

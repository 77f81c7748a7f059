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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from canonical.dedupe import Resolution
from canonical.dedupe.survivorship import GoldenRecord
from flows.dedupe.forked import ForkedCall
from flows.dedupe.fragments import Reuse
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
class _Written:
    """One process's files, and how many clusters it copied from the run before's files
    (``fragments``) and rendered."""

    paths: _Paths
    copied: int = 0
    rendered: int = 0


@dataclass(frozen=True)
class _Run:
    """What the files are made of; ``validity``: what the previous run's files must have
    been made with for their clusters to be copied (``Goldens.validity``), or None."""

    indexed: IndexedRun
    loaded: LoadedRecords
    out_dir: Path
    report: ReportOptions
    validity: str | None

    def reuse(self) -> Reuse | None:
        if self.validity is None:
            return None
        return Reuse.of(self.out_dir / ".cache", self.validity, self.loaded.model.__name__)

    def keys(self) -> list[bytes | None]:
        """Each cluster's key, made by the index (none: every cluster rendered)."""
        found = self.indexed.cluster_keys
        return found if found is not None else [None] * len(self.indexed.clusters)

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
    def goldens(self) -> Sequence[GoldenRecord]:
        return self.indexed.goldens.in_order(self.indexed.cluster_entity_ids)


def _written(paths: _Paths, reuse: Reuse | None) -> _Written:
    return _Written(paths, reuse.copied, reuse.rendered) if reuse is not None else _Written(paths)


def _tables(run: _Run) -> _Written:
    """clusters.csv, cluster_pairs.csv and golden.csv."""
    clusters, records = run.indexed.clusters, run.loaded.records
    ids = run.indexed.cluster_entity_ids
    paths = {
        "clusters": run.out_dir / "clusters.csv",
        "pairs": run.out_dir / "cluster_pairs.csv",
        "golden": run.out_dir / "golden.csv",
    }
    keys, reuse = run.keys(), run.reuse()
    write_clusters_csv(paths["clusters"], clusters, records, ids, keys=keys, reuse=reuse)
    write_pairs_csv(paths["pairs"], clusters, records, ids, keys=keys, reuse=reuse)
    write_golden_csv(
        paths["golden"], run.goldens, ids, model=run.loaded.model, keys=keys, reuse=reuse
    )
    return _written(paths, reuse)


def _review(run: _Run) -> _Written:
    """clusters.json and report.html."""
    records, ids = run.loaded.records, run.indexed.cluster_entity_ids
    paths = {"clusters_json": run.out_dir / "clusters.json", "report": run.out_dir / "report.html"}
    resolution = run.resolution
    keys, reuse = run.keys(), run.reuse()
    write_clusters_json(
        paths["clusters_json"], resolution.clusters, records, ids, keys=keys, reuse=reuse
    )
    write_report(
        paths["report"], records, resolution, ids, run.goldens, run.report, keys=keys, reuse=reuse
    )
    return _written(paths, reuse)


def _everything(run: _Run) -> _Written:
    tables, review = _tables(run), _review(run)
    return _Written(
        {**tables.paths, **review.paths},
        tables.copied + review.copied,
        tables.rendered + review.rendered,
    )


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
        validity: str | None = None,
    ) -> None:
        run = _Run(indexed, loaded, out_dir, report, validity)
        parts: tuple[Callable[[_Run], _Written], ...] = (
            (_tables, _review) if workers > 1 else (_everything,)
        )
        self._calls: list[ForkedCall[_Written]] = [ForkedCall(partial(part, run)) for part in parts]
        self._names = [part.__name__.strip("_") for part in parts]
        self.seconds = 0.0
        self.copied = self.rendered = 0  # clusters' texts, over every file

    def result(self) -> _Paths:
        """Every file's path by its name in the run's outputs; ``seconds`` is then the time
        the slowest process took."""
        paths: _Paths = {}
        copied = rendered = 0
        try:
            for call in self._calls:
                written = call.result()
                paths.update(written.paths)
                copied, rendered = copied + written.copied, rendered + written.rendered
        except BaseException:
            self.cancel()  # the run fails: the other files are not waited for
            raise
        self.seconds = max(call.seconds for call in self._calls)
        self.copied, self.rendered = copied, rendered
        spent = zip(self._names, self._calls, strict=True)
        log.info("output files written in %s; %d cluster texts copied from the run before's "
                 "files, %d rendered",
                 ", ".join(f"{name} {call.seconds:.1f}s" for name, call in spent),
                 copied, rendered)  # fmt: skip
        return paths

    def cancel(self) -> None:
        """End the processes that still run (the run failed elsewhere)."""
        for call in self._calls:
            call.cancel()

"""The output files written by one forked process or by two give the same bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from canonical import Contact
from flows.dedupe.forked import ForkedCallError
from flows.dedupe.golden_records import GoldenRecords
from flows.dedupe.index import IndexedRun
from flows.dedupe.output_files import OutputFiles
from flows.dedupe.report_html import ReportOptions
from flows.dedupe.sources import LoadedRecords
from tests.flows.dedupe.test_outputs import sample

FILES = {"clusters", "pairs", "golden", "clusters_json", "report"}


def _files(directory: Path, workers: int) -> OutputFiles:
    s = sample()
    indexed = IndexedRun(
        entity_ids=[""] * len(s.records),
        clusters=list(s.resolution.clusters),
        cluster_entity_ids=s.entity_ids,
        goldens=GoldenRecords(s.records, dict(zip(s.entity_ids, s.goldens, strict=True))),
        model=None,  # type: ignore[arg-type]  # outputs and report never read the model
        pairs_compared=s.resolution.pairs_compared,
        timings=list(s.resolution.timings),
    )
    return OutputFiles(
        indexed,
        LoadedRecords(model=Contact, records=s.records),
        directory,
        ReportOptions(title="people"),
        workers=workers,
    )


def _written(directory: Path, workers: int) -> dict[str, bytes]:
    directory.mkdir()
    files = _files(directory, workers)
    paths = files.result()
    assert set(paths) == FILES
    assert files.seconds > 0
    return {name: path.read_bytes() for name, path in paths.items()}


def test_two_processes_write_what_one_writes(tmp_path: Path) -> None:
    one = _written(tmp_path / "one", workers=1)
    two = _written(tmp_path / "two", workers=2)
    assert one == two
    assert b"ent-a,1" in one["clusters_json"] and b"ent-b" in one["golden"]


def test_a_failed_part_is_reported_with_its_cause(tmp_path: Path) -> None:
    files = _files(tmp_path / "missing", workers=2)  # no such folder: every write fails
    with pytest.raises(ForkedCallError, match="FileNotFoundError"):
        files.result()
    files.cancel()  # after a failure too: nothing left to stop

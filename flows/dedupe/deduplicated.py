"""The deduplicated file of a job's CSV sources: every record once, merged ones as golden.

Columns are the canonical flat layout the normalise job writes, so the file can feed any job
that reads canonical CSV. ``id`` is the entity id: stable across runs, the same for a record
and its golden record. Duplicates of a merged cluster are left out; its master's row carries
the golden values (``source.*`` still names the master, a row of the input).
"""

from __future__ import annotations

from pathlib import Path

from canonical.tabular import FlatLayout
from connectors.csvfile import CsvWriter
from flows.dedupe.index import IndexedRun
from flows.dedupe.plan import MergeMethod, MergePlan
from flows.dedupe.sources import LoadedRecords

__all__ = ["write_deduplicated"]


def write_deduplicated(
    path: Path, loaded: LoadedRecords, indexed: IndexedRun, plan: MergePlan
) -> int:
    """Write the CSV records of the run (atomically); returns the rows written."""
    merged = [i for i in plan.items if i.merge and i.method is MergeMethod.REWRITE]
    dropped = {(i.object, d) for i in merged for d in i.duplicate_ids}
    masters = {(i.object, i.master_id) for i in merged}
    layout = FlatLayout(loaded.model)
    path.parent.mkdir(parents=True, exist_ok=True)
    with CsvWriter(path, layout.columns) as writer:
        for index, record in enumerate(loaded.records):
            ref = record.source
            key = (ref.object, ref.id)
            if ref.system != "csv" or key in dropped:
                continue
            entity_id = indexed.entity_ids[index]
            source = indexed.goldens[entity_id].record if key in masters else record
            row = source.model_copy(update={"source": ref, "id": entity_id})
            writer.write_rendered(writer.renderer.render_cells(layout.cells(row)))
        return writer.rows_written

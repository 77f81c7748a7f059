"""``golden.csv``: one row per golden record, with where each value came from.

The flat layout of ``canonical.tabular`` (``source.*`` is the master), preceded by the entity
id and followed by one ``lineage.<field>`` column per field that names the record a value came
from when it did not come from the master.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from canonical import Account, Contact
from canonical.dedupe.survivorship import GoldenRecord
from canonical.tabular import FlatLayout
from connectors.csvfile import CsvWriter

__all__ = ["golden_columns", "write_golden_csv"]

_LINEAGE_SKIPPED = frozenset({"source", "id", "lineage"})


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

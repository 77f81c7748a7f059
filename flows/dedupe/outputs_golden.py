"""``golden.csv``: one row per golden record, with where each value came from.

The flat layout of ``canonical.tabular`` (``source.*`` is the master), preceded by the entity
id and followed by one ``lineage.<field>`` column per field that names the record a value came
from when it did not come from the master.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import partial
from pathlib import Path

from canonical import Account, Contact
from canonical.dedupe.survivorship import GoldenRecord
from canonical.tabular import FlatLayout
from connectors.csvfile import CsvRowRenderer
from flows.dedupe.fragments import Piece, Reuse, each_key, write_pieces

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
    keys: Sequence[bytes | None] | None = None,
    reuse: Reuse | None = None,
) -> int:
    """One row per golden record; ``model`` fixes the columns even when there are none.
    ``keys`` (one per golden record's cluster) and ``reuse``: rows copied from the run before."""
    if len(goldens) != len(entity_ids):
        raise ValueError(
            f"{len(entity_ids)} entity ids for {len(goldens)} golden records: pass one per record"
        )
    layout = FlatLayout(model)
    renderer = CsvRowRenderer(golden_columns(model))
    lineage_of = [name for name in model.model_fields if name not in _LINEAGE_SKIPPED]

    def row(entity_id: str, at: int) -> str:
        record = goldens[at].record  # read only here: they may be built when read
        if type(record) is not model:
            raise ValueError(
                f"golden record of entity {entity_id} is a {type(record).__name__}, "
                f"but this file holds {model.__name__} records"
            )
        lineage = [str(record.lineage[n]) if n in record.lineage else None for n in lineage_of]
        return renderer.render_cells([entity_id, *layout.cells(record), *lineage])

    def pieces() -> Iterator[Piece]:
        yield renderer.render_cells(renderer.columns)
        for at, (entity_id, key) in enumerate(
            zip(entity_ids, each_key(keys, goldens), strict=True)
        ):
            yield key, partial(row, entity_id, at)

    write_pieces(path, pieces(), reuse)
    return len(goldens)

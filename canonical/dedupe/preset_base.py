"""What a dedupe preset is: a LinkageSpec plus the code that turns records into that spec's
feature table (the registry of built-in presets is ``canonical.dedupe.presets``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from canonical.dedupe.features import FeatureTable
from canonical.dedupe.gcpause import gc_paused
from canonical.dedupe.spec import LinkageSpec

__all__ = ["Preset", "TableBuilder"]

# Builds the feature table of a sequence of records (one row each, in order) using up to the
# given number of processes.
TableBuilder = Callable[[Sequence[Any], int], FeatureTable]


@dataclass(frozen=True)
class Preset:
    spec: LinkageSpec
    build: TableBuilder
    record_type: type

    def table(self, records: Sequence[Any], workers: int = 1) -> FeatureTable:
        """The feature table of ``records`` (one row each, in order)."""
        with gc_paused():  # one tuple per record and field: see gcpause.py
            table = self.build(records, workers)
        missing = set(self.spec.column_names) - set(table.names)
        if missing:
            raise ValueError(f"preset {self.spec.kind!r} built no columns {sorted(missing)}")
        return table

    def row(self, record: Any) -> dict[str, str]:
        """The present feature values of one record."""
        table = self.build([record], 1)
        row = {}
        for name in self.spec.column_names:
            value = table.values(name)[0]
            if value is not None:
                row[name] = str(value)
        return row

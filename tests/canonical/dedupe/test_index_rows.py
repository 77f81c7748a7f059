"""An entity index's texts for a whole feature table equal the per-record ones."""

from __future__ import annotations

import numpy as np

from bench.dedupe.generator import generate_contacts
from canonical.dedupe import blocking_keys, record_features
from canonical.dedupe.index_rows import features_json_rows, key_rows
from canonical.dedupe.presets import preset_for


def test_features_and_keys_of_a_table_are_those_of_each_record_alone() -> None:
    records = generate_contacts(300, seed=9, profile="exports").records
    preset = preset_for(records)
    table = preset.table(records)
    rows = np.arange(0, table.n, 3, dtype=np.int64)  # any subset, in any order
    rows = rows[::-1].copy()
    texts = features_json_rows(table, preset.spec, rows)
    positions, keys = key_rows(table, preset.spec, rows)
    per_row: list[list[str]] = [[] for _ in rows]
    for position, key in zip(positions.tolist(), keys, strict=True):
        per_row[position].append(key)
    for at, row in enumerate(rows.tolist()):
        features = record_features(records[row])
        assert texts[at] == features.to_json()
        assert per_row[at] == blocking_keys(features)

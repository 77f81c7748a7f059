"""An entity index's texts for a whole feature table equal the per-record ones."""

from __future__ import annotations

import numpy as np
import pytest

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


def test_first_of_each_keeps_each_text_of_a_group_once_even_when_hashes_collide(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import canonical.dedupe.index_rows as index_rows

    texts = np.empty(9, dtype=object)
    texts[:] = ["a", "b", "a", "c", "a", "b", "b", "x", "a"]
    groups = np.array([0, 0, 0, 0, 1, 1, 1, 2, 0], dtype=np.int64)
    expected = [0, 1, 3, 4, 5, 7]
    assert index_rows.first_of_each(groups, texts).tolist() == expected
    monkeypatch.setattr(index_rows, "hash", lambda text: 7, raising=False)  # every text collides
    assert index_rows.first_of_each(groups, texts).tolist() == expected
    assert index_rows.first_of_each(groups[:0], texts[:0]).tolist() == []

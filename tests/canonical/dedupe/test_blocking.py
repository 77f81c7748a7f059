from __future__ import annotations

import numpy as np

from canonical.dedupe.blocking import block_key, candidate_pairs, pairs_within_groups
from canonical.dedupe.features import FeatureTable
from canonical.dedupe.spec import BlockingRule


def as_set(left: np.ndarray, right: np.ndarray) -> set[tuple[int, int]]:
    return set(zip(left.tolist(), right.tolist(), strict=True))


def test_pairs_within_groups_lists_every_pair_of_each_run() -> None:
    left, right = pairs_within_groups(np.array([0, 0, 0, 5, 7, 7]))
    assert as_set(left, right) == {(0, 1), (0, 2), (1, 2), (4, 5)}


def test_pairs_within_groups_with_a_window() -> None:
    left, right = pairs_within_groups(np.zeros(5, dtype=np.int64), np.full(5, 1))
    assert as_set(left, right) == {(0, 1), (1, 2), (2, 3), (3, 4)}


def test_block_key_combines_columns_and_drops_rows_missing_one() -> None:
    table = FeatureTable({"a": ["x", "x", "x", None], "b": ["1", "1", "2", "1"]})
    key = block_key(table, ("a", "b"))
    assert key[0] == key[1] != key[2]
    assert key[3] == -1


def test_union_of_rules_is_deduplicated_and_counted_per_rule() -> None:
    table = FeatureTable({"mobile": ["m1", "m1", "m2", None], "email": ["e1", "e1", None, "e2"]})
    rules = (BlockingRule("m", ("mobile",)), BlockingRule("e", ("email",)))
    pairs = candidate_pairs(table, rules, max_block_size=10, window=3)
    assert as_set(pairs.left, pairs.right) == {(0, 1)}
    assert [r.pairs for r in pairs.reports] == [1, 1]
    assert [r.new_pairs for r in pairs.reports] == [1, 0]
    assert [len(ids) for ids in pairs.rule_ids] == [1, 1]
    assert pairs.positions(pairs.rule_ids[1]).tolist() == [0]


def test_an_oversized_block_is_windowed_by_its_sort_column_and_counted() -> None:
    # 30 people share a switchboard number; sorted by name, each meets only its neighbours.
    names = [f"name{i:02d}" for i in range(30)]
    table = FeatureTable({"landline": ["+861065529988"] * 30, "name": names})
    rule = BlockingRule("l", ("landline",), sort_column="name")
    pairs = candidate_pairs(table, (rule,), max_block_size=10, window=2)
    assert len(pairs) == 29 + 28  # each record with the next two
    report = pairs.reports[0]
    assert (report.oversized_blocks, report.subblocked_records, report.skipped_records) == (
        1,
        30,
        0,
    )
    assert (0, 1) in as_set(pairs.left, pairs.right)
    assert (0, 29) not in as_set(pairs.left, pairs.right)


def test_an_oversized_block_without_sort_column_is_skipped_and_counted() -> None:
    table = FeatureTable({"city": ["shenzhen"] * 12 + ["beijing"] * 2})
    pairs = candidate_pairs(table, (BlockingRule("c", ("city",)),), max_block_size=10, window=2)
    assert as_set(pairs.left, pairs.right) == {(12, 13)}
    assert pairs.reports[0].skipped_records == 12


def test_no_rules_no_pairs() -> None:
    pairs = candidate_pairs(FeatureTable({"a": ["x", "x"]}), (), max_block_size=10, window=2)
    assert len(pairs) == 0


def test_alternative_columns_block_a_record_under_each_of_its_values() -> None:
    table = FeatureTable(
        {"mobile": ["a", "b", None, "c"], "mobile_2": [None, "a", "b", None], "city": ["x"] * 4}
    )
    rule = BlockingRule("m", ("mobile", "city"), alternatives=("mobile_2",))
    pairs = candidate_pairs(table, [rule], max_block_size=32, window=12)
    # 0-1 share "a" (first vs alternative), 1-2 share "b"; no record pairs with itself.
    assert list(zip(pairs.left.tolist(), pairs.right.tolist(), strict=True)) == [(0, 1), (1, 2)]
    assert pairs.reports[0].pairs == 2

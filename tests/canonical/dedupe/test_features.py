from __future__ import annotations

import random

import numpy as np
import pytest

from canonical.dedupe import features
from canonical.dedupe.features import FeatureTable, derive, factorise, transform


def test_factorise_codes_equal_values_alike_and_missing_as_minus_one() -> None:
    codes, uniques = factorise(["a", None, "b", "a", "", "b"])
    assert codes.tolist() == [0, -1, 1, 0, -1, 1]
    assert uniques == ["a", "b"]


def test_factorise_of_nothing_but_missing() -> None:
    codes, uniques = factorise([None, ""])
    assert codes.tolist() == [-1, -1]
    assert uniques == []


def test_derive_maps_distinct_values_and_keeps_missing() -> None:
    codes, _uniques = factorise(["張偉", "张伟", None, "李娜"])
    column_codes, vocabulary = derive(codes, ["zhangwei", "zhangwei", None])
    assert vocabulary == ["zhangwei"]
    assert column_codes.tolist() == [0, 0, -1, -1]


def test_transform_runs_once_per_distinct_value() -> None:
    calls: list[str] = []

    def upper(value: str) -> str:
        calls.append(value)
        return value.upper()

    codes, uniques = factorise(["a", "b", "a", "a"])
    column_codes, vocabulary = transform(codes, uniques, upper)
    assert calls == ["a", "b"]
    assert [vocabulary[c] for c in column_codes] == ["A", "B", "A", "A"]


def test_table_values_codes_and_vocabulary() -> None:
    table = FeatureTable({"name": ["x", None, "y", "x"]})
    assert table.n == 4
    assert table.values("name").tolist() == ["x", None, "y", "x"]
    assert table.codes("name").tolist() == [0, -1, 1, 0]
    assert table.vocabulary("name") == ["x", "y"]


def test_joint_codes_share_one_vocabulary_across_columns() -> None:
    table = FeatureTable({"a": ["zhangwei", "lina"], "b": ["weizhang", "zhangwei"]})
    a, b = table.joint_codes(("a", "b"))
    assert a[0] == b[1]  # the same string in two columns gets one code
    assert a[1] not in (b[0], b[1])


def test_sort_rank_orders_values_and_leaves_missing_at_minus_one() -> None:
    table = FeatureTable({"name": ["c", "a", None, "b"]})
    assert table.sort_rank("name").tolist() == [2, 0, -1, 1]


def test_frequencies_are_shares_of_present_rows() -> None:
    table = FeatureTable({"name": ["x", "x", "y", None]})
    shares = table.frequencies("name")
    assert np.allclose(shares, [2 / 3, 1 / 3])


def test_from_rows_and_from_codes_agree() -> None:
    rows = [("a", "1"), ("b", None), ("a", "2")]
    table = FeatureTable.from_rows(("k", "v"), rows)
    again = FeatureTable.from_codes({"k": (table.codes("k"), table.vocabulary("k"))})
    assert again.values("k").tolist() == ["a", "b", "a"]
    assert table.values("v").tolist() == ["1", None, "2"]


@pytest.mark.parametrize("seed", [1, 2])
def test_factorise_gives_the_same_codes_through_pandas_and_through_a_dict(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(seed)
    values: list[str | None] = [rng.choice(["张伟", "zhangwei@acme.cn", "", None, f"v{i % 97}"])
                                for i in range(3000)]  # fmt: skip
    monkeypatch.setattr(features, "_PANDAS_FROM", 10**9)
    codes, uniques = factorise(values)
    monkeypatch.setattr(features, "_PANDAS_FROM", 1)
    pandas_codes, pandas_uniques = factorise(values)
    assert pandas_codes.tolist() == codes.tolist()
    assert pandas_uniques == uniques
    assert None not in uniques and "" not in uniques
    assert [uniques[c] if c >= 0 else None for c in codes.tolist()] == [v or None for v in values]

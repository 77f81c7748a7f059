from __future__ import annotations

import numpy as np

from canonical.dedupe.compare import compare_pairs, comparison_levels, prefix_holds, similarity
from canonical.dedupe.features import FeatureTable
from canonical.dedupe.spec import Comparison, Level, LevelKind

ELSE = Level("else", LevelKind.ELSE)


def pairs(*items: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    left = np.array([a for a, _ in items], dtype=np.int64)
    right = np.array([b for _, b in items], dtype=np.int64)
    return left, right


def test_exact_level_and_null_when_a_side_is_missing() -> None:
    table = FeatureTable({"m": ["+8613800138000", "+8613800138000", "+8613900139000", None]})
    comparison = Comparison("mobile", (Level("exact", LevelKind.EXACT, ("m",)), ELSE), ("m",))
    left, right = pairs((0, 1), (0, 2), (0, 3))
    assert comparison_levels(table, comparison, left, right).tolist() == [0, 1, -1]


def test_exact_over_several_columns_needs_all_equal() -> None:
    table = FeatureTable({"c": ["acme", "acme", "acme"], "p": ["1", "1", "2"]})
    level = Level("both", LevelKind.EXACT, ("c", "p"))
    comparison = Comparison("org", (level, ELSE), ("c",))
    left, right = pairs((0, 1), (0, 2))
    assert comparison_levels(table, comparison, left, right).tolist() == [0, 1]


def test_differ_requires_both_present_and_different() -> None:
    table = FeatureTable({"p": ["1", "1", "1", "1"], "x": ["10", "11", None, "10"]})
    level = Level("colleague", LevelKind.EXACT, ("p",), differ=("x",))
    comparison = Comparison("line", (level, Level("same", LevelKind.EXACT, ("p",)), ELSE), ("p",))
    left, right = pairs((0, 1), (0, 2), (0, 3))
    assert comparison_levels(table, comparison, left, right).tolist() == [0, 1, 1]


def test_any_exact_matches_a_name_in_either_order() -> None:
    table = FeatureTable(
        {"p": ["zhangwei", "zhangwei", "xiongxinshan", "lina"],
         "alt": ["weizhang", None, "shanxiongxin", None]}
    )  # fmt: skip
    comparison = Comparison(
        "name", (Level("pinyin", LevelKind.ANY_EXACT, ("p", "alt")), ELSE), ("p",)
    )
    left, right = pairs((0, 1), (0, 3))
    assert comparison_levels(table, comparison, left, right).tolist() == [0, 1]
    swapped = FeatureTable({"p": ["xiongxinshan", "shanxiongxin"], "alt": ["shanxiongxin", None]})
    assert comparison_levels(swapped, comparison, *pairs((0, 1))).tolist() == [0]


def test_jaro_winkler_bands_take_the_first_level_that_holds() -> None:
    table = FeatureTable({"n": ["zhangwei", "zhangwie", "zhangwe", "lina"]})
    comparison = Comparison(
        "name",
        (
            Level("exact", LevelKind.EXACT, ("n",)),
            Level("high", LevelKind.JARO_WINKLER, ("n",), 0.95),
            Level("mid", LevelKind.JARO_WINKLER, ("n",), 0.80),
            ELSE,
        ),
        ("n",),
    )
    left, right = pairs((0, 0), (0, 1), (0, 2), (0, 3))
    levels = comparison_levels(table, comparison, left, right).tolist()
    assert levels[0] == 0
    assert levels[1] in (1, 2)
    assert levels[2] in (1, 2)
    assert levels[3] == 3


def test_damerau_levenshtein_catches_one_digit_typos() -> None:
    table = FeatureTable({"m": ["+8613800138000", "+8613800138001", "+8613800831000"]})
    comparison = Comparison(
        "mobile",
        (
            Level("exact", LevelKind.EXACT, ("m",)),
            Level("typo", LevelKind.DAMERAU_LEVENSHTEIN, ("m",), 1.0),
            ELSE,
        ),
        ("m",),
    )
    assert comparison_levels(table, comparison, *pairs((0, 1), (0, 2))).tolist() == [1, 2]


def test_token_set_ignores_word_order_and_extra_words() -> None:
    table = FeatureTable({"c": ["acme trading", "trading acme", "globex"]})
    comparison = Comparison(
        "company", (Level("tokens", LevelKind.TOKEN_SET, ("c",), 0.9), ELSE), ("c",)
    )
    assert comparison_levels(table, comparison, *pairs((0, 1), (0, 2))).tolist() == [0, 1]


def test_null_when_all_needs_every_column_missing_on_a_side() -> None:
    table = FeatureTable({"c": ["acme", None, None], "p": [None, "1", None]})
    comparison = Comparison(
        "org", (Level("c", LevelKind.EXACT, ("c",)), ELSE), ("c", "p"), null_when="all"
    )
    # (0,1): company missing on one side, phone missing on the other: all columns miss -> null.
    # (1,2): company missing, phone missing on one side: null.
    left, right = pairs((0, 1), (1, 2))
    assert comparison_levels(table, comparison, left, right).tolist() == [-1, -1]
    some = FeatureTable({"c": ["acme", "acme"], "p": [None, "1"]})
    assert comparison_levels(some, comparison, *pairs((0, 1))).tolist() == [0]


def test_similarity_is_nan_where_a_value_is_missing() -> None:
    table = FeatureTable({"n": ["abc", None, "abd"]})
    scores = similarity(table, LevelKind.JARO_WINKLER, "n", *pairs((0, 1), (0, 2)))
    assert np.isnan(scores[0])
    assert 0.8 < scores[1] < 1.0


def test_compare_pairs_has_one_column_per_comparison() -> None:
    table = FeatureTable({"a": ["1", "1"], "b": ["x", "y"]})
    comparisons = (
        Comparison("a", (Level("e", LevelKind.EXACT, ("a",)), ELSE), ("a",)),
        Comparison("b", (Level("e", LevelKind.EXACT, ("b",)), ELSE), ("b",)),
    )
    matrix = compare_pairs(table, comparisons, *pairs((0, 1)))
    assert matrix.shape == (1, 2)
    assert matrix.tolist() == [[0, 1]]


def test_cross_compares_a_column_of_one_side_with_another_of_the_other() -> None:
    table = FeatureTable(
        {
            "key": ["wang", "wangwei", "lina", "lina"],
            "bare": ["wang", None, None, "li"],  # a family name alone (王先生)
            "family": ["wang", "wang", "li", "li"],
        }
    )
    level = Level("family_only", LevelKind.CROSS, ("bare", "family"))
    comparison = Comparison("name", (level, ELSE), ("key",))
    left, right = pairs((0, 1), (1, 0), (1, 2), (2, 3))
    assert comparison_levels(table, comparison, left, right).tolist() == [0, 0, 1, 0]


def test_prefix_holds_for_a_value_cut_short_of_at_least_the_shortest_length() -> None:
    table = FeatureTable({"name": ["liguihua", "ligui", "li", "liguihua", None]})
    level = Level("truncated", LevelKind.PREFIX, ("name",), 4)
    comparison = Comparison("name", (level, Level("else", LevelKind.ELSE)), ("name",))
    left, right = np.array([0, 1, 0, 0, 0]), np.array([1, 0, 2, 3, 4])
    # Either way round; "li" is shorter than 4; equal values are prefixes too; None is null.
    assert comparison_levels(table, comparison, left, right).tolist() == [0, 0, 1, 0, -1]


def test_prefix_of_one_column_in_another_across_sides() -> None:
    table = FeatureTable({"brand": ["huaxin", None], "domain": [None, "huaxintech.com"]})
    holds = prefix_holds(table, ("brand", "domain"), 4, np.array([1]), np.array([0]))
    assert holds.tolist() == [True]

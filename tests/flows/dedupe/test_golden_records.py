"""Golden records of a run's clusters built only when asked for, equal to those built at once."""

from __future__ import annotations

from pathlib import Path

import pytest

import flows.dedupe.golden_records as lazy
from canonical.dedupe.survivorship import GoldenRecord, golden_records
from flows.dedupe.golden_cache import Goldens
from flows.dedupe.golden_records import GoldenRecords
from tests.flows.dedupe.test_golden_cache import GROUPS, RECORDS, RULES, _keys


def _dumped(golden: GoldenRecord) -> tuple[object, ...]:
    return golden.record.model_dump(), golden.master, dict(golden.field_sources)


def _lazy() -> GoldenRecords:
    goldens = GoldenRecords(RECORDS)
    # Groups in any order: members are taken in read order, as Goldens.choose takes them.
    for entity_id, group, choices in zip(
        ("a", "b"), ([2, 0, 1], [4, 3]), Goldens(RULES).choose(RECORDS, GROUPS).choices, strict=True
    ):
        goldens.add(entity_id, group, choices)
    return goldens


def test_built_when_asked_for_they_equal_those_built_at_once() -> None:
    eager = golden_records([[RECORDS[i] for i in group] for group in GROUPS], RULES)
    goldens = _lazy()
    assert [_dumped(goldens[e]) for e in ("a", "b")] == [_dumped(g) for g in eager]
    assert [goldens.master(e) for e in ("a", "b")] == [g.master for g in eager]
    assert [_dumped(g) for g in goldens.in_order(["b", "a"])] == [_dumped(g) for g in eager[::-1]]
    assert (len(goldens), set(goldens), "a" in goldens, "c" in goldens) == (
        2,
        {"a", "b"},
        True,
        False,
    )
    with pytest.raises(KeyError):
        goldens.master("c")


def test_the_master_and_the_count_need_no_golden_record_built(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    goldens = _lazy()

    def refuse(*args: object) -> GoldenRecord:
        raise AssertionError("a golden record was built")

    monkeypatch.setattr(lazy, "assemble", refuse)
    assert goldens.master("a").id in {"1", "2", "3"}
    assert len(goldens.in_order(["a", "b"])) == 2
    with pytest.raises(AssertionError, match="was built"):
        goldens["a"]


def test_ones_made_already_are_served_as_they_are() -> None:
    made = golden_records([[RECORDS[i] for i in GROUPS[1]]], RULES)[0]
    goldens = GoldenRecords(RECORDS, {"b": made})
    assert goldens["b"] is made and goldens.master("b") is made.master
    goldens.add("b", GROUPS[1], made.choices)  # added again: built from its choices now
    assert goldens["b"] is not made and _dumped(goldens["b"]) == _dumped(made)


def test_choosing_gives_each_groups_key(tmp_path: Path) -> None:
    goldens = Goldens(RULES, keys=_keys(), folder=tmp_path)
    chosen = goldens.choose(RECORDS, [[2, 0, 1], [4, 3]])
    assert chosen.keys == [goldens.group_key([0, 1, 2]), goldens.group_key([3, 4])]
    assert None not in chosen.keys and chosen.keys[0] != chosen.keys[1]
    assert Goldens(RULES).choose(RECORDS, GROUPS).keys == [None, None]  # no row keys

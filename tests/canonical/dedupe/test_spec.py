from __future__ import annotations

import pytest

from canonical.dedupe.account_preset import ACCOUNT_SPEC
from canonical.dedupe.contact_preset import CONTACT_SPEC
from canonical.dedupe.spec import (
    BlockingRule,
    Column,
    Comparison,
    ConflictRule,
    Level,
    LevelKind,
    LinkageSpec,
    SpecError,
)

ELSE = Level("else", LevelKind.ELSE)


def spec(**overrides: object) -> LinkageSpec:
    values: dict[str, object] = {
        "kind": "t",
        "columns": (Column("a"), Column("b")),
        "comparisons": (Comparison("a", (Level("e", LevelKind.EXACT, ("a",)), ELSE), ("a",)),),
        "blocking": (BlockingRule("a", ("a",)),),
    }
    values.update(overrides)
    return LinkageSpec(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize("preset", [CONTACT_SPEC, ACCOUNT_SPEC])
def test_presets_round_trip_through_dicts(preset: LinkageSpec) -> None:
    assert LinkageSpec.from_dict(preset.to_dict()) == preset


def test_unknown_columns_are_refused() -> None:
    with pytest.raises(SpecError, match="unknown columns"):
        spec(comparisons=(Comparison("x", (Level("e", LevelKind.EXACT, ("zz",)), ELSE), ("zz",)),))
    with pytest.raises(SpecError, match="blocking rule"):
        spec(blocking=(BlockingRule("z", ("zz",)),))


def test_the_last_level_must_be_else() -> None:
    with pytest.raises(SpecError, match="ELSE"):
        spec(comparisons=(Comparison("a", (Level("e", LevelKind.EXACT, ("a",)),), ("a",)),))


def test_conflict_rules_must_name_comparisons() -> None:
    with pytest.raises(SpecError, match="conflict"):
        spec(conflicts=(ConflictRule(("nope",)),))


def test_a_dependency_must_name_another_comparison_and_its_agreeing_levels() -> None:
    with pytest.raises(SpecError, match="depend"):
        spec(
            comparisons=(
                Comparison(
                    "a", (Level("e", LevelKind.EXACT, ("a",)), ELSE), ("a",), depends_on="a"
                ),
            )
        )


def test_columns_of_a_comparison_include_tf_and_differ_columns() -> None:
    level = Level("e", LevelKind.EXACT, ("a",), tf_column=("b", "c"), differ=("d",))
    assert set(Comparison("a", (level, ELSE), ("a",)).columns) == {"a", "b", "c", "d"}


def test_malformed_dicts_raise_spec_error() -> None:
    with pytest.raises(SpecError, match="malformed"):
        LinkageSpec.from_dict({"kind": "t"})

from __future__ import annotations

import pytest

from canonical.dedupe.account_preset import ACCOUNT_SPEC
from canonical.dedupe.contact_preset import CONTACT_SPEC
from canonical.dedupe.spec import (
    NULL_LEVEL,
    BlockingRule,
    Column,
    Comparison,
    ConflictRule,
    IdentityRule,
    Level,
    LevelKind,
    LinkageSpec,
    SpecError,
)
from canonical.dedupe.spec_codec import spec_from_dict, spec_to_dict

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
    assert spec_from_dict(spec_to_dict(preset)) == preset


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
        spec_from_dict({"kind": "t"})


def test_new_spec_parts_round_trip_and_old_model_json_still_reads() -> None:
    spec = LinkageSpec(
        kind="t",
        columns=(Column("a"), Column("b")),
        comparisons=(
            Comparison(
                "x",
                (Level("cross", LevelKind.CROSS, ("a", "b")),
                 Level("prefix", LevelKind.PREFIX, ("a",), 4), Level("else", LevelKind.ELSE)),
                ("a",),
            ),
            Comparison("y", (Level("same", LevelKind.EXACT, ("b",)), Level("else", LevelKind.ELSE)), ("b",)),
        ),
        blocking=(BlockingRule("r", ("a",), alternatives=("b",)),),
        conflicts=(ConflictRule(("x", "y"), (("prefix",), ("else", NULL_LEVEL))),),
        identifiers=("y",),
    )  # fmt: skip
    assert spec_from_dict(spec_to_dict(spec)) == spec
    old = spec_to_dict(spec)
    old["blocking"] = [["r", ["a"], None]]  # as written before alternatives existed
    old["conflicts"] = [["x", "y"]]
    del old["identifiers"]
    assert spec_from_dict(old).blocking[0].alternatives == ()


def test_cross_and_prefix_take_their_columns_and_conflicts_known_levels() -> None:
    with pytest.raises(SpecError, match="CROSS compares two columns"):
        LinkageSpec(
            kind="t",
            columns=(Column("a"),),
            comparisons=(
                Comparison("x", (Level("c", LevelKind.CROSS, ("a",)), Level("e", LevelKind.ELSE)), ("a",)),
            ),
            blocking=(),
        )  # fmt: skip
    with pytest.raises(SpecError, match="unknown levels"):
        LinkageSpec(
            kind="t",
            columns=(Column("a"),),
            comparisons=(
                Comparison("x", (Level("s", LevelKind.EXACT, ("a",)), Level("e", LevelKind.ELSE)), ("a",)),
            ),
            blocking=(),
            conflicts=(ConflictRule(("x",), (("nope",),)),),
        )  # fmt: skip


def test_identity_rules_round_trip_and_must_forgive_known_comparisons() -> None:
    two = (
        Comparison("a", (Level("e", LevelKind.EXACT, ("a",)), ELSE), ("a",)),
        Comparison("b", (Level("e", LevelKind.EXACT, ("b",)), ELSE), ("b",)),
    )
    rule = IdentityRule(ConflictRule(("a",), (("e",),)), forgive=("b",))
    made = spec(comparisons=two, identity_rules=(rule,))
    assert spec_from_dict(spec_to_dict(made)) == made
    old = spec_to_dict(made)
    del old["identity_rules"]  # model JSON written before identity rules existed
    assert spec_from_dict(old).identity_rules == ()
    with pytest.raises(SpecError, match="forgives unknown"):
        spec(comparisons=two, identity_rules=(IdentityRule(rule.when, forgive=("c",)),))
    with pytest.raises(SpecError, match="unknown levels"):
        spec(
            comparisons=two, identity_rules=(IdentityRule(ConflictRule(("a",), (("x",),)), ("b",)),)
        )

from __future__ import annotations

from dataclasses import replace

import numpy as np

from canonical.dedupe.cluster import EVIDENCE_IDENTIFIED, EVIDENCE_SOFT
from canonical.dedupe.model import MatchModel
from canonical.dedupe.scoring import PairScores
from canonical.dedupe.spec import (
    BlockingRule,
    Column,
    Comparison,
    ConflictRule,
    IdentityRule,
    Level,
    LevelKind,
    LinkageSpec,
)


def _comparison(name: str) -> Comparison:
    levels = (Level("exact", LevelKind.EXACT, (name,)), Level("else", LevelKind.ELSE))
    return Comparison(name, levels, (name,))


SPEC = LinkageSpec(
    kind="t",
    columns=(Column("name"), Column("email"), Column("org")),
    comparisons=(_comparison("name"), _comparison("email"), _comparison("org")),
    blocking=(BlockingRule("n", ("name",)),),
    identifiers=("email",),
)
# An equal address among namesakes weighs log2(0.9 / 0.01) = 6.5 bits, less than the
# 13.3 bits the prior takes away: alone it would not identify anyone.
MODEL = MatchModel(
    spec=SPEC,
    m=((0.9, 0.1), (0.9, 0.1), (0.5, 0.5)),
    u=((0.01, 0.99), (0.01, 0.99), (0.5, 0.5)),
    prior=0.0001,
)


def _evidence(model: MatchModel, levels: list[list[int]]) -> list[int]:
    rows = np.array(levels, dtype=np.int8)
    tf = np.zeros(rows.shape, dtype=np.float32)
    pairs = np.arange(len(rows), dtype=np.int64)
    return PairScores(model, rows, tf, pairs, pairs + 1).evidence.tolist()


def test_a_pair_an_identity_rule_holds_for_is_identified_whatever_its_identifier_weighs() -> None:
    rule = IdentityRule(ConflictRule(("name", "email"), (("exact",), ("exact",))), ("org",))
    ruled = replace(MODEL, spec=replace(SPEC, identity_rules=(rule,)))
    same_name_and_address, same_name_only = [0, 0, 0], [0, -1, 0]
    assert _evidence(MODEL, [same_name_and_address]) == [EVIDENCE_SOFT]
    assert _evidence(ruled, [same_name_and_address, same_name_only]) == [
        EVIDENCE_IDENTIFIED,
        EVIDENCE_SOFT,
    ]

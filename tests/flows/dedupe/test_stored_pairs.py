"""Stored pairs: a later run's cluster pairs read from the evidence JSON when asked for."""

from __future__ import annotations

import pytest

from canonical import SourceRef
from canonical.dedupe import Contribution, ScoredPair
from flows.dedupe.evidence import (
    ClusterEvidence,
    Evidence,
    RefPair,
    indexed_pairs,
    weakest_link,
)
from flows.dedupe.stored_pairs import StoredPairs, probabilities

REFS = [SourceRef(system="csv", object="contacts", id=f"r:{i}") for i in range(4)]


def _evidence() -> Evidence:
    first = ScoredPair(0, 1, 0.99, 7.5, (Contribution("name", "exact", 8.0),))
    second = ScoredPair(0, 1, 0.71, 1.5, (Contribution("mobile", "other", -2.0),))
    evidence = Evidence().with_pair(RefPair.of(first, REFS[2], REFS[0]))
    evidence = evidence.with_pair(RefPair.of(second, REFS[3], REFS[1]))  # REFS[3] not read
    return evidence.with_pair(RefPair.of(second, REFS[1], REFS[0]))


POSITIONS = {str(REFS[0]): 5, str(REFS[1]): 0, str(REFS[2]): 1}


def test_stored_pairs_are_the_pairs_indexed_pairs_reads() -> None:
    text = _evidence().to_json()
    expected = indexed_pairs(text, POSITIONS, {})[1]
    stored = StoredPairs(text, POSITIONS, {})
    assert len(stored) == 2  # the pair with a side not read is left out
    assert stored.probabilities() == [0.99, 0.71]  # counted and read without building pairs
    assert stored == expected and expected == stored
    assert tuple(stored) == expected and stored[1] == expected[1] and stored[:1] == expected[:1]
    assert hash(stored) == hash(expected)
    assert list(probabilities(stored)) == list(probabilities(expected)) == [0.99, 0.71]


def test_contributions_are_shared_between_clusters_read() -> None:
    text, shared = _evidence().to_json(), {}
    first, second = StoredPairs(text, POSITIONS, shared), StoredPairs(text, POSITIONS, shared)
    assert first[0].contributions[0] is second[0].contributions[0]


def test_an_entity_nobody_scored_has_no_pairs() -> None:
    stored = StoredPairs("[]", POSITIONS, {})
    assert len(stored) == 0 and list(stored) == [] and stored.probabilities() == []
    assert weakest_link("[]") == 1.0


@pytest.mark.parametrize(
    "text",
    [
        _evidence().to_json(),
        ClusterEvidence([]).json(0.125, []),
        '{"min":1e-05,"pairs":[]}',
        '{ "min": 0.5, "pairs": [] }',  # written by hand: parsed whole
        '{"pairs":[],"min":0.25}',
    ],
)
def test_the_weakest_link_is_read_off_the_head_as_a_parse_would(text: str) -> None:
    assert weakest_link(text) == indexed_pairs(text, POSITIONS, {})[0]

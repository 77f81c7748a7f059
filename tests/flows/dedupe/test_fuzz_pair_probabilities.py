"""Fuzz: a stored evidence JSON's pair probabilities read by cutting the text (the report's
histogram) are the probabilities a whole parse gives, for any refs and contributions."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from canonical import SourceRef
from canonical.dedupe import Contribution
from flows.dedupe.evidence import Evidence, RefPair, _cut_probabilities, pair_probabilities

# Ids built from the characters that could confuse a cut: quotes, commas, brackets, escapes.
_IDS = st.text(alphabet=st.sampled_from('ab1,"[]\\:张 {}\n'), min_size=1, max_size=8).filter(
    str.strip
)
_NUMBERS = st.floats(min_value=-50, max_value=50, allow_nan=False, allow_infinity=False)
_PARTS = st.lists(
    st.builds(
        Contribution,
        st.sampled_from(["name", "mobile"]),
        st.sampled_from(["exact", "null"]),
        _NUMBERS,
    ),
    max_size=3,
)


@st.composite
def _evidence(draw: st.DrawFn) -> tuple[str, dict[str, int]]:
    ids = draw(st.lists(_IDS, min_size=2, max_size=6, unique=True))
    refs = [SourceRef(system="csv", object="contacts", id=i) for i in ids]
    evidence = Evidence(draw(st.floats(min_value=0, max_value=1)))
    for _ in range(draw(st.integers(min_value=0, max_value=5))):
        left, right = draw(st.sampled_from(refs)), draw(st.sampled_from(refs))
        probability = draw(st.floats(min_value=0, max_value=1))
        pair = RefPair(left, right, probability, draw(_NUMBERS), tuple(draw(_PARTS)))
        evidence = Evidence(evidence.min_probability, (*evidence.pairs, pair))
    read = draw(st.lists(st.sampled_from(refs), unique=True))  # the records a run read
    return evidence.to_json(), {str(ref): at for at, ref in enumerate(read)}


@given(_evidence())
def test_cut_probabilities_are_those_of_a_whole_parse(case: tuple[str, dict[str, int]]) -> None:
    text, positions = case
    parsed = [
        float(probability)
        for left, right, probability, _, _ in json.loads(text)["pairs"]
        if left in positions and right in positions
    ]
    assert pair_probabilities(text, positions) == parsed


def test_the_index_layout_is_cut_not_parsed() -> None:
    refs = [SourceRef(system="csv", object="contacts", id=f"C-{i}") for i in range(3)]
    parts = (Contribution("name", "exact", 8.0), Contribution("mobile", "null", 0.0))
    evidence = Evidence().with_pair(RefPair(refs[0], refs[1], 0.875, 7.5, parts))
    evidence = evidence.with_pair(RefPair(refs[1], refs[2], 0.5, 0.0, parts[:1]))
    positions = {str(refs[0]): 0, str(refs[1]): 1}
    assert _cut_probabilities(evidence.to_json(), positions) == [0.875]
    # No contributions: the pairs cannot be told apart by cutting; parsed whole instead.
    bare = Evidence().with_pair(RefPair(refs[0], refs[1], 0.25, 0.0, ())).to_json()
    assert _cut_probabilities(bare, positions) is None
    assert pair_probabilities(bare, positions) == [0.25]

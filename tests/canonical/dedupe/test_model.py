from __future__ import annotations

import numpy as np
import pytest

from canonical.dedupe.contact_preset import CONTACT_SPEC
from canonical.dedupe.model import MatchModel, ModelError, TermFrequencies, probabilities
from canonical.dedupe.spec import BlockingRule, Column, Comparison, Level, LevelKind, LinkageSpec

SPEC = LinkageSpec(
    kind="tiny",
    columns=(Column("a"), Column("b")),
    comparisons=(
        Comparison(
            "a",
            (
                Level("exact", LevelKind.EXACT, ("a",), tf_column="a"),
                Level("close", LevelKind.JARO_WINKLER, ("a",), 0.9),
                Level("else", LevelKind.ELSE),
            ),
            ("a",),
        ),
        Comparison(
            "b", (Level("exact", LevelKind.EXACT, ("b",)), Level("else", LevelKind.ELSE)), ("b",)
        ),
    ),
    blocking=(BlockingRule("a", ("a",)),),
)

MODEL = MatchModel(
    spec=SPEC,
    m=((0.8, 0.15, 0.05), (0.9, 0.1)),
    u=((0.01, 0.04, 0.95), (0.1, 0.9)),
    prior=0.001,
    term_frequencies={"a": TermFrequencies(values={"zhangwei": 0.02}, floor=0.001)},
)


def test_weights_are_the_prior_plus_log2_bayes_factors() -> None:
    levels = np.array([[0, 0], [2, 1], [-1, -1]], dtype=np.int8)
    weights = MODEL.weights(levels)
    prior = np.log2(0.001 / 0.999)
    assert weights[0] == pytest.approx(prior + np.log2(0.8 / 0.01) + np.log2(0.9 / 0.1))
    assert weights[1] == pytest.approx(prior + np.log2(0.05 / 0.95) + np.log2(0.1 / 0.9))
    assert weights[2] == pytest.approx(prior)  # null comparisons add nothing


def test_probability_rises_with_weight_and_stays_within_zero_and_one() -> None:
    weights = np.array([-2000.0, -10.0, 0.0, 10.0, 2000.0])
    p = probabilities(weights)
    assert (np.diff(p) > 0).all() or (np.diff(p) >= 0).all()
    assert p[2] == 0.5
    assert 0.0 <= p[0] < 1e-3
    assert 1 - 1e-3 < p[-1] <= 1.0


def test_contributions_explain_the_weight() -> None:
    parts = MODEL.contributions([0, 1], [0.0, 0.0])
    assert [(c.comparison, c.level) for c in parts] == [("a", "exact"), ("b", "else")]
    levels = np.array([[0, 1]], dtype=np.int8)
    assert sum(c.weight for c in parts) + MODEL.prior_weight == pytest.approx(
        MODEL.weights(levels)[0]
    )
    assert MODEL.contributions([-1, 0], [0.0, 0.0])[0].level == "null"


def test_json_round_trip_keeps_everything() -> None:
    again = MatchModel.from_json(MODEL.to_json())
    assert again == MODEL
    assert again.spec == SPEC


def test_json_round_trip_of_the_contact_spec() -> None:
    model = MatchModel(
        spec=CONTACT_SPEC,
        m=tuple(tuple([1.0 / len(c.levels)] * len(c.levels)) for c in CONTACT_SPEC.comparisons),
        u=tuple(tuple([1.0 / len(c.levels)] * len(c.levels)) for c in CONTACT_SPEC.comparisons),
        prior=1e-6,
        u_given=tuple(
            None if c.depends_on is None else tuple([0.5] * len(c.levels))
            for c in CONTACT_SPEC.comparisons
        ),
    )
    assert MatchModel.from_json(model.to_json()) == model


def test_term_frequencies_fall_back_to_the_floor() -> None:
    tf = MODEL.term_frequencies["a"]
    assert tf.lookup("zhangwei") == 0.02
    assert tf.lookup("ouyangnana") == 0.001
    assert tf.lookup(None) == 1.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not JSON"),
        ('{"format": 99}', "format"),
        ('{"format": 1, "prior": 0.5}', "malformed"),
    ],
)
def test_bad_model_json_is_refused_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(ModelError, match=message):
        MatchModel.from_json(text)


def test_a_prior_outside_zero_and_one_is_refused() -> None:
    with pytest.raises(ModelError, match="prior"):
        MatchModel(spec=SPEC, m=MODEL.m, u=MODEL.u, prior=1.0)


def test_m_and_u_must_cover_every_level() -> None:
    with pytest.raises(ModelError, match="levels"):
        MatchModel(spec=SPEC, m=((0.5, 0.5), (0.9, 0.1)), u=MODEL.u, prior=0.1)

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from canonical.dedupe.blocking import candidate_pairs
from canonical.dedupe.compare import compare_pairs
from canonical.dedupe.engine import estimate_model
from canonical.dedupe.estimate import estimate_prior
from canonical.dedupe.features import FeatureTable
from canonical.dedupe.model import MatchModel
from canonical.dedupe.sampling import estimate_u, estimate_u_given, pairs_agreeing, random_pairs
from canonical.dedupe.scoring import score_pairs
from canonical.dedupe.spec import BlockingRule, Column, Comparison, Level, LevelKind, LinkageSpec
from canonical.dedupe.types import DedupeSettings

COLUMNS = ("a", "b", "c", "d")
KEEP = 0.9  # a record keeps its entity's value with this probability, else gets a random one
VALUES = 400


def synthetic(entities: int, seed: int) -> tuple[FeatureTable, np.ndarray]:
    """Two records per entity; each column keeps the entity's value with probability KEEP."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, VALUES, size=(entities, len(COLUMNS)))
    labels = np.repeat(np.arange(entities), 2)
    values = truth[labels]
    noisy = rng.random(values.shape) > KEEP
    values[noisy] = rng.integers(0, VALUES, size=int(noisy.sum()))
    table = FeatureTable({c: [f"v{x}" for x in values[:, i]] for i, c in enumerate(COLUMNS)})
    return table, labels


SPEC = LinkageSpec(
    kind="synthetic",
    columns=tuple(Column(c) for c in COLUMNS),
    comparisons=tuple(
        Comparison(c, (Level("exact", LevelKind.EXACT, (c,)), Level("else", LevelKind.ELSE)), (c,))
        for c in COLUMNS
    ),
    blocking=tuple(BlockingRule(c, (c,)) for c in COLUMNS),
)


@pytest.fixture(scope="module")
def fitted() -> tuple[FeatureTable, np.ndarray, object]:
    table, labels = synthetic(1500, seed=7)
    settings = DedupeSettings(max_block_size=1000)
    pairs = candidate_pairs(table, SPEC.blocking, settings.max_block_size, settings.subblock_window)
    levels = compare_pairs(table, SPEC.comparisons, pairs.left, pairs.right)
    model = estimate_model(table, SPEC, pairs, levels, settings)
    return table, labels, (model, pairs, levels)


def test_u_from_random_pairs_is_the_chance_of_agreeing(fitted) -> None:  # type: ignore[no-untyped-def]
    table, _, _ = fitted
    u = estimate_u(table, SPEC, 50_000, np.random.default_rng(0))
    for row in u:
        assert row[0] == pytest.approx(1 / VALUES, rel=0.25)
        assert row.sum() == pytest.approx(1.0)


def test_em_recovers_m(fitted) -> None:  # type: ignore[no-untyped-def]
    _, _, (model, _, _) = fitted
    true_m = KEEP * KEEP  # both records kept the value (chance agreement is negligible)
    for row in model.m:
        assert row[0] == pytest.approx(true_m, abs=0.05)


def test_prior_is_the_share_of_matching_pairs(fitted) -> None:  # type: ignore[no-untyped-def]
    table, labels, (model, _, _) = fitted
    true_prior = (len(labels) // 2) / (table.n * (table.n - 1) / 2)
    assert model.prior == pytest.approx(true_prior, rel=0.3)


def test_probabilities_are_monotone_in_agreement_and_calibrated(fitted) -> None:  # type: ignore[no-untyped-def]
    table, labels, (model, pairs, levels) = fitted
    scores = score_pairs(table, model, pairs.left, pairs.right, levels=levels)
    agreeing = (levels == 0).sum(axis=1)
    means = [
        scores.probabilities[agreeing == k].mean() for k in range(1, 5) if (agreeing == k).any()
    ]
    assert means == sorted(means)
    same = labels[pairs.left] == labels[pairs.right]
    confident = scores.probabilities >= 0.9
    assert same[confident].mean() >= 0.9
    unlikely = scores.probabilities <= 0.1
    assert same[unlikely].mean() <= 0.1


def test_random_pairs_never_pair_a_row_with_itself() -> None:
    left, right = random_pairs(50, 10_000, np.random.default_rng(1))
    assert (left != right).all()
    assert len(random_pairs(5, 100, np.random.default_rng(1))[0]) == 10  # all pairs


def test_pairs_agreeing_share_the_column_value() -> None:
    table = FeatureTable({"k": ["a"] * 50 + ["b"] * 50 + [None] * 5})
    left, right = pairs_agreeing(table, "k", 300, np.random.default_rng(2))
    codes = table.codes("k")
    assert len(left) == 300
    assert (codes[left] == codes[right]).all()
    assert (left != right).all()


def test_prior_without_candidates_is_one_pair_in_all() -> None:
    assert estimate_prior(np.empty(0), 100) == pytest.approx(1 / 4950)


def test_no_comparison_learns_that_matches_never_disagree_on_it() -> None:
    from canonical.dedupe.estimate import ELSE_M_FLOOR, with_else_floor

    moved, kept = with_else_floor([np.array([0.7, 0.2999, 0.0001]), np.array([0.6, 0.3, 0.1])])
    assert moved[-1] == ELSE_M_FLOOR
    assert moved.sum() == pytest.approx(1.0)
    assert moved[0] / moved[1] == pytest.approx(0.7 / 0.2999)  # the rest keeps its shape
    assert kept.tolist() == [0.6, 0.3, 0.1]


def _job_changers() -> FeatureTable:
    """People seen twice with one name and one address; half changed employer, city and
    mobile in between. No two people share an address; pairs of namesakes with addresses
    of their own make up the rest of the records agreeing on a name."""
    rows: dict[str, list[str | None]] = {c: [] for c in ("name", "email", "org", "city", "mob")}

    def add(name: str, email: str, org: str, city: str, mobile: str) -> None:
        for column, value in zip(rows, (name, email, org, city, mobile), strict=True):
            rows[column].append(value)

    for person in range(200):
        name = f"name{person % 60}"  # 60 names: namesakes too
        add(name, f"p{person}@x", f"org{person}", f"c{person % 9}", f"m{person}")
        if person % 2:
            add(name, f"p{person}@x", f"org{person + 500}", f"c{person % 9 + 1}", f"n{person}")
        else:
            add(name, f"p{person}@x", f"org{person}", f"c{person % 9}", f"m{person}")
    return FeatureTable(rows)


def test_an_equal_address_keeps_its_weight_between_records_of_one_name() -> None:
    """EM on the pairs agreeing on a name must not teach itself that namesakes share
    addresses: a job changer's other fields all disagree, so once an equal address counts
    for less such a pair looks like two people, which lowered its weight further (generator
    4: from +13.6 to +5.2 bits, with not one sampled pair two people)."""
    exact_else = (Level("exact", LevelKind.EXACT, ("x",)), Level("else", LevelKind.ELSE))

    def comparison(column: str, depends_on: str | None = None) -> Comparison:
        levels = tuple(
            replace(level, columns=(column,) if level.columns else ()) for level in exact_else
        )
        return Comparison(column, levels, (column,), depends_on=depends_on)

    spec = LinkageSpec(
        kind="job-changers",
        columns=tuple(Column(c) for c in ("name", "email", "org", "city", "mob")),
        comparisons=(
            comparison("name"),
            comparison("email", depends_on="name"),
            comparison("org"),
            comparison("city"),
            comparison("mob"),
        ),
        blocking=(BlockingRule("name", ("name",)),),
        identifiers=("email", "mob"),
    )
    table = _job_changers()
    model = MatchModel(
        spec=spec,
        m=((0.9, 0.1), (0.9, 0.1), (0.5, 0.5), (0.5, 0.5), (0.5, 0.5)),
        u=((0.01, 0.99), (0.0001, 0.9999), (0.005, 0.995), (0.1, 0.9), (0.005, 0.995)),
        prior=1 / 400,
    )
    u_given = estimate_u_given(table, model, 10_000, np.random.default_rng(0))
    email_given = u_given[1]
    assert email_given is not None
    # Every pair sharing an address is one person: u stays near where random pairs put it.
    assert email_given[0] < 10 * model.u[1][0]

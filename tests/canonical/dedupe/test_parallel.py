from __future__ import annotations

import pytest

from canonical.dedupe import parallel
from canonical.dedupe.keys import name_features


def test_small_inputs_run_in_this_process() -> None:
    assert parallel.map_many([(len, ["a", "bb"]), (str.upper, ["x"])], workers=2) == [
        [1, 2],
        ["X"],
    ]


def test_forked_workers_give_the_same_results_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 1)
    names = ["张伟", "張偉", "Zhang Wei", "李娜", "欧阳娜娜"] * 3
    expected = [name_features(name) for name in names]
    assert parallel.map_distinct(name_features, names, workers=2) == expected
    with parallel.start_many([(len, ["a", "bb", "ccc"]), (str.upper, ["x", "y"])], 2) as pending:
        assert pending.results() == [[1, 2, 3], ["X", "Y"]]


def test_whole_calls_run_on_workers_with_inherited_arguments(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 1)
    values = list(range(1000))
    with parallel.start_calls([(sum, values), (len, values), (max, values)], 2, 1000) as pending:
        assert pending.results() == [sum(values), 1000, 999]


def test_the_contact_table_is_the_same_built_on_workers_or_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bench.dedupe.generator import generate_contacts
    from canonical.dedupe.contact_table import build_contact_table

    records = generate_contacts(400, 3).records
    here = build_contact_table(records, workers=1)
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 1)
    forked = build_contact_table(records, workers=2)
    assert forked.names == here.names
    for name in here.names:
        assert forked.values(name).tolist() == here.values(name).tolist(), name


def _fail_on_three(value: int) -> int:
    if value == 3:
        raise ValueError(f"cannot take {value}")
    return value


def test_a_failing_worker_reraises_here_with_its_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 1)
    with pytest.raises(RuntimeError, match="ValueError: cannot take 3"):
        parallel.map_distinct(_fail_on_three, list(range(8)), workers=2)

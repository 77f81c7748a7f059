"""The merge plan the command line prints: its first items and how many there are, read a
line at a time from merge_plan.json, or whole from a file in another layout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows.dedupe.plan import MergeMethod, MergePlan, plan_preview, write_plan
from tests.flows.dedupe.test_apply import _item, _plan


def _written(path: Path, count: int) -> MergePlan:
    plan = _plan(
        *(
            _item(MergeMethod.REWRITE, "csv", "contacts", f"m{n}", f"d{n}", title=f"经理 {n}")
            for n in range(count)
        )
    )
    write_plan(path, plan)
    return plan


@pytest.mark.parametrize("count", [0, 1, 3, 7])
def test_the_first_items_and_the_count_are_those_of_the_whole_plan(
    tmp_path: Path, count: int
) -> None:
    path = tmp_path / "merge_plan.json"
    plan = _written(path, count)
    found, items = plan_preview(path, 3)
    assert found == count
    assert items == [item.model_dump(mode="json") for item in plan.items[:3]]
    assert MergePlan.model_validate_json(path.read_bytes()) == plan  # still one JSON document


def test_a_plan_in_another_layout_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "merge_plan.json"
    plan = _written(path, 5)
    path.write_text(json.dumps(json.loads(path.read_text()), indent=2, ensure_ascii=False))
    assert plan_preview(path, 2) == (5, [item.model_dump(mode="json") for item in plan.items[:2]])
    path.write_text(json.dumps(json.loads(path.read_text())))  # all on one line
    assert plan_preview(path, 2)[0] == 5

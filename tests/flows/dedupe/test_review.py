from __future__ import annotations

import logging
from pathlib import Path

import pytest

from canonical.dedupe.types import Cluster, ClusterDecision
from flows.dedupe.review import (
    ReviewDecision,
    ReviewFileError,
    apply_decisions,
    parse_decisions,
    read_decisions,
)


def test_a_hand_written_file_parses() -> None:
    text = (
        "\ufeff# reviewed by Li on Monday\n"
        "Entity_ID , Decision , note\n"
        "\n"
        "ent-1,skip,not the same person\n"
        '"ent,2", MERGE\n'
        "ent-1,skip\n"  # a repeat that agrees is harmless
    )
    assert parse_decisions(text) == {"ent-1": ReviewDecision.SKIP, "ent,2": ReviewDecision.MERGE}


def test_a_header_only_file_has_no_decisions() -> None:
    assert parse_decisions("entity_id,decision\r\n") == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", r"decisions.csv: no header; the first line must be 'entity_id,decision'"),
        ("# only a comment\n", "no header"),
        ("id,what\nent-1,skip\n", r"decisions.csv, line 1: the header must start with"),
        ("entity_id,decision\nent-1\n", r"line 2: expected 'entity_id,decision', found 'ent-1'"),
        ("entity_id,decision\n,skip\n", r"line 2: expected 'entity_id,decision'"),
        (
            "entity_id,decision\n# x\nent-1,maybe\n",
            r"line 3: decision for 'ent-1' is 'maybe'; write 'merge' or 'skip'",
        ),
        (
            "entity_id,decision\nent-1,merge\nent-2,skip\nent-1,skip\n",
            r"line 4: 'ent-1' is 'skip' here but 'merge' on line 2; keep one of them",
        ),
    ],
)
def test_errors_name_the_file_and_line(text: str, message: str) -> None:
    with pytest.raises(ReviewFileError, match=message):
        parse_decisions(text, source="decisions.csv")


def test_read_decisions_from_disk_and_its_errors(tmp_path: Path) -> None:
    path = tmp_path / "decisions.csv"
    path.write_text("entity_id,decision\r\nent-9,merge\r\n", encoding="utf-8")
    assert read_decisions(path) == {"ent-9": ReviewDecision.MERGE}

    with pytest.raises(ReviewFileError, match=r"missing.csv: no such decisions file"):
        read_decisions(tmp_path / "missing.csv")

    path.write_bytes("entity_id,decision\nent-9,合并\n".encode("gb18030"))
    with pytest.raises(ReviewFileError, match=r"decisions.csv: not UTF-8 text"):
        read_decisions(path)


def _cluster(decision: ClusterDecision) -> Cluster:
    return Cluster(members=(0, 1), decision=decision, pairs=(), min_probability=0.9)


def test_apply_decisions_honours_skip_and_approval(caplog: pytest.LogCaptureFixture) -> None:
    auto, review = ClusterDecision.AUTO, ClusterDecision.REVIEW
    clusters = [_cluster(d) for d in (auto, auto, auto, review, review, review)]
    ids = ["a-default", "a-skip", "a-merge", "r-default", "r-skip", "r-merge"]
    decisions = {
        "a-skip": ReviewDecision.SKIP,
        "a-merge": ReviewDecision.MERGE,
        "r-skip": ReviewDecision.SKIP,
        "r-merge": ReviewDecision.MERGE,
        "gone": ReviewDecision.MERGE,
    }
    with caplog.at_level(logging.WARNING, logger="flows.dedupe.review"):
        outcome = apply_decisions(clusters, decisions, entity_ids=ids)
    assert [(c.entity_id, c.merge) for c in outcome.clusters] == [
        ("a-default", True),
        ("a-skip", False),
        ("a-merge", True),
        ("r-default", False),
        ("r-skip", False),
        ("r-merge", True),
    ]
    assert outcome.clusters[3].reason == "awaiting review"
    assert outcome.clusters[5].reason == "approved by the reviewer"
    assert [c.entity_id for c in outcome.to_merge] == ["a-default", "a-merge", "r-merge"]
    assert outcome.clusters[5].cluster is clusters[5]
    assert outcome.unknown_entity_ids == ("gone",)
    assert "1 decisions name no cluster" in caplog.text


def test_a_single_is_never_merged() -> None:
    single = Cluster(members=(3,), decision=ClusterDecision.SINGLE, pairs=(), min_probability=1.0)
    outcome = apply_decisions([single], {"s": ReviewDecision.MERGE}, entity_ids=["s"])
    assert outcome.to_merge == ()


def test_apply_decisions_needs_one_entity_id_per_cluster() -> None:
    with pytest.raises(ValueError, match="1 entity ids for 2 clusters"):
        apply_decisions([_cluster(ClusterDecision.AUTO)] * 2, {}, entity_ids=["x"])

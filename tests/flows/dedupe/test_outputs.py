from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from canonical import Account, Contact, Region, SourceRef
from canonical.dedupe.survivorship import GoldenRecord, SurvivorshipRules, golden_record
from canonical.dedupe.types import (
    Cluster,
    ClusterDecision,
    Contribution,
    Resolution,
    ScoredPair,
    StageTiming,
)
from flows.dedupe.outputs import (
    CLUSTER_COLUMNS,
    PAIR_COLUMNS,
    golden_columns,
    read_clusters_json,
    write_clusters_csv,
    write_dedupe_outputs,
    write_golden_csv,
)

EVIL_NAME = '<script>alert("x")</script> & 张伟'


def _contact(system: str, rid: str, name: str, **fields: object) -> Contact:
    source = SourceRef(system=system, object="Contacts", id=rid)
    return Contact.model_validate({"source": source, "name": name, **fields})


@dataclass(frozen=True)
class Sample:
    records: list[Contact]
    resolution: Resolution
    entity_ids: list[str]
    goldens: list[GoldenRecord]


def sample() -> Sample:
    """Two clusters: an AUTO pair and a REVIEW triple with a hostile name in it."""
    records = [
        _contact("zoho", "z1", "王芳", mobile="+8613800138000", email="wf@acme.cn"),
        _contact("csv", "c1", "王 芳", mobile="+8613800138000", title="采购经理"),
        _contact("zoho", "z2", EVIL_NAME, email="zw@acme.cn", region=Region(city="深圳市")),
        _contact("fxiaoke", "f2", "张伟", email="zw@acme.cn", title="CTO"),
        _contact(
            "csv",
            "c2",
            "Zhang Wei",
            title="=HYPERLINK(1)",
            modified_at=datetime(2024, 5, 1, tzinfo=UTC),
        ),
        _contact("csv", "c3", "李雷"),  # a single record, in no cluster
    ]
    strong = (Contribution("mobile", "exact", 9.5), Contribution("name", "jaro>0.9", 3.25))
    weak = (
        Contribution("email", "exact", 8.0),
        Contribution("name", "pinyin", 2.0),
        Contribution("mobile", "different", -4.5),
        Contribution("title", "else", -0.25),
    )
    auto = Cluster(
        members=(0, 1),
        decision=ClusterDecision.AUTO,
        pairs=(ScoredPair(0, 1, 0.999, 12.5, strong),),
        min_probability=0.999,
    )
    review = Cluster(
        members=(2, 3, 4),
        decision=ClusterDecision.REVIEW,
        pairs=(ScoredPair(2, 3, 0.97, 5.0, weak), ScoredPair(3, 4, 0.62, 0.7, weak[1:])),
        min_probability=0.62,
    )
    resolution = Resolution(
        clusters=(auto, review),
        pairs_compared=17,
        timings=(StageTiming("blocking", 0.012, 6), StageTiming("scoring", 0.034, 17)),
        model=None,  # type: ignore[arg-type]  # outputs and report never read the model
    )
    rules = SurvivorshipRules(source_priority=("zoho", "fxiaoke", "csv"))
    goldens = [golden_record([records[i] for i in c.members], rules) for c in resolution.clusters]
    return Sample(records, resolution, ["ent-a,1", "ent-b"], goldens)


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_all_outputs_round_trip(tmp_path: Path) -> None:
    s = sample()
    out = write_dedupe_outputs(
        tmp_path / "out", s.resolution, s.records, s.entity_ids, s.goldens, model=Contact
    )

    members = _read_csv(out.clusters_csv)
    assert tuple(members[0]) == CLUSTER_COLUMNS
    assert [(r["entity_id"], r["source.system"], r["source.id"]) for r in members] == [
        ("ent-a,1", "zoho", "z1"),
        ("ent-a,1", "csv", "c1"),
        ("ent-b", "zoho", "z2"),
        ("ent-b", "fxiaoke", "f2"),
        ("ent-b", "csv", "c2"),
    ]
    assert {r["decision"] for r in members[2:]} == {"review"}
    assert members[0]["min_probability"] == "0.999000"
    assert members[2]["size"] == "3"
    assert members[2]["name"] == EVIL_NAME

    pairs = _read_csv(out.pairs_csv)
    assert tuple(pairs[0]) == PAIR_COLUMNS
    assert pairs[1] == {
        "entity_id": "ent-b",
        "left": "zoho:Contacts:z2",
        "right": "fxiaoke:Contacts:f2",
        "probability": "0.970000",
        "weight": "5.0000",
        # the three strongest reasons by absolute weight, strongest first
        "contributions": "email=exact:+8.00; mobile=different:-4.50; name=pinyin:+2.00",
    }

    doc = read_clusters_json(out.clusters_json)
    assert [c.entity_id for c in doc.clusters] == s.entity_ids
    review = doc.clusters[1]
    assert review.decision is ClusterDecision.REVIEW
    assert review.min_probability == 0.62
    assert [str(m) for m in review.members] == [
        "zoho:Contacts:z2",
        "fxiaoke:Contacts:f2",
        "csv:Contacts:c2",
    ]
    assert review.pairs[1].probability == 0.62
    assert [c.comparison for c in review.pairs[1].contributions] == ["mobile", "name", "title"]
    raw = json.loads(out.clusters_json.read_text(encoding="utf-8"))
    assert raw["format"] == "crmbridge.dedupe.clusters"
    assert raw["version"] == 1

    golden = _read_csv(out.golden_csv)
    assert tuple(golden[0]) == golden_columns(Contact)
    assert [g["entity_id"] for g in golden] == s.entity_ids
    first, second = golden
    assert (first["source.system"], first["source.id"]) == ("zoho", "z1")
    assert first["title"] == "采购经理"
    assert first["lineage.title"] == "csv:Contacts:c1"
    assert first["lineage.email"] == ""  # came from the master
    assert (second["source.id"], second["region.city"]) == ("z2", "深圳市")
    # A formula from user data is neutralised, as everywhere CsvWriter writes.
    assert second["title"] == "'=HYPERLINK(1)"
    assert second["lineage.title"] == "csv:Contacts:c2"


def test_no_clusters_still_writes_headers(tmp_path: Path) -> None:
    empty = Resolution(clusters=(), pairs_compared=0, timings=(), model=None)  # type: ignore[arg-type]
    out = write_dedupe_outputs(tmp_path, empty, [], [], [], model=Contact)
    assert out.golden_csv.read_text(encoding="utf-8").startswith("entity_id,source.system")
    assert _read_csv(out.clusters_csv) == []
    assert read_clusters_json(out.clusters_json).clusters == ()


def test_misaligned_entity_ids_are_refused_and_leave_no_file(tmp_path: Path) -> None:
    s = sample()
    path = tmp_path / "clusters.csv"
    with pytest.raises(ValueError, match="1 entity ids for 2 clusters"):
        write_clusters_csv(path, s.resolution.clusters, s.records, ["only-one"])
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_keeps_the_previous_file(tmp_path: Path) -> None:
    s = sample()
    path = tmp_path / "golden.csv"
    path.write_text("previous\n", encoding="utf-8")
    with pytest.raises(ValueError, match="is a Contact, but this file holds Account"):
        write_golden_csv(path, s.goldens, s.entity_ids, model=Account)
    assert path.read_text(encoding="utf-8") == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["golden.csv"]

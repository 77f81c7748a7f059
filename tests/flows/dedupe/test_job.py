"""The dedupe job on CSV files: the bundled samples, plan and apply through the command line."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bench.dedupe.csv_export import write_csv
from bench.dedupe.generator import generate_contacts
from flows.cli import app
from flows.config import JobKind, load_config
from flows.dedupe.outputs import read_clusters_json
from flows.dedupe.plan import MergePlan
from flows.runner import run_job
from flows.store import StateStore

REPO = Path(__file__).resolve().parents[3]
MAPPING = REPO / "mapping" / "files" / "csv_contacts.yaml"
SAMPLES = REPO / "flows" / "samples"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CRMBRIDGE_STATE_URL", raising=False)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)


def _project(tmp_path: Path, sources: list[Path], *, target: bool = True) -> Path:
    lines = [
        "version: 1",
        "jobs:",
        "  - name: people",
        "    kind: dedupe",
        "    sources:",
        *[
            f"      - {{system: csv, object: contacts, path: {s}, mapping: {MAPPING}}}"
            for s in sources
        ],
        *(
            ["    targets:", "      - {system: csv, object: contacts, path: out/deduplicated.csv}"]
            if target
            else []
        ),
        "    rejects: {path: out/rejects.csv}",
        "    dedupe:",
        "      outputs: out/people",
        "      survivorship: {default: most_complete, fields: {tier: most_recent}}",
    ]
    path = tmp_path / "flows.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def _generated_csv(directory: Path) -> Path:
    path = directory / "contacts.csv"
    write_csv(generate_contacts(300, seed=21), path)
    return path


def test_the_bundled_flows_yaml_keeps_sample_first_and_adds_sample_dedupe() -> None:
    config = load_config(REPO / "flows.yaml")
    assert config.default_job.name == "sample"
    job = config.job("sample-dedupe")
    assert job.kind is JobKind.DEDUPE
    assert {s.path for s in job.sources} == {
        SAMPLES / "customers_en.csv",
        SAMPLES / "customers_cn.csv",
    }


def test_sample_data_gives_a_report_golden_records_and_stable_entities(tmp_path: Path) -> None:
    config = load_config(
        _project(tmp_path, [SAMPLES / "customers_en.csv", SAMPLES / "customers_cn.csv"])
    )
    job = config.job("people")
    report = run_job(config, job)
    out = tmp_path / "out" / "people"
    assert report.outputs["report"] == out / "report.html"
    html = (out / "report.html").read_text(encoding="utf-8")
    clusters = read_clusters_json(out / "clusters.json").clusters
    golden = _rows(out / "golden.csv")
    assert [row["entity_id"] for row in golden] == [c.entity_id for c in clusters]
    assert all(c.entity_id in html for c in clusters)
    assert report.counts["read"] == 26  # both sample files' rows, the bad ones included
    assert report.rejected == 4  # the samples' rows without a name or with extra cells
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["counts"]["records"] == 22  # odd phones, emails and dates do not cost a record
    assert summary["counts"]["clusters"] == len(clusters)
    assert summary["counts"]["auto"] + summary["counts"]["review"] == len(clusters)
    assert {"read", "match", "outputs"} <= set(summary["timings"])
    assert report.message is not None and "22 records" in report.message
    duplicates = summary["counts"]["duplicates"]
    assert 0 < duplicates == sum(source.duplicates for source in report.sources)

    again = run_job(config, job)
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["index"]["mode"] == (
        "incremental"
    )
    later = read_clusters_json(out / "clusters.json").clusters
    assert {(c.entity_id, c.members) for c in later} == {(c.entity_id, c.members) for c in clusters}
    assert again.run_id != report.run_id


def test_cli_plans_by_default_and_changes_nothing(tmp_path: Path) -> None:
    config = _project(tmp_path, [_generated_csv(tmp_path)])
    code, output = _invoke("dedupe", "people", "--config", str(config))
    assert code == 0, output
    assert "merge plan" in output
    assert "dry run: nothing was changed" in output
    plan = MergePlan.model_validate_json((tmp_path / "out/people/merge_plan.json").read_bytes())
    assert plan.counts()["merge"] > 0  # the generated set has clusters the engine merges alone
    assert not (tmp_path / "out" / "deduplicated.csv").exists()


def test_cli_apply_honours_the_decisions_and_writes_the_deduplicated_file(tmp_path: Path) -> None:
    source = _generated_csv(tmp_path)
    config = _project(tmp_path, [source])
    code, output = _invoke("dedupe", "--config", str(config))  # the first dedupe job
    assert code == 0, output
    plan = MergePlan.model_validate_json((tmp_path / "out/people/merge_plan.json").read_bytes())
    auto = [i for i in plan.items if i.decision == "auto"]
    review = [i for i in plan.items if i.decision == "review"]
    assert len(auto) >= 2
    assert review, "the generated set has clusters the engine is unsure of"
    skipped, approved, waiting = auto[0], review[0], review[1:]
    decisions = tmp_path / "decisions.csv"
    decisions.write_text(
        f"entity_id,decision\n{skipped.entity_id},skip\n{approved.entity_id},merge\n",
        encoding="utf-8",
    )

    code, output = _invoke(
        "dedupe", "people", "--apply", "--decisions", str(decisions), "-c", str(config)
    )
    assert code == 0, output
    assert "no system was changed: nothing to undo" in output
    rows = _rows(tmp_path / "out" / "deduplicated.csv")
    ids = Counter(row["source.id"] for row in rows)
    assert max(ids.values()) == 1
    merged = [i for i in auto[1:]] + [approved]
    gone = {d for item in merged for d in item.duplicate_ids}
    kept = {skipped.master_id, *skipped.duplicate_ids}
    kept |= {r for item in waiting for r in (item.master_id, *item.duplicate_ids)}
    assert not gone & ids.keys()
    assert kept <= ids.keys()
    assert len(rows) == len(_rows(source)) - len(gone)
    # A merged cluster's master row carries its golden record (entity id as the id).
    golden = {row["entity_id"]: row for row in _rows(tmp_path / "out/people/golden.csv")}
    master = next(row for row in rows if row["source.id"] == approved.master_id)
    assert master["id"] == approved.entity_id
    assert master["mobile"] == golden[approved.entity_id]["mobile"]
    assert master["email"] == golden[approved.entity_id]["email"]
    with StateStore.open(load_config(config).state_url) as store:
        run = store.runs.recent(job="people", limit=1)[0]
        assert store.undo.entries(run.id) == []  # the CSV sources themselves are untouched


def test_a_bad_decisions_file_is_a_configuration_error(tmp_path: Path) -> None:
    config = _project(tmp_path, [SAMPLES / "customers_en.csv"], target=False)
    decisions = tmp_path / "decisions.csv"
    decisions.write_text("entity_id,decision\nabc,maybe\n", encoding="utf-8")
    code, output = _invoke("dedupe", "people", "--decisions", str(decisions), "-c", str(config))
    assert code == 2
    assert "decision for 'abc' is 'maybe'" in output


def test_every_stage_is_announced_with_how_far_it_will_count(tmp_path: Path) -> None:
    config = load_config(_project(tmp_path, [_generated_csv(tmp_path)]))
    started: list[tuple[str, int | None]] = []
    done: Counter[str] = Counter()
    run_job(
        config,
        config.job("people"),
        progress=lambda label, count: done.update({label: count}),
        stage=lambda label, total: started.append((label, total)),
    )
    labels = [label for label, _ in started]
    read = next(label for label in labels if label.endswith("contacts.csv"))
    assert labels[0] == read and dict(started)[read] == 300  # the file's rows, for the ETA
    assert done[read] == 300
    engine = ["features", "blocking", "comparing", "estimating", "scoring", "clustering"]
    assert labels[1:] == [*(f"match.{s}" for s in engine), "match.index", "plan", "outputs"]
    assert done["match.index"] == 300  # the index counts the records it wrote


def test_columns_the_mapping_does_not_read_are_named_in_the_summary(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text(
        "编号,来源,原编号,姓名,手机\n1,纷享销客,F-1,张伟,13800138000\n2,Zoho CRM,Z-9,张伟,13800138000\n",
        encoding="utf-8",
    )
    config = load_config(_project(tmp_path, [people]))
    run_job(config, config.job("people"))
    summary = json.loads((tmp_path / "out" / "people" / "summary.json").read_text("utf-8"))
    assert list(summary["unused_columns"].values()) == ["来源, 原编号"]


def test_one_source_counts_every_member_but_the_master_as_a_duplicate(tmp_path: Path) -> None:
    config = load_config(_project(tmp_path, [_generated_csv(tmp_path)], target=False))
    report = run_job(config, config.job("people"))
    summary = json.loads((tmp_path / "out" / "people" / "summary.json").read_text())
    clusters = read_clusters_json(tmp_path / "out" / "people" / "clusters.json").clusters
    (source,) = report.sources
    assert source.duplicates == summary["counts"]["duplicates"] > 0
    assert source.duplicates == sum(len(c.members) - 1 for c in clusters)

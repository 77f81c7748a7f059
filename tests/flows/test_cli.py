"""The crmbridge command line end to end: the default job, exit codes, history and rejects."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app

REPO = Path(__file__).resolve().parents[2]
MAPPING = REPO / "mapping" / "files" / "csv_contacts.yaml"


def _project(tmp_path: Path, sources: list[str], extra: str = "") -> Path:
    lines = [
        "version: 1",
        "jobs:",
        "  - name: sample",
        "    kind: normalise",
        "    sources:",
        *[
            f"      - {{system: csv, object: contacts, path: {s}, mapping: {MAPPING}}}"
            for s in sources
        ],
        "    targets:",
        "      - {system: csv, object: contacts, path: out/contacts.csv}",
        "    rejects: {path: out/rejects.csv}",
        "    options: {dedupe_exact: true}",
    ]
    config = tmp_path / "flows.yaml"
    config.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return config


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def sample_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("customers_en.csv", "customers_cn.csv"):
        shutil.copy(REPO / "flows" / "samples" / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.delenv("CRMBRIDGE_STATE_URL", raising=False)
    return _project(tmp_path, ["customers_en.csv", "customers_cn.csv"])


def test_default_job_on_the_samples_writes_canonical_csv_and_rejects(sample_project: Path) -> None:
    code, output = _invoke("run", "--config", str(sample_project))
    assert code == 3, output  # finished with rejects: the samples are dirty on purpose
    out = sample_project.parent / "out"
    contacts = _rows(out / "contacts.csv")
    rejects = _rows(out / "rejects.csv")
    duplicates = _rows(out / "sample-duplicates.csv")
    by_id = {r["source.id"]: r for r in contacts}
    # English UTF-8 and Chinese GBK rows both arrive, normalised.
    assert by_id["EN-001"]["mobile"] == "+8613800138000"
    assert by_id["EN-001"]["email"] == "zhang.wei@example.com"
    assert by_id["EN-012"]["mobile"] == "+8613900139002"  # full-width digits
    assert by_id["CN-001"]["name"] == "张伟"
    assert by_id["CN-001"]["phone"] == "+861065529988"
    assert by_id["CN-001"]["phone_ext"] == "123"
    assert by_id["CN-004"]["family_name"] == "欧阳"
    assert by_id["CN-004"]["tier"] == "strategic"
    assert by_id["CN-002"]["email"] == "wang.fang@xn--fsqu00a.xn--fiqs8s"
    # Every odd value is listed with its row number, reason and what became of it; a record
    # is rejected only when its required name is missing or its row is malformed.
    outcomes = {(r["source"], r["field"]): r["outcome"] for r in rejects}
    assert outcomes[("csv:contacts:EN-006", "mobile")] == "kept_raw"
    assert outcomes[("csv:contacts:EN-007", "email")] == "dropped"
    assert outcomes[("csv:contacts:EN-008", "name")] == "rejected"
    assert outcomes[("csv:contacts:EN-011", "tier")] == "dropped"
    assert outcomes[("csv:contacts:EN-014", "created_at")] == "dropped"
    assert outcomes[("csv:contacts:CN-007", "mobile")] == "kept_raw"
    assert outcomes[("csv:contacts:CN-008", "email")] == "dropped"
    assert outcomes[("csv:contacts:CN-009", "name")] == "rejected"
    # A value kept as written travels with its record.
    assert by_id["EN-006"]["mobile"] == ""
    assert json.loads(by_id["EN-006"]["raw_values"]) == {"mobile": "12345"}
    ragged = [r for r in rejects if "fields" in r["reason"]]
    assert {r["source"] for r in ragged} == {
        "csv:contacts:customers_en.csv:10",
        "csv:contacts:customers_cn.csv:11",
    }
    assert all(r["row"] for r in rejects)
    assert {d["source"]: d["duplicate_of"] for d in duplicates} == {
        "csv:contacts:EN-010": "csv:contacts:EN-002",
        "csv:contacts:CN-011": "csv:contacts:CN-002",
    }
    read = 14 + 12
    refused = [r for r in rejects if r["outcome"] == "rejected"]
    assert len(contacts) + len(refused) + len(duplicates) == read
    assert (out / "sample-quality.html").exists()
    assert "finished_with_rejects" in output


def test_runs_and_rejects_show_the_history(sample_project: Path) -> None:
    _invoke("run", "--config", str(sample_project))
    code, output = _invoke("runs", "--config", str(sample_project))
    assert code == 0
    assert "sample" in output and "finished_with_rejects" in output
    code, output = _invoke("rejects", "--config", str(sample_project))
    assert code == 0
    assert "4 open rejects" in output
    assert "EN-008" in output


def test_a_fixed_row_resolves_its_dead_letter_on_the_next_run(
    sample_project: Path, store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Runs once with the default SQLite file and once with the state store on PostgreSQL.
    if store_url.startswith("postgresql"):
        monkeypatch.setenv("CRMBRIDGE_STATE_URL", store_url)
    _invoke("run", "--config", str(sample_project))
    source = sample_project.parent / "customers_en.csv"
    text = source.read_text(encoding="utf-8").replace("EN-008,,", "EN-008,Nameless Found,")
    source.write_text(text, encoding="utf-8")
    code, output = _invoke("run", "--config", str(sample_project))
    assert code == 3
    assert "1 earlier rejects now map and were resolved" in output
    _, output = _invoke("rejects", "--config", str(sample_project))
    assert "3 open rejects" in output
    assert "EN-008" not in output


def test_clean_data_exits_0(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "clean.csv").write_text("name,mobile\nAnna,13800138000\n", encoding="utf-8")
    config = _project(tmp_path, ["clean.csv"])
    code, output = _invoke("run", "--config", str(config))
    assert code == 0, output
    assert "succeeded" in output


def test_configuration_errors_exit_2_with_file_and_line(tmp_path: Path) -> None:
    config = tmp_path / "flows.yaml"
    config.write_text("version: 1\njobs:\n  - name: x\n    kind: normalize\n", encoding="utf-8")
    code, output = _invoke("run", "--config", str(config))
    assert code == 2
    assert "flows.yaml:4" in output
    code, _ = _invoke("validate", "--config", str(config))
    assert code == 2


def test_missing_config_exits_2(tmp_path: Path) -> None:
    code, output = _invoke("run", "--config", str(tmp_path / "nope.yaml"))
    assert code == 2
    assert "nope.yaml" in output


def test_unknown_job_exits_2_with_did_you_mean(sample_project: Path) -> None:
    code, output = _invoke("run", "smaple", "--config", str(sample_project))
    assert code == 2
    assert "sample" in output


def test_a_failure_exits_1_and_is_journaled(sample_project: Path) -> None:
    (sample_project.parent / "customers_cn.csv").unlink()
    code, output = _invoke("run", "--config", str(sample_project))
    assert code == 1, output
    assert "customers_cn.csv" in output
    _, history = _invoke("runs", "--config", str(sample_project))
    assert "failed" in history


def test_validate_and_jobs(sample_project: Path) -> None:
    code, output = _invoke("validate", "--config", str(sample_project))
    assert code == 0, output
    assert "1 jobs and 1 mapping files are valid" in output
    code, output = _invoke("jobs", "--config", str(sample_project))
    assert code == 0
    assert "normalise" in output


def test_validate_checks_the_mapping_files_of_targets_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sandbox = REPO / "flows" / "samples" / "sandbox"
    for line in (sandbox / "sandbox.env").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            monkeypatch.setenv(name, value)
    code, output = _invoke("validate", "--config", str(sandbox / "flows.yaml"))
    assert code == 0, output
    # Three Fxiaoke source mappings and three Zoho target mappings (zoho_notes only as a target).
    assert "2 jobs and 6 mapping files are valid" in output


def test_a_mapping_column_the_file_lacks_is_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nameless.csv").write_text("mobile\n13800138000\n", encoding="utf-8")
    config = _project(tmp_path, ["nameless.csv"])
    code, output = _invoke("run", "--config", str(config))
    assert code == 2, output
    assert "column 'name' is required" in output


def test_a_job_that_is_already_running_exits_1_naming_the_holder(sample_project: Path) -> None:
    from flows.config import load_config
    from flows.store import StateStore

    config = load_config(sample_project)
    with StateStore.open(config.state_url) as store, store.lock("sample"):
        code, output = _invoke("run", "--config", str(sample_project))
    assert code == 1
    assert "job 'sample' is already running: locked by" in output
    code, _ = _invoke("run", "--config", str(sample_project))
    assert code == 3  # the lock is free again once its holder lets go


def test_sandbox_names_the_systems_it_knows() -> None:
    code, output = _invoke("sandbox", "salesforce")
    assert code == 2
    assert "No such command 'salesforce'" in output
    code, output = _invoke("sandbox", "--help")
    assert code == 0
    assert "zoho" in output and "fxiaoke" in output


def test_sandbox_passes_its_options_through() -> None:
    code, output = _invoke("sandbox", "fxiaoke", "--help")
    assert code == 0
    assert "--fault-rate" in output

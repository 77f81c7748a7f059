"""The run history tells the truth at once: a refused run is journaled, and a killed run
shows as aborted with what it committed, without waiting for the job's next run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.store import OutcomeStatus, RunStatus, StateStore, WriteOutcome

MAPPING = Path(__file__).resolve().parents[2] / "mapping" / "files" / "csv_contacts.yaml"


def _project(tmp_path: Path, store_url: str) -> Path:
    (tmp_path / "in.csv").write_text("name,mobile\n张三,13800138000\n", encoding="utf-8")
    config = tmp_path / "flows.yaml"
    config.write_text(
        f"version: 1\nstate: {{url: '{store_url}'}}\njobs:\n  - name: n\n    kind: normalise\n"
        f"    sources: [{{system: csv, object: c, path: in.csv, mapping: {MAPPING}}}]\n"
        "    targets: [{system: csv, object: c, path: out.csv}]\n",
        encoding="utf-8",
    )
    return config


def _runs(config: Path) -> list[dict[str, object]]:
    result = CliRunner().invoke(app, ["runs", "--json", "--config", str(config)])
    assert result.exit_code == 0, result.output
    runs: list[dict[str, object]] = json.loads(result.output)["runs"]
    return runs


def test_a_run_refused_because_another_holds_the_lock_is_journaled(
    tmp_path: Path, store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CRMBRIDGE_STATE_URL", raising=False)
    config = _project(tmp_path, store_url)
    with StateStore.open(store_url) as store, store.lock("n"):
        result = CliRunner().invoke(app, ["run", "n", "--config", str(config)])
    assert result.exit_code == 1
    assert "is running" in result.output or "lock" in result.output
    (refused,) = _runs(config)
    assert refused["status"] == RunStatus.FAILED.value
    assert str(refused["message"]).startswith("refused: ")


def test_a_killed_run_shows_as_aborted_with_what_it_committed(
    tmp_path: Path, store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CRMBRIDGE_STATE_URL", raising=False)
    config = _project(tmp_path, store_url)
    # A process that held the job's lock, journaled a run and committed 3 creates, then died.
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    dead_pid = int(gone.stdout)
    with StateStore.open(store_url) as store:
        run = store.runs.start("n", "sync")
        outcomes = [
            WriteOutcome("zoho", "Contacts", "create", OutcomeStatus.CREATED, str(i))
            for i in range(3)
        ]
        store.outcomes.record(run.id, outcomes)
        with monkeypatch.context() as patch:  # the lock as that process left it
            patch.setattr("flows.store.locks.os.getpid", lambda: dead_pid)
            store.locks.acquire("n", "the-dead-process")
    (shown,) = _runs(config)
    assert shown["status"] == RunStatus.ABORTED.value
    assert shown["counts"] == {"created": 3}
    assert shown["message"] == "the process ended before the run finished"


def test_a_plain_run_stops_at_its_timeout_after_its_last_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CRMBRIDGE_STATE_URL", raising=False)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    rows = "".join(f"{i},张{i},138{i:08d}\n" for i in range(40_000))
    (tmp_path / "in.csv").write_text("id,name,mobile\n" + rows, encoding="utf-8")
    config = tmp_path / "flows.yaml"
    config.write_text(
        "version: 1\njobs:\n  - name: slow\n    kind: normalise\n    timeout_seconds: 1\n"
        f"    sources: [{{system: csv, object: c, path: in.csv, mapping: {MAPPING}}}]\n"
        "    targets: [{system: csv, object: c, path: out.csv}]\n"
        "    options: {workers: 1}\n",
        encoding="utf-8",
    )
    clock = iter(range(0, 10_000, 2))  # every progress report is two seconds later
    monkeypatch.setattr("flows.runner.time.monotonic", lambda: float(next(clock)))
    result = CliRunner().invoke(app, ["run", "slow", "--config", str(config)])
    assert result.exit_code == 1
    assert "ran past its timeout_seconds (1 s)" in result.output
    (journaled,) = _runs(config)
    assert journaled["status"] == RunStatus.FAILED.value
    assert not (tmp_path / "out.csv").exists()  # an output is whole or not there at all

"""Backup and restore (数据备份) through both sandboxes.

A two-way sync runs with ``backup:``; its second run changes records on both sides, and the
run's backup file holds each of them as it was. Then ``crmbridge state export`` writes the
store to a file, ``state import`` loads it into a new SQLite store and a new PostgreSQL
schema (when CRMBRIDGE_TEST_POSTGRES_URL is set), and a rerun on each restored store writes
nothing to either CRM: the restored crosswalk, ledger, shadow and watermarks know it all.
"""

from __future__ import annotations

import gzip
import json
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.backup import read_backup
from flows.cli import app
from flows.config import load_config
from flows.runner import run_job
from flows.store import StateStore
from tests.flows.e2e.harness import (
    SEEDED_AT,
    Harness,
    fxiaoke_credentials,
    fxiaoke_write_calls,
    harness,
    job,
    written,
    zoho_write_calls,
)
from tests.flows.e2e.stores import fresh_state_url, postgres_url
from tests.flows.sandboxes import fxiaoke_sandbox, seed_fxiaoke, zoho_sandbox

JOB = "zoho-fxiaoke"
SYNC = {"direction": "two_way", "match_on": ["email", "mobile"]}


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    """Fxiaoke's records copied to Zoho, then one edit on each side carried across."""
    directory = tmp_path_factory.mktemp("backup")
    spec = job(JOB, "sync", "zoho", "fxiaoke", ["account", "contact"], SYNC)
    spec["backup"] = {"path": str(directory / "backups")}
    with (
        zoho_sandbox() as zoho,
        fxiaoke_sandbox(credentials=fxiaoke_credentials()) as fxiaoke,
        harness(directory, [spec], zoho, fxiaoke) as h,
    ):
        seeded = seed_fxiaoke(fxiaoke, accounts=3, contacts=12, modified=SEEDED_AT)
        first = h.run(JOB)
        assert written(first)["created"] == 15 and "backup" not in first.outputs  # no change
        with zoho.store.lock:  # someone edits a title in each CRM
            record = zoho.store.records("Contacts")[0]
            record.values["Title"] = "首席财务官"
            record.modified = datetime.now(UTC).timestamp()
        with fxiaoke.store.lock:
            row = fxiaoke.store.live("ContactObj")[seeded.contacts[5]]
            row["job_title"] = "采购总监"
            fxiaoke.store.touch(row, None)
        h.second = h.run(JOB)  # type: ignore[attr-defined]
        yield h


def test_a_run_backs_up_the_records_it_changes_as_they_were(synced: Harness) -> None:
    report = synced.second  # type: ignore[attr-defined]
    assert written(report)["updated"] == 2
    path = report.outputs["backup"]
    assert path.name == f"{JOB}-{report.run_id}.jsonl.gz"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    records = read_backup(path)
    assert {(r["system"], r["action"]) for r in records} == {
        ("zoho", "updated"), ("fxiaoke", "updated"),
    }  # fmt: skip
    befores = {r["system"]: r["before"] for r in records}
    assert befores["fxiaoke"]["job_title"] != "首席财务官"  # the value before the change
    assert befores["zoho"]["Title"] != "采购总监"
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        assert json.loads(next(lines))["format"] == "crmbridge.backup"


def _fresh_stores(base: Path) -> Iterator[str]:
    with fresh_state_url(base / "restored", "sqlite") as url:
        yield url
    if postgres_url() is not None:
        with fresh_state_url(base, "postgresql") as url:
            yield url


def test_export_then_import_into_a_fresh_store_and_a_rerun_writes_nothing(
    synced: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exported = tmp_path / "state.jsonl.gz"
    runner = CliRunner()
    result = runner.invoke(app, ["state", "export", str(exported), "--config", str(synced.path)])
    assert result.exit_code == 0, result.output
    assert "exported" in result.output and stat.S_IMODE(exported.stat().st_mode) == 0o600
    with gzip.open(exported, "rt", encoding="utf-8") as lines:
        header = json.loads(next(lines))
        body = lines.read()
    assert header["format"] == "crmbridge.state" and header["revision"] == "0009"
    assert '"table":"access_tokens"' not in body  # a credential never travels in a backup
    with StateStore.open(synced.config.state_url) as original:
        links = original.crosswalk.count("zoho", "Contacts")

    for url in _fresh_stores(tmp_path):
        monkeypatch.setenv("CRMBRIDGE_STATE_URL", url)
        result = runner.invoke(
            app, ["state", "import", str(exported), "--config", str(synced.path), "--json"]
        )
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["rows"]["crosswalk"] > 0
        again = runner.invoke(app, ["state", "import", str(exported), "--config", str(synced.path)])
        assert again.exit_code == 1 and "already holds data" in again.output

        restored = load_config(synced.path)
        assert restored.state_url == url
        with StateStore.open(url) as store:
            assert store.crosswalk.count("zoho", "Contacts") == links
        zoho, fxiaoke = zoho_write_calls(synced.zoho), fxiaoke_write_calls(synced.fxiaoke)
        rerun = run_job(restored, restored.job(JOB))
        assert written(rerun)["created"] == 0 and written(rerun)["updated"] == 0
        assert (zoho_write_calls(synced.zoho), fxiaoke_write_calls(synced.fxiaoke)) == (
            zoho, fxiaoke,
        )  # fmt: skip


def test_a_damaged_export_is_refused_and_imports_nothing(synced: Harness, tmp_path: Path) -> None:
    from flows.store.export import StateFileError, export_state, import_state

    path = tmp_path / "state.jsonl.gz"
    with StateStore.open(synced.config.state_url) as store:
        export_state(store, path)
    data = gzip.decompress(path.read_bytes()).decode().splitlines()
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(gzip.compress("\n".join(data[:-5]).encode()))
    with StateStore.open(tmp_path / "new.db") as store:
        with pytest.raises(StateFileError, match=r"cut short|do not match"):
            import_state(store, cut)
        assert store.crosswalk.count("zoho", "Contacts") == 0  # all or nothing
        (tmp_path / "other.txt").write_text("hello", encoding="utf-8")
        with pytest.raises(StateFileError, match="not a readable state export"):
            import_state(store, tmp_path / "other.txt")

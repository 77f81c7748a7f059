"""`crmbridge plan`, `apply`, `run`, `reconcile` and `undo` on a sync job, over the sandboxes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.config import load_config
from flows.jobs.sync import open_job_systems
from tests.flows.sandboxes import (
    fxiaoke_sandbox,
    mapping_file,
    seed_zoho,
    write_flows_yaml,
    zoho_sandbox,
)

JOB = {
    "name": "accounts",
    "kind": "sync",
    "sources": [
        {"system": "zoho", "object": "Accounts", "mapping": mapping_file("zoho_accounts.yaml")}
    ],
    "targets": [
        {
            "system": "fxiaoke",
            "object": "AccountObj",
            "mapping": mapping_file("fxiaoke_accounts.yaml"),
        }
    ],
    "sync": {"owners": {"fallback": "admin@example.com"}},
}


def _names(config: Path) -> list[str]:
    cfg = load_config(config)
    system = open_job_systems(cfg.job("accounts"), cfg)["fxiaoke"]
    return sorted(str(r.fields["name"]) for page in system.read("AccountObj") for r in page)


def test_plan_apply_run_and_undo_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    with zoho_sandbox() as zoho, fxiaoke_sandbox() as fxiaoke:
        seed_zoho(zoho, accounts=3)
        config = write_flows_yaml(tmp_path, [JOB], monkeypatch, zoho=zoho, fxiaoke=fxiaoke)
        plan_file = tmp_path / "plan.json"

        planned = runner.invoke(app, ["plan", "accounts", "-c", str(config), "-o", str(plan_file)])
        assert planned.exit_code == 0, planned.output
        assert "plan saved to" in planned.output
        assert _names(config) == []

        applied = runner.invoke(app, ["apply", str(plan_file), "-c", str(config), "--json"])
        assert applied.exit_code == 0, applied.output
        report = json.loads(applied.stdout)
        assert report["actions"] == {"fxiaoke:AccountObj": {"created": 3}}
        assert report["refused"] == []
        assert len(_names(config)) == 3

        rerun = runner.invoke(app, ["run", "accounts", "-c", str(config)])
        assert rerun.exit_code == 0, rerun.output
        assert len(_names(config)) == 3  # nothing created twice

        checked = runner.invoke(app, ["reconcile", "accounts", "-c", str(config)])
        assert checked.exit_code == 0, checked.output  # 0: the target holds what the source holds

        undone = runner.invoke(app, ["undo", report["run_id"][:8], "-c", str(config), "--json"])
        assert undone.exit_code == 0, undone.output
        assert json.loads(undone.stdout) == {
            "run_id": report["run_id"],
            "undone": {"created": 3},
            "watermarks_restored": 0,  # an applied plan moves none; the `run` above did
            "failed": [],
        }
        assert _names(config) == []
        again = runner.invoke(app, ["undo", report["run_id"], "-c", str(config)])
        assert "nothing (left) to undo" in again.output
        # Not a dead end: the next run loads the undone records again, once, although the
        # later `run` moved the watermark past them.
        reloaded = runner.invoke(app, ["run", "accounts", "-c", str(config)])
        assert reloaded.exit_code == 0, reloaded.output
        assert len(_names(config)) == 3
        assert runner.invoke(app, ["run", "accounts", "-c", str(config)]).exit_code == 0
        assert len(_names(config)) == 3


def test_plan_lists_records_that_do_not_map_and_exits_3_like_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    with zoho_sandbox() as zoho, fxiaoke_sandbox() as fxiaoke:
        seed_zoho(zoho, accounts=2)
        # A name of spaces only: the account's required name is missing.
        bad = zoho.store.add("Accounts", {"Account_Name": " ", "Employees": 12})
        config = write_flows_yaml(tmp_path, [JOB], monkeypatch, zoho=zoho, fxiaoke=fxiaoke)

        planned = runner.invoke(app, ["plan", "accounts", "-c", str(config), "--json"])
        assert planned.exit_code == 3, planned.output
        data = json.loads(planned.stdout)
        assert data["counts"]["create"] == 2
        assert data["run"]["counts"]["read"] == 3
        assert data["run"]["counts"]["rejected"] == 1
        assert [(r["source"], r["field"]) for r in data["rejects"]] == [
            (f"zoho:Accounts:{bad}", "name")
        ]
        shown = runner.invoke(app, ["plan", "accounts", "-c", str(config)])
        assert shown.exit_code == 3, shown.output
        assert "1 records do not map" in shown.output and f"zoho:Accounts:{bad}" in shown.output
        assert _names(config) == []  # a plan writes nothing to any system
        letters = runner.invoke(app, ["rejects", "-c", str(config)])
        assert bad in letters.output  # kept as a dead letter, as `run` keeps it

        ran = runner.invoke(app, ["run", "accounts", "-c", str(config)])
        assert ran.exit_code == 3, ran.output  # the same verdict as the plan's
        assert len(_names(config)) == 2

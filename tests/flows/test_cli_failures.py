"""What used to end in a traceback ends in one clear line and an exit code instead."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from connectors.http import RetriableAPIError
from flows.cli import app

MIGRATION = """\
version: 1
systems:
  fx: {type: fxiaoke, app_id: a, app_secret: "${S}", permanent_code: "${P}",
       current_open_user_id: u, base_url: "http://127.0.0.1:9"}
jobs:
  - name: m
    kind: migrate
    sources: [{system: fx, object: AccountObj, mapping: MAPPING}]
    targets: [{system: csv, object: accounts, path: out.csv}]
"""


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_reconcile_against_a_rate_limiting_system_fails_with_its_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mapping = Path(__file__).resolve().parents[2] / "mapping" / "files" / "fxiaoke_accounts.yaml"
    config = tmp_path / "flows.yaml"
    config.write_text(MIGRATION.replace("MAPPING", str(mapping)), encoding="utf-8")

    def rate_limited(*args: object, **kwargs: object) -> None:
        raise RetriableAPIError("rate limit reached", status=200, code="30004")

    monkeypatch.setattr("flows.cli.reconcile.reconcile_job", rate_limited)
    code, output = _invoke("reconcile", "m", "--config", str(config))
    assert code == 1
    assert "30004: rate limit reached" in output
    assert "Traceback" not in output


def test_a_flows_yaml_nested_1000_deep_is_a_configuration_error(tmp_path: Path) -> None:
    config = tmp_path / "flows.yaml"
    config.write_text("version: 1\njobs: " + "[" * 1000 + "]" * 1000 + "\n", encoding="utf-8")
    code, output = _invoke("validate", "--config", str(config))
    assert code == 2
    assert "nests deeper than 64 levels" in output


def test_a_300_character_job_name_is_a_configuration_error(tmp_path: Path) -> None:
    name = "j" * 300
    config = tmp_path / "flows.yaml"
    config.write_text(
        f"version: 1\njobs:\n  - {{name: {name}, kind: normalise, sources: [], targets: []}}\n",
        encoding="utf-8",
    )
    code, output = _invoke("run", name, "--config", str(config))
    assert code == 2
    assert "at most 64 characters" in output


@pytest.mark.parametrize(
    ("outputs", "message"),
    [
        ("targets: [{system: csv, object: c, path: in.csv}]\n    rejects: {path: r.csv}",
         "the target in.csv is source 0's file"),
        ("targets: [{system: csv, object: c, path: out.csv}]\n    rejects: {path: in.csv}",
         "the rejects file in.csv is source 0's file"),
        ("targets: [{system: csv, object: c, path: out.csv}]\n    rejects: {path: out.csv}",
         "the rejects file out.csv is also the job's target out.csv"),
        ("targets: [{system: csv, object: c, path: /dev/null}]\n    rejects: {path: r.csv}",
         "the target /dev/null is not a regular file"),
    ],
)  # fmt: skip
def test_an_output_that_would_overwrite_an_input_or_a_device_is_refused(
    tmp_path: Path, outputs: str, message: str
) -> None:
    mapping = Path(__file__).resolve().parents[2] / "mapping" / "files" / "csv_contacts.yaml"
    (tmp_path / "in.csv").write_text("name\n张三\n", encoding="utf-8")
    config = tmp_path / "flows.yaml"
    config.write_text(
        "version: 1\njobs:\n  - name: n\n    kind: normalise\n"
        f"    sources: [{{system: csv, object: c, path: in.csv, mapping: {mapping}}}]\n"
        f"    {outputs}\n",
        encoding="utf-8",
    )
    code, output = _invoke("validate", "--config", str(config))
    assert code == 2, output
    assert message in output
    assert (tmp_path / "in.csv").read_text(encoding="utf-8") == "name\n张三\n"

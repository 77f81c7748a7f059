"""The command line as an operator meets it: --version, global options on either side of the
command, versioned --json, the sandbox commands, a sandbox that is not running, connection
checks, and Ctrl-C that stops a real `crmbridge` process promptly with its workers."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from tests.flows.sandboxes import fxiaoke_sandbox, write_flows_yaml, zoho_sandbox
from tests.flows.test_cli import sample_project  # noqa: F401 - shared fixture

REPO = Path(__file__).resolve().parents[2]
CRMBRIDGE = [sys.executable, "-c", "from flows.cli import main; main()"]
ZOHO_JOB = {
    "name": "j",
    "kind": "sync",
    "sources": [{"system": "zoho", "object": "Contacts"}],
    "targets": [{"system": "csv", "object": "contacts", "path": "out.csv"}],
}


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_version() -> None:
    code, output = _invoke("--version")
    assert code == 0
    assert output.startswith("crmbridge 0.")


def test_config_and_verbose_go_before_or_after_the_command(
    sample_project: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CRMBRIDGE_CONFIG", "/nonexistent/flows.yaml")  # the option must win
    after = _invoke("jobs", "--json", "--config", str(sample_project), "-v")
    before = _invoke("-v", "--config", str(sample_project), "jobs", "--json")
    assert after[0] == before[0] == 0, (after, before)
    assert json.loads(after[1])["jobs"] == json.loads(before[1])["jobs"]


def test_json_outputs_carry_a_versioned_schema(sample_project: Path) -> None:  # noqa: F811
    code, _ = _invoke("run", "-c", str(sample_project))
    assert code == 3
    for command, schema, key in (
        ("jobs", "crmbridge.jobs/1", "jobs"),
        ("runs", "crmbridge.runs/1", "runs"),
        ("rejects", "crmbridge.rejects/1", "rejects"),
    ):
        code, output = _invoke(command, "--json", "-c", str(sample_project))
        assert code == 0, output
        data = json.loads(output)
        assert data["schema"] == schema
        assert data[key]
    rejects = json.loads(_invoke("rejects", "--json", "-c", str(sample_project))[1])
    assert rejects["open"] == 4  # the sample rows without a name or with extra cells
    assert {"job", "source", "row", "field", "reason"} <= set(rejects["rejects"][0])
    run = json.loads(_invoke("run", "--json", "-c", str(sample_project))[1])
    assert run["schema"] == "crmbridge.run/1"


def test_dedupe_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("CRMBRIDGE_STATE_URL", f"sqlite:///{tmp_path / 'state.db'}")
    code, output = _invoke("dedupe", "sample-dedupe", "--json", "-c", str(REPO / "flows.yaml"))
    assert code in (0, 3), output
    data = json.loads(output)
    assert data["schema"] == "crmbridge.dedupe/1"
    assert data["applied"] is False
    assert data["summary"]["counts"]["clusters"] >= 1


def test_shell_completion_is_offered() -> None:
    code, output = _invoke("--help")
    assert code == 0
    assert "--install-completion" in output and "--show-completion" in output


def test_sandbox_help_comes_from_the_same_cli() -> None:
    code, output = _invoke("sandbox", "zoho", "--help")
    assert code == 0
    assert "--fault-429" in output and "8701" in output
    code, output = _invoke("sandbox", "fxiaoke", "--help")
    assert "--rate-limit" in output and "8702" in output


def test_a_taken_port_is_a_one_line_error_naming_it() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [*CRMBRIDGE, "sandbox", "zoho", "--port", str(port)],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"port {port} on 127.0.0.1 is already in use" in lines[0]


def test_a_sandbox_that_is_not_running_fails_at_once_with_a_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with zoho_sandbox() as zoho:
        config = write_flows_yaml(tmp_path, [ZOHO_JOB], monkeypatch, zoho=zoho)
    # The sandbox has stopped: its port refuses connections now.
    code, output = _invoke("validate", "--check-connections", "-c", str(config))
    assert code == 1
    assert "connection refused by 127.0.0.1" in output
    assert "is the sandbox running?" in output
    assert "Traceback" not in output


def test_check_connections_calls_each_system_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with zoho_sandbox() as zoho, fxiaoke_sandbox() as fxiaoke:
        config = write_flows_yaml(
            tmp_path,
            [{"name": "j", "kind": "sync", "sources": [{"system": "zoho", "object": "Contacts"}],
              "targets": [{"system": "fxiaoke", "object": "ContactObj"}]}],
            monkeypatch, zoho=zoho, fxiaoke=fxiaoke,
        )  # fmt: skip
        code, output = _invoke("validate", "--check-connections", "-c", str(config))
    assert code == 0, output
    assert "ok zoho:" in output and "ok fxiaoke:" in output


def test_runs_and_rejects_need_no_crm_variables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with zoho_sandbox() as zoho:
        config = write_flows_yaml(tmp_path, [ZOHO_JOB], monkeypatch, zoho=zoho)
    text = config.read_text(encoding="utf-8").replace(zoho.credentials.client_id,
                                                      "${ZOHO_CLIENT_ID_UNSET}")  # fmt: skip
    config.write_text(text, encoding="utf-8")
    monkeypatch.delenv("ZOHO_CLIENT_ID_UNSET", raising=False)
    for command in ("runs", "rejects", "jobs"):
        code, output = _invoke(command, "-c", str(config))
        assert code == 0, output
    code, output = _invoke("validate", "--check-connections", "-c", str(config))
    assert code == 1
    assert "environment variable ZOHO_CLIENT_ID_UNSET is not set" in output


# -- Ctrl-C ---------------------------------------------------------------------------------


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found |= {int(p) for p in task.read_text().split()}
    return found


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "State:\tZ" not in status


def _big_project(folder: Path, kind: str) -> Path:
    from bench.dedupe.csv_export import write_csv
    from bench.dedupe.generator import generate_contacts

    rows = 60_000 if kind == "normalise" else 30_000
    write_csv(generate_contacts(rows, seed=3), folder / "big.csv")
    mapping = REPO / "mapping" / "files" / "csv_contacts.yaml"
    job = [
        "  - name: big",
        f"    kind: {kind}",
        f"    sources: [{{system: csv, object: contacts, path: big.csv, mapping: {mapping}}}]",
        "    targets: [{system: csv, object: contacts, path: out/big.csv}]",
        "    options: {workers: 2}",
    ]
    path = folder / "flows.yaml"
    path.write_text("version: 1\njobs:\n" + "\n".join(job) + "\n", encoding="utf-8")
    return path


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc")
@pytest.mark.parametrize("kind", ["normalise", "dedupe"])
def test_ctrl_c_stops_a_real_run_with_130_no_traceback_and_no_workers_left(
    tmp_path: Path, kind: str
) -> None:
    config = _big_project(tmp_path, kind)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "CRMBRIDGE_"))}
    process = subprocess.Popen(
        [*CRMBRIDGE, "run", "-c", str(config)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path, env=env,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        workers: set[int] = set()
        while not workers:  # interrupt once the worker processes are at work
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "no worker process appeared"
            workers = {p for p in _children(process.pid)}
            time.sleep(0.05)
        time.sleep(0.5)
        workers |= _children(process.pid)
        sent = time.monotonic()
        process.send_signal(signal.SIGINT)  # to crmbridge only, as `kill -INT` would
        _, stderr = process.communicate(timeout=60)
        elapsed = time.monotonic() - sent
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    gone_by = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < gone_by:
        time.sleep(0.1)
    assert not [w for w in workers if _alive(w)], "worker processes outlived crmbridge"
    print(f"{kind}: exited {elapsed:.2f}s after SIGINT, {len(workers)} workers gone")
    listed = CliRunner().invoke(app, ["runs", "--json", "-c", str(config)])
    (run,) = json.loads(listed.output)["runs"]
    assert run["status"] == "aborted"


def test_reconcile_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.flows.sandboxes import mapping_file, seed_zoho

    job = {
        "name": "accounts",
        "kind": "sync",
        "sources": [{"system": "zoho", "object": "Accounts",
                     "mapping": mapping_file("zoho_accounts.yaml")}],
        "targets": [{"system": "fxiaoke", "object": "AccountObj",
                     "mapping": mapping_file("fxiaoke_accounts.yaml")}],
        "sync": {"owners": {"fallback": "admin@example.com"}},
    }  # fmt: skip
    with zoho_sandbox() as zoho, fxiaoke_sandbox() as fxiaoke:
        seed_zoho(zoho, accounts=3)
        config = write_flows_yaml(tmp_path, [job], monkeypatch, zoho=zoho, fxiaoke=fxiaoke)
        assert _invoke("run", "accounts", "-c", str(config))[0] == 0
        code, output = _invoke("reconcile", "accounts", "--json", "-c", str(config),
                               "--out", str(tmp_path / "reports"))  # fmt: skip
    assert code == 0, output
    data = json.loads(output)
    assert data["schema"] == "crmbridge.reconcile/1"
    assert data["equal"] is True
    assert Path(data["files"]["html"]).is_file()

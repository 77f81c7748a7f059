"""The README's "Try it on the sandboxes" walkthrough, command for command.

Both sandboxes run as the README starts them (``crmbridge sandbox ... --port P``, in
subprocesses, on free ports passed to flows/samples/sandbox/flows.yaml through its port
variables); the environment is the README's ``sandbox.env``. The ``crmbridge`` commands run
in-process (the same typer app the console script calls) so the test stays fast; only the
state store and the reconcile reports go to ``tmp_path`` instead of the sample folder.

Every command that calls a CRM fetches one token from it, as a real run does. The test takes 8
of the Zoho sandbox's 10 per 10 minutes and 8 of the Fxiaoke sandbox's 10 per minute; past
either limit the connectors wait, so a new command here makes the test slow, not wrong.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests
from typer.testing import CliRunner

from flows.cli import app
from flows.config import load_config
from flows.systems import RecordSystem, open_system

SAMPLE = Path(__file__).resolve().parents[2] / "flows" / "samples" / "sandbox"
FLOWS = SAMPLE / "flows.yaml"
SEED = SAMPLE / "fxiaoke_seed.json"
ENV_FILE = SAMPLE / "sandbox.env"
SEEDED = {"Accounts": 20, "Contacts": 60, "Notes": 40}
ZOHO_FIELDS = {
    "Accounts": ["Account_Name"],
    "Contacts": ["Email", "Title", "Department"],
    "Notes": ["Note_Content"],
}
EDITED_EMAIL = "yuxin.sun@liantuo.com.cn"
EDITED_FXIAOKE_ID = "65e4a1b2c3d4e5f6a7c80001"  # the same person, by her id in the seed file
STARTUP_SECONDS = 30.0
CRMBRIDGE = "from flows.cli import main; main()"
"""What the ``crmbridge`` console script runs."""


def _env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines of ``path`` as ``set -a; . path`` would export them."""
    env = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key.strip()] = value.strip()
    return env


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the sandbox exited with {process.returncode}:\n{log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"the sandbox did not listen on port {port} in {STARTUP_SECONDS}s")


@contextmanager
def _sandboxes(env: Mapping[str, str], logs: Path) -> Iterator[None]:
    """Both sandboxes as the README starts them, on the ports ``env`` gives flows.yaml."""
    commands = {
        "zoho": ["--port", env["CRMBRIDGE_ZOHO_SANDBOX_PORT"]],
        "fxiaoke": ["--port", env["CRMBRIDGE_FXIAOKE_SANDBOX_PORT"], "--seed-file", str(SEED)],
    }
    with ExitStack() as stack:
        started = []
        for system, options in commands.items():
            log = logs / f"{system}.log"
            with log.open("wb") as output:
                argv = [sys.executable, "-c", CRMBRIDGE, "sandbox", system, *options]
                process = subprocess.Popen(argv, stdout=output, stderr=output)
            stack.callback(process.wait, timeout=10)
            stack.callback(process.terminate)
            started.append((int(options[1]), process, log))
        for port, process, log in started:
            _wait_for_port(port, process, log)
        yield


def _crmbridge(*args: str, expect: int = 0) -> str:
    result = CliRunner().invoke(app, list(args))
    output = result.output
    assert result.exit_code == expect, f"crmbridge {' '.join(args)} -> {result.exit_code}\n{output}"
    return output


def _row(output: str, label: str) -> list[int]:
    """The numbers of the table row starting with ``label`` (``│ account │ 20 │ 0 │ ...``)."""
    match = re.search(rf"│ {re.escape(label)}\s*│([\d │]+)\n", output)
    assert match is not None, f"no row {label!r} in:\n{output}"
    return [int(cell) for cell in match.group(1).split("│") if cell.strip()]


def _run_id(output: str) -> str:
    match = re.search(r"\) run ([0-9a-f]{8})", output)
    assert match is not None, output
    return match.group(1)


def _counts(zoho: RecordSystem) -> dict[str, int]:
    return {module: sum(len(page) for page in zoho.read(module)) for module in SEEDED}


def _zoho_contact_id(zoho: RecordSystem, email: str) -> str:
    ids = [r.id for page in zoho.read("Contacts") for r in page if r.fields.get("Email") == email]
    assert len(ids) == 1, ids
    return ids[0]


class _FxiaokeApi:
    """The two Fxiaoke calls of the README's curl example: a token, then data calls with it."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.base = f"http://127.0.0.1:{env['CRMBRIDGE_FXIAOKE_SANDBOX_PORT']}"
        self.env = env
        reply = self._post("/cgi/corpAccessToken/get/V2", {
            "appId": env["SANDBOX_FXIAOKE_APP_ID"],
            "appSecret": env["SANDBOX_FXIAOKE_APP_SECRET"],
            "permanentCode": env["SANDBOX_FXIAOKE_PERMANENT_CODE"],
        })  # fmt: skip
        self.token = str(reply["corpAccessToken"])

    def _post(self, path: str, body: Mapping[str, object]) -> dict[str, Any]:
        response = requests.post(self.base + path, json=body, timeout=10)
        response.raise_for_status()
        reply: dict[str, Any] = response.json()
        assert reply["errorCode"] == 0, reply
        return reply

    def call(self, path: str, data: Mapping[str, object]) -> dict[str, Any]:
        return self._post(path, {
            "corpAccessToken": self.token,
            "corpId": self.env["SANDBOX_FXIAOKE_CORP_ID"],
            "currentOpenUserId": self.env["SANDBOX_FXIAOKE_OPEN_USER_ID"],
            "data": data,
        })  # fmt: skip

    def get(self, api_name: str, record_id: str) -> dict[str, Any]:
        reply = self.call(
            "/cgi/crm/v2/data/get", {"dataObjectApiName": api_name, "objectDataId": record_id}
        )
        record: dict[str, Any] = reply["data"]
        return record


@pytest.fixture
def walkthrough_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Mapping[str, str]:
    """sandbox.env, free ports for both sandboxes, and a state store under ``tmp_path``."""
    env = _env_file(ENV_FILE)
    env["CRMBRIDGE_ZOHO_SANDBOX_PORT"] = str(_free_port())
    env["CRMBRIDGE_FXIAOKE_SANDBOX_PORT"] = str(_free_port())
    env["CRMBRIDGE_CONFIG"] = str(FLOWS)
    env["CRMBRIDGE_STATE_URL"] = f"sqlite:///{tmp_path / 'state.db'}"
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    return env


def test_the_readme_walkthrough_migrates_reconciles_reruns_undoes_and_syncs_both_ways(
    walkthrough_env: Mapping[str, str], tmp_path: Path
) -> None:
    env = walkthrough_env
    reports = str(tmp_path / "reports")
    with _sandboxes(env, tmp_path):
        # One checker client for the whole test: Zoho allows 10 token refreshes in 10 minutes.
        zoho = open_system("zoho", load_config(FLOWS), fields=ZOHO_FIELDS)
        assert _counts(zoho) == {"Accounts": 0, "Contacts": 0, "Notes": 0}

        plan = _crmbridge("plan", "fxiaoke-to-zoho")
        assert [_row(plan, e)[0] for e in ("account", "contact", "feedback")] == [20, 60, 40]
        assert _counts(zoho) == {"Accounts": 0, "Contacts": 0, "Notes": 0}  # a plan writes nothing

        run = _crmbridge("run", "fxiaoke-to-zoho")
        assert _row(run, "total") == [120, 120, 0, 0]
        assert [_row(run, f"zoho:{m}") for m in SEEDED] == [[20], [60], [40]]
        assert _counts(zoho) == SEEDED

        reconciled = _crmbridge("reconcile", "fxiaoke-to-zoho", "--out", reports)
        assert "equal: the target holds what the source holds" in reconciled
        linked = r"│ contact\s+│\s+fxiaoke:ContactObj 60 │\s+zoho:Contacts 60 │\s+60 │\s+0 │\s+-\s+│\s+0 │"
        assert re.search(linked, reconciled), reconciled

        rerun = _crmbridge("run", "fxiaoke-to-zoho")
        assert _row(rerun, "total")[1:] == [0, 0, 0]  # read a few in the lookback, wrote none
        assert "created" not in rerun and _counts(zoho) == SEEDED

        undone = _crmbridge("undo", _run_id(run))
        assert _row(undone, "created") == [120]
        assert _counts(zoho) == {"Accounts": 0, "Contacts": 0, "Notes": 0}

        synced = _crmbridge("run", "zoho-fxiaoke")
        assert [_row(synced, f"zoho:{m}") for m in ("Accounts", "Contacts")] == [[20], [60]]
        assert _counts(zoho) == {"Accounts": 20, "Contacts": 60, "Notes": 0}

        # Someone changes a title in Zoho and a department in Fxiaoke (the README uses curl).
        zoho_id = _zoho_contact_id(zoho, EDITED_EMAIL)
        assert [r.ok for r in zoho.update("Contacts", [(zoho_id, {"Title": "财务总监"})])] == [True]
        fxiaoke = _FxiaokeApi(env)
        fxiaoke.call("/cgi/crm/v2/data/update", {"object_data": {
            "dataObjectApiName": "ContactObj", "_id": EDITED_FXIAOKE_ID, "department": "财务中心"
        }})  # fmt: skip
        planned = _crmbridge("plan", "zoho-fxiaoke")
        assert _row(planned, "contact") == [0, 2, 0, 0, 0, 0, 0, 0]
        edited = _crmbridge("run", "zoho-fxiaoke")
        assert _row(edited, "fxiaoke:ContactObj") == [1] and _row(edited, "zoho:Contacts") == [1]
        assert "created" not in edited  # the 80 records of the first run are not echoed back
        in_zoho = zoho.get_many("Contacts", [zoho_id])[0].fields
        in_fxiaoke = fxiaoke.get("ContactObj", EDITED_FXIAOKE_ID)
        both = ("财务总监", "财务中心")
        assert (in_zoho["Title"], in_zoho["Department"]) == both
        assert (in_fxiaoke["job_title"], in_fxiaoke["department"]) == both

"""Scheduled operation against a real Prefect server (the session's, see conftest.py).

`crmbridge serve` runs in a subprocess as a user would start it, serving a project with a job
scheduled every minute, a slow job and a sandbox sync job. The tests prove that the scheduler
really fires (it did not with SQLAlchemy 2.1), that two triggers of one job never run at the
same time, and that a run is first-class in Prefect: parameters overridable per run, crmbridge's
logs in the run's log, named final states, artifacts and the flow-run id in the journal.
"""

from __future__ import annotations

import asyncio
import csv
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
import yaml

from flows.config import load_config
from flows.store import StateStore
from tests.flows.prefect_server import client_env, use_server, wait_for
from tests.flows.sandboxes import (
    fxiaoke_sandbox,
    mapping_file,
    sandbox_env,
    seed_zoho,
    zoho_sandbox,
)

pytestmark = pytest.mark.prefect

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "flows" / "samples"
PROJECT = "schedtest"
SLOW_ROWS = 40_000
T = TypeVar("T")


def _async(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coroutine)


def _slow_csv(path: Path) -> None:
    """A file that takes a couple of seconds to normalise: the sample rows over and over."""
    with (SAMPLES / "customers_en.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], [r for r in rows[1:] if len(r) == len(rows[0])]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for i in range(SLOW_ROWS):
            row = list(body[i % len(body)])
            row[0] = f"SLOW-{i}"
            writer.writerow(row)


@dataclass
class Served:
    folder: Path
    config: Path
    env: dict[str, str]
    api: str
    log: Path


def _flows_yaml(folder: Path, zoho: Any, fxiaoke: Any) -> Path:
    csv_mapping = str(REPO / "mapping" / "files" / "csv_contacts.yaml")
    document = {
        "version": 1,
        "project": PROJECT,
        "systems": {
            "zoho": {
                "type": "zoho",
                "client_id": zoho.credentials.client_id,
                "client_secret": "${SANDBOX_ZOHO_CLIENT_SECRET}",
                "refresh_token": "${SANDBOX_ZOHO_REFRESH_TOKEN}",
                "accounts_url": zoho.base_url,
                "lookback_seconds": 0,
            },
            "fxiaoke": {
                "type": "fxiaoke",
                "app_id": fxiaoke.credentials.app_id,
                "app_secret": "${SANDBOX_FXIAOKE_APP_SECRET}",
                "permanent_code": "${SANDBOX_FXIAOKE_PERMANENT_CODE}",
                "current_open_user_id": fxiaoke.credentials.admin.open_user_id,
                "base_url": fxiaoke.base_url,
                "rate_limit_calls": 1_000_000,
                "rate_limit_seconds": 1.0,
                "lookback_seconds": 0,
                "prefect_concurrency": 2,
            },
        },
        "jobs": [
            {
                "name": "tick",
                "kind": "normalise",
                "schedule": "* * * * *",
                "sources": [{"system": "csv", "object": "contacts", "path": "customers_en.csv",
                             "mapping": csv_mapping}],
                "targets": [{"system": "csv", "object": "contacts", "path": "out/tick.csv"}],
            },
            {
                "name": "slow",
                "kind": "normalise",
                "schedule": "0 0 1 1 *",  # served, but only ever triggered by hand here
                "sources": [{"system": "csv", "object": "contacts", "path": "slow.csv",
                             "mapping": csv_mapping}],
                "targets": [{"system": "csv", "object": "contacts", "path": "out/slow.csv"}],
                "options": {"workers": 1},
            },
            {
                "name": "accounts",
                "kind": "sync",
                "schedule": "0 0 1 1 *",
                "tags": ["nightly"],
                "sources": [{"system": "zoho", "object": "Accounts",
                             "mapping": mapping_file("zoho_accounts.yaml")}],
                "targets": [{"system": "fxiaoke", "object": "AccountObj",
                             "mapping": mapping_file("fxiaoke_accounts.yaml")}],
                "sync": {"owners": {"fallback": "admin@example.com"}},
            },
        ],
    }  # fmt: skip
    path = folder / "flows.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")
    return path


@pytest.fixture(scope="module")
def served(prefect_api: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`crmbridge serve` of the project above, until the module's tests are done."""
    folder = tmp_path_factory.mktemp(PROJECT)
    shutil.copy(SAMPLES / "customers_en.csv", folder / "customers_en.csv")
    _slow_csv(folder / "slow.csv")
    with zoho_sandbox() as zoho, fxiaoke_sandbox() as fxiaoke:
        seed_zoho(zoho, accounts=3)
        config = _flows_yaml(folder, zoho, fxiaoke)
        env = {**os.environ, **client_env(prefect_api, folder / "prefect-client")}
        env.update(sandbox_env(zoho, fxiaoke))
        env.pop("CRMBRIDGE_STATE_URL", None)
        log = folder / "serve.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                [sys.executable, "-c", "from flows.cli import main; main()", "serve", "-c",
                 str(config)],
                stdout=output, stderr=subprocess.STDOUT, env=env, cwd=folder,
            )  # fmt: skip
        try:
            with pytest.MonkeyPatch.context() as patch:
                for key, value in {**client_env(prefect_api, folder / "client"),
                                   **sandbox_env(zoho, fxiaoke)}.items():  # fmt: skip
                    patch.setenv(key, value)
                patch.delenv("CRMBRIDGE_STATE_URL", raising=False)
                with use_server(prefect_api):
                    wait_for(lambda: _deployments(process, log), timeout=90, what="deployments")
                    yield Served(folder, config, env, prefect_api, log)
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)


def _deployments(process: subprocess.Popen[bytes], log: Path) -> list[str] | None:
    from prefect import get_client

    if process.poll() is not None:
        raise AssertionError(f"crmbridge serve exited {process.returncode}:\n{log.read_text()}")

    async def names() -> list[str]:
        async with get_client() as client:
            return sorted(d.name for d in await client.read_deployments())

    found = _async(names())
    wanted = [f"{PROJECT}.{job}" for job in ("accounts", "slow", "tick")]
    return found if set(wanted) <= set(found) else None


async def _runs_of(deployment: str) -> list[Any]:
    from prefect import get_client
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterName

    async with get_client() as client:
        return list(
            await client.read_flow_runs(
                deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=[deployment]))
            )
        )


def _journal(config: Path) -> dict[str, Any]:
    """The crmbridge run journal by flow-run id."""
    with StateStore.open(load_config(config).state_url) as store:
        return {r.flow_run_id: r for r in store.runs.recent(limit=100) if r.flow_run_id}


def test_a_served_job_scheduled_every_minute_runs_by_itself(served: Served) -> None:
    def scheduled_and_done() -> Any:
        runs = _async(_runs_of(f"{PROJECT}.tick"))
        done = [r for r in runs if r.auto_scheduled and r.state and r.state.is_final()]
        return done[0] if done else None

    # The next minute starts within 60 s; the runner looks every second.
    run = wait_for(scheduled_and_done, timeout=180, what="a scheduled run of tick to finish")
    assert run.auto_scheduled  # the scheduler made it, nobody triggered it
    assert run.state.type.value == "COMPLETED", run.state
    assert run.state.name == "Completed with rejects"  # the sample file has bad rows: exit 3
    journaled = _journal(served.config)[str(run.id)]
    assert journaled.job == "tick"
    assert journaled.status.value == "finished_with_rejects"


def test_two_triggers_of_one_job_never_run_at_the_same_time(served: Served) -> None:
    from prefect import get_client
    from prefect.deployments import run_deployment

    name = f"crmbridge-normalise/{PROJECT}.slow"
    first = run_deployment(name, timeout=0)
    second = run_deployment(name, timeout=0)

    def both_done() -> list[Any] | None:
        runs = [r for r in _async(_runs_of(f"{PROJECT}.slow")) if r.id in (first.id, second.id)]
        return runs if len(runs) == 2 and all(r.state.is_final() for r in runs) else None

    runs = sorted(wait_for(both_done, timeout=240, what="both runs of slow"),
                  key=lambda r: r.start_time)  # fmt: skip
    assert [r.state.type.value for r in runs] == ["COMPLETED", "COMPLETED"]
    assert runs[0].end_time <= runs[1].start_time  # one after the other, never overlapping

    async def history(run_id: Any) -> list[str]:
        async with get_client() as client:
            return [s.name for s in await client.read_flow_run_states(run_id)]

    # The later one was held back by the deployment's concurrency limit of 1.
    assert "AwaitingConcurrencySlot" in _async(history(runs[1].id))


def test_a_sandbox_sync_runs_through_prefect_with_overridden_parameters(served: Served) -> None:
    from prefect import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
    from prefect.deployments import run_deployment

    name = f"crmbridge-sync/{PROJECT}.accounts"
    dry = run_deployment(name, parameters={"dry_run": True}, timeout=180)
    assert dry.parameters["dry_run"] is True  # a UI run's override reaches the flow run
    assert dry.state.name == "Completed", dry.state
    planned = _journal(served.config)[str(dry.id)]
    assert (planned.kind, planned.counts.get("written", 0)) == ("plan", 0)  # wrote nothing

    real = run_deployment(name, timeout=180)
    assert not real.parameters.get("dry_run", False)
    assert real.state.name == "Completed", real.state
    assert "created 3" in (real.state.message or "")
    journaled = _journal(served.config)[str(real.id)]
    assert (journaled.kind, journaled.counts["created"]) == ("sync", 3)
    assert set(real.tags) >= {"nightly", f"project:{PROJECT}", "crm-zoho", "crm-fxiaoke"}

    async def details() -> tuple[list[str], dict[str, Any], list[Any]]:
        async with get_client() as client:
            logs = await client.read_logs(
                log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[real.id]))
            )
            artifacts = await client.read_artifacts()
            tasks = await client.read_task_runs()
            mine = {a.key: a for a in artifacts if a.flow_run_id == real.id}
            return (
                [log.message for log in logs],
                mine,
                [t for t in tasks if t.flow_run_id == real.id],
            )

    # The serving process ships its logs in batches (every 2 s, later on a busy machine): the
    # run can be Completed before its last records reach the server.
    # Records of one run can also reach the server out of order, so wait for every one we check.
    expected = ("flows.systems.open: opened zoho system zoho (CN)", "flows.sync.job: job accounts:")
    deadline = time.monotonic() + 60
    messages, artifacts, tasks = _async(details())
    while time.monotonic() < deadline and not all(e in "\n".join(messages) for e in expected):
        time.sleep(1)
        messages, artifacts, tasks = _async(details())
    text = "\n".join(messages)
    # crmbridge's own records, in the run's log, with the logger's name and no secret.
    for record in expected:
        assert record in text
    assert served.env["SANDBOX_ZOHO_REFRESH_TOKEN"] not in text
    assert served.env["SANDBOX_FXIAOKE_APP_SECRET"] not in text
    # Counts of the run and the path of its reports, as artifacts under stable keys.
    counts = artifacts[f"{PROJECT}-accounts-counts"]
    assert "created" in str(counts.data)
    summary = artifacts[f"{PROJECT}-accounts-summary"]
    assert "| created | 3 |" in str(summary.data)
    # Every step is a task carrying the tags of the systems it calls (their concurrency).
    assert tasks and all({"crm-zoho", "crm-fxiaoke"} <= set(t.tags) for t in tasks)

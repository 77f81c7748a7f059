"""`crmbridge deploy` against the session's real Prefect server, and a worker that runs what
it deployed: idempotent deploys, deployments namespaced per project, a concurrency limit per
CRM system, the job's retries and its failure reason."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.config import load_config
from flows.store import StateStore
from tests.flows.prefect_server import stop_process_group

pytestmark = pytest.mark.prefect

REPO = Path(__file__).resolve().parents[2]
T = TypeVar("T")

FLOWS = """
version: 1
{project}
systems:
  zoho: {{type: zoho, client_id: "${{UNSET_ID}}", client_secret: "${{UNSET_SECRET}}",
         refresh_token: "${{UNSET_TOKEN}}", prefect_concurrency: 2}}
jobs:
  - name: contacts
    kind: normalise
    schedule: "30 3 * * *"
    sources: [{{system: csv, object: contacts, path: customers_en.csv, mapping: {mapping}}}]
    targets: [{{system: csv, object: contacts, path: out/contacts.csv}}]
  - name: flaky
    kind: normalise
    schedule: "0 4 * * *"
    retries: 1
    retry_delay_seconds: 0
    sources: [{{system: csv, object: contacts, path: missing.csv, mapping: {mapping}}}]
    targets: [{{system: csv, object: contacts, path: out/flaky.csv}}]
  - name: from-zoho
    kind: sync
    schedule: "0 5 * * *"
    sources: [{{system: zoho, object: Contacts}}]
    targets: [{{system: csv, object: contacts, path: out/zoho.csv}}]
"""


def _async(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coroutine)


def _project(folder: Path, project: str = "") -> Path:
    folder.mkdir(parents=True)
    shutil.copy(REPO / "flows" / "samples" / "customers_en.csv", folder / "customers_en.csv")
    mapping = REPO / "mapping" / "files" / "csv_contacts.yaml"
    text = FLOWS.format(project=project, mapping=mapping)
    (folder / "flows.yaml").write_text(text, encoding="utf-8")
    return folder / "flows.yaml"


def _deploy(config: Path, pool: str) -> dict[str, Any]:
    result = CliRunner().invoke(app, ["deploy", "--json", "--pool", pool, "-c", str(config)])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    assert data["schema"] == "crmbridge.deploy/1"
    return data


async def _deployments() -> dict[str, Any]:
    from prefect import get_client

    async with get_client() as client:
        return {d.name: d for d in await client.read_deployments()}


def test_deploy_is_idempotent_and_namespaced_per_project(
    tmp_path: Path, prefect_client_env: dict[str, str]
) -> None:
    from prefect import get_client

    first = _project(tmp_path / "acme-cn")
    second = _project(tmp_path / "other", "project: acme-eu")
    data = _deploy(first, "pool-a")
    assert data["work_pool"] == {"name": "pool-a", "status": "created"}
    assert {d["name"]: d["status"] for d in data["deployments"]} == {
        "crmbridge-normalise/acme-cn.contacts": "created",
        "crmbridge-normalise/acme-cn.flaky": "created",
        "crmbridge-sync/acme-cn.from-zoho": "created",
    }
    assert data["concurrency_limits"] == [{"tag": "crm-zoho", "limit": 2, "status": "created"}]
    before = _async(_deployments())

    again = _deploy(first, "pool-a")  # nothing changed in flows.yaml: nothing changes
    assert {d["status"] for d in again["deployments"]} == {"unchanged"}
    assert again["concurrency_limits"][0]["status"] == "unchanged"
    after = _async(_deployments())
    assert {n: (d.updated, d.version) for n, d in after.items()} == {
        n: (d.updated, d.version) for n, d in before.items()
    }

    _deploy(second, "pool-a")  # the same job names in another project: new deployments
    both = _async(_deployments())
    assert {"acme-cn.contacts", "acme-eu.contacts"} <= set(both)
    assert both["acme-cn.contacts"].updated == before["acme-cn.contacts"].updated
    assert both["acme-cn.contacts"].parameters["config_path"] == str(first)
    assert both["acme-eu.contacts"].parameters["config_path"] == str(second)
    schedule = both["acme-cn.contacts"].schedules[0].schedule
    assert (schedule.cron, schedule.timezone) == ("30 3 * * *", "Asia/Shanghai")
    assert both["acme-cn.from-zoho"].tags == ["project:acme-cn", "crm-zoho"]

    async def limit() -> int:
        async with get_client() as client:
            return (await client.read_concurrency_limit_by_tag("crm-zoho")).concurrency_limit

    assert _async(limit()) == 2


def test_a_worker_runs_deployed_jobs_with_their_retries(
    tmp_path: Path, prefect_client_env: dict[str, str]
) -> None:
    from prefect.deployments import run_deployment

    config = _project(tmp_path / "worked")
    _deploy(config, "pool-w")
    env = {**os.environ, **prefect_client_env, "PREFECT_WORKER_QUERY_SECONDS": "1"}
    env.pop("CRMBRIDGE_STATE_URL", None)
    log = tmp_path / "worker.log"
    with log.open("wb") as output:
        worker = subprocess.Popen(
            [str(Path(sys.executable).with_name("prefect")), "worker", "start", "--pool",
             "pool-w", "--type", "process"],
            stdout=output, stderr=subprocess.STDOUT, env=env, cwd=tmp_path,
            start_new_session=True,
        )  # fmt: skip
    try:
        ok = run_deployment("crmbridge-normalise/worked.contacts", timeout=180)
        assert ok.state.name == "Completed with rejects", (ok.state, log.read_text()[-3000:])
        with StateStore.open(load_config(config).state_url) as store:
            journaled = {r.flow_run_id: r for r in store.runs.recent(limit=10)}
        assert journaled[str(ok.id)].job == "contacts"

        flaky = run_deployment("crmbridge-normalise/worked.flaky", timeout=180)
        assert flaky.state.type.value == "FAILED", flaky.state
        assert flaky.run_count == 2  # the job's retries: 1
        assert "missing.csv" in (flaky.state.message or "")  # the reason
    finally:
        stop_process_group(worker)

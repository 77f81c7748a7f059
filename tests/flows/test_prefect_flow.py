"""The Prefect layer: a job as a flow run with one task per source, no Prefect without asking,
and what crmbridge tells Prefect (states, names, tags, artifacts), decided without Prefect.

Flow-level tests share the session's real Prefect server (``prefect_client_env``); the rest
runs without Prefect.
"""

from __future__ import annotations

import asyncio
import json
import logging
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.config import load_config
from flows.orchestration import (
    COMPLETED_WITH_REJECTS,
    artifact_key,
    count_rows,
    deployment_specs,
    final_state,
    summary_markdown,
    system_limits,
)
from flows.report import ExitCode, RunReport, SourceReport
from flows.runlog import forward_logs
from flows.store.records import RunStatus
from tests.flows.test_cli import sample_project  # noqa: F401 - shared fixture

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.prefect
def test_a_job_runs_as_a_flow_with_a_task_per_source(
    sample_project: Path,  # noqa: F811
    prefect_client_env: dict[str, str],
) -> None:
    from prefect import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    result = CliRunner().invoke(app, ["run", "--prefect", "--config", str(sample_project)])
    assert result.exit_code == 3, result.output  # the sample has bad rows, as without Prefect
    listed = CliRunner().invoke(app, ["runs", "--json", "-c", str(sample_project)])
    (run,) = json.loads(listed.output)["runs"]
    assert run["flow_run_id"]  # `crmbridge runs` knows the flow run

    assert run["counts"]["read"] == 26
    assert run["counts"]["rejected"] == 4  # rows without a name or with extra cells

    async def inspect() -> tuple[str, str, list[str], list[str]]:
        async with get_client() as client:
            (flow_run,) = await client.read_flow_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run["flow_run_id"]]))
            )
            tasks = await client.read_task_runs()
            artifacts = await client.read_artifacts()
            return (
                flow_run.state.type.value if flow_run.state else "",
                flow_run.state.name if flow_run.state else "",
                sorted(t.name.rsplit("-", 1)[0] for t in tasks if t.flow_run_id == flow_run.id),
                [a.key or "" for a in artifacts if a.flow_run_id == flow_run.id],
            )

    state_type, state_name, task_names, artifact_keys = asyncio.run(inspect())
    assert (state_type, state_name) == ("COMPLETED", COMPLETED_WITH_REJECTS)
    assert task_names == ["normalise customers_cn.csv", "normalise customers_en.csv"]
    config = load_config(sample_project)
    assert sorted(artifact_keys) == [
        artifact_key(config, "sample", w) for w in ("counts", "summary")
    ]


def test_a_plain_run_never_imports_prefect(sample_project: Path) -> None:  # noqa: F811
    code = textwrap.dedent(
        f"""
        import sys
        from flows.cli import app
        try:
            app(["run", "--config", {str(sample_project)!r}], standalone_mode=False)
        except SystemExit:
            pass
        print("prefect" in sys.modules)
        """
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(sample_project.parent)}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=sample_project.parent,
        env=env,
        check=False,
        timeout=120,
    )
    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr
    assert "Traceback" not in result.stderr


# -- without Prefect ------------------------------------------------------------------------


def _report(status: RunStatus, **actions: int) -> RunReport:
    report = RunReport(run_id="r" * 36, job="j", kind="sync", started_at=datetime.now(UTC))
    label = "zoho:Contacts -> fxiaoke:ContactObj"
    parked = actions.get("parked", 0)  # a run counts parked records per source, as it does
    report.sources.append(SourceReport(label, read=5, written=3, parked=parked))
    report.actions["fxiaoke:ContactObj"] = dict(actions)
    report.status = status
    report.finish(datetime.now(UTC))
    return report


def test_the_final_state_follows_the_exit_code_not_the_names_of_counts() -> None:
    assert final_state(_report(RunStatus.SUCCEEDED, created=3)).name is None
    rejects = final_state(_report(RunStatus.FINISHED_WITH_REJECTS, created=3, parked=2))
    assert (rejects.type, rejects.name) == ("completed", COMPLETED_WITH_REJECTS)
    assert "parked 2" in rejects.message
    failed = final_state(_report(RunStatus.FAILED))
    assert failed.type == "failed"

    class FutureReport(RunReport):  # a status a later version may add, exiting 3
        @property
        def exit_code(self) -> ExitCode:
            return ExitCode.REJECTS

    future = FutureReport(run_id="x", job="j", kind="sync", started_at=datetime.now(UTC))
    future.finish(datetime.now(UTC))
    assert final_state(future).name == COMPLETED_WITH_REJECTS


def test_artifacts_carry_the_counts_of_any_kind_and_the_report_paths() -> None:
    report = _report(RunStatus.SUCCEEDED, created=3, parked=1)
    report.extra_counts.update({"entities": 7, "clusters": 2, "review": 1})
    report.outputs["report"] = Path("/out/report.html")
    rows = count_rows(report)
    assert {"source": "fxiaoke:ContactObj", "created": 3, "parked": 1} in rows
    text = summary_markdown(report, "flow-run-1")
    for line in ("| created | 3 |", "| parked | 1 |", "| entities | 7 |", "| review | 1 |",
                 "| report | `/out/report.html` |", "flow run `flow-run-1`"):  # fmt: skip
        assert line in text


FLOWS = """
version: 1
{project}
systems:
  zoho: {{type: zoho, client_id: "${{ID}}", client_secret: "${{S}}", refresh_token: "${{R}}",
         prefect_concurrency: 3}}
jobs:
  - name: nightly
    kind: sync
    schedule: "0 2 * * *"
    tags: [ops]
    sources: [{{system: zoho, object: Contacts}}]
    targets: [{{system: csv, object: contacts, path: out.csv}}]
  - name: by-hand
    kind: normalise
    sources: [{{system: csv, object: contacts, path: in.csv}}]
    targets: [{{system: csv, object: contacts, path: out.csv}}]
"""


def test_deployments_are_named_per_project_and_tagged_per_system(tmp_path: Path) -> None:
    one, two = tmp_path / "Sales Ops", tmp_path / "other"
    for folder, project in ((one, ""), (two, "project: emea")):
        folder.mkdir()
        (folder / "flows.yaml").write_text(FLOWS.format(project=project), encoding="utf-8")
    first, second = load_config(one / "flows.yaml"), load_config(two / "flows.yaml")
    (a,) = deployment_specs(first)  # only the scheduled job
    (b,) = deployment_specs(second)
    assert (a.full_name, b.full_name) == ("crmbridge-sync/sales-ops.nightly",
                                          "crmbridge-sync/emea.nightly")  # fmt: skip
    assert a.tags == ["ops", "project:sales-ops", "crm-zoho"]
    assert (a.cron, a.timezone) == ("0 2 * * *", "Asia/Shanghai")
    assert a.parameters == {"config_path": str(one / "flows.yaml"), "job_name": "nightly"}
    assert [s.job for s in deployment_specs(first, ["by-hand"])] == ["by-hand"]
    assert system_limits(first, ["nightly"]) == {"crm-zoho": 3}


def test_crmbridge_records_are_forwarded_redacted() -> None:
    class Collect(logging.Handler):
        def __init__(self) -> None:
            super().__init__()
            self.lines: list[str] = []

        def emit(self, record: logging.LogRecord) -> None:
            self.lines.append(record.getMessage())

    target = logging.getLogger("test.flowrun")
    sink = Collect()
    target.addHandler(sink)
    target.propagate = False
    target.setLevel(logging.INFO)
    try:
        with forward_logs(target):
            logging.getLogger("connectors.zoho.auth").info(
                "POST https://accounts.zoho.com.cn/oauth/v2/token?refresh_token=1000.r.secret"
            )
            logging.getLogger("flows.jobs.sync").debug("not at INFO")
            logging.getLogger("somebody.else").warning("not ours")
        logging.getLogger("flows.jobs.sync").warning("after the block")
    finally:
        target.removeHandler(sink)
    assert sink.lines == [
        "connectors.zoho.auth: POST https://accounts.zoho.com.cn/oauth/v2/token?refresh_token=***"
    ]


@pytest.mark.prefect
def test_a_job_past_its_timeout_ends_timed_out(
    tmp_path: Path, prefect_client_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from prefect import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterName

    from flows.execution import JobSwitches
    from flows.prefect_flows import JobTimeoutError, run_as_flow
    from tests.flows.test_prefect_server import _slow_csv

    monkeypatch.delenv("CRMBRIDGE_STATE_URL", raising=False)
    _slow_csv(tmp_path / "slow.csv")
    mapping = REPO / "mapping" / "files" / "csv_contacts.yaml"
    (tmp_path / "flows.yaml").write_text(
        "version: 1\njobs:\n  - name: too-slow\n    kind: normalise\n    timeout_seconds: 1\n"
        f"    sources: [{{system: csv, object: contacts, path: slow.csv, mapping: {mapping}}}]\n"
        "    targets: [{system: csv, object: contacts, path: out.csv}]\n"
        "    options: {workers: 1}\n",
        encoding="utf-8",
    )
    config = load_config(tmp_path / "flows.yaml")
    with pytest.raises(JobTimeoutError):
        run_as_flow(config, config.job("too-slow"), JobSwitches())

    async def state() -> tuple[str, str]:
        async with get_client() as client:
            (run,) = await client.read_flow_runs(
                flow_run_filter=FlowRunFilter(name=FlowRunFilterName(any_=["too-slow"]))
            )
            assert run.state is not None
            return run.state.type.value, run.state.name

    assert asyncio.run(state()) == ("FAILED", "TimedOut")
    listed = CliRunner().invoke(app, ["runs", "--json", "-c", str(tmp_path / "flows.yaml")])
    (journaled,) = json.loads(listed.output)["runs"]
    assert journaled["status"] == "failed"

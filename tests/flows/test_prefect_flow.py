"""The Prefect layer: a job as a flow run with one task per source, and no Prefect without asking.

Flow-level tests share one temporary Prefect server for the whole session (it takes seconds
to start); everything else is tested without Prefect.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.flows.test_cli import sample_project  # noqa: F401 - shared fixture

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    import os

    home = tmp_path_factory.mktemp("prefect-home")
    saved = {k: os.environ.get(k) for k in ("PREFECT_HOME", "PREFECT_SERVER_ANALYTICS_ENABLED")}
    os.environ["PREFECT_HOME"] = str(home)
    os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.mark.prefect
@pytest.mark.usefixtures("prefect_server")
def test_a_job_runs_as_a_flow_with_a_task_per_source(sample_project: Path) -> None:  # noqa: F811
    from prefect import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterName

    from flows.prefect_flows import crmbridge_job

    report = crmbridge_job(str(sample_project), "sample")
    assert report.counts["read"] == 26
    assert report.counts["rejected"] == 4

    async def inspect() -> tuple[str, list[str], list[str]]:
        async with get_client() as client:
            runs = await client.read_flow_runs(
                flow_run_filter=FlowRunFilter(name=FlowRunFilterName(any_=["sample"]))
            )
            run = runs[0]
            tasks = await client.read_task_runs()
            artifacts = await client.read_artifacts()
            return (
                str(run.state_type.value if run.state_type else ""),
                sorted(t.name.rsplit("-", 1)[0] for t in tasks if t.flow_run_id == run.id),
                [a.key or "" for a in artifacts],
            )

    import asyncio

    state, task_names, artifact_keys = asyncio.run(inspect())
    assert state == "COMPLETED"
    assert task_names == ["normalise customers_cn.csv", "normalise customers_en.csv"]
    assert "crmbridge-sample" in artifact_keys


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

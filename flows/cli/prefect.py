"""``crmbridge serve`` and ``crmbridge deploy``: the jobs on a Prefect server.

Prefect is imported only when one of these runs (``flows.prefect_flows`` costs a second).
"""

from __future__ import annotations

import json
import os
from typing import Annotated

import typer
from rich.table import Table

from flows.cli.args import envelope
from flows.cli.common import (
    DEFAULT_CONFIG,
    ConfigOption,
    fail,
    load_config_or_exit,
    out,
    user_errors,
)
from flows.config import FlowsConfig
from flows.report import ExitCode

__all__ = ["register"]

JsonOption = Annotated[
    bool, typer.Option("--json", help="Print JSON (a versioned schema) instead of a table.")
]


def _need_prefect_server(what: str) -> None:
    if not os.environ.get("PREFECT_API_URL"):
        raise fail(
            f"set PREFECT_API_URL to the Prefect server that should {what} "
            "(e.g. export PREFECT_API_URL=http://127.0.0.1:4200/api)",
            ExitCode.CONFIG_ERROR,
        )


def _known_jobs(cfg: FlowsConfig, names: list[str]) -> None:
    unknown = [n for n in names if n not in {j.name for j in cfg.jobs}]
    if unknown:
        raise fail(f"unknown job(s): {', '.join(unknown)}", ExitCode.CONFIG_ERROR)


def serve(
    config: ConfigOption = DEFAULT_CONFIG,
    job: Annotated[
        list[str] | None, typer.Argument(help="Jobs to serve; default: all with a schedule.")
    ] = None,
) -> None:
    """Serve scheduled jobs as Prefect deployments of this process (needs PREFECT_API_URL)
    until stopped."""
    cfg = load_config_or_exit(config)
    _need_prefect_server("schedule the jobs")
    names = job or []
    _known_jobs(cfg, names)
    from flows.prefect_flows import serve_jobs

    try:
        serve_jobs(config, names)
    except ValueError as exc:
        raise fail(str(exc), ExitCode.CONFIG_ERROR) from None


def deploy(
    config: ConfigOption = DEFAULT_CONFIG,
    job: Annotated[
        list[str] | None,
        typer.Argument(help="Jobs to deploy; default: all with a schedule."),
    ] = None,
    pool: Annotated[
        str,
        typer.Option(envvar="CRMBRIDGE_WORK_POOL", help="Prefect work pool (made if missing)."),
    ] = "crmbridge",
    as_json: JsonOption = False,
) -> None:
    """Register jobs as deployments on a Prefect work pool, for `prefect worker start`.

    Idempotent: a deployment whose job is unchanged in flows.yaml is left alone. Deployments
    are named <project>.<job> (project: in flows.yaml, default the folder's name); each CRM
    system gets a concurrency limit on the tag crm-<system> (its prefect_concurrency)."""
    from flows.orchestration import deployment_specs, system_limits

    cfg = load_config_or_exit(config)
    _need_prefect_server("hold the deployments")
    names = job or []
    _known_jobs(cfg, names)
    try:
        specs = deployment_specs(cfg, names)
    except ValueError as exc:
        raise fail(str(exc), ExitCode.CONFIG_ERROR) from None
    if not specs:
        raise fail("no job with a schedule to deploy; add `schedule:` to a job in flows.yaml "
                   "or name the jobs", ExitCode.CONFIG_ERROR)  # fmt: skip
    from flows.prefect_flows import deploy_jobs, ensure_system_limits, ensure_work_pool

    with user_errors():
        pool_status = ensure_work_pool(pool)
        limits = ensure_system_limits(system_limits(cfg, [s.job for s in specs]))
        outcomes = deploy_jobs(cfg, names, pool)
    if as_json:
        data = {
            "project": cfg.project_name,
            "work_pool": {"name": pool, "status": pool_status},
            "concurrency_limits": [
                {"tag": tag, "limit": system_limits(cfg, [s.job for s in specs])[tag],
                 "status": status}
                for tag, status in limits.items()
            ],
            "deployments": [
                {"name": o.spec.full_name, "job": o.spec.job, "schedule": o.spec.cron,
                 "timezone": o.spec.timezone, "tags": o.spec.tags, "status": o.status}
                for o in outcomes
            ],
        }  # fmt: skip
        out.print_json(json.dumps(envelope("deploy", data), ensure_ascii=False))
        return
    title = f"project {cfg.project_name} on work pool {pool} ({pool_status})"
    table = Table("deployment", "schedule", "tags", "status", title=title)
    for o in outcomes:
        schedule = f"{o.spec.cron} ({o.spec.timezone})" if o.spec.cron else "-"
        table.add_row(o.spec.full_name, schedule, " ".join(o.spec.tags), o.status)
    out.print(table)
    for tag, status in limits.items():
        slots = system_limits(cfg, [s.job for s in specs])[tag]
        out.print(f"concurrency limit {tag}: {slots} ({status})", highlight=False)
    out.print(f"start a worker with: prefect worker start --pool {pool}", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("deploy")(deploy)

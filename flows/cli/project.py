"""``crmbridge validate`` and ``crmbridge jobs``: what flows.yaml holds, checked and listed."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from flows.cli.args import envelope
from flows.cli.common import (
    DEFAULT_CONFIG,
    ConfigOption,
    display_path,
    fail,
    load_config_or_exit,
    out,
    user_errors,
)
from flows.config import FlowsConfig
from flows.report import ExitCode

__all__ = ["JsonOption", "register"]

JsonOption = Annotated[
    bool, typer.Option("--json", help="Print JSON (a versioned schema) instead of a table.")
]


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
    app.command("jobs")(jobs)


def validate(
    config: ConfigOption = DEFAULT_CONFIG,
    check_connections: Annotated[
        bool,
        typer.Option(
            "--check-connections",
            help="Also resolve each system's secrets and call it once (a token and its users).",
        ),
    ] = False,
) -> None:
    """Check flows.yaml and every mapping file it names, without running anything."""
    from mapping import load_mapping
    from mapping.yamldoc import YamlDocError

    cfg = load_config_or_exit(config)
    problems: list[str] = []
    endpoints = [e for j in cfg.jobs for e in (*j.sources, *j.targets)]
    mappings = sorted({e.mapping for e in endpoints if e.mapping})
    for path in mappings:
        try:
            load_mapping(path)
        except YamlDocError as exc:
            problems.append(str(exc))
    if problems:
        raise fail("\n".join(problems), ExitCode.CONFIG_ERROR)
    where = display_path(config)
    out.print(f"{where}: {len(cfg.jobs)} jobs and {len(mappings)} mapping files are valid.")
    if check_connections:
        raise typer.Exit(_check_connections(cfg))


def _check_connections(cfg: FlowsConfig) -> int:
    """Open every system a job uses and make one call; print one line per system."""
    import time

    from flows.systems.open import open_system

    used = list(dict.fromkeys(s for j in cfg.jobs for s in j.systems))
    failed = 0
    for name in used:
        started = time.perf_counter()
        try:
            with user_errors():  # a config problem or a refused call, as one line
                system = open_system(name, cfg)
                users = system.users()
        except typer.Exit:
            failed += 1
            continue
        seconds = time.perf_counter() - started
        out.print(
            f"[green]ok[/] {name}: {len(users)} users, {system.api_calls} API calls, "
            f"{seconds:.2f}s",
            highlight=False,
        )
    if not used:
        out.print("no CRM system is used by a job: nothing to connect to.")
    return int(ExitCode.FAILURE if failed else ExitCode.OK)


def jobs(config: ConfigOption = DEFAULT_CONFIG, as_json: JsonOption = False) -> None:
    """List the jobs of flows.yaml."""
    cfg = load_config_or_exit(config)
    if as_json:
        data = {
            "config": str(cfg.path),
            "project": cfg.project_name,
            "jobs": [
                {
                    "name": j.name,
                    "kind": j.kind.value,
                    "description": j.description,
                    "schedule": j.schedule,
                    "timezone": j.timezone,
                    "sources": [s.label for s in j.sources],
                    "targets": [t.label for t in j.targets],
                    "systems": j.systems,
                    "retries": j.retries,
                    "timeout_seconds": j.timeout_seconds,
                    "tags": list(j.tags),
                    "alerts": j.alerts is not None,
                }
                for j in cfg.jobs
            ],
        }
        out.print_json(json.dumps(envelope("jobs", data), ensure_ascii=False))
        return
    table = Table("job", "kind", "schedule", "sources", "targets", title=display_path(config))
    for j in cfg.jobs:
        table.add_row(
            j.name,
            j.kind,
            j.schedule or "-",
            "\n".join(s.label for s in j.sources),
            "\n".join(t.label for t in j.targets),
        )
    out.print(table)

"""The ``crmbridge`` command line. It owns the terminal: progress bars, tables, exit codes.

Exit codes: 0 success, 1 failure, 2 configuration error, 3 finished with rejects.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.logging import RichHandler
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from flows.cli import customers as cli_customers
from flows.cli import dedupe as cli_dedupe
from flows.cli import prefect as cli_prefect
from flows.cli import privacy as cli_privacy
from flows.cli import sync as cli_sync
from flows.cli.args import CrmbridgeGroup, envelope
from flows.cli.common import (
    DEFAULT_CONFIG,
    ConfigOption,
    display_path,
    err,
    fail,
    load_config_or_exit,
    out,
    print_quality,
    status_markup,
    user_errors,
)
from flows.cli.sandbox import sandbox_app
from flows.cli.state import state_app
from flows.config import ConfigError, FlowsConfig, JobConfig
from flows.csv_source import MissingColumnError
from flows.report import ExitCode, RunReport
from flows.store import StateStore

if TYPE_CHECKING:
    from flows.execution import JobSwitches

__all__ = ["app", "main"]

app = typer.Typer(
    name="crmbridge",
    cls=CrmbridgeGroup,
    help="Sync, migrate and clean customers between Zoho CRM, Fxiaoke and CSV files.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

JsonOption = Annotated[
    bool, typer.Option("--json", help="Print JSON (a versioned schema) instead of a table.")
]


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        out.print(f"crmbridge {version('crmbridge')}", highlight=False)
        raise typer.Exit()


@app.callback()
def _setup(
    verbose: Annotated[
        int,
        typer.Option(
            "--verbose", "-v", count=True, help="-v info, -vv debug (before or after the command)."
        ),
    ] = 0,
    _config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            "-c",
            help="flows.yaml to use (before or after the command).",
            show_default=False,
        ),
    ] = None,
    _show_version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
    show_pii: Annotated[
        bool,
        typer.Option(
            "--show-pii",
            help="Show phones, emails and names in logs unmasked, to debug (before or after "
            "the command). Secrets stay masked.",
        ),
    ] = False,
) -> None:
    from flows.privacy.logfilter import LogScrubber
    from flows.privacy.masking import show_pii as set_show_pii

    level = (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    if show_pii:
        set_show_pii(True)
    # The handler filters too: inside a Prefect run our loggers open up to INFO for the run's
    # log (flows.runlog), and the terminal must still show only what -v asked for. Every line
    # it writes, ours or a library's, has secrets and (unless --show-pii) personal data masked.
    handler = RichHandler(console=err, show_path=False, rich_tracebacks=False, level=level)
    handler.addFilter(LogScrubber())
    logging.basicConfig(level=level, format="%(message)s", handlers=[handler])


def _use_prefect(flag: bool | None) -> bool:
    return flag if flag is not None else bool(os.environ.get("PREFECT_API_URL"))


def _summary(report: RunReport) -> Table:
    table = Table(
        title=f"{report.job} ({report.kind}) run {report.run_id[:8]}", title_justify="left"
    )
    # Parked and failed records appear only when a run has some (sync and migrate runs).
    columns = ["read", "written", "rejected"]
    columns += [c for c in ("parked", "failed") if any(getattr(s, c) for s in report.sources)]
    columns.append("duplicates")
    table.add_column("source")
    for column in columns:
        table.add_column(column, justify="right")
    for s in report.sources:
        table.add_row(s.label, *(str(getattr(s, column)) for column in columns))
    totals = report.counts
    table.add_row(
        "[bold]total[/]", *(f"[bold]{totals.get(k, 0)}[/]" for k in columns), end_section=True
    )
    return table


def _print_report(report: RunReport) -> None:
    out.print(_summary(report))
    if report.actions:
        out.print(cli_sync.outcome_table(report))
    if report.api_calls:
        calls = ", ".join(f"{name} {n}" for name, n in sorted(report.api_calls.items()))
        out.print(f"API calls: {calls}", highlight=False)
    for label, path in report.outputs.items():
        out.print(f"{label:>10}: {display_path(path)}", highlight=False)
    if report.resolved_dead_letters:
        out.print(f"{report.resolved_dead_letters} earlier rejects now map and were resolved.")
    print_quality(report)
    out.print(
        f"{status_markup(report)} in {report.seconds:.2f}s"
        + (f": {report.message}" if report.message else ""),
        highlight=False,
    )


@app.command()
def run(
    job: Annotated[str | None, typer.Argument(help="Job name; default: the first job.")] = None,
    config: ConfigOption = DEFAULT_CONFIG,
    prefect: Annotated[
        bool | None,
        typer.Option(
            "--prefect/--no-prefect",
            help="Run as a Prefect flow run. Default: only when PREFECT_API_URL is set.",
            show_default=False,
        ),
    ] = None,
    confirm_deletes: Annotated[
        bool,
        typer.Option(
            "--confirm-deletes",
            help="Sync/migrate: let this run delete more than the job's max_delete_share.",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the run report as JSON.")] = False,
) -> None:
    """Run a job of flows.yaml."""
    from flows.execution import JobSwitches
    from flows.runner import UnsupportedJobError, check_runnable

    cfg = load_config_or_exit(config)
    try:
        job_config = cfg.job(job) if job else cfg.default_job
        check_runnable(job_config)
    except (ConfigError, UnsupportedJobError) as exc:
        raise fail(str(exc), ExitCode.CONFIG_ERROR) from None
    switches = JobSwitches(confirm_deletes=confirm_deletes)
    with user_errors(config=(MissingColumnError,)):
        if _use_prefect(prefect):
            report = _run_in_prefect(cfg, job_config, switches)
        else:
            report = _run_with_progress(cfg, job_config, switches)
    if as_json:
        out.print_json(data=envelope("run", report.to_dict()))
    else:
        _print_report(report)
    raise typer.Exit(int(report.exit_code))


def _run_in_prefect(cfg: FlowsConfig, job_config: JobConfig, switches: JobSwitches) -> RunReport:
    from flows.prefect_flows import JobFailedError, run_as_flow

    try:
        return run_as_flow(cfg, job_config, switches)
    except JobFailedError as exc:  # failed without raising: the report says why
        return exc.report


def _run_with_progress(cfg: FlowsConfig, job_config: JobConfig, switches: JobSwitches) -> RunReport:
    from flows.execution import execute

    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed} records"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(label: str, count: int) -> None:
            if label not in tasks:
                tasks[label] = bar.add_task(label, total=None)
            bar.advance(tasks[label], count)

        return execute(cfg, job_config, switches, progress=progress)


@app.command()
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


@app.command()
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


@app.command()
def runs(
    config: ConfigOption = DEFAULT_CONFIG,
    job: Annotated[str | None, typer.Option(help="Only this job.")] = None,
    limit: Annotated[int, typer.Option(help="How many runs to show.")] = 20,
    as_json: JsonOption = False,
) -> None:
    """Show the run history, newest first (with the Prefect flow run of each, if any)."""
    cfg = load_config_or_exit(config)
    with StateStore.open(cfg.state_url) as store:
        store.reap_abandoned_runs()  # a killed run shows as aborted, with what it committed
        records = store.runs.recent(job=job, limit=limit)
    if as_json:
        rows = [
            {
                "id": r.id,
                "job": r.job,
                "kind": r.kind,
                "status": r.status.value,
                "started_at": r.started_at.isoformat(),
                "finished_at": r.finished_at.isoformat() if r.finished_at else None,
                "counts": dict(r.counts),
                "message": r.message,
                "host": r.host,
                "pid": r.pid,
                "flow_run_id": r.flow_run_id,
            }
            for r in records
        ]
        out.print_json(json.dumps(envelope("runs", {"runs": rows}), ensure_ascii=False))
        return
    table = Table("run", "job", "kind", "status", "started (UTC)", "seconds", "flow run", "counts")
    for r in records:
        seconds = f"{(r.finished_at - r.started_at).total_seconds():.2f}" if r.finished_at else "-"
        counts = " ".join(f"{k}={v}" for k, v in r.counts.items() if v)
        table.add_row(r.id[:8], r.job, r.kind, r.status.value,
                      r.started_at.strftime("%Y-%m-%d %H:%M:%S"), seconds,
                      (r.flow_run_id or "-")[:8], counts)  # fmt: skip
    out.print(table if records else "No runs yet.")


@app.command()
def rejects(
    config: ConfigOption = DEFAULT_CONFIG,
    job: Annotated[str | None, typer.Option(help="Only this job.")] = None,
    limit: Annotated[int, typer.Option(help="How many to show.")] = 50,
    as_json: JsonOption = False,
) -> None:
    """Show the open dead letters: records not in their target, with the reason: rejected
    (they do not map, or the target refused them), parked (waiting for a parent) or failed
    (outcome unknown). Every one is retried by the job's next run."""
    cfg = load_config_or_exit(config)
    with StateStore.open(cfg.state_url) as store:
        letters = store.dead_letters.list_open(job=job, limit=limit)
        total = store.dead_letters.count_open(job)
    if as_json:
        rows = [
            {
                "job": d.job,
                "source": {"system": d.source.system, "object": d.source.object,
                           "id": d.source.id},
                "row": d.row,
                "field": d.field,
                "outcome": d.outcome,
                "reason": d.reason,
                "value": d.value,
                "attempts": d.attempts,
                "first_seen": d.first_seen.isoformat(),
                "last_seen": d.last_seen.isoformat(),
                "run_id": d.last_run_id,
            }
            for d in letters
        ]  # fmt: skip
        data = envelope("rejects", {"open": total, "rejects": rows})
        out.print_json(json.dumps(data, ensure_ascii=False))
        return
    table = Table(
        "job", "source", "row", "outcome", "field", "reason", "tries", title=f"{total} open rejects"
    )
    for d in letters:
        # Record data is shown as plain text: a "[...]" in it is not rich markup.
        table.add_row(d.job, Text(str(d.source)), "" if d.row is None else str(d.row), d.outcome,
                      Text(d.field or ""), Text(d.reason), str(d.attempts))  # fmt: skip
    out.print(table if letters else "No open rejects.")


cli_prefect.register(app)
app.add_typer(sandbox_app)
app.add_typer(state_app)
cli_dedupe.register(app)
cli_sync.register(app)
cli_customers.register(app)
cli_privacy.register(app)


def main() -> None:
    from flows.interrupt import exit_promptly_on_interrupt

    exit_promptly_on_interrupt()
    app()

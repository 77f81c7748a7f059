"""``crmbridge run``: run one job of flows.yaml, here or as a Prefect flow run.

Owns what a run shows on the terminal: the progress bars while it runs, the summary table
and the exit code (the run's) when it ends.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from flows.cli import sync as cli_sync
from flows.cli.args import envelope
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
from flows.config import ConfigError, FlowsConfig, JobConfig
from flows.csv_source import MissingColumnError
from flows.report import ExitCode, RunReport

if TYPE_CHECKING:
    from flows.execution import JobSwitches

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    app.command("run")(run)


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
            from flows.exit_memory import free_at_exit_only

            free_at_exit_only()  # one run, then the command ends: its result is freed by the exit
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

"""The ``crmbridge`` command line. It owns the terminal: progress bars, tables, exit codes.

Exit codes: 0 success, 1 failure, 2 configuration error, 3 finished with rejects.
"""

from __future__ import annotations

import logging
import os
from typing import Annotated

import typer
from rich.logging import RichHandler
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from flows import cli_dedupe, cli_sync
from flows.cli_common import (
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
from flows.store import StateStore

__all__ = ["app", "main"]

app = typer.Typer(
    name="crmbridge",
    help="Sync, migrate and clean customers between Zoho CRM, Fxiaoke and CSV files.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _setup(
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, help="-v info, -vv debug")
    ] = 0,
) -> None:
    level = (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    logging.basicConfig(
        level=level,
        format="%(message)s",
        handlers=[RichHandler(console=err, show_path=False, rich_tracebacks=False)],
    )


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
    from flows.runner import UnsupportedJobError, check_runnable

    cfg = load_config_or_exit(config)
    try:
        job_config = cfg.job(job) if job else cfg.default_job
        check_runnable(job_config)
    except (ConfigError, UnsupportedJobError) as exc:
        raise fail(str(exc), ExitCode.CONFIG_ERROR) from None
    if confirm_deletes:
        if _use_prefect(prefect):
            raise fail(
                "--confirm-deletes applies to a local run; for a Prefect run set "
                "sync.confirm_deletes: true in flows.yaml for that run",
                ExitCode.CONFIG_ERROR,
            )
        job_config = cli_sync.confirmed(job_config)
    with user_errors(config=(MissingColumnError,)):
        if _use_prefect(prefect):
            from flows.prefect_flows import crmbridge_job

            report = crmbridge_job(str(config), job_config.name)
        else:
            report = _run_with_progress(cfg, job_config)
    if as_json:
        out.print_json(data=report.to_dict())
    else:
        _print_report(report)
    raise typer.Exit(int(report.exit_code))


def _run_with_progress(cfg: FlowsConfig, job_config: JobConfig) -> RunReport:
    from flows.runner import run_job

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

        return run_job(cfg, job_config, progress=progress)


@app.command()
def validate(config: ConfigOption = DEFAULT_CONFIG) -> None:
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


@app.command()
def jobs(config: ConfigOption = DEFAULT_CONFIG) -> None:
    """List the jobs of flows.yaml."""
    cfg = load_config_or_exit(config)
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
) -> None:
    """Show the run history, newest first."""
    cfg = load_config_or_exit(config)
    with StateStore.open(cfg.state_url) as store:
        records = store.runs.recent(job=job, limit=limit)
    table = Table("run", "job", "kind", "status", "started (UTC)", "seconds", "counts")
    for r in records:
        seconds = f"{(r.finished_at - r.started_at).total_seconds():.2f}" if r.finished_at else "-"
        counts = " ".join(f"{k}={v}" for k, v in r.counts.items() if v)
        table.add_row(r.id[:8], r.job, r.kind, r.status.value,
                      r.started_at.strftime("%Y-%m-%d %H:%M:%S"), seconds, counts)  # fmt: skip
    out.print(table if records else "No runs yet.")


@app.command()
def rejects(
    config: ConfigOption = DEFAULT_CONFIG,
    job: Annotated[str | None, typer.Option(help="Only this job.")] = None,
    limit: Annotated[int, typer.Option(help="How many to show.")] = 50,
) -> None:
    """Show the open dead letters: records a run could not map, with the reason."""
    cfg = load_config_or_exit(config)
    with StateStore.open(cfg.state_url) as store:
        letters = store.dead_letters.list_open(job=job, limit=limit)
        total = store.dead_letters.count_open(job)
    table = Table("job", "source", "row", "field", "reason", "tries", title=f"{total} open rejects")
    for d in letters:
        table.add_row(d.job, str(d.source), "" if d.row is None else str(d.row), d.field or "",
                      d.reason, str(d.attempts))  # fmt: skip
    out.print(table if letters else "No open rejects.")


@app.command()
def serve(
    config: ConfigOption = DEFAULT_CONFIG,
    job: Annotated[
        list[str] | None, typer.Argument(help="Jobs to serve; default: all with a schedule.")
    ] = None,
) -> None:
    """Serve scheduled jobs as Prefect deployments (needs PREFECT_API_URL) until stopped."""
    cfg = load_config_or_exit(config)
    if not os.environ.get("PREFECT_API_URL"):
        raise fail("set PREFECT_API_URL to the Prefect server that should schedule the jobs",
                    ExitCode.CONFIG_ERROR)  # fmt: skip
    from flows.prefect_flows import serve_jobs

    names = job or []
    unknown = [n for n in names if n not in {j.name for j in cfg.jobs}]
    if unknown:
        raise fail(f"unknown job(s): {', '.join(unknown)}", ExitCode.CONFIG_ERROR)
    try:
        serve_jobs(config, names)
    except ValueError as exc:
        raise fail(str(exc), ExitCode.CONFIG_ERROR) from None


SANDBOXES = {
    "zoho": "connectors.zoho.sandbox.__main__",
    "fxiaoke": "connectors.fxiaoke.sandbox.__main__",
}


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)
def sandbox(
    ctx: typer.Context,
    system: Annotated[str, typer.Argument(help="zoho or fxiaoke")],
) -> None:
    """Serve a local fake of a CRM's API, to try crmbridge without credentials.

    Options after SYSTEM go to the sandbox; see `crmbridge sandbox zoho --help`.
    """
    import importlib

    if system not in SANDBOXES:
        names = " or ".join(SANDBOXES)
        raise fail(f"no sandbox for '{system}'; choose {names}", ExitCode.CONFIG_ERROR)
    module = importlib.import_module(SANDBOXES[system])
    raise typer.Exit(module.main(list(ctx.args)))


cli_dedupe.register(app)
cli_sync.register(app)


def main() -> None:
    app()

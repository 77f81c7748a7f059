"""``crmbridge dedupe JOB``: find duplicates and print the merge plan; ``--apply`` merges.

A plan run writes the outputs (clusters, golden records, the HTML report, merge_plan.json)
and changes nothing in the systems. ``--apply`` runs the same and then carries the plan
out, honouring the reviewer's decisions file; ``crmbridge undo RUN`` takes it back.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from flows.cli.args import envelope
from flows.cli.common import (
    DEFAULT_CONFIG,
    ConfigOption,
    display_path,
    err,
    fail,
    out,
    status_markup,
    user_errors,
)
from flows.config import FlowsConfig, JobConfig, JobKind, load_config
from flows.context import ProgressCallback, StageCallback
from flows.csv_source import MissingColumnError
from flows.report import ExitCode, RunReport

__all__ = ["register"]

_PLAN_ROWS = 40


def _job(cfg: FlowsConfig, name: str | None) -> JobConfig:
    """The named job, else the first dedupe job; raises ConfigError or typer.Exit."""
    if name is not None:
        return cfg.job(name)
    found = next((j for j in cfg.jobs if j.kind is JobKind.DEDUPE), None)
    if found is None:
        raise fail(f"{cfg.path}: there is no job of kind dedupe", ExitCode.CONFIG_ERROR)
    return found


def _shorten(values: list[str], limit: int = 3) -> str:
    shown = ", ".join(values[:limit])
    return shown + (f" +{len(values) - limit}" if len(values) > limit else "")


def _plan_table(count: int, items: list[dict[str, Any]]) -> Table:
    """The first items of the plan (``plan_preview``) of ``count`` items."""
    table = Table(title=f"merge plan ({count} items)", title_justify="left")
    for column in ("entity", "decision", "action", "system:object", "master", "duplicates"):
        table.add_column(column)
    table.add_column("fields", justify="right")
    table.add_column("reason")
    for item in items[:_PLAN_ROWS]:
        action = "[green]merge[/]" if item["merge"] else "[yellow]skip[/]"
        table.add_row(
            item["entity_id"][:8],
            item["decision"],
            action if item["merge"] else "skip",
            Text(f"{item['system']}:{item['object']}"),
            Text(item["master_id"]),
            Text(_shorten(list(item["duplicate_ids"]))),
            str(len(item["updates"])),
            Text(item["reason"]),
        )
    if count > _PLAN_ROWS:
        table.add_row("…", "", "", "", "", f"{count - _PLAN_ROWS} more in merge_plan.json")
    return table


def _print(report: RunReport, applying: bool) -> None:
    from flows.dedupe.plan import plan_preview

    summary_path = report.outputs.get("summary")
    journaled = 0
    plan_path = report.outputs.get("plan")
    if plan_path is not None and plan_path.exists():
        out.print(_plan_table(*plan_preview(plan_path, _PLAN_ROWS)))
    if summary_path is not None and summary_path.exists():
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
        journaled = int(summary["counts"].get("applied_journaled", 0))
        counts = " ".join(f"{k}={v}" for k, v in summary["counts"].items())
        index = summary["index"]
        out.print(f"counts: {counts}", highlight=False)
        out.print(
            f"index ({index['mode']}): {index['new']} new, {index['changed']} changed, "
            f"{index['unchanged']} unchanged, {index['attached']} attached, "
            f"{index['created']} new entities, {index['removed']} removed, "
            f"{index.get('goldens_reused', 0)} golden records reused",
            highlight=False,
        )
        timings = " ".join(f"{k}={v:.3f}s" for k, v in summary["timings"].items())
        out.print(f"timings: {timings}", highlight=False)
        for problem in summary.get("problems", []):
            err.print(f"[red]problem:[/] {problem}", highlight=False, soft_wrap=True)
    for label, path in report.outputs.items():
        out.print(f"{label:>13}: {display_path(path)}", highlight=False)
    out.print(f"{status_markup(report)} in {report.seconds:.2f}s: {report.message}")
    if applying and journaled:
        out.print(f"undo with: crmbridge undo {report.run_id}", highlight=False)
    elif applying:
        out.print("no system was changed: nothing to undo", highlight=False)
    else:
        out.print("dry run: nothing was changed; add --apply to merge", highlight=False)


class _StageBars:
    """One line per stage on stderr: records done of how many, elapsed time and ETA. A
    stage that starts finishes the one before it (the engine's stages report no steps)."""

    def __init__(self, bars: Progress) -> None:
        self._bars = bars
        self._tasks: dict[str, TaskID] = {}
        self._current: TaskID | None = None

    def start(self, label: str, total: int | None) -> None:
        self._finish_current()
        task = self._tasks.get(label)
        if task is None:
            task = self._tasks[label] = self._bars.add_task(label, total=total)
        else:
            self._bars.update(task, total=total)
        self._current = task

    def advance(self, label: str, count: int) -> None:
        task = self._tasks.get(label)
        if task is None:
            self.start(label, None)
            task = self._tasks[label]
        self._bars.advance(task, count)

    def _finish_current(self) -> None:
        if self._current is None:
            return
        done = self._bars.tasks[self._current].completed
        total = self._bars.tasks[self._current].total
        self._bars.update(
            self._current, total=max(done, total or 0) or 1, completed=total or done or 1
        )
        self._bars.stop_task(self._current)


@contextmanager
def _stage_bars() -> Iterator[tuple[ProgressCallback, StageCallback]]:
    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as bars:
        stages = _StageBars(bars)
        yield stages.advance, stages.start


def dedupe(
    job: Annotated[
        str | None, typer.Argument(help="Dedupe job; default: the first dedupe job.")
    ] = None,
    apply: Annotated[
        bool, typer.Option("--apply", help="Merge in the systems (default: only plan).")
    ] = False,
    decisions: Annotated[
        Path | None,
        typer.Option(help="Reviewer decisions CSV (entity_id,decision); default: the job's."),
    ] = None,
    full: Annotated[
        bool,
        typer.Option("--full", help="Resolve every record again (entity ids are kept)."),
    ] = False,
    config: ConfigOption = DEFAULT_CONFIG,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON (schema crmbridge.dedupe/1).")
    ] = False,
) -> None:
    """Find duplicates, write golden records and the review report, print the merge plan."""
    from flows.dedupe.review import ReviewFileError
    from flows.dedupe.sources import DedupeSourceError
    from flows.execution import JobSwitches, execute
    from flows.exit_memory import free_at_exit_only

    free_at_exit_only()  # one run, then the command ends: its result is freed by the exit

    with user_errors(config=(MissingColumnError, ReviewFileError, DedupeSourceError)):
        cfg = load_config(config)
        job_config = _job(cfg, job)
        if job_config.kind is not JobKind.DEDUPE:
            raise fail(
                f"job '{job_config.name}' is of kind {job_config.kind.value}, not dedupe",
                ExitCode.CONFIG_ERROR,
            )
        # The command line's default is a dry run, whatever flows.yaml's dedupe.apply says.
        switches = JobSwitches(apply=apply, full=full, decisions=decisions)
        with _stage_bars() as (progress, stage):
            report = execute(cfg, job_config, switches, progress=progress, stage=stage)
    if as_json:
        _print_json(report, apply)
    else:
        _print(report, apply)
    raise typer.Exit(int(report.exit_code))


def _print_json(report: RunReport, applying: bool) -> None:
    summary_path = report.outputs.get("summary")
    summary = (
        json.loads(summary_path.read_text(encoding="utf-8"))
        if summary_path is not None and summary_path.exists()
        else None
    )
    data = envelope("dedupe", {"applied": applying, "run": report.to_dict(), "summary": summary})
    out.print_json(json.dumps(data, ensure_ascii=False))


def register(app: typer.Typer) -> None:
    app.command(name="dedupe")(dedupe)

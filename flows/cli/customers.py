"""``crmbridge tier JOB``, ``assign JOB`` and ``feedback JOB``: plan first, ``--apply`` to
write. Without ``--apply`` a run reads, decides and reports (moves, reassignments, the writes
it would make) and writes nothing to any CRM; ``crmbridge run JOB`` (and a schedule) applies.

``tier JOB --out plan.json`` keeps the write plan; ``tier JOB --apply --plan plan.json``
writes exactly that plan, refusing records changed since.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from flows.cli.args import envelope
from flows.cli.common import (
    DEFAULT_CONFIG,
    ConfigOption,
    display_path,
    fail,
    load_config_or_exit,
    out,
    print_quality,
    status_markup,
    user_errors,
)
from flows.config import ConfigError, JobConfig, JobKind
from flows.report import ExitCode, RunReport

__all__ = ["register"]

ApplyOption = Annotated[bool, typer.Option("--apply", help="Write to the CRMs (default: plan).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the run report as JSON.")]
_ROWS = 20


def _job(config: Path, name: str, kind: JobKind) -> JobConfig:
    cfg = load_config_or_exit(config)
    try:
        job = cfg.job(name)
    except ConfigError as exc:
        raise fail(str(exc), ExitCode.CONFIG_ERROR) from None
    if job.kind is not kind:
        raise fail(
            f"job '{name}' is a {job.kind.value} job, not a {kind.value} job", ExitCode.CONFIG_ERROR
        )
    return job


def _execute(config: Path, job: JobConfig, *, apply: bool) -> RunReport:
    from flows.execution import JobSwitches, execute

    cfg = load_config_or_exit(config)
    with user_errors():
        return execute(cfg, job, JobSwitches(dry_run=not apply))


def _dict(value: object) -> dict[str, object]:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[dict[str, object]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _rows(title: str, rows: object, columns: tuple[str, ...]) -> Table | None:
    if not isinstance(rows, list) or not rows:
        return None
    table = Table(*columns, title=title, title_justify="left")
    for item in rows[:_ROWS]:
        if isinstance(item, dict):
            # CRM text is data, never rich markup or emoji codes ("[red]", ":Notes:").
            table.add_row(*(Text("" if item.get(c) is None else str(item.get(c))) for c in columns))
    if len(rows) > _ROWS:
        table.caption = f"{len(rows) - _ROWS} more: see the report"
    return table


def _finish(report: RunReport, as_json: bool, tables: list[Table | str | None]) -> None:
    if as_json:
        out.print_json(json.dumps(envelope("run", report.to_dict()), ensure_ascii=False))
        raise typer.Exit(int(report.exit_code))
    for table in tables:
        if table is not None:
            out.print(table)
    for end, counts in sorted(report.actions.items()):
        shown = ", ".join(f"{status} {n}" for status, n in sorted(counts.items()))
        out.print(Text(f"{end}: {shown}"), highlight=False)
    if report.api_calls:
        calls = ", ".join(f"{name} {n}" for name, n in sorted(report.api_calls.items()))
        out.print(f"API calls: {calls}", highlight=False)
    for label, path in report.outputs.items():
        out.print(f"{label:>13}: {display_path(path)}", highlight=False)
    print_quality(report)
    message = f": {report.message}" if report.message else ""
    out.print(f"{status_markup(report)} in {report.seconds:.2f}s{message}", highlight=False)
    raise typer.Exit(int(report.exit_code))


def tier_command(
    job: Annotated[str, typer.Argument(help="A tier job of flows.yaml.")],
    config: ConfigOption = DEFAULT_CONFIG,
    apply: ApplyOption = False,
    plan: Annotated[
        Path | None, typer.Option("--plan", help="With --apply: write exactly this saved plan.")
    ] = None,
    out_file: Annotated[
        Path | None, typer.Option("--out", "-o", help="Save the write plan (JSON) here too.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Tier, stage and flag customers; report who moved and why. Writes only with --apply."""
    job_config = _job(config, job, JobKind.TIER)
    if plan is not None:
        if not apply:
            raise fail("--plan writes a saved plan: add --apply", ExitCode.CONFIG_ERROR)
        options = job_config.tier.model_copy(update={"plan_file": plan.resolve()})
        job_config = job_config.model_copy(update={"tier": options})
    report = _execute(config, job_config, apply=apply)
    if out_file is not None and "plan" in report.outputs:
        out_file.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(report.outputs["plan"], out_file)
    f = report.figures
    tiers, before, stages = (
        _dict(f.get("tiers")),
        _dict(f.get("tiers_before")),
        _dict(f.get("stages")),
    )
    title = f"{report.job} (tier) run {report.run_id[:8]}, as of {f.get('as_of')}"
    summary = Table("tier", "customers", "last run", "change", title=title, title_justify="left")
    for tier, count in tiers.items():
        last = before.get(tier)
        change = f"{count - last:+d}" if isinstance(last, int) and isinstance(count, int) else ""
        summary.add_row(str(tier), str(count), "" if last is None else str(last), change)
    line = " · ".join(f"{k} {v}" for k, v in stages.items())
    stages_line = f"stages: {line}; at risk: {f.get('at_risk')}"
    moves = [
        {
            "name": m.get("name"),
            "move": m.get("direction"),
            "tier": f"{m.get('from_tier') or '—'} → {m.get('to_tier')}",
            "stage": f"{m.get('from_stage') or '—'} → {m.get('to_stage')}",
            "why": m.get("reason"),
        }
        for m in _list(f.get("moved"))
    ]
    moved = _rows("who moved, and why", moves, ("name", "move", "tier", "stage", "why"))
    risky = _rows("at risk", f.get("at_risk_list"), ("name", "tier", "stage", "risks"))
    _finish(report, as_json, [summary, stages_line, moved, risky])


def assign_command(
    job: Annotated[str, typer.Argument(help="An assign job of flows.yaml.")],
    config: ConfigOption = DEFAULT_CONFIG,
    apply: ApplyOption = False,
    as_json: JsonOption = False,
) -> None:
    """Give accounts owners by the job's rules; list every change. Writes only with --apply."""
    report = _execute(config, _job(config, job, JobKind.ASSIGN), apply=apply)
    rows = [
        {
            "name": r.get("name"),
            "owner": f"{r.get('from_owner') or '—'} → {r.get('to_owner')}",
            "rule": r.get("rule"),
            "why": r.get("reason"),
            "not written": r.get("not_written"),
        }
        for r in _list(report.figures.get("reassigned"))
    ]
    columns: tuple[str, ...] = ("name", "owner", "rule", "why")
    if any(row["not written"] for row in rows):
        columns += ("not written",)
    title = f"{report.job} (assign) run {report.run_id[:8]}: reassignments"
    listed = _rows(title, rows, columns)
    if listed is None:
        out.print("No account needs an owner.")
    _finish(report, as_json, [listed])


def feedback_command(
    job: Annotated[str, typer.Argument(help="A feedback job of flows.yaml.")],
    config: ConfigOption = DEFAULT_CONFIG,
    apply: ApplyOption = False,
    as_json: JsonOption = False,
) -> None:
    """Sync feedback and surveys with their customers; satisfaction per account. Writes
    only with --apply."""
    report = _execute(config, _job(config, job, JobKind.FEEDBACK), apply=apply)
    sources = Table(
        "source",
        "read",
        "written",
        "rejected",
        "parked",
        title=f"{report.job} (feedback) run {report.run_id[:8]}",
        title_justify="left",
    )
    for s in report.sources:
        sources.add_row(Text(s.label), str(s.read), str(s.written), str(s.rejected), str(s.parked))
    accounts = _rows(
        "satisfaction per customer",
        report.figures.get("accounts"),
        ("name", "csat", "nps", "open_complaints", "oldest_open_days", "overdue"),
    )
    _finish(report, as_json, [sources, accounts])


def register(app: typer.Typer) -> None:
    app.command("tier")(tier_command)
    app.command("assign")(assign_command)
    app.command("feedback")(feedback_command)

"""``crmbridge plan JOB``, ``apply PLAN`` and ``undo RUN``: a sync in two steps, and back.

* ``plan`` reads both sides and prints (and with ``--out`` saves) what a run would write,
  writing nothing to any system.
* ``apply`` executes exactly a saved plan, refusing items whose target changed since.
* ``undo`` takes back what a run (sync, migrate, apply or dedupe) wrote, newest change first.
* ``reconcile`` (flows.cli.reconcile) compares a job's source and target record by record.

``undo`` lives in ``flows.cli.undo``, what the commands share in ``flows.cli.sync_args``.

``crmbridge run JOB`` on a sync or migrate job plans and applies in one go.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.table import Table
from rich.text import Text

from flows.cli.common import (
    DEFAULT_CONFIG,
    ConfigOption,
    err,
    fail,
    load_config_or_exit,
    out,
)
from flows.cli.sync_args import ConfirmOption, JsonOption, guarded, sync_job
from flows.cli.undo import undo_command
from flows.config import JobConfig
from flows.report import ExitCode, RunReport

__all__ = ["confirmed", "outcome_table", "register"]


def confirmed(job: JobConfig) -> JobConfig:
    """The job with its mass-delete guard confirmed for one run (``--confirm-deletes``)."""
    return job.model_copy(update={"sync": job.sync.model_copy(update={"confirm_deletes": True})})


def outcome_table(report: RunReport) -> Table:
    """Per object of the run, how many writes ended in each status."""
    statuses = sorted({s for row in report.actions.values() for s in row})
    table = Table(
        "object", *statuses, title=f"{report.job} ({report.kind}) run {report.run_id[:8]}"
    )
    for name, row in sorted(report.actions.items()):
        table.add_row(name, *(str(row.get(s, 0)) for s in statuses))
    return table


def plan_command(
    job: Annotated[str, typer.Argument(help="A sync or migrate job of flows.yaml.")],
    out_file: Annotated[
        Path | None, typer.Option("--out", "-o", help="Save the plan (JSON) for `apply`.")
    ] = None,
    config: ConfigOption = DEFAULT_CONFIG,
    show_skips: Annotated[bool, typer.Option("--all", help="List unchanged records too.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Plan a sync: what a run would create, update or delete. Writes nothing to any system.

    Source records that do not map are listed with the reason and kept as dead letters (see
    `crmbridge rejects`), as `run` does; the plan then exits 3, like a run with rejects."""
    from flows.cli.plan_view import plan_counts_table, plan_table, rejects_table
    from flows.execution import plan_job

    cfg = load_config_or_exit(config)
    job_config = sync_job(cfg, job)

    def work() -> int:
        outcome = plan_job(cfg, job_config)
        plan, rejects, guard, report = outcome.plan, outcome.rejects, outcome.guard, outcome.report
        if out_file is not None:
            from flows.files import write_text_atomic

            out_file.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomic(out_file, plan.to_json())  # owner-only: a plan holds records
        if as_json:
            data = {"plan": json.loads(plan.to_json(indent=None)), "counts": plan.counts()}
            data["run"] = report.to_dict()
            data["guard"] = guard
            data["rejects"] = [
                {"source": str(r.source), "field": r.field, "reason": r.reason} for r in rejects
            ]
            out.print_json(json.dumps(data, ensure_ascii=False))
            return int(report.exit_code)
        out.print(plan_table(plan, include_skips=show_skips))
        out.print(plan_counts_table(plan))
        if rejects:
            out.print(rejects_table(rejects))
        if guard is not None:
            err.print(f"[yellow]warning:[/] {guard}", highlight=False, soft_wrap=True)
        if out_file is not None:
            out.print(f"plan saved to {out_file}; run `crmbridge apply {out_file}` to carry it out")
        return int(report.exit_code)

    raise typer.Exit(guarded(work))


def apply_command(
    plan_file: Annotated[Path, typer.Argument(help="A plan saved by `crmbridge plan --out`.")],
    config: ConfigOption = DEFAULT_CONFIG,
    confirm_deletes: ConfirmOption = False,
    as_json: JsonOption = False,
) -> None:
    """Carry out a saved plan exactly; items whose target changed since are refused."""
    from flows.jobs.sync import apply_saved_plan, open_job_systems
    from flows.runner import journaled_run
    from flows.sync.planning.plan import Plan

    cfg = load_config_or_exit(config)
    try:
        plan = Plan.from_json(plan_file.read_bytes())
    except (OSError, ValidationError) as exc:
        raise fail(f"{plan_file}: not a readable plan ({exc})", ExitCode.CONFIG_ERROR) from None
    job_config = sync_job(cfg, plan.job)

    def work() -> int:
        with journaled_run(cfg, job_config, "apply") as ctx:
            systems = open_job_systems(job_config, cfg)
            routes = apply_saved_plan(
                job_config, ctx, systems, plan, confirm_deletes=confirm_deletes
            )
        report = ctx.report
        refused = [(item, why) for route in routes for item, why in route.refused]
        if as_json:
            data = report.to_dict()
            data["refused"] = [
                {"item": item.canonical_id, "target": str(item.target), "reason": why}
                for item, why in refused
            ]
            out.print_json(json.dumps(data, ensure_ascii=False))
        else:
            out.print(outcome_table(report))
            if refused:
                table = Table("action", "target", "reason", title=f"{len(refused)} items refused")
                for item, why in refused:
                    table.add_row(item.action.value, Text(str(item.target)), Text(why))
                out.print(table)
            out.print(
                f"{report.status.value} in {report.seconds:.2f}s; API calls {report.api_calls}"
            )
        return int(report.exit_code)

    raise typer.Exit(guarded(work))


def register(app: typer.Typer) -> None:
    app.command("plan")(plan_command)
    app.command("apply")(apply_command)
    app.command("undo")(undo_command)
    app.command("reconcile")(reconcile_command)


def reconcile_command(
    job: Annotated[str, typer.Argument(help="The sync or migrate job to reconcile.")],
    config: ConfigOption = DEFAULT_CONFIG,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Folder for the reports; default .crmbridge/out."),
    ] = None,
    samples: Annotated[
        int, typer.Option("--samples", min=0, help="Mismatch samples kept per field.")
    ] = 20,  # flows.reconcile.compare.DEFAULT_SAMPLE_LIMIT, not imported to keep the CLI light
    as_json: JsonOption = False,
) -> None:
    """Compare both ends of a job: counts, per-field checksums, mismatch samples."""
    # Imported here: the reconciliation stack (systems, planner) is not needed by other commands.
    from flows.cli import reconcile as reconcile_cli

    reconcile_cli.reconcile_command(job, config, out_dir, samples, as_json)

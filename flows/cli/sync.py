"""``crmbridge plan JOB``, ``apply PLAN`` and ``undo RUN``: a sync in two steps, and back.

* ``plan`` reads both sides and prints (and with ``--out`` saves) what a run would write,
  writing nothing to any system.
* ``apply`` executes exactly a saved plan, refusing items whose target changed since.
* ``undo`` takes back what a run (sync, migrate, apply or dedupe) wrote, newest change first.
* ``reconcile`` (flows.cli.reconcile) compares a job's source and target record by record.

``crmbridge run JOB`` on a sync or migrate job plans and applies in one go.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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
    user_errors,
)
from flows.config import ConfigError, FlowsConfig, JobConfig, JobKind
from flows.report import ExitCode, RunReport
from flows.store import RunRecord, StateStore, StateStoreError

if TYPE_CHECKING:
    from connectors.record_system import RecordSystem

__all__ = ["confirmed", "outcome_table", "register"]

_SYNC_KINDS = (JobKind.SYNC, JobKind.MIGRATE)

JsonOption = Annotated[bool, typer.Option("--json", help="Print the outcome as JSON.")]
ConfirmOption = Annotated[
    bool,
    typer.Option("--confirm-deletes", help="Let deletes past sync.max_delete_share through."),
]


def confirmed(job: JobConfig) -> JobConfig:
    """The job with its mass-delete guard confirmed for one run (``--confirm-deletes``)."""
    return job.model_copy(update={"sync": job.sync.model_copy(update={"confirm_deletes": True})})


def _sync_job(cfg: FlowsConfig, name: str) -> JobConfig:
    try:
        job = cfg.job(name)
    except ConfigError as exc:
        raise fail(str(exc), ExitCode.CONFIG_ERROR) from None
    if job.kind not in _SYNC_KINDS:
        raise fail(
            f"job '{name}' is a {job.kind.value} job; plan and apply work on sync and migrate jobs",
            ExitCode.CONFIG_ERROR,
        )
    return job


def _guarded(work: Callable[[], int]) -> int:
    """Run a command body, turning the errors a user can act on into messages."""
    from flows.sync.engine import PlanMismatchError
    from flows.sync.planning.guard import MassDeleteError
    from flows.sync.routes import RouteError

    with user_errors(
        config=(RouteError, PlanMismatchError), failure=(MassDeleteError, StateStoreError)
    ):
        return work()


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
    job_config = _sync_job(cfg, job)

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

    raise typer.Exit(_guarded(work))


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
    job_config = _sync_job(cfg, plan.job)

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

    raise typer.Exit(_guarded(work))


def undo_command(
    run: Annotated[
        str, typer.Argument(help="The run to undo (its id, or the first 8 characters).")
    ],
    config: ConfigOption = DEFAULT_CONFIG,
    as_json: JsonOption = False,
) -> None:
    """Undo what a run wrote: delete what it created, restore what it changed or removed.

    The job's watermarks go back to before the run, so its next run recreates the records
    the undo deleted (undoing an update stays undone while the source does not change)."""
    from flows.sync.undo import undo_run

    cfg = load_config_or_exit(config)

    def work() -> int:
        with StateStore.open(cfg.state_url) as store:
            record = _find_run(store, run)
            systems = _undo_systems(cfg, store, record.id, record.job)
            with store.lock(record.job):
                landed = _settle_intents(cfg, store, record, systems)
                report = undo_run(store, record.id, systems)
            if landed:
                out.print(f"{landed} create(s) of a batch whose reply was lost had landed.")
        if as_json:
            data = {
                "run_id": report.run_id,
                "undone": dict(report.undone),
                "watermarks_restored": report.watermarks_restored,
                "failed": [
                    {"entry": e.seq, "record": str(e.entry.ref), "reason": why}
                    for e, why in report.failed
                ],
            }
            out.print_json(json.dumps(data, ensure_ascii=False))
        elif report.nothing_to_do:
            out.print(f"run {report.run_id[:8]} has nothing (left) to undo.")
        else:
            table = Table("change", "undone", title=f"undo of run {report.run_id[:8]}")
            for action, n in sorted(report.undone.items()):
                table.add_row(action, str(n))
            out.print(table)
            if report.watermarks_restored:
                out.print(
                    f"{report.watermarks_restored} watermark(s) put back to before the run: "
                    "the next run reads its records again and recreates what was deleted."
                )
            for entry, why in report.failed:
                err.print(
                    f"[red]not undone:[/] {entry.entry.action.value} {entry.entry.ref}: {why}"
                )
        return int(ExitCode.FAILURE if report.failed else ExitCode.OK)

    raise typer.Exit(_guarded(work))


def _settle_intents(
    cfg: FlowsConfig, store: StateStore, record: RunRecord, systems: dict[str, RecordSystem]
) -> int:
    from flows.sync.engine import settle_open_intents

    if not any(j.name == record.job for j in cfg.jobs):
        return 0
    job = cfg.job(record.job)
    if job.kind not in _SYNC_KINDS:
        return 0
    return settle_open_intents(job, store, systems, record.id)


def _find_run(store: StateStore, run: str) -> RunRecord:
    found = store.runs.get(run)
    if found is not None:
        return found
    matches = [r for r in store.runs.recent(limit=10_000) if r.id.startswith(run)]
    if len(matches) != 1:
        what = "no run" if not matches else f"{len(matches)} runs"
        raise fail(
            f"{what} with an id starting {run!r}; see `crmbridge runs`", ExitCode.CONFIG_ERROR
        )
    return matches[0]


def _undo_systems(
    cfg: FlowsConfig, store: StateStore, run_id: str, job: str
) -> dict[str, RecordSystem]:
    from flows.jobs.sync import open_job_systems
    from flows.systems.open import open_system

    names = {e.entry.ref.system for e in store.undo.entries(run_id, pending_only=True)}
    systems: dict[str, RecordSystem] = {}
    if any(j.name == job for j in cfg.jobs):
        systems.update(open_job_systems(cfg.job(job), cfg))
    for name in sorted(names - set(systems)):
        systems[name] = open_system(name, cfg)
    return systems


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

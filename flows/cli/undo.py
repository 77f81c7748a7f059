"""``crmbridge undo RUN``: take back what a run wrote, newest change first.

Before undoing, the creates a lost reply left open are settled (found in the target or
closed), so that an undo deletes what did land and nothing else.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from flows.cli.common import DEFAULT_CONFIG, ConfigOption, err, fail, load_config_or_exit, out
from flows.cli.sync_args import SYNC_KINDS, JsonOption, guarded
from flows.config import FlowsConfig
from flows.report import ExitCode
from flows.store import RunRecord, StateStore

if TYPE_CHECKING:
    from connectors.record_system import RecordSystem

__all__ = ["undo_command"]


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

    raise typer.Exit(guarded(work))


def _settle_intents(
    cfg: FlowsConfig, store: StateStore, record: RunRecord, systems: dict[str, RecordSystem]
) -> int:
    from flows.sync.engine import settle_open_intents

    if not any(j.name == record.job for j in cfg.jobs):
        return 0
    job = cfg.job(record.job)
    if job.kind not in SYNC_KINDS:
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

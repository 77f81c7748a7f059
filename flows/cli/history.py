"""``crmbridge runs`` and ``crmbridge rejects``: what the state store remembers of past runs."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from flows.cli.args import envelope
from flows.cli.common import DEFAULT_CONFIG, ConfigOption, load_config_or_exit, out
from flows.cli.project import JsonOption
from flows.store import StateStore

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    app.command("runs")(runs)
    app.command("rejects")(rejects)


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

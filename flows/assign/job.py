"""The assign job (and the owner step of a sync job): decide owners, write them, report.

1. read the job's account objects (each account once, over every system holding it);
2. the first matching rule names a team; round-robin (continuing from the last run) or the
   least-loaded member takes the account; existing owners stay unless the rule overwrites;
3. the owner is written to every system holding the account, as that system's user of the
   same email (a system without such a user is reported, its record left as it is);
4. a reassignment report lists every change; ``crmbridge undo RUN`` puts owners back.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

from pydantic import JsonValue

from canonical.tiering import OwnerDecision, TeamBalancer, assign_owners
from connectors.csvfile import CsvWriter
from connectors.record_system import RecordSystem, SystemUser
from flows.assign.accounts import collect_accounts
from flows.config import JobConfig
from flows.config.models import Endpoint
from flows.context import JobContext
from flows.report import SourceReport
from flows.sync.planning.plan import Plan, PlanAction, PlanItem
from flows.sync.write.applier import ApplyStats
from flows.writeback import EndRecords, apply_updates, open_end, plan_updates, read_end

__all__ = ["REPORT_COLUMNS", "assign_created", "run_assign", "run_assign_with"]

log = logging.getLogger(__name__)

REPORT_COLUMNS = (
    "account",
    "name",
    "from_owner",
    "to_owner",
    "rule",
    "reason",
    "written_to",
    "not_written",
)
_OWNER_FIELDS = frozenset({"owner.id", "owner.email"})


def run_assign(job: JobConfig, ctx: JobContext) -> None:
    """The runner of ``assign`` jobs (flows.jobs.RUNNERS)."""
    from flows.systems.open import open_job_systems

    run_assign_with(job, ctx, open_job_systems(job, ctx.require_config()))


def _endpoints(job: JobConfig) -> list[Endpoint]:
    """The account objects: an assign job's sources and targets; a sync job's targets."""
    if job.kind.value in ("sync", "migrate"):
        return list(job.targets)
    return [*job.sources, *job.targets]


def _users(systems: Mapping[str, RecordSystem], names: set[str]) -> dict[str, list[SystemUser]]:
    return {name: systems[name].users() for name in sorted(names)}


def run_assign_with(
    job: JobConfig,
    ctx: JobContext,
    systems: Mapping[str, RecordSystem],
    *,
    only: set[str] | None = None,
) -> list[OwnerDecision]:
    """Assign owners on open systems; ``only``: the canonical ids of the accounts to look at
    (a sync's new accounts), else every account of the job."""
    options, store, report = job.assign, ctx.require_store(), ctx.report
    context = job.transform_context()
    ends: dict[tuple[str, str], EndRecords] = {}
    for endpoint in _endpoints(job):
        end = open_end(endpoint, systems, context, job)
        if end.entity == "account" and (end.system_name, end.object) not in ends:
            ends[(end.system_name, end.object)] = read_end(end, store, progress=ctx.progress)
    users = _users(systems, {system for system, _ in ends})
    by_id = {name: {u.id: u for u in listed} for name, listed in users.items()}
    by_email = {
        name: {(u.email or "").casefold(): u for u in listed if u.email}
        for name, listed in users.items()
    }
    accounts = collect_accounts(list(ends.values()), by_id, only)
    balancer = TeamBalancer.starting(store.owner_rotation.positions(job.name), accounts.load)
    decisions = assign_owners(accounts.table(), accounts.owners, options, balancer)
    written: dict[str, list[str]] = {d.customer: [] for d in decisions}
    missing: dict[str, list[str]] = {d.customer: [] for d in decisions}
    stats = ApplyStats()
    planned = 0
    for records in ends.values():
        system = records.end.system_name
        desired: dict[str, dict[str, JsonValue]] = {}
        present = set(records.cids.values())
        for decision in decisions:
            if decision.customer not in present:
                continue
            user = by_email[system].get(decision.owner.casefold())
            if user is None:
                missing[decision.customer].append(system)
                continue
            desired[decision.customer] = {"owner.id": user.id, "owner.email": decision.owner}
        reasons = {d.customer: f"{d.rule}: {d.reason}" for d in decisions}
        items: list[PlanItem] = plan_updates(
            records, desired, _OWNER_FIELDS, winner=job.name, reasons=reasons
        )
        planned += len(items)
        for item in items:
            written[item.canonical_id].append(records.end.label)
        if items and not options.dry_run:
            stats.merge(
                ctx.step(
                    f"assign {records.end.label}",
                    lambda r=records, i=items: apply_updates(  # type: ignore[misc]
                        store,
                        job.name,
                        report.run_id,
                        r,
                        i,
                        dead_letters=ctx.dead_letters,
                        progress=ctx.progress,
                    ),
                )
            )
    if not options.dry_run:
        store.owner_rotation.put(job.name, balancer.positions)
    _report(job, ctx, list(ends.values()), decisions, written, missing, stats, balancer, planned)
    return decisions


def _report(
    job: JobConfig,
    ctx: JobContext,
    ends: list[EndRecords],
    decisions: list[OwnerDecision],
    written: Mapping[str, list[str]],
    missing: Mapping[str, list[str]],
    stats: ApplyStats,
    balancer: TeamBalancer,
    planned: int,
) -> None:
    report = ctx.report
    for records in ends:
        label = records.end.label
        outcomes = stats.routes.get(f"{label} -> {label}", Counter())
        if job.kind.value == "assign":
            report.sources.append(
                SourceReport(
                    label=label,
                    read=records.read,
                    written=outcomes.get("updated", 0),
                    rejected=len(records.rejects)
                    + outcomes.get("rejected", 0)
                    + outcomes.get("invalid", 0),
                    failed=outcomes.get("failed", 0),
                )
            )
            if records.rejects:
                ctx.dead_letters.record(records.rejects)
        for (end, _action, status), n in sorted(stats.counts.items()):
            if end == label:
                row = report.actions.setdefault(f"{end} owners", {})
                row[status] = row.get(status, 0) + n
        report.quality.merge(stats.quality)
    names = {records.cids[ref]: records.canonical[ref] for records in ends for ref in records.cids}
    rows: list[dict[str, JsonValue]] = []
    for d in decisions:
        record = names.get(d.customer)
        rows.append(
            {
                "account": d.customer,
                "name": getattr(record, "name", d.customer),
                "from_owner": d.previous,
                "to_owner": d.owner,
                "rule": d.rule,
                "reason": d.reason,
                "written_to": ", ".join(written.get(d.customer, [])),
                "not_written": ", ".join(
                    f"{s}: no user {d.owner}" for s in missing.get(d.customer, [])
                ),
            }
        )
        for system in missing.get(d.customer, []):
            report.quality.add(
                system,
                "owner.email",
                "flagged",
                f"owner {d.owner} has no user in {system}; not written there",
                d.customer,
            )
    load: list[JsonValue] = [
        {"owner": email, "accounts": n}
        for email, n in sorted(balancer.load.items(), key=lambda kv: -kv[1])
    ]
    report.figures["reassigned"] = [dict(row) for row in rows]
    report.figures["owner_load"] = load
    report.tables["reassignments"] = rows
    report.tables["owner-load"] = [x for x in load if isinstance(x, dict)]
    report.extra_counts.update({"assigned": len(decisions), "planned_owner_writes": planned})
    if job.assign.dry_run:
        report.message = f"dry run: {len(decisions)} owner change(s) planned, nothing written"
    out_dir = job.assign.outputs or ctx.rejects_path.parent / job.name
    path = out_dir / "reassignments.csv"
    _write_csv(path, rows)
    report.outputs["reassignments"] = path


def _write_csv(path: Path, rows: list[dict[str, JsonValue]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with CsvWriter(path, REPORT_COLUMNS, bom=True) as writer:
        for row in rows:
            writer.write(
                {k: None if row.get(k) is None else str(row.get(k)) for k in REPORT_COLUMNS}
            )


def assign_created(
    job: JobConfig, ctx: JobContext, systems: Mapping[str, RecordSystem], plan: Plan
) -> list[OwnerDecision]:
    """The owner step of a sync job with ``assign:`` rules: the accounts this run created
    (its CREATE items) are assigned like an assign job would, in the job's targets."""
    created = {
        i.canonical_id
        for i in plan.items
        if i.action is PlanAction.CREATE and i.entity == "account"
    }
    if not created:
        return []
    return run_assign_with(job, ctx, systems, only=created)

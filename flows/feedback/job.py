"""The feedback job: complaints, follow-ups, cases and survey answers, each linked to its
customer and synced to the other system with its parent; then per-account satisfaction.

1. the job's routes (accounts and contacts first, then feedback objects such as Zoho Cases
   and Notes, Fxiaoke CasesObj and ActiveRecordObj) run through the sync engine, which
   parks a child until its parent is in the target;
2. each survey file is mapped, its answers matched to customers (email, mobile, company)
   and synced one way to its target object;
3. what was learnt of each piece of feedback is kept in the store (feedback facts), and per
   customer: CSAT average, NPS, open complaints and their age, overdue ones flagged. The tier
   job's at-risk rule reads the same facts.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import JsonValue

from canonical.models import SourceRef
from connectors.csvfile import CsvWriter
from connectors.record_system import RecordSystem
from flows.config import JobConfig
from flows.context import JobContext
from flows.feedback.facts import account_figures, facts_from_answers, facts_from_routes
from flows.feedback.matching import CustomerIndex
from flows.feedback.surveys import SurveyRun, sync_survey
from flows.report import SourceReport
from flows.store import FeedbackFact, StateStore
from flows.sync.gather.pairs import PlannedRoute
from flows.writeback import open_end, read_end

__all__ = ["ACCOUNT_COLUMNS", "run_feedback", "run_feedback_with"]

log = logging.getLogger(__name__)

ACCOUNT_COLUMNS = (
    "customer",
    "name",
    "csat",
    "csat_answers",
    "nps",
    "nps_answers",
    "open_complaints",
    "oldest_open_days",
    "overdue",
)
_WRITTEN = ("created", "updated", "linked")


def run_feedback(job: JobConfig, ctx: JobContext) -> None:
    """The runner of ``feedback`` jobs (flows.jobs.RUNNERS)."""
    from flows.systems.open import open_job_systems, open_system

    config = ctx.require_config()
    systems = dict(open_job_systems(job, config))
    for survey in job.feedback.surveys:
        name = survey.target.system
        if name not in systems:
            systems[name] = open_system(name, config)
    run_feedback_with(job, ctx, systems)


def _routes(
    job: JobConfig, ctx: JobContext, systems: Mapping[str, RecordSystem]
) -> list[PlannedRoute]:
    from flows.sync.gather.planned import plan_sources
    from flows.sync.job import job_engine, sync_once

    if not job.sources:
        return []
    if not job.feedback.dry_run:
        return sync_once(job, ctx, systems, confirm_deletes=job.sync.confirm_deletes).routes
    planned = ctx.step(f"plan {job.name}", job_engine(job, ctx, systems).plan)
    sources, rejects = plan_sources(planned.routes)
    ctx.report.sources += sources
    ctx.dead_letters.record(rejects)
    return planned.routes


def _index(job: JobConfig, ctx: JobContext, systems: Mapping[str, RecordSystem]) -> CustomerIndex:
    """The job's contacts and accounts, read whole, to match survey respondents against."""
    index = CustomerIndex(region=job.options.phone_region or "CN")
    context, seen, ends = job.transform_context(), set(), []
    for endpoint in (*job.sources, *job.targets):
        if endpoint.is_csv or endpoint.mapping is None:
            continue
        end = open_end(endpoint, systems, context, job)
        if end.entity in ("account", "contact") and (end.system_name, end.object) not in seen:
            seen.add((end.system_name, end.object))
            ends.append(read_end(end, ctx.require_store(), progress=ctx.progress))
    index.add_ends(ends, ctx.require_store())
    return index


def _survey_report(ctx: JobContext, run: SurveyRun, dry_run: bool) -> None:
    assert run.planned is not None
    label = run.planned.route.label
    outcomes = run.stats.routes.get(label, Counter())
    # Applied, the rejects are outcomes (invalid) like the CRM's refusals; planned, they are not.
    rejected = (
        len(run.planned.distinct_rejects())
        if dry_run
        else outcomes.get("rejected", 0) + outcomes.get("invalid", 0)
    )
    ctx.report.sources.append(
        SourceReport(
            label=label,
            read=run.read,
            written=sum(outcomes.get(s, 0) for s in _WRITTEN),
            rejected=rejected,
            parked=outcomes.get("parked", 0),
            failed=outcomes.get("failed", 0),
            details={"planned": str(sum(1 for i in run.planned.items if i.writes))},
        )
    )
    for (end, _action, status), n in sorted(run.stats.counts.items()):
        row = ctx.report.actions.setdefault(end, {})
        row[status] = row.get(status, 0) + n
    ctx.report.quality.merge(run.planned.quality)
    ctx.report.quality.merge(run.stats.quality)
    if dry_run:
        ctx.dead_letters.record(run.planned.distinct_rejects())


def run_feedback_with(job: JobConfig, ctx: JobContext, systems: Mapping[str, RecordSystem]) -> None:
    options, store, report = job.feedback, ctx.require_store(), ctx.report
    facts: list[FeedbackFact] = []
    names: dict[str, str] = {}
    # Surveys first: answers written to a CRM object the routes sync go on in the same run.
    if options.surveys:
        index = ctx.step("match customers", lambda: _index(job, ctx, systems))
        for survey in options.surveys:
            run = ctx.step(
                f"survey {survey.path.name}",
                lambda s=survey: sync_survey(  # type: ignore[misc]
                    job,
                    s,
                    store,
                    systems,
                    index,
                    report.run_id,
                    dry_run=options.dry_run,
                    dead_letters=ctx.dead_letters,
                    progress=ctx.progress,
                ),
            )
            _survey_report(ctx, run, options.dry_run)
            facts += facts_from_answers(run.answers)
        names.update(index.names)
    routes = _routes(job, ctx, systems)
    facts += facts_from_routes(store, job.name, routes)
    names.update(_names(store, routes))
    if not options.dry_run:
        store.feedback_facts.put_many(job.name, facts)
    known = {f.feedback_id: f for f in store.feedback_facts.all()}
    known.update({f.feedback_id: f for f in facts})
    _figures(job, ctx, store, list(known.values()), len(facts), names)


def _names(store: StateStore, routes: list[PlannedRoute]) -> dict[str, str]:
    """Customer names among the accounts and contacts the routes read."""
    named: dict[SourceRef, str] = {}
    for planned in routes:
        if planned.route.entity in ("account", "contact"):
            for ref, record in planned.records.items():
                if record.values.get("name"):
                    named[ref] = str(record.values["name"])
    return {cid: named[ref] for ref, cid in store.crosswalk.lookup_many(named).items()}


def _figures(
    job: JobConfig,
    ctx: JobContext,
    store: StateStore,
    facts: list[FeedbackFact],
    learnt: int,
    names: dict[str, str],
) -> None:
    options, report = job.feedback, ctx.report
    today = options.as_of or datetime.now(ZoneInfo(job.timezone or "Asia/Shanghai")).date()
    unnamed = {f.customer_id for f in facts if f.customer_id} - set(names)
    for cid, entry in store.shadow.get_many(job.name, unnamed).items():
        if entry.values.get("name"):
            names[cid] = str(entry.values["name"])
    totals, rows = account_figures(facts, names, today, options.complaint_overdue_days, 500)
    totals["learnt_this_run"] = learnt
    report.figures.update({"feedback": totals, "accounts": [dict(r) for r in rows]})
    report.tables["feedback-accounts"] = rows
    report.extra_counts.update(
        {
            k: v
            for k, v in totals.items()
            if isinstance(v, int) and k in ("open_complaints", "overdue_complaints")
        }
    )
    if options.dry_run:
        report.message = "dry run: nothing was written"
    out_dir = options.outputs or ctx.rejects_path.parent / job.name
    path = out_dir / "feedback-accounts.csv"
    _write_csv(path, rows)
    report.outputs["accounts"] = path


def _write_csv(path: Path, rows: list[dict[str, JsonValue]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with CsvWriter(path, ACCOUNT_COLUMNS, bom=True) as writer:
        for row in rows:
            writer.write(
                {k: None if row.get(k) is None else str(row.get(k)) for k in ACCOUNT_COLUMNS}
            )

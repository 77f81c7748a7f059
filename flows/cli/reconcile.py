"""``crmbridge reconcile JOB``: read both ends of a sync or migrate job whole and compare them.

Each route of the job is read on both sides the way the engine reads it (mapping, parents as
canonical ids through the crosswalk); the source's values are translated into the target's
vocabulary (value maps, owners by email) and only the fields the job compares are checked.
The report goes to JSON and to one offline HTML page; the exit code says whether the two sides
are equal (0) or not (4), 1 for a failure, 2 for a configuration error, so a cut-over script
can wait on it. Missing records are accounted for by the job's dead letters: rejected, parked,
failed, and "unexplained" for a loss.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import typer
from pydantic import AwareDatetime, JsonValue
from rich.table import Table

from flows.cli.args import envelope
from flows.cli.common import display_path, out, user_errors
from flows.config import FlowsConfig, JobConfig, load_config
from flows.config.sync import ENTITY_MODELS, value_keys
from flows.files import write_text_atomic
from flows.jobs.sync import open_job_systems
from flows.reconcile.compare import (
    DEFAULT_SAMPLE_LIMIT,
    ObjectPair,
    ReconciliationReport,
    SideRecords,
    reconcile,
)
from flows.reconcile.html import render_html
from flows.report import ExitCode
from flows.store import StateStore
from flows.sync.engine import sync_options
from flows.sync.gather.reading import ReadBatch, SideReader
from flows.sync.gather.sides import SyncSides
from flows.sync.planning.planner import same_owner
from flows.sync.planning.values import ValueBridge, restrict
from flows.sync.routes import Route, RouteError, build_routes
from flows.systems import RecordSystem

__all__ = [
    "ReportFiles",
    "compared_fields",
    "reconcile_command",
    "reconcile_job",
    "write_report",
]

log = logging.getLogger(__name__)

RECONCILABLE_KINDS = frozenset({"sync", "migrate"})


@dataclass(frozen=True)
class ReportFiles:
    json: Path
    html: Path


def compared_fields(route: Route, bridge: ValueBridge) -> frozenset[str]:
    """What the sync compares, plus the parent links both ends read: the engine writes
    parents itself (not through the mapping), and a child under the wrong parent is a
    difference a reconciliation must show."""
    parents = route.a.parent_keys.keys() & route.b.parent_keys.keys()
    return bridge.compared | parents


def _instant_keys(entity: str) -> frozenset[str]:
    model = ENTITY_MODELS.get(entity)
    keys = value_keys(model) if model is not None else {}
    return frozenset(k for k, kind in keys.items() if kind in (AwareDatetime, datetime))


def _in_utc(values: dict[str, JsonValue], keys: frozenset[str]) -> dict[str, JsonValue]:
    """Instants as UTC text: systems give the same instant in their own offsets
    (Zoho "+08:00", Fxiaoke epoch ms -> "Z"), which is no difference."""
    for key in keys & values.keys():
        value = values[key]
        if isinstance(value, str):
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                continue
            if moment.tzinfo is not None:
                values[key] = moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return values


def _read(store: StateStore, route: Route, source: bool) -> tuple[ReadBatch, dict[str, str]]:
    """One end read whole, with the canonical ids the crosswalk knows (record id -> id)."""
    batch = SideReader(store, route, route.a if source else route.b).read(None)
    links = store.crosswalk.lookup_many(r.ref for r in batch.records)
    return batch, {ref.id: cid for ref, cid in links.items()}


def _sides(
    store: StateStore, route: Route, bridge: ValueBridge, *, two_way: bool
) -> tuple[SideRecords, SideRecords, list[str], int]:
    """Both ends as the target holds values. In a two-way sync a source owner that stands for
    the target's owner (the fallback standing in for a user the source lacks) is the target's
    owner, per linked pair, as the planner sees it (planner.same_owner): no difference."""
    a, a_ids = _read(store, route, True)
    b, b_ids = _read(store, route, False)
    fields = compared_fields(route, bridge)
    instants = _instant_keys(route.entity)
    by_cid = {b_ids[r.ref.id]: r for r in b.records if r.ref.id in b_ids}
    source: dict[str, dict[str, JsonValue]] = {}
    for record in a.records:
        values = bridge.to_b(record.values)
        other = by_cid.get(a_ids.get(record.ref.id, ""))
        if two_way and bridge.a.owners is not None and other is not None:
            values = same_owner(
                values,
                bridge.complete_a(record.values),
                bridge.complete_b(other.values),
                bridge.to_a(other.values),
            )
        source[record.ref.id] = _in_utc(restrict(values, fields), instants)
    target = {
        r.ref.id: _in_utc(restrict(bridge.complete_b(r.values), fields), instants)
        for r in b.records
    }
    return (
        SideRecords(route.a.system_name, route.a.object, source, a_ids),
        SideRecords(route.b.system_name, route.b.object, target, b_ids),
        sorted({r.source.id for r in a.rejects}),
        len(b.rejects),
    )


def reconcile_job(
    config: FlowsConfig,
    job: JobConfig,
    store: StateStore,
    *,
    sample_limit: int = DEFAULT_SAMPLE_LIMIT,
    systems: Mapping[str, RecordSystem] | None = None,
) -> ReconciliationReport:
    """Reconcile every route of ``job`` (a sync or migrate job). ``systems``: every system the
    job names, already open (default: opened from flows.yaml). Raises RouteError for a job
    whose ends cannot be paired."""
    if job.kind not in RECONCILABLE_KINDS:
        raise RouteError(
            f"job '{job.name}' is a {job.kind} job; reconcile compares the two ends of a sync "
            "or migrate job"
        )
    opened = dict(systems) if systems is not None else open_job_systems(job, config)
    context = job.transform_context()
    options = sync_options(job)  # a migration compares one way, as it copies
    sides = SyncSides(options)
    pairs: list[ObjectPair] = []
    for route in build_routes(job, opened, context):
        side_a, side_b = sides.for_route(route)
        bridge = ValueBridge(options, side_a, side_b, two_way=sides.two_way)
        source, target, unmapped, rejected_b = _sides(store, route, bridge, two_way=sides.two_way)
        if rejected_b:
            # Target records that do not map are in neither count; `crmbridge rejects` has them.
            log.warning("%s: %d target records do not map", route.label, rejected_b)
        fields = sorted(compared_fields(route, bridge))
        letters = store.dead_letters.list_open(
            job.name, limit=10_000_000, system=route.a.system_name, object=route.a.object
        )
        left = {d.source.id: d.outcome for d in letters}
        pairs.append(ObjectPair(route.entity, source, target, fields, unmapped, left))
    return reconcile(job.name, pairs, sample_limit=sample_limit)


def write_report(report: ReconciliationReport, directory: Path) -> ReportFiles:
    """Write ``<job>-reconcile.json`` and ``.html`` into ``directory`` (made if missing)."""
    directory.mkdir(parents=True, exist_ok=True)
    files = ReportFiles(
        json=directory / f"{report.job}-reconcile.json",
        html=directory / f"{report.job}-reconcile.html",
    )
    for path, text in ((files.json, report.to_json()), (files.html, render_html(report))):
        write_text_atomic(path, text)  # a reader never sees half a report
    return files


def _table(report: ReconciliationReport) -> Table:
    table = Table(title=f"reconcile {report.job}", title_justify="left")
    columns = ("object", "source", "target", "linked", "missing", "of which", "orphans", "fields")
    for column in columns:
        table.add_column(column, justify="left" if column in ("object", "of which") else "right")
    for o in report.objects:
        bad = ", ".join(o.mismatched_fields) or "-"
        why = ", ".join(f"{n} {name}" for name, n in o.missing_by_outcome.items())
        table.add_row(
            o.entity,
            f"{o.source_system}:{o.source_object} {o.source_count}",
            f"{o.target_system}:{o.target_object} {o.target_count}",
            str(o.linked),
            str(o.missing),
            why or "-",
            str(o.orphans),
            "all equal" if not o.mismatched_fields else f"differ: {bad}",
        )
    return table


def reconcile_command(
    job: str,
    config: Path,
    out_dir: Path | None = None,
    samples: int = DEFAULT_SAMPLE_LIMIT,
    as_json: bool = False,
) -> None:
    """The body of ``crmbridge reconcile``: exit 0 when equal, 4 on differences, 2 on config.
    ``as_json``: print the report as JSON (schema ``crmbridge.reconcile/1``), not a table."""
    # A system that refuses or rate-limits the reads (Fxiaoke 30004 after a big run) is a
    # failure with its message (exit 1), never a traceback.
    with user_errors(config=(RouteError,)):
        cfg = load_config(config)
        job_config = cfg.job(job)
        with StateStore.open(cfg.state_url) as store:
            report = reconcile_job(cfg, job_config, store, sample_limit=samples)
    files = write_report(report, out_dir or cfg.base_dir / ".crmbridge" / "out")
    if as_json:
        data = envelope(
            "reconcile",
            {
                "equal": report.equal,
                "report": json.loads(report.to_json()),
                "files": {"json": str(files.json), "html": str(files.html)},
            },
        )
        out.print_json(json.dumps(data, ensure_ascii=False))
        raise typer.Exit(0 if report.equal else int(ExitCode.DIFFERENCES))
    out.print(_table(report))
    out.print(
        f"      json: {display_path(files.json)}\n      html: {display_path(files.html)}",
        highlight=False,
    )
    if report.equal:
        out.print("[green]equal[/]: the target holds what the source holds", highlight=False)
        raise typer.Exit(0)
    lost = sum(o.unexplained for o in report.objects)
    if lost:
        out.print(
            f"[red]{lost} source record(s) are missing in the target without a dead letter[/]",
            highlight=False,
        )
    out.print("[red]differences found[/]: see the HTML report for samples", highlight=False)
    raise typer.Exit(int(ExitCode.DIFFERENCES))

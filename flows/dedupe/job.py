"""The dedupe job: read, resolve, build golden records, write outputs, plan and apply merges.

Stages, each timed into the log and ``summary.json``:

1. read every source into canonical records of one model (``flows.dedupe.sources``);
2. place them in entities with the incremental index (``flows.dedupe.index``): everything
   resolved on the first run, only new records matched on later ones; entity ids are stable;
3. golden records by the job's survivorship rules, one per cluster;
4. the reviewer's decisions (``decisions.csv``) say which clusters merge: ``auto`` ones unless
   skipped, ``review`` ones only when approved;
5. outputs: clusters CSV/JSON, pairs, golden CSV, the HTML report and the merge plan;
6. with ``apply`` (``crmbridge dedupe JOB --apply``): the plan is carried out in each system
   with an undo journal, and CSV sources get a deduplicated file.

The engine's settings come from ``settings``; what the run found and did, and the
``summary.json`` and run report that say so, from ``summary``.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from canonical.dedupe.gcpause import gc_paused
from connectors.csvfile import CsvWriter
from flows.config import JobConfig
from flows.context import JobContext
from flows.dedupe.apply import MergeApplier
from flows.dedupe.deduplicated import write_deduplicated
from flows.dedupe.golden_cache import Goldens
from flows.dedupe.index import DedupeIndex, IndexedRun
from flows.dedupe.output_files import OutputFiles
from flows.dedupe.plan import MergeMethod, build_plan, write_plan
from flows.dedupe.progress import StageProgress
from flows.dedupe.record_list import sources_of
from flows.dedupe.report_html import ReportOptions
from flows.dedupe.review import apply_decisions, read_decisions
from flows.dedupe.settings import dedupe_settings, survivorship_rules
from flows.dedupe.sources import LoadedRecords, SystemOpener, read_sources
from flows.dedupe.summary import DedupeResult, finish
from flows.exit_memory import keep
from flows.rejects import REJECT_COLUMNS, reject_row
from flows.systems import RecordSystem, mapping_fields, open_system
from mapping import load_mapping

__all__ = ["DedupeResult", "dedupe_settings", "run_dedupe", "run_dedupe_with", "survivorship_rules"]

log = logging.getLogger(__name__)

T = TypeVar("T")


@contextmanager
def _stage(timings: dict[str, float], name: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    timings[name] = timings.get(name, 0.0) + time.perf_counter() - started
    log.info("dedupe stage %s: %.3fs, peak memory so far %s", name, timings[name], _peak_rss())


def _peak_rss() -> str:
    """This process's peak resident memory (Linux and macOS; '?' elsewhere)."""
    try:
        import resource
    except ImportError:  # not on Windows
        return "?"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return f"{peak / 2**20 if sys.platform == 'darwin' else peak / 2**10:,.0f} MiB"


def _default_opener(job: JobConfig, ctx: JobContext, *, projected: bool) -> SystemOpener:
    """Opens flows.yaml's systems once each. Reads ask for the fields the job's mappings need
    (``projected``); apply reads whole records, as the undo journal's before-images must be."""
    config = ctx.require_config()
    fields: dict[str, dict[str, tuple[str, ...]]] = {}
    for source in job.sources:
        if projected and not source.is_csv and source.mapping is not None:
            wanted = mapping_fields(load_mapping(source.mapping))
            fields.setdefault(source.system, {})[source.object] = wanted
    opened: dict[str, RecordSystem] = {}

    def open_one(name: str) -> RecordSystem:
        if name not in opened:
            opened[name] = open_system(name, config, fields=fields.get(name))
        return opened[name]

    return open_one


def run_dedupe(job: JobConfig, ctx: JobContext) -> None:
    """The ``kind: dedupe`` runner registered in ``flows.jobs.RUNNERS``."""
    keep(run_dedupe_with(job, ctx))  # freed at exit by the command line, see exit_memory


def run_dedupe_with(
    job: JobConfig, ctx: JobContext, *, open_system: SystemOpener | None = None
) -> DedupeResult:
    """Run a dedupe job; ``open_system`` replaces flows.yaml's systems (tests, sandboxes)."""
    options = job.dedupe
    opener = open_system or _default_opener(job, ctx, projected=True)
    full_opener = open_system or _default_opener(job, ctx, projected=False)
    store = ctx.require_store()
    timings: dict[str, float] = {}
    settings, rules = dedupe_settings(options), survivorship_rules(options)
    out_dir = options.outputs or ctx.rejects_path.parent / job.name
    out_dir.mkdir(parents=True, exist_ok=True)

    progress = StageProgress(ctx.stage, ctx.progress)

    def step(name: str, work: Callable[[], T], total: int | None = None) -> T:
        if name != "read" and name != "match":  # those announce their own stages
            progress.start(name, total)
        with _stage(timings, name):
            return ctx.step(f"dedupe {name}", work)

    # The decisions first: a bad file is reported before anything is read.
    decisions_path = options.decisions or out_dir / "decisions.csv"
    explicit = options.decisions is not None
    decisions = read_decisions(decisions_path) if explicit or decisions_path.exists() else {}
    context = job.transform_context()
    loaded = step("read", lambda: read_sources(job, ctx, context, opener, out_dir / ".cache"))
    _keep_rejects(loaded, ctx)
    goldens = Goldens(rules, settings.workers, loaded.row_keys, out_dir / ".cache")
    index = DedupeIndex(store, job.name, settings, rules, progress, goldens)
    files: OutputFiles | None = None
    report = ReportOptions(
        title=f"crmbridge duplicate review: {job.name}", detail_limit=options.report_max_clusters
    )

    def placed(indexed: IndexedRun) -> None:
        # Every record has its entity and every cluster its golden record: the output files
        # are written from here on by forked processes, while this one writes the index.
        nonlocal files
        files = OutputFiles(
            indexed, loaded, out_dir, report, workers=settings.workers, validity=goldens.validity
        )

    # From the match stage to the output files the run builds acyclic objects by the hundred
    # thousand (entities, golden records, clusters, plan items) beside a million records: the
    # collector's first full pass after the match stage rescanned them all for nothing (12 s
    # at a million records). The read, which runs the mappings, keeps it on, as does apply.
    with gc_paused():
        try:
            indexed = step(
                "match",
                lambda: index.run(
                    loaded.records,
                    incremental=options.incremental,
                    fingerprints=loaded.fingerprints,
                    placed=placed,
                ),
            )
            for timing in indexed.timings:
                timings[f"match.{timing.stage}"] = timing.seconds
            reviewed = apply_decisions(
                indexed.clusters, decisions, entity_ids=indexed.cluster_entity_ids
            )
            plan = step(
                "plan",
                lambda: build_plan(
                    job.name,
                    ctx.report.run_id,
                    datetime.now(UTC),
                    reviewed,
                    loaded.records,
                    indexed.goldens,
                    loaded.sources,
                    rules,
                ),
            )
            result = DedupeResult(loaded, indexed, reviewed, plan, timings=timings)
            written = files
            step("outputs", lambda: _write_outputs(result, written, out_dir, goldens))
        finally:
            if files is not None:
                files.cancel()
    if options.apply:
        step("apply", lambda: _apply(result, job, ctx, full_opener, out_dir))
    finish(result, ctx, out_dir)
    log.info("job %s: %s", ctx.report.job, ctx.report.message)
    return result


def _keep_rejects(loaded: LoadedRecords, ctx: JobContext) -> None:
    ctx.rejects_path.parent.mkdir(parents=True, exist_ok=True)
    with CsvWriter(ctx.rejects_path, REJECT_COLUMNS) as writer:
        for reject in loaded.rejects:
            writer.write(reject_row(reject))
    ctx.dead_letters.record(loaded.rejects)
    if ctx.dead_letters.resolving:
        ctx.dead_letters.resolve(sources_of(loaded.records))
    ctx.report.outputs["rejects"] = ctx.rejects_path


def _write_outputs(
    result: DedupeResult, files: OutputFiles | None, out_dir: Path, goldens: Goldens
) -> None:
    """The merge plan, the golden records' choices for the next run, and the files the forked
    processes wrote (waiting for them)."""
    if files is None:  # the index placed nothing (no records): nothing was forked
        raise RuntimeError("the dedupe index never reported its placed records")
    plan_path = out_dir / "merge_plan.json"
    write_plan(plan_path, result.plan)
    goldens.save()
    log.info("golden records of %d of %d clusters made from the choices of the run before",
             goldens.reused, len(result.indexed.clusters))  # fmt: skip
    result.outputs.update(files.result())
    result.timings["outputs.files"] = files.seconds
    result.texts = {"copied": files.copied, "rendered": files.rendered}
    result.outputs["plan"] = plan_path


def _apply(
    result: DedupeResult, job: JobConfig, ctx: JobContext, opener: SystemOpener, out_dir: Path
) -> None:
    store, run_id = ctx.require_store(), ctx.report.run_id
    names = sorted({i.system for i in result.plan.items if i.merge and i.system != "csv"})
    applier = MergeApplier(
        {name: opener(name) for name in names},
        lambda entries: store.undo.record(run_id, entries),
        children=job.dedupe.children,
    )
    result.applied = applier.apply(result.plan)
    if any(s.is_csv for s in job.sources):
        target = next((t.path for t in job.targets if t.is_csv and t.path), None)
        path = target or out_dir / "deduplicated.csv"
        write_deduplicated(path, result.loaded, result.indexed, result.plan)
        result.outputs["deduplicated"] = path
        result.applied.merged += sum(
            len(i.duplicate_ids)
            for i in result.plan.items
            if i.merge and i.method is MergeMethod.REWRITE
        )
    for problem in result.applied.problems:
        log.warning("apply: %s", problem)

"""The normalise job: CSV files -> canonical CSV, plus a rejects report and dead letters.

Every source is read in constant memory, mapped batch by batch, and written to one canonical
output file. Rows that cannot be read or mapped go to the rejects report and the dead-letter
store with their row number and reason; the others go on. With ``dedupe_exact`` a record whose
canonical content equals an earlier one's (the same row twice) is dropped and listed in a
duplicates file. Real entity resolution is the dedupe job's business, not this one's.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from canonical import CanonicalRecord, Rejected
from canonical.tabular import FlatLayout
from connectors.csvfile import CsvRowRenderer, CsvWriter
from flows.config import JobConfig, SourceConfig, TargetConfig
from flows.context import JobContext
from flows.csv_source import Chunk, CsvSource, IssueRow, RowMapper
from flows.parallel import batch_gc, ordered_map, worker_count
from flows.rejects import REJECT_COLUMNS, issue_row, reject_row
from flows.report import SourceReport
from flows.store.erasure import ErasedMatcher
from flows.sync.gather.erased import ERASED_MESSAGE, erased_in, is_erased
from mapping import Mapper, TransformContext

__all__ = ["REJECT_COLUMNS", "issue_row", "reject_row", "run_normalise"]

log = logging.getLogger(__name__)

_DUPLICATE_COLUMNS = ("source", "duplicate_of")
_CONTENT_SKIP = ("source.", "created_at", "modified_at")


def _content_digest(cells: list[str | None], content: tuple[int, ...]) -> bytes:
    """A digest of a record's content: every column but its source and timestamps."""
    text = "\x1f".join(cells[i] or "" for i in content)
    return hashlib.blake2b(text.encode(), digest_size=12).digest()


@dataclass
class NormalisedChunk:
    """One chunk, mapped and flattened: plain data, cheap to send back from a worker."""

    read: int
    lines: list[str]  # canonical rows rendered as CSV lines, ready to write
    ids: list[str]  # source record ids; SourceRef models cost 20 us each to pickle
    digests: list[bytes]
    rejects: list[Rejected]
    issues: list[IssueRow]
    erased: int = 0  # records of people `crmbridge forget` erased: left alone, not read


@dataclass(frozen=True)
class NormaliseChunk:
    """The CPU-heavy part of the job, run inline or in worker processes."""

    rows: RowMapper
    layout: FlatLayout
    renderer: CsvRowRenderer
    dedupe_exact: bool
    erased: ErasedMatcher = field(default_factory=lambda: erased_in(None))

    def __call__(self, chunk: Chunk) -> NormalisedChunk:
        batch = self.rows.map_chunk(chunk)
        read, erased = batch.read, 0
        if self.erased:
            records = [r for r in batch.records if not is_erased(self.erased, r.source, r)]
            erased = len(batch.records) - len(records)
            batch.records = records
            kept = {r.source.id for r in records}
            batch.issues = [issue for issue in batch.issues if issue[0] in kept]
            read -= erased
        cells = [self.layout.cells(record) for record in batch.records]
        content = tuple(
            i
            for i, column in enumerate(self.layout.columns)
            if not column.startswith(_CONTENT_SKIP)
        )
        return NormalisedChunk(
            read=read,
            lines=[self.renderer.render_cells(row) for row in cells],
            ids=[record.source.id for record in batch.records],
            digests=[_content_digest(row, content) for row in cells] if self.dedupe_exact else [],
            rejects=batch.rejects,
            issues=batch.issues,
            erased=erased,
        )


def _csv_path(endpoint: SourceConfig | TargetConfig) -> Path:
    if endpoint.path is None:  # flows.yaml validation requires it; this guards programmatic use
        raise ValueError(f"{endpoint.label}: a csv source or target needs a path")
    return endpoint.path


def _open_source(source: SourceConfig, context: TransformContext) -> CsvSource:
    if source.mapping is None:
        raise ValueError(f"{source.label}: a normalise source needs a mapping file")
    return CsvSource(
        _csv_path(source),
        source.mapping,
        context,
        encoding=source.encoding,
        delimiter=source.delimiter,
        id_column=source.id_column,
    )


@dataclass
class _Outputs:
    """The files every source of a run writes into, open for the whole run."""

    layout: FlatLayout
    canonical: CsvWriter
    rejects: CsvWriter
    duplicates: CsvWriter
    seen: dict[bytes, str] = field(default_factory=dict)


def _normalise_source(
    source: CsvSource, job: JobConfig, outputs: _Outputs, ctx: JobContext
) -> SourceReport:
    report = SourceReport(label=str(source.path.name), details=source.details)
    ctx.report.sources.append(report)
    work = NormaliseChunk(
        source.rows,
        outputs.layout,
        outputs.canonical.renderer,
        job.options.dedupe_exact,
        erased_in(ctx.store),
    )
    workers = worker_count(job.options.workers, source.path)
    log.info("%s: mapping with %d process(es)", source.path.name, workers)
    with batch_gc():
        chunks = ordered_map(work, source.chunks(), workers=workers)
        _consume(chunks, source.rows.mapper, report, outputs, ctx)
    return report


def _consume(
    chunks: Iterator[NormalisedChunk],
    mapper: Mapper,
    report: SourceReport,
    outputs: _Outputs,
    ctx: JobContext,
) -> None:
    spec = mapper.mapping.spec
    prefix = f"{spec.system}:{spec.object}:"  # how str(SourceRef) reads, without building one
    for chunk in chunks:
        report.read += chunk.read
        for index, (line, record_id) in enumerate(zip(chunk.lines, chunk.ids, strict=True)):
            if chunk.digests:
                first = outputs.seen.setdefault(chunk.digests[index], prefix + record_id)
                if first != prefix + record_id:
                    report.duplicates += 1
                    outputs.duplicates.write({"source": prefix + record_id, "duplicate_of": first})
                    continue
            outputs.canonical.write_rendered(line)
            report.written += 1
        quality = ctx.report.quality
        for reject in chunk.rejects:
            outputs.rejects.write(reject_row(reject))
            quality.add(report.label, reject.field, "rejected", reject.reason, str(reject.source),
                        reject.value)  # fmt: skip
        for issue in chunk.issues:
            outputs.rejects.write(issue_row(prefix, issue))
            record_id, _, name, action, reason, value = issue
            quality.add(report.label, name, action, reason, prefix + record_id, value)
        report.rejected += len(chunk.rejects)
        ctx.dead_letters.record(chunk.rejects)
        if ctx.dead_letters.resolving:
            ctx.dead_letters.resolve([mapper.source_ref(record_id) for record_id in chunk.ids])
        if chunk.erased:
            erased = int(report.details.get("erased", "0")) + chunk.erased
            report.details["erased"] = str(erased)
            log.info("%s: %d %s", report.label, chunk.erased, ERASED_MESSAGE)
        ctx.progress(report.label, chunk.read)


def run_normalise(job: JobConfig, ctx: JobContext) -> None:
    """Run a normalise job; counts go into ``ctx.report``, rejects into ``ctx.dead_letters``."""
    context = job.transform_context()
    sources = [_open_source(source, context) for source in job.sources]
    models = {source.mapper.mapping.model for source in sources}
    if len(models) != 1:
        names = ", ".join(sorted(m.__name__ for m in models))
        raise ValueError(f"job '{job.name}': all sources must map to one model, got {names}")
    model: type[CanonicalRecord] = models.pop()
    target = job.targets[0]
    target_path = _csv_path(target)
    rejects_path = ctx.rejects_path
    duplicates_path = rejects_path.with_name(f"{job.name}-duplicates.csv")
    for path in (target_path, rejects_path):
        path.parent.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        layout = FlatLayout(model)
        outputs = _Outputs(
            layout=layout,
            canonical=stack.enter_context(CsvWriter(target_path, layout.columns, bom=target.bom)),
            rejects=stack.enter_context(CsvWriter(rejects_path, REJECT_COLUMNS, bom=target.bom)),
            duplicates=stack.enter_context(
                CsvWriter(duplicates_path, _DUPLICATE_COLUMNS, bom=target.bom)
            ),
        )
        for source in sources:
            ctx.step(
                f"normalise {source.path.name}",
                lambda source=source: _normalise_source(source, job, outputs, ctx),  # type: ignore[misc]
            )
    ctx.report.outputs.update(
        {"canonical": target_path, "rejects": rejects_path, "duplicates": duplicates_path}
    )
    log.info("job %s: %s", job.name, ctx.report.counts)

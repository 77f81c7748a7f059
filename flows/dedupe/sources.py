"""Reading a dedupe job's sources into canonical records of one model.

CSV files go through the normalise job's machinery (``CsvSource``: encodings, header aliases,
row errors); CRM objects through ``RecordSystem.read`` and their mapping. A record read from a
CRM is named by the system's flows.yaml name (``zoho_cn:Contacts:...``), not the mapping's
system type, so the plan, the undo journal and the survivorship source priority all name
the system the way flows.yaml does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from canonical import Account, CanonicalRecord, Contact, Rejected, SourceRef
from flows.config import JobConfig, SourceConfig
from flows.context import JobContext
from flows.dedupe.csv_records import KeptRecords, read_csv
from flows.dedupe.evidence import fingerprint
from flows.dedupe.plan import MergeMethod, SourceInfo
from flows.dedupe.record_list import RecordList, sources_of
from flows.dedupe.row_keys import RowKeys
from flows.report import SourceReport
from flows.store.erasure import ErasedMatcher
from flows.sync.gather.erased import ERASED_MESSAGE, erased_in, is_erased
from flows.systems import RecordSystem
from mapping import Mapper, TransformContext, load_mapping

__all__ = ["DedupeSourceError", "LoadedRecords", "SystemOpener", "read_sources"]

log = logging.getLogger(__name__)

SystemOpener = Callable[[str], RecordSystem]
"""Opens a system by its flows.yaml name."""


class DedupeSourceError(ValueError):
    """A dedupe job's sources cannot be deduplicated together; the message says why."""


@dataclass
class LoadedRecords:
    model: type[Contact] | type[Account]
    records: Sequence[Contact] | Sequence[Account]
    """In read order; CSV rows from the record cache decoded when first read (``RecordList``)."""
    sources: dict[tuple[str, str], SourceInfo] = field(default_factory=dict)
    rejects: list[Rejected] = field(default_factory=list)
    reports: list[SourceReport] = field(default_factory=list)
    origin: list[int] = field(default_factory=list)
    """Per record, the index of its source in ``reports``."""
    fingerprints: list[str] = field(default_factory=list)
    """Per record, ``evidence.fingerprint`` of it (computed where it was mapped)."""
    row_keys: RowKeys = field(default_factory=RowKeys)
    """Per record, the key of the CSV row it was made of (none for a CRM's records)."""


def _require_mapping(source: SourceConfig, job: JobConfig) -> None:
    if source.mapping is None:
        raise DedupeSourceError(
            f"job '{job.name}': source {source.label} needs a mapping file "
            "(mapping: mapping/files/...yaml) to turn its records into canonical ones"
        )


def _with_system(record: CanonicalRecord, ref: SourceRef) -> CanonicalRecord:
    return record if record.source == ref else record.model_copy(update={"source": ref})


def _read_system(
    source: SourceConfig,
    context: TransformContext,
    report: SourceReport,
    ctx: JobContext,
    open_system: SystemOpener,
) -> tuple[Mapper, list[CanonicalRecord], list[str], list[Rejected], MergeMethod]:
    """The source's records, mapped, and how its system merges them."""
    assert source.mapping is not None
    mapper = Mapper(load_mapping(source.mapping), context)
    system = open_system(source.system)
    ctx.stage(report.label, None)
    records: list[CanonicalRecord] = []
    rejects: list[Rejected] = []
    for page in system.read(source.object):
        report.read += len(page)
        for raw in page:
            ref = SourceRef(system=source.system, object=source.object, id=raw.id)
            outcome = mapper.to_canonical(raw.fields, record_id=raw.id)
            if isinstance(outcome, Rejected):
                rejects.append(outcome.model_copy(update={"source": ref}))
            else:
                records.append(_with_system(outcome, ref))
        ctx.progress(report.label, len(page))
    report.details["api_calls"] = str(system.api_calls)
    prints = [fingerprint(r) for r in records]  # type: ignore[arg-type]
    return mapper, records, prints, rejects, system.merge_method


@dataclass
class _Found:
    """One source's records, with their fingerprints and row keys (in step)."""

    records: Sequence[CanonicalRecord]
    prints: list[str]
    keys: list[bytes]

    def only(self, kept: list[int]) -> None:
        if len(kept) < len(self.records):
            records = self.records
            self.records = (
                records.select(kept)
                if isinstance(records, RecordList)
                else [records[i] for i in kept]
            )
            self.prints = [self.prints[i] for i in kept]
            self.keys = [self.keys[i] for i in kept]


def _unique(found: _Found, rejects: list[Rejected], seen: set[tuple[str, str, str]]) -> None:
    """Only records whose ref is new; a repeated id would make two records one in the
    index. Refs are compared as plain tuples (hashing a million SourceRef models took
    seconds), and read without decoding the records (``record_list``)."""
    kept: list[int] = []
    for at, ref in enumerate(sources_of(found.records)):
        key = (ref.system, ref.object, ref.id)
        if key in seen:
            reason = f"record id {ref.id!r} appears twice; ids must be unique"
            rejects.append(Rejected(source=ref, field="id", reason=reason))
        else:
            seen.add(key)
            kept.append(at)
    found.only(kept)


def _without_erased(found: _Found, erased: ErasedMatcher, report: SourceReport) -> None:
    """Only the records of people ``crmbridge forget`` did not erase: a source file still
    holding one would otherwise bring them back into every output. Those left alone are not
    counted as read (as a sync leaves them), only in the report's details."""
    if not erased:
        return
    records = found.records
    kept = [i for i, record in enumerate(records) if not is_erased(erased, record.source, record)]
    gone = len(records) - len(kept)
    if not gone:
        return
    report.read -= gone
    report.details["erased"] = str(gone)
    log.info("%s: %d %s", report.label, gone, ERASED_MESSAGE)
    found.only(kept)


def read_sources(
    job: JobConfig,
    ctx: JobContext,
    context: TransformContext,
    open_system: SystemOpener,
    cache_folder: Path | None = None,
) -> LoadedRecords:
    """Every source of the job, mapped; counts go to one ``SourceReport`` per source. CSV
    sources keep their mapped records in ``cache_folder`` for the next run (record_cache)."""
    if not job.sources:
        raise DedupeSourceError(f"job '{job.name}': a dedupe job needs at least one source")
    models: set[type[CanonicalRecord]] = set()
    records = RecordList()
    seen: set[tuple[str, str, str]] = set()
    loaded = LoadedRecords(model=Contact, records=[])
    erased = erased_in(ctx.store)
    kept = KeptRecords(cache_folder, erased)
    keys = RowKeys()
    for source in job.sources:
        _require_mapping(source, job)
        report = SourceReport(label=source.label)
        ctx.report.sources.append(report)
        loaded.reports.append(report)
        if source.is_csv:
            mapper, csv_records, csv_prints, csv_keys, rejects = read_csv(
                source, context, report, ctx, job.options.workers, kept
            )
            found = _Found(csv_records, csv_prints, csv_keys)
            keyed_by = kept.validity_of(source, context)
            system, system_type, object_ = "csv", "csv", mapper.mapping.spec.object
            method = MergeMethod.REWRITE
        else:
            mapper, records_read, prints, rejects, method = _read_system(
                source, context, report, ctx, open_system
            )
            found, keyed_by = _Found(records_read, prints, []), ""
            system, system_type, object_ = source.system, mapper.mapping.spec.system, source.object
        key = (system, object_)
        if key in loaded.sources and system_type != "csv":
            raise DedupeSourceError(
                f"job '{job.name}': {system}:{object_} is listed twice among the sources"
            )
        loaded.sources[key] = SourceInfo(system, system_type, object_, mapper, method)
        models.add(mapper.mapping.model)
        _unique(found, rejects, seen)
        _without_erased(found, erased, report)
        loaded.fingerprints.extend(found.prints)
        keys.add_source(f"{source.label}\0{keyed_by}", found.keys, len(found.records))
        report.written = len(found.records)
        report.rejected = len(rejects)
        records.extend(found.records)
        loaded.origin.extend([len(loaded.reports) - 1] * len(found.records))
        loaded.rejects.extend(rejects)
        log.info("%s: %d records, %d rejected", source.label, len(found.records), len(rejects))
    if len(models) != 1 or not models <= {Contact, Account}:
        names = ", ".join(sorted(m.__name__ for m in models))
        raise DedupeSourceError(
            f"job '{job.name}': a dedupe job's sources must all map to contacts or all to "
            f"accounts, got {names}"
        )
    model = models.pop()
    loaded.model = model  # type: ignore[assignment]
    loaded.records = records.settled()  # type: ignore[assignment]
    loaded.row_keys = keys
    return loaded

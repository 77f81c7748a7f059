"""Reading a dedupe job's CSV source: rows mapped by worker processes, or taken from the
source's record cache when an earlier run mapped them (``record_cache``)."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from canonical import Rejected
from connectors.csvfile import CsvRowError
from flows.config import SourceConfig
from flows.context import JobContext
from flows.csv_chunks import ChunkReader
from flows.csv_source import CsvSource, RowMapper
from flows.dedupe.evidence import fingerprint
from flows.dedupe.record_cache import (
    CachedChunk,
    RecordCache,
    cache_validity,
    frame_of,
    known_rows,
    row_key,
    sharing_known_rows,
)
from flows.dedupe.record_list import RecordList
from flows.dedupe.transfer import Encoded, RecordDecoder, encode_record
from flows.parallel import batch_gc, ordered_map, worker_count
from flows.report import SourceReport
from flows.store.erasure import ErasedMatcher
from flows.sync.gather.erased import is_erased
from mapping import Mapper, TransformContext

__all__ = ["KeptRecords", "read_csv"]

log = logging.getLogger(__name__)


def read_csv(
    source: SourceConfig,
    context: TransformContext,
    report: SourceReport,
    ctx: JobContext,
    workers_wanted: int | None,
    kept: KeptRecords,
) -> tuple[Mapper, RecordList, list[str], list[bytes], list[Rejected]]:
    """A CSV file's records, their fingerprints and their row keys; a big file is mapped by
    worker processes (the mapping costs about a tenth of a millisecond a row), which read
    their chunks of the file themselves and send their records back compact (transfer.py).
    Rows mapped by an earlier run come from the source's record cache (record_cache.py)
    unmapped, and are decoded when first read (record_list.py)."""
    assert source.path is not None  # flows.yaml checks that a csv source has a path
    assert source.mapping is not None
    csv = CsvSource(
        source.path,
        source.mapping,
        context,
        encoding=source.encoding,
        delimiter=source.delimiter,
        id_column=source.id_column,
    )
    report.details.update(csv.details)
    hint = _rows_hint(source.path)
    ctx.stage(report.label, hint)
    decode = RecordDecoder()
    records = RecordList(decode)
    prints: list[str] = []
    keys: list[bytes] = []
    rejects: list[Rejected] = []
    workers = worker_count(workers_wanted, source.path)
    reader = ChunkReader(csv.reader)
    indices = _Indices()
    with batch_gc(), contextlib.closing(reader):
        cache = kept.cache_of(source.path, source.mapping, context, hint)
        log.info("%s: mapping with %d process(es), %d rows cached", source.label, workers,
                 len(cache))  # fmt: skip
        work = _CompactChunk(csv.rows, reader, reader.token)
        mapped_rows = 0
        seen = _Seen(source.label)
        try:
            with sharing_known_rows(reader.token, cache.known, kept.erased):
                chunks = ordered_map(work, indices, workers=workers, fork=True)
                for chunk in chunks:
                    if not chunk.read:
                        indices.stop()  # the end of the file: chunks past it come back empty
                        continue
                    report.read += chunk.read
                    frame_keys, mapped = chunk.mapped()
                    mapped_rows += sum(1 for key in chunk.keys if key in mapped)
                    cache.add(chunk.frame, frame_keys)
                    for key in chunk.keys:
                        if key in seen:  # a row repeated whole, id included: the record
                            at = seen.first(key)  # made of it (rejected as a repeated id)
                            records.add(records[at])
                            prints.append(prints[at])
                        elif (entry := mapped.get(key)) is not None:
                            records.add(decode(entry[0]))
                            prints.append(entry[1])
                        else:  # decoded when first read (record_list)
                            entry = cache.take(key)
                            if entry is None:  # a worker took it for a cached row
                                raise RuntimeError(f"{source.label}: row key {key.hex()} "
                                                   "neither mapped nor cached")  # fmt: skip
                            records.add_encoded(entry[0])
                            prints.append(entry[1])
                        keys.append(key)
                        seen.add(key)
                    rejects.extend(chunk.rejects)
                    # The records kept so far hold no cycles and live as long as the job: out
                    # of the collector's reach, they are not traversed again by every later
                    # collection (half the cost of rebuilding them). batch_gc's end gives
                    # them back to it.
                    gc.freeze()
                    ctx.progress(report.label, chunk.read)
        except BaseException:
            cache.close()
            raise
        cache.commit()
    # Rows of the file that became records: mapped by this run, or taken from the cache.
    report.details["mapped"] = str(mapped_rows)
    report.details["cached"] = str(len(records) - mapped_rows)
    return csv.mapper, records, prints, keys, rejects


class _Seen:
    """The row keys read so far; where a key was first read is looked up rarely (a row
    repeated whole), so that index is built only when first asked for."""

    def __init__(self, label: str) -> None:
        self._label = label
        self._keys: list[bytes] = []
        self._set: set[bytes] = set()
        self._first: dict[bytes, int] | None = None

    def __contains__(self, key: bytes) -> bool:
        return key in self._set

    def add(self, key: bytes) -> None:
        self._keys.append(key)
        self._set.add(key)
        if self._first is not None:
            self._first.setdefault(key, len(self._keys) - 1)

    def first(self, key: bytes) -> int:
        if self._first is None:
            self._first = {}
            for at, known in enumerate(self._keys):
                self._first.setdefault(known, at)
        return self._first[key]


class _Indices:
    """0, 1, 2, ... until ``stop``: the chunks to ask for, while the file has more."""

    def __init__(self) -> None:
        self._stopped = False

    def stop(self) -> None:
        self._stopped = True

    def __iter__(self) -> Iterator[int]:
        index = 0
        while not self._stopped:
            yield index
            index += 1


@dataclass(frozen=True)
class _CompactChunk:
    """Reads and maps a chunk of rows (in a worker process) and sends its records back
    compact, with their fingerprints (the entity index keeps them: computed here, they cost
    no time of the process that waits for the records). Rows whose key the record cache
    knows are not mapped: only their keys go back."""

    rows: RowMapper
    chunks: ChunkReader
    token: str

    def __call__(self, index: int) -> CachedChunk:
        chunk = self.chunks(index)
        known, erased = known_rows(self.token)
        keys: list[bytes] = []
        kept_keys: list[bytes] = []
        kept: list[Encoded] = []
        kept_prints: list[str] = []
        uncached: list[tuple[bytes, Encoded, str]] = []
        rejects: list[Rejected] = []
        for row in chunk:
            if isinstance(row, CsvRowError):
                rejects.append(self.rows.row_error(row))
                continue
            record_id = self.rows.record_id(row)
            key = row_key(record_id, row.values)
            if key in known:
                keys.append(key)
                continue
            outcome = self.rows.map_row(row, record_id)
            if isinstance(outcome, Rejected):
                rejects.append(outcome)
                continue
            keys.append(key)
            encoded, digest = encode_record(outcome), fingerprint(outcome)  # type: ignore[arg-type]
            if erased and is_erased(erased, outcome.source, outcome):
                uncached.append((key, encoded, digest))  # an erased person's: never kept
                continue
            kept_keys.append(key)
            kept.append(encoded)
            kept_prints.append(digest)
        frame = frame_of(kept_keys, kept, kept_prints) if kept else b""
        return CachedChunk(len(chunk), keys, frame, uncached, rejects)


@dataclass
class KeptRecords:
    """Where a job's CSV sources keep their record caches (None: nowhere), and whose
    records are never kept."""

    folder: Path | None
    erased: ErasedMatcher

    def cache_of(
        self, path: Path, mapping: Path, context: TransformContext, hint: int
    ) -> RecordCache:
        if self.folder is None:
            return RecordCache.disabled()
        name = hashlib.blake2b(str(path.resolve()).encode(), digest_size=6).hexdigest()
        return RecordCache(
            self.folder / f"{path.stem}-{name}", cache_validity(mapping, context), hint
        )

    @staticmethod
    def validity_of(source: SourceConfig, context: TransformContext) -> str:
        """What the record of a row key of ``source`` depends on besides the row."""
        assert source.mapping is not None  # a dedupe source always has one (sources.py)
        return cache_validity(source.mapping, context)


def _rows_hint(path: Path) -> int:
    """About how many rows a CSV file holds (its lines but the header), for the ETA of a
    progress display; one pass over the bytes, tens of milliseconds per 100 MB."""
    lines = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 22):
            lines += chunk.count(b"\n")
    return max(lines - 1, 0)

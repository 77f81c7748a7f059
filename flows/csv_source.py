"""A CSV file read through its mapping: chunks of rows, mapped into records and rejects.

Reading and mapping are split so that mapping, the CPU-heavy part, can run in worker
processes: ``CsvSource`` reads chunks in constant memory; ``RowMapper`` is small, picklable
and builds its Mapper once per process; ``csv_chunks.ChunkReader`` lets a worker read its
chunks itself.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from canonical import CanonicalRecord, IssueAction, Rejected
from connectors.csvfile import CsvReader, CsvReadOptions, CsvRow, CsvRowError
from mapping import Mapper, TransformContext, load_mapping
from mapping.yamldoc import did_you_mean

__all__ = [
    "BATCH_SIZE",
    "Chunk",
    "CsvSource",
    "IssueRow",
    "MappedBatch",
    "MissingColumnError",
    "RowMapper",
]

log = logging.getLogger(__name__)

BATCH_SIZE = 2_000
Chunk = list[CsvRow | CsvRowError]

# One Mapper per (mapping file, context) and process: worker processes build theirs once.
_MAPPERS: dict[tuple[Path, TransformContext], Mapper] = {}


class MissingColumnError(Exception):
    """A column the mapping requires is not in the file."""


IssueRow = tuple[str, int, str, IssueAction, str, str | None]
"""(record id, row, field, action, reason, value) of a value that did not normalise cleanly;
plain data, cheap to send back from a worker process."""


@dataclass
class MappedBatch:
    records: list[CanonicalRecord] = field(default_factory=list)
    rejects: list[Rejected] = field(default_factory=list)
    issues: list[IssueRow] = field(default_factory=list)
    read: int = 0


@dataclass(frozen=True)
class RowMapper:
    """Maps rows of one CSV file; holds only paths and settings, so it pickles cheaply."""

    file_name: str
    mapping_path: Path
    context: TransformContext
    id_column: str | None

    @property
    def mapper(self) -> Mapper:
        key = (self.mapping_path, self.context)
        mapper = _MAPPERS.get(key)
        if mapper is None:
            mapper = _MAPPERS[key] = Mapper(load_mapping(self.mapping_path), self.context)
        return mapper

    def record_id(self, row: CsvRow) -> str:
        if self.id_column:
            value = row.values.get(self.id_column, "").strip()
            if value:
                return value
        return f"{self.file_name}:{row.row_number}"

    def row_error(self, error: CsvRowError) -> Rejected:
        ref = self.mapper.source_ref(f"{self.file_name}:{error.row_number}")
        return Rejected(
            source=ref, row=error.row_number, reason=error.reason, raw={"line": error.raw}
        )

    def map_row(self, row: CsvRow, record_id: str) -> CanonicalRecord | Rejected:
        """One row's record (``record_id`` is ``self.record_id(row)``), or why it has none."""
        return self.mapper.to_canonical(row.values, record_id=record_id, row=row.row_number)

    def map_chunk(self, chunk: Chunk) -> MappedBatch:
        batch = MappedBatch(read=len(chunk))
        for item in chunk:
            if isinstance(item, CsvRowError):
                batch.rejects.append(self.row_error(item))
                continue
            record_id = self.record_id(item)
            outcome = self.map_row(item, record_id)
            if isinstance(outcome, Rejected):
                batch.rejects.append(outcome)
                continue
            batch.records.append(outcome)
            for issue in outcome.issues:
                batch.issues.append(
                    (record_id, item.row_number, issue.field, issue.action, issue.reason,
                     issue.value)
                )  # fmt: skip
        return batch


class CsvSource:
    """Reads one CSV file in constant memory, in chunks of rows for its RowMapper."""

    def __init__(
        self,
        path: Path,
        mapping_path: Path,
        context: TransformContext,
        *,
        encoding: str | None = None,
        delimiter: str | None = None,
        id_column: str | None = None,
    ) -> None:
        self.path = path
        spec = load_mapping(mapping_path).spec
        self.rows = RowMapper(path.name, mapping_path, context, id_column or spec.id_field)
        self.reader = CsvReader(
            path,
            CsvReadOptions(encoding=encoding, delimiter=delimiter, header_aliases=spec.headers),
        )
        self._check_columns()

    @property
    def mapper(self) -> Mapper:
        return self.rows.mapper

    def _check_columns(self) -> None:
        columns = set(self.reader.columns)
        mapping = self.mapper.mapping
        for resolved in mapping.fields:
            source = resolved.spec.source
            if source is None or source in columns or resolved.spec.direction == "out":
                continue
            join = resolved.spec.join or ()
            if any(part in columns for part in join):
                continue  # read from its parts (First Name + Last Name)
            hint = did_you_mean(source, self.reader.columns)
            if resolved.spec.required:
                raise MissingColumnError(
                    f"{self.path}: column '{source}' is required by mapping "
                    f"{mapping.path.name} (target '{resolved.spec.target}') but the "
                    f"file has no such column{hint}; add the column or a header alias for it"
                )
            log.info(
                "%s: no column '%s'; '%s' stays empty", self.path, source, resolved.spec.target
            )

        if unused := self.unused_columns:
            log.warning(
                "%s: %d column(s) not read by mapping %s: %s (add a header alias to use one)",
                self.path, len(unused), mapping.path.name, ", ".join(unused),
            )  # fmt: skip

    @property
    def unused_columns(self) -> tuple[str, ...]:
        """The file's columns that no field of the mapping reads (nor the id column): named
        in the run's summary and log, never dropped silently."""
        used = {self.rows.id_column}
        for resolved in self.mapper.mapping.fields:
            if resolved.spec.direction != "out":
                used.add(resolved.spec.source)
                used.update(resolved.spec.join or ())
        return tuple(c for c in self.reader.columns if c not in used)

    @property
    def details(self) -> dict[str, str]:
        details = {"encoding": self.reader.encoding, "delimiter": self.reader.delimiter}
        if unused := self.unused_columns:
            details["unused_columns"] = ", ".join(unused)
        return details

    def chunks(self, size: int = BATCH_SIZE) -> Iterator[Chunk]:
        rows = iter(self.reader)
        while chunk := list(islice(rows, size)):
            yield chunk

    def batches(self, size: int = BATCH_SIZE) -> Iterator[MappedBatch]:
        """Mapped batches, in this process."""
        for chunk in self.chunks(size):
            yield self.rows.map_chunk(chunk)

"""CSV files as a read-only ``RecordSystem``.

A CSV file is a snapshot with no per-row times and no deletion log, and writing one means
writing the whole file. So ``read`` always returns every row (``since`` cannot narrow it;
the planner's fingerprints skip rows that did not change), ``read_deleted`` and the record
writes raise ``UnsupportedOperationError``, and CSV outputs are whole files written by the
job with ``connectors.csvfile.CsvWriter`` (atomically), not record by record.

The ``object`` of every call is a file: a key registered at construction (the path of a
flows.yaml endpoint, see ``csv_files_for``) or a path, relative to ``base_dir``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from pathlib import Path

from connectors.capabilities import MergeMethod, SystemDefaults
from connectors.csvfile import CsvReader, CsvReadOptions, CsvRow, CsvRowError
from connectors.record_system import (
    JsonValue,
    RawRecord,
    SystemUser,
    UnsupportedOperationError,
    WriteResult,
)
from flows.config.models import Endpoint, SourceConfig
from mapping import load_mapping

__all__ = ["CsvFile", "CsvRecordSystem", "RowErrorHandler", "csv_files_for"]

logger = logging.getLogger(__name__)

PAGE_SIZE = 2_000
RowErrorHandler = Callable[[str, CsvRowError], None]
"""Called with (object, error) for each row the reader rejected (default: log a warning and
keep it for ``take_unreadable``)."""


@dataclass(frozen=True)
class CsvFile:
    """One file and how to read it. Without ``id_column`` (or with it empty on a row) a row's
    id is ``<file name>:<line>``, as the normalise job names it."""

    path: Path
    options: CsvReadOptions = field(default_factory=CsvReadOptions)
    id_column: str | None = None

    def record_id(self, row: CsvRow) -> str:
        if self.id_column:
            value = row.values.get(self.id_column, "").strip()
            if value:
                return value
        return f"{self.path.name}:{row.row_number}"


def csv_files_for(endpoints: Iterable[Endpoint]) -> dict[str, CsvFile]:
    """The CSV endpoints of a job, keyed by their absolute path as text.

    Header aliases and the id column come from each endpoint's mapping file (``id_column``
    of a source overrides it), so rows read here have the columns the mapper expects.
    """
    files: dict[str, CsvFile] = {}
    for endpoint in endpoints:
        if not endpoint.is_csv or endpoint.path is None:
            continue
        aliases: Mapping[str, Sequence[str]] = {}
        id_column: str | None = None
        if endpoint.mapping is not None:
            spec = load_mapping(endpoint.mapping).spec
            aliases, id_column = spec.headers, spec.id_field
        encoding = delimiter = None
        if isinstance(endpoint, SourceConfig):
            encoding, delimiter = endpoint.encoding, endpoint.delimiter
            id_column = endpoint.id_column or id_column
        options = CsvReadOptions(encoding=encoding, delimiter=delimiter, header_aliases=aliases)
        files[str(endpoint.path)] = CsvFile(endpoint.path, options, id_column)
    return files


def _log_row_error(object: str, error: CsvRowError) -> None:
    logger.warning("%s: line %d rejected: %s", object, error.row_number, error.reason)


class CsvRecordSystem(SystemDefaults):
    """Reads CSV files; see the module docstring for what files cannot do."""

    name = "csv"
    type = "csv"
    max_write_batch = 0
    """No record writes."""
    merge_method = MergeMethod.REWRITE
    """A deduplicated copy of the file holds each golden record once."""
    api_calls = 0

    def __init__(
        self,
        base_dir: Path,
        files: Mapping[str, CsvFile] | None = None,
        *,
        page_size: int = PAGE_SIZE,
        on_row_error: RowErrorHandler | None = None,
    ) -> None:
        self.base_dir = base_dir
        self.files = dict(files or {})
        self.page_size = page_size
        self.on_row_error = on_row_error or self._keep_row_error
        self._unreadable: dict[str, list[tuple[str, CsvRowError]]] = {}

    def _keep_row_error(self, object: str, error: CsvRowError) -> None:
        _log_row_error(object, error)
        row_id = f"{self.file(object).path.name}:{error.row_number}"
        self._unreadable.setdefault(object, []).append((row_id, error))

    def take_unreadable(self, object: str) -> list[tuple[str, CsvRowError]]:
        """The rows of ``object`` the reader could not read since the last call, each with the
        id the row would have had (``<file name>:<line>``): a sync dead-letters them, so a
        broken line is a reject with its reason, never a row that silently is not there."""
        return self._unreadable.pop(object, [])

    def file(self, object: str) -> CsvFile:
        known = self.files.get(object)
        if known is not None:
            return known
        path = Path(object).expanduser()
        return CsvFile(path if path.is_absolute() else self.base_dir / path)

    def _records(self, object: str) -> Iterator[RawRecord]:
        csv_file = self.file(object)
        for item in CsvReader(csv_file.path, csv_file.options):
            if isinstance(item, CsvRowError):
                self.on_row_error(object, item)
                continue
            yield RawRecord(csv_file.record_id(item), None, dict(item.values))

    def read(self, object: str, *, since: datetime | None = None) -> Iterator[list[RawRecord]]:
        """Every row, in pages of ``page_size``; ``since`` is ignored (rows carry no time)."""
        self._unreadable.pop(object, None)  # a full read reports the file as it is now
        records = self._records(object)
        while page := list(islice(records, self.page_size)):
            yield page

    def read_deleted(self, object: str, *, since: datetime | None = None) -> Iterator[list[str]]:
        raise UnsupportedOperationError(
            f"{object}: a CSV file keeps no record of deleted rows; a row is gone when a full "
            "read no longer has it"
        )

    def get_many(self, object: str, ids: Sequence[str]) -> list[RawRecord]:
        """The rows with these ids, in the order of ``ids`` (one pass over the file)."""
        wanted = dict.fromkeys(ids)
        found: dict[str, RawRecord] = {}
        for record in self._records(object):
            if record.id in wanted and record.id not in found:
                found[record.id] = record
        return [found[i] for i in wanted if i in found]

    def users(self) -> list[SystemUser]:
        return []

    def _no_writes(self, operation: str, object: str) -> UnsupportedOperationError:
        return UnsupportedOperationError(
            f"cannot {operation} rows of {object}: CSV outputs are whole files; write them "
            "with a csv target (connectors.csvfile.CsvWriter replaces the file atomically)"
        )

    def create(self, object: str, payloads: Sequence[Mapping[str, JsonValue]]) -> list[WriteResult]:
        raise self._no_writes("create", object)

    def update(
        self, object: str, changes: Sequence[tuple[str, Mapping[str, JsonValue]]]
    ) -> list[WriteResult]:
        raise self._no_writes("update", object)

    def delete(self, object: str, ids: Sequence[str]) -> list[WriteResult]:
        raise self._no_writes("delete", object)

    def merge(self, object: str, master_id: str, duplicate_ids: Sequence[str]) -> list[WriteResult]:
        raise self._no_writes("merge", object)

    def invalidate(self, object: str, ids: Sequence[str]) -> list[WriteResult]:
        raise self._no_writes("invalidate", object)

    def recover(self, object: str, ids: Sequence[str]) -> list[WriteResult]:
        raise self._no_writes("recover", object)

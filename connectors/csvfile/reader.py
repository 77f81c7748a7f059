"""Streaming CSV reader: one pass in constant memory; a bad record is yielded, never raised.

The file is opened lazily: `CsvReader(...)` reads only the head of the file (to detect the
encoding and delimiter and to resolve the header) and closes it again; each `iter(reader)`
opens the file anew and closes it when the iteration ends or the iterator is dropped. No
context manager is needed, and a reader can be iterated more than once.

Creating a reader raises the process-wide `csv.field_size_limit` (never lowers it) so that
an oversized cell is parsed and rejected rather than breaking the parse of the records after it.
"""

from __future__ import annotations

import csv
import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from connectors.csvfile.delimiter import sniff_delimiter
from connectors.csvfile.encoding import show_undecodable, undecodable_bytes
from connectors.csvfile.errors import CsvFormatError
from connectors.csvfile.headers import resolve_header
from connectors.csvfile.models import SNIFFED_DELIMITERS, CsvReadOptions, CsvRow, CsvRowError
from connectors.csvfile.source import (
    choose_encoding,
    explain_csv_error,
    open_text,
    read_header,
    refuse_binary,
    unreadable,
)

if TYPE_CHECKING:
    from _csv import Reader as _Parser

__all__ = ["CsvCursor", "CsvReader"]

logger = logging.getLogger(__name__)

_SNIFF_CHARS = 64 * 1024
_RAW_CHARS = 200
# Physical lines kept for excerpts; a rejected record longer than this is shown from the
# earliest kept line, marked with "…".
_RAW_LINES = 8
# csv's own cell limit, far above `max_cell_chars` so an oversized cell is parsed and rejected
# cleanly; it only bounds memory when a quote is never closed.
_FIELD_GUARD = 16 * 1024 * 1024
_FIELD_GUARD_MAX = 2**31 - 1  # csv stores the limit in a C long, 32 bits on Windows


class CsvReader:
    """Read one CSV file as `CsvRow` and `CsvRowError` items, in file order.

    After construction `encoding`, `delimiter`, `columns` (header after alias resolution),
    `unmatched_headers` (headers no alias matched, kept as columns) and `missing_columns`
    (alias columns no header matched) are known. Raises `CsvFormatError` for whole-file
    problems; everything confined to one record comes out as a `CsvRowError`. Lines that are
    empty, or whose cells are all empty, are skipped silently. Values are not trimmed.
    """

    def __init__(self, path: Path, options: CsvReadOptions | None = None) -> None:
        self.path = path
        self.options = options if options is not None else CsvReadOptions()
        _raise_csv_field_limit(max(_FIELD_GUARD, 2 * self.options.max_cell_chars))
        try:
            refuse_binary(path)
            self.encoding: str = choose_encoding(path, self.options.encoding)
            with open_text(path, self.encoding) as stream:
                sample = stream.read(_SNIFF_CHARS)
            self.delimiter: str = self.options.delimiter or sniff_delimiter(
                sample, SNIFFED_DELIMITERS, complete=len(sample) < _SNIFF_CHARS
            )
            with open_text(path, self.encoding) as stream:
                parser, _ = self._parser(stream)
                self._header = read_header(parser, path, self.encoding)
        except OSError as exc:
            raise unreadable(path, exc) from exc
        except UnicodeError as exc:  # only codecs that ignore error handlers, such as "idna"
            raise CsvFormatError(
                f"{path}: cannot decode the file as {self.encoding} ({exc}); pass another "
                "encoding, e.g. 'utf-8' or 'gb18030'."
            ) from exc
        try:
            resolved = resolve_header(self._header, self.options.header_aliases)
        except ValueError as exc:
            raise CsvFormatError(f"{path}: {exc}.") from exc
        self.columns: tuple[str, ...] = resolved.columns
        self.unmatched_headers: tuple[str, ...] = resolved.unmatched
        self.missing_columns: tuple[str, ...] = resolved.missing
        logger.debug(
            "%s: encoding %s, delimiter %r, columns %s",
            path,
            self.encoding,
            self.delimiter,
            self.columns,
        )

    def __iter__(self) -> Iterator[CsvRow | CsvRowError]:
        return self.cursor().items

    def cursor(self) -> CsvCursor:
        """An iteration of the file that can also pass over items without making them."""
        cursor = CsvCursor()
        cursor.items = self._items(cursor)
        return cursor

    def _items(self, cursor: CsvCursor) -> Iterator[CsvRow | CsvRowError]:
        try:
            stream = open_text(self.path, self.encoding)
        except OSError as exc:
            raise unreadable(self.path, exc) from exc
        with stream:
            parser, ring = self._parser(stream)
            if read_header(parser, self.path, self.encoding) != self._header:
                raise CsvFormatError(
                    f"{self.path}: the header changed since the reader was created; "
                    "create a new reader."
                )
            yield from self._records(parser, ring, cursor)

    def _records(
        self, parser: _Parser, ring: deque[str], cursor: CsvCursor
    ) -> Iterator[CsvRow | CsvRowError]:
        # The hot loop: C-level checks on the joined row first, per-cell work only when one
        # of them fires.
        columns = self.columns
        width = len(columns)
        limit = self.options.max_cell_chars
        next_start = parser.line_num + 1
        while True:
            try:
                for row in parser:
                    start = next_start
                    next_start = parser.line_num + 1
                    if cursor.skipping:  # an item counted, not made: see CsvCursor.skip
                        if any(row) and (len(row) == width or not "".join(row).isspace()):
                            cursor.skipping -= 1
                        continue
                    joined = "".join(row)
                    if not joined:
                        continue
                    if len(row) != width:
                        if not joined.isspace():
                            plural = "" if len(row) == 1 else "s"
                            reason = f"row has {len(row)} field{plural}, header has {width}"
                            yield CsvRowError(start, reason, self._raw(ring, start, parser))
                        continue
                    if (
                        len(joined) > limit
                        or "\x00" in joined
                        or (not joined.isascii() and _has_undecodable(joined))
                    ):
                        problem = self._cell_problem(row)
                        if problem is not None:
                            yield CsvRowError(start, problem, self._raw(ring, start, parser))
                            continue
                    yield CsvRow(start, dict(zip(columns, row, strict=True)))
            except csv.Error as exc:
                failure = str(exc)
            else:
                return
            # csv resets after an error and resumes at the next physical line.
            start = next_start
            next_start = parser.line_num + 1
            if cursor.skipping:
                cursor.skipping -= 1
                continue
            yield CsvRowError(start, explain_csv_error(failure), self._raw(ring, start, parser))

    def _cell_problem(self, row: list[str]) -> str | None:
        limit = self.options.max_cell_chars
        for name, cell in zip(self.columns, row, strict=True):
            if len(cell) > limit:
                return f"column {name!r} is {len(cell)} characters, limit {limit}"
            if "\x00" in cell:
                return f"column {name!r} contains a NUL byte (binary data or a broken export)"
            if not cell.isascii() and _has_undecodable(cell):
                bad = undecodable_bytes(cell)
                return f"column {name!r}: bytes {bad!r} are not valid {self.encoding}"
        return None

    def _raw(self, ring: deque[str], start: int, parser: _Parser) -> str:
        end = parser.line_num
        first_kept = end - len(ring) + 1
        lines = list(ring)[max(start - first_kept, 0) :]
        # Cut each line first: a kept line may be a 10 MB cell.
        text = "".join(line[:_RAW_CHARS] for line in lines)[:_RAW_CHARS]
        if start < first_kept:
            text = "…" + text
        return show_undecodable(text.rstrip("\r\n")).replace("\x00", "\\x00")[:_RAW_CHARS]

    def _parser(self, stream: TextIO) -> tuple[_Parser, deque[str]]:
        ring: deque[str] = deque(maxlen=_RAW_LINES)
        parser = csv.reader(_tap(stream, ring.append), delimiter=self.delimiter, strict=True)
        return parser, ring


class CsvCursor:
    """One iteration of a CSV file: ``items`` yields its rows and row errors in order;
    ``skip(n)`` makes the next ``n`` of them pass unmade (parsed to find where rows end,
    numbered as before, but neither checked nor built). A worker process reading only
    every other chunk of a file passes over the others' rows in a fifth of the time."""

    def __init__(self) -> None:
        self.items: Iterator[CsvRow | CsvRowError] = iter(())
        self.skipping = 0

    def skip(self, count: int) -> None:
        """The next ``count`` items (rows or row errors) are passed over, not yielded."""
        self.skipping += count


def _tap(lines: Iterable[str], keep: Callable[[str], None]) -> Iterator[str]:
    """Pass lines through to csv, keeping them for excerpts of rejected records."""
    for line in lines:
        keep(line)
        yield line


def _has_undecodable(text: str) -> bool:
    # Fast C-level test: only the lone surrogates that mark undecodable bytes fail to encode.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _raise_csv_field_limit(chars: int) -> None:
    # Process-wide csv setting; it is only ever raised, so concurrent readers cannot shrink
    # each other's limit.
    wanted = min(chars, _FIELD_GUARD_MAX)
    if csv.field_size_limit() < wanted:
        csv.field_size_limit(wanted)

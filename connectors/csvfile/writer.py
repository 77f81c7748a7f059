"""Writing CSV files that are safe to open in a spreadsheet and never left half-written."""

from __future__ import annotations

import contextlib
import csv
import io
import logging
import os
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from connectors.csvfile.errors import check_output_path

__all__ = ["CsvRowRenderer", "CsvWriter", "neutralise_formula"]

logger = logging.getLogger(__name__)

# OWASP "CSV Injection" and ASVS 1.2.10: a cell starting with one of these is a formula to
# Excel, LibreOffice and Google Sheets.
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\x00")
_TRIGGER_CHARS = frozenset(_FORMULA_TRIGGERS)
_SIGNED_NUMBER = re.compile(r"[+-][0-9]{1,30}(?:\.[0-9]{1,30})?", re.ASCII)


def neutralise_formula(cell: str) -> str:
    """Prefix `cell` with an apostrophe if a spreadsheet would read it as a formula.

    Every cell starting with = + - @ TAB CR or NUL is prefixed (OWASP "CSV Injection", ASVS
    1.2.10), except a cell that is nothing but a signed decimal number: "+8613800138000" or
    "-12.50". Such a cell holds no letters and no operator past its sign, so no function call
    can hide in it, and prefixing it would corrupt E.164 phones and negative amounts for every
    program that reads the file. The exemption is a strict ASCII pattern, not a number grammar.
    """
    if cell.startswith(_FORMULA_TRIGGERS) and not _SIGNED_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


class CsvRowRenderer:
    """Turns rows into CSV lines exactly as CsvWriter writes them (quoting, neutralising).

    It pickles (only its settings travel), so worker processes can render lines that the
    process owning the file then writes with ``CsvWriter.write_rendered``.
    """

    def __init__(
        self, columns: Sequence[str], *, delimiter: str = ",", neutralise: bool = True
    ) -> None:
        self.columns = tuple(columns)
        self.delimiter = delimiter
        self.neutralise = neutralise
        self._known = frozenset(self.columns)
        self._buffer: io.StringIO | None = None
        self._csv: Any = None

    def __getstate__(self) -> dict[str, object]:
        # The buffer and csv writer stay behind; the receiving process makes its own.
        return {**self.__dict__, "_buffer": None, "_csv": None}

    def render(self, row: Mapping[str, str | None]) -> str:
        """One row as a CSV line with its line end; ValueError if a key is not a column."""
        if not self._known.issuperset(row):
            unknown = sorted(set(row) - self._known)
            raise ValueError(f"unknown columns {unknown}; the file's columns are {self.columns}")
        return self.render_cells([row.get(column) for column in self.columns])

    def render_cells(self, values: Iterable[str | None]) -> str:
        if self._buffer is None:
            self._buffer = io.StringIO()
            self._csv = csv.writer(self._buffer, delimiter=self.delimiter, lineterminator="\r\n")
        if self.neutralise:
            # The first-character test inline: most cells never reach neutralise_formula.
            cells = [
                ""
                if value is None
                else (neutralise_formula(value) if value[:1] in _TRIGGER_CHARS else value)
                for value in values
            ]
        else:
            cells = ["" if value is None else value for value in values]
        self._buffer.seek(0)
        self._buffer.truncate()
        self._csv.writerow(cells)
        return self._buffer.getvalue()


class CsvWriter:
    """Write rows to a CSV file atomically: all of them, or none and the old file untouched.

    Rows go to a hidden temporary file in the target's folder (created owner-only, as the
    rows hold personal data), which replaces `path` on a successful `close()`; on `abort()`,
    or when the `with` block raises, it is removed. Output is UTF-8 (with a BOM if `bom`,
    which Excel needs to see UTF-8), RFC 4180 quoting and CRLF line ends. The header is the
    `columns`; a missing key or None is an empty cell; a key not in `columns` is a ValueError.
    Use it as a context manager so the temporary file never outlives the run.
    """

    def __init__(
        self,
        path: Path,
        columns: Sequence[str],
        *,
        bom: bool = False,
        delimiter: str = ",",
        neutralise: bool = True,
    ) -> None:
        if not columns:
            raise ValueError("a CSV file needs at least one column")
        if len(set(columns)) != len(columns):
            raise ValueError(f"column names repeat: {list(columns)}")
        if len(delimiter) != 1 or delimiter in '"\r\n':
            raise ValueError(
                f"delimiter must be one character, not a quote or line break: {delimiter!r}"
            )
        check_output_path(path)
        self.path = path
        self.columns = tuple(columns)
        self._rows_written = 0
        self._closed = False
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        self._temp = Path(temp)
        try:
            self._file = os.fdopen(fd, "w", encoding="utf-8-sig" if bom else "utf-8", newline="")
        except BaseException:
            os.close(fd)
            self._temp.unlink(missing_ok=True)
            raise
        self.renderer = CsvRowRenderer(columns, delimiter=delimiter, neutralise=neutralise)
        self._file.write(self.renderer.render_cells(self.columns))

    @property
    def rows_written(self) -> int:
        """Rows written so far, the header not counted."""
        return self._rows_written

    def write(self, row: Mapping[str, str | None]) -> None:
        """Write one row; ValueError if the writer is closed or a key is not a column."""
        if self._closed:
            raise ValueError(f"the writer for {self.path} is closed")
        self._file.write(self.renderer.render(row))
        self._rows_written += 1

    def write_rendered(self, line: str) -> None:
        """Write a line made by this writer's ``renderer`` (possibly in another process)."""
        if self._closed:
            raise ValueError(f"the writer for {self.path} is closed")
        self._file.write(line)
        self._rows_written += 1

    def write_many(self, rows: Iterable[Mapping[str, str | None]]) -> int:
        """Write rows in order; return how many this call wrote."""
        before = self._rows_written
        for row in rows:
            self.write(row)
        return self._rows_written - before

    def close(self) -> None:
        """Flush to disk and move the file into place. Idempotent; removes the temp on error."""
        if self._closed:
            return
        self._closed = True
        try:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
            self._temp.replace(self.path)
        except BaseException:
            self._discard()
            raise
        logger.debug("wrote %d rows to %s", self._rows_written, self.path)

    def abort(self) -> None:
        """Drop everything written; `path` is left as it was. Idempotent."""
        if self._closed:
            return
        self._closed = True
        self._discard()
        logger.debug("discarded %d rows meant for %s", self._rows_written, self.path)

    def __enter__(self) -> CsvWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()

    def _discard(self) -> None:
        # The file may already be broken (disk full, bad text): closing must not mask that.
        with contextlib.suppress(OSError, ValueError):
            self._file.close()
        self._temp.unlink(missing_ok=True)

"""The file behind a reader: refusing workbooks, choosing the encoding, opening, the header.

Every failure here concerns the whole file and is a `CsvFormatError` that names the file and
says what to do.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from connectors.csvfile.encoding import (
    UNDECODABLE,
    bom_length,
    detect_encoding,
    normalise_encoding,
    undecodable_bytes,
)
from connectors.csvfile.errors import CsvFormatError

if TYPE_CHECKING:
    from _csv import Reader as _Parser

__all__ = [
    "choose_encoding",
    "explain_csv_error",
    "open_text",
    "read_header",
    "refuse_binary",
    "unreadable",
]

_BINARY_MAGIC = (
    (b"PK\x03\x04", "a ZIP archive, probably an .xlsx workbook"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an .xls workbook"),
)
_BUFFER_BYTES = 1024 * 1024


def refuse_binary(path: Path) -> None:
    """Refuse an Excel workbook given where a CSV file was expected (a common mistake)."""
    with path.open("rb") as stream:
        head = stream.read(8)
    for magic, what in _BINARY_MAGIC:
        if head.startswith(magic):
            raise CsvFormatError(
                f"{path}: this is {what}, not CSV; save it from Excel as "
                "'CSV UTF-8 (Comma delimited)' and read that file."
            )


def choose_encoding(path: Path, given: str | None) -> str:
    """The encoding given (checked), or the detected one."""
    if given is None:
        return detect_encoding(path)
    try:
        return normalise_encoding(given)
    except LookupError:
        raise CsvFormatError(
            f"{path}: unknown encoding {given!r}; use a name Python knows, such as "
            "'utf-8', 'gb18030' or 'utf-16', or leave it out to detect it."
        ) from None


def open_text(path: Path, encoding: str) -> TextIO:
    """Open for csv: BOM skipped, undecodable bytes marked, line ends left as they are."""
    raw = path.open("rb", buffering=_BUFFER_BYTES)
    try:
        raw.seek(bom_length(raw.read(4), encoding))
        return io.TextIOWrapper(raw, encoding=encoding, errors=UNDECODABLE, newline="")
    except BaseException:
        raw.close()
        raise


def read_header(parser: _Parser, path: Path, encoding: str) -> list[str]:
    """The first record with any content; blank lines before it are skipped."""
    try:
        header = next((row for row in parser if any(row)), None)
    except csv.Error as exc:
        raise CsvFormatError(
            f"{path}: line {parser.line_num}: the header line is not valid CSV "
            f"({explain_csv_error(str(exc))}); fix it or pass delimiter= explicitly."
        ) from exc
    if header is None:
        what = "is empty" if parser.line_num == 0 else "has only blank lines"
        raise CsvFormatError(
            f"{path}: the file {what}; a CSV file needs a header line naming the "
            "columns, then one line per record."
        )
    joined = "".join(header)
    if "\x00" in joined:
        raise CsvFormatError(
            f"{path}: the header line contains NUL bytes; this looks like a binary "
            f"file, or text that is not {encoding}. Save it as CSV, or pass encoding=."
        )
    bad = undecodable_bytes(joined)
    if bad is not None:
        raise CsvFormatError(
            f"{path}: the header line has bytes {bad!r} that are not valid "
            f"{encoding}; pass the file's encoding explicitly (e.g. encoding='gb18030')."
        )
    return header


def unreadable(path: Path, exc: OSError) -> CsvFormatError:
    """The error for a file that cannot be opened or read."""
    if isinstance(exc, FileNotFoundError):
        return CsvFormatError(f"{path}: no such file; check the path.")
    if isinstance(exc, IsADirectoryError):
        return CsvFormatError(f"{path}: is a folder, not a file; give the path of a CSV file.")
    return CsvFormatError(
        f"{path}: cannot read the file ({exc.strerror or exc}); check it exists and is readable."
    )


def explain_csv_error(message: str) -> str:
    """A csv module error message, said so that a person editing the file can act on it."""
    if message == "unexpected end of data":
        return "unterminated quoted field: a quote opened in this record is never closed"
    if message.startswith("field larger than field limit"):
        return (
            f"a cell is longer than the reader's hard limit ({message}); "
            "usually a quote that is never closed"
        )
    if "expected after" in message:
        return f"malformed quoting: a closing quote must be followed by the delimiter ({message})"
    return f"malformed CSV ({message})"

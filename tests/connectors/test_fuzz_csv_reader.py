"""Fuzzing the CSV reader: whatever the file, a whole-file problem is a ``CsvFormatError``
with a message and every other problem is one record's ``CsvRowError`` with a reason.

Files are random bytes, random text in every encoding Excel or a CRM export may use (read
with the encoding detected, or a wrong one given), and CSV-shaped text with the awkward
parts drawn in: NULs, quotes left open, ragged rows, delimiters and line breaks inside cells.
Deterministic cases add a 1 MB cell and 10,000 columns.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st

from connectors.csvfile import CsvReader, CsvReadOptions
from connectors.csvfile.errors import CsvFormatError
from connectors.csvfile.models import CsvRow, CsvRowError

ENCODINGS = ["utf-8", "utf-8-sig", "gbk", "gb18030", "big5", "utf-16", "utf-16-le",
             "utf-16-be", "utf-32", "shift_jis", "latin-1", "cp1252"]  # fmt: skip
CELL = st.text(alphabet=st.sampled_from(list("ab张伟,;\t|\"'\r\n\x00 ＡＢ1=+-@")), max_size=12)
ROW = st.lists(CELL, min_size=0, max_size=8)


def _read(data: bytes, options: CsvReadOptions | None = None) -> list[CsvRow | CsvRowError]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "in.csv"
        path.write_bytes(data)
        try:
            reader = CsvReader(path, options)
        except CsvFormatError as error:
            _has_message(error)
            return []
        items = list(reader)
    for item in items:
        if isinstance(item, CsvRowError):
            assert item.reason.strip() and item.row_number >= 1
        else:
            assert isinstance(item, CsvRow) and set(item.values) <= set(reader.columns)
    return items


def _has_message(error: Exception) -> None:
    assert str(error).strip(), f"{type(error).__name__} without a message"


def _csv(rows: list[list[str]], delimiter: str) -> str:
    return "\n".join(delimiter.join(f'"{c}"' if i % 3 == 0 else c for i, c in enumerate(row))
                     for row in rows)  # fmt: skip


@given(st.binary(max_size=4000))
@example(b"\x00" * 100)
@example(b"\xff\xfe\x00")
@example(b'id,name\n1,"never closed\n2,x\n')
def test_random_bytes(data: bytes) -> None:
    _read(data)


@given(st.text(max_size=1500), st.sampled_from(ENCODINGS), st.sampled_from([None, *ENCODINGS]))
def test_any_text_in_any_encoding_read_as_detected_or_as_told(
    text: str, encoding: str, told: str | None
) -> None:
    _read(text.encode(encoding, errors="ignore"), CsvReadOptions(encoding=told))


@given(
    st.lists(ROW, min_size=1, max_size=25),
    st.sampled_from([",", ";", "\t", "|"]),
    st.sampled_from(ENCODINGS),
    st.sampled_from([None, ",", ";"]),
)
def test_csv_shaped_text_with_ragged_rows_quotes_and_nuls(
    rows: list[list[str]], delimiter: str, encoding: str, told: str | None
) -> None:
    data = _csv(rows, delimiter).encode(encoding, errors="ignore")
    _read(data, CsvReadOptions(delimiter=told))


def test_a_one_megabyte_cell_is_one_rejected_row() -> None:
    big = "x" * 1_000_001
    items = _read(f"id,name\n1,{big}\n2,ok\n".encode())
    assert [type(i).__name__ for i in items] == ["CsvRowError", "CsvRow"]


def test_ten_thousand_columns() -> None:
    header = ",".join(f"c{i}" for i in range(10_000))
    row = ",".join(str(i) for i in range(10_000))
    items = _read(f"{header}\n{row}\n{row},extra\n".encode())
    assert isinstance(items[0], CsvRow) and len(items[0].values) == 10_000
    assert isinstance(items[1], CsvRowError)


@given(
    st.lists(ROW, min_size=1, max_size=25),
    st.sampled_from([",", ";"]),
    st.sampled_from(["utf-8", "gbk", "utf-16"]),
    st.data(),
)
@example([["id", "name"], ["1", "a\x00"], [" ", ""], [], ["2", "x", "y"]], ",", "utf-8", None)
def test_items_passed_over_by_a_cursor_are_those_a_full_read_would_have_made(
    rows: list[list[str]], delimiter: str, encoding: str, data: st.DataObject | None
) -> None:
    """What a worker skipping other workers' chunks relies on: after ``skip(k)`` a cursor
    yields exactly the items a whole read yields from the k-th on, row numbers included."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "in.csv"
        path.write_bytes(_csv(rows, delimiter).encode(encoding, errors="ignore"))
        try:
            reader = CsvReader(path, CsvReadOptions(max_cell_chars=8))  # some cells too long
        except CsvFormatError:
            return
        items = list(reader)
        counts = [data.draw(st.integers(0, len(items) + 1))] if data else range(len(items) + 2)
        for count in counts:
            cursor = reader.cursor()
            cursor.skip(count)
            assert list(cursor.items) == items[count:]
        if items:  # skipping between reads
            cursor = reader.cursor()
            first = next(cursor.items)
            cursor.skip(1)
            assert [first, *cursor.items] == [items[0], *items[2:]]

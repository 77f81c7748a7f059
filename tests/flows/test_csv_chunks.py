"""Chunks of a CSV file read by the process that maps them (``ChunkReader``)."""

from __future__ import annotations

import pickle
from pathlib import Path

from connectors.csvfile import CsvReader, CsvReadOptions
from flows.csv_chunks import ChunkReader
from flows.parallel import ordered_map

_TEXT = (
    "编号,姓名,手机\n"
    "1,王五,13800138000\n"
    '2,"李\n四",13900139000\n'  # a record over two lines
    "\n"  # skipped
    "3,赵六\n"  # too few fields: a row error
    "4,钱七,13700137000\n"
    ",,\n"  # all empty: skipped
    "5,孙八,13600136000\n"
    '6,"周九,13500135000\n'  # a quote never closed: the rest is one error
)


def _reader(tmp_path: Path) -> CsvReader:
    path = tmp_path / "contacts.csv"
    path.write_text(_TEXT, encoding="utf-8")
    return CsvReader(path, CsvReadOptions(header_aliases={"name": ["姓名"], "mobile": ["手机"]}))


def _chunks(reader: CsvReader, size: int) -> list[list[object]]:
    items = list(reader)
    return [items[start : start + size] for start in range(0, len(items), size)]


def test_chunks_are_those_of_one_pass_in_any_increasing_order(tmp_path: Path) -> None:
    reader = _reader(tmp_path)
    expected = _chunks(reader, 2)
    assert len(expected) == 3
    chunks = ChunkReader(reader, size=2)
    try:
        assert [chunks(i) for i in range(4)] == [*expected, []]
        skipping = ChunkReader(reader, size=2)  # another reading: its own place in the file
        assert skipping(1) == expected[1]
        assert skipping(2) == expected[2]
        assert skipping(0) == expected[0]  # behind: read again from the top
        assert skipping(7) == []
    finally:
        chunks.close()


def test_a_pickled_chunk_reader_reads_the_same_rows(tmp_path: Path) -> None:
    reader = _reader(tmp_path)
    chunks = ChunkReader(reader, size=3)
    copy = pickle.loads(pickle.dumps(chunks))
    try:
        assert copy.reader.options == reader.options
        assert [copy(i) for i in range(3)] == [*_chunks(reader, 3), []]
    finally:
        copy.close()


def test_worker_processes_read_their_own_chunks(tmp_path: Path) -> None:
    reader = _reader(tmp_path)
    chunks = ChunkReader(reader, size=1)
    got = list(ordered_map(chunks, range(8), workers=2, fork=True))
    assert got == [*_chunks(reader, 1), [], []]

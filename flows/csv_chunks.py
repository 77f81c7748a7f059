"""Chunks of a CSV file read by the worker process that maps them.

Kept apart from ``csv_source`` (how a row becomes a record): where a chunk's rows come from
does not change the records made of them, so the record cache (``flows.dedupe.record_cache``)
does not start anew when this code changes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from itertools import islice

from connectors.csvfile import CsvCursor, CsvReader
from flows.csv_source import BATCH_SIZE, Chunk

__all__ = ["ChunkReader"]

# Per process, where its reading of a file stands: (ChunkReader token, cursor, next chunk).
_CURSOR: list[tuple[str, CsvCursor, int]] = []


@dataclass(frozen=True)
class ChunkReader:
    """Chunk ``index`` of a CSV file (``CsvSource.chunks``' index-th), read by the process
    that asks for it. Worker processes each read the file themselves, passing over the
    chunks other processes map (``CsvCursor.skip``: parsed to find where rows end, not
    checked or built, a fifth of a row's cost): a row parsed by the parent, pickled to a
    worker and unpickled there cost about 20 microseconds. A process keeps its place
    between calls (a pool hands out increasing indices), so it reads the file once; asked
    for an earlier chunk, it starts again from the top. Rows, row numbers and row errors
    are those of one ``iter(reader)``, as in ``CsvSource.chunks``."""

    reader: CsvReader
    size: int = BATCH_SIZE
    token: str = field(default_factory=lambda: uuid.uuid4().hex)

    def __call__(self, index: int) -> Chunk:
        if _CURSOR and _CURSOR[0][0] == self.token and _CURSOR[0][2] <= index:
            _, cursor, at = _CURSOR.pop()
        else:
            _CURSOR.clear()  # another file's, or behind: its file is closed
            cursor, at = self.reader.cursor(), 0
        cursor.skip((index - at) * self.size)
        chunk = list(islice(cursor.items, self.size))
        _CURSOR.append((self.token, cursor, index + 1))
        return chunk

    def close(self) -> None:
        """Let this process's place in the file go (and close the file)."""
        _CURSOR.clear()

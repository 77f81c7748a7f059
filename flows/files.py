"""Writing the files a run produces: whole or not at all, and readable by their owner only
(0600: they hold customer data; ``mkstemp`` creates them so, whatever the umask)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from connectors.csvfile import check_output_path

__all__ = ["open_atomic", "write_text_atomic"]


def write_text_atomic(path: Path, text: str | Iterable[str]) -> None:
    """Write UTF-8 text to ``path`` all at once: a reader sees the old file or the new one.
    The text may come in pieces, written as they come (a big file is never whole in memory).
    Raises OutputPathError when something other than a regular file is at ``path``."""
    check_output_path(path)
    with open_atomic(path) as handle:
        for piece in (text,) if isinstance(text, str) else text:
            handle.write(piece.encode("utf-8"))


@contextlib.contextmanager
def open_atomic(path: Path) -> Iterator[BinaryIO]:
    """A binary file that replaces ``path`` when the block ends normally (owner-only, 0600);
    when the block raises, ``path`` is left as it was."""
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        Path(temp).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temp).unlink()
        raise

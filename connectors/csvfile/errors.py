"""Errors of the CSV connector that concern a whole file."""

from __future__ import annotations

import stat
from pathlib import Path

__all__ = ["CsvFormatError", "OutputPathError", "check_output_path"]


class CsvFormatError(Exception):
    """The file as a whole cannot be read: missing, empty, no header, unusable encoding.

    The message names the file and says what to do. Problems confined to one record are
    never raised; they are yielded as `CsvRowError` so the run goes on.
    """


class OutputPathError(Exception):
    """An output path that must not be written: a folder, a device, a pipe or a socket.

    An atomic write replaces whatever is at the path, so writing there would destroy it.
    """


def check_output_path(path: Path) -> None:
    """Raise OutputPathError unless ``path`` is absent or a regular file."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file (a device, pipe or socket)"
        raise OutputPathError(f"{path} is {kind}; write the output to a file path instead")

"""Errors of the CSV connector that concern a whole file."""

from __future__ import annotations

__all__ = ["CsvFormatError"]


class CsvFormatError(Exception):
    """The file as a whole cannot be read: missing, empty, no header, unusable encoding.

    The message names the file and says what to do. Problems confined to one record are
    never raised; they are yielded as `CsvRowError` so the run goes on.
    """

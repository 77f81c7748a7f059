"""Errors raised by canonical normalisers and models."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Flagged", "InvalidValueError"]


class InvalidValueError(ValueError):
    """A value that cannot be normalised; ``reason`` says why in words a user can act on."""

    def __init__(self, reason: str, value: object = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.value = value


@dataclass(frozen=True, slots=True)
class Flagged:
    """A normalised value with a note worth a look (a phone number in a range the numbering
    plan does not list yet): the value is kept, and the note reaches the data-quality report."""

    value: object
    note: str

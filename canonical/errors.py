"""Errors raised by canonical normalisers and models."""

from __future__ import annotations

__all__ = ["InvalidValueError"]


class InvalidValueError(ValueError):
    """A value that cannot be normalised; ``reason`` says why in words a user can act on."""

    def __init__(self, reason: str, value: object = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.value = value

"""A record that did not reach its target, with the reason: what goes to dead letters."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from canonical.record_parts import SourceRef, StrictModel, Text

__all__ = ["Rejected", "RejectedOutcome"]


RejectedOutcome = Literal["rejected", "parked", "failed"]


class Rejected(StrictModel):
    """A record that is not in its target, with the reason; it goes to dead letters.

    ``outcome``: ``rejected`` (it could not be mapped, or the target refused it), ``parked``
    (waiting for a parent that is not in the target yet) or ``failed`` (the outcome of its
    write is unknown); every one is retried by the next run.
    """

    source: SourceRef
    outcome: RejectedOutcome = "rejected"
    row: int | None = Field(default=None, description="1-based line of the row in a file source")
    field: str | None = None
    reason: Text
    value: str | None = Field(default=None, description="the offending raw value, truncated")
    raw: dict[str, str | None] = Field(default_factory=dict, description="the raw record")
    rejected_at: datetime | None = None

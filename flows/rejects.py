"""The rows of a rejects file: one per record not written and per value kept raw."""

from __future__ import annotations

from canonical import Rejected
from flows.csv_source import IssueRow

__all__ = ["REJECT_COLUMNS", "issue_row", "reject_row"]

REJECT_COLUMNS = ("source", "row", "outcome", "field", "reason", "value")
"""Columns of a rejects file: one row per record not written (outcome rejected, parked or
failed) and per value that did not normalise cleanly (kept_raw, dropped or flagged)."""


def reject_row(reject: Rejected, outcome: str = "rejected") -> dict[str, str | None]:
    return {
        "source": str(reject.source),
        "row": None if reject.row is None else str(reject.row),
        "outcome": outcome,
        "field": reject.field,
        "reason": reject.reason,
        "value": reject.value,
    }


def issue_row(prefix: str, issue: IssueRow) -> dict[str, str | None]:
    record_id, row, name, action, reason, value = issue
    return {"source": prefix + record_id, "row": str(row), "outcome": action, "field": name,
            "reason": reason, "value": value}  # fmt: skip

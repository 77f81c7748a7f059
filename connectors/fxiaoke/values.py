"""Fxiaoke value formats: ms-epoch timestamps, owner id lists, picklists by option value.

Dates travel as integer milliseconds since the epoch (sometimes as digit strings); employee
fields are lists of ids even for one owner (the preset changeOwner page even shows a string
"[FSUID_x]"); select fields carry the option `value`, never its label.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from connectors.http import JSONValue

__all__ = ["from_ms_epoch", "owner_ids", "to_ms_epoch"]


def from_ms_epoch(value: JSONValue) -> datetime | None:
    """An aware UTC datetime from ms epoch (int, float or digit string); None for empty.
    ValueError (or OverflowError) for a value that is no time Python can hold."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"not a millisecond timestamp: {value!r}")
    try:
        millis = float(value)
    except ValueError as exc:
        raise ValueError(f"not a millisecond timestamp: {value!r}") from exc
    return datetime.fromtimestamp(millis / 1000, tz=UTC)


def to_ms_epoch(moment: datetime) -> int:
    """Integer ms since the epoch; naive datetimes are refused (their zone is a guess)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a naive datetime has no defined epoch; pass an aware one")
    return int(moment.timestamp() * 1000)


def owner_ids(value: JSONValue | Sequence[str]) -> list[str]:
    """Owner ids from a list, a single id, or the string form "[FSUID_a, FSUID_b]"."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value if v is not None and str(v)]
    if isinstance(value, str):
        text = value.strip().removeprefix("[").removesuffix("]")
        return [p.strip().strip("\"'") for p in text.split(",") if p.strip().strip("\"'")]
    if isinstance(value, int) and not isinstance(value, bool):
        return [str(value)]
    raise ValueError(f"not an owner id list: {value!r}")

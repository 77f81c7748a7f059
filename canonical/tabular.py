"""Canonical records as flat rows (for CSV exports and reports).

Nested models become dotted columns (``region.city``), the source ref becomes
``source.system``/``source.object``/``source.id``, and lineage is left out: a flat file
cannot say per cell where a value came from, and every value of a single-source record
comes from ``source`` anyway.
"""

from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel

from canonical.models import CanonicalRecord

__all__ = ["flat_columns", "flat_row"]

_SKIPPED = frozenset({"lineage"})


def _nested_model(annotation: object) -> type[BaseModel] | None:
    for arg in (annotation, *typing.get_args(annotation)):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def _columns(model: type[BaseModel], prefix: str) -> list[str]:
    columns: list[str] = []
    for name, info in model.model_fields.items():
        if name in _SKIPPED:
            continue
        nested = _nested_model(info.annotation)
        if nested is not None:
            columns.extend(_columns(nested, f"{prefix}{name}."))
        else:
            columns.append(f"{prefix}{name}")
    return columns


def flat_columns(model: type[CanonicalRecord]) -> list[str]:
    """The columns of a model's flat rows, in field order, source first."""
    columns = _columns(model, "")
    source = [c for c in columns if c.startswith("source.")]
    return source + [c for c in columns if not c.startswith("source.")]


def _flatten(data: dict[str, Any], prefix: str, row: dict[str, str | None]) -> None:
    for name, value in data.items():
        if isinstance(value, dict):
            _flatten(value, f"{prefix}{name}.", row)
        elif value is not None:
            row[f"{prefix}{name}"] = value if isinstance(value, str) else str(value)


def flat_row(record: CanonicalRecord) -> dict[str, str | None]:
    """One record as a flat row keyed by ``flat_columns``; empty values are left out."""
    row: dict[str, str | None] = {}
    # model_dump in JSON mode (in Rust) turns enums, datetimes and decimals into text at once.
    _flatten(record.model_dump(mode="json", exclude=set(_SKIPPED), exclude_none=True), "", row)
    return row

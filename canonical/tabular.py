"""Canonical records as flat rows (for CSV exports and reports).

Nested models become dotted columns (``region.city``), the source ref becomes
``source.system``/``source.object``/``source.id``, and lineage is left out: a flat file
cannot say per cell where a value came from, and every value of a single-source record
comes from ``source`` anyway.
"""

from __future__ import annotations

import typing
from datetime import datetime
from enum import Enum

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


def _cell(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _flatten(model: BaseModel, prefix: str, row: dict[str, str | None]) -> None:
    for name in type(model).model_fields:
        if name in _SKIPPED:
            continue
        value = getattr(model, name)
        if value is None and _nested_model(type(model).model_fields[name].annotation):
            continue  # an absent nested model leaves its columns empty
        if isinstance(value, BaseModel):
            _flatten(value, f"{prefix}{name}.", row)
        else:
            row[f"{prefix}{name}"] = _cell(value)


def flat_row(record: CanonicalRecord) -> dict[str, str | None]:
    """One record as a flat row keyed by ``flat_columns`` (missing nested models stay empty)."""
    row: dict[str, str | None] = {}
    _flatten(record, "", row)
    return row

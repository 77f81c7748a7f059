"""Canonical records as flat rows (for CSV exports and reports).

Nested models become dotted columns (``region.city``), the source ref becomes
``source.system``/``source.object``/``source.id``, and lineage is left out: a flat file
cannot say per cell where a value came from, and every value of a single-source record
comes from ``source`` anyway. Values kept as written (``raw_values``) are one JSON column;
a record's issues are the data-quality report's business, not a column.
"""

from __future__ import annotations

import json
import typing
from typing import Any

from pydantic import BaseModel

from canonical.models import CanonicalRecord

__all__ = ["FlatLayout", "flat_columns", "flat_row"]

_SKIPPED = frozenset({"lineage", "issues"})


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


def _text(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else None
    return str(value)


class FlatLayout:
    """The flat columns of one model and how to read each from a record.

    ``cells`` gives a record's values in column order without building a dict per row: it is
    the hot path of writing millions of canonical rows.
    """

    def __init__(self, model: type[CanonicalRecord]) -> None:
        self.model = model
        self.columns = tuple(flat_columns(model))
        paths = [column.split(".") for column in self.columns]
        if any(len(path) > 2 for path in paths):
            raise ValueError(f"{model.__name__} nests models more than one level deep")
        self._paths = [(path[0], path[1] if len(path) == 2 else None) for path in paths]

    def cells(self, record: CanonicalRecord) -> list[str | None]:
        # model_dump in JSON mode (in Rust) turns enums, datetimes and decimals into text.
        data: dict[str, Any] = record.model_dump(mode="json", exclude=_EXCLUDED, exclude_none=True)
        get = data.get
        return [
            _text(get(top) if sub is None else (get(top) or _NO_FIELDS).get(sub))
            for top, sub in self._paths
        ]

    def indices(self, *, excluding: tuple[str, ...]) -> tuple[int, ...]:
        """Positions of the columns that do not start with any of ``excluding``."""
        return tuple(i for i, c in enumerate(self.columns) if not c.startswith(excluding))

    def row(self, record: CanonicalRecord) -> dict[str, str | None]:
        """One record as a dict keyed by column; empty values are left out."""
        return {
            column: cell
            for column, cell in zip(self.columns, self.cells(record), strict=True)
            if cell is not None
        }


_EXCLUDED = set(_SKIPPED)
_NO_FIELDS: dict[str, Any] = {}
_LAYOUTS: dict[type[CanonicalRecord], FlatLayout] = {}


def flat_row(record: CanonicalRecord) -> dict[str, str | None]:
    """One record as a flat row keyed by ``flat_columns``; empty values are left out."""
    layout = _LAYOUTS.get(type(record))
    if layout is None:
        layout = _LAYOUTS[type(record)] = FlatLayout(type(record))
    return layout.row(record)

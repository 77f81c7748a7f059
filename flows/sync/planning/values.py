"""Canonical records as flat, JSON-safe values, and back.

The planner compares, fingerprints and stores records as flat values: ``{"name": ..,
"region.city": .., "owner.email": ..}``. Datetimes are ISO 8601 text in UTC, enums their value,
decimals text (pydantic's JSON mode). Empty values are left out, so absent == empty.

Left out as well, because they describe one copy of the record rather than the customer:
``source``, ``id`` (canonical id, kept by the crosswalk), ``lineage``, ``created_at`` and
``modified_at`` (the planner takes ``modified_at`` separately, for last-modified-wins).

What each side carries (``SyncSide``, ``FieldAccess``) is in ``sync_side``; values of one side
as the other holds them (``ValueBridge``) in ``bridge``. Both are importable from here too, as
they always were.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from pydantic import JsonValue, ValidationError

from canonical.models import Account, CanonicalRecord, Contact, Deal, Feedback, SourceRef
from flows.config.sync import ENTITY_MODELS, NOT_SYNCED, value_keys
from flows.sync.planning.bridge import ValueBridge, has_owner, restrict
from flows.sync.planning.owners import OWNER_COMPANIONS
from flows.sync.planning.sync_side import PARENT_FIELDS, FieldAccess, SyncSide, mapping_fields

__all__ = [
    "ENTITY_MODELS",
    "NOT_SYNCED",
    "OWNER_COMPANIONS",
    "PARENT_FIELDS",
    "FieldAccess",
    "RecordValuesError",
    "SyncSide",
    "ValueBridge",
    "canonical_values",
    "entity_of",
    "has_owner",
    "mapping_fields",
    "record_from_values",
    "restrict",
    "value_keys",
]


class RecordValuesError(ValueError):
    """Flat values that do not make a valid canonical record of the asked entity."""


def entity_of(record: CanonicalRecord) -> str:
    """``"account"``, ``"contact"``, ``"feedback"`` or ``"deal"``."""
    for name, model in ENTITY_MODELS.items():
        if type(record) is model:
            return name
    raise TypeError(f"{type(record).__name__} is not a synced canonical entity")


def _flatten(prefix: str, data: Mapping[str, JsonValue], out: dict[str, JsonValue]) -> None:
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            _flatten(f"{name}.", value, out)
        elif value is not None:
            out[name] = value


def _in_utc(record: CanonicalRecord) -> CanonicalRecord:
    """The record with its datetimes moved to UTC: systems give the same instant in their own
    offsets (Zoho's org +08:00, Fxiaoke's epoch milliseconds as UTC), and compared as text
    those would differ."""
    updates = {
        name: value.astimezone(UTC)
        for name in type(record).model_fields
        if name not in NOT_SYNCED
        and isinstance(value := getattr(record, name), datetime)
        and value.utcoffset() != timedelta(0)
    }
    return record.model_copy(update=updates) if updates else record


def canonical_values(record: Account | Contact | Feedback | Deal) -> dict[str, JsonValue]:
    """The record's values with flat dotted keys, JSON-safe, empty values left out; datetimes
    are ISO 8601 in UTC (``2025-03-01T08:00:00Z``), so one instant compares equal whatever
    offset a system gave it in.

    A value kept as written (``raw_values``: it did not normalise) stands under its field's
    name, so it is compared, fingerprinted and written like any other value: "见官网" in a
    switchboard field reaches the target and reconciles equal when the target holds it.
    """
    dumped = _in_utc(record).model_dump(mode="json", exclude=_NOT_VALUES)
    out: dict[str, JsonValue] = {}
    _flatten("", dumped, out)
    for name, text in record.raw_values.items():
        out.setdefault(name, text)
    return out


_NOT_VALUES = set(NOT_SYNCED)


def record_from_values(
    entity: str,
    values: Mapping[str, JsonValue],
    source: SourceRef,
    *,
    canonical_id: str | None = None,
) -> CanonicalRecord:
    """Build a record of ``entity`` (e.g. for a create) from flat values and its SourceRef.

    Raises RecordValuesError naming the entity, the source and each bad field.
    """
    model = ENTITY_MODELS.get(entity)
    if model is None:
        raise RecordValuesError(
            f"{entity!r} is not a synced entity; expected one of {', '.join(ENTITY_MODELS)}"
        )
    nested: dict[str, JsonValue] = {}
    for key, value in values.items():
        if value is None:
            continue
        *parents, leaf = key.split(".")
        node = nested
        for part in parents:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise RecordValuesError(f"{source}: values give both {part!r} and {key!r}")
            node = child
        node[leaf] = value
    nested["source"] = source.model_dump(mode="json")
    if canonical_id is not None:
        nested["id"] = canonical_id
    raw: dict[str, JsonValue] = {}
    while True:
        if raw:
            nested["raw_values"] = raw
        try:
            # JSON mode: the strict models accept ISO datetimes, enum values and decimal text
            # there, which is exactly what canonical_values produces.
            return model.model_validate_json(json.dumps(nested))
        except ValidationError as exc:
            errors = exc.errors()
        # Text where a typed value belongs is a value kept as written (see canonical_values).
        kept = {_dotted(e["loc"]): _take_text(nested, e["loc"]) for e in errors}
        if not all(kept.values()) or kept.keys() <= raw.keys():
            problems = "; ".join(
                f"{'.'.join(str(p) for p in error['loc']) or entity}: {error['msg']}"
                for error in errors
            )
            raise RecordValuesError(
                f"the values for {source} do not make a valid {entity}: {problems}"
            ) from None
        raw.update({name: text for name, text in kept.items() if text})


def _dotted(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc)


def _take_text(nested: dict[str, JsonValue], loc: tuple[int | str, ...]) -> str | None:
    """Remove the text value at ``loc`` (one or two levels deep) and return it; None if the
    value there is not text of a synced field."""
    node: JsonValue = nested
    for part in loc[:-1]:
        node = node.get(str(part)) if isinstance(node, dict) else None
    leaf = str(loc[-1]) if loc else ""
    if not isinstance(node, dict) or not isinstance(node.get(leaf), str) or leaf == "source":
        return None
    text = node.pop(leaf)
    if not node and node is not nested and len(loc) == 2:
        nested.pop(str(loc[0]), None)
    return text if isinstance(text, str) else None

"""Canonical records as flat, JSON-safe values, and back.

The planner compares, fingerprints and stores records as flat values: ``{"name": ..,
"region.city": .., "owner.email": ..}``. Datetimes are ISO 8601 text in UTC, enums their value,
decimals text (pydantic's JSON mode). Empty values are left out, so absent == empty.

Left out as well, because they describe one copy of the record rather than the customer:
``source``, ``id`` (canonical id, kept by the crosswalk), ``lineage``, ``created_at`` and
``modified_at`` (the planner takes ``modified_at`` separately, for last-modified-wins).

Owners are kept as ``owner.id``, ``owner.email`` and ``owner.name``: the owner map
(flows.sync.planning.owners) needs them to find the target user. Only ``owner.email`` is compared
between systems (see ``OWNER_COMPANIONS``): a user's id is system-specific and the same user's
display name often differs between CRMs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pydantic import JsonValue, ValidationError

from canonical.models import Account, CanonicalRecord, Contact, Deal, Feedback, SourceRef
from connectors.record_system import SystemUser
from flows.config.sync import ALL_VALUE_KEYS, ENTITY_MODELS, NOT_SYNCED, SyncOptions, value_keys
from flows.sync.planning.owners import OWNER_FIELDS, OwnerMap, apply_value_maps
from mapping.spec import LoadedMapping

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

PARENT_FIELDS: Mapping[str, str] = {"account_id": "account", "contact_id": "contact"}
"""Canonical fields that hold a parent's canonical id, and the parent's entity."""
OWNER_COMPANIONS = ("owner.id", "owner.name")
"""Owner values that travel with an ``owner.email`` change but are never compared."""


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


@dataclass(frozen=True)
class FieldAccess:
    """The canonical keys a mapping file reads from its system and writes back to it."""

    reads: frozenset[str]
    writes: frozenset[str]


def mapping_fields(mapping: LoadedMapping) -> FieldAccess:
    """What ``mapping`` can carry: a ``direction: in`` field is read only, ``out`` write only,
    and a field without a reverse transform cannot be written.

    A parent field (``PARENT_FIELDS``) read from a raw field is writable whatever its
    direction: the engine writes it itself, as the parent's record id in that raw field
    (``flows.sync.write.payloads.parent_payload``), not through the mapping's transform. So a
    contact moved to another account is updated, not left under the old one.
    """
    reads = frozenset(f.spec.target for f in mapping.fields if f.spec.direction != "out")
    writes = frozenset(target for f in mapping.fields for target in f.written_targets) | {
        f.spec.target
        for f in mapping.fields
        if f.spec.target in PARENT_FIELDS and f.spec.source and f.spec.direction != "out"
    }
    return FieldAccess(reads, writes)


@dataclass(frozen=True)
class SyncSide:
    """One side of a sync: where its records live, what its mapping carries (None: every
    canonical field, both ways) and, when its owners are synced, the owner map that turns the
    other side's users into this side's (``OwnerMap.build(other_users, these_users, ...)``).

    With an owner map the side counts ``owner.email`` as writable: the engine writes owners
    through the user directory (Zoho ``Owner.id``, Fxiaoke change_owner), not the mapping.
    """

    system: str
    object: str
    fields: FieldAccess | None = None
    owners: OwnerMap | None = None


_COMPARABLE = ALL_VALUE_KEYS - set(OWNER_COMPANIONS)


def _complete_owner(
    values: Mapping[str, JsonValue], users: Mapping[str, SystemUser]
) -> dict[str, JsonValue]:
    """Fill ``owner.email`` from the user directory when a system only gives the owner's id."""
    out = dict(values)
    owner_id = out.get("owner.id")
    if out.get("owner.email") is None and isinstance(owner_id, str) and owner_id in users:
        user = users[owner_id]
        if user.email:
            out["owner.email"] = user.email
        if out.get("owner.name") is None and user.name:
            out["owner.name"] = user.name
    return out


def restrict(values: Mapping[str, JsonValue], fields: Iterable[str]) -> dict[str, JsonValue]:
    """The non-empty values of ``fields``."""
    return {name: values[name] for name in fields if values.get(name) is not None}


def has_owner(values: Mapping[str, JsonValue]) -> bool:
    return any(values.get(key) is not None for key in OWNER_FIELDS)


class ValueBridge:
    """Values of side a as side b holds them, and back, plus the fields the sync compares.

    a -> b applies ``sync.value_maps`` then b's owner map; b -> a the inverted value maps then
    a's owner map. Without an owner map a system-specific ``owner.id`` is dropped on the way.
    Compared are the fields both sides read; ``a_to_b`` those b also writes, ``b_to_a`` those
    a also writes (two-way only). Owner ids and names ride along with ``owner.email``.
    """

    def __init__(self, options: SyncOptions, a: SyncSide, b: SyncSide, *, two_way: bool) -> None:
        self.a, self.b = a, b
        self._maps = options.value_maps
        self._inverse = {
            name: {target: source for source, target in table.items()}
            for name, table in options.value_maps.items()
        }
        self._users_a = a.owners.target_by_id if a.owners else _source_users(b.owners)
        self._users_b = b.owners.target_by_id if b.owners else _source_users(a.owners)
        reads_a, reads_b = self._reads(a, self._users_a), self._reads(b, self._users_b)
        both = reads_a & reads_b & _COMPARABLE
        self.a_to_b = both & self._writes(b)
        self.b_to_a = both & self._writes(a) if two_way else frozenset()
        self.compared = self.a_to_b | self.b_to_a

    @staticmethod
    def _reads(side: SyncSide, users: Mapping[str, SystemUser]) -> frozenset[str]:
        if side.fields is None:
            return ALL_VALUE_KEYS
        reads = side.fields.reads
        if "owner.id" in reads and users:
            reads |= {"owner.email"}
        return reads

    @staticmethod
    def _writes(side: SyncSide) -> frozenset[str]:
        writes = ALL_VALUE_KEYS if side.fields is None else side.fields.writes
        return writes | {"owner.email"} if side.owners is not None else writes

    def to_b(self, values: Mapping[str, JsonValue]) -> dict[str, JsonValue]:
        return _translate(values, self._maps, self.b.owners)

    def to_a(self, values: Mapping[str, JsonValue]) -> dict[str, JsonValue]:
        return _translate(values, self._inverse, self.a.owners)

    def synced(self, values_a: Mapping[str, JsonValue]) -> dict[str, JsonValue]:
        """Side a's compared values as b holds them. In one-way sync a settled pair's shadow
        is exactly this, so an unchanged source record can be skipped without reading b."""
        return restrict(self.to_b(values_a), self.compared)

    def complete_a(self, values: Mapping[str, JsonValue]) -> dict[str, JsonValue]:
        return _complete_owner(values, self._users_a)

    def complete_b(self, values: Mapping[str, JsonValue]) -> dict[str, JsonValue]:
        return _complete_owner(values, self._users_b)


def _source_users(owners: OwnerMap | None) -> Mapping[str, SystemUser]:
    return owners.source_by_id if owners is not None else {}


def _translate(
    values: Mapping[str, JsonValue],
    maps: Mapping[str, Mapping[str, JsonValue]],
    owners: OwnerMap | None,
) -> dict[str, JsonValue]:
    mapped = apply_value_maps(values, maps).values
    if owners is not None:
        return owners.apply(mapped)
    mapped.pop("owner.id", None)
    return mapped

"""Values of one side of a sync as the other side holds them, and the fields the sync compares.

Owners are kept as ``owner.id``, ``owner.email`` and ``owner.name``: the owner map
(flows.sync.planning.owners) needs them to find the target user. Only ``owner.email`` is compared
between systems (see ``OWNER_COMPANIONS``): a user's id is system-specific and the same user's
display name often differs between CRMs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pydantic import JsonValue

from connectors.record_system import SystemUser
from flows.config.sync import ALL_VALUE_KEYS, SyncOptions
from flows.sync.planning.owners import OWNER_COMPANIONS, OWNER_FIELDS, OwnerMap, apply_value_maps
from flows.sync.planning.sync_side import SyncSide

__all__ = ["ValueBridge", "has_owner", "restrict"]

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

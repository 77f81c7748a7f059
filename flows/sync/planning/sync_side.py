"""One side of a sync: where its records live and which canonical fields its mapping carries.

A mapping file decides what a side can read and write (``FieldAccess``); the planner compares
only what both sides read and writes only what a side takes. Kept apart from the values
(``values``) and their translation between sides (``bridge``), which both build on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flows.sync.planning.owners import OwnerMap
from mapping.spec import LoadedMapping

__all__ = ["PARENT_FIELDS", "FieldAccess", "SyncSide", "mapping_fields"]

PARENT_FIELDS: Mapping[str, str] = {"account_id": "account", "contact_id": "contact"}
"""Canonical fields that hold a parent's canonical id, and the parent's entity."""


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

"""Canonical value keys: the flat names flows.yaml uses for canonical fields.

``region.city``, ``owner.email``: one key per leaf of the canonical models, so that a sync,
a conflict rule, a tag or a value map names a field the same way, and a typo is caught at
load time with a "did you mean".
"""

from __future__ import annotations

import types
import typing
from typing import Annotated

from pydantic import BaseModel

from canonical.models import Account, CanonicalRecord, Contact, Deal, Feedback
from mapping.yamldoc import did_you_mean

__all__ = [
    "ALL_VALUE_KEYS",
    "ENTITY_MODELS",
    "NOT_SYNCED",
    "TEXT_KEYS",
    "known_field",
    "value_keys",
]

ENTITY_MODELS: dict[str, type[CanonicalRecord]] = {
    "account": Account,
    "contact": Contact,
    "feedback": Feedback,
    "deal": Deal,
}
NOT_SYNCED = (
    "source", "id", "lineage", "created_at", "modified_at", "raw_values", "issues",
)  # fmt: skip
"""Fields that describe one copy of a record, not the customer: never compared or written
as such (a value kept as written travels under its own field's name, see canonical_values)."""


def _unwrap(hint: object) -> object:
    while True:
        origin = typing.get_origin(hint)
        if origin is Annotated:
            hint = typing.get_args(hint)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(hint) if a is not type(None)]
            if len(members) != 1:
                return hint
            hint = members[0]
        else:
            return hint


def value_keys(model: type[BaseModel], prefix: str = "") -> dict[str, object]:
    """Flat value key -> its type, for the synced fields of ``model`` (``region.city``...)."""
    keys: dict[str, object] = {}
    for name, info in model.model_fields.items():
        if not prefix and name in NOT_SYNCED:
            continue
        hint = _unwrap(info.annotation)
        if isinstance(hint, type) and issubclass(hint, BaseModel):
            keys.update(value_keys(hint, f"{prefix}{name}."))
        else:
            keys[f"{prefix}{name}"] = hint
    return keys


_KEY_TYPES: dict[str, object] = {}
for _model in ENTITY_MODELS.values():
    _KEY_TYPES.update(value_keys(_model))
ALL_VALUE_KEYS = frozenset(_KEY_TYPES)
TEXT_KEYS = frozenset(key for key, hint in _KEY_TYPES.items() if hint is str)
# Compared only through owner.email: ids are system-specific, names differ between CRMs.
_NOT_COMPARED = frozenset({"owner.id", "owner.name"})


def known_field(name: str, where: str) -> str:
    """``name`` if a conflict rule, tag or value map may name it; else ValueError at ``where``."""
    if name in _NOT_COMPARED:
        raise ValueError(f"{where}: {name!r} is not compared between systems; use 'owner.email'")
    if name not in ALL_VALUE_KEYS:
        hint = did_you_mean(name, sorted(ALL_VALUE_KEYS - _NOT_COMPARED))
        raise ValueError(
            f"{where}: {name!r} is not a canonical field{hint or ' (write region.city, not city)'}"
        )
    return name

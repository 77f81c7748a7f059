"""Canonical records in a compact form, to send from a worker process and rebuild cheaply.

Pickling a pydantic Contact and unpickling it cost about 85 microseconds (its state is a dict
of fields, nested models, a set of field names); for a million records read by worker
processes that is longer than the mapping itself. Here a record travels as its class and its
field values in declaration order (nested models the same way) plus a bitmask of the fields
that were set, and comes back as ``model_construct`` would build it. The values were
validated where the record was made, by the mapping, in the worker.

Only the fields whose type admits a model as their value (``source``, ``owner``, ``region``
of a contact) are looked at for nesting; every other value is passed as it is (a model
inside a tuple or dict travels by pickle). Per class, the field names, their bits and the
field sets already seen are kept, so a record costs a few C-level calls each way (38 and 23
microseconds per contact before, decode and encode).
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, Final, Union

from pydantic import BaseModel

__all__ = ["RecordDecoder", "decode_record", "encode_record"]

Encoded = tuple[type[BaseModel], tuple[Any, ...], int]
_NESTED: Final = "__crmbridge_nested__"


@dataclass(frozen=True, slots=True)
class _Layout:
    names: tuple[str, ...]
    positions: dict[str, int]  # field name -> its place in names
    values: Any  # itemgetter of the names: the values of a state dict in declaration order
    bits: dict[str, int]  # field name -> its bit in the fields-set mask
    nested: tuple[tuple[int, str], ...]  # (position, name) of fields that may hold a model
    sets: dict[int, frozenset[str]]  # masks seen -> their field names
    frozen: bool  # instances cannot change: one fields-set object serves all of a mask
    shared_sets: dict[int, set[str]]  # of a frozen class: mask -> the set its instances share


_LAYOUTS: dict[type[BaseModel], _Layout] = {}


def _holds_model(annotation: Any) -> bool:
    """Whether a field of this type may hold a model itself (not inside a container)."""
    if isinstance(annotation, type):
        return issubclass(annotation, BaseModel)
    origin = typing.get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        return any(_holds_model(arg) for arg in typing.get_args(annotation))
    if origin is typing.Annotated:
        return _holds_model(typing.get_args(annotation)[0])
    # Any, a type variable or something unforeseen: look at the value each time.
    return origin is None and not isinstance(annotation, type)


def _layout(cls: type[BaseModel]) -> _Layout:
    layout = _LAYOUTS.get(cls)
    if layout is None:
        fields = cls.model_fields
        names = tuple(fields)
        getter = itemgetter(*names) if len(names) > 1 else (lambda state: (state[names[0]],))
        layout = _LAYOUTS[cls] = _Layout(
            names=names,
            positions={name: position for position, name in enumerate(names)},
            values=getter,
            bits={name: 1 << position for position, name in enumerate(names)},
            nested=tuple(
                (position, name)
                for position, name in enumerate(names)
                if _holds_model(fields[name].annotation)
            ),
            sets={},
            frozen=bool(cls.model_config.get("frozen")),
            shared_sets={},
        )
    return layout


def encode_record(model: BaseModel) -> Encoded:
    """The class, the field values (nested models encoded too) and the fields-set bitmask."""
    cls = type(model)
    layout = _layout(cls)
    state = model.__dict__
    values = layout.values(state)
    for position, name in layout.nested:
        value = state[name]
        if isinstance(value, BaseModel):
            if type(values) is tuple:
                values = list(values)
            values[position] = (_NESTED, encode_record(value))
    bits = layout.bits
    mask = 0
    for name in model.model_fields_set:
        mask |= bits[name]
    return cls, tuple(values), mask


def decode_record(encoded: Encoded) -> Any:
    """The model ``encode_record`` encoded, equal to the original (``RecordDecoder`` decodes
    many and shares their equal values)."""
    return RecordDecoder()(encoded)


_FIRST_LOOK: Final = 1_000  # values of a field seen before it is first judged, then twice as many
_MOST_DISTINCT: Final = 0.5  # share of distinct values above which a field's are not shared


@dataclass(slots=True)
class _Shared:
    """One field's distinct values so far, each the one object every record gets."""

    position: int
    values: dict[Any, Any] = field(default_factory=dict)
    seen: int = 0
    judged_at: int = _FIRST_LOOK


class RecordDecoder:
    """Decodes many records, as ``model_construct`` would build them, in less memory: equal
    immutable values of one field (a company, a city, a family name, an owner, a region) are
    one object shared by the records. A field whose values are mostly distinct (ids, mobiles,
    emails) stops being looked up once its values show it (judged after a thousand, then
    after twice as many each time); one whose values cannot be shared (a dict, a list, a
    model that is not frozen) at the first such value. On a generated export, 3.6 KB a
    contact became 2.9 KB: 0.7 GB less for a million records held by a dedupe run."""

    def __init__(self) -> None:
        self._fields: dict[type[BaseModel], list[_Shared]] = {}

    def __call__(self, encoded: Encoded) -> Any:
        cls, values, mask = encoded
        layout = _layout(cls)
        row = list(values)
        fields = self._fields.get(cls)
        if fields is None:
            fields = self._fields[cls] = [_Shared(p) for p in range(len(layout.names))]
        dropped: list[_Shared] = []
        for shared in fields:
            value = row[shared.position]
            if value is None:
                continue
            try:
                found = shared.values.get(value)
            except TypeError:  # a dict or list: not shareable
                dropped.append(shared)
                continue
            if found is None:
                found = self._one(value)
                if found is None:
                    dropped.append(shared)
                    continue
                shared.values[value] = found
            row[shared.position] = found
            shared.seen += 1
            if shared.seen == shared.judged_at:
                shared.judged_at *= 2
                if len(shared.values) > shared.seen * _MOST_DISTINCT:
                    dropped.append(shared)
        if dropped:
            self._fields[cls] = [s for s in fields if s not in dropped]
        for position, _ in layout.nested:
            value = row[position]
            if _is_nested(value):
                row[position] = self(value[1])
        return _build(cls, layout, row, mask)

    def field(self, encoded: Encoded, name: str) -> Any:
        """One field of an encoded record (a model in it decoded), without decoding the
        record (``record_list`` reads every record's source so)."""
        cls, values, _ = encoded
        value = values[_layout(cls).positions[name]]
        if not _is_nested(value):
            return value
        inner_cls, inner, mask = value[1]
        layout = _layout(inner_cls)
        if layout.nested:  # a model holding models: decoded the whole way
            return self(value[1])
        # A flat model (a source ref): built as it is, its values not looked up for sharing
        # (a million sources read for an incremental run took 6 s that way).
        return _build(inner_cls, layout, list(inner), mask)

    def _one(self, value: Any) -> Any:
        """The object to share for ``value``: itself, or its model decoded when that model
        is frozen; None when it must not be shared (a model that can change)."""
        if not _is_nested(value):
            return value
        if not value[1][0].model_config.get("frozen"):
            return None
        return self(value[1])


def _is_nested(value: Any) -> bool:
    return type(value) is tuple and len(value) == 2 and value[0] == _NESTED


def _build(cls: type[BaseModel], layout: _Layout, row: list[Any], mask: int) -> Any:
    names = layout.sets.get(mask)
    if names is None:
        names = layout.sets[mask] = frozenset(
            name for name, bit in layout.bits.items() if mask & bit
        )
    # What BaseModel.model_construct does for a full set of values, without its per-field
    # default lookups: every field is present here.
    model = cls.__new__(cls)
    object.__setattr__(model, "__dict__", dict(zip(layout.names, row, strict=True)))
    if layout.frozen:
        # A set is 200 bytes or more; a frozen model never adds to its own (a copy made
        # with model_copy gets a copy of it).
        fields_set = layout.shared_sets.get(mask)
        if fields_set is None:
            fields_set = layout.shared_sets[mask] = set(names)
    else:
        fields_set = set(names)
    object.__setattr__(model, "__pydantic_fields_set__", fields_set)
    object.__setattr__(model, "__pydantic_extra__", None)
    object.__setattr__(model, "__pydantic_private__", None)
    return model

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
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, Final, Union

from pydantic import BaseModel

__all__ = ["decode_record", "encode_record"]

Encoded = tuple[type[BaseModel], tuple[Any, ...], int]
_NESTED: Final = "__crmbridge_nested__"


@dataclass(frozen=True, slots=True)
class _Layout:
    names: tuple[str, ...]
    values: Any  # itemgetter of the names: the values of a state dict in declaration order
    bits: dict[str, int]  # field name -> its bit in the fields-set mask
    nested: tuple[tuple[int, str], ...]  # (position, name) of fields that may hold a model
    sets: dict[int, frozenset[str]]  # masks seen -> their field names


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
            values=getter,
            bits={name: 1 << position for position, name in enumerate(names)},
            nested=tuple(
                (position, name)
                for position, name in enumerate(names)
                if _holds_model(fields[name].annotation)
            ),
            sets={},
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
    """The model ``encode_record`` encoded, equal to the original."""
    cls, values, mask = encoded
    layout = _layout(cls)
    state = dict(zip(layout.names, values, strict=True))
    for position, name in layout.nested:
        value = values[position]
        if type(value) is tuple and len(value) == 2 and value[0] == _NESTED:
            state[name] = decode_record(value[1])
    names = layout.sets.get(mask)
    if names is None:
        names = layout.sets[mask] = frozenset(
            name for name, bit in layout.bits.items() if mask & bit
        )
    # What BaseModel.model_construct does for a full set of values, without its per-field
    # default lookups: every field is present here.
    model = cls.__new__(cls)
    object.__setattr__(model, "__dict__", state)
    object.__setattr__(model, "__pydantic_fields_set__", set(names))
    object.__setattr__(model, "__pydantic_extra__", None)
    object.__setattr__(model, "__pydantic_private__", None)
    return model
